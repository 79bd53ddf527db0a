//! Review periods: calendar months and (fiscal) quarters.
//!
//! A quarter is named after the calendar year in which its fiscal year
//! starts: with `fiscal_year_start_month: 4`, `2026-Q1` is April to June
//! 2026 and `2026-Q4` is January to March 2027. With the default (1) the
//! quarters are the calendar ones.

use chrono::{Datelike, Months, NaiveDate};
use std::fmt;

/// What the user asked for on the command line, before the configuration
/// (the fiscal year) turns it into days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum PeriodName {
    Month { year: i32, month: u32 },
    Quarter { year: i32, quarter: u32 },
}

/// A closed range of days with its name (`2026-Q3`, `2026-07`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Period {
    pub(crate) name: PeriodName,
    pub(crate) first_day: NaiveDate,
    pub(crate) last_day: NaiveDate,
}

fn parse_year(s: &str) -> Option<i32> {
    (s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

impl PeriodName {
    /// `YYYY-MM`, for `--month`.
    pub(crate) fn parse_month(s: &str) -> Result<PeriodName, String> {
        let bad = || format!("`{s}` is not a month (YYYY-MM, e.g. 2026-07)");
        let (year, month) = s.split_once('-').ok_or_else(bad)?;
        let year = parse_year(year).ok_or_else(bad)?;
        if month.len() != 2 || !month.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        match month.parse() {
            Ok(month @ 1..=12) => Ok(PeriodName::Month { year, month }),
            _ => Err(bad()),
        }
    }

    /// `YYYY-Qn`, for `--quarter` (`q` in either case).
    pub(crate) fn parse_quarter(s: &str) -> Result<PeriodName, String> {
        let bad = || format!("`{s}` is not a quarter (YYYY-Qn with n from 1 to 4, e.g. 2026-Q3)");
        let (year, quarter) = s.split_once('-').ok_or_else(bad)?;
        let year = parse_year(year).ok_or_else(bad)?;
        let quarter = quarter
            .strip_prefix('Q')
            .or_else(|| quarter.strip_prefix('q'))
            .ok_or_else(bad)?;
        match quarter {
            "1" | "2" | "3" | "4" => Ok(PeriodName::Quarter {
                year,
                quarter: quarter.parse().map_err(|_| bad())?,
            }),
            _ => Err(bad()),
        }
    }

    /// The days of the period; `fiscal_year_start_month` (1-12) places
    /// the quarters.
    pub(crate) fn resolve(self, fiscal_year_start_month: u32) -> Period {
        let (year, first_month, months) = match self {
            PeriodName::Month { year, month } => (year, month, 1),
            PeriodName::Quarter { year, quarter } => {
                let start = fiscal_year_start_month.clamp(1, 12) - 1 + 3 * (quarter - 1);
                (year + (start / 12) as i32, start % 12 + 1, 3)
            }
        };
        let first_day = NaiveDate::from_ymd_opt(year, first_month, 1).expect("valid month");
        let last_day = first_day
            .checked_add_months(Months::new(months))
            .and_then(|d| d.pred_opt())
            .expect("four-digit years stay in range");
        Period {
            name: self,
            first_day,
            last_day,
        }
    }
}

impl fmt::Display for PeriodName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PeriodName::Month { year, month } => write!(f, "{year:04}-{month:02}"),
            PeriodName::Quarter { year, quarter } => write!(f, "{year:04}-Q{quarter}"),
        }
    }
}

impl Period {
    pub(crate) fn month_of(day: NaiveDate) -> Period {
        PeriodName::Month {
            year: day.year(),
            month: day.month(),
        }
        .resolve(1)
    }

    /// The quarter of the fiscal year (starting in `fiscal_year_start_month`)
    /// that contains `day`.
    pub(crate) fn quarter_of(day: NaiveDate, fiscal_year_start_month: u32) -> Period {
        let months_since_fiscal_start = day.year() * 12 + day.month0() as i32
            - (fiscal_year_start_month.clamp(1, 12) as i32 - 1);
        PeriodName::Quarter {
            year: months_since_fiscal_start.div_euclid(12),
            quarter: months_since_fiscal_start.rem_euclid(12) as u32 / 3 + 1,
        }
        .resolve(fiscal_year_start_month)
    }

    /// The period just before this one, of the same kind: the previous
    /// calendar month, or the three months before this quarter. Worked out
    /// from this period's own days, so a fiscal quarter's predecessor is
    /// the fiscal quarter before it (Q1's is the previous year's Q4).
    pub(crate) fn previous(&self) -> Period {
        let (name, months) = match self.name {
            PeriodName::Month { year, month: 1 } => (
                PeriodName::Month {
                    year: year - 1,
                    month: 12,
                },
                1,
            ),
            PeriodName::Month { year, month } => (
                PeriodName::Month {
                    year,
                    month: month - 1,
                },
                1,
            ),
            PeriodName::Quarter { year, quarter: 1 } => (
                PeriodName::Quarter {
                    year: year - 1,
                    quarter: 4,
                },
                3,
            ),
            PeriodName::Quarter { year, quarter } => (
                PeriodName::Quarter {
                    year,
                    quarter: quarter - 1,
                },
                3,
            ),
        };
        let first_day = self
            .first_day
            .checked_sub_months(Months::new(months))
            .expect("four-digit years stay in range");
        Period {
            name,
            first_day,
            last_day: self.first_day.pred_opt().expect("in range"),
        }
    }

    pub(crate) fn contains(&self, day: NaiveDate) -> bool {
        self.first_day <= day && day <= self.last_day
    }

    pub(crate) fn is_quarter(&self) -> bool {
        matches!(self.name, PeriodName::Quarter { .. })
    }

    /// "2026-Q3 (July to September 2026)" / "July 2026": for headings.
    pub(crate) fn title(&self) -> String {
        let month = |d: NaiveDate| d.format("%B").to_string();
        match self.name {
            PeriodName::Month { .. } => self.first_day.format("%B %Y").to_string(),
            PeriodName::Quarter { year, quarter } => {
                let through = if self.first_day.year() == self.last_day.year() {
                    format!(
                        "{} to {} {}",
                        month(self.first_day),
                        month(self.last_day),
                        self.last_day.year()
                    )
                } else {
                    format!(
                        "{} {} to {} {}",
                        month(self.first_day),
                        self.first_day.year(),
                        month(self.last_day),
                        self.last_day.year()
                    )
                };
                format!("{year}-Q{quarter} ({through})")
            }
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.name.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        crate::model::parse_date(s).unwrap()
    }

    fn quarter(s: &str, fiscal: u32) -> Period {
        PeriodName::parse_quarter(s).unwrap().resolve(fiscal)
    }

    #[test]
    fn calendar_quarters() {
        let q = quarter("2026-Q3", 1);
        assert_eq!(
            (q.first_day, q.last_day),
            (day("2026-07-01"), day("2026-09-30"))
        );
        let q = quarter("2026-Q1", 1);
        assert_eq!(
            (q.first_day, q.last_day),
            (day("2026-01-01"), day("2026-03-31"))
        );
        let q = quarter("2026-q4", 1);
        assert_eq!(
            (q.first_day, q.last_day),
            (day("2026-10-01"), day("2026-12-31"))
        );
        assert_eq!(q.to_string(), "2026-Q4");
    }

    #[test]
    fn fiscal_quarters_are_named_by_the_year_the_fiscal_year_starts() {
        let q = quarter("2026-Q1", 4);
        assert_eq!(
            (q.first_day, q.last_day),
            (day("2026-04-01"), day("2026-06-30"))
        );
        let q = quarter("2026-Q4", 4);
        assert_eq!(
            (q.first_day, q.last_day),
            (day("2027-01-01"), day("2027-03-31"))
        );
        let q = quarter("2026-Q2", 11);
        assert_eq!(
            (q.first_day, q.last_day),
            (day("2027-02-01"), day("2027-04-30"))
        );
    }

    #[test]
    fn quarter_of_inverts_resolve() {
        for fiscal in 1..=12 {
            let mut d = day("2024-01-01");
            while d < day("2027-01-01") {
                let q = Period::quarter_of(d, fiscal);
                assert!(q.contains(d), "{d} not in {q} (fiscal {fiscal})");
                assert_eq!(
                    PeriodName::parse_quarter(&q.to_string())
                        .unwrap()
                        .resolve(fiscal),
                    q
                );
                d = d.succ_opt().unwrap();
            }
        }
        assert_eq!(
            Period::quarter_of(day("2026-03-31"), 4).to_string(),
            "2025-Q4"
        );
        assert_eq!(
            Period::quarter_of(day("2026-04-01"), 4).to_string(),
            "2026-Q1"
        );
    }

    #[test]
    fn previous_periods_step_back_one_and_cross_years() {
        let m = PeriodName::parse_month("2026-01").unwrap().resolve(1);
        let before = m.previous();
        assert_eq!(before.to_string(), "2025-12");
        assert_eq!(
            (before.first_day, before.last_day),
            (day("2025-12-01"), day("2025-12-31"))
        );
        let march = PeriodName::parse_month("2024-03").unwrap().resolve(1);
        assert_eq!(march.previous().last_day, day("2024-02-29"));

        let q = quarter("2026-Q1", 1).previous();
        assert_eq!(q.to_string(), "2025-Q4");
        assert_eq!(
            (q.first_day, q.last_day),
            (day("2025-10-01"), day("2025-12-31"))
        );
        // Fiscal year from April: 2027-Q1 is April-June 2027, and the
        // quarter before it is 2026-Q4, January-March 2027.
        let q = quarter("2027-Q1", 4).previous();
        assert_eq!(q.to_string(), "2026-Q4");
        assert_eq!(
            (q.first_day, q.last_day),
            (day("2027-01-01"), day("2027-03-31"))
        );
    }

    #[test]
    fn previous_agrees_with_resolve_for_every_fiscal_start() {
        for fiscal in 1..=12 {
            for year in [2025, 2026] {
                for n in 1..=4 {
                    let q = quarter(&format!("{year}-Q{n}"), fiscal);
                    let before = q.previous();
                    assert_eq!(
                        PeriodName::parse_quarter(&before.to_string())
                            .unwrap()
                            .resolve(fiscal),
                        before,
                        "before {q} (fiscal {fiscal})"
                    );
                    assert_eq!(before.last_day.succ_opt(), Some(q.first_day));
                }
            }
        }
        for month in 1..=12 {
            let m = PeriodName::Month { year: 2026, month }.resolve(1);
            assert_eq!(
                m.previous(),
                Period::month_of(m.first_day.pred_opt().unwrap())
            );
        }
    }

    #[test]
    fn months_know_their_length() {
        let m = PeriodName::parse_month("2024-02").unwrap().resolve(1);
        assert_eq!(m.last_day, day("2024-02-29"));
        let m = PeriodName::parse_month("2026-12").unwrap().resolve(7);
        assert_eq!(
            (m.first_day, m.last_day),
            (day("2026-12-01"), day("2026-12-31"))
        );
        assert_eq!(Period::month_of(day("2026-12-31")), m);
        assert_eq!(m.title(), "December 2026");
    }

    #[test]
    fn bad_names_say_what_is_expected() {
        for s in [
            "2026-13",
            "2026-1",
            "26-01",
            "2026-00",
            "2026/01",
            "2026-01-01",
            "",
        ] {
            let e = PeriodName::parse_month(s).unwrap_err();
            assert!(e.contains("YYYY-MM"), "{s}: {e}");
        }
        for s in [
            "2026-Q5", "2026-Q0", "2026Q1", "2026-3", "2026-Q10", "+026-Q1",
        ] {
            let e = PeriodName::parse_quarter(s).unwrap_err();
            assert!(e.contains("YYYY-Qn"), "{s}: {e}");
        }
    }

    #[test]
    fn titles() {
        assert_eq!(
            quarter("2026-Q3", 1).title(),
            "2026-Q3 (July to September 2026)"
        );
        assert_eq!(
            quarter("2026-Q4", 2).title(),
            "2026-Q4 (November 2026 to January 2027)"
        );
    }
}
