//! One sample profile, for docs and tests.
//!
//! Every test and doc example that needs "a valid profile" starts from
//! [`profile`] and changes one thing, so that adding a field to the model means
//! filling it in here once, not in one hand-kept copy per test file. It is
//! public API so that doctests and other crates' tests can share it too; it is
//! not meant for production code, and its values may change with the model.
//!
//! # Example
//!
//! ```
//! use spendsense_schema::{sample, validate_profile};
//!
//! let mut profile = sample::profile();
//! assert!(validate_profile(&profile).is_empty());
//! profile.demographics.age = 17;
//! assert_eq!(validate_profile(&profile)[0].rule, "age-range");
//! ```

use rust_decimal::Decimal;

use crate::{
    Account, AccountSubtype, Address, Balances, Cadence, CardPayment, CardPlan, Category,
    Characteristics, Date, Demographics, HolderCategory, Identity, IncomePlan, IncomeStability,
    MIN_HISTORY_DAYS, PayFrequency, Paycheck, PersonaId, Plan, RecurringCharge, SavingsTransfers,
    TransferCadence, UserProfile,
};

/// Parses an exact amount such as `"1800.00"`; the scale is kept, because it
/// shows on the wire (`1800.00`, not `1800`).
fn dec(text: &str) -> Decimal {
    Decimal::from_str_exact(text).expect("the sample's amounts are exact decimals")
}

/// A US-dollar account of `profile()`'s user: index `index`, mask `000{index+1}`.
fn account(index: usize, subtype: AccountSubtype, balances: [Option<&str>; 3]) -> Account {
    let [available, current, limit] = balances.map(|amount| amount.map(dec));
    Account {
        account_id: format!("user_MASKED_000_acct_{index}"),
        balances: Balances {
            available,
            current,
            limit,
            iso_currency_code: Some("USD".into()),
            unofficial_currency_code: None,
        },
        mask: Some(format!("{:04}", index + 1)),
        name: format!("Plaid {}", subtype.as_str()),
        official_name: None,
        account_type: subtype.account_type(),
        subtype,
        holder_category: HolderCategory::Personal,
    }
}

/// A valid savings-builder profile with a checking account (index 0), a savings
/// account (1) and a credit card (2) at 12% of its $15,000 limit.
///
/// It passes [`validate_profile`](crate::validate_profile) with no violation,
/// and every key is set except the two overlap keys (see [`overlap_profile`]).
pub fn profile() -> UserProfile {
    UserProfile {
        user_id: "user_MASKED_000".into(),
        name: "Ada Lovelace".into(),
        persona: PersonaId::SavingsBuilder,
        expected_assignment: None,
        matched_personas: None,
        annual_income: dec("96000.00"),
        demographics: Demographics {
            age: 34,
            state: "CA".into(),
        },
        identity: Identity {
            email: "ada.lovelace.0@example.com".into(),
            phone_number: "+1-415-555-0142".into(),
            address: Address {
                street: "2992 Kuhic Parkway".into(),
                city: "North Elvieville".into(),
                region: "CA".into(),
                postal_code: "94110".into(),
                country: "US".into(),
            },
        },
        characteristics: Characteristics {
            target_credit_utilization: dec("0.12"),
            target_savings_monthly: dec("800.00"),
            income_stability: IncomeStability::Regular,
            pay_frequency: PayFrequency::Biweekly,
            median_pay_gap_days: 14,
            subscription_count_target: 2,
        },
        accounts: vec![
            account(
                0,
                AccountSubtype::Checking,
                [Some("24000.00"), Some("24000.00"), None],
            ),
            account(
                1,
                AccountSubtype::Savings,
                [Some("40000.00"), Some("40000.00"), None],
            ),
            Account {
                official_name: Some("Plaid Diamond 12.5% APR Interest Credit Card".into()),
                ..account(
                    2,
                    AccountSubtype::CreditCard,
                    [Some("13200.00"), Some("1800.00"), Some("15000.00")],
                )
            },
        ],
        plan: plan(),
    }
}

/// The sample user's plan: as of 2026-11-30 over the 180 days before it, paid
/// biweekly, rent and two subscriptions, the card paid in full, and $369.23
/// into savings every other week.
fn plan() -> Plan {
    let date = |y, m, d| Date::from_ymd(y, m, d).expect("the sample's dates exist");
    let as_of = date(2026, 11, 30);
    let category = |primary: &str, detailed: &str| Category {
        primary: primary.into(),
        detailed: detailed.into(),
    };
    let charge = |merchant: &str, category, amount, first_charge, account| RecurringCharge {
        merchant: merchant.into(),
        category,
        amount: dec(amount),
        cadence: Cadence::Monthly,
        first_charge,
        account_id: format!("user_MASKED_000_acct_{account}"),
    };
    let first_pay = date(2026, 6, 5);
    Plan {
        as_of,
        history_start: as_of.add_days(1 - MIN_HISTORY_DAYS),
        income: IncomePlan {
            employer: "Northwind Analytics".into(),
            frequency: PayFrequency::Biweekly,
            paychecks: (0..13)
                .map(|n| Paycheck {
                    date: first_pay.add_days(14 * n),
                    amount: dec("2880.00"),
                })
                .collect(),
        },
        monthly_expenses: dec("4200.00"),
        recurring: vec![
            charge(
                "Maple Court Apartments",
                category("RENT_AND_UTILITIES", "RENT_AND_UTILITIES_RENT"),
                "1900.00",
                date(2026, 7, 1),
                0,
            ),
            charge(
                "Netflix",
                category("ENTERTAINMENT", "ENTERTAINMENT_TV_AND_MOVIES"),
                "15.49",
                date(2026, 6, 12),
                2,
            ),
            charge(
                "Spotify",
                category("ENTERTAINMENT", "ENTERTAINMENT_MUSIC_AND_AUDIO"),
                "11.99",
                date(2026, 6, 20),
                2,
            ),
        ],
        cards: vec![CardPlan {
            account_id: "user_MASKED_000_acct_2".into(),
            purchase_apr: dec("19.99"),
            statement_day: 18,
            payment: CardPayment::PayInFull,
            last_statement_balance: dec("1800.00"),
            minimum_payment: dec("48.00"),
            interest_per_statement: dec("0.00"),
            next_payment_due_date: date(2026, 12, 13),
            is_overdue: false,
        }],
        savings_transfers: Some(SavingsTransfers {
            from_account_id: "user_MASKED_000_acct_0".into(),
            to_account_id: "user_MASKED_000_acct_1".into(),
            amount: dec("369.23"),
            cadence: TransferCadence::Biweekly,
            first_transfer: first_pay,
        }),
    }
}

/// [`profile`] as an overlap scenario: `matched_personas` and
/// `expected_assignment` are set, so every key of the model is present.
///
/// Still valid for [`validate_profile`](crate::validate_profile), which does
/// not look at persona criteria.
pub fn overlap_profile() -> UserProfile {
    UserProfile {
        expected_assignment: Some(PersonaId::SubscriptionHeavy),
        matched_personas: Some(vec![
            PersonaId::SubscriptionHeavy,
            PersonaId::SavingsBuilder,
        ]),
        ..profile()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{AccountType, validate_profile};

    #[test]
    fn samples_are_valid_and_shaped_as_documented() {
        for sample in [profile(), overlap_profile()] {
            assert_eq!(validate_profile(&sample), []);
            let types: Vec<AccountType> = sample.accounts.iter().map(|a| a.account_type).collect();
            assert_eq!(
                types,
                [
                    AccountType::Depository,
                    AccountType::Depository,
                    AccountType::Credit
                ]
            );
            assert_eq!(sample.accounts[2].utilization(), Some(dec("0.12")));
        }
        assert!(profile().matched_personas.is_none() && profile().expected_assignment.is_none());
        let overlap = overlap_profile();
        assert_eq!(
            overlap.matched_personas.as_ref().map(|m| m[0]),
            overlap.expected_assignment,
            "the expected assignment is the highest-priority match"
        );
    }
}
