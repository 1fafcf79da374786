//! stepdeck: a terminal operations console for the rider-photo Step Functions pipeline.
//! Layers (dependencies point downward): cli/runtime -> app/ui -> domain; backend -> domain.

pub mod app;
pub mod backend;
pub mod cli;
pub mod domain;
pub mod keymap;
pub mod runtime;
pub mod settings;
