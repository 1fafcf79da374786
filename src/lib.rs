//! stepdeck: a terminal operations console for the rider-photo Step Functions pipeline.
//! Layers (dependencies point downward, checked by tests/repo/architecture.rs):
//! main -> runtime -> app -> {keymap, settings} -> backend (trait + types) -> domain;
//! cli -> domain; backend/aws, backend/local and store -> backend types, domain.

pub mod app;
pub mod backend;
pub mod cli;
pub mod domain;
pub mod keymap;
pub mod runtime;
pub mod settings;
pub mod store;
