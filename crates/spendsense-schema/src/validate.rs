//! Structural validation of profiles and accounts.
//!
//! Validation collects *every* violation with the JSON path where it occurs,
//! so a user fixes a file in one pass. Persona rules (ranges, classification)
//! are checked by `spendsense-personas`; this module checks only what any
//! SpendSense profile must satisfy.

use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt;

use rust_decimal::Decimal;

use crate::money::MAX_SCALE;
use crate::reference::{is_iso_currency, is_us_state};
use crate::{
    ANNUAL_INCOME_RANGE, Account, AccountSubtype, AccountType, Cadence, CardPayment, CardPlan,
    Category, DUE_DAYS_AFTER_STATEMENT, Date, IncomeStability, MIN_HISTORY_DAYS, PayFrequency,
    Plan, UserProfile,
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

/// Whether the JSON Schema (module `json_schema`, feature `json-schema`)
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
    /// `target_savings_monthly`, a depository or loan `current` balance, or a
    /// plan's `monthly_expenses` or card amount (statement balance, minimum
    /// payment, interest) is negative.
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
    /// `plan.history_start` is less than [`MIN_HISTORY_DAYS`] days before `plan.as_of`, counting both ends.
    HISTORY_TOO_SHORT = "history-too-short", InJsonSchema::NotExpressible(
        "it is arithmetic between two dates; the schema states only their `YYYY-MM-DD` form",
    );
    /// A paycheck, first charge or first transfer lies outside `plan.history_start..=plan.as_of`.
    DATE_OUTSIDE_HISTORY = "date-outside-history", InJsonSchema::NotExpressible(
        "it compares a date with two other fields, and JSON Schema cannot refer to another value",
    );
    /// Paycheck dates are not strictly increasing.
    PAYCHECKS_OUT_OF_ORDER = "paychecks-out-of-order", InJsonSchema::NotExpressible(
        "it compares array items with each other, which JSON Schema cannot",
    );
    /// A paycheck, recurring charge or savings transfer amount is zero or negative.
    AMOUNT_NOT_POSITIVE = "amount-not-positive", InJsonSchema::Stated;
    /// `plan.income.frequency` differs from `characteristics.pay_frequency`.
    INCOME_FREQUENCY_MISMATCH = "income-frequency-mismatch", InJsonSchema::Stated;
    /// A category's `primary` or `detailed` is not upper-case letters and `_`.
    CATEGORY_FORMAT = "category-format", InJsonSchema::Stated;
    /// A category's `detailed` does not start with its `primary` and `_`.
    CATEGORY_MISMATCH = "category-mismatch", InJsonSchema::NotExpressible(
        "it compares two fields, and JSON Schema cannot refer to another value",
    );
    /// A monthly charge's `first_charge` falls on day 29, 30 or 31.
    CHARGE_DAY_RANGE = "charge-day-range", InJsonSchema::Stated;
    /// A plan names an account id the profile does not have.
    PLAN_ACCOUNT_UNKNOWN = "plan-account-unknown", InJsonSchema::NotExpressible(
        "it refers to the ids of `accounts`, and JSON Schema cannot refer to another value",
    );
    /// A plan names an account of the wrong kind: a recurring charge on neither
    /// checking nor a credit card, a card plan on a non-card, savings transfers
    /// not from checking or not into savings.
    PLAN_ACCOUNT_KIND = "plan-account-kind", InJsonSchema::NotExpressible(
        "it looks up the type of another array's item by id, which JSON Schema cannot",
    );
    /// The card plans do not name each credit card exactly once, in account order.
    CARD_PLANS_MISMATCH = "card-plans-mismatch", InJsonSchema::NotExpressible(
        "it matches one array against the items of another, which JSON Schema cannot",
    );
    /// A card's `purchase_apr` lies outside 0 to 100.
    APR_RANGE = "apr-range", InJsonSchema::Stated;
    /// A card's `statement_day` lies outside 1 to 28.
    STATEMENT_DAY_RANGE = "statement-day-range", InJsonSchema::Stated;
    /// A card's `is_overdue` is not exactly whether its `payment` is `overdue`.
    OVERDUE_MISMATCH = "overdue-mismatch", InJsonSchema::Stated;
    /// A card's `interest_per_statement` is zero when it is not paid in full, or not zero when it is.
    INTEREST_MISMATCH = "interest-mismatch", InJsonSchema::Stated;
    /// A card's `next_payment_due_date` is not its last statement date on or
    /// before `as_of` plus [`DUE_DAYS_AFTER_STATEMENT`] days.
    DUE_DATE_MISMATCH = "due-date-mismatch", InJsonSchema::NotExpressible(
        "it is calendar arithmetic on `as_of` and `statement_day`, which JSON Schema cannot do",
    );
}

/// Youngest and oldest ages a profile may carry.
pub const AGE_RANGE: (u8, u8) = (18, 100);

/// A field path, spelled out only when a violation names it: a profile has
/// dozens of paychecks and charges, and formatting each one's paths up front
/// cost validation a sixth of its time.
trait FieldPath {
    fn spell(&self) -> Cow<'_, str>;
}

impl FieldPath for str {
    fn spell(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
}

impl FieldPath for String {
    fn spell(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
}

/// `list[index].field`, or `list[index]` when `field` is empty.
struct Item<'a> {
    list: &'a str,
    index: usize,
    field: &'a str,
}

impl FieldPath for Item<'_> {
    fn spell(&self) -> Cow<'_, str> {
        let Item { list, index, field } = self;
        Cow::Owned(if field.is_empty() {
            format!("{list}[{index}]")
        } else {
            format!("{list}[{index}].{field}")
        })
    }
}

fn item<'a>(list: &'a str, index: usize, field: &'a str) -> Item<'a> {
    Item { list, index, field }
}

/// Collects violations under a path prefix.
struct Collector<'a> {
    out: &'a mut Vec<Violation>,
    prefix: String,
}

impl Collector<'_> {
    fn push(&mut self, field: &(impl FieldPath + ?Sized), rule: Rule, message: String) {
        let field = field.spell();
        let path = match (self.prefix.is_empty(), field.is_empty()) {
            (true, _) => field.into_owned(),
            (false, true) => self.prefix.clone(),
            (false, false) => format!("{}.{field}", self.prefix),
        };
        self.out.push(Violation {
            path,
            rule: rule.name,
            message,
        });
    }

    fn amount(&mut self, field: &(impl FieldPath + ?Sized), value: Decimal) {
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
    fn non_negative(&mut self, field: &(impl FieldPath + ?Sized), value: Decimal) {
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
            format!("{} is not a USPS code of a US state or DC", quoted(state)),
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
                "account_id {} repeats within the profile",
                quoted(&account.account_id)
            );
            c.push("account_id", Rule::DUPLICATE_ACCOUNT_ID, message);
        }
        if let Some(mask) = &account.mask
            && !masks.insert(mask.as_str())
        {
            c.push(
                "mask",
                Rule::DUPLICATE_MASK,
                format!("mask {} repeats within the profile", quoted(mask)),
            );
        }
        validate_account_into(account, &mut c);
    }
    validate_plan(
        profile,
        &mut Collector {
            out: &mut out,
            prefix: "plan".into(),
        },
    );
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
                "{} is not an address at example.com, example.org or example.net",
                quoted(&identity.email)
            ),
        ),
    }
    if !is_fictional_phone(&identity.phone_number) {
        c.push(
            "identity.phone_number",
            Rule::PHONE_NOT_FICTIONAL,
            format!(
                "{} is not a fictional number +1-NXX-555-0100 to +1-NXX-555-0199",
                quoted(&identity.phone_number)
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
                "{} differs from demographics.state {}",
                quoted(&address.region),
                quoted(&profile.demographics.state)
            ),
        );
    }
    if address.postal_code.len() != 5 || !address.postal_code.bytes().all(|b| b.is_ascii_digit()) {
        c.push(
            "identity.address.postal_code",
            Rule::POSTAL_CODE_FORMAT,
            format!("{} is not a 5-digit ZIP code", quoted(&address.postal_code)),
        );
    }
    if address.country != "US" {
        c.push(
            "identity.address.country",
            Rule::COUNTRY_NOT_US,
            format!("{} is not `US`", quoted(&address.country)),
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
            format!("{} is not exactly 4 digits", quoted(mask)),
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
            format!("{} is not an active ISO 4217 code such as USD", quoted(iso)),
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

/// Longest piece of input text a message quotes, in characters.
const MAX_QUOTED_CHARS: usize = 80;

/// `text` escaped and clipped for a message: an id read from a file cannot
/// move the cursor or flood a terminal.
fn quoted(text: &str) -> String {
    format!("`{}`", crate::text::escape_clipped(text, MAX_QUOTED_CHARS))
}

impl Collector<'_> {
    /// `amount-scale` and `amount-not-positive` for an amount that must be > 0.
    fn positive(&mut self, field: &(impl FieldPath + ?Sized), value: Decimal) {
        self.amount(field, value);
        if value <= Decimal::ZERO {
            self.push(
                field,
                Rule::AMOUNT_NOT_POSITIVE,
                format!("{value} must be > 0"),
            );
        }
    }

    /// `amount-scale` and `negative-amount` for an amount that must be >= 0.
    fn not_negative_amount(&mut self, field: &(impl FieldPath + ?Sized), value: Decimal) {
        self.amount(field, value);
        self.non_negative(field, value);
    }

    /// `empty-field` for required text.
    fn text(&mut self, field: &(impl FieldPath + ?Sized), value: &str) {
        if value.trim().is_empty() {
            let field = field.spell();
            let name = field.rsplit('.').next().unwrap_or(&field);
            let message = format!("{name} is empty");
            self.push(&*field, Rule::EMPTY_FIELD, message);
        }
    }

    /// `date-outside-history` for an event date of the plan.
    fn in_history(&mut self, field: &(impl FieldPath + ?Sized), date: Date, plan: &Plan) {
        if date < plan.history_start || date > plan.as_of {
            self.push(
                field,
                Rule::DATE_OUTSIDE_HISTORY,
                format!(
                    "{date} is outside the history {}..={}",
                    plan.history_start, plan.as_of
                ),
            );
        }
    }
}

/// What an account id of the plan names in the profile.
fn account_kind<'a>(profile: &'a UserProfile, id: &str) -> Option<&'a Account> {
    profile.accounts.iter().find(|a| a.account_id == id)
}

fn validate_plan(profile: &UserProfile, c: &mut Collector<'_>) {
    let plan = &profile.plan;
    let days = plan.history_start.days_until(plan.as_of) + 1;
    if days < MIN_HISTORY_DAYS {
        c.push(
            "history_start",
            Rule::HISTORY_TOO_SHORT,
            format!(
                "{} to as_of {} covers {days} days; at least {MIN_HISTORY_DAYS} required",
                plan.history_start, plan.as_of
            ),
        );
    }

    let income = &plan.income;
    c.text("income.employer", &income.employer);
    let pay_frequency = profile.characteristics.pay_frequency;
    if income.frequency != pay_frequency {
        c.push(
            "income.frequency",
            Rule::INCOME_FREQUENCY_MISMATCH,
            format!(
                "`{}` differs from characteristics.pay_frequency `{}`",
                income.frequency.as_str(),
                pay_frequency.as_str()
            ),
        );
    }
    let mut previous: Option<Date> = None;
    for (i, paycheck) in income.paychecks.iter().enumerate() {
        let at = |field| item("income.paychecks", i, field);
        c.in_history(&at("date"), paycheck.date, plan);
        if let Some(previous) = previous
            && paycheck.date <= previous
        {
            c.push(
                &at("date"),
                Rule::PAYCHECKS_OUT_OF_ORDER,
                format!(
                    "{} is not after the previous paycheck's {previous}; paychecks are oldest first, one a day at most",
                    paycheck.date
                ),
            );
        }
        previous = Some(paycheck.date);
        c.positive(&at("amount"), paycheck.amount);
    }
    c.not_negative_amount("monthly_expenses", plan.monthly_expenses);

    for (i, charge) in plan.recurring.iter().enumerate() {
        let at = |field| item("recurring", i, field);
        c.text(&at("merchant"), &charge.merchant);
        validate_category(&charge.category, &at("category"), c);
        c.positive(&at("amount"), charge.amount);
        c.in_history(&at("first_charge"), charge.first_charge, plan);
        if charge.cadence == Cadence::Monthly && charge.first_charge.day() > 28 {
            c.push(
                &at("first_charge"),
                Rule::CHARGE_DAY_RANGE,
                format!(
                    "{} is on day {}; a monthly charge repeats on day 1 to 28",
                    charge.first_charge,
                    charge.first_charge.day()
                ),
            );
        }
        let field = at("account_id");
        if c.account(profile, &field, &charge.account_id)
            .is_some_and(|account| {
                account.subtype != AccountSubtype::Checking && !account.is_credit_card()
            })
        {
            c.push(
                &field,
                Rule::PLAN_ACCOUNT_KIND,
                format!(
                    "{} is a {} account; a recurring charge is paid from checking or a credit card",
                    quoted(&charge.account_id),
                    kind_of(profile, &charge.account_id)
                ),
            );
        }
    }

    for (i, card) in plan.cards.iter().enumerate() {
        validate_card(profile, card, &format!("cards[{i}]"), c);
    }
    let planned: Vec<&str> = plan
        .cards
        .iter()
        .map(|card| card.account_id.as_str())
        .filter(|id| account_kind(profile, id).is_some_and(Account::is_credit_card))
        .collect();
    let cards: Vec<&str> = profile
        .accounts
        .iter()
        .filter(|a| a.is_credit_card())
        .map(|a| a.account_id.as_str())
        .collect();
    if planned != cards {
        let list = |ids: &[&str]| {
            let shown: Vec<String> = ids.iter().map(|id| quoted(id)).collect();
            format!("[{}]", shown.join(", "))
        };
        c.push(
            "cards",
            Rule::CARD_PLANS_MISMATCH,
            format!(
                "card plans name the cards {}; expected one per credit card, in account order: {}",
                list(&planned),
                list(&cards)
            ),
        );
    }

    if let Some(transfers) = &plan.savings_transfers {
        let at = "savings_transfers";
        for (field, id, subtype) in [
            (
                "from_account_id",
                &transfers.from_account_id,
                AccountSubtype::Checking,
            ),
            (
                "to_account_id",
                &transfers.to_account_id,
                AccountSubtype::Savings,
            ),
        ] {
            let field = format!("{at}.{field}");
            if c.account(profile, &field, id)
                .is_some_and(|account| account.subtype != subtype)
            {
                c.push(
                    &field,
                    Rule::PLAN_ACCOUNT_KIND,
                    format!(
                        "{} is a {} account; expected {}",
                        quoted(id),
                        kind_of(profile, id),
                        subtype.as_str()
                    ),
                );
            }
        }
        c.positive(&format!("{at}.amount"), transfers.amount);
        c.in_history(
            &format!("{at}.first_transfer"),
            transfers.first_transfer,
            plan,
        );
    }
}

/// `subtype` of the account `id`, e.g. `credit card`, for messages.
fn kind_of(profile: &UserProfile, id: &str) -> &'static str {
    account_kind(profile, id).map_or("missing", |a| a.subtype.as_str())
}

impl Collector<'_> {
    /// `empty-field` and `plan-account-unknown` for an account id of the plan;
    /// the account it names, if any.
    fn account<'p>(
        &mut self,
        profile: &'p UserProfile,
        field: &(impl FieldPath + ?Sized),
        id: &str,
    ) -> Option<&'p Account> {
        self.text(field, id);
        let account = account_kind(profile, id);
        if account.is_none() && !id.trim().is_empty() {
            self.push(
                field,
                Rule::PLAN_ACCOUNT_UNKNOWN,
                format!("{} is not an account_id of the profile", quoted(id)),
            );
        }
        account
    }
}

/// Whether `text` is a Plaid category code: upper-case ASCII letters and `_`.
fn is_category_code(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_uppercase() || b == b'_')
}

fn validate_category(category: &Category, at: &(impl FieldPath + ?Sized), c: &mut Collector<'_>) {
    let mut codes = true;
    for (field, value) in [
        ("primary", &category.primary),
        ("detailed", &category.detailed),
    ] {
        if !is_category_code(value) {
            codes = false;
            c.push(
                &format!("{}.{field}", at.spell()),
                Rule::CATEGORY_FORMAT,
                format!(
                    "{} is not a Plaid category code of upper-case letters and `_`",
                    quoted(value)
                ),
            );
        }
    }
    let detailed_of_primary = category
        .detailed
        .strip_prefix(category.primary.as_str())
        .is_some_and(|rest| rest.len() > 1 && rest.starts_with('_'));
    if codes && !detailed_of_primary {
        c.push(
            &format!("{}.detailed", at.spell()),
            Rule::CATEGORY_MISMATCH,
            format!(
                "{} does not start with its primary category {} and `_`",
                quoted(&category.detailed),
                quoted(&category.primary)
            ),
        );
    }
}

fn validate_card(profile: &UserProfile, card: &CardPlan, at: &str, c: &mut Collector<'_>) {
    let field = format!("{at}.account_id");
    if c.account(profile, &field, &card.account_id)
        .is_some_and(|account| !account.is_credit_card())
    {
        c.push(
            &field,
            Rule::PLAN_ACCOUNT_KIND,
            format!(
                "{} is a {} account; a card plan belongs to a credit card",
                quoted(&card.account_id),
                kind_of(profile, &card.account_id)
            ),
        );
    }
    let apr = card.purchase_apr;
    c.amount(&format!("{at}.purchase_apr"), apr);
    if apr < Decimal::ZERO || apr > Decimal::ONE_HUNDRED {
        c.push(
            &format!("{at}.purchase_apr"),
            Rule::APR_RANGE,
            format!("{apr} is outside 0..=100 (percent a year)"),
        );
    }
    let day = card.statement_day;
    let day_ok = (1..=28).contains(&day);
    if !day_ok {
        c.push(
            &format!("{at}.statement_day"),
            Rule::STATEMENT_DAY_RANGE,
            format!("{day} is outside 1..=28"),
        );
    }
    for (field, value) in [
        ("last_statement_balance", card.last_statement_balance),
        ("minimum_payment", card.minimum_payment),
        ("interest_per_statement", card.interest_per_statement),
    ] {
        c.not_negative_amount(&format!("{at}.{field}"), value);
    }
    let overdue = card.payment == CardPayment::Overdue;
    if card.is_overdue != overdue {
        c.push(
            &format!("{at}.is_overdue"),
            Rule::OVERDUE_MISMATCH,
            format!(
                "{} contradicts payment `{}`; is_overdue is true exactly when payment is `overdue`",
                card.is_overdue,
                card.payment.as_str()
            ),
        );
    }
    let interest = card.interest_per_statement;
    if card.payment.accrues_interest() == interest.is_zero() {
        let allowed = if card.payment.accrues_interest() {
            "> 0 unless paid in full"
        } else {
            "0 when paid in full"
        };
        c.push(
            &format!("{at}.interest_per_statement"),
            Rule::INTEREST_MISMATCH,
            format!(
                "{interest} contradicts payment `{}`; must be {allowed}",
                card.payment.as_str()
            ),
        );
    }
    // Without a valid statement day there is no schedule to compare with.
    if day_ok {
        let expected = CardPlan::due_date(profile.plan.as_of, day);
        if card.next_payment_due_date != expected {
            c.push(
                &format!("{at}.next_payment_due_date"),
                Rule::DUE_DATE_MISMATCH,
                format!(
                    "{} should be {DUE_DAYS_AFTER_STATEMENT} days after the last statement on or before as_of: {expected}",
                    card.next_payment_due_date
                ),
            );
        }
    }
}
