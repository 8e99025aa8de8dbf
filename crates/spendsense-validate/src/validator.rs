//! The streaming [`Validator`]: the checks across profiles, in input order.

use rust_decimal::Decimal;
use spendsense_personas::{Mix, Personas};
use spendsense_schema::{PersonaId, Transaction, UserProfile};

use crate::checked::{Checked, Checker};
use crate::histogram::IncomeHistogram;
use crate::keys::{KeyKind, Keys, NameKeys, Seen, TextKey};
use crate::quota::{Excursion, Quotas, offset};
use crate::report::{INCOME_BANDS, ReportViolation, clip};
use crate::summary::{IdSummary, PersonaTally, Summary};
use crate::{COVERAGE_EXTREMES, COVERAGE_FROM_USERS, Report};

/// A text-key duplicate waiting for [`Validator::confirm`].
#[derive(Debug)]
struct Suspect {
    seq: u64,
    kind: KeyKind,
    text: String,
    violation: ReportViolation,
}

/// Validates profiles as they stream past.
///
/// The checks of one profile alone can run anywhere ([`Validator::checker`],
/// one [`Checker`] per thread); [`Validator::push_checked`] then takes the
/// results in input order for the checks across profiles. [`Validator::push`]
/// does both.
#[derive(Debug)]
pub struct Validator<'p> {
    personas: &'p Personas,
    names: Option<&'p dyn NameKeys>,
    mix: Mix,
    quotas: Quotas,
    /// The index in its run of the first profile pushed: 0, or a shard's start.
    start: u64,
    /// Users of each persona in the run before `start`.
    before: [u64; 5],
    total: u64,
    counts: [u64; 5],
    excursions: [Excursion; 5],
    incomes: [IncomeHistogram; 5],
    bands: [u64; 4],
    keys: Keys,
    /// Profiles whose user id is a generated one, and whether every one so
    /// far was profile `start + position`'s, with the names and accounts
    /// that profile's.
    generated_ids: u64,
    ids_in_order: bool,
    names_follow_ids: bool,
    accounts_follow_ids: bool,
    quota_reported: [bool; 5],
    unreadable: u64,
    transactions: Option<u64>,
    violation_count: u64,
    violations: Vec<ReportViolation>,
    suspects: Vec<Suspect>,
}

impl std::fmt::Debug for dyn NameKeys + '_ {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NameKeys")
    }
}

impl<'p> Validator<'p> {
    /// How many violations the report lists in full.
    pub const LISTED: usize = 1_000;

    /// A validator checking against `personas`, expecting equal persona
    /// shares at every prefix.
    pub fn new(personas: &'p Personas) -> Validator<'p> {
        Validator::with_mix(personas, Mix::equal())
    }

    /// A validator expecting the persona shares of `mix` at every prefix.
    pub fn with_mix(personas: &'p Personas, mix: Mix) -> Validator<'p> {
        Validator {
            personas,
            names: None,
            mix,
            quotas: Quotas::Prefix,
            start: 0,
            before: [0; 5],
            total: 0,
            counts: [0; 5],
            excursions: [Excursion::default(); 5],
            incomes: Default::default(),
            bands: [0; 4],
            keys: Keys::default(),
            generated_ids: 0,
            ids_in_order: true,
            names_follow_ids: true,
            accounts_follow_ids: true,
            quota_reported: [false; 5],
            unreadable: 0,
            transactions: None,
            violation_count: 0,
            violations: Vec::new(),
            suspects: Vec::new(),
        }
    }

    /// Judges the quotas as `quotas` says (default [`Quotas::Prefix`]).
    pub fn with_quotas(mut self, quotas: Quotas) -> Validator<'p> {
        self.quotas = quotas;
        self
    }

    /// Uses `names` to remember names as bits ([`NameKeys`]); without it,
    /// every name is a text key.
    ///
    /// When the codec numbers names by the profile that bears them in the
    /// run (the generator's does, for one seed), the summary also says
    /// whether every name is its own profile's.
    pub fn with_names(mut self, names: &'p dyn NameKeys) -> Validator<'p> {
        self.names = Some(names);
        self
    }

    /// A validator for a slice of a run that starts at profile `start` of
    /// the run (a `--shard`), `before` holding how many users of each persona
    /// ([`PersonaId::ALL`] order) the run has before it: the quotas are then
    /// checked at the run's prefixes `start + k`, exactly as for the whole
    /// run, and income coverage, a property of a run from its first profile,
    /// only when `start` is 0.
    pub fn starting_at(mut self, start: u64, before: [u64; 5]) -> Validator<'p> {
        self.start = start;
        self.before = before;
        self
    }

    /// The per-profile checks, to run on other threads.
    pub fn checker(&self) -> Checker<'p> {
        Checker {
            personas: self.personas,
            names: self.names,
        }
    }

    /// Records a violation for the profile at `index`.
    pub fn record(&mut self, index: u64, user_id: &str, rule: &str, path: &str, message: String) {
        self.record_at(index, None, user_id, rule, path, message);
    }

    fn record_at(
        &mut self,
        index: u64,
        line: Option<u64>,
        user_id: &str,
        rule: &str,
        path: &str,
        message: String,
    ) {
        self.violation_count += 1;
        if self.violations.len() < Self::LISTED {
            self.violations
                .push(violation(index, line, user_id, rule, path, message));
        }
    }

    /// Records an input record that could not be read as a profile: `line`
    /// where it starts (when known), `path` of the offending field inside it.
    ///
    /// Prefix quota checks stop at the first unreadable record: without its
    /// persona the running counts no longer mean anything.
    pub fn push_unreadable(&mut self, line: Option<u64>, path: &str, message: String) {
        let index = self.total;
        self.total += 1;
        self.unreadable += 1;
        self.ids_in_order = false;
        self.record_at(index, line, "", "unreadable-record", path, message);
    }

    /// Checks one profile, the next in input order.
    pub fn push(&mut self, profile: &UserProfile) {
        self.push_at(profile, None);
    }

    /// [`Validator::push`] for a profile read from 1-based input `line`
    /// (JSONL), which its violations then name.
    pub fn push_at(&mut self, profile: &UserProfile, line: Option<u64>) {
        let checked = self.checker().check(profile, line);
        self.push_checked(&checked);
    }

    /// [`Validator::push_at`] for a profile read with its transactions; see
    /// [`Checker::check_with_transactions`].
    pub fn push_with_transactions(
        &mut self,
        profile: &UserProfile,
        line: Option<u64>,
        transactions: &[Transaction],
    ) {
        let checked = self
            .checker()
            .check_with_transactions(profile, line, transactions);
        self.push_checked(&checked);
    }

    /// Takes the next profile in input order, checked by a [`Checker`].
    pub fn push_checked(&mut self, checked: &Checked) {
        let index = self.total;
        self.total += 1;
        let line = checked.line;
        let id = checked.user_id.as_str();
        for finding in &checked.findings {
            self.violation_count += 1;
            if self.violations.len() < Self::LISTED {
                self.violations.push(violation(
                    index,
                    line,
                    id,
                    finding.rule,
                    &finding.path,
                    finding.message.clone(),
                ));
            }
        }
        if let Some(count) = checked.transactions {
            *self.transactions.get_or_insert(0) += count;
        }
        self.check_keys(index, checked);
        let persona = checked.persona.index();
        self.counts[persona] += 1;
        self.incomes[persona].add(checked.income, 1);
        for (band, (_, min, max)) in INCOME_BANDS.iter().enumerate() {
            if checked.income >= Decimal::from(*min) && checked.income < Decimal::from(*max) {
                self.bands[band] += 1;
            }
        }
        self.check_quota(index, line, checked);
    }

    fn check_keys(&mut self, index: u64, checked: &Checked) {
        let (line, id) = (checked.line, checked.user_id.as_str());
        let position = self.start + index;
        self.generated_ids += u64::from(checked.user_index.is_some());
        self.ids_in_order &= checked.user_index == Some(position);
        self.names_follow_ids &= checked.name_key == Some(position);
        let seen = self.keys.user(id, checked.user_index);
        self.duplicate(seen, index, line, id, KeyKind::UserId, id, || {
            "user_id".into()
        });
        let name = checked.name.as_str();
        let seen = self.keys.name(name, checked.name_key);
        self.duplicate(seen, index, line, id, KeyKind::Name, name, || "name".into());
        for (at, account_id) in checked.account_ids.iter().enumerate() {
            self.accounts_follow_ids &= crate::keys::generated_account_key(account_id)
                .is_some_and(|(user, _)| user == position);
            let seen = self.keys.account(account_id);
            let path = || format!("accounts[{at}].account_id");
            self.duplicate(seen, index, line, id, KeyKind::AccountId, account_id, path);
        }
    }

    /// Records what `seen` says of key `text` of profile `index`; `path`
    /// is called only for a duplicate, so the common case formats nothing.
    #[allow(clippy::too_many_arguments)]
    fn duplicate(
        &mut self,
        seen: Seen,
        index: u64,
        line: Option<u64>,
        user_id: &str,
        kind: KeyKind,
        text: &str,
        path: impl FnOnce() -> String,
    ) {
        let (rule, field) = match kind {
            KeyKind::UserId => ("duplicate-user-id", "user_id"),
            KeyKind::Name => ("duplicate-name", "name"),
            KeyKind::AccountId => ("duplicate-account-id", "account_id"),
        };
        let message = || format!("{field} `{text}` appears earlier in the dataset");
        match seen {
            Seen::New => {}
            Seen::Duplicate => self.record_at(index, line, user_id, rule, &path(), message()),
            Seen::Suspect(seq) => self.suspects.push(Suspect {
                seq,
                kind,
                text: text.to_string(),
                violation: violation(index, line, user_id, rule, &path(), message()),
            }),
        }
    }

    /// Text keys (ids and names that are not generated ones) not taken
    /// before, in order. Without this the validator keeps them all in
    /// memory until [`Validator::finish`]; a caller that must stay small
    /// writes them somewhere (a spill file) and gives them back to
    /// [`Validator::confirm`] before finishing, if [`Validator::needs_keys`].
    pub fn take_text_keys(&mut self) -> Vec<TextKey> {
        self.keys.take_text_keys()
    }

    /// Whether some text key shares its fingerprint with an earlier one, so
    /// the keys taken must come back through [`Validator::confirm`].
    pub fn needs_keys(&self) -> bool {
        self.keys.has_suspects()
    }

    /// Gives back keys taken with [`Validator::take_text_keys`] (every one,
    /// in any number of calls) so suspected duplicates are confirmed or
    /// dropped by comparing texts.
    pub fn confirm(&mut self, keys: impl IntoIterator<Item = TextKey>) {
        if self.keys.has_suspects() {
            self.keys.confirm(keys);
        }
    }

    /// Every prefix must hold each persona within one of its share of the mix.
    fn check_quota(&mut self, index: u64, line: Option<u64>, checked: &Checked) {
        let period = self.mix.period() as i64;
        for persona in PersonaId::ALL {
            let at = persona.index();
            let weight = self.mix.weight(persona) as i64;
            self.excursions[at].step(checked.persona == persona, weight, period);
            if self.quotas != Quotas::Prefix || self.unreadable > 0 || self.quota_reported[at] {
                continue;
            }
            let offset = offset(&self.mix, persona, self.start, self.before[at]);
            if !(offset + self.excursions[at].end).abs().le(&period) {
                self.quota_reported[at] = true;
                let prefix = self.start + self.total;
                let count = self.before[at] + self.counts[at];
                let exact = Decimal::from(prefix) * Decimal::from(self.mix.weight(persona))
                    / Decimal::from(self.mix.period());
                let message = format!(
                    "after {prefix} profiles `{persona}` has {count}; its share of the mix ({}) is {}, so it is off by more than 1",
                    self.mix,
                    exact.round_dp(2)
                );
                self.record_at(index, line, &checked.user_id, "quota", "persona", message);
            }
        }
    }

    /// Whole-dataset shares: each persona within one of its share of the total.
    fn check_shares(&mut self) {
        if self.quotas != Quotas::Shares || self.unreadable > 0 {
            return;
        }
        let total = self.total;
        for persona in PersonaId::ALL {
            let count = self.counts[persona.index()];
            if !self.mix.within_one(persona, count, total) {
                let exact = Decimal::from(total) * Decimal::from(self.mix.weight(persona))
                    / Decimal::from(self.mix.period());
                let message = format!(
                    "`{persona}` has {count} of the {total} profiles; its share of the mix ({}) is {}, so it is off by more than 1",
                    self.mix,
                    exact.round_dp(2)
                );
                self.record(total, "", "quota", "persona", message);
            }
        }
    }

    /// Heap bytes of the duplicate-detection state, about: what grows with
    /// the number of users.
    pub fn key_bytes(&self) -> usize {
        self.keys.heap_bytes()
    }

    /// The report over everything pushed.
    pub fn finish(self) -> Report {
        self.into_summary().report()
    }

    /// The mergeable [`Summary`] over everything pushed (see [`Summary::then`]).
    pub fn into_summary(mut self) -> Summary {
        self.check_shares();
        self.check_income_coverage();
        self.resolve_suspects();
        Summary {
            start: self.start,
            profiles: self.total,
            transactions: self.transactions,
            mix: self.mix,
            quotas: self.quotas,
            personas: PersonaId::ALL
                .into_iter()
                .map(|persona| PersonaTally {
                    persona,
                    count: self.counts[persona.index()],
                    before: self.before[persona.index()],
                    excursion: self.excursions[persona.index()],
                    incomes: std::mem::take(&mut self.incomes[persona.index()]),
                })
                .collect(),
            income_bands: self.bands.to_vec(),
            unreadable: self.unreadable,
            ids: IdSummary {
                generated: self.generated_ids,
                in_order: self.ids_in_order,
                names_follow_ids: self.names_follow_ids && self.names.is_some(),
                accounts_follow_ids: self.accounts_follow_ids,
                text_keys: self.keys.text_keys(),
            },
            violation_count: self.violation_count,
            violations: self.violations,
        }
    }

    fn resolve_suspects(&mut self) {
        if self.suspects.is_empty() {
            return;
        }
        self.keys.confirm_kept();
        let suspects = std::mem::take(&mut self.suspects);
        let confirmed: Vec<ReportViolation> = suspects
            .into_iter()
            .filter(|s| self.keys.is_confirmed(s.seq, s.kind, &s.text))
            .map(|s| s.violation)
            .collect();
        self.violation_count += confirmed.len() as u64;
        self.violations.extend(confirmed);
        // Stable: a profile's own violations stay before its duplicates.
        self.violations.sort_by_key(|v| v.index);
        self.violations.truncate(Self::LISTED);
    }

    /// The story's distribution requirement, for datasets it applies to (not
    /// with [`Quotas::Off`]): 50
    /// or more readable users of the default personas and mix must cover
    /// incomes from $20K to $200K, every band included (the generator
    /// guarantees an income of at most $25K and one of at least $180K).
    fn check_income_coverage(&mut self) {
        // A dataset whose quotas are off is a subset (filtered, sampled),
        // which need not span the run's incomes either.
        let applies = self.total >= COVERAGE_FROM_USERS
            && self.quotas != Quotas::Off
            && self.start == 0
            && self.unreadable == 0
            && *self.personas == Personas::spendsense()
            && self.mix == Mix::equal();
        if !applies {
            return;
        }
        let total = self.total;
        let (lowest, highest) = COVERAGE_EXTREMES;
        let min = self.incomes.iter().filter_map(IncomeHistogram::min).min();
        let max = self.incomes.iter().filter_map(IncomeHistogram::max).max();
        let mut gaps = Vec::new();
        if min.is_none_or(|m| m > Decimal::from(lowest)) {
            gaps.push(format!(
                "no income at or below {lowest} (lowest {})",
                min.unwrap_or_default()
            ));
        }
        if max.is_none_or(|m| m < Decimal::from(highest)) {
            gaps.push(format!(
                "no income at or above {highest} (highest {})",
                max.unwrap_or_default()
            ));
        }
        for ((band, _, _), count) in INCOME_BANDS.iter().zip(self.bands) {
            if count == 0 {
                gaps.push(format!("no income in the {band} band"));
            }
        }
        for gap in gaps {
            let message = format!(
                "{gap}; {total} users of the default personas must cover $20K to $200K and every band"
            );
            self.record(total, "", "income-coverage", "annual_income", message);
        }
    }
}

fn violation(
    index: u64,
    line: Option<u64>,
    user_id: &str,
    rule: &str,
    path: &str,
    message: String,
) -> ReportViolation {
    ReportViolation {
        index,
        user_id: clip(user_id),
        line,
        rule: rule.to_string(),
        path: clip(path),
        message: clip(&message),
    }
}
