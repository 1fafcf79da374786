//! Journeys across screens: the only code that touches two screens' state.

pub mod control;
pub mod dashboard;
pub mod face_jump;
pub mod runs;
pub mod state;
pub mod suites;
pub mod target;
