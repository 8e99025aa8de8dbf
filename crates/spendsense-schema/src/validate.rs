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
use crate::{
    ANNUAL_INCOME_RANGE, Account, AccountType, IncomeStability, PayFrequency, UserProfile,
};

/// One broken rule at one place in a profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// JSON path inside the profile, e.g. `accounts[1].balances.limit`.
    pub path: String,
    /// Stable rule name, e.g. `credit-limit-missing`: one of [`Rule::ALL`]
    /// here, or a persona rule of `spendsense-personas`.
    pub rule: &'static str,
    /// What is wrong, with the offending value and what is allowed.
    pub message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} ({})", self.path, self.message, self.rule)
    }
}

/// Whether the JSON Schema ([`crate::json_schema`], feature `json-schema`)
/// states a validation rule as well.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InJsonSchema {
    /// The schema rejects every profile that breaks the rule (a test in this
    /// crate checks one such profile per rule).
    Stated,
    /// JSON Schema cannot state the rule, for the reason given; only
    /// validation checks it.
    NotExpressible(&'static str),
}

/// One rule of [`validate_profile`]: its stable name, as [`Violation::rule`]
/// carries it, and whether the JSON Schema states it too.
///
/// Validation reports only these rules, and each must say where the JSON
/// Schema stands: adding a rule without that does not compile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// Stable name, e.g. `credit-limit-missing`.
    pub name: &'static str,
    /// Whether the JSON Schema states the rule.
    pub in_json_schema: InJsonSchema,
}

/// Declares each rule as a `Rule` constant and lists them all in [`Rule::ALL`],
/// so that the list cannot miss one.
macro_rules! rules {
    ($($(#[$doc:meta])* $id:ident = $name:literal, $how:expr;)*) => {
        impl Rule {
            $($(#[$doc])* pub const $id: Rule = Rule { name: $name, in_json_schema: $how };)*

            /// Every rule of [`validate_profile`], in the order it checks them.
            pub const ALL: &'static [Rule] = &[$(Rule::$id,)*];
        }
    };
}

rules! {
    /// A required text field (`user_id`, `name`, `street`, `city`, `account_id`, an account's `name`) is blank.
    EMPTY_FIELD = "empty-field", InJsonSchema::Stated;
    /// An amount has more than [`MAX_SCALE`] decimals.
    AMOUNT_SCALE = "amount-scale", InJsonSchema::NotExpressible(
        "`multipleOf: 0.01` is evaluated in binary floating point by most validators, which then refuse valid amounts such as 0.07",
    );
    /// `annual_income` is zero or negative.
    INCOME_NOT_POSITIVE = "income-not-positive", InJsonSchema::Stated;
    /// A positive `annual_income` lies outside [`ANNUAL_INCOME_RANGE`](crate::ANNUAL_INCOME_RANGE).
    INCOME_RANGE = "income-range", InJsonSchema::Stated;
    /// `demographics.age` lies outside [`AGE_RANGE`].
    AGE_RANGE = "age-range", InJsonSchema::Stated;
    /// `demographics.state` is not a US state or DC.
    UNKNOWN_STATE = "unknown-state", InJsonSchema::Stated;
    /// `target_credit_utilization` lies outside 0 to 1.
    UTILIZATION_RANGE = "utilization-range", InJsonSchema::Stated;
    /// `target_savings_monthly`, or a depository or loan `current` balance, is negative.
    NEGATIVE_AMOUNT = "negative-amount", InJsonSchema::Stated;
    /// `income_stability` contradicts `pay_frequency`.
    PAY_SCHEDULE_MISMATCH = "pay-schedule-mismatch", InJsonSchema::Stated;
    /// `median_pay_gap_days` is not the nominal gap of a fixed `pay_frequency`.
    PAY_GAP_MISMATCH = "pay-gap-mismatch", InJsonSchema::Stated;
    /// `median_pay_gap_days` is 0.
    PAY_GAP_ZERO = "pay-gap-zero", InJsonSchema::Stated;
    /// The email is not at a domain of [`RESERVED_EMAIL_DOMAINS`].
    EMAIL_NOT_RESERVED = "email-not-reserved", InJsonSchema::Stated;
    /// The phone number is not in the 555-0100 to 555-0199 range reserved for fiction.
    PHONE_NOT_FICTIONAL = "phone-not-fictional", InJsonSchema::Stated;
    /// `identity.address.region` differs from `demographics.state`.
    REGION_MISMATCH = "region-mismatch", InJsonSchema::NotExpressible(
        "it compares two fields, and JSON Schema cannot refer to another value (short of one if/then per state)",
    );
    /// The postal code is not five digits.
    POSTAL_CODE_FORMAT = "postal-code-format", InJsonSchema::Stated;
    /// The country is not `US`.
    COUNTRY_NOT_US = "country-not-us", InJsonSchema::Stated;
    /// Two accounts of one profile share an `account_id`.
    DUPLICATE_ACCOUNT_ID = "duplicate-account-id", InJsonSchema::NotExpressible(
        "it is uniqueness of one field across array items, and `uniqueItems` compares whole items",
    );
    /// Two accounts of one profile share a `mask`.
    DUPLICATE_MASK = "duplicate-mask", InJsonSchema::NotExpressible(
        "it is uniqueness of one field across array items, and `uniqueItems` compares whole items",
    );
    /// An account's `subtype` does not belong to its `type`.
    TYPE_SUBTYPE_MISMATCH = "type-subtype-mismatch", InJsonSchema::Stated;
    /// An account's `mask` is null.
    MASK_MISSING = "mask-missing", InJsonSchema::Stated;
    /// An account's `mask` is not four digits.
    MASK_FORMAT = "mask-format", InJsonSchema::Stated;
    /// `iso_currency_code` is not an active ISO 4217 code.
    UNKNOWN_CURRENCY = "unknown-currency", InJsonSchema::Stated;
    /// Both currency codes are set.
    CURRENCY_AMBIGUOUS = "currency-ambiguous", InJsonSchema::Stated;
    /// Neither currency code is set.
    CURRENCY_MISSING = "currency-missing", InJsonSchema::Stated;
    /// `current` is null.
    BALANCE_MISSING = "balance-missing", InJsonSchema::Stated;
    /// A credit account has no `limit`.
    CREDIT_LIMIT_MISSING = "credit-limit-missing", InJsonSchema::Stated;
    /// A credit account's `limit` is not positive.
    CREDIT_LIMIT_RANGE = "credit-limit-range", InJsonSchema::Stated;
    /// A credit account's `current` lies outside 0 to `limit`.
    CREDIT_BALANCE_RANGE = "credit-balance-range", InJsonSchema::NotExpressible(
        "it compares `current` with `limit`; the schema states only `current >= 0`",
    );
    /// `available` is not `limit - current` (credit) or between 0 and `current` (depository).
    AVAILABLE_INCONSISTENT = "available-inconsistent", InJsonSchema::NotExpressible(
        "it is arithmetic between balances; the schema states only `available >= 0` for credit and depository accounts",
    );
    /// A depository account has a `limit`.
    DEPOSITORY_LIMIT = "depository-limit", InJsonSchema::Stated;
}

/// Youngest and oldest ages a profile may carry.
pub const AGE_RANGE: (u8, u8) = (18, 100);

/// Collects violations under a path prefix.
struct Collector<'a> {
    out: &'a mut Vec<Violation>,
    prefix: String,
}

impl Collector<'_> {
    fn push(&mut self, field: &str, rule: Rule, message: String) {
        let path = match (self.prefix.is_empty(), field.is_empty()) {
            (true, _) => field.to_string(),
            (false, true) => self.prefix.clone(),
            (false, false) => format!("{}.{field}", self.prefix),
        };
        self.out.push(Violation {
            path,
            rule: rule.name,
            message,
        });
    }

    fn amount(&mut self, field: &str, value: Decimal) {
        if value.scale() > MAX_SCALE {
            self.push(
                field,
                Rule::AMOUNT_SCALE,
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
                Rule::NEGATIVE_AMOUNT,
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
        c.push("user_id", Rule::EMPTY_FIELD, "user_id is empty".into());
    }
    if profile.name.trim().is_empty() {
        c.push("name", Rule::EMPTY_FIELD, "name is empty".into());
    }
    c.amount("annual_income", profile.annual_income);
    let (lowest, highest) = ANNUAL_INCOME_RANGE;
    if profile.annual_income <= Decimal::ZERO {
        // Kept apart from `income-range`, and reported instead of it: a
        // non-positive income is a different mistake from an implausible one,
        // and tools match on this rule name.
        c.push(
            "annual_income",
            Rule::INCOME_NOT_POSITIVE,
            format!("{} must be > 0", profile.annual_income),
        );
    } else if profile.annual_income < Decimal::from(lowest)
        || profile.annual_income > Decimal::from(highest)
    {
        c.push(
            "annual_income",
            Rule::INCOME_RANGE,
            format!("{} is outside {lowest}..={highest}", profile.annual_income),
        );
    }
    let age = profile.demographics.age;
    if !(AGE_RANGE.0..=AGE_RANGE.1).contains(&age) {
        c.push(
            "demographics.age",
            Rule::AGE_RANGE,
            format!("{age} is outside {}..={}", AGE_RANGE.0, AGE_RANGE.1),
        );
    }
    let state = &profile.demographics.state;
    if !is_us_state(state) {
        c.push(
            "demographics.state",
            Rule::UNKNOWN_STATE,
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
            c.push("account_id", Rule::DUPLICATE_ACCOUNT_ID, message);
        }
        if let Some(mask) = &account.mask
            && !masks.insert(mask.as_str())
        {
            c.push(
                "mask",
                Rule::DUPLICATE_MASK,
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
            Rule::UTILIZATION_RANGE,
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
            Rule::PAY_SCHEDULE_MISMATCH,
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
            Rule::PAY_GAP_MISMATCH,
            format!(
                "{} days contradicts {:?} pay; expected {nominal}",
                traits.median_pay_gap_days, traits.pay_frequency
            ),
        );
    }
    if traits.median_pay_gap_days == 0 {
        c.push(
            "characteristics.median_pay_gap_days",
            Rule::PAY_GAP_ZERO,
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
        // Compared as bytes: slicing the `str` would panic when a multi-byte
        // character straddles byte 13.
        && &bytes[6..13] == b"-555-01"
        && digits(13..15)
}

fn validate_identity(profile: &UserProfile, c: &mut Collector<'_>) {
    let identity = &profile.identity;
    let domain = identity.email.rsplit_once('@');
    match domain {
        Some((local, domain))
            // `rsplit_once` leaves any other `@` in `local`; the schema's
            // pattern refuses those too.
            if !local.is_empty()
                && !local.contains(|c: char| c == '@' || c.is_whitespace())
                && RESERVED_EMAIL_DOMAINS.contains(&domain) => {}
        _ => c.push(
            "identity.email",
            Rule::EMAIL_NOT_RESERVED,
            format!(
                "`{}` is not an address at example.com, example.org or example.net",
                identity.email
            ),
        ),
    }
    if !is_fictional_phone(&identity.phone_number) {
        c.push(
            "identity.phone_number",
            Rule::PHONE_NOT_FICTIONAL,
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
                Rule::EMPTY_FIELD,
                format!("{field} is empty"),
            );
        }
    }
    if address.region != profile.demographics.state {
        c.push(
            "identity.address.region",
            Rule::REGION_MISMATCH,
            format!(
                "`{}` differs from demographics.state `{}`",
                address.region, profile.demographics.state
            ),
        );
    }
    if address.postal_code.len() != 5 || !address.postal_code.bytes().all(|b| b.is_ascii_digit()) {
        c.push(
            "identity.address.postal_code",
            Rule::POSTAL_CODE_FORMAT,
            format!("`{}` is not a 5-digit ZIP code", address.postal_code),
        );
    }
    if address.country != "US" {
        c.push(
            "identity.address.country",
            Rule::COUNTRY_NOT_US,
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
        c.push(
            "account_id",
            Rule::EMPTY_FIELD,
            "account_id is empty".into(),
        );
    }
    if account.name.trim().is_empty() {
        c.push("name", Rule::EMPTY_FIELD, "name is empty".into());
    }
    if account.subtype.account_type() != account.account_type {
        c.push(
            "subtype",
            Rule::TYPE_SUBTYPE_MISMATCH,
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
            Rule::MASK_MISSING,
            "mask is null; expected 4 digits".into(),
        ),
        Some(mask) if mask.len() != 4 || !mask.bytes().all(|b| b.is_ascii_digit()) => c.push(
            "mask",
            Rule::MASK_FORMAT,
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
            Rule::UNKNOWN_CURRENCY,
            format!("`{iso}` is not an active ISO 4217 code such as USD"),
        ),
        (Some(_), None) | (None, Some(_)) => {}
        (Some(_), Some(_)) => c.push(
            "balances",
            Rule::CURRENCY_AMBIGUOUS,
            "both iso_currency_code and unofficial_currency_code are set; exactly one must be"
                .into(),
        ),
        (None, None) => c.push(
            "balances",
            Rule::CURRENCY_MISSING,
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
            Rule::BALANCE_MISSING,
            "current is null; expected an amount".into(),
        );
        return;
    };
    match account.account_type {
        AccountType::Credit => {
            let Some(limit) = b.limit else {
                c.push(
                    "balances.limit",
                    Rule::CREDIT_LIMIT_MISSING,
                    "credit account has no limit; expected an amount > 0".into(),
                );
                return;
            };
            if limit <= Decimal::ZERO {
                c.push(
                    "balances.limit",
                    Rule::CREDIT_LIMIT_RANGE,
                    format!("{limit} must be > 0"),
                );
            }
            if current < Decimal::ZERO || current > limit {
                c.push(
                    "balances.current",
                    Rule::CREDIT_BALANCE_RANGE,
                    format!("{current} is outside 0..={limit} (the limit)"),
                );
            }
            let expected = limit.checked_sub(current);
            if expected.is_none() || b.available != expected {
                c.push(
                    "balances.available",
                    Rule::AVAILABLE_INCONSISTENT,
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
                    Rule::AVAILABLE_INCONSISTENT,
                    format!(
                        "{} should be between 0 and current ({current})",
                        show(other)
                    ),
                ),
            }
            if let Some(limit) = b.limit {
                c.push(
                    "balances.limit",
                    Rule::DEPOSITORY_LIMIT,
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
