//! The timeline builder on hand-written and generated histories, and `stepdeck timeline`
//! through its library entry point on the same fixtures (tests/fixtures/histories); property
//! tests of the history reader and the builder on arbitrary input.

mod timeline_support;

mod builder;
mod cli;
mod fidelity;
mod reader_props;
