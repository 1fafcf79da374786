//! Formatting and parsing of timestamps and durations, shared by views and the headless CLI.

use super::Millis;
use chrono::{DateTime, SecondsFormat, TimeZone, Utc};

/// RFC 3339 with millisecond precision, e.g. `2026-11-25T10:00:00.123Z`.
pub fn format_rfc3339(ms: Millis) -> String {
    match Utc.timestamp_millis_opt(ms).single() {
        Some(t) => t.to_rfc3339_opts(SecondsFormat::Millis, true),
        None => format!("{ms}ms"),
    }
}

/// Wall-clock time of day in UTC, `HH:MM:SS`, for dense tables.
pub fn format_clock(ms: Millis) -> String {
    match Utc.timestamp_millis_opt(ms).single() {
        Some(t) => t.format("%H:%M:%S").to_string(),
        None => "--:--:--".into(),
    }
}

/// Date and time of day in UTC, `MM-DD HH:MM:SS`.
pub fn format_date_time(ms: Millis) -> String {
    match Utc.timestamp_millis_opt(ms).single() {
        Some(t) => t.format("%m-%d %H:%M:%S").to_string(),
        None => "--".into(),
    }
}

/// Human duration with the precision an operator needs: `850ms`, `4.2s`, `3m 04s`, `2h 05m`.
pub fn format_duration(ms: Millis) -> String {
    let ms = ms.max(0);
    if ms < 1_000 {
        format!("{ms}ms")
    } else if ms < 60_000 {
        format!("{:.1}s", ms as f64 / 1000.0)
    } else if ms < 3_600_000 {
        format!("{}m {:02}s", ms / 60_000, (ms / 1000) % 60)
    } else if ms < 86_400_000 {
        format!("{}h {:02}m", ms / 3_600_000, (ms / 60_000) % 60)
    } else {
        format!("{}d {:02}h", ms / 86_400_000, (ms / 3_600_000) % 24)
    }
}

/// A refresh or reload interval as a header says it: `2s`, `30s`, `6m`, `1m 30s`; odd ones
/// as `format_duration` writes them (`2.5s`).
pub fn format_interval(ms: Millis) -> String {
    if ms >= 60_000 && ms % 60_000 == 0 {
        format!("{}m", ms / 60_000)
    } else if ms >= 60_000 && ms % 1_000 == 0 {
        format!("{}m {:02}s", ms / 60_000, (ms / 1_000) % 60)
    } else if ms % 1_000 == 0 {
        format!("{}s", ms / 1_000)
    } else {
        format_duration(ms)
    }
}

/// The latest instant a history may hold: the end of year 9999 (RFC 3339 has four-digit
/// years). With timestamps in `0..=LATEST_TIMESTAMP`, differences of two never overflow.
pub const LATEST_TIMESTAMP: Millis = 253_402_300_799_999;

/// Parses a timestamp as printed by the AWS CLI / SDKs: an ISO-8601 / RFC 3339 string
/// (`2025-11-25T10:00:00.123000+00:00`) or epoch seconds as a number (`1764064800.123`).
pub fn parse_aws_timestamp(value: &serde_json::Value) -> Option<Millis> {
    match value {
        serde_json::Value::Number(n) => n.as_f64().and_then(millis_from_epoch_seconds),
        serde_json::Value::String(s) => parse_timestamp_text(s),
        _ => None,
    }
}

/// Epoch seconds → ms. None unless finite and from 1970 to 9999: NaN, infinities and
/// overflowing values (`1e300`) would otherwise become some arbitrary instant.
pub fn millis_from_epoch_seconds(seconds: f64) -> Option<Millis> {
    let ms = (seconds * 1000.0).round();
    // The range check is false for NaN, so only finite values in range are cast.
    (0.0..=LATEST_TIMESTAMP as f64)
        .contains(&ms)
        .then_some(ms as Millis)
}

/// An ISO-8601 / RFC 3339 string (also with a space for `T`, or without an offset, meaning
/// UTC), or epoch seconds written as a string; None outside 1970 to 9999.
pub fn parse_timestamp_text(text: &str) -> Option<Millis> {
    let in_range = |ms: Millis| (0..=LATEST_TIMESTAMP).contains(&ms).then_some(ms);
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return in_range(t.timestamp_millis());
    }
    // Some tools print a space instead of `T`, or omit the offset (meaning UTC).
    let normalized = text.replacen(' ', "T", 1);
    if let Ok(t) = DateTime::parse_from_rfc3339(&normalized) {
        return in_range(t.timestamp_millis());
    }
    match chrono::NaiveDateTime::parse_from_str(&normalized, "%Y-%m-%dT%H:%M:%S%.f") {
        Ok(t) => in_range(t.and_utc().timestamp_millis()),
        Err(_) => text.parse::<f64>().ok().and_then(millis_from_epoch_seconds),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn durations_pick_a_readable_unit() {
        assert_eq!(format_duration(850), "850ms");
        assert_eq!(format_duration(4_240), "4.2s");
        assert_eq!(format_duration(184_000), "3m 04s");
        assert_eq!(format_duration(7_500_000), "2h 05m");
        assert_eq!(format_duration(-5), "0ms");
    }

    #[test]
    fn intervals_read_as_whole_units() {
        assert_eq!(format_interval(2_000), "2s");
        assert_eq!(format_interval(30_000), "30s");
        assert_eq!(format_interval(360_000), "6m");
        assert_eq!(format_interval(90_000), "1m 30s");
        assert_eq!(format_interval(2_500), "2.5s");
    }

    #[test]
    fn parses_both_timestamp_shapes_the_cli_prints() {
        let iso = parse_aws_timestamp(&json!("2025-11-25T10:00:00.123000+00:00")).unwrap();
        let offset = parse_aws_timestamp(&json!("2025-11-25T11:00:00.123+01:00")).unwrap();
        let epoch = parse_aws_timestamp(&json!(1_764_064_800.123)).unwrap();
        assert_eq!(iso, 1_764_064_800_123);
        assert_eq!(offset, iso);
        assert_eq!(epoch, iso);
        assert_eq!(format_rfc3339(iso), "2025-11-25T10:00:00.123Z");
        assert_eq!(parse_aws_timestamp(&json!(true)), None);
    }

    #[test]
    fn timestamps_that_cannot_be_right_are_refused() {
        for text in [
            "NaN",
            "inf",
            "-inf",
            "infinity",
            "1e300",
            "-1",
            "1969-12-31T23:59:59Z",
        ] {
            assert_eq!(parse_timestamp_text(text), None, "{text}");
        }
        assert_eq!(millis_from_epoch_seconds(f64::NAN), None);
        assert_eq!(millis_from_epoch_seconds(f64::INFINITY), None);
        assert_eq!(millis_from_epoch_seconds(9.3e18), None);
        assert_eq!(parse_aws_timestamp(&json!(-0.5)), None);
        assert_eq!(parse_aws_timestamp(&json!(1e300)), None);
        assert_eq!(millis_from_epoch_seconds(0.0), Some(0));
        assert_eq!(
            parse_timestamp_text("9999-12-31T23:59:59.999Z"),
            Some(LATEST_TIMESTAMP)
        );
        assert_eq!(parse_timestamp_text("+10000-01-01T00:00:00Z"), None);
        assert_eq!(
            parse_timestamp_text("1764064800.5"),
            Some(1_764_064_800_500)
        );
    }
}
