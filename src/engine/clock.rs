//! Simulated time. The engine never reads the real clock: time moves only when
//! [`crate::engine::Cluster::advance`] is told to move it.

use std::fmt;
use std::ops::{Add, Sub};
use std::time::Duration;

/// An instant of simulated time: milliseconds since the Unix epoch, UTC.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    serde::Deserialize,
)]
pub struct SimTime(pub i64);

impl SimTime {
    pub fn from_secs(secs: i64) -> SimTime {
        SimTime(secs * 1000)
    }

    pub fn as_millis(self) -> i64 {
        self.0
    }

    pub fn as_secs(self) -> i64 {
        self.0.div_euclid(1000)
    }

    /// The signed time from `earlier` to `self`.
    pub fn since(self, earlier: SimTime) -> SignedDuration {
        SignedDuration(self.0 - earlier.0)
    }

    /// RFC 3339 in UTC with a `Z`, as the API server writes timestamps
    /// (`2021-07-01T10:00:00Z`); seconds precision.
    pub fn rfc3339(self) -> String {
        let c = Civil::from_secs(self.as_secs());
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            c.year, c.month, c.day, c.hour, c.minute, c.second
        )
    }

    /// RFC 1123 with a numeric zone, as `kubectl describe` prints times
    /// (`Thu, 01 Jul 2021 09:58:12 +0000`).
    pub fn rfc1123z(self) -> String {
        const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
        const MONTHS: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        let secs = self.as_secs();
        let c = Civil::from_secs(secs);
        let weekday = DAYS[secs.div_euclid(86_400).rem_euclid(7) as usize];
        format!(
            "{}, {:02} {} {:04} {:02}:{:02}:{:02} +0000",
            weekday,
            c.day,
            MONTHS[(c.month - 1) as usize],
            c.year,
            c.hour,
            c.minute,
            c.second
        )
    }

    /// Parses the RFC 3339 form written by [`SimTime::rfc3339`].
    pub fn parse_rfc3339(s: &str) -> Option<SimTime> {
        let b = s.as_bytes();
        if b.len() != 20 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[19] != b'Z' {
            return None;
        }
        let num = |r: std::ops::Range<usize>| s.get(r)?.parse::<i64>().ok();
        let days = days_from_civil(num(0..4)?, num(5..7)?, num(8..10)?);
        Some(SimTime::from_secs(
            days * 86_400 + num(11..13)? * 3600 + num(14..16)? * 60 + num(17..19)?,
        ))
    }
}

impl Add<Duration> for SimTime {
    type Output = SimTime;
    fn add(self, d: Duration) -> SimTime {
        SimTime(self.0 + d.as_millis() as i64)
    }
}

impl Sub<Duration> for SimTime {
    type Output = SimTime;
    fn sub(self, d: Duration) -> SimTime {
        SimTime(self.0 - d.as_millis() as i64)
    }
}

impl fmt::Display for SimTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.rfc3339())
    }
}

/// A duration that may be negative (a timestamp in the future).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct SignedDuration(pub i64);

impl SignedDuration {
    pub fn as_secs(self) -> i64 {
        self.0.div_euclid(1000)
    }
}

struct Civil {
    year: i64,
    month: i64,
    day: i64,
    hour: i64,
    minute: i64,
    second: i64,
}

impl Civil {
    fn from_secs(secs: i64) -> Civil {
        let days = secs.div_euclid(86_400);
        let rem = secs.rem_euclid(86_400);
        let (year, month, day) = civil_from_days(days);
        Civil {
            year,
            month,
            day,
            hour: rem / 3600,
            minute: rem % 3600 / 60,
            second: rem % 60,
        }
    }
}

/// Days since 1970-01-01 to (year, month, day): Howard Hinnant's civil calendar algorithm.
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// kubectl's `duration.HumanDuration` (apimachinery v0.21.1), used for AGE columns,
/// event ages and `Terminating (lasts …)`.
pub fn human_duration(d: SignedDuration) -> String {
    let ms = d.0;
    let secs = ms.div_euclid(1000);
    if secs < -1 {
        return "<invalid>".to_string();
    }
    if secs < 0 {
        return "0s".to_string();
    }
    if secs < 60 * 2 {
        return format!("{secs}s");
    }
    let minutes = secs / 60;
    if minutes < 10 {
        let s = secs % 60;
        return if s == 0 {
            format!("{minutes}m")
        } else {
            format!("{minutes}m{s}s")
        };
    }
    if minutes < 60 * 3 {
        return format!("{minutes}m");
    }
    let hours = minutes / 60;
    if hours < 8 {
        let m = minutes % 60;
        return if m == 0 {
            format!("{hours}h")
        } else {
            format!("{hours}h{m}m")
        };
    }
    if hours < 48 {
        return format!("{hours}h");
    }
    if hours < 24 * 8 {
        let h = hours % 24;
        return if h == 0 {
            format!("{}d", hours / 24)
        } else {
            format!("{}d{}h", hours / 24, h)
        };
    }
    if hours < 24 * 365 * 2 {
        return format!("{}d", hours / 24);
    }
    if hours < 24 * 365 * 8 {
        let days = hours / 24 % 365;
        return if days == 0 {
            format!("{}y", hours / 24 / 365)
        } else {
            format!("{}y{}d", hours / 24 / 365, days)
        };
    }
    format!("{}y", hours / 24 / 365)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn age(secs: i64) -> String {
        human_duration(SignedDuration(secs * 1000))
    }

    #[test]
    fn human_duration_follows_apimachinery_table() {
        assert_eq!(age(-5), "<invalid>");
        assert_eq!(age(0), "0s");
        assert_eq!(age(119), "119s");
        assert_eq!(age(152), "2m32s");
        assert_eq!(age(300), "5m");
        assert_eq!(age(15 * 60), "15m");
        assert_eq!(age(179 * 60), "179m");
        assert_eq!(age(3 * 3600 + 20 * 60), "3h20m");
        assert_eq!(age(5 * 3600), "5h");
        assert_eq!(age(22 * 3600), "22h");
        assert_eq!(age(49 * 3600), "2d1h");
        assert_eq!(age(3 * 86400), "3d");
        assert_eq!(age(45 * 86400), "45d");
        assert_eq!(age(800 * 86400), "2y70d");
        assert_eq!(age(9 * 365 * 86400), "9y");
    }

    #[test]
    fn formats_timestamps_as_the_api_server_and_describe_do() {
        let t = SimTime::parse_rfc3339("2021-07-01T09:58:12Z").unwrap();
        assert_eq!(t.rfc3339(), "2021-07-01T09:58:12Z");
        assert_eq!(t.rfc1123z(), "Thu, 01 Jul 2021 09:58:12 +0000");
        let leap = SimTime::parse_rfc3339("2024-02-29T23:59:59Z").unwrap();
        assert_eq!(leap.rfc1123z(), "Thu, 29 Feb 2024 23:59:59 +0000");
    }
}
