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
//! and the owner's `identity`; credit cards add a `liability` block with the
//! terms of their card plan (`plan.cards`) and the checking account an
//! `inflow_model` carrying the monthly net pay of the plan's paychecks.
//!
//! Only keys and enum values of Plaid's `UserCustomPassword` schema are
//! written, and only those Plaid's own example files use: the schema's
//! `required` lists ask for student-loan and MFA fields that make no sense
//! here, and Plaid's examples leave them out. The client tests
//! (`tests/clients/check_clients.py`) validate every file against that schema
//! with `required` relaxed and unknown keys forbidden.
//!
//! The mapping is a pure function of the profile: every value comes from the
//! profile and its plan (the APR, minimum payment and overdue flag from the
//! card plan), so the export draws no random number and cannot change the
//! profile bytes or the fingerprint. The plan's dated events (paychecks,
//! recurring charges, card interest, savings transfers) would be Sandbox
//! `transactions`; this export does not write them yet, and
//! [`PROFILE_FIELDS`] says so field by field. It lives in the export crate
//! rather than the schema because, like the CSV tables, it is an output
//! layout and not part of the profile model.

use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;
use spendsense_schema::{
    Account, AccountSubtype, AccountType, CardPlan, IncomeStability, PersonaId, Plan, UserProfile,
    money,
};

use crate::Error;

/// File name of the index inside the output directory.
pub const INDEX_FILE: &str = "index.json";

/// Plaid's `InflowModel.type` for income once a month, the only income model it has.
pub const MONTHLY_INCOME: &str = "monthly-income";

/// The latest `payment_day_of_month` Plaid accepts as a number (1 to 28).
pub const LAST_PAYMENT_DAY: u16 = 28;

/// Income transaction name for regular pay (weekly to monthly paychecks).
pub const PAYROLL_NAME: &str = "DIRECT DEPOSIT PAYROLL";

/// Income transaction name for irregular (gig or contract) pay.
pub const CONTRACT_NAME: &str = "DIRECT DEPOSIT CONTRACT PAYMENT";

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
pub const PROFILE_FIELDS: [(&str, Carried); 61] = [
    (
        "user_id",
        Carried::To("the file name `<user_id>.json`; `index.json` `user_id`"),
    ),
    ("name", Carried::To("`identity.names` of every account")),
    ("persona", Carried::To("`index.json` `persona`")),
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
        Carried::Skipped(
            "gross pay; the checking `inflow_model.income_amount` is the net pay of `plan.income.paychecks`",
        ),
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
            "which card plan fills a card's `liability` (Plaid assigns its own account ids)",
        ),
    ),
    (
        "accounts[].balances.available",
        Carried::To("`force_available_balance`, or `has_null_available_balance` when null"),
    ),
    (
        "accounts[].balances.current",
        Carried::To("`starting_balance`"),
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
    ("plan.as_of", Carried::Skipped(NO_HISTORY)),
    ("plan.history_start", Carried::Skipped(NO_HISTORY)),
    (
        "plan.income.employer",
        Carried::Skipped(
            "the `monthly-income` model names its deposits by `transaction_name` (payroll or contract payment), not by payer",
        ),
    ),
    (
        "plan.income.frequency",
        Carried::Skipped("always equal to `characteristics.pay_frequency`"),
    ),
    (
        "plan.income.paychecks[].date",
        Carried::Skipped(
            "each paycheck is a transaction, not written yet; Plaid's income model pays once a month",
        ),
    ),
    (
        "plan.income.paychecks[].amount",
        Carried::To(
            "checking `inflow_model.income_amount`: the paychecks' total per 30 days of history",
        ),
    ),
    ("plan.monthly_expenses", Carried::Skipped(AS_TRANSACTIONS)),
    (
        "plan.recurring[].merchant",
        Carried::Skipped(AS_TRANSACTIONS),
    ),
    (
        "plan.recurring[].category.primary",
        Carried::Skipped(AS_TRANSACTIONS),
    ),
    (
        "plan.recurring[].category.detailed",
        Carried::Skipped(AS_TRANSACTIONS),
    ),
    ("plan.recurring[].amount", Carried::Skipped(AS_TRANSACTIONS)),
    (
        "plan.recurring[].cadence",
        Carried::Skipped(AS_TRANSACTIONS),
    ),
    (
        "plan.recurring[].first_charge",
        Carried::Skipped(AS_TRANSACTIONS),
    ),
    (
        "plan.recurring[].account_id",
        Carried::Skipped(AS_TRANSACTIONS),
    ),
    (
        "plan.cards[].account_id",
        Carried::To("the card whose `liability` the plan fills"),
    ),
    (
        "plan.cards[].purchase_apr",
        Carried::To("`liability.purchase_apr`"),
    ),
    (
        "plan.cards[].statement_day",
        Carried::Skipped("Plaid's `LiabilityOverride` has no statement day"),
    ),
    (
        "plan.cards[].payment",
        Carried::Skipped(
            "shows as `liability.is_overdue`; how statements are paid is transactions, not written yet",
        ),
    ),
    (
        "plan.cards[].last_statement_balance",
        Carried::Skipped(
            "Plaid's `LiabilityOverride` has no statement balance; `starting_balance` is the current balance",
        ),
    ),
    (
        "plan.cards[].minimum_payment",
        Carried::To("`liability.minimum_payment_amount`"),
    ),
    (
        "plan.cards[].interest_per_statement",
        Carried::Skipped(
            "interest charges are transactions, not written yet; `LiabilityOverride` has no interest amount",
        ),
    ),
    (
        "plan.cards[].next_payment_due_date",
        Carried::Skipped("Plaid's `LiabilityOverride` has no due date"),
    ),
    (
        "plan.cards[].is_overdue",
        Carried::To("`liability.is_overdue`"),
    ),
    (
        "plan.savings_transfers.from_account_id",
        Carried::Skipped(AS_TRANSACTIONS),
    ),
    (
        "plan.savings_transfers.to_account_id",
        Carried::Skipped(AS_TRANSACTIONS),
    ),
    (
        "plan.savings_transfers.amount",
        Carried::Skipped(AS_TRANSACTIONS),
    ),
    (
        "plan.savings_transfers.cadence",
        Carried::Skipped(AS_TRANSACTIONS),
    ),
    (
        "plan.savings_transfers.first_transfer",
        Carried::Skipped(AS_TRANSACTIONS),
    ),
];

/// Why the plan's dated events are not carried yet.
const AS_TRANSACTIONS: &str =
    "the plan's events become Sandbox `transactions`, which this export does not write yet";

/// Why the history window is not carried.
const NO_HISTORY: &str = "Plaid dates Sandbox data from the day the Item is created; the history would date the transactions, not written yet";

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
    /// The card plan's `purchase_apr`, percent a year.
    #[serde(with = "money")]
    pub purchase_apr: Decimal,
    /// The card plan's `minimum_payment`, due on the last statement.
    #[serde(with = "money")]
    pub minimum_payment_amount: Decimal,
    /// The card plan's `is_overdue`: its last minimum payment was missed.
    pub is_overdue: bool,
}

/// Plaid's `InflowModel` of type `monthly-income`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InflowModel {
    /// Always [`MONTHLY_INCOME`].
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// See [`monthly_net_income`].
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
            let card = profile
                .plan
                .cards
                .iter()
                .find(|card| card.account_id == account.account_id);
            let mut entry = override_account(account, card, identity.clone());
            if checking == Some(i) {
                entry.inflow_model = Some(inflow_model(profile));
            }
            entry
        })
        .collect();
    UserCustom { override_accounts }
}

/// `card` is the card plan of `account`, if any: a valid profile has one for
/// each credit card, and a card without one gets no `liability` block.
fn override_account(
    account: &Account,
    card: Option<&CardPlan>,
    identity: Owner,
) -> OverrideAccount {
    let balances = &account.balances;
    let liability = card
        .filter(|_| account.is_credit_card())
        .map(|card| Liability {
            kind: "credit",
            purchase_apr: card.purchase_apr,
            minimum_payment_amount: card.minimum_payment,
            is_overdue: card.is_overdue,
        });
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
        income_amount: monthly_net_income(&profile.plan),
        payment_day_of_month: payment_day(traits.median_pay_gap_days),
        transaction_name: match traits.income_stability {
            IncomeStability::Regular => PAYROLL_NAME,
            IncomeStability::Irregular => CONTRACT_NAME,
        },
    }
}

/// The monthly net pay of a plan: the total of its paychecks per 30 days of
/// history (`sum × 30 / days`, the days from `history_start` to `as_of`
/// counting both ends), rounded half away from zero to cents.
///
/// Plaid's `monthly-income` model deposits one amount a month, so the plan's
/// take-home pay, not the gross `annual_income`, is what its checking account
/// would receive; a 30-day month is the plan's month elsewhere too
/// (`RecurringCharge::monthly_amount`). A plan without paychecks pays 0.00.
pub fn monthly_net_income(plan: &Plan) -> Decimal {
    let days = plan.history_start.days_until(plan.as_of) + 1;
    if days <= 0 {
        return cents(Decimal::ZERO);
    }
    let total: Decimal = plan.income.paychecks.iter().map(|p| p.amount).sum();
    cents(total * Decimal::from(30) / Decimal::from(days))
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

/// Rounds half away from zero to exactly two decimals (`25` becomes `25.00`).
fn cents(value: Decimal) -> Decimal {
    let mut rounded = value.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    rounded.rescale(2);
    rounded
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
    use spendsense_schema::{CardPayment, PayFrequency};

    fn dec(text: &str) -> Decimal {
        Decimal::from_str_exact(text).unwrap()
    }

    fn profiles(seed: u64, count: u64) -> Vec<UserProfile> {
        Generator::new(&GeneratorConfig::new(seed, count))
            .unwrap()
            .iter()
            .collect()
    }

    #[test]
    fn inflow_amount_is_the_net_pay_per_30_days_in_cents() {
        let mut plan = spendsense_schema::sample::profile().plan;
        // 13 paychecks of 2880.00 over 180 days: 37440.00 × 30 / 180.
        assert_eq!(monthly_net_income(&plan).to_string(), "6240.00");
        plan.income.paychecks.truncate(1);
        // 2880.00 × 30 / 180 = 480.00.
        assert_eq!(monthly_net_income(&plan).to_string(), "480.00");
        plan.income.paychecks[0].amount = dec("0.03");
        // 0.005 rounds away from zero.
        assert_eq!(monthly_net_income(&plan).to_string(), "0.01");
        plan.income.paychecks.clear();
        assert_eq!(monthly_net_income(&plan).to_string(), "0.00");
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

    /// The sample profile with its card paid each way the plan knows.
    fn samples() -> Vec<UserProfile> {
        [
            (CardPayment::PayInFull, "0.00"),
            (CardPayment::Revolving, "21.40"),
            (CardPayment::MinimumOnly, "21.40"),
            (CardPayment::Overdue, "21.40"),
        ]
        .into_iter()
        .map(|(payment, interest)| {
            let mut profile = spendsense_schema::sample::profile();
            let card = &mut profile.plan.cards[0];
            (card.payment, card.interest_per_statement, card.is_overdue) =
                (payment, dec(interest), payment == CardPayment::Overdue);
            card.purchase_apr = dec("27.49");
            assert_eq!(spendsense_schema::validate_profile(&profile), []);
            profile
        })
        .collect()
    }

    #[test]
    fn every_account_is_mapped_in_order() {
        let sets = [
            profiles(1, 1),
            profiles(42, 100),
            profiles(9, 300),
            samples(),
        ];
        for set in sets {
            for profile in set {
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
                    let card = profile
                        .plan
                        .cards
                        .iter()
                        .find(|c| c.account_id == account.account_id);
                    assert_eq!(
                        entry.liability.is_some(),
                        account.is_credit_card() && card.is_some()
                    );
                    if let (Some(liability), Some(card)) = (&entry.liability, card) {
                        assert_eq!(liability.kind, "credit");
                        assert_eq!(liability.purchase_apr, card.purchase_apr);
                        assert_eq!(liability.minimum_payment_amount, card.minimum_payment);
                        assert_eq!(liability.is_overdue, card.is_overdue);
                        assert_eq!(liability.is_overdue, card.payment == CardPayment::Overdue);
                    }
                    if let Some(inflow) = &entry.inflow_model {
                        inflows += 1;
                        assert_eq!(account.subtype, AccountSubtype::Checking);
                        assert_eq!(inflow.kind, MONTHLY_INCOME);
                        assert_eq!(inflow.income_amount, monthly_net_income(&profile.plan));
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
        let profile = spendsense_schema::sample::profile();
        let text = serde_json::to_string(&user_custom(&profile)).unwrap();
        let card = profile
            .accounts
            .iter()
            .find(|a| a.is_credit_card())
            .unwrap();
        let limit = card.balances.limit.unwrap().to_string();
        assert!(limit.ends_with(".00"), "{limit}");
        assert!(text.contains(&format!("\"limit\":{limit}")), "{text}");
        assert!(
            text.contains(r#""liability":{"type":"credit","purchase_apr":19.99,"minimum_payment_amount":48.00,"is_overdue":false}"#),
            "{text}"
        );
        let income = monthly_net_income(&profile.plan).to_string();
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
