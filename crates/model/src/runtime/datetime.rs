//! Datetimes without a date library: a local (time-zone-free) instant in milliseconds since
//! 0001-01-01, civil-calendar arithmetic, reading common text forms and .NET-style formatting.
//! The host supplies "now" (wasm has no clock of its own here).

/// A local date and time, to the millisecond, between years 1 and 9999.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DateTime {
    /// Milliseconds since 0001-01-01T00:00:00.
    ms: i64,
}

const MS_PER_DAY: i64 = 86_400_000;
/// Days from 0001-01-01 to 1970-01-01.
const UNIX_EPOCH_DAYS: i64 = 719_162;
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const DAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];

/// The parts of a datetime.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Parts {
    pub year: i64,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
    pub milli: u32,
    /// 0 = Sunday.
    pub weekday: u32,
}

/// Days since 0001-01-01 of a civil date (H. Hinnant's `days_from_civil`, shifted).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = i64::from((m + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468 + UNIX_EPOCH_DAYS
}

/// The civil date of a day number (inverse of `days_from_civil`).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days - UNIX_EPOCH_DAYS + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl DateTime {
    /// The earliest and latest datetimes (years 1 and 9999, as .NET's DateTime).
    const MAX_MS: i64 = 3_155_378_975_999_999;

    /// A datetime from its parts, or `None` when a part is out of range.
    pub fn new(y: i64, mo: u32, d: u32, h: u32, mi: u32, s: u32, ms: u32) -> Option<DateTime> {
        let ok = (1..=9999).contains(&y)
            && (1..=12).contains(&mo)
            && d >= 1
            && d <= days_in_month(y, mo)
            && h < 24
            && mi < 60
            && s < 60
            && ms < 1000;
        ok.then(|| DateTime {
            ms: days_from_civil(y, mo, d) * MS_PER_DAY
                + i64::from(((h * 60 + mi) * 60 + s) * 1000 + ms),
        })
    }

    /// The local datetime of a Unix time in milliseconds at `offset_minutes` east of UTC (what a
    /// host reads from its clock: `Date.now()` and `-getTimezoneOffset()` in a browser).
    pub fn from_unix_ms(unix_ms: i64, offset_minutes: i32) -> Option<DateTime> {
        let ms = unix_ms
            .checked_add(i64::from(offset_minutes) * 60_000)?
            .checked_add(UNIX_EPOCH_DAYS * MS_PER_DAY)?;
        DateTime::from_ms(ms)
    }

    fn from_ms(ms: i64) -> Option<DateTime> {
        (0..=Self::MAX_MS).contains(&ms).then_some(DateTime { ms })
    }

    pub fn parts(&self) -> Parts {
        let days = self.ms.div_euclid(MS_PER_DAY);
        let rest = self.ms.rem_euclid(MS_PER_DAY) as u32;
        let (year, month, day) = civil_from_days(days);
        Parts {
            year,
            month,
            day,
            hour: rest / 3_600_000,
            minute: rest / 60_000 % 60,
            second: rest / 1000 % 60,
            milli: rest % 1000,
            // 0001-01-01 was a Monday.
            weekday: ((days + 1).rem_euclid(7)) as u32,
        }
    }

    /// The same day at midnight.
    pub fn date(&self) -> DateTime {
        DateTime {
            ms: self.ms - self.ms.rem_euclid(MS_PER_DAY),
        }
    }

    /// Add `amount` of `unit` (`Seconds`…`Days` may be fractional; `Months` and `Years` must be
    /// whole and keep the day, clamped to the month's last day as .NET's `AddMonths` does).
    pub fn add(&self, amount: f64, unit: &str) -> Result<DateTime, String> {
        let out_of_range = || "the result is outside the years 1 to 9999".to_string();
        let per = match unit {
            "Seconds" => 1000.0,
            "Minutes" => 60_000.0,
            "Hours" => 3_600_000.0,
            "Days" => MS_PER_DAY as f64,
            "Months" | "Years" => {
                if amount.fract() != 0.0 {
                    return Err(format!(
                        "{unit} to add must be a whole number, not {}",
                        super::value::format_number(amount)
                    ));
                }
                let months = if unit == "Years" {
                    amount * 12.0
                } else {
                    amount
                };
                if months.abs() > 120_000.0 {
                    return Err(out_of_range());
                }
                let p = self.parts();
                let total = p.year * 12 + i64::from(p.month) - 1 + months as i64;
                let (y, m) = (total.div_euclid(12), total.rem_euclid(12) as u32 + 1);
                let time = self.ms.rem_euclid(MS_PER_DAY);
                if !(1..=9999).contains(&y) {
                    return Err(out_of_range());
                }
                let d = p.day.min(days_in_month(y, m));
                return Ok(DateTime {
                    ms: days_from_civil(y, m, d) * MS_PER_DAY + time,
                });
            }
            _ => return Err(format!("\"{unit}\" is not a time unit")),
        };
        let delta = (amount * per).round();
        if delta.abs() > Self::MAX_MS as f64 {
            return Err(out_of_range());
        }
        DateTime::from_ms(self.ms + delta as i64).ok_or_else(out_of_range)
    }

    /// `self - other` in `unit` (`Days`, `Hours`, `Minutes` or `Seconds`), fractional.
    pub fn difference(&self, other: &DateTime, unit: &str) -> Result<f64, String> {
        let per = match unit {
            "Seconds" => 1000.0,
            "Minutes" => 60_000.0,
            "Hours" => 3_600_000.0,
            "Days" => MS_PER_DAY as f64,
            _ => return Err(format!("\"{unit}\" is not a unit of difference")),
        };
        Ok((self.ms - other.ms) as f64 / per)
    }

    /// Read `yyyy-MM-dd`, `yyyy-MM-dd HH:mm[:ss[.fff]]` (or with `T`, an ending `Z` ignored) and
    /// `M/d/yyyy[ h:mm[:ss][ AM|PM]]`.
    pub fn parse(text: &str) -> Option<DateTime> {
        let s = text.trim();
        let s = s.strip_suffix('Z').unwrap_or(s);
        let (date, time) = match s.find(['T', ' ']) {
            Some(i) => (&s[..i], s[i + 1..].trim()),
            None => (s, ""),
        };
        let num = |t: &str| -> Option<u32> {
            (!t.is_empty() && t.len() <= 4 && t.bytes().all(|b| b.is_ascii_digit()))
                .then(|| t.parse().ok())?
        };
        let (y, mo, d) = if let Some((y, rest)) = date.split_once('-') {
            let (mo, d) = rest.split_once('-')?;
            (y.len() == 4).then_some(())?;
            (num(y)?, num(mo)?, num(d)?)
        } else {
            let mut f = date.split('/');
            let (mo, d, y) = (f.next()?, f.next()?, f.next()?);
            (f.next().is_none() && y.len() == 4).then_some(())?;
            (num(y)?, num(mo)?, num(d)?)
        };
        let (mut h, mut mi, mut sec, mut ms) = (0, 0, 0, 0);
        if !time.is_empty() {
            let (clock, half) = match time.rsplit_once(' ') {
                Some((c, m)) if m.eq_ignore_ascii_case("AM") => (c.trim(), Some(false)),
                Some((c, m)) if m.eq_ignore_ascii_case("PM") => (c.trim(), Some(true)),
                _ => (time, None),
            };
            let (clock, frac) = match clock.split_once('.') {
                Some((c, f)) => (c, Some(f)),
                None => (clock, None),
            };
            let mut f = clock.split(':');
            h = num(f.next()?)?;
            mi = num(f.next()?)?;
            if let Some(x) = f.next() {
                sec = num(x)?;
            }
            f.next().is_none().then_some(())?;
            if let Some(frac) = frac {
                let digits: String = frac.chars().chain("000".chars()).take(3).collect();
                ms = num(&digits)?;
                frac.bytes().all(|b| b.is_ascii_digit()).then_some(())?;
            }
            match half {
                Some(pm) if (1..=12).contains(&h) => h = h % 12 + if pm { 12 } else { 0 },
                Some(_) => return None,
                None => {}
            }
        }
        DateTime::new(i64::from(y), mo, d, h, mi, sec, ms)
    }

    /// Format with .NET custom format specifiers: `yyyy yy MMMM MMM MM M dddd ddd dd d HH H hh h
    /// mm m ss s fff ff f tt`; text in quotes and `\x` is literal; other characters are copied.
    pub fn format(&self, pattern: &str) -> String {
        let p = self.parts();
        let mut out = String::with_capacity(pattern.len() + 8);
        let chars: Vec<char> = pattern.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            let mut n = 1;
            while chars.get(i + n) == Some(&c) {
                n += 1;
            }
            let pad = |out: &mut String, v: i64, width: usize| {
                out.push_str(&format!("{v:0width$}"));
            };
            let h12 = i64::from(if p.hour.is_multiple_of(12) {
                12
            } else {
                p.hour % 12
            });
            match c {
                'y' if n >= 3 => pad(&mut out, p.year, n),
                'y' => pad(&mut out, p.year % 100, n),
                'M' if n >= 4 => out.push_str(MONTHS[p.month as usize - 1]),
                'M' if n == 3 => out.push_str(&MONTHS[p.month as usize - 1][..3]),
                'M' => pad(&mut out, i64::from(p.month), n),
                'd' if n >= 4 => out.push_str(DAYS[p.weekday as usize]),
                'd' if n == 3 => out.push_str(&DAYS[p.weekday as usize][..3]),
                'd' => pad(&mut out, i64::from(p.day), n),
                'H' => pad(&mut out, i64::from(p.hour), n.min(2)),
                'h' => pad(&mut out, h12, n.min(2)),
                'm' => pad(&mut out, i64::from(p.minute), n.min(2)),
                's' => pad(&mut out, i64::from(p.second), n.min(2)),
                'f' => {
                    let n = n.min(3);
                    pad(&mut out, i64::from(p.milli) / 10_i64.pow(3 - n as u32), n)
                }
                't' => {
                    let ampm = if p.hour < 12 { "AM" } else { "PM" };
                    out.push_str(if n == 1 { &ampm[..1] } else { ampm })
                }
                '\'' | '"' => {
                    let close = chars[i + 1..].iter().position(|&x| x == c);
                    let end = close.map_or(chars.len(), |k| i + 1 + k);
                    out.extend(&chars[i + 1..end]);
                    i = end + 1;
                    continue;
                }
                '\\' => {
                    if let Some(&x) = chars.get(i + 1) {
                        out.push(x);
                    }
                    i += 2;
                    continue;
                }
                _ => {
                    for _ in 0..n {
                        out.push(c);
                    }
                }
            }
            i += n;
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_days_round_trip_and_weekdays() {
        for days in (0..3_652_059).step_by(997) {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        let d = DateTime::new(2026, 12, 1, 9, 41, 15, 0).unwrap();
        assert_eq!(d.parts().weekday, 2, "1 December 2026 is a Tuesday");
        assert_eq!(
            DateTime::from_unix_ms(0, 60),
            DateTime::new(1970, 1, 1, 1, 0, 0, 0)
        );
    }

    #[test]
    fn reads_and_formats() {
        let d = DateTime::parse("2024-02-29T13:05:09.5").unwrap();
        assert_eq!(
            d.format("yyyy-MM-dd HH:mm:ss.fff"),
            "2024-02-29 13:05:09.500"
        );
        assert_eq!(
            d.format("dddd, MMMM d, yyyy h:mm tt"),
            "Thursday, February 29, 2024 1:05 PM"
        );
        assert_eq!(d.format("'Day' d"), "Day 29");
        assert_eq!(
            DateTime::parse("3/7/2025 12:30 AM"),
            DateTime::new(2025, 3, 7, 0, 30, 0, 0)
        );
        for bad in [
            "2023-02-29",
            "2024-13-01",
            "24-01-01",
            "2024-01-01 25:00",
            "soon",
            "",
        ] {
            assert_eq!(DateTime::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn adds_months_clamping_the_day() {
        let d = DateTime::parse("2024-01-31 10:00").unwrap();
        assert_eq!(
            d.add(1.0, "Months").unwrap().format("yyyy-MM-dd HH:mm"),
            "2024-02-29 10:00"
        );
        assert_eq!(
            d.add(-1.5, "Days").unwrap().format("yyyy-MM-dd HH:mm"),
            "2024-01-29 22:00"
        );
        assert!(d.add(0.5, "Months").is_err());
        assert!(d.add(1e9, "Years").is_err());
        let e = DateTime::parse("2024-02-01 10:00").unwrap();
        assert_eq!(e.difference(&d, "Days"), Ok(1.0));
    }
}
