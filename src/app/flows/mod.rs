//! Journeys across screens: the only code that touches two screens' state.

pub mod face_jump;
pub mod runs;
pub mod target;
