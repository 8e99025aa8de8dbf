//! One row of each profile table as the part of a [`UserProfile`] it
//! holds: the inverse of `spendsense_export::columns::profile_rows`, column
//! by column, each with the field's path in the profile.

use spendsense_schema::{
    Account, AccountSubtype, AccountType, Address, Balances, Cadence, CardPayment, CardPlan,
    Category, Characteristics, Demographics, HolderCategory, Identity, IncomePlan, IncomeStability,
    PayFrequency, Paycheck, Plan, RecurringCharge, SavingsTransfers, TransferCadence, UserProfile,
};

use super::row::{Fault, Row};

// Every variant of the model's enums that have no `ALL` of their own;
// their spellings are the enums' own `as_str`. A test checks that these
// spell exactly the columns' `Enum` spellings, which the export crate's
// tests check against the model's JSON Schema.
pub(super) const ACCOUNT_TYPES: [AccountType; 3] = [
    AccountType::Depository,
    AccountType::Credit,
    AccountType::Loan,
];
pub(super) const HOLDER_CATEGORIES: [HolderCategory; 3] = [
    HolderCategory::Personal,
    HolderCategory::Business,
    HolderCategory::Unrecognized,
];
pub(super) const INCOME_STABILITIES: [IncomeStability; 2] =
    [IncomeStability::Regular, IncomeStability::Irregular];
pub(super) const PAY_FREQUENCIES: [PayFrequency; 5] = [
    PayFrequency::Weekly,
    PayFrequency::Biweekly,
    PayFrequency::Semimonthly,
    PayFrequency::Monthly,
    PayFrequency::Irregular,
];
pub(super) const CADENCES: [Cadence; 2] = [Cadence::Monthly, Cadence::Weekly];
pub(super) const CARD_PAYMENTS: [CardPayment; 4] = [
    CardPayment::PayInFull,
    CardPayment::Revolving,
    CardPayment::MinimumOnly,
    CardPayment::Overdue,
];
pub(super) const TRANSFER_CADENCES: [TransferCadence; 1] = [TransferCadence::Biweekly];

/// A users row as a profile without accounts, paychecks, recurring
/// charges or cards, which come from the other tables.
pub(super) fn user(row: &Row<'_, '_>) -> Result<UserProfile, Fault> {
    Ok(UserProfile {
        user_id: row.string("user_id", "user_id")?,
        name: row.string("name", "name")?,
        persona: row.persona("persona", "persona")?,
        expected_assignment: row.persona_opt("expected_assignment", "expected_assignment")?,
        matched_personas: row.personas_opt("matched_personas", "matched_personas")?,
        annual_income: row.amount("annual_income", "annual_income")?,
        demographics: Demographics {
            age: row.whole("age", "demographics.age")?,
            state: row.string("state", "demographics.state")?,
        },
        identity: Identity {
            email: row.string("email", "identity.email")?,
            phone_number: row.string("phone_number", "identity.phone_number")?,
            address: Address {
                street: row.string("address_street", "identity.address.street")?,
                city: row.string("address_city", "identity.address.city")?,
                region: row.string("address_region", "identity.address.region")?,
                postal_code: row.string("address_postal_code", "identity.address.postal_code")?,
                country: row.string("address_country", "identity.address.country")?,
            },
        },
        characteristics: Characteristics {
            target_credit_utilization: row.amount(
                "target_credit_utilization",
                "characteristics.target_credit_utilization",
            )?,
            target_savings_monthly: row.amount(
                "target_savings_monthly",
                "characteristics.target_savings_monthly",
            )?,
            income_stability: row.spelled(
                "income_stability",
                "characteristics.income_stability",
                &INCOME_STABILITIES,
                IncomeStability::as_str,
            )?,
            pay_frequency: row.spelled(
                "pay_frequency",
                "characteristics.pay_frequency",
                &PAY_FREQUENCIES,
                PayFrequency::as_str,
            )?,
            median_pay_gap_days: row
                .whole("median_pay_gap_days", "characteristics.median_pay_gap_days")?,
            subscription_count_target: row.whole(
                "subscription_count_target",
                "characteristics.subscription_count_target",
            )?,
        },
        accounts: Vec::new(),
        plan: Plan {
            as_of: row.date("as_of", "plan.as_of")?,
            history_start: row.date("history_start", "plan.history_start")?,
            income: IncomePlan {
                employer: row.string("income_employer", "plan.income.employer")?,
                frequency: row.spelled(
                    "income_frequency",
                    "plan.income.frequency",
                    &PAY_FREQUENCIES,
                    PayFrequency::as_str,
                )?,
                paychecks: Vec::new(),
            },
            monthly_expenses: row.amount("monthly_expenses", "plan.monthly_expenses")?,
            recurring: Vec::new(),
            cards: Vec::new(),
            savings_transfers: savings_transfers(row)?,
        },
    })
}

/// The five `savings_transfers_*` columns: all null is no transfers, all
/// set is transfers, anything else a fault at the first null one.
fn savings_transfers(row: &Row<'_, '_>) -> Result<Option<SavingsTransfers>, Fault> {
    let from = row.string_opt(
        "savings_transfers_from_account_id",
        "plan.savings_transfers.from_account_id",
    )?;
    let to = row.string_opt(
        "savings_transfers_to_account_id",
        "plan.savings_transfers.to_account_id",
    )?;
    let amount = row.amount_opt("savings_transfers_amount", "plan.savings_transfers.amount")?;
    let cadence = row.spelled_opt(
        "savings_transfers_cadence",
        "plan.savings_transfers.cadence",
        &TRANSFER_CADENCES,
        TransferCadence::as_str,
    )?;
    let first = row.date_opt(
        "savings_transfers_first_transfer",
        "plan.savings_transfers.first_transfer",
    )?;
    let set = [
        ("from_account_id", from.is_some()),
        ("to_account_id", to.is_some()),
        ("amount", amount.is_some()),
        ("cadence", cadence.is_some()),
        ("first_transfer", first.is_some()),
    ];
    match (from, to, amount, cadence, first) {
        (Some(from), Some(to), Some(amount), Some(cadence), Some(first)) => {
            Ok(Some(SavingsTransfers {
                from_account_id: from,
                to_account_id: to,
                amount,
                cadence,
                first_transfer: first,
            }))
        }
        (None, None, None, None, None) => Ok(None),
        _ => Err(partial_transfers(row, &set)),
    }
}

/// The fault of a savings-transfer group with some of `set` null and some
/// not, at its first null field.
#[cold]
fn partial_transfers(row: &Row<'_, '_>, set: &[(&str, bool)]) -> Fault {
    let columns = |want: bool| {
        let names: Vec<String> = set
            .iter()
            .filter(|(_, is_set)| *is_set == want)
            .map(|(field, _)| format!("savings_transfers_{field}"))
            .collect();
        names.join(", ")
    };
    let field = set
        .iter()
        .find(|(_, is_set)| !is_set)
        .map_or("", |(field, _)| field);
    let verb = match set.iter().filter(|(_, is_set)| *is_set).count() {
        1 => "is",
        _ => "are",
    };
    row.fault(
        &format!("savings_transfers_{field}"),
        &format!("plan.savings_transfers.{field}"),
        format_args!(
            "null while {} {verb} set (null: {}); the five savings_transfers_* columns are all null (no transfers) or all set",
            columns(true),
            columns(false)
        ),
    )
}

/// An accounts row.
pub(super) fn account(row: &Row<'_, '_>) -> Result<Account, Fault> {
    Ok(Account {
        account_id: row.string("account_id", "account_id")?,
        balances: Balances {
            available: row.amount_opt("balances_available", "balances.available")?,
            // An `Option` in the model, though the table never leaves it
            // null: the validator reports a missing balance.
            current: row.amount_opt("balances_current", "balances.current")?,
            limit: row.amount_opt("balances_limit", "balances.limit")?,
            iso_currency_code: row
                .string_opt("balances_iso_currency_code", "balances.iso_currency_code")?,
            unofficial_currency_code: row.string_opt(
                "balances_unofficial_currency_code",
                "balances.unofficial_currency_code",
            )?,
        },
        // Like `balances.current`: the validator reports a missing mask.
        mask: row.string_opt("mask", "mask")?,
        name: row.string("name", "name")?,
        official_name: row.string_opt("official_name", "official_name")?,
        account_type: row.spelled("type", "type", &ACCOUNT_TYPES, AccountType::as_str)?,
        subtype: row.spelled(
            "subtype",
            "subtype",
            AccountSubtype::ALL,
            AccountSubtype::as_str,
        )?,
        holder_category: row.spelled(
            "holder_category",
            "holder_category",
            &HOLDER_CATEGORIES,
            HolderCategory::as_str,
        )?,
    })
}

/// A paychecks row.
pub(super) fn paycheck(row: &Row<'_, '_>) -> Result<Paycheck, Fault> {
    Ok(Paycheck {
        date: row.date("date", "date")?,
        amount: row.amount("amount", "amount")?,
    })
}

/// A recurring row.
pub(super) fn recurring(row: &Row<'_, '_>) -> Result<RecurringCharge, Fault> {
    Ok(RecurringCharge {
        merchant: row.string("merchant", "merchant")?,
        category: Category {
            primary: row.string("category_primary", "category.primary")?,
            detailed: row.string("category_detailed", "category.detailed")?,
        },
        amount: row.amount("amount", "amount")?,
        cadence: row.spelled("cadence", "cadence", &CADENCES, Cadence::as_str)?,
        first_charge: row.date("first_charge", "first_charge")?,
        account_id: row.string("account_id", "account_id")?,
    })
}

/// A cards row.
pub(super) fn card(row: &Row<'_, '_>) -> Result<CardPlan, Fault> {
    Ok(CardPlan {
        account_id: row.string("account_id", "account_id")?,
        purchase_apr: row.amount("purchase_apr", "purchase_apr")?,
        statement_day: row.whole("statement_day", "statement_day")?,
        payment: row.spelled("payment", "payment", &CARD_PAYMENTS, CardPayment::as_str)?,
        last_statement_balance: row.amount("last_statement_balance", "last_statement_balance")?,
        minimum_payment: row.amount("minimum_payment", "minimum_payment")?,
        interest_per_statement: row.amount("interest_per_statement", "interest_per_statement")?,
        next_payment_due_date: row.date("next_payment_due_date", "next_payment_due_date")?,
        is_overdue: row.flag("is_overdue", "is_overdue")?,
    })
}
