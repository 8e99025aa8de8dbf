//! Building one profile from its stream.

use rand::RngExt;
use rand_chacha::ChaCha8Rng;
use rust_decimal::Decimal;
use spendsense_personas::{PayPlan, PersonaDefinition};
use spendsense_schema::{
    Account, AccountSubtype, Balances, Characteristics, Demographics, HolderCategory,
    IncomeStability, PayFrequency, PersonaId, UserProfile, reference::US_STATES,
};

use crate::money::{DrawRanges, Hundredths, cents, div_round_even};

/// Ages are drawn uniformly from this range.
const AGES: std::ops::RangeInclusive<u8> = 21..=75;

/// `(name, official_name)` per account kind; the index is drawn per account.
const CHECKING_PRODUCTS: [(&str, &str); 3] = [
    (
        "Everyday Checking",
        "SpendSense Sandbox Bank Everyday Checking",
    ),
    ("Total Checking", "SpendSense Sandbox Bank Total Checking"),
    ("Smart Checking", "SpendSense Sandbox Bank Smart Checking"),
];
const SAVINGS_PRODUCTS: [(&str, &str); 3] = [
    (
        "High-Yield Savings",
        "SpendSense Sandbox Bank High-Yield Savings",
    ),
    ("Online Savings", "SpendSense Sandbox Bank Online Savings"),
    ("Goal Saver", "SpendSense Sandbox Bank Goal Saver Savings"),
];
const CARD_PRODUCTS: [(&str, &str); 4] = [
    (
        "Cash Rewards Card",
        "SpendSense Sandbox Bank Cash Rewards Visa Signature",
    ),
    (
        "Travel Rewards Card",
        "SpendSense Sandbox Bank Travel Rewards World Elite Mastercard",
    ),
    ("Platinum Card", "SpendSense Sandbox Bank Platinum Visa"),
    (
        "Everyday Card",
        "SpendSense Sandbox Bank Everyday Mastercard",
    ),
];

/// What the caller decided outside the profile's own stream.
pub(crate) struct Plan<'a> {
    pub(crate) index: u64,
    pub(crate) persona: PersonaId,
    pub(crate) definition: &'a PersonaDefinition,
    pub(crate) ranges: &'a DrawRanges,
    pub(crate) income_cents: i64,
    pub(crate) name: String,
    /// First and last name, for the email address.
    pub(crate) name_parts: (&'static str, &'static str),
}

/// A value drawn in hundredths from an inclusive range.
fn hundredths(rng: &mut ChaCha8Rng, range: Hundredths) -> i64 {
    rng.random_range(range.min..=range.max)
}

fn count(rng: &mut ChaCha8Rng, range: spendsense_personas::CountRange) -> u16 {
    rng.random_range(range.min..=range.max)
}

fn pick<T: Copy>(rng: &mut ChaCha8Rng, items: &[T]) -> T {
    items[rng.random_range(0..items.len() as u32) as usize]
}

/// The masked id of profile `index`: three digits, more past 999.
pub fn user_id(index: u64) -> String {
    format!("user_MASKED_{index:03}")
}

pub(crate) fn build(plan: Plan<'_>, rng: &mut ChaCha8Rng) -> UserProfile {
    let d = plan.definition;
    let r = plan.ranges;
    let income = i128::from(plan.income_cents);
    let user_id = user_id(plan.index);

    let age = rng.random_range(AGES);
    let state = pick(rng, US_STATES).to_string();

    let (income_stability, pay_frequency, median_pay_gap_days) = match &d.pay {
        PayPlan::Regular { frequencies } => {
            let frequency = pick(rng, frequencies);
            (
                IncomeStability::Regular,
                frequency,
                frequency.nominal_gap_days().unwrap_or(30),
            )
        }
        PayPlan::Irregular { median_gap_days } => (
            IncomeStability::Irregular,
            PayFrequency::Irregular,
            count(rng, *median_gap_days),
        ),
    };

    // Months of income in hundredths: cents = income · months / (12 · 100).
    let months_of_income = |months: i64| div_round_even(income * i128::from(months), 1_200);
    let buffer_months = hundredths(rng, r.checking_buffer_months);
    let card_count = count(rng, d.credit_cards);
    let target_utilization = if card_count == 0 {
        0
    } else {
        hundredths(rng, r.target_utilization)
    };
    let total_limit_cents =
        (income * i128::from(hundredths(rng, r.credit_limit_income_share)) / 100) as i64;
    let subscriptions = count(rng, d.subscriptions) as u8;
    let has_savings = rng.random_range(0..100u8) < d.savings_account_percent;
    let savings_share = hundredths(rng, r.savings_income_share);
    // Whole dollars: income · share / (12 · 100) cents, rounded to dollars.
    let savings_dollars = div_round_even(income * i128::from(savings_share), 120_000);
    let savings_monthly =
        (savings_dollars * 100).clamp(r.savings_monthly.min, r.savings_monthly.max);
    let savings_months = hundredths(rng, r.savings_balance_months);

    let mut masks: Vec<String> = Vec::with_capacity(4);
    let mut next_mask = |rng: &mut ChaCha8Rng| loop {
        let mask = format!("{:04}", rng.random_range(0..10_000u32));
        if !masks.contains(&mask) {
            masks.push(mask.clone());
            break mask;
        }
    };
    let mut accounts: Vec<Account> = Vec::with_capacity(2 + usize::from(card_count));
    let mut account_number = 0;
    let mut add_account = |rng: &mut ChaCha8Rng, subtype, products: &[(&str, &str)], balances| {
        let (name, official) = pick(rng, products);
        let account = Account {
            account_id: format!("{user_id}_acct_{account_number}"),
            balances,
            mask: Some(next_mask(rng)),
            name: name.to_string(),
            official_name: Some(official.to_string()),
            account_type: AccountSubtype::account_type(subtype),
            subtype,
            holder_category: HolderCategory::Personal,
        };
        account_number += 1;
        accounts.push(account);
    };

    let checking = cents(months_of_income(buffer_months));
    add_account(
        rng,
        AccountSubtype::Checking,
        &CHECKING_PRODUCTS,
        depository(checking),
    );
    if has_savings {
        let balance = cents(months_of_income(savings_months));
        add_account(
            rng,
            AccountSubtype::Savings,
            &SAVINGS_PRODUCTS,
            depository(balance),
        );
    }
    let jitter = r.utilization_jitter;
    let mut remaining_limit = total_limit_cents;
    for card in 0..card_count {
        let cards_left = i64::from(card_count - card);
        // Split the total limit unevenly but keep every card's share sensible.
        let share = if cards_left == 1 {
            100
        } else {
            rng.random_range(35..=65)
        };
        let limit_cents = (remaining_limit * share / 100 + 5_000) / 10_000 * 10_000;
        let limit_cents = limit_cents.max(10_000);
        remaining_limit = (remaining_limit - limit_cents).max(0);
        let utilization = (target_utilization + rng.random_range(-jitter..=jitter)).clamp(0, 100);
        // Limits are whole dollars, so the balance is exact in cents.
        let limit = cents(limit_cents);
        let current = cents(limit_cents * utilization / 100);
        let balances = Balances {
            available: Some(limit - current),
            current: Some(current),
            limit: Some(limit),
            iso_currency_code: Some("USD".into()),
            unofficial_currency_code: None,
        };
        add_account(rng, AccountSubtype::CreditCard, &CARD_PRODUCTS, balances);
    }

    // Drawn last, so that adding identities left every earlier draw unchanged.
    let (first, last) = plan.name_parts;
    let identity = crate::identity::draw_identity(rng, plan.index, first, last, &state);

    UserProfile {
        user_id,
        name: plan.name,
        persona: plan.persona,
        expected_assignment: None,
        matched_personas: None,
        annual_income: cents(plan.income_cents),
        demographics: Demographics { age, state },
        identity,
        characteristics: Characteristics {
            target_credit_utilization: cents(target_utilization),
            target_savings_monthly: cents(savings_monthly),
            income_stability,
            pay_frequency,
            median_pay_gap_days,
            subscription_count_target: subscriptions,
        },
        accounts,
    }
}

fn depository(balance: Decimal) -> Balances {
    Balances {
        available: Some(balance),
        current: Some(balance),
        limit: None,
        iso_currency_code: Some("USD".into()),
        unofficial_currency_code: None,
    }
}
