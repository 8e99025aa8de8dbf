//! Integration tests of the profile model: validation rules and the JSON wire format.
//!
//! Every test starts from [`sample_profile`], a valid profile with a checking
//! account, a savings account and a credit card, and changes one thing.
//!
//! Modules live in `tests/<name>/mod.rs`: Cargo would build a `tests/<name>.rs`
//! as a test binary of its own, and this crate keeps one.

mod encoding;
mod validation;
mod wire;

use rust_decimal::Decimal;
use spendsense_schema::{
    Account, AccountSubtype, AccountType, Address, Balances, Characteristics, Demographics,
    HolderCategory, Identity, IncomeStability, PayFrequency, PersonaId, UserProfile,
};

/// Parses an exact amount such as `"1800.00"`; the scale is kept.
fn dec(text: &str) -> Decimal {
    Decimal::from_str_exact(text).unwrap()
}

/// A US-dollar account with the given balances.
fn account(
    id: &str,
    mask: &str,
    subtype: AccountSubtype,
    (available, current, limit): (&str, &str, Option<&str>),
) -> Account {
    Account {
        account_id: id.into(),
        balances: Balances {
            available: Some(dec(available)),
            current: Some(dec(current)),
            limit: limit.map(dec),
            iso_currency_code: Some("USD".into()),
            unofficial_currency_code: None,
        },
        mask: Some(mask.into()),
        name: format!("Plaid {}", subtype.as_str()),
        official_name: None,
        account_type: subtype.account_type(),
        subtype,
        holder_category: HolderCategory::Personal,
    }
}

/// A valid profile: checking (index 0), savings (1) and a credit card (2) at 12%.
fn sample_profile() -> UserProfile {
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
                "user_MASKED_000_acct_0",
                "0001",
                AccountSubtype::Checking,
                ("24000.00", "24000.00", None),
            ),
            account(
                "user_MASKED_000_acct_1",
                "0002",
                AccountSubtype::Savings,
                ("40000.00", "40000.00", None),
            ),
            Account {
                official_name: Some("Plaid Diamond 12.5% APR Interest Credit Card".into()),
                ..account(
                    "user_MASKED_000_acct_2",
                    "0003",
                    AccountSubtype::CreditCard,
                    ("13200.00", "1800.00", Some("15000.00")),
                )
            },
        ],
    }
}

#[test]
fn sample_profile_is_what_the_tests_assume() {
    let profile = sample_profile();
    let types: Vec<AccountType> = profile.accounts.iter().map(|a| a.account_type).collect();
    assert_eq!(
        types,
        [
            AccountType::Depository,
            AccountType::Depository,
            AccountType::Credit
        ]
    );
    assert_eq!(profile.accounts[2].utilization(), Some(dec("0.12")));
}
