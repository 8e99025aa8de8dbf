//! Structural validation of profiles and accounts.
//!
//! Validation collects *every* violation with the JSON path where it occurs,
//! so a user fixes a file in one pass. Persona rules (ranges, classification)
//! are checked by `spendsense-personas`; this module checks only what any
//! SpendSense profile must satisfy.

use std::collections::HashSet;
use std::fmt;

use rust_decimal::Decimal;

use crate::money::MAX_SCALE;
use crate::reference::{is_iso_currency, is_us_state};
use crate::{Account, AccountType, IncomeStability, PayFrequency, UserProfile};

/// One broken rule at one place in a profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// JSON path inside the profile, e.g. `accounts[1].balances.limit`.
    pub path: String,
    /// Stable rule name, e.g. `credit-limit-missing`.
    pub rule: &'static str,
    /// What is wrong, with the offending value and what is allowed.
    pub message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} ({})", self.path, self.message, self.rule)
    }
}

/// Youngest and oldest ages a profile may carry.
pub const AGE_RANGE: (u8, u8) = (18, 100);

/// Collects violations under a path prefix.
struct Collector<'a> {
    out: &'a mut Vec<Violation>,
    prefix: String,
}

impl Collector<'_> {
    fn push(&mut self, field: &str, rule: &'static str, message: String) {
        let path = match (self.prefix.is_empty(), field.is_empty()) {
            (true, _) => field.to_string(),
            (false, true) => self.prefix.clone(),
            (false, false) => format!("{}.{field}", self.prefix),
        };
        self.out.push(Violation {
            path,
            rule,
            message,
        });
    }

    fn amount(&mut self, field: &str, value: Decimal) {
        if value.scale() > MAX_SCALE {
            self.push(
                field,
                "amount-scale",
                format!(
                    "{value} has {} decimals; at most {MAX_SCALE} allowed",
                    value.scale()
                ),
            );
        }
    }

    /// Checks the sign only; callers check the scale with [`Collector::amount`]
    /// once, so a value is never reported twice.
    fn non_negative(&mut self, field: &str, value: Decimal) {
        if value.is_sign_negative() && !value.is_zero() {
            self.push(
                field,
                "negative-amount",
                format!("{value} is negative; must be >= 0"),
            );
        }
    }
}

/// Validates one profile, returning every violation found (empty when valid).
pub fn validate_profile(profile: &UserProfile) -> Vec<Violation> {
    let mut out = Vec::new();
    let mut c = Collector {
        out: &mut out,
        prefix: String::new(),
    };
    if profile.user_id.trim().is_empty() {
        c.push("user_id", "empty-field", "user_id is empty".into());
    }
    if profile.name.trim().is_empty() {
        c.push("name", "empty-field", "name is empty".into());
    }
    c.amount("annual_income", profile.annual_income);
    if profile.annual_income <= Decimal::ZERO {
        c.push(
            "annual_income",
            "income-not-positive",
            format!("{} must be > 0", profile.annual_income),
        );
    }
    let age = profile.demographics.age;
    if !(AGE_RANGE.0..=AGE_RANGE.1).contains(&age) {
        c.push(
            "demographics.age",
            "age-range",
            format!("{age} is outside {}..={}", AGE_RANGE.0, AGE_RANGE.1),
        );
    }
    let state = &profile.demographics.state;
    if !is_us_state(state) {
        c.push(
            "demographics.state",
            "unknown-state",
            format!("`{state}` is not a USPS code of a US state or DC"),
        );
    }
    validate_characteristics(profile, &mut c);
    validate_identity(profile, &mut c);
    drop(c);

    let mut ids = HashSet::new();
    let mut masks = HashSet::new();
    for (index, account) in profile.accounts.iter().enumerate() {
        let mut c = Collector {
            out: &mut out,
            prefix: format!("accounts[{index}]"),
        };
        if !ids.insert(account.account_id.as_str()) {
            let message = format!(
                "account_id `{}` repeats within the profile",
                account.account_id
            );
            c.push("account_id", "duplicate-account-id", message);
        }
        if let Some(mask) = &account.mask
            && !masks.insert(mask.as_str())
        {
            c.push(
                "mask",
                "duplicate-mask",
                format!("mask `{mask}` repeats within the profile"),
            );
        }
        validate_account_into(account, &mut c);
    }
    out
}

fn validate_characteristics(profile: &UserProfile, c: &mut Collector<'_>) {
    let traits = &profile.characteristics;
    let utilization = traits.target_credit_utilization;
    c.amount("characteristics.target_credit_utilization", utilization);
    if utilization < Decimal::ZERO || utilization > Decimal::ONE {
        c.push(
            "characteristics.target_credit_utilization",
            "utilization-range",
            format!("{utilization} is outside 0..=1"),
        );
    }
    let savings = traits.target_savings_monthly;
    c.amount("characteristics.target_savings_monthly", savings);
    c.non_negative("characteristics.target_savings_monthly", savings);
    let irregular_pay = traits.pay_frequency == PayFrequency::Irregular;
    let irregular_income = traits.income_stability == IncomeStability::Irregular;
    if irregular_pay != irregular_income {
        c.push(
            "characteristics.income_stability",
            "pay-schedule-mismatch",
            format!(
                "income_stability {:?} contradicts pay_frequency {:?}; irregular pay goes with irregular income",
                traits.income_stability, traits.pay_frequency
            ),
        );
    }
    if let Some(nominal) = traits.pay_frequency.nominal_gap_days()
        && traits.median_pay_gap_days != nominal
    {
        c.push(
            "characteristics.median_pay_gap_days",
            "pay-gap-mismatch",
            format!(
                "{} days contradicts {:?} pay; expected {nominal}",
                traits.median_pay_gap_days, traits.pay_frequency
            ),
        );
    }
    if traits.median_pay_gap_days == 0 {
        c.push(
            "characteristics.median_pay_gap_days",
            "pay-gap-zero",
            "0 days; must be >= 1".into(),
        );
    }
}

/// Domains reserved for documentation by RFC 2606: mail to them goes nowhere.
pub const RESERVED_EMAIL_DOMAINS: [&str; 3] = ["example.com", "example.org", "example.net"];

/// Whether `phone` is `+1-NXX-555-01XX`, a number reserved for fiction.
fn is_fictional_phone(phone: &str) -> bool {
    let bytes = phone.as_bytes();
    let digits = |range: std::ops::Range<usize>| {
        bytes
            .get(range)
            .is_some_and(|d| d.iter().all(u8::is_ascii_digit))
    };
    bytes.len() == 15
        && phone.starts_with("+1-")
        && digits(3..6)
        && bytes[3] >= b'2'
        && &phone[6..13] == "-555-01"
        && digits(13..15)
}

fn validate_identity(profile: &UserProfile, c: &mut Collector<'_>) {
    let identity = &profile.identity;
    let domain = identity.email.rsplit_once('@');
    match domain {
        Some((local, domain))
            if !local.is_empty()
                && !local.contains(char::is_whitespace)
                && RESERVED_EMAIL_DOMAINS.contains(&domain) => {}
        _ => c.push(
            "identity.email",
            "email-not-reserved",
            format!(
                "`{}` is not an address at example.com, example.org or example.net",
                identity.email
            ),
        ),
    }
    if !is_fictional_phone(&identity.phone_number) {
        c.push(
            "identity.phone_number",
            "phone-not-fictional",
            format!(
                "`{}` is not a fictional number +1-NXX-555-0100 to +1-NXX-555-0199",
                identity.phone_number
            ),
        );
    }
    let address = &identity.address;
    for (field, value) in [("street", &address.street), ("city", &address.city)] {
        if value.trim().is_empty() {
            c.push(
                &format!("identity.address.{field}"),
                "empty-field",
                format!("{field} is empty"),
            );
        }
    }
    if address.region != profile.demographics.state {
        c.push(
            "identity.address.region",
            "region-mismatch",
            format!(
                "`{}` differs from demographics.state `{}`",
                address.region, profile.demographics.state
            ),
        );
    }
    if address.postal_code.len() != 5 || !address.postal_code.bytes().all(|b| b.is_ascii_digit()) {
        c.push(
            "identity.address.postal_code",
            "postal-code-format",
            format!("`{}` is not a 5-digit ZIP code", address.postal_code),
        );
    }
    if address.country != "US" {
        c.push(
            "identity.address.country",
            "country-not-us",
            format!("`{}` is not `US`", address.country),
        );
    }
}

/// Validates one account on its own, with paths relative to the account.
pub fn validate_account(account: &Account) -> Vec<Violation> {
    let mut out = Vec::new();
    validate_account_into(
        account,
        &mut Collector {
            out: &mut out,
            prefix: String::new(),
        },
    );
    out
}

fn validate_account_into(account: &Account, c: &mut Collector<'_>) {
    if account.account_id.trim().is_empty() {
        c.push("account_id", "empty-field", "account_id is empty".into());
    }
    if account.name.trim().is_empty() {
        c.push("name", "empty-field", "name is empty".into());
    }
    if account.subtype.account_type() != account.account_type {
        c.push(
            "subtype",
            "type-subtype-mismatch",
            format!(
                "subtype `{}` is not valid under type `{}`; it belongs to `{}`",
                account.subtype.as_str(),
                account.account_type.as_str(),
                account.subtype.account_type().as_str()
            ),
        );
    }
    match &account.mask {
        None => c.push(
            "mask",
            "mask-missing",
            "mask is null; expected 4 digits".into(),
        ),
        Some(mask) if mask.len() != 4 || !mask.bytes().all(|b| b.is_ascii_digit()) => c.push(
            "mask",
            "mask-format",
            format!("`{mask}` is not exactly 4 digits"),
        ),
        Some(_) => {}
    }
    validate_currency(account, c);
    validate_balances(account, c);
}

fn validate_currency(account: &Account, c: &mut Collector<'_>) {
    let b = &account.balances;
    match (&b.iso_currency_code, &b.unofficial_currency_code) {
        (Some(iso), None) if !is_iso_currency(iso) => c.push(
            "balances.iso_currency_code",
            "unknown-currency",
            format!("`{iso}` is not an active ISO 4217 code such as USD"),
        ),
        (Some(_), None) | (None, Some(_)) => {}
        (Some(_), Some(_)) => c.push(
            "balances",
            "currency-ambiguous",
            "both iso_currency_code and unofficial_currency_code are set; exactly one must be"
                .into(),
        ),
        (None, None) => c.push(
            "balances",
            "currency-missing",
            "neither iso_currency_code nor unofficial_currency_code is set; exactly one must be"
                .into(),
        ),
    }
}

fn validate_balances(account: &Account, c: &mut Collector<'_>) {
    let b = &account.balances;
    for (field, value) in [
        ("available", b.available),
        ("current", b.current),
        ("limit", b.limit),
    ] {
        if let Some(value) = value {
            c.amount(&format!("balances.{field}"), value);
        }
    }
    let Some(current) = b.current else {
        c.push(
            "balances.current",
            "balance-missing",
            "current is null; expected an amount".into(),
        );
        return;
    };
    match account.account_type {
        AccountType::Credit => {
            let Some(limit) = b.limit else {
                c.push(
                    "balances.limit",
                    "credit-limit-missing",
                    "credit account has no limit; expected an amount > 0".into(),
                );
                return;
            };
            if limit <= Decimal::ZERO {
                c.push(
                    "balances.limit",
                    "credit-limit-range",
                    format!("{limit} must be > 0"),
                );
            }
            if current < Decimal::ZERO || current > limit {
                c.push(
                    "balances.current",
                    "credit-balance-range",
                    format!("{current} is outside 0..={limit} (the limit)"),
                );
            }
            let expected = limit.checked_sub(current);
            if expected.is_none() || b.available != expected {
                c.push(
                    "balances.available",
                    "available-inconsistent",
                    format!(
                        "{} should be limit - current = {}",
                        show(b.available),
                        expected.map_or_else(|| "out of range".to_string(), |e| e.to_string())
                    ),
                );
            }
        }
        AccountType::Depository => {
            c.non_negative("balances.current", current);
            match b.available {
                Some(available) if available >= Decimal::ZERO && available <= current => {}
                other => c.push(
                    "balances.available",
                    "available-inconsistent",
                    format!(
                        "{} should be between 0 and current ({current})",
                        show(other)
                    ),
                ),
            }
            if let Some(limit) = b.limit {
                c.push(
                    "balances.limit",
                    "depository-limit",
                    format!("{limit} set on a depository account; expected null"),
                );
            }
        }
        AccountType::Loan => c.non_negative("balances.current", current),
    }
}

fn show(value: Option<Decimal>) -> String {
    value.map_or_else(|| "null".to_string(), |v| v.to_string())
}
