//! A profile as a Plaid Sandbox `user_custom` configuration
//! (`spendsense generate --format plaid-sandbox` writes one per profile,
//! `DIR/<user_id>.json`, plus `DIR/index.json` listing them).
//!
//! A configuration is what Plaid's `/sandbox/public_token/create` takes as
//! `options.override_password` (with `override_username: "user_custom"`), or
//! what the Dashboard's Sandbox users editor takes: see `docs/plaid-sandbox.md`.
//! Each account of the profile becomes one `override_accounts` entry with
//! Plaid's `type`, `subtype`, `starting_balance` (= `balances.current`),
//! `force_available_balance` (= `balances.available`), `currency`, `meta`,
//! the owner's `identity` and the account's `transactions`; credit cards add
//! a `liability` block with the terms of their card plan (`plan.cards`).
//!
//! The transactions are the profile's ledger (`Generator::ledger`: every
//! paycheck, recurring charge, card interest charge and payment, savings
//! transfer and everyday purchase of the plan), each under the override
//! account of its `account_id`, with Plaid's sign convention (positive is
//! money out), its own two dates and a `description` that names the merchant
//! the way Plaid's example files do ([`description`]). The export takes them
//! as an argument, so this crate never depends on the generator. It refuses,
//! with an [`Error`], what Plaid's Sandbox would not serve as planned: a
//! transaction dated outside the [`TRANSACTION_DAYS`] ending at `plan.as_of`,
//! or a profile without a payroll deposit in the [`INCOME_DAYS`] ending there.
//! The checking account no longer carries an `inflow_model`: Plaid adds the
//! model's deposits to the listed transactions, which would pay the user
//! twice and hide the real pay schedule.
//!
//! Only keys and enum values of Plaid's `UserCustomPassword` schema are
//! written, and only those Plaid's own example files use: the schema's
//! `required` lists ask for student-loan and MFA fields that make no sense
//! here, and Plaid's examples leave them out. The client tests
//! (`tests/clients/check_clients.py`) validate every file against that schema
//! with `required` relaxed and unknown keys forbidden.
//!
//! The mapping is a pure function of the profile and its transactions: every
//! value comes from them (the APR, minimum payment and overdue flag from the
//! card plan), so the export draws no random number and cannot change the
//! profile bytes or the fingerprint. [`PROFILE_FIELDS`] says what becomes of
//! each profile field. It lives in the export crate rather than the schema
//! because, like the CSV tables, it is an output layout and not part of the
//! profile model.

use rust_decimal::Decimal;
use serde::Serialize;
use spendsense_personas::PAYROLL_CATEGORY;
use spendsense_schema::{
    Account, AccountSubtype, AccountType, CardPlan, Date, PersonaId, Transaction, UserProfile,
    money,
};

use crate::Error;

/// File name of the index inside the output directory.
pub const INDEX_FILE: &str = "index.json";

/// Plaid's Sandbox takes transactions dated in the two years before the Item
/// is created: this many days ending at `as_of`, both ends counted (730, so
/// that a leap day can never push the first one past two calendar years).
pub const TRANSACTION_DAYS: i32 = 730;

/// Plaid's Sandbox reads income only from the last 90 days: every profile
/// needs a payroll deposit dated in this many days ending at `as_of`.
pub const INCOME_DAYS: i32 = 90;

/// What joins a transaction's `name` and its `merchant_name` in `description`,
/// as in Plaid's example files (`TWILIO INC. Merchant name: Twilio`).
pub const MERCHANT_NAME: &str = ". Merchant name: ";

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
/// is listed here; `docs/plaid-sandbox.md` shows this table. "Transactions"
/// are the entries of `override_accounts[].transactions`, which come from the
/// profile's ledger, itself a function of the plan.
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
        Carried::Skipped("gross pay; the paycheck transactions carry the net pay"),
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
            "a target; the savings transfers that meet it are transactions (`plan.savings_transfers`)",
        ),
    ),
    (
        "characteristics.income_stability",
        Carried::Skipped(SHOWS_IN_PAYCHECKS),
    ),
    (
        "characteristics.pay_frequency",
        Carried::Skipped(SHOWS_IN_PAYCHECKS),
    ),
    (
        "characteristics.median_pay_gap_days",
        Carried::Skipped(SHOWS_IN_PAYCHECKS),
    ),
    (
        "characteristics.subscription_count_target",
        Carried::Skipped(
            "a target; the recurring charges that meet it are transactions (`plan.recurring`)",
        ),
    ),
    (
        "accounts[].account_id",
        Carried::To(
            "which override account a transaction goes under and which card plan fills a card's `liability` (Plaid assigns its own account ids)",
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
    (
        "plan.as_of",
        Carried::Skipped(
            "Plaid has no such key; the transactions keep their dates, so make files with `--as-of` set to the day the Items are created, and the export refuses dates outside Plaid's limits counted back from it",
        ),
    ),
    (
        "plan.history_start",
        Carried::Skipped("no key of its own; the transactions begin on it"),
    ),
    (
        "plan.income.employer",
        Carried::To(
            "the `description` of each paycheck (`{employer} Payroll. Merchant name: {employer}`)",
        ),
    ),
    (
        "plan.income.frequency",
        Carried::Skipped("always equal to `characteristics.pay_frequency`"),
    ),
    (
        "plan.income.paychecks[].date",
        Carried::To("`date_transacted` and `date_posted` of the paycheck's deposit into checking"),
    ),
    (
        "plan.income.paychecks[].amount",
        Carried::To("the deposit's `amount`, negative (money in)"),
    ),
    (
        "plan.monthly_expenses",
        Carried::To(
            "the everyday purchases' transactions, which with the recurring charges spend exactly it",
        ),
    ),
    (
        "plan.recurring[].merchant",
        Carried::To("the `description` of the charge's transactions"),
    ),
    (
        "plan.recurring[].category.primary",
        Carried::Skipped(NO_CATEGORY),
    ),
    (
        "plan.recurring[].category.detailed",
        Carried::Skipped(NO_CATEGORY),
    ),
    (
        "plan.recurring[].amount",
        Carried::To("the `amount` of the charge's transactions"),
    ),
    (
        "plan.recurring[].cadence",
        Carried::To("the dates of the charge's transactions"),
    ),
    (
        "plan.recurring[].first_charge",
        Carried::To("the dates of the charge's transactions, which follow its cadence from it"),
    ),
    (
        "plan.recurring[].account_id",
        Carried::To("the override account the charge's transactions go under"),
    ),
    (
        "plan.cards[].account_id",
        Carried::To(
            "the card whose `liability` the plan fills, and the override account its interest charges and received payments go under",
        ),
    ),
    (
        "plan.cards[].purchase_apr",
        Carried::To("`liability.purchase_apr`"),
    ),
    (
        "plan.cards[].statement_day",
        Carried::To(
            "the dates of the card's `Interest charge` transactions and, 8 to 20 days later, its payments",
        ),
    ),
    (
        "plan.cards[].payment",
        Carried::To(
            "the card payment transactions (`Payment to {card}` out of checking, `Payment received` on the card); `liability.is_overdue`",
        ),
    ),
    (
        "plan.cards[].last_statement_balance",
        Carried::To(
            "the `amount` of each payment in full, and the most a revolving payment can be; Plaid's `LiabilityOverride` has no statement balance",
        ),
    ),
    (
        "plan.cards[].minimum_payment",
        Carried::To("`liability.minimum_payment_amount`; the `amount` of each minimum payment"),
    ),
    (
        "plan.cards[].interest_per_statement",
        Carried::To("the `amount` of the card's `Interest charge` transactions"),
    ),
    (
        "plan.cards[].next_payment_due_date",
        Carried::Skipped("Plaid's `LiabilityOverride` has no due date"),
    ),
    (
        "plan.cards[].is_overdue",
        Carried::To("`liability.is_overdue`; the statement it missed has no payment transaction"),
    ),
    (
        "plan.savings_transfers.from_account_id",
        Carried::To("the account of each transfer's `Transfer to savings` transaction"),
    ),
    (
        "plan.savings_transfers.to_account_id",
        Carried::To("the account of each transfer's `Transfer from checking` transaction"),
    ),
    (
        "plan.savings_transfers.amount",
        Carried::To("the `amount` of both legs of each transfer"),
    ),
    (
        "plan.savings_transfers.cadence",
        Carried::To("the dates of the transfers' transactions"),
    ),
    (
        "plan.savings_transfers.first_transfer",
        Carried::To("the dates of the transfers' transactions, which follow the cadence from it"),
    ),
];

/// Why the pay schedule has no key of its own.
const SHOWS_IN_PAYCHECKS: &str =
    "shows in the dates of the paycheck transactions (`plan.income.paychecks`)";

/// Why a recurring charge's category is not carried.
const NO_CATEGORY: &str =
    "Plaid's `TransactionOverride` has no category; Plaid categorises the `description` itself";

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
    /// The account's transactions, oldest first. Always written, empty too:
    /// Plaid generates random transactions for an account that lists none,
    /// and an empty list is the closest a file can come to asking for none.
    /// Last, so that a reader sees the account before its long list.
    pub transactions: Vec<TransactionOverride>,
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

/// Plaid's `TransactionOverride`: one transaction of the ledger.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TransactionOverride {
    /// The transaction's `authorized_date` (its `date` when it has none).
    #[serde(serialize_with = "iso_date")]
    pub date_transacted: Date,
    /// The transaction's `date`, the day it posted.
    #[serde(serialize_with = "iso_date")]
    pub date_posted: Date,
    /// The transaction's `amount`, exactly two decimals; positive is money
    /// out of the account, as in Plaid's Transactions API and its examples.
    #[serde(with = "money")]
    pub amount: Decimal,
    /// See [`description`].
    pub description: String,
    /// `iso_currency_code`, or else `unofficial_currency_code`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
}

/// Writes a date as its `Display` does, `YYYY-MM-DD`, without going through
/// `fmt`: a file has two dates per transaction, and formatting them through
/// `Date`'s `collect_str` was a fifth of the time spent serializing one.
fn iso_date<S: serde::Serializer>(date: &Date, serializer: S) -> Result<S::Ok, S::Error> {
    let (year, month, day) = date.ymd();
    let Ok(year @ 0..=9999) = u16::try_from(year) else {
        return serializer.collect_str(date);
    };
    let mut text = *b"0000-00-00";
    for (place, digit) in text[..4].iter_mut().rev().zip([1, 10, 100, 1000]) {
        *place = b'0' + (year / digit % 10) as u8;
    }
    text[5..7].copy_from_slice(&[b'0' + month / 10, b'0' + month % 10]);
    text[8..].copy_from_slice(&[b'0' + day / 10, b'0' + day % 10]);
    serializer.serialize_str(std::str::from_utf8(&text).expect("ASCII digits"))
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
    /// Overlap scenarios: the persona the pipeline should assign; `null`
    /// otherwise, written as the profile writes it.
    pub expected_assignment: Option<PersonaId>,
}

/// The `user_custom` configuration of a (valid) profile and its
/// transactions (its ledger, `Generator::ledger`), each transaction under
/// the override account of its `account_id`, in the order given.
///
/// Refused, rather than written as a file Plaid would serve differently:
/// a transaction of an account the profile does not have, one with more
/// than two decimals, one dated (either date) outside the
/// [`TRANSACTION_DAYS`] ending at `plan.as_of`, and a profile with no
/// payroll deposit (an `INCOME_WAGES` transaction with a negative amount)
/// posted in the [`INCOME_DAYS`] ending at `plan.as_of`.
pub fn user_custom(
    profile: &UserProfile,
    transactions: &[Transaction],
) -> Result<UserCustom, Error> {
    let identity = owner(profile);
    let mut override_accounts: Vec<OverrideAccount> = profile
        .accounts
        .iter()
        .map(|account| {
            let card = profile
                .plan
                .cards
                .iter()
                .find(|card| card.account_id == account.account_id);
            override_account(account, card, identity.clone())
        })
        .collect();
    let limits = Limits::new(profile.plan.as_of);
    let mut latest_income: Option<Date> = None;
    for transaction in transactions {
        let account = profile
            .accounts
            .iter()
            .position(|a| a.account_id == transaction.account_id)
            .ok_or_else(|| Error::UnknownAccount {
                user_id: profile.user_id.clone(),
                transaction_id: transaction.transaction_id.clone(),
                account_id: transaction.account_id.clone(),
            })?;
        let entry = transaction_override(profile, transaction, &limits)?;
        if transaction.personal_finance_category.detailed == PAYROLL_CATEGORY
            && transaction.amount < Decimal::ZERO
        {
            latest_income = latest_income.max(Some(transaction.date));
        }
        override_accounts[account].transactions.push(entry);
    }
    if latest_income.is_none_or(|date| date < limits.income_from) {
        return Err(Error::NoRecentIncome {
            user_id: profile.user_id.clone(),
            latest: latest_income,
            from: limits.income_from,
            as_of: limits.as_of,
        });
    }
    Ok(UserCustom { override_accounts })
}

/// The days Plaid's Sandbox takes, counted back from `as_of`.
struct Limits {
    as_of: Date,
    /// The first day a transaction may be dated.
    from: Date,
    /// The first day a paycheck counts as recent income.
    income_from: Date,
}

impl Limits {
    fn new(as_of: Date) -> Limits {
        Limits {
            as_of,
            from: as_of.add_days(1 - TRANSACTION_DAYS),
            income_from: as_of.add_days(1 - INCOME_DAYS),
        }
    }
}

fn transaction_override(
    profile: &UserProfile,
    transaction: &Transaction,
    limits: &Limits,
) -> Result<TransactionOverride, Error> {
    let date_posted = transaction.date;
    let date_transacted = transaction.authorized_date.unwrap_or(date_posted);
    for date in [date_transacted, date_posted] {
        if date < limits.from || date > limits.as_of {
            return Err(Error::TransactionOutsideHistory {
                user_id: profile.user_id.clone(),
                transaction_id: transaction.transaction_id.clone(),
                date,
                from: limits.from,
                as_of: limits.as_of,
            });
        }
    }
    let mut amount = transaction.amount;
    if amount.round_dp(2) != amount {
        return Err(Error::AmountNotCents {
            user_id: profile.user_id.clone(),
            transaction_id: transaction.transaction_id.clone(),
            amount,
        });
    }
    amount.rescale(2);
    Ok(TransactionOverride {
        date_transacted,
        date_posted,
        amount,
        description: description(transaction),
        currency: transaction
            .iso_currency_code
            .clone()
            .or_else(|| transaction.unofficial_currency_code.clone()),
    })
}

/// A transaction's `description`: its `name`, followed by
/// [`MERCHANT_NAME`] and its `merchant_name` when it has one
/// (`Netflix. Merchant name: Netflix`, `Transfer to savings`).
///
/// Plaid's `TransactionOverride` has no merchant or category field; its
/// Sandbox categorises the description. Plaid's example files write the
/// merchant into it this way (`TWILIO INC. Merchant name: Twilio`, also when
/// the two are the same), so the export does too: the statement text stays
/// first and the merchant is spelled out for the categoriser.
pub fn description(transaction: &Transaction) -> String {
    match &transaction.merchant_name {
        Some(merchant) => {
            let mut text = String::with_capacity(
                transaction.name.len() + MERCHANT_NAME.len() + merchant.len(),
            );
            text.push_str(&transaction.name);
            text.push_str(MERCHANT_NAME);
            text.push_str(merchant);
            text
        }
        None => transaction.name.clone(),
    }
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
        transactions: Vec::new(),
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
    use spendsense_generator::{Generator, GeneratorConfig, Overlap};
    use spendsense_schema::{CardPayment, Category, PaymentChannel};

    fn dec(text: &str) -> Decimal {
        Decimal::from_str_exact(text).unwrap()
    }

    /// Profiles `0..count` of a run and their transactions.
    fn generated(config: GeneratorConfig) -> Vec<(UserProfile, Vec<Transaction>)> {
        let generator = Generator::new(&config).unwrap();
        (0..config.count)
            .map(|index| {
                let profile = generator.profile(index);
                let ledger = generator.ledger(index, &profile);
                assert_eq!(ledger.as_of, profile.plan.as_of);
                (profile, ledger.transactions)
            })
            .collect()
    }

    /// A profile with its ledger as a seed-42 run would realise it.
    fn with_ledger(profile: UserProfile) -> (UserProfile, Vec<Transaction>) {
        let generator = Generator::new(&GeneratorConfig::new(42, 1)).unwrap();
        let transactions = generator.ledger(0, &profile).transactions;
        (profile, transactions)
    }

    /// The sample profile with its card paid each way the plan knows.
    fn samples() -> Vec<(UserProfile, Vec<Transaction>)> {
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
            with_ledger(profile)
        })
        .collect()
    }

    /// Checks one profile's configuration against its transactions: every
    /// account lists exactly its own, in ledger order, field for field, so
    /// counts and sums per account are the ledger's.
    fn check(profile: &UserProfile, transactions: &[Transaction], custom: &UserCustom) {
        assert_eq!(custom.override_accounts.len(), profile.accounts.len());
        let mut listed = 0;
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
            let own: Vec<&Transaction> = transactions
                .iter()
                .filter(|t| t.account_id == account.account_id)
                .collect();
            let where_ = (&profile.user_id, &account.account_id);
            assert_eq!(entry.transactions.len(), own.len(), "{where_:?}");
            let sum = |amounts: &mut dyn Iterator<Item = Decimal>| amounts.sum::<Decimal>();
            assert_eq!(
                sum(&mut entry.transactions.iter().map(|t| t.amount)),
                sum(&mut own.iter().map(|t| t.amount)),
                "{where_:?}"
            );
            for (written, transaction) in entry.transactions.iter().zip(own) {
                assert_eq!(written.date_posted, transaction.date);
                assert_eq!(Some(written.date_transacted), transaction.authorized_date);
                assert_eq!(written.amount, transaction.amount);
                assert_eq!(written.amount.scale(), 2);
                assert_eq!(written.description, description(transaction));
                assert!(written.description.starts_with(&transaction.name));
                assert_eq!(written.currency, transaction.iso_currency_code);
            }
            listed += entry.transactions.len();
        }
        assert_eq!(
            listed,
            transactions.len(),
            "every transaction is listed once"
        );
    }

    #[test]
    fn every_account_lists_its_own_transactions_with_the_ledgers_counts_and_sums() {
        let overlap = |share| GeneratorConfig {
            overlap: Overlap::parse(share).unwrap(),
            ..GeneratorConfig::new(5, 60)
        };
        let sets = [
            generated(GeneratorConfig::new(1, 1)),
            generated(GeneratorConfig::new(42, 100)),
            generated(GeneratorConfig::new(9, 300)),
            generated(overlap("1")),
            samples(),
        ];
        let mut exported = 0;
        for set in sets {
            for (profile, transactions) in set {
                // Every generated profile has a paycheck in the last 90
                // days, so every one is within Plaid's limits.
                let custom = user_custom(&profile, &transactions)
                    .unwrap_or_else(|err| panic!("{}: {err}", profile.user_id));
                check(&profile, &transactions, &custom);
                exported += 1;
            }
        }
        assert_eq!(exported, 465);
    }

    #[test]
    fn transactions_follow_plaids_sign_convention_and_name_the_merchant() {
        let (profile, transactions) = with_ledger(spendsense_schema::sample::profile());
        let custom = user_custom(&profile, &transactions).unwrap();
        let checking = &custom.override_accounts[0];
        assert_eq!(checking.subtype, AccountSubtype::Checking);
        let employer = &profile.plan.income.employer;
        let paychecks: Vec<&TransactionOverride> = checking
            .transactions
            .iter()
            .filter(|t| t.description == format!("{employer} Payroll. Merchant name: {employer}"))
            .collect();
        assert_eq!(paychecks.len(), profile.plan.income.paychecks.len());
        for (written, planned) in paychecks.iter().zip(&profile.plan.income.paychecks) {
            assert_eq!(written.amount, -planned.amount, "money in is negative");
            assert_eq!(
                (written.date_transacted, written.date_posted),
                (planned.date, planned.date)
            );
        }
        let savings = &custom.override_accounts[1];
        assert!(!savings.transactions.is_empty());
        for transfer in &savings.transactions {
            assert_eq!(
                transfer.description, "Transfer from checking",
                "no merchant, no suffix"
            );
            assert!(transfer.amount < Decimal::ZERO);
        }
        // The revolving sample: its card is charged interest and paid.
        let (profile, transactions) = &samples()[1];
        let custom = user_custom(profile, transactions).unwrap();
        let card = &custom.override_accounts[2];
        assert_eq!(card.subtype, AccountSubtype::CreditCard);
        let interest = card
            .transactions
            .iter()
            .filter(|t| t.description == "Interest charge");
        assert!(interest.clone().count() >= 5);
        assert!(
            interest.clone().all(|t| t.amount == dec("21.40")),
            "money out is positive"
        );
        let payments = card
            .transactions
            .iter()
            .filter(|t| t.description == "Payment received");
        assert!(payments.clone().count() >= 5);
        assert!(payments.clone().all(|t| t.amount < Decimal::ZERO));
    }

    #[test]
    fn transactions_are_written_as_plaids_transaction_override() {
        let (profile, transactions) = with_ledger(spendsense_schema::sample::profile());
        let text = serde_json::to_string(&user_custom(&profile, &transactions).unwrap()).unwrap();
        let paycheck = &profile.plan.income.paychecks[0];
        let employer = &profile.plan.income.employer;
        let expected = format!(
            r#"{{"date_transacted":"{date}","date_posted":"{date}","amount":-{amount},"description":"{employer} Payroll. Merchant name: {employer}","currency":"USD"}}"#,
            date = paycheck.date,
            amount = paycheck.amount,
        );
        assert!(text.contains(&expected), "{expected} in {text}");
        assert!(
            text.contains(r#""is_overdue":false},"transactions":[{"#),
            "{text}"
        );

        let checking_only: Vec<Transaction> = transactions
            .into_iter()
            .filter(|t| t.account_id == profile.accounts[0].account_id)
            .collect();
        let text = serde_json::to_string(&user_custom(&profile, &checking_only).unwrap()).unwrap();
        assert_eq!(
            text.matches(r#","transactions":[]}"#).count(),
            2,
            "savings and card list no transactions, as an empty list: {text}"
        );
    }

    /// The sample profile's ledger with one change, and what `user_custom` makes of it.
    fn changed(change: impl FnOnce(&mut Vec<Transaction>)) -> Result<UserCustom, Error> {
        let (profile, mut transactions) = with_ledger(spendsense_schema::sample::profile());
        change(&mut transactions);
        user_custom(&profile, &transactions)
    }

    /// A purchase on the sample's checking account, made and posted on `date`.
    fn purchase(date: Date, amount: &str) -> Transaction {
        Transaction {
            transaction_id: "user_MASKED_000-t9999".into(),
            account_id: "user_MASKED_000_acct_0".into(),
            amount: dec(amount),
            iso_currency_code: Some("USD".into()),
            unofficial_currency_code: None,
            date,
            authorized_date: Some(date),
            name: "Corner Shop".into(),
            merchant_name: None,
            payment_channel: PaymentChannel::InStore,
            personal_finance_category: Category {
                primary: "GENERAL_MERCHANDISE".into(),
                detailed: "GENERAL_MERCHANDISE_OTHER_GENERAL_MERCHANDISE".into(),
            },
            pending: false,
        }
    }

    const AS_OF: Date = match Date::from_ymd(2026, 11, 30) {
        Some(date) => date,
        None => panic!("a valid date"),
    };

    #[test]
    fn transactions_must_fall_in_the_two_years_ending_at_as_of() {
        assert_eq!(spendsense_schema::sample::profile().plan.as_of, AS_OF);
        let from = AS_OF.add_days(1 - TRANSACTION_DAYS);
        assert_eq!(from.to_string(), "2024-12-01");
        for date in [from, AS_OF] {
            assert!(
                changed(|t| t.push(purchase(date, "5.00"))).is_ok(),
                "{date}"
            );
        }
        let outside = |date: Date| Error::TransactionOutsideHistory {
            user_id: "user_MASKED_000".into(),
            transaction_id: "user_MASKED_000-t9999".into(),
            date,
            from,
            as_of: AS_OF,
        };
        for date in [from.add_days(-1), AS_OF.add_days(1), Date::MIN, Date::MAX] {
            assert_eq!(
                changed(|t| t.push(purchase(date, "5.00"))),
                Err(outside(date))
            );
        }
        // Authorized before the window, posted in it: the earlier date counts.
        let early = from.add_days(-1);
        let err = changed(|t| {
            let mut late = purchase(from, "5.00");
            late.authorized_date = Some(early);
            t.push(late);
        });
        assert_eq!(err, Err(outside(early)));
        assert_eq!(
            err.unwrap_err().to_string(),
            "transaction `user_MASKED_000-t9999` of user `user_MASKED_000` is dated 2024-11-30; \
             Plaid's Sandbox takes transactions from the 730 days (two years) ending at as_of, \
             2024-12-01 to 2026-11-30"
        );
    }

    #[test]
    fn a_payroll_deposit_must_post_in_the_90_days_ending_at_as_of() {
        let from = AS_OF.add_days(1 - INCOME_DAYS);
        assert_eq!(from.to_string(), "2026-09-02");
        let is_payroll = |t: &Transaction| t.personal_finance_category.detailed == PAYROLL_CATEGORY;
        // Paychecks posted before `until` only.
        let paid_until = |until: Date| {
            move |t: &mut Vec<Transaction>| t.retain(|t| !is_payroll(t) || t.date < until)
        };
        let sample = spendsense_schema::sample::profile();
        let dates: Vec<Date> = sample
            .plan
            .income
            .paychecks
            .iter()
            .map(|p| p.date)
            .collect();
        assert!(changed(paid_until(AS_OF.add_days(1))).is_ok());
        let last_in_window = dates.iter().copied().filter(|d| *d >= from).min().unwrap();
        let last_before = dates.iter().copied().filter(|d| *d < from).max().unwrap();
        assert!(changed(paid_until(last_in_window.add_days(1))).is_ok());
        let none_recent = |latest| Error::NoRecentIncome {
            user_id: "user_MASKED_000".into(),
            latest,
            from,
            as_of: AS_OF,
        };
        let err = changed(paid_until(last_in_window));
        assert_eq!(err, Err(none_recent(Some(last_before))));
        assert_eq!(
            err.unwrap_err().to_string(),
            format!(
                "user `user_MASKED_000` has no payroll deposit (INCOME_WAGES) from 2026-09-02 to \
                 2026-11-30, the 90 days ending at as_of that Plaid's Sandbox reads income from; \
                 its latest is dated {last_before}"
            )
        );
        assert_eq!(changed(paid_until(Date::MIN)), Err(none_recent(None)));
        // A payroll deposit on the window's first day counts; a payroll
        // reversal (money out) is no income.
        let mut on_first_day = purchase(from, "-100.00");
        on_first_day.personal_finance_category.detailed = PAYROLL_CATEGORY.into();
        let mut reversal = on_first_day.clone();
        reversal.amount = dec("100.00");
        assert!(
            changed(|t| {
                paid_until(Date::MIN)(t);
                t.push(on_first_day);
            })
            .is_ok()
        );
        assert_eq!(
            changed(|t| {
                paid_until(Date::MIN)(t);
                t.push(reversal);
            }),
            Err(none_recent(None))
        );
    }

    #[test]
    fn amounts_are_cents_and_accounts_the_profiles_own() {
        let written = |amount: &str| {
            let custom = changed(|t| t.push(purchase(AS_OF, amount))).unwrap();
            let last = custom.override_accounts[0]
                .transactions
                .last()
                .unwrap()
                .clone();
            serde_json::to_string(&last.amount.to_string()).unwrap()
        };
        assert_eq!(written("25"), r#""25.00""#);
        assert_eq!(written("2.5"), r#""2.50""#);
        assert_eq!(written("1.230"), r#""1.23""#);
        assert_eq!(
            changed(|t| t.push(purchase(AS_OF, "1.005"))),
            Err(Error::AmountNotCents {
                user_id: "user_MASKED_000".into(),
                transaction_id: "user_MASKED_000-t9999".into(),
                amount: dec("1.005"),
            })
        );
        let err = changed(|t| {
            let mut stray = purchase(AS_OF, "5.00");
            stray.account_id = "user_MASKED_001_acct_0".into();
            t.push(stray);
        });
        assert_eq!(
            err.unwrap_err().to_string(),
            "transaction `user_MASKED_000-t9999` of user `user_MASKED_000` is on account \
             `user_MASKED_001_acct_0`, which the profile does not have"
        );
    }

    #[test]
    fn dates_are_written_as_their_display_form() {
        let text = |date: Date| {
            let mut out = Vec::new();
            iso_date(&date, &mut serde_json::Serializer::new(&mut out)).unwrap();
            String::from_utf8(out).unwrap()
        };
        let mut date = Date::from_ymd(1, 1, 1).unwrap();
        while date < Date::from_ymd(3000, 1, 1).unwrap() {
            assert_eq!(text(date), format!("\"{date}\""));
            date = date.add_days(97);
        }
        for date in [
            Date::MIN,
            Date::MAX,
            Date::from_ymd(9999, 12, 31).unwrap(),
            AS_OF,
        ] {
            assert_eq!(text(date), format!("\"{date}\""));
        }
    }

    #[test]
    fn description_appends_the_merchant_like_plaids_examples() {
        let mut transaction = purchase(AS_OF, "5.00");
        assert_eq!(description(&transaction), "Corner Shop");
        transaction.merchant_name = Some("Corner Shop".into());
        assert_eq!(
            description(&transaction),
            "Corner Shop. Merchant name: Corner Shop"
        );
        transaction.name = "TWILIO INC".into();
        transaction.merchant_name = Some("Twilio".into());
        assert_eq!(
            description(&transaction),
            "TWILIO INC. Merchant name: Twilio"
        );
    }

    #[test]
    fn identity_maps_to_plaids_owner_shape() {
        let (profile, transactions) = &generated(GeneratorConfig::new(42, 1))[0];
        let custom = user_custom(profile, transactions).unwrap();
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
        let (profile, transactions) = with_ledger(spendsense_schema::sample::profile());
        let text = serde_json::to_string(&user_custom(&profile, &transactions).unwrap()).unwrap();
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
        assert!(!text.contains("null"), "{text}");
        assert!(!text.contains("has_null_available_balance"), "{text}");
        assert!(
            !text.contains("inflow_model"),
            "the paychecks are the income: {text}"
        );
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
