//! Calendar dates, as Plaid writes them: `YYYY-MM-DD`, no time, no zone.
//!
//! A plan's dates are civil days in the proleptic Gregorian calendar; all the
//! arithmetic the plan needs (add days, count days, day of month, next month)
//! is a few lines over a day count, so no date crate is needed and nothing here
//! can read the clock.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::Error;

/// A calendar day, `0001-01-01` to `9999-12-31`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Days since 1970-01-01 (negative before it).
    days: i32,
}

/// Days from 1970-01-01 to `year-month-day` (Howard Hinnant's `days_from_civil`).
const fn days_from_civil(year: i32, month: u8, day: u8) -> i32 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = month as i32;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + day as i32 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Whether `year` is a leap year.
const fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Number of days in `month` of `year`.
pub const fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if is_leap(year) => 29,
        _ => 28,
    }
}

/// `day` moved into `1..=` the length of `month` of `year`.
const fn clamp_day(year: i32, month: u8, day: u8) -> u8 {
    let last = days_in_month(year, month);
    if day < 1 {
        1
    } else if day > last {
        last
    } else {
        day
    }
}

impl Date {
    /// Earliest date a [`Date`] holds.
    pub const MIN: Date = Date {
        days: days_from_civil(1, 1, 1),
    };
    /// Latest date a [`Date`] holds.
    pub const MAX: Date = Date {
        days: days_from_civil(9999, 12, 31),
    };

    /// `year-month-day`, or `None` when no such day exists.
    pub const fn from_ymd(year: i32, month: u8, day: u8) -> Option<Date> {
        if year < 1 || year > 9999 || month < 1 || month > 12 {
            return None;
        }
        if day < 1 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date {
            days: days_from_civil(year, month, day),
        })
    }

    /// Year, month (1–12) and day (1–31).
    pub const fn ymd(self) -> (i32, u8, u8) {
        // Howard Hinnant's `civil_from_days`.
        let z = self.days + 719_468;
        let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = yoe + era * 400 + if month <= 2 { 1 } else { 0 };
        (year, month, day)
    }

    /// The day of the month, 1–31.
    pub const fn day(self) -> u8 {
        self.ymd().2
    }

    /// This date moved by `days` (negative: earlier), `None` outside [`Date::MIN`]..=[`Date::MAX`].
    pub const fn checked_add_days(self, days: i32) -> Option<Date> {
        let Some(moved) = self.days.checked_add(days) else {
            return None;
        };
        if moved < Date::MIN.days || moved > Date::MAX.days {
            return None;
        }
        Some(Date { days: moved })
    }

    /// This date moved by `days`, saturating at [`Date::MIN`] and [`Date::MAX`].
    pub const fn add_days(self, days: i32) -> Date {
        match self.checked_add_days(days) {
            Some(date) => date,
            None if days < 0 => Date::MIN,
            None => Date::MAX,
        }
    }

    /// Days from `self` to `later` (negative when `later` is earlier).
    pub const fn days_until(self, later: Date) -> i32 {
        later.days - self.days
    }

    /// Day `day` of the same month, clamped to the month's length.
    pub const fn with_day(self, day: u8) -> Date {
        let (year, month, current) = self.ymd();
        let day = clamp_day(year, month, day);
        // Same month: only the day changes, so no second calendar conversion.
        Date {
            days: self.days + day as i32 - current as i32,
        }
    }

    /// Day `day` (clamped to the month's length) of the month `months` after
    /// this one (negative: before).
    pub const fn months_later(self, months: i32, day: u8) -> Date {
        let (year, month, _) = self.ymd();
        Date::of_month_index(year * 12 + (month as i32 - 1) + months, day)
    }

    /// Day `day` (clamped to the month's length) of the month numbered
    /// `year · 12 + month − 1`: what [`Date::months_later`] steps through,
    /// for loops over many months that keep the number instead of a date.
    pub const fn of_month_index(index: i32, day: u8) -> Date {
        let year = index.div_euclid(12);
        let month = (index.rem_euclid(12) + 1) as u8;
        if year < 1 {
            return Date::MIN;
        }
        if year > 9999 {
            return Date::MAX;
        }
        Date {
            days: days_from_civil(year, month, clamp_day(year, month, day)),
        }
    }

    /// Appends the date as `YYYY-MM-DD`, the bytes `Display` writes, without
    /// going through `fmt`: the writers put out a date or two per transaction.
    #[inline]
    pub fn push_iso(self, out: &mut Vec<u8>) {
        let (year, month, day) = self.ymd();
        let digit = |n: u32| b'0' + (n % 10) as u8;
        // `Date::MIN..=Date::MAX` keeps the year in 1..=9999.
        let year = year as u32;
        let (month, day) = (u32::from(month), u32::from(day));
        out.extend_from_slice(&[
            digit(year / 1000),
            digit(year / 100),
            digit(year / 10),
            digit(year),
            b'-',
            digit(month / 10),
            digit(month),
            b'-',
            digit(day / 10),
            digit(day),
        ]);
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (year, month, day) = self.ymd();
        write!(f, "{year:04}-{month:02}-{day:02}")
    }
}

impl FromStr for Date {
    type Err = Error;

    /// Parses exactly `YYYY-MM-DD`.
    fn from_str(text: &str) -> Result<Date, Error> {
        let refuse = || Error::InvalidDate {
            text: crate::text::escape(text).chars().take(40).collect(),
        };
        let bytes = text.as_bytes();
        let digits = |range: std::ops::Range<usize>| -> Option<u32> {
            let part = bytes.get(range)?;
            part.iter()
                .all(u8::is_ascii_digit)
                .then(|| part.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0')))
        };
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return Err(refuse());
        }
        let (Some(year), Some(month), Some(day)) = (digits(0..4), digits(5..7), digits(8..10))
        else {
            return Err(refuse());
        };
        Date::from_ymd(year as i32, month as u8, day as u8).ok_or_else(refuse)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Date, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(feature = "json-schema")]
impl schemars::JsonSchema for Date {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Date".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "A calendar day, `YYYY-MM-DD`.",
            // RFC 3339 `full-date`: the annotation that tells readers (and the reader
            // type specs generated from this schema) that the string is a date.
            "format": "date",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn push_iso_writes_what_display_writes() {
        let mut out = Vec::new();
        let mut date = Date::MIN;
        loop {
            out.clear();
            date.push_iso(&mut out);
            assert_eq!(out, date.to_string().as_bytes());
            match date.checked_add_days(1 + date.days.rem_euclid(97)) {
                Some(next) => date = next,
                None => break,
            }
        }
        out.clear();
        Date::MAX.push_iso(&mut out);
        assert_eq!(out, b"9999-12-31");
    }

    #[test]
    fn days_round_trip_through_the_calendar() {
        let mut date = Date::from_ymd(1999, 12, 25).unwrap();
        let mut previous = date;
        for _ in 0..20_000 {
            date = date.add_days(1);
            let (y, m, d) = date.ymd();
            assert_eq!(Date::from_ymd(y, m, d), Some(date));
            assert_eq!(previous.days_until(date), 1);
            assert_eq!(date.to_string().parse::<Date>().ok(), Some(date));
            previous = date;
        }
        assert_eq!(Date::from_ymd(1970, 1, 1).unwrap().days, 0);
        assert_eq!(Date::MIN.to_string(), "0001-01-01");
        assert_eq!(Date::MAX.to_string(), "9999-12-31");
    }

    #[test]
    fn leap_days_exist_only_in_leap_years() {
        assert!(Date::from_ymd(2024, 2, 29).is_some());
        assert!(Date::from_ymd(2000, 2, 29).is_some());
        assert!(Date::from_ymd(1900, 2, 29).is_none());
        assert!(Date::from_ymd(2026, 2, 29).is_none());
        assert!(Date::from_ymd(2026, 4, 31).is_none());
        assert!(Date::from_ymd(2026, 13, 1).is_none());
    }

    #[test]
    fn months_later_clamps_to_the_months_length() {
        let jan31 = Date::from_ymd(2026, 1, 31).unwrap();
        assert_eq!(jan31.months_later(1, 31).to_string(), "2026-02-28");
        assert_eq!(jan31.months_later(-2, 15).to_string(), "2025-11-15");
        assert_eq!(jan31.months_later(13, 29).to_string(), "2027-02-28");
        assert_eq!(jan31.with_day(5).to_string(), "2026-01-05");
    }

    #[test]
    fn only_exact_iso_dates_parse() {
        for bad in [
            "2026-1-05",
            "2026/01/05",
            "2026-01-05T00:00",
            "26-01-05",
            "2026-02-30",
            "",
            "２０２６-01-05",
        ] {
            let err = bad.parse::<Date>().unwrap_err().to_string();
            assert!(
                err.ends_with("expected YYYY-MM-DD, e.g. 2026-11-30"),
                "{err}"
            );
        }
        assert_eq!(
            serde_json::to_string(&Date::from_ymd(2026, 11, 30).unwrap()).unwrap(),
            r#""2026-11-30""#
        );
    }
}
