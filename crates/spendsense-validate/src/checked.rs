//! The checks that need one profile only, so callers can run them on many
//! threads ([`Checker`]) and hand the results to the [`crate::Validator`] in
//! input order, where the checks across profiles (duplicates, quotas) run.

use rust_decimal::Decimal;
use spendsense_personas::{PersonaSet, Personas, Window};
use spendsense_schema::{Date, PersonaId, Transaction, UserProfile, validate_profile};
use spendsense_signals::{Item, card_liabilities, detect};

use crate::keys::{NameKeys, generated_user_index};
use crate::{RULE_DETECTOR_MISMATCH, RULE_TRANSACTION_ACCOUNT};

/// A broken rule found in one profile, before it has a place in the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Finding {
    pub(crate) rule: &'static str,
    pub(crate) path: String,
    pub(crate) message: String,
}

/// One profile after the checks of [`Checker`]: what the ordered checks
/// still need, and the rules it breaks on its own.
#[derive(Debug, Clone)]
pub struct Checked {
    pub(crate) line: Option<u64>,
    pub(crate) user_id: String,
    pub(crate) user_index: Option<u64>,
    pub(crate) name: String,
    pub(crate) name_key: Option<u64>,
    pub(crate) account_ids: Vec<String>,
    pub(crate) persona: PersonaId,
    pub(crate) income: Decimal,
    pub(crate) transactions: Option<u64>,
    pub(crate) findings: Vec<Finding>,
    /// The plan's `as_of`, for checks against a manifest.
    pub as_of: Date,
    /// Whether the profile carries `matched_personas` (overlaps).
    pub overlaps: bool,
}

impl Checked {
    /// The profile's `user_id`.
    pub fn user_id(&self) -> &str {
        &self.user_id
    }

    /// The 1-based input line it was read from, when known.
    pub fn line(&self) -> Option<u64> {
        self.line
    }

    /// The profile's persona.
    pub fn persona(&self) -> PersonaId {
        self.persona
    }
}

/// Runs the per-profile checks; `Copy` and `Sync`, so one per worker thread.
#[derive(Clone, Copy)]
pub struct Checker<'p> {
    pub(crate) personas: &'p Personas,
    pub(crate) names: Option<&'p dyn NameKeys>,
}

impl std::fmt::Debug for Checker<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Checker")
            .field("names", &self.names.is_some())
            .finish_non_exhaustive()
    }
}

impl Checker<'_> {
    /// Checks `profile`, read from 1-based input `line` when known (JSONL):
    /// its structure and its persona's definition.
    pub fn check(&self, profile: &UserProfile, line: Option<u64>) -> Checked {
        let findings = validate_profile(profile)
            .into_iter()
            .chain(self.personas.check_profile(profile))
            .map(|violation| Finding {
                rule: violation.rule,
                path: violation.path,
                message: violation.message,
            })
            .collect();
        Checked {
            line,
            user_id: profile.user_id.clone(),
            user_index: generated_user_index(&profile.user_id),
            name: profile.name.clone(),
            name_key: self.names.and_then(|names| names.key(&profile.name)),
            account_ids: profile
                .accounts
                .iter()
                .map(|account| account.account_id.clone())
                .collect(),
            persona: profile.persona,
            income: profile.annual_income,
            transactions: None,
            findings,
            as_of: profile.plan.as_of,
            overlaps: profile.matched_personas.is_some(),
        }
    }

    /// [`Checker::check`] for a profile read with its transactions (every
    /// transaction of the user, in any order), which are checked too: each
    /// must be of one of the profile's accounts, and the reference detector
    /// (`spendsense-signals`), reading only the accounts, the cards'
    /// liabilities ([`card_liabilities`] of the plan's card terms and these
    /// transactions) and the transactions, must find exactly the profile's
    /// personas (its `matched_personas`, else its persona; none for control)
    /// in both windows.
    pub fn check_with_transactions(
        &self,
        profile: &UserProfile,
        line: Option<u64>,
        transactions: &[Transaction],
    ) -> Checked {
        let mut checked = self.check(profile, line);
        checked.transactions = Some(transactions.len() as u64);
        let id = profile.user_id.as_str();
        let mut foreign = transactions.iter().enumerate().filter(|(_, t)| {
            !profile
                .accounts
                .iter()
                .any(|a| a.account_id == t.account_id)
        });
        if let Some((at, first)) = foreign.next() {
            let message = format!(
                "transaction `{}` names account `{}`, which {id} does not have ({} such transaction(s)); the detector reads only the user's own accounts",
                first.transaction_id,
                first.account_id,
                foreign.count() + 1
            );
            checked.findings.push(Finding {
                rule: RULE_TRANSACTION_ACCOUNT,
                path: format!("transactions[{at}].account_id"),
                message,
            });
        }
        let liabilities = card_liabilities(&profile.plan.cards, transactions);
        let item = Item {
            accounts: &profile.accounts,
            liabilities: &liabilities,
            transactions,
        };
        let detection = detect(&item, profile.plan.as_of, &self.personas.criteria);
        let expected = PersonaSet::expected_of(profile);
        for window in Window::BOTH {
            let detected = detection.window(window).personas;
            if detected != expected {
                let message = format!(
                    "the reference detector reads {id}'s {} transactions as {detected}; a `{}` profile must read as {expected}",
                    window.as_str(),
                    profile.persona
                );
                checked.findings.push(Finding {
                    rule: RULE_DETECTOR_MISMATCH,
                    path: "transactions".to_string(),
                    message,
                });
            }
        }
        checked
    }
}
