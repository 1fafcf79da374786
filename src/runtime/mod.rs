//! The tokio event loop: terminal setup/teardown with panic and signal safety, the effects
//! runner (backend calls, stale-response drop) and the wake-up timer.
