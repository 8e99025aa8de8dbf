//! A profile as a Plaid Sandbox `user_custom` configuration
//! (`spendsense generate --format plaid-sandbox` writes one per profile,
//! `DIR/<user_id>.json`, plus `DIR/index.json` listing them).
//!
//! A configuration is what Plaid's `/sandbox/public_token/create` takes as
//! `options.override_password` (with `override_username: "user_custom"`), or
//! what the Dashboard's Sandbox users editor takes: see `docs/plaid-sandbox.md`.
//! Each account of the profile becomes one `override_accounts` entry with
//! Plaid's `type`, `subtype`, `starting_balance` (= `balances.current`),
//! `force_available_balance` (= `balances.available`), `currency`, `meta`
//! and the owner's `identity`; credit cards add a `liability` block and the
//! checking account an `inflow_model` carrying the monthly income.
//!
//! Only keys and enum values of Plaid's `UserCustomPassword` schema are
//! written, and only those Plaid's own example files use: the schema's
//! `required` lists ask for student-loan and MFA fields that make no sense
//! here, and Plaid's examples leave them out. The client tests
//! (`tests/clients/check_clients.py`) validate every file against that schema
//! with `required` relaxed and unknown keys forbidden.
//!
//! The mapping is a pure function of the profile. Values the profile does not
//! carry (the APR) are derived from it deterministically, so the export draws
//! no random number and cannot change the profile bytes or the fingerprint.
//! It lives in the export crate rather than the schema because, like the CSV
//! tables, it is an output layout and not part of the profile model: its APR
//! and payment policies are export choices, free to change without touching
//! the schema or the generator.

use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;
use spendsense_schema::{
    Account, AccountSubtype, AccountType, IncomeStability, PersonaId, UserProfile, money,
};

use crate::Error;

/// File name of the index inside the output directory.
pub const INDEX_FILE: &str = "index.json";

/// Plaid's `InflowModel.type` for income once a month, the only income model it has.
pub const MONTHLY_INCOME: &str = "monthly-income";

/// The latest `payment_day_of_month` Plaid accepts as a number (1 to 28).
pub const LAST_PAYMENT_DAY: u16 = 28;

/// The smallest minimum payment on a card, in dollars, unless the balance is smaller.
pub const MINIMUM_PAYMENT_FLOOR: Decimal = Decimal::from_parts(2500, 0, 0, false, 2);

/// Income transaction name for regular pay (weekly to monthly paychecks).
pub const PAYROLL_NAME: &str = "DIRECT DEPOSIT PAYROLL";

/// Income transaction name for irregular (gig or contract) pay.
pub const CONTRACT_NAME: &str = "DIRECT DEPOSIT CONTRACT PAYMENT";

/// How many whole-percent APR steps each persona's range spans.
const APR_STEPS: u64 = 6;

/// What a Sandbox configuration makes of one profile field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Carried {
    /// The field feeds these keys of the configuration or `index.json`.
    To(&'static str),
    /// The field has no place in Plaid's Sandbox, for this reason.
    Skipped(&'static str),
}

/// Every field of a profile, by its JSON path (account fields as
/// `accounts[].…`), and what the configuration makes of it. A test compares
/// the paths with the profile's serde form, so a new field fails it until it
/// is listed here; `docs/plaid-sandbox.md` shows this table.
pub const PROFILE_FIELDS: [(&str, Carried); 33] = [
    (
        "user_id",
        Carried::To("the file name `<user_id>.json`; `index.json` `user_id`"),
    ),
    ("name", Carried::To("`identity.names` of every account")),
    (
        "persona",
        Carried::To("`index.json` `persona`; the range of the cards' `liability.purchase_apr`"),
    ),
    (
        "expected_assignment",
        Carried::To("`index.json` `expected_assignment`"),
    ),
    (
        "matched_personas",
        Carried::Skipped(
            "ground truth for the pipeline, not account data; `index.json` names the persona to assign",
        ),
    ),
    (
        "annual_income",
        Carried::To("checking `inflow_model.income_amount` (a twelfth)"),
    ),
    (
        "demographics.age",
        Carried::Skipped("Plaid's identity data has no age"),
    ),
    (
        "demographics.state",
        Carried::Skipped("always equal to `identity.address.region`, which is carried"),
    ),
    ("identity.email", Carried::To("`identity.emails`")),
    (
        "identity.phone_number",
        Carried::To("`identity.phone_numbers`"),
    ),
    (
        "identity.address.street",
        Carried::To("`identity.addresses[0].data.street`"),
    ),
    (
        "identity.address.city",
        Carried::To("`identity.addresses[0].data.city`"),
    ),
    (
        "identity.address.region",
        Carried::To("`identity.addresses[0].data.region`"),
    ),
    (
        "identity.address.postal_code",
        Carried::To("`identity.addresses[0].data.postal_code`"),
    ),
    (
        "identity.address.country",
        Carried::To("`identity.addresses[0].data.country`"),
    ),
    (
        "characteristics.target_credit_utilization",
        Carried::Skipped("shows as each card's `starting_balance` against its `meta.limit`"),
    ),
    (
        "characteristics.target_savings_monthly",
        Carried::Skipped(
            "a transfer into savings needs transactions, which a `user_custom` configuration cannot carry",
        ),
    ),
    (
        "characteristics.income_stability",
        Carried::To("checking `inflow_model.transaction_name` (payroll or contract payment)"),
    ),
    (
        "characteristics.pay_frequency",
        Carried::Skipped(
            "Plaid's only income model pays monthly; the gap shows in `payment_day_of_month`",
        ),
    ),
    (
        "characteristics.median_pay_gap_days",
        Carried::To("checking `inflow_model.payment_day_of_month` (capped at 28)"),
    ),
    (
        "characteristics.subscription_count_target",
        Carried::Skipped(
            "recurring merchants need transactions, which a `user_custom` configuration cannot carry",
        ),
    ),
    (
        "accounts[].account_id",
        Carried::To(
            "the step of the card's `liability.purchase_apr` (Plaid assigns its own account ids)",
        ),
    ),
    (
        "accounts[].balances.available",
        Carried::To("`force_available_balance`, or `has_null_available_balance` when null"),
    ),
    (
        "accounts[].balances.current",
        Carried::To("`starting_balance`; cards' `liability.minimum_payment_amount`"),
    ),
    ("accounts[].balances.limit", Carried::To("`meta.limit`")),
    (
        "accounts[].balances.iso_currency_code",
        Carried::To("`currency`"),
    ),
    (
        "accounts[].balances.unofficial_currency_code",
        Carried::To("`currency` when there is no ISO code"),
    ),
    ("accounts[].mask", Carried::To("`meta.mask`")),
    ("accounts[].name", Carried::To("`meta.name`")),
    (
        "accounts[].official_name",
        Carried::To("`meta.official_name`, left out when null"),
    ),
    ("accounts[].type", Carried::To("`type`")),
    ("accounts[].subtype", Carried::To("`subtype`")),
    (
        "accounts[].holder_category",
        Carried::Skipped(
            "Plaid's override accounts have no holder category; generated accounts are all personal",
        ),
    ),
];

/// One `user_custom` configuration (Plaid's `UserCustomPassword`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UserCustom {
    /// One entry per account of the profile, in the profile's order.
    pub override_accounts: Vec<OverrideAccount>,
}

/// One account (Plaid's `OverrideAccounts`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OverrideAccount {
    /// `depository`, `credit` or `loan`, all in Plaid's `OverrideAccountType`.
    #[serde(rename = "type")]
    pub account_type: AccountType,
    /// Plaid's `AccountSubtype`, e.g. `credit card`.
    pub subtype: AccountSubtype,
    /// `balances.current`: the cash balance, or for credit the amount owed.
    #[serde(with = "money::option", skip_serializing_if = "Option::is_none")]
    pub starting_balance: Option<Decimal>,
    /// `balances.available`.
    #[serde(with = "money::option", skip_serializing_if = "Option::is_none")]
    pub force_available_balance: Option<Decimal>,
    /// Written (as `true`) only when `balances.available` is null.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub has_null_available_balance: bool,
    /// `iso_currency_code`, or else `unofficial_currency_code`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// Names, limit and mask.
    pub meta: Meta,
    /// The profile's owner, the same on every account.
    pub identity: Owner,
    /// Credit cards only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub liability: Option<Liability>,
    /// The checking account only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inflow_model: Option<InflowModel>,
}

/// Plaid's `Meta`: null values are left out, since Plaid types them as non-null.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Meta {
    /// The account's `name`.
    pub name: String,
    /// The account's `official_name`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub official_name: Option<String>,
    /// `balances.limit` (credit cards).
    #[serde(with = "money::option", skip_serializing_if = "Option::is_none")]
    pub limit: Option<Decimal>,
    /// The account's `mask`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mask: Option<String>,
}

/// Plaid's `LiabilityOverride` for a credit card.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Liability {
    /// Always `credit`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// Percent a year, see [`purchase_apr`].
    #[serde(with = "money")]
    pub purchase_apr: Decimal,
    /// See [`minimum_payment`].
    #[serde(with = "money")]
    pub minimum_payment_amount: Decimal,
    /// Always `false`: a profile carries no payment history to be late on.
    pub is_overdue: bool,
}

/// Plaid's `InflowModel` of type `monthly-income`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InflowModel {
    /// Always [`MONTHLY_INCOME`].
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// See [`monthly_income`].
    #[serde(with = "money")]
    pub income_amount: Decimal,
    /// See [`payment_day`].
    pub payment_day_of_month: u16,
    /// [`PAYROLL_NAME`] or [`CONTRACT_NAME`].
    pub transaction_name: &'static str,
}

/// Plaid's `OwnerOverride`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Owner {
    /// The profile's `name`.
    pub names: Vec<String>,
    /// `identity.phone_number`, primary, type `mobile`.
    pub phone_numbers: Vec<Contact>,
    /// `identity.email`, primary, type `primary`.
    pub emails: Vec<Contact>,
    /// `identity.address`, primary.
    pub addresses: Vec<OwnerAddress>,
}

/// Plaid's `PhoneNumber` and `Email`, which share their shape.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Contact {
    /// The number or address.
    pub data: String,
    /// Always `true`: a profile has one of each.
    pub primary: bool,
    /// `mobile` for a phone number, `primary` for an email.
    #[serde(rename = "type")]
    pub kind: &'static str,
}

/// Plaid's `Address`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OwnerAddress {
    /// The fields of the address.
    pub data: AddressData,
    /// Always `true`.
    pub primary: bool,
}

/// Plaid's `AddressData`, field for field `identity.address`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AddressData {
    /// `identity.address.city`.
    pub city: String,
    /// `identity.address.region`.
    pub region: String,
    /// `identity.address.street`.
    pub street: String,
    /// `identity.address.postal_code`.
    pub postal_code: String,
    /// `identity.address.country`.
    pub country: String,
}

/// One entry of `index.json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndexEntry<'a> {
    /// The profile's `user_id`.
    pub user_id: &'a str,
    /// The persona the profile was generated for.
    pub persona: PersonaId,
    /// The configuration's file name inside the directory.
    pub file: String,
    /// Overlap scenarios only: the persona the pipeline should assign.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected_assignment: Option<PersonaId>,
}

/// The `user_custom` configuration of a (valid) profile.
pub fn user_custom(profile: &UserProfile) -> UserCustom {
    let identity = owner(profile);
    let checking = profile
        .accounts
        .iter()
        .position(|a| a.subtype == AccountSubtype::Checking);
    let override_accounts = profile
        .accounts
        .iter()
        .enumerate()
        .map(|(i, account)| {
            let mut entry = override_account(account, profile.persona, identity.clone());
            if checking == Some(i) {
                entry.inflow_model = Some(inflow_model(profile));
            }
            entry
        })
        .collect();
    UserCustom { override_accounts }
}

fn override_account(account: &Account, persona: PersonaId, identity: Owner) -> OverrideAccount {
    let balances = &account.balances;
    let liability = match (account.is_credit_card(), balances.current) {
        (true, Some(current)) => {
            let purchase_apr = purchase_apr(persona, &account.account_id);
            Some(Liability {
                kind: "credit",
                purchase_apr,
                minimum_payment_amount: minimum_payment(current, purchase_apr),
                is_overdue: false,
            })
        }
        _ => None,
    };
    OverrideAccount {
        account_type: account.account_type,
        subtype: account.subtype,
        starting_balance: balances.current,
        force_available_balance: balances.available,
        has_null_available_balance: balances.available.is_none(),
        currency: balances
            .iso_currency_code
            .clone()
            .or_else(|| balances.unofficial_currency_code.clone()),
        meta: Meta {
            name: account.name.clone(),
            official_name: account.official_name.clone(),
            limit: balances.limit,
            mask: account.mask.clone(),
        },
        identity,
        liability,
        inflow_model: None,
    }
}

fn owner(profile: &UserProfile) -> Owner {
    let identity = &profile.identity;
    let address = &identity.address;
    Owner {
        names: vec![profile.name.clone()],
        phone_numbers: vec![Contact {
            data: identity.phone_number.clone(),
            primary: true,
            kind: "mobile",
        }],
        emails: vec![Contact {
            data: identity.email.clone(),
            primary: true,
            kind: "primary",
        }],
        addresses: vec![OwnerAddress {
            data: AddressData {
                city: address.city.clone(),
                region: address.region.clone(),
                street: address.street.clone(),
                postal_code: address.postal_code.clone(),
                country: address.country.clone(),
            },
            primary: true,
        }],
    }
}

fn inflow_model(profile: &UserProfile) -> InflowModel {
    let traits = &profile.characteristics;
    InflowModel {
        kind: MONTHLY_INCOME,
        income_amount: monthly_income(profile.annual_income),
        payment_day_of_month: payment_day(traits.median_pay_gap_days),
        transaction_name: match traits.income_stability {
            IncomeStability::Regular => PAYROLL_NAME,
            IncomeStability::Irregular => CONTRACT_NAME,
        },
    }
}

/// `annual_income / 12`, rounded half away from zero to cents.
pub fn monthly_income(annual_income: Decimal) -> Decimal {
    cents(annual_income / Decimal::from(12))
}

/// The day of the month Plaid deposits the month's income on.
///
/// Plaid's `monthly-income` model pays once a month on one day (1 to 28), so
/// a profile's pay schedule can only show in which day that is: the day the
/// month's first pay period ends when periods start on the 1st, that is the
/// median gap between paychecks capped at 28. Weekly pay lands on the 7th,
/// biweekly on the 14th, semimonthly on the 15th, and monthly and irregular
/// pay (gaps of 30 to 90 days) on the 28th.
pub fn payment_day(median_pay_gap_days: u16) -> u16 {
    median_pay_gap_days.clamp(1, LAST_PAYMENT_DAY)
}

/// A card's purchase APR in percent, plausible for the persona.
///
/// Each persona has a range of six APRs one point apart, ending in .99 as card
/// APRs do: high_utilization 24.99–29.99 (users near their limits get the
/// priciest credit), variable_income 22.99–27.99, subscription_heavy and
/// control 19.99–24.99, savings_builder 14.99–19.99. Which step a card gets
/// is the FNV-1a hash of its `account_id` modulo six: deterministic, spread
/// over the range, and independent of the generator's random streams.
pub fn purchase_apr(persona: PersonaId, account_id: &str) -> Decimal {
    let lowest_whole_percent: u64 = match persona {
        PersonaId::HighUtilization => 25,
        PersonaId::VariableIncome => 23,
        PersonaId::SubscriptionHeavy | PersonaId::Control => 20,
        PersonaId::SavingsBuilder => 15,
    };
    let step = fnv1a(account_id.as_bytes()) % APR_STEPS;
    Decimal::new(((lowest_whole_percent + step) * 100 - 1) as i64, 2)
}

/// A card's minimum payment: the larger of $25 and 1% of the balance plus a
/// month's interest at `apr_percent`, but never more than the balance.
///
/// `minimum = min(balance, max(25.00, round(balance × 1%) + round(balance × apr / 100 / 12)))`,
/// each term rounded half away from zero to cents; a zero balance owes nothing.
pub fn minimum_payment(balance: Decimal, apr_percent: Decimal) -> Decimal {
    if balance <= Decimal::ZERO {
        return cents(Decimal::ZERO);
    }
    let one_percent = cents(balance / Decimal::ONE_HUNDRED);
    let interest = cents(balance * apr_percent / Decimal::from(1200));
    cents(balance.min(MINIMUM_PAYMENT_FLOOR.max(one_percent + interest)))
}

/// Rounds half away from zero to exactly two decimals (`25` becomes `25.00`).
fn cents(value: Decimal) -> Decimal {
    let mut rounded = value.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    rounded.rescale(2);
    rounded
}

/// 64-bit FNV-1a: a fixed, platform-independent hash.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// The configuration's file name, `<user_id>.json`; refused when the id could
/// name another path (generated ids, `user_MASKED_000`, always pass).
pub fn file_name(user_id: &str) -> Result<String, Error> {
    let safe = !user_id.is_empty()
        && !user_id.starts_with('.')
        && user_id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    if !safe || user_id == INDEX_FILE.trim_end_matches(".json") {
        return Err(Error::UnsafeFileName(user_id.to_string()));
    }
    Ok(format!("{user_id}.json"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use spendsense_generator::{Generator, GeneratorConfig};
    use spendsense_schema::PayFrequency;

    fn dec(text: &str) -> Decimal {
        Decimal::from_str_exact(text).unwrap()
    }

    fn profiles(seed: u64, count: u64) -> Vec<UserProfile> {
        Generator::new(&GeneratorConfig::new(seed, count))
            .unwrap()
            .iter()
            .collect()
    }

    fn check_minimum(balance: &str, apr: &str, expected: &str) {
        let got = minimum_payment(dec(balance), dec(apr));
        assert_eq!(got, dec(expected), "balance {balance} at {apr}%");
        assert_eq!(got.to_string(), expected, "two decimals");
    }

    #[test]
    fn minimum_payment_is_one_percent_plus_interest_with_a_25_dollar_floor() {
        // 1% of 4130.00 = 41.30; 4130.00 × 29.99 / 1200 = 103.2155.. → 103.22.
        check_minimum("4130.00", "29.99", "144.52");
        // 1% of 2703.00 = 27.03; 2703.00 × 14.99 / 1200 = 33.76497.. → 33.76.
        check_minimum("2703.00", "14.99", "60.79");
        // 1% of 1000.00 + 1000.00 × 12 / 1200 = 10.00 + 10.00 = 20.00 < 25.00.
        check_minimum("1000.00", "12.00", "25.00");
        // The floor never exceeds the balance, and nothing is owed on nothing.
        check_minimum("18.40", "24.99", "18.40");
        check_minimum("25.00", "24.99", "25.00");
        check_minimum("0.00", "24.99", "0.00");
        check_minimum("0", "24.99", "0.00");
        // Half a cent rounds away from zero: 1% of 0.50 is 0.005 → 0.01.
        check_minimum("2500.50", "0", "25.01");
    }

    #[test]
    fn apr_ranges_follow_the_persona() {
        let all = profiles(17, 500);
        let mut seen: Vec<(PersonaId, Decimal)> = Vec::new();
        for profile in &all {
            for card in profile.accounts.iter().filter(|a| a.is_credit_card()) {
                let apr = purchase_apr(profile.persona, &card.account_id);
                let (low, high) = match profile.persona {
                    PersonaId::HighUtilization => ("24.99", "29.99"),
                    PersonaId::VariableIncome => ("22.99", "27.99"),
                    PersonaId::SubscriptionHeavy | PersonaId::Control => ("19.99", "24.99"),
                    PersonaId::SavingsBuilder => ("14.99", "19.99"),
                };
                assert!(dec(low) <= apr && apr <= dec(high), "{apr}");
                assert_eq!(apr.scale(), 2);
                assert_eq!(apr.fract(), dec("0.99"));
                assert_eq!(apr, purchase_apr(profile.persona, &card.account_id));
                seen.push((profile.persona, apr));
            }
        }
        let aprs = |persona| -> Vec<Decimal> {
            seen.iter()
                .filter(|(p, _)| *p == persona)
                .map(|(_, apr)| *apr)
                .collect()
        };
        let high = aprs(PersonaId::HighUtilization);
        let saver = aprs(PersonaId::SavingsBuilder);
        assert!(high.iter().min() > saver.iter().max());
        // The hash spreads cards over every step of a range.
        let mut distinct = high.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!(distinct.len(), APR_STEPS as usize, "{distinct:?}");
    }

    #[test]
    fn inflow_amount_is_a_twelfth_of_the_income_in_cents() {
        for (annual, monthly) in [
            ("68921.00", "5743.42"),
            ("60000.00", "5000.00"),
            ("35346.00", "2945.50"),
            ("100.06", "8.34"), // 8.338333…
            ("0.06", "0.01"),   // 0.005 rounds away from zero
        ] {
            let got = monthly_income(dec(annual));
            assert_eq!(got.to_string(), monthly, "{annual}");
        }
    }

    #[test]
    fn payment_day_reflects_the_pay_schedule() {
        for (frequency, day) in [
            (PayFrequency::Weekly, 7),
            (PayFrequency::Biweekly, 14),
            (PayFrequency::Semimonthly, 15),
            (PayFrequency::Monthly, 28),
        ] {
            assert_eq!(payment_day(frequency.nominal_gap_days().unwrap()), day);
        }
        assert_eq!(payment_day(59), 28);
        assert_eq!(payment_day(0), 1);
    }

    #[test]
    fn every_account_is_mapped_in_order() {
        for (seed, count) in [(1, 1), (42, 100), (9, 300)] {
            for profile in profiles(seed, count) {
                let custom = user_custom(&profile);
                assert_eq!(custom.override_accounts.len(), profile.accounts.len());
                let mut inflows = 0;
                for (entry, account) in custom.override_accounts.iter().zip(&profile.accounts) {
                    let balances = &account.balances;
                    assert_eq!(entry.account_type, account.account_type);
                    assert_eq!(entry.subtype, account.subtype);
                    assert_eq!(entry.starting_balance, balances.current);
                    assert_eq!(entry.force_available_balance, balances.available);
                    assert!(!entry.has_null_available_balance);
                    assert_eq!(entry.currency.as_deref(), Some("USD"));
                    assert_eq!(entry.meta.name, account.name);
                    assert_eq!(entry.meta.official_name, account.official_name);
                    assert_eq!(entry.meta.limit, balances.limit);
                    assert_eq!(entry.meta.mask, account.mask);
                    assert_eq!(entry.liability.is_some(), account.is_credit_card());
                    if let Some(liability) = &entry.liability {
                        let current = balances.current.unwrap();
                        assert_eq!(liability.kind, "credit");
                        assert!(!liability.is_overdue);
                        assert_eq!(
                            liability.minimum_payment_amount,
                            minimum_payment(current, liability.purchase_apr)
                        );
                        assert!(liability.minimum_payment_amount <= current);
                    }
                    if let Some(inflow) = &entry.inflow_model {
                        inflows += 1;
                        assert_eq!(account.subtype, AccountSubtype::Checking);
                        assert_eq!(inflow.kind, MONTHLY_INCOME);
                        assert_eq!(inflow.income_amount, cents(profile.monthly_income()));
                    }
                }
                assert_eq!(inflows, 1, "{}", profile.user_id);
            }
        }
    }

    #[test]
    fn identity_maps_to_plaids_owner_shape() {
        let profile = &profiles(42, 1)[0];
        let custom = user_custom(profile);
        let json = serde_json::to_value(&custom).unwrap();
        let identity = &json["override_accounts"][0]["identity"];
        let address = &profile.identity.address;
        assert_eq!(
            identity,
            &serde_json::json!({
                "names": [profile.name],
                "phone_numbers": [{"data": profile.identity.phone_number, "primary": true, "type": "mobile"}],
                "emails": [{"data": profile.identity.email, "primary": true, "type": "primary"}],
                "addresses": [{"data": {
                    "city": address.city,
                    "region": address.region,
                    "street": address.street,
                    "postal_code": address.postal_code,
                    "country": address.country,
                }, "primary": true}],
            })
        );
        for entry in &json["override_accounts"].as_array().unwrap()[1..] {
            assert_eq!(&entry["identity"], identity, "every account has the owner");
        }
    }

    #[test]
    fn money_is_written_as_exact_numbers_and_nulls_are_left_out() {
        let profile = profiles(42, 100)
            .into_iter()
            .find(|p| p.accounts.iter().any(|a| a.is_credit_card()))
            .unwrap();
        let text = serde_json::to_string(&user_custom(&profile)).unwrap();
        let card = profile
            .accounts
            .iter()
            .find(|a| a.is_credit_card())
            .unwrap();
        let limit = card.balances.limit.unwrap().to_string();
        assert!(limit.ends_with(".00"), "{limit}");
        assert!(text.contains(&format!("\"limit\":{limit}")), "{text}");
        let income = monthly_income(profile.annual_income).to_string();
        assert!(
            text.contains(&format!("\"income_amount\":{income},")),
            "{text}"
        );
        assert!(!text.contains("null"), "{text}");
        assert!(!text.contains("has_null_available_balance"), "{text}");
    }

    #[test]
    fn every_profile_field_is_mapped_or_skipped_on_purpose() {
        let listed: Vec<&str> = PROFILE_FIELDS.iter().map(|(path, _)| *path).collect();
        let fields = crate::model::leaf_paths(&crate::model::profile_with_every_field());
        assert_eq!(
            listed, fields,
            "PROFILE_FIELDS must list every field of the profile, in order"
        );
    }

    #[test]
    fn unsafe_user_ids_are_refused_as_file_names() {
        assert_eq!(
            file_name("user_MASKED_007").unwrap(),
            "user_MASKED_007.json"
        );
        for id in ["", "../x", "a/b", ".hidden", "index", "a b"] {
            assert!(file_name(id).is_err(), "{id:?}");
        }
    }
}
