//! Building one profile from its stream.

use rand::RngExt;
use rand_chacha::ChaCha8Rng;
use rust_decimal::Decimal;
use spendsense_personas::{PayPlan, PersonaDefinition};
use spendsense_schema::{
    Account, AccountSubtype, AccountType, Address, Balances, Characteristics, Demographics,
    HolderCategory, Identity, IncomeStability, PayFrequency, PersonaId, UserProfile,
};

use crate::money::{DrawRanges, Hundredths, cents, div_round_even};
use crate::realism::draw as realism;
use crate::text::{push_number, set, set_some};

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
    /// The quantile (millionths) the income was drawn at: age leans on it.
    pub(crate) income_quantile: u64,
    /// First and last name, for the email address.
    pub(crate) name_parts: (&'static str, &'static str),
    /// The last day of the plan's history.
    pub(crate) as_of: spendsense_schema::Date,
    /// The detection thresholds the plan must clear.
    pub(crate) criteria: &'a spendsense_personas::Criteria,
}

/// A value drawn in hundredths from an inclusive range.
fn hundredths(rng: &mut ChaCha8Rng, range: Hundredths) -> i64 {
    rng.random_range(range.min..=range.max)
}

fn count(rng: &mut ChaCha8Rng, range: spendsense_personas::CountRange) -> u16 {
    rng.random_range(range.min..=range.max)
}

/// A value in hundredths from `range`, leaning by `tilt` (see `realism::draw`).
fn tilted(rng: &mut ChaCha8Rng, range: Hundredths, tilt: i64) -> i64 {
    realism::tilted(rng, range.min, range.max, tilt)
}

/// How many cards a user with `income_cents` holds: where the persona allows
/// none, whether they hold any follows card ownership by income.
fn card_count(
    rng: &mut ChaCha8Rng,
    range: spendsense_personas::CountRange,
    income_cents: i64,
) -> u16 {
    let owns = rng.random_range(0..100u32) < realism::card_ownership_percent(income_cents / 100);
    if range.max == 0 || (range.min == 0 && !owns) {
        0
    } else {
        rng.random_range(range.min.max(1)..=range.max)
    }
}

fn pick<T: Copy>(rng: &mut ChaCha8Rng, items: &[T]) -> T {
    items[rng.random_range(0..items.len() as u32) as usize]
}

/// The masked id of profile `index`: three digits, more past 999.
pub fn user_id(index: u64) -> String {
    let mut id = String::new();
    push_user_id(&mut id, index);
    id
}

fn push_user_id(out: &mut String, index: u64) {
    out.push_str("user_MASKED_");
    push_number(out, index, 3);
}

/// An empty profile for [`build_into`] to fill.
pub(crate) fn blank_profile() -> UserProfile {
    UserProfile {
        user_id: String::new(),
        name: String::new(),
        persona: PersonaId::Control,
        expected_assignment: None,
        matched_personas: None,
        annual_income: Decimal::ZERO,
        demographics: Demographics {
            age: 0,
            state: String::new(),
        },
        identity: Identity {
            email: String::new(),
            phone_number: String::new(),
            address: Address {
                street: String::new(),
                city: String::new(),
                region: String::new(),
                postal_code: String::new(),
                country: String::new(),
            },
        },
        characteristics: Characteristics {
            target_credit_utilization: Decimal::ZERO,
            target_savings_monthly: Decimal::ZERO,
            income_stability: IncomeStability::Regular,
            pay_frequency: PayFrequency::Monthly,
            median_pay_gap_days: 0,
            subscription_count_target: 0,
        },
        accounts: Vec::new(),
        plan: crate::schedule::blank_plan(),
    }
}

fn blank_account() -> Account {
    Account {
        account_id: String::new(),
        balances: Balances {
            available: None,
            current: None,
            limit: None,
            iso_currency_code: None,
            unofficial_currency_code: None,
        },
        mask: None,
        name: String::new(),
        official_name: None,
        account_type: AccountType::Depository,
        subtype: AccountSubtype::Checking,
        holder_category: HolderCategory::Personal,
    }
}

/// Fills `profile` (every field but `name` and the overlap fields, which the
/// caller owns) from `plan` and the profile's stream, reusing its strings.
pub(crate) fn build_into(plan: Plan<'_>, rng: &mut ChaCha8Rng, profile: &mut UserProfile) {
    let d = plan.definition;
    let r = plan.ranges;
    let income = i128::from(plan.income_cents);
    profile.user_id.clear();
    push_user_id(&mut profile.user_id, plan.index);

    let age = realism::draw_age(rng, plan.income_quantile);
    let state = realism::draw_state(rng);
    let age_tilts = realism::age_tilts(age);

    let (income_stability, pay_frequency, median_pay_gap_days) = match &d.pay {
        PayPlan::Regular { frequencies } => {
            let frequency = realism::draw_pay_frequency(rng, frequencies);
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
    let expense_share = rng.random_range(crate::schedule::EXPENSE_SHARE_PERCENT);
    let expenses_cents = crate::schedule::monthly_expenses_cents(plan.income_cents, expense_share);
    // The buffer is months of expenses, as the detector reads it: older
    // users hold more, higher earners fewer months (they hold more dollars).
    let buffer_tilt = (age_tilts.balance - realism::quantile_tilt(plan.income_quantile)) / 2;
    let buffer_months = tilted(rng, r.checking_buffer_months, buffer_tilt);
    let card_count = card_count(rng, d.credit_cards, plan.income_cents);
    let target_utilization = if card_count == 0 {
        0
    } else {
        tilted(rng, r.target_utilization, age_tilts.utilization)
    };
    let total_limit_cents = (income
        * i128::from(tilted(rng, r.credit_limit_income_share, age_tilts.limit))
        / 100) as i64;
    let subscriptions = count(rng, d.subscriptions) as u8;
    let has_savings = rng.random_range(0..100u8) < d.savings_account_percent;
    let savings_share = hundredths(rng, r.savings_income_share);
    // Whole dollars: income · share / (12 · 100) cents, rounded to dollars.
    let savings_dollars = div_round_even(income * i128::from(savings_share), 120_000);
    // No savings target without a savings account to receive it.
    let savings_monthly = if has_savings {
        (savings_dollars * 100).clamp(r.savings_monthly.min, r.savings_monthly.max)
    } else {
        0
    };
    let savings_months = tilted(rng, r.savings_balance_months, age_tilts.balance);

    let mut accounts = Accounts {
        user_id: &profile.user_id,
        accounts: &mut profile.accounts,
        used: 0,
    };
    let checking = cents(div_round_even(
        i128::from(expenses_cents) * i128::from(buffer_months),
        100,
    ));
    accounts.add(
        rng,
        AccountSubtype::Checking,
        &CHECKING_PRODUCTS,
        depository(checking),
    );
    if has_savings {
        let balance = cents(months_of_income(savings_months));
        accounts.add(
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
        // Jitter never leaves the persona's target range: every High
        // Utilization card stays within 60-80%, for instance.
        let utilization = (target_utilization + rng.random_range(-jitter..=jitter))
            .clamp(r.target_utilization.min, r.target_utilization.max)
            .clamp(0, 100);
        // Limits are whole dollars, so the balance is exact in cents.
        let limit = cents(limit_cents);
        let current = cents(limit_cents * utilization / 100);
        let amounts = (Some(limit - current), Some(current), Some(limit));
        accounts.add(rng, AccountSubtype::CreditCard, &CARD_PRODUCTS, amounts);
    }
    let used = accounts.used;
    profile.accounts.truncate(used);

    // Drawn last, so that adding identities left every earlier draw unchanged.
    let (first, last) = plan.name_parts;
    crate::identity::draw_identity(rng, plan.index, (first, last, state), &mut profile.identity);

    profile.persona = plan.persona;
    profile.annual_income = cents(plan.income_cents);
    profile.demographics.age = age;
    set(&mut profile.demographics.state, state.code);
    profile.characteristics = Characteristics {
        target_credit_utilization: cents(target_utilization),
        target_savings_monthly: cents(savings_monthly),
        income_stability,
        pay_frequency,
        median_pay_gap_days,
        subscription_count_target: subscriptions,
    };
    let inputs = crate::schedule::Inputs {
        as_of: plan.as_of,
        persona: plan.persona,
        income_cents: plan.income_cents,
        frequency: pay_frequency,
        median_gap_days: median_pay_gap_days,
        monthly_expenses_cents: expenses_cents,
        subscriptions,
        subscription_spend_floor_cents: (u16::from(subscriptions)
            >= plan.criteria.subscription_heavy_min_merchants)
            .then(|| {
                crate::money::to_cents(plan.criteria.subscription_heavy_min_monthly_spend) + 5_00
            }),
        savings_monthly_cents: savings_monthly,
        accounts: &profile.accounts,
    };
    crate::schedule::draw_plan(&inputs, rng, &mut profile.plan);
}

/// The accounts of the profile being built: entries already in the vector
/// are overwritten, more are appended.
struct Accounts<'a> {
    user_id: &'a str,
    accounts: &'a mut Vec<Account>,
    used: usize,
}

impl Accounts<'_> {
    fn add(
        &mut self,
        rng: &mut ChaCha8Rng,
        subtype: AccountSubtype,
        products: &[(&str, &str)],
        (available, current, limit): Amounts,
    ) {
        let (name, official) = pick(rng, products);
        if self.used == self.accounts.len() {
            self.accounts.push(blank_account());
        }
        let (earlier, rest) = self.accounts.split_at_mut(self.used);
        let account = &mut rest[0];
        // Four digits, unique within the profile.
        let mask = account.mask.get_or_insert_with(String::new);
        loop {
            mask.clear();
            push_number(mask, rng.random_range(0..10_000u32).into(), 4);
            if !earlier
                .iter()
                .any(|other| other.mask.as_ref() == Some(mask))
            {
                break;
            }
        }
        account.account_id.clear();
        account.account_id.push_str(self.user_id);
        account.account_id.push_str("_acct_");
        push_number(&mut account.account_id, self.used as u64, 1);
        let balances = &mut account.balances;
        (balances.available, balances.current, balances.limit) = (available, current, limit);
        set_some(&mut balances.iso_currency_code, "USD");
        balances.unofficial_currency_code = None;
        set(&mut account.name, name);
        set_some(&mut account.official_name, official);
        account.account_type = subtype.account_type();
        account.subtype = subtype;
        account.holder_category = HolderCategory::Personal;
        self.used += 1;
    }
}

/// An account's `available`, `current` and `limit` balances.
type Amounts = (Option<Decimal>, Option<Decimal>, Option<Decimal>);

/// The amounts of a cash account.
fn depository(balance: Decimal) -> Amounts {
    (Some(balance), Some(balance), None)
}
