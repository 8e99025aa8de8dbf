//! The run configuration a report states: seed, count, mix, overlap,
//! persona fingerprint and `as_of`, each with where it came from.
//!
//! Today a profile file does not record how it was made, so
//! [`RunConfig::from_report`] fills what the report knows (the flags, the
//! loaded definitions, what the data shows) and leaves the rest unknown. A
//! manifest travelling with the data can fill every field through
//! [`RunConfig::with`] and [`Origin::Manifest`] without touching the page.

use spendsense_generator::Overlap;
use spendsense_personas::{Mix, Personas};
use spendsense_schema::Date;

/// Where a setting's value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A command-line flag of this run (`--mix`).
    Flag(&'static str),
    /// The persona definitions the report loaded.
    Definitions,
    /// Read off the profiles themselves.
    Dataset,
    /// Assumed: the tool's default, no flag given.
    Default,
    /// The dataset's manifest (the file named).
    Manifest(String),
    /// Not recorded anywhere the report can see.
    Unknown,
}

/// One setting: its value when known, and where that came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting<T> {
    /// The value, `None` when unknown.
    pub value: Option<T>,
    /// Where it came from.
    pub origin: Origin,
}

impl<T> Setting<T> {
    /// A known value.
    pub fn known(value: T, origin: Origin) -> Setting<T> {
        Setting {
            value: Some(value),
            origin,
        }
    }

    /// An unknown value.
    pub fn unknown() -> Setting<T> {
        Setting {
            value: None,
            origin: Origin::Unknown,
        }
    }
}

/// How the dataset was generated, as far as it is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunConfig {
    /// `--seed`.
    pub seed: Setting<u64>,
    /// `--count`: profiles generated.
    pub count: Setting<u64>,
    /// `--mix`.
    pub mix: Setting<Mix>,
    /// `--overlap`.
    pub overlap: Setting<Overlap>,
    /// The generation fingerprint of the persona definitions.
    pub fingerprint: Setting<String>,
    /// `--as-of`.
    pub as_of: Setting<Date>,
}

/// What the report knows when it builds its [`RunConfig`].
#[derive(Debug, Clone, Copy)]
pub struct Known<'a> {
    /// `--mix` when given.
    pub mix_flag: Option<Mix>,
    /// The definitions loaded (`--personas` or the built-in ones).
    pub personas: &'a Personas,
    /// Readable profiles in the dataset.
    pub profiles: u64,
    /// The earliest and latest `plan.as_of` of the profiles.
    pub as_of: Option<(Date, Date)>,
}

impl RunConfig {
    /// The configuration as the report sees it without a manifest: the
    /// mix from `--mix` (or the default it assumes), the fingerprint of the
    /// loaded definitions, the count and `as_of` from the profiles (`as_of`
    /// only when every profile has the same); seed and overlap unknown.
    pub fn from_report(known: Known<'_>) -> RunConfig {
        let mix = match known.mix_flag {
            Some(mix) => Setting::known(mix, Origin::Flag("--mix")),
            None => Setting::known(Mix::equal(), Origin::Default),
        };
        let as_of = match known.as_of {
            Some((low, high)) if low == high => Setting::known(low, Origin::Dataset),
            _ => Setting::unknown(),
        };
        RunConfig {
            seed: Setting::unknown(),
            count: Setting::known(known.profiles, Origin::Dataset),
            mix,
            overlap: Setting::unknown(),
            fingerprint: Setting::known(
                spendsense_generator::fingerprint(known.personas),
                Origin::Definitions,
            ),
            as_of,
        }
    }

    /// What the manifest at `shown` records, but the mix and the
    /// fingerprint when `--mix` or `--personas` overrode them (the flag's
    /// value, from [`RunConfig::from_report`], stands).
    pub fn from_manifest(
        shown: &str,
        manifest: &crate::manifest::Manifest,
        mix_flag: bool,
        personas_flag: bool,
    ) -> RunConfig {
        let origin = || Origin::Manifest(shown.to_string());
        let mix = match mix_flag {
            true => Setting::unknown(),
            false => Setting::known(manifest.mix, origin()),
        };
        let fingerprint = match personas_flag {
            true => Setting::unknown(),
            false => Setting::known(manifest.fingerprint.clone(), origin()),
        };
        RunConfig {
            seed: Setting::known(manifest.seed, origin()),
            count: Setting::known(manifest.count, origin()),
            mix,
            overlap: Setting::known(manifest.overlap, origin()),
            fingerprint,
            as_of: Setting::known(manifest.as_of, origin()),
        }
    }

    /// `self` with every setting `other` knows replacing this one's (a
    /// manifest's values over what the report guessed).
    pub fn with(self, other: RunConfig) -> RunConfig {
        fn pick<T>(mine: Setting<T>, theirs: Setting<T>) -> Setting<T> {
            if theirs.value.is_some() { theirs } else { mine }
        }
        RunConfig {
            seed: pick(self.seed, other.seed),
            count: pick(self.count, other.count),
            mix: pick(self.mix, other.mix),
            overlap: pick(self.overlap, other.overlap),
            fingerprint: pick(self.fingerprint, other.fingerprint),
            as_of: pick(self.as_of, other.as_of),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known(personas: &Personas, mix_flag: Option<Mix>, as_of: Option<(Date, Date)>) -> Known<'_> {
        Known {
            mix_flag,
            personas,
            profiles: 12,
            as_of,
        }
    }

    #[test]
    fn the_report_fills_what_it_knows_and_says_where_from() {
        let personas = Personas::spendsense();
        let day = Date::from_ymd(2026, 11, 30).unwrap();
        let mix = Mix::parse("high_utilization=2,control=1").unwrap();
        let config = RunConfig::from_report(known(&personas, Some(mix), Some((day, day))));
        assert_eq!(config.mix, Setting::known(mix, Origin::Flag("--mix")));
        assert_eq!(config.count, Setting::known(12, Origin::Dataset));
        assert_eq!(config.as_of, Setting::known(day, Origin::Dataset));
        assert_eq!(config.seed, Setting::unknown());
        assert_eq!(config.overlap, Setting::unknown());
        assert_eq!(
            config.fingerprint.value.as_deref(),
            Some(spendsense_generator::fingerprint(&personas).as_str())
        );
        // No flag: the default is assumed and said to be.
        let config = RunConfig::from_report(known(&personas, None, None));
        assert_eq!(config.mix, Setting::known(Mix::equal(), Origin::Default));
        assert_eq!(config.as_of, Setting::unknown());
        // Profiles of several as_of dates have no single one.
        let later = day.add_days(1);
        let config = RunConfig::from_report(known(&personas, None, Some((day, later))));
        assert_eq!(config.as_of.value, None);
    }

    #[test]
    fn a_manifest_overrides_only_what_it_knows() {
        let personas = Personas::spendsense();
        let guessed = RunConfig::from_report(known(&personas, None, None));
        let manifest = Origin::Manifest("users.manifest.json".into());
        let from_manifest = RunConfig {
            seed: Setting::known(42, manifest.clone()),
            overlap: Setting::known(Overlap::parse("0.25").unwrap(), manifest.clone()),
            ..RunConfig {
                seed: Setting::unknown(),
                count: Setting::unknown(),
                mix: Setting::unknown(),
                overlap: Setting::unknown(),
                fingerprint: Setting::unknown(),
                as_of: Setting::unknown(),
            }
        };
        let merged = guessed.clone().with(from_manifest);
        assert_eq!(merged.seed, Setting::known(42, manifest.clone()));
        assert_eq!(merged.overlap.origin, manifest);
        assert_eq!(merged.count, guessed.count);
        assert_eq!(merged.fingerprint, guessed.fingerprint);
    }

    #[test]
    fn a_manifest_fills_every_setting_but_what_a_flag_overrode() {
        let manifest: crate::manifest::Manifest = serde_json::from_value(serde_json::json!({
            "manifest_version": 1, "tool": "spendsense", "version": "0.1.0",
            "fingerprint": "ssg5-0123456789ab", "seed": 7, "seed_string": "7", "count": 300,
            "mix": "control=1", "overlap": "0.2", "as_of": "2025-01-31", "shard": null,
            "profiles": {"start": 0, "end": 300}, "format": "json", "files": [], "personas": null
        }))
        .unwrap();
        let origin = Origin::Manifest("m.json".into());
        for (mix_flag, personas_flag) in
            [(false, false), (true, false), (false, true), (true, true)]
        {
            let config = RunConfig::from_manifest("m.json", &manifest, mix_flag, personas_flag);
            assert_eq!(config.seed, Setting::known(7, origin.clone()));
            assert_eq!(config.count, Setting::known(300, origin.clone()));
            assert_eq!(config.overlap.value, Some(Overlap::parse("0.2").unwrap()));
            assert_eq!(
                config.as_of.value,
                Some(Date::from_ymd(2025, 1, 31).unwrap())
            );
            assert_eq!(config.mix.value.is_none(), mix_flag);
            assert_eq!(config.fingerprint.value.is_none(), personas_flag);
        }
    }
}
