//! The sandbox's clock: wall-clock milliseconds at start plus elapsed tokio time, so a test
//! with a paused tokio clock gets exact, reproducible timestamps.

use crate::domain::Millis;
use tokio::time::Instant;

#[derive(Debug, Clone, Copy)]
pub struct Clock {
    base_ms: Millis,
    origin: Instant,
}

impl Clock {
    /// A clock reading `base_ms` now (must be called inside a tokio runtime).
    pub fn start(base_ms: Millis) -> Clock {
        Clock {
            base_ms,
            origin: Instant::now(),
        }
    }

    pub fn now_ms(&self) -> Millis {
        self.base_ms + self.origin.elapsed().as_millis() as Millis
    }
}
