//! The stretches of time the dashboard looks at and their buckets.

use crate::domain::Millis;

const MINUTE: Millis = 60_000;
const HOUR: Millis = 60 * MINUTE;
const DAY: Millis = 24 * HOUR;

/// The stretch of time the dashboard looks at (`w` cycles them), each cut into buckets a bar
/// chart can show side by side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Window {
    Hour,
    Day,
    Week,
    Month,
}

impl Window {
    pub const ALL: [Window; 4] = [Window::Hour, Window::Day, Window::Week, Window::Month];

    pub fn span(self) -> Millis {
        match self {
            Window::Hour => HOUR,
            Window::Day => DAY,
            Window::Week => 7 * DAY,
            Window::Month => 30 * DAY,
        }
    }

    /// 5 minutes in an hour (12 bars), an hour in a day (24), 6 hours in a week (28), a day
    /// in 30 days (30).
    pub fn bucket(self) -> Millis {
        match self {
            Window::Hour => 5 * MINUTE,
            Window::Day => HOUR,
            Window::Week => 6 * HOUR,
            Window::Month => DAY,
        }
    }

    pub fn bucket_count(self) -> usize {
        (self.span() / self.bucket()) as usize
    }

    /// `1 h`, `24 h`, `7 d`, `30 d`.
    pub fn label(self) -> &'static str {
        match self {
            Window::Hour => "1 h",
            Window::Day => "24 h",
            Window::Week => "7 d",
            Window::Month => "30 d",
        }
    }

    /// The next window `w` shows: 1 h → 24 h → 7 d → 30 d → 1 h.
    pub fn next(self) -> Window {
        match self {
            Window::Hour => Window::Day,
            Window::Day => Window::Week,
            Window::Week => Window::Month,
            Window::Month => Window::Hour,
        }
    }

    /// `1h`, `24h`, `7d`, `30d` (as `--since` takes them; spaces and `1d` for a day allowed).
    pub fn parse(text: &str) -> Option<Window> {
        let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        match compact.to_ascii_lowercase().as_str() {
            "1h" | "60m" => Some(Window::Hour),
            "24h" | "1d" => Some(Window::Day),
            "7d" | "1w" => Some(Window::Week),
            "30d" => Some(Window::Month),
            _ => None,
        }
    }

    /// The start of the first bucket when it is `now`: buckets are aligned to multiples of
    /// the bucket width (UTC), the last one holds `now`, so they stay put as time passes.
    pub fn first_bucket_start(self, now: Millis) -> Millis {
        let bucket = self.bucket();
        let current = now.div_euclid(bucket) * bucket;
        current - (self.bucket_count() as Millis - 1) * bucket
    }
}
