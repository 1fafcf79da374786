//! The timeline builder on hand-written and generated histories, and `stepdeck timeline`
//! through its library entry point on the same fixtures (tests/fixtures/histories).

mod timeline_support;

mod builder;
mod cli;
