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

/// Parses a timestamp as printed by the AWS CLI / SDKs: an ISO-8601 / RFC 3339 string
/// (`2025-11-25T10:00:00.123000+00:00`) or epoch seconds as a number (`1764064800.123`).
pub fn parse_aws_timestamp(value: &serde_json::Value) -> Option<Millis> {
    match value {
        serde_json::Value::Number(n) => n.as_f64().map(|secs| (secs * 1000.0).round() as Millis),
        serde_json::Value::String(s) => {
            if let Ok(t) = DateTime::parse_from_rfc3339(s) {
                return Some(t.timestamp_millis());
            }
            // Some tools print a space instead of `T`, or omit the offset (meaning UTC).
            let normalized = s.replacen(' ', "T", 1);
            if let Ok(t) = DateTime::parse_from_rfc3339(&normalized) {
                return Some(t.timestamp_millis());
            }
            chrono::NaiveDateTime::parse_from_str(&normalized, "%Y-%m-%dT%H:%M:%S%.f")
                .ok()
                .map(|t| t.and_utc().timestamp_millis())
                .or_else(|| {
                    s.parse::<f64>()
                        .ok()
                        .map(|secs| (secs * 1000.0).round() as Millis)
                })
        }
        _ => None,
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
}
