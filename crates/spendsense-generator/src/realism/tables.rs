//! The reference tables of `data/`, embedded at build time and parsed once.
//!
//! The files are small CSVs with `#` comment lines for their sources. They
//! are constants of the build, so a malformed file is a bug caught by this
//! module's tests, not an input error: parsing panics with the file and line.

use std::sync::OnceLock;

use spendsense_schema::PayFrequency;

/// The embedded files, by name: the fingerprint hashes each of them.
pub(crate) const FILES: [(&str, &str); 12] = [
    (
        "state_population_2020.csv",
        include_str!("../../data/state_population_2020.csv"),
    ),
    ("zip3_state.csv", include_str!("../../data/zip3_state.csv")),
    (
        "zip3_state_bridged.csv",
        include_str!("../../data/zip3_state_bridged.csv"),
    ),
    (
        "census_regions.csv",
        include_str!("../../data/census_regions.csv"),
    ),
    (
        "adult_age_distribution.csv",
        include_str!("../../data/adult_age_distribution.csv"),
    ),
    (
        "income_by_age.csv",
        include_str!("../../data/income_by_age.csv"),
    ),
    (
        "household_income_percentiles.csv",
        include_str!("../../data/household_income_percentiles.csv"),
    ),
    (
        "pay_frequency.csv",
        include_str!("../../data/pay_frequency.csv"),
    ),
    (
        "surnames_top50.csv",
        include_str!("../../data/surnames_top50.csv"),
    ),
    (
        "card_ownership_by_income.csv",
        include_str!("../../data/card_ownership_by_income.csv"),
    ),
    (
        "credit_by_generation.csv",
        include_str!("../../data/credit_by_generation.csv"),
    ),
    (
        "transaction_balances_by_age.csv",
        include_str!("../../data/transaction_balances_by_age.csv"),
    ),
];

/// Oldest age the open `75+` band is drawn up to.
pub const OLDEST_AGE: u8 = 89;

/// A Census region, for the demographic parity view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Region {
    /// CT, ME, MA, NH, RI, VT, NJ, NY, PA.
    Northeast,
    /// IL, IN, MI, OH, WI, IA, KS, MN, MO, NE, ND, SD.
    Midwest,
    /// DE, DC, FL, GA, MD, NC, SC, VA, WV, AL, KY, MS, TN, AR, LA, OK, TX.
    South,
    /// AZ, CO, ID, MT, NV, NM, UT, WY, AK, CA, HI, OR, WA.
    West,
}

impl Region {
    /// Every region, in the Census Bureau's order.
    pub const ALL: [Region; 4] = [
        Region::Northeast,
        Region::Midwest,
        Region::South,
        Region::West,
    ];

    /// The region's name.
    pub fn label(self) -> &'static str {
        match self {
            Region::Northeast => "Northeast",
            Region::Midwest => "Midwest",
            Region::South => "South",
            Region::West => "West",
        }
    }
}

/// One state (or DC) with its 2020 resident population.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct State {
    /// USPS code, e.g. `CA`.
    pub code: &'static str,
    /// Full name.
    pub name: &'static str,
    /// 2020 Census resident population.
    pub population: u64,
    /// Census region.
    pub region: Region,
    /// Ranges of 3-digit ZIP prefixes generated for it, with their weights
    /// (standard 5-digit ZIPs in the range); unique-only prefixes are left out.
    pub(crate) zip3_ranges: Vec<(u16, u16, u64)>,
}

/// One adult age band with its population.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgeBand {
    /// The label of the reference table, e.g. `25-34` or `75+`.
    pub label: &'static str,
    /// Youngest age in the band.
    pub min: u8,
    /// Oldest age drawn in the band ([`OLDEST_AGE`] for the open one).
    pub max: u8,
    /// 2022 population estimate.
    pub population: u64,
    /// Median personal income of the band's age group (dollars, 2023).
    pub median_personal_income: i64,
}

/// Every table, parsed.
#[derive(Debug)]
pub struct Tables {
    /// States and DC, in the file's (alphabetical by code) order.
    pub states: Vec<State>,
    /// Adult age bands, youngest first.
    pub age_bands: Vec<AgeBand>,
    /// Household income at published percentiles: `(percentile, dollars)`.
    pub household_income_percentiles: Vec<(u8, i64)>,
    /// Shares of regular pay frequencies, in tenths of a percent.
    pub pay_frequencies: Vec<(PayFrequency, u32)>,
    /// The 50 commonest surnames with their frequency per 100,000 people, in hundredths.
    pub top_surnames: Vec<(&'static str, u64)>,
    /// `(income from, income to (exclusive, None = open), percent holding a card)`.
    pub(crate) card_ownership: Vec<(i64, Option<i64>, u32)>,
    /// `(age from, age to, median total limit $, maxed-out share in tenths of a percent)`.
    pub(crate) credit_by_age: Vec<(u8, u8, i64, i64)>,
    /// `(age from, median transaction-account balance $)`, youngest first.
    pub(crate) balances_by_age: Vec<(u8, i64)>,
    /// Lookup ranges of 3-digit ZIP prefixes: `(first, last, state code)`.
    zip3_lookup: Vec<(u16, u16, &'static str)>,
}

impl Tables {
    /// The state a ZIP code's prefix belongs to, if it is a 5-digit ZIP of a
    /// state or DC (bridged ranges: unused prefixes between two ranges of one
    /// state count as that state's).
    pub fn state_of_zip(&self, zip: &str) -> Option<&'static str> {
        if zip.len() != 5 || !zip.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let prefix: u16 = zip[..3].parse().ok()?;
        self.zip3_lookup
            .iter()
            .find(|(first, last, _)| (*first..=*last).contains(&prefix))
            .map(|(_, _, state)| *state)
    }

    /// The adult age band holding `age`.
    pub fn age_band(&self, age: u8) -> Option<&AgeBand> {
        self.age_bands
            .iter()
            .find(|band| (band.min..=band.max).contains(&age))
    }
}

/// The parsed tables (parsed on first use; no IO).
pub fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(parse_all)
}

fn file(name: &str) -> &'static str {
    FILES
        .iter()
        .find(|(file, _)| *file == name)
        .map(|(_, text)| *text)
        .unwrap_or_else(|| panic!("{name} is not embedded"))
}

/// The data rows of `name` (header and `#` lines skipped), split at commas.
fn rows(name: &'static str) -> impl Iterator<Item = (usize, Vec<&'static str>)> {
    file(name)
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.starts_with('#') && !line.trim().is_empty())
        .skip(1)
        .map(|(at, line)| (at + 1, line.split(',').map(str::trim).collect()))
}

fn number<T: std::str::FromStr>(name: &str, line: usize, text: &str) -> T {
    text.parse()
        .unwrap_or_else(|_| panic!("{name}:{line}: {text:?} is not a number"))
}

/// `12.3` as tenths (`123`).
fn tenths(name: &str, line: usize, text: &str) -> u32 {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, "0"));
    assert!(
        fraction.len() == 1,
        "{name}:{line}: {text:?} needs one decimal"
    );
    number::<u32>(name, line, whole) * 10 + number::<u32>(name, line, fraction)
}

/// `828.19` as hundredths (`82819`).
fn hundredths(name: &str, line: usize, text: &str) -> u64 {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, "0"));
    let fraction = format!("{fraction:0<2}");
    assert!(
        fraction.len() == 2,
        "{name}:{line}: {text:?} has more than two decimals"
    );
    number::<u64>(name, line, whole) * 100 + number::<u64>(name, line, &fraction)
}

fn parse_all() -> Tables {
    let regions: Vec<(&str, Region)> = rows("census_regions.csv")
        .map(|(line, row)| {
            let region = Region::ALL
                .into_iter()
                .find(|r| r.label() == row[1])
                .unwrap_or_else(|| panic!("census_regions.csv:{line}: unknown region"));
            (row[0], region)
        })
        .collect();
    let generated_zip3: Vec<(u16, u16, &str, u64)> = rows("zip3_state.csv")
        .map(|(line, row)| {
            let name = "zip3_state.csv";
            (
                number(name, line, row[0]),
                number(name, line, row[1]),
                row[2],
                number(name, line, row[4]),
            )
        })
        .collect();
    let states = rows("state_population_2020.csv")
        .map(|(line, row)| {
            let code = row[0];
            let region = regions
                .iter()
                .find(|(state, _)| *state == code)
                .map(|(_, region)| *region)
                .unwrap_or_else(|| panic!("{code} has no census region"));
            let zip3_ranges: Vec<(u16, u16, u64)> = generated_zip3
                .iter()
                .filter(|(_, _, state, weight)| *state == code && *weight > 0)
                .map(|(first, last, _, weight)| (*first, *last, *weight))
                .collect();
            assert!(!zip3_ranges.is_empty(), "{code} has no ZIP prefix");
            State {
                code,
                name: row[1],
                population: number("state_population_2020.csv", line, row[2]),
                region,
                zip3_ranges,
            }
        })
        .collect();
    let incomes_by_age: Vec<(u8, i64)> = rows("income_by_age.csv")
        .filter(|(_, row)| row[0] != "all")
        .map(|(line, row)| {
            let from = match row[0] {
                "under 25" => 15,
                band => number("income_by_age.csv", line, &band[..2]),
            };
            (from, number("income_by_age.csv", line, row[5]))
        })
        .collect();
    let age_bands = rows("adult_age_distribution.csv")
        .map(|(line, row)| {
            let name = "adult_age_distribution.csv";
            let label = row[0];
            let (min, max) = match label.split_once('-') {
                Some((min, max)) => (number(name, line, min), number(name, line, max)),
                None => (number(name, line, label.trim_end_matches('+')), OLDEST_AGE),
            };
            let median_personal_income = incomes_by_age
                .iter()
                .rev()
                .find(|(from, _)| *from <= min)
                .map(|(_, income)| *income)
                .unwrap_or_else(|| panic!("no income row for ages {label}"));
            AgeBand {
                label,
                min,
                max,
                population: number(name, line, row[1]),
                median_personal_income,
            }
        })
        .collect();
    let household_income_percentiles = rows("household_income_percentiles.csv")
        .map(|(line, row)| {
            let name = "household_income_percentiles.csv";
            (number(name, line, row[0]), number(name, line, row[1]))
        })
        .collect();
    let pay_frequencies = rows("pay_frequency.csv")
        .map(|(line, row)| {
            let frequency = match row[0] {
                "weekly" => PayFrequency::Weekly,
                "biweekly" => PayFrequency::Biweekly,
                "semimonthly" => PayFrequency::Semimonthly,
                "monthly" => PayFrequency::Monthly,
                other => panic!("pay_frequency.csv:{line}: unknown frequency {other:?}"),
            };
            (frequency, tenths("pay_frequency.csv", line, row[1]))
        })
        .collect();
    let top_surnames = rows("surnames_top50.csv")
        .map(|(line, row)| (row[1], hundredths("surnames_top50.csv", line, row[3])))
        .collect();
    let card_ownership = rows("card_ownership_by_income.csv")
        .map(|(line, row)| {
            let name = "card_ownership_by_income.csv";
            let to = (!row[1].is_empty()).then(|| number(name, line, row[1]));
            (number(name, line, row[0]), to, number(name, line, row[2]))
        })
        .collect();
    let credit_by_age = rows("credit_by_generation.csv")
        .map(|(line, row)| {
            let name = "credit_by_generation.csv";
            (
                number(name, line, row[1]),
                number(name, line, row[2]),
                number(name, line, row[3]),
                i64::from(tenths(name, line, row[5])),
            )
        })
        .collect();
    let balances_by_age = rows("transaction_balances_by_age.csv")
        .map(|(line, row)| {
            let name = "transaction_balances_by_age.csv";
            (number(name, line, row[0]), number(name, line, row[2]))
        })
        .collect();
    let zip3_lookup = rows("zip3_state_bridged.csv")
        .map(|(line, row)| {
            let name = "zip3_state_bridged.csv";
            (
                number(name, line, row[0]),
                number(name, line, row[1]),
                row[2],
            )
        })
        .collect();
    Tables {
        states,
        age_bands,
        household_income_percentiles,
        pay_frequencies,
        top_surnames,
        card_ownership,
        credit_by_age,
        balances_by_age,
        zip3_lookup,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_parses_into_its_published_totals() {
        let t = tables();
        assert_eq!(t.states.len(), 51);
        let codes: Vec<&str> = t.states.iter().map(|s| s.code).collect();
        for code in spendsense_schema::reference::US_STATES {
            assert!(codes.contains(code), "{code} missing");
        }
        assert_eq!(
            t.states.iter().map(|s| s.population).sum::<u64>(),
            331_449_281
        );
        assert_eq!(t.age_bands.len(), 7);
        assert_eq!(
            t.age_bands.iter().map(|b| b.population).sum::<u64>(),
            260_836_730
        );
        assert_eq!((t.age_bands[0].min, t.age_bands[6].max), (18, OLDEST_AGE));
        assert!(t.age_bands.windows(2).all(|w| w[0].max + 1 == w[1].min));
        assert_eq!(t.pay_frequencies.iter().map(|(_, s)| s).sum::<u32>(), 1_000);
        assert_eq!(t.top_surnames.len(), 50);
        assert_eq!(
            t.top_surnames.iter().map(|(_, p)| p).sum::<u64>(),
            1_260_837
        );
        assert_eq!(t.household_income_percentiles[4], (50, 80_610));
        assert_eq!(t.card_ownership.len(), 4);
        assert_eq!(t.credit_by_age.len(), 4);
        assert_eq!(t.balances_by_age.len(), 4);
    }

    #[test]
    fn zip_lookup_agrees_with_the_generated_prefixes() {
        let t = tables();
        for state in &t.states {
            for (first, last, _) in &state.zip3_ranges {
                for prefix in *first..=*last {
                    let zip = format!("{prefix:03}42");
                    assert_eq!(t.state_of_zip(&zip), Some(state.code), "{zip}");
                }
            }
        }
        assert_eq!(t.state_of_zip("90210"), Some("CA"));
        assert_eq!(t.state_of_zip("10001"), Some("NY"));
        assert_eq!(t.state_of_zip("00601"), None, "Puerto Rico is not a state");
        assert_eq!(t.state_of_zip("9021"), None);
    }

    /// The copies in `data/` are the shared reference tables, unchanged.
    #[test]
    fn copies_match_the_shared_reference_tables_when_present() {
        let shared =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/realism");
        if !shared.is_dir() {
            return;
        }
        let mut compared = 0;
        for (name, text) in FILES {
            if let Ok(original) = std::fs::read_to_string(shared.join(name)) {
                assert_eq!(
                    original, text,
                    "data/{name} differs from ../shared/realism/{name}"
                );
                compared += 1;
            }
        }
        assert_eq!(compared, 8, "eight tables are verbatim copies");
    }
}
