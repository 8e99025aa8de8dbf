//! The tables of a dataset as typed columns: the one description every typed
//! view (Parquet, SQLite and Postgres DDL, reader type specs, the CSV schema)
//! is generated from, and [`profile_rows`] / [`ledger_rows`], which hand each
//! row's values over typed, in the columns' order.
//!
//! The tables and their column names are those of `--format csv`
//! ([`crate::tables`], [`crate::ledger`]); the types, nullability and
//! descriptions are those of the model's JSON Schema. Tests compare both ways:
//! every column's type, nullability, enum spellings and description with the
//! schema of its field, and every row's values, written as text, with the CSV
//! writer's row, so a field added to the model fails here until it is typed.

use rust_decimal::Decimal;
use spendsense_schema::{CardLiability, Date, PersonaId, Transaction, UserProfile, reference};

/// Precision of every [`ColumnType::Decimal`] column: 16 digits before the
/// point, far past any amount a profile holds.
pub const DECIMAL_PRECISION: u8 = 18;
/// Scale of every [`ColumnType::Decimal`] column: cents
/// ([`spendsense_schema::money::MAX_SCALE`]).
pub const DECIMAL_SCALE: u8 = 2;

/// A column's logical type; every typed format maps these and only these.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    /// UTF-8 text: ids, names, masks, postal codes and phone numbers, which
    /// look like numbers but are not (leading zeros matter).
    Text,
    /// An exact amount, DECIMAL([`DECIMAL_PRECISION`], [`DECIMAL_SCALE`]).
    Decimal,
    /// A calendar day, `YYYY-MM-DD` in text formats.
    Date,
    /// A whole number within `min..=max`.
    Integer {
        /// The smallest value allowed.
        min: i64,
        /// The largest value allowed.
        max: i64,
    },
    /// `true` or `false`.
    Boolean,
    /// One of a fixed set of spellings.
    Enum(&'static [&'static str]),
    /// A list of persona ids (`matched_personas`): `;`-joined in CSV.
    PersonaList,
}

/// One column of a [`Table`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// Its name, the CSV header's.
    pub name: &'static str,
    /// Its type.
    pub kind: ColumnType,
    /// Whether a row may leave it null (an empty CSV field).
    pub nullable: bool,
    /// What it holds: the model's description of the field, on one line.
    pub description: &'static str,
}

/// Columns of one table that must equal a key of another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ForeignKey {
    /// The referring columns.
    pub columns: &'static [&'static str],
    /// The [`Table::name`] referred to.
    pub table: &'static str,
    /// Its columns, its primary key.
    pub references: &'static [&'static str],
}

/// One table of a dataset.
///
/// Keys hold in every generated dataset (the validator checks that user and
/// account ids are unique). They are circular, `users`' savings-transfer
/// accounts point to `accounts`, whose rows point back to `users`, so SQL
/// views of the model declare foreign keys deferrable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Table {
    /// `users`, `accounts`, `paychecks`, `recurring`, `cards`,
    /// `transactions` or `liabilities`.
    pub name: &'static str,
    /// Its file in the CSV output, e.g. `users.csv`.
    pub csv_file: &'static str,
    /// Its columns, in the CSV header's order.
    pub columns: &'static [Column],
    /// The columns that identify a row; empty when nothing does (two
    /// paychecks may share a user and a day).
    pub primary_key: &'static [&'static str],
    /// Columns that refer to another table's key.
    pub foreign_keys: &'static [ForeignKey],
    /// What one row is.
    pub description: &'static str,
}

impl Table {
    /// The column called `name`.
    pub fn column(&self, name: &str) -> Option<&'static Column> {
        self.columns.iter().find(|column| column.name == name)
    }
}

/// The profile tables, in the order of [`crate::tables::FILES`].
pub const PROFILE_TABLES: [Table; 5] = [
    Table {
        name: "users",
        csv_file: crate::tables::USERS_FILE,
        columns: &USERS,
        primary_key: &["user_id"],
        foreign_keys: &[
            to_account(&["savings_transfers_from_account_id"]),
            to_account(&["savings_transfers_to_account_id"]),
        ],
        description: "One row per profile: demographics, identity, characteristics and the plan's scalar fields.",
    },
    Table {
        name: "accounts",
        csv_file: crate::tables::ACCOUNTS_FILE,
        columns: &ACCOUNTS,
        primary_key: &["account_id"],
        foreign_keys: &[TO_USER],
        description: "One row per account of a profile.",
    },
    Table {
        name: "paychecks",
        csv_file: crate::tables::PAYCHECKS_FILE,
        columns: &PAYCHECKS,
        primary_key: &[],
        foreign_keys: &[TO_USER],
        description: "One row per planned paycheck (`plan.income.paychecks`).",
    },
    Table {
        name: "recurring",
        csv_file: crate::tables::RECURRING_FILE,
        columns: &RECURRING,
        primary_key: &[],
        foreign_keys: &[TO_USER, to_account(&["account_id"])],
        description: "One row per planned recurring charge (`plan.recurring`).",
    },
    Table {
        name: "cards",
        csv_file: crate::tables::CARDS_FILE,
        columns: &CARDS,
        primary_key: &["account_id"],
        foreign_keys: &[TO_USER, to_account(&["account_id"])],
        description: "One row per card plan (`plan.cards`): how a credit card is used and paid.",
    },
];

/// The ledger tables, in the order of [`crate::ledger::FILES`].
pub const LEDGER_TABLES: [Table; 2] = [
    Table {
        name: "transactions",
        csv_file: crate::ledger::TRANSACTIONS_FILE,
        columns: &TRANSACTIONS,
        primary_key: &["transaction_id"],
        foreign_keys: &[TO_USER, to_account(&["account_id"])],
        description: "One row per transaction of a profile's ledger.",
    },
    Table {
        name: "liabilities",
        csv_file: crate::ledger::LIABILITIES_FILE,
        columns: &LIABILITIES,
        primary_key: &["account_id"],
        foreign_keys: &[TO_USER, to_account(&["account_id"])],
        description: "One row per credit card's liability as of `as_of`.",
    },
];

/// Every table: the profile tables, then the ledger's.
pub fn all_tables() -> impl Iterator<Item = &'static Table> {
    PROFILE_TABLES.iter().chain(LEDGER_TABLES.iter())
}

/// The table called `name`.
pub fn table(name: &str) -> Option<&'static Table> {
    all_tables().find(|table| table.name == name)
}

const TO_USER: ForeignKey = ForeignKey {
    columns: &["user_id"],
    table: "users",
    references: &["user_id"],
};

const fn to_account(columns: &'static [&'static str]) -> ForeignKey {
    ForeignKey {
        columns,
        table: "accounts",
        references: &["account_id"],
    }
}

/// One typed cell, borrowed from the profile or ledger.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value<'a> {
    /// No value (a nullable column).
    Null,
    /// A [`ColumnType::Text`] or [`ColumnType::Enum`] value.
    Text(&'a str),
    /// A [`ColumnType::Decimal`] value, with the scale the model holds.
    Decimal(Decimal),
    /// A [`ColumnType::Date`] value.
    Date(Date),
    /// A [`ColumnType::Integer`] value.
    Integer(i64),
    /// A [`ColumnType::Boolean`] value.
    Boolean(bool),
    /// A [`ColumnType::PersonaList`] value.
    PersonaList(&'a [PersonaId]),
}

impl<'a> Value<'a> {
    fn text(text: Option<&'a str>) -> Self {
        text.map_or(Value::Null, Value::Text)
    }

    fn decimal(amount: Option<Decimal>) -> Self {
        amount.map_or(Value::Null, Value::Decimal)
    }

    fn date(date: Option<Date>) -> Self {
        date.map_or(Value::Null, Value::Date)
    }
}

/// Calls `row(table, values)` once per row of `profile`, in the CSV writer's
/// order: its `users` row, then its accounts, paychecks, recurring charges
/// and card plans. `table` indexes [`PROFILE_TABLES`] and `values` holds that
/// table's columns in order. Allocates nothing.
pub fn profile_rows<'p>(profile: &'p UserProfile, mut row: impl FnMut(usize, &[Value<'p>])) {
    use Value::{Boolean, Decimal as Amount, Integer as Whole, Text};
    let traits = &profile.characteristics;
    let identity = &profile.identity;
    let address = &identity.address;
    let plan = &profile.plan;
    let transfers = plan.savings_transfers.as_ref();
    let users: [Value<'p>; USERS.len()] = [
        Text(&profile.user_id),
        Text(&profile.name),
        Text(profile.persona.as_str()),
        Value::text(profile.expected_assignment.map(PersonaId::as_str)),
        profile
            .matched_personas
            .as_deref()
            .map_or(Value::Null, Value::PersonaList),
        Amount(profile.annual_income),
        Whole(profile.demographics.age.into()),
        Text(&profile.demographics.state),
        Text(&identity.email),
        Text(&identity.phone_number),
        Text(&address.street),
        Text(&address.city),
        Text(&address.region),
        Text(&address.postal_code),
        Text(&address.country),
        Amount(traits.target_credit_utilization),
        Amount(traits.target_savings_monthly),
        Text(traits.income_stability.as_str()),
        Text(traits.pay_frequency.as_str()),
        Whole(traits.median_pay_gap_days.into()),
        Whole(traits.subscription_count_target.into()),
        Value::Date(plan.as_of),
        Value::Date(plan.history_start),
        Text(&plan.income.employer),
        Text(plan.income.frequency.as_str()),
        Amount(plan.monthly_expenses),
        Value::text(transfers.map(|t| &*t.from_account_id)),
        Value::text(transfers.map(|t| &*t.to_account_id)),
        Value::decimal(transfers.map(|t| t.amount)),
        Value::text(transfers.map(|t| t.cadence.as_str())),
        Value::date(transfers.map(|t| t.first_transfer)),
    ];
    row(0, &users);
    let user_id = Text(&profile.user_id);
    for account in &profile.accounts {
        let balances = &account.balances;
        let values: [Value<'p>; ACCOUNTS.len()] = [
            user_id,
            Text(&account.account_id),
            Value::decimal(balances.available),
            Value::decimal(balances.current),
            Value::decimal(balances.limit),
            Value::text(balances.iso_currency_code.as_deref()),
            Value::text(balances.unofficial_currency_code.as_deref()),
            Value::text(account.mask.as_deref()),
            Text(&account.name),
            Value::text(account.official_name.as_deref()),
            Text(account.account_type.as_str()),
            Text(account.subtype.as_str()),
            Text(account.holder_category.as_str()),
        ];
        row(1, &values);
    }
    for paycheck in &plan.income.paychecks {
        row(
            2,
            &[user_id, Value::Date(paycheck.date), Amount(paycheck.amount)],
        );
    }
    for charge in &plan.recurring {
        let values: [Value<'p>; RECURRING.len()] = [
            user_id,
            Text(&charge.merchant),
            Text(&charge.category.primary),
            Text(&charge.category.detailed),
            Amount(charge.amount),
            Text(charge.cadence.as_str()),
            Value::Date(charge.first_charge),
            Text(&charge.account_id),
        ];
        row(3, &values);
    }
    for card in &plan.cards {
        let values: [Value<'p>; CARDS.len()] = [
            user_id,
            Text(&card.account_id),
            Amount(card.purchase_apr),
            Whole(card.statement_day.into()),
            Text(card.payment.as_str()),
            Amount(card.last_statement_balance),
            Amount(card.minimum_payment),
            Amount(card.interest_per_statement),
            Value::Date(card.next_payment_due_date),
            Boolean(card.is_overdue),
        ];
        row(4, &values);
    }
}

/// Calls `row(table, values)` once per row of a profile's ledger: each of
/// `transactions` (table 0 of [`LEDGER_TABLES`]), then each of `liabilities`
/// (table 1), owned by `user_id`. Allocates nothing.
pub fn ledger_rows<'l>(
    user_id: &'l str,
    transactions: &'l [Transaction],
    liabilities: &'l [CardLiability],
    mut row: impl FnMut(usize, &[Value<'l>]),
) {
    use Value::{Boolean, Decimal as Amount, Text};
    for transaction in transactions {
        let category = &transaction.personal_finance_category;
        let values: [Value<'l>; TRANSACTIONS.len()] = [
            Text(user_id),
            Text(&transaction.transaction_id),
            Text(&transaction.account_id),
            Amount(transaction.amount),
            Value::text(transaction.iso_currency_code.as_deref()),
            Value::text(transaction.unofficial_currency_code.as_deref()),
            Value::Date(transaction.date),
            Value::date(transaction.authorized_date),
            Text(&transaction.name),
            Value::text(transaction.merchant_name.as_deref()),
            Text(transaction.payment_channel.as_str()),
            Text(&category.primary),
            Text(&category.detailed),
            Boolean(transaction.pending),
        ];
        row(0, &values);
    }
    for liability in liabilities {
        let values: [Value<'l>; LIABILITIES.len()] = [
            Text(user_id),
            Text(&liability.account_id),
            Boolean(liability.is_overdue),
            Value::decimal(liability.last_payment_amount),
            Value::date(liability.last_payment_date),
            Amount(liability.last_statement_balance),
            Amount(liability.minimum_payment_amount),
            Value::Date(liability.next_payment_due_date),
        ];
        row(1, &values);
    }
}

use ColumnType::{Boolean, Date as Day, Decimal as Money, Enum, Integer, PersonaList, Text};

const fn column(
    name: &'static str,
    kind: ColumnType,
    nullable: bool,
    description: &'static str,
) -> Column {
    Column {
        name,
        kind,
        nullable,
        description,
    }
}

const PERSONA_IDS: &[&str] = &[
    "high_utilization",
    "variable_income",
    "subscription_heavy",
    "savings_builder",
    "control",
];
const INCOME_STABILITIES: &[&str] = &["regular", "irregular"];
const PAY_FREQUENCIES: &[&str] = &["weekly", "biweekly", "semimonthly", "monthly", "irregular"];
const ACCOUNT_TYPES: &[&str] = &["depository", "credit", "loan"];
const ACCOUNT_SUBTYPES: &[&str] = &[
    "checking",
    "savings",
    "money market",
    "cd",
    "cash management",
    "hsa",
    "prepaid",
    "credit card",
    "mortgage",
    "student",
    "auto",
    "home equity",
    "line of credit",
    "consumer",
    "loan",
];
const HOLDER_CATEGORIES: &[&str] = &["personal", "business", "unrecognized"];
const CADENCES: &[&str] = &["monthly", "weekly"];
const CARD_PAYMENTS: &[&str] = &["pay_in_full", "revolving", "minimum_only", "overdue"];
const TRANSFER_CADENCES: &[&str] = &["biweekly"];
const COUNTRIES: &[&str] = &["US"];
const PAYMENT_CHANNELS: &[&str] = &["online", "in store", "other"];

/// Columns of `users`.
const USERS: [Column; 31] = [
    column(
        "user_id",
        Text,
        false,
        "Masked id, `user_MASKED_000`, `user_MASKED_001`, …",
    ),
    column(
        "name",
        Text,
        false,
        "Fictional full name, unique within a dataset.",
    ),
    column(
        "persona",
        Enum(PERSONA_IDS),
        false,
        "The persona the profile was generated for (ground truth).",
    ),
    column(
        "expected_assignment",
        Enum(PERSONA_IDS),
        true,
        "Overlap scenarios only: the persona the pipeline must assign, the highest-priority one of `matched_personas`. `null` otherwise.",
    ),
    column(
        "matched_personas",
        PersonaList,
        true,
        "Overlap scenarios only: every persona whose criteria the profile meets, in priority order. `null` otherwise (the profile meets exactly `persona`, or none for control).",
    ),
    column(
        "annual_income",
        Money,
        false,
        "Gross annual income in dollars, 20,000 to 200,000 (`ANNUAL_INCOME_RANGE`).",
    ),
    column(
        "age",
        Integer { min: 18, max: 100 },
        false,
        "Age in whole years, 18 to 100.",
    ),
    column(
        "state",
        Enum(reference::US_STATES),
        false,
        "Two-letter USPS code of a US state or DC, e.g. `CA`.",
    ),
    column(
        "email",
        Text,
        false,
        "Email at `example.com`, `example.org` or `example.net`.",
    ),
    column(
        "phone_number",
        Text,
        false,
        "US phone number `+1-NXX-555-01XX`, e.g. `+1-415-555-0142`.",
    ),
    column(
        "address_street",
        Text,
        false,
        "House number and street, e.g. `2992 Kuhic Parkway`.",
    ),
    column(
        "address_city",
        Text,
        false,
        "City, e.g. `North Elvieville`.",
    ),
    column(
        "address_region",
        Enum(reference::US_STATES),
        false,
        "USPS state code; equals `demographics.state`.",
    ),
    column("address_postal_code", Text, false, "Five-digit ZIP code."),
    column(
        "address_country",
        Enum(COUNTRIES),
        false,
        "ISO 3166-1 alpha-2 country code: always `US`.",
    ),
    column(
        "target_credit_utilization",
        Money,
        false,
        "Planned credit-card utilization as a fraction (0.70 = 70%); 0 without cards. Every card's `current / limit` lies within the persona's jitter of it.",
    ),
    column(
        "target_savings_monthly",
        Money,
        false,
        "Planned monthly transfer into savings, in dollars.",
    ),
    column(
        "income_stability",
        Enum(INCOME_STABILITIES),
        false,
        "Regular or irregular pay.",
    ),
    column(
        "pay_frequency",
        Enum(PAY_FREQUENCIES),
        false,
        "Pay schedule.",
    ),
    column(
        "median_pay_gap_days",
        Integer { min: 1, max: 65535 },
        false,
        "Median gap between paychecks, in days.",
    ),
    column(
        "subscription_count_target",
        Integer { min: 0, max: 255 },
        false,
        "Number of distinct recurring merchants the user pays.",
    ),
    column(
        "as_of",
        Day,
        false,
        "Last day of the history: every detection window ends on it.",
    ),
    column(
        "history_start",
        Day,
        false,
        "First day of the history, at least 180 days before `as_of` counting both ends.",
    ),
    column(
        "income_employer",
        Text,
        false,
        "The fictional payer, the deposit's counterparty.",
    ),
    column(
        "income_frequency",
        Enum(PAY_FREQUENCIES),
        false,
        "Pay schedule; equals `characteristics.pay_frequency`.",
    ),
    column(
        "monthly_expenses",
        Money,
        false,
        "Average monthly spending in dollars (recurring charges and everyday purchases, not transfers or card payments): what the cash-flow buffer divides by.",
    ),
    column(
        "savings_transfers_from_account_id",
        Text,
        true,
        "The checking account the money leaves.",
    ),
    column(
        "savings_transfers_to_account_id",
        Text,
        true,
        "The savings account it arrives in.",
    ),
    column(
        "savings_transfers_amount",
        Money,
        true,
        "Dollars per transfer.",
    ),
    column(
        "savings_transfers_cadence",
        Enum(TRANSFER_CADENCES),
        true,
        "How often.",
    ),
    column(
        "savings_transfers_first_transfer",
        Day,
        true,
        "The first transfer in the history.",
    ),
];

/// Columns of `accounts`.
const ACCOUNTS: [Column; 13] = [
    column("user_id", Text, false, "The owner's `user_id`."),
    column(
        "account_id",
        Text,
        false,
        "Stable identifier, unique within a dataset.",
    ),
    column(
        "balances_available",
        Money,
        true,
        "Spendable amount. For credit: `limit - current`.",
    ),
    column(
        "balances_current",
        Money,
        false,
        "Ledger balance. For credit: the amount owed.",
    ),
    column(
        "balances_limit",
        Money,
        true,
        "Credit limit; `null` for depository accounts.",
    ),
    column(
        "balances_iso_currency_code",
        Enum(reference::ISO_4217_CODES),
        true,
        "ISO 4217 code, e.g. `USD`. Exactly one of the two codes is non-null.",
    ),
    column(
        "balances_unofficial_currency_code",
        Text,
        true,
        "Code for currencies without an ISO code (e.g. crypto).",
    ),
    column(
        "mask",
        Text,
        false,
        "Last four digits of the account number.",
    ),
    column(
        "name",
        Text,
        false,
        "Name the user or institution gave the account.",
    ),
    column(
        "official_name",
        Text,
        true,
        "The institution's marketing name for the product.",
    ),
    column("type", Enum(ACCOUNT_TYPES), false, "Plaid account type."),
    column(
        "subtype",
        Enum(ACCOUNT_SUBTYPES),
        false,
        "Plaid account subtype; must belong to `account_type`.",
    ),
    column(
        "holder_category",
        Enum(HOLDER_CATEGORIES),
        false,
        "Personal or business.",
    ),
];

/// Columns of `paychecks`.
const PAYCHECKS: [Column; 3] = [
    column("user_id", Text, false, "The owner's `user_id`."),
    column("date", Day, false, "The day it arrives."),
    column("amount", Money, false, "Net (take-home) amount in dollars."),
];

/// Columns of `recurring`.
const RECURRING: [Column; 8] = [
    column("user_id", Text, false, "The owner's `user_id`."),
    column(
        "merchant",
        Text,
        false,
        "The merchant's name as it appears on statements, e.g. `Netflix`.",
    ),
    column(
        "category_primary",
        Text,
        false,
        "Primary category, e.g. `ENTERTAINMENT`.",
    ),
    column(
        "category_detailed",
        Text,
        false,
        "Detailed category, starting with the primary one, e.g. `ENTERTAINMENT_TV_AND_MOVIES`.",
    ),
    column("amount", Money, false, "Dollars per charge."),
    column("cadence", Enum(CADENCES), false, "How often it repeats."),
    column(
        "first_charge",
        Day,
        false,
        "The first charge in the history; monthly charges repeat on its day of the month (1 to 28), weekly ones every 7 days.",
    ),
    column(
        "account_id",
        Text,
        false,
        "The account charged: checking or a credit card of the profile.",
    ),
];

/// Columns of `cards`.
const CARDS: [Column; 10] = [
    column("user_id", Text, false, "The owner's `user_id`."),
    column("account_id", Text, false, "The card's `account_id`."),
    column(
        "purchase_apr",
        Money,
        false,
        "Purchase APR in percent a year, e.g. `24.99`.",
    ),
    column(
        "statement_day",
        Integer { min: 1, max: 28 },
        false,
        "Day of the month each statement closes, 1 to 28.",
    ),
    column(
        "payment",
        Enum(CARD_PAYMENTS),
        false,
        "How the statements are paid.",
    ),
    column(
        "last_statement_balance",
        Money,
        false,
        "Balance on the last statement on or before `as_of`, in dollars.",
    ),
    column(
        "minimum_payment",
        Money,
        false,
        "Minimum payment due on the last statement, in dollars.",
    ),
    column(
        "interest_per_statement",
        Money,
        false,
        "Interest charged on each statement, in dollars; 0 when paid in full.",
    ),
    column(
        "next_payment_due_date",
        Day,
        false,
        "When the next payment is due: 25 days after the last statement.",
    ),
    column(
        "is_overdue",
        Boolean,
        false,
        "Whether a payment is past due (Plaid's `is_overdue`): exactly when `payment` is `overdue`.",
    ),
];

/// Columns of `transactions`.
const TRANSACTIONS: [Column; 14] = [
    column("user_id", Text, false, "The owner's `user_id`."),
    column(
        "transaction_id",
        Text,
        false,
        "Unique across a dataset: the user's id, `-t` and a sequence number in date order.",
    ),
    column(
        "account_id",
        Text,
        false,
        "The account the money moves in or out of.",
    ),
    column(
        "amount",
        Money,
        false,
        "Dollars; positive is money out of the account, negative money in (Plaid's convention).",
    ),
    column("iso_currency_code", Text, true, "Always `USD`."),
    column(
        "unofficial_currency_code",
        Text,
        true,
        "Always `null` (Plaid's key for currencies without an ISO code).",
    ),
    column(
        "date",
        Day,
        false,
        "The day the transaction posted: what detection windows count.",
    ),
    column(
        "authorized_date",
        Day,
        true,
        "The day it was made; a card purchase posts a day later.",
    ),
    column("name", Text, false, "The statement description."),
    column(
        "merchant_name",
        Text,
        true,
        "The merchant or payer, when there is one; `null` for transfers, card payments and fees.",
    ),
    column(
        "payment_channel",
        Enum(PAYMENT_CHANNELS),
        false,
        "How it was made.",
    ),
    column(
        "personal_finance_category_primary",
        Text,
        false,
        "Primary category, e.g. `ENTERTAINMENT`.",
    ),
    column(
        "personal_finance_category_detailed",
        Text,
        false,
        "Detailed category, starting with the primary one, e.g. `ENTERTAINMENT_TV_AND_MOVIES`.",
    ),
    column(
        "pending",
        Boolean,
        false,
        "Always `false`: every transaction of the history has posted.",
    ),
];

/// Columns of `liabilities`.
const LIABILITIES: [Column; 8] = [
    column("user_id", Text, false, "The owner's `user_id`."),
    column("account_id", Text, false, "The card's `account_id`."),
    column(
        "is_overdue",
        Boolean,
        false,
        "Whether a payment is past due.",
    ),
    column(
        "last_payment_amount",
        Money,
        true,
        "The most recent payment received, in dollars; `null` before the first.",
    ),
    column("last_payment_date", Day, true, "When it was received."),
    column(
        "last_statement_balance",
        Money,
        false,
        "Balance on the last statement, in dollars.",
    ),
    column(
        "minimum_payment_amount",
        Money,
        false,
        "Minimum payment due on the last statement, in dollars.",
    ),
    column(
        "next_payment_due_date",
        Day,
        false,
        "When the next payment is due.",
    ),
];

#[cfg(test)]
mod tests;
