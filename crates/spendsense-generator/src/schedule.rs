//! The dated plan of a profile: paychecks, recurring charges, card terms and
//! savings transfers over the history that ends at `as_of`.
//!
//! Every choice here keeps each persona's signals on the right side of its
//! thresholds in both windows, whatever day `as_of` falls on (see
//! `docs/personas.md`, "The dated plan"):
//! - subscriptions bill monthly on a day chosen so that their last charge is
//!   at most 27 days before `as_of`, so the 90 days before `as_of` always hold
//!   three charges;
//! - savings transfers go every 14 days, so every 30-day window holds two or three;
//! - irregular pay has an odd number of gaps whose middle one is the planned median;
//! - only High Utilization cards carry a balance past their statement.

use rand::RngExt;
use rand_chacha::ChaCha8Rng;
use rust_decimal::{Decimal, RoundingStrategy};
use spendsense_schema::{
    Account, AccountSubtype, Cadence, CardPayment, CardPlan, Category, Date, IncomePlan,
    MIN_HISTORY_DAYS, PayFrequency, Paycheck, PersonaId, Plan, RecurringCharge, SavingsTransfers,
    TransferCadence,
};

use crate::money::cents;
use crate::text::set;

/// Take-home pay as a share of gross pay, in percent: a flat 22% withheld.
pub(crate) const NET_PAY_PERCENT: i128 = 78;

/// Monthly expenses as a share of monthly take-home pay, in percent.
pub(crate) const EXPENSE_SHARE_PERCENT: std::ops::RangeInclusive<i64> = 70..=90;

/// Fictional employers of salaried users.
const EMPLOYERS: [&str; 8] = [
    "Northwind Analytics",
    "Contoso Health",
    "Fabrikam Logistics",
    "Tailspin Airlines",
    "Woodgrove Bank",
    "Litware Software",
    "Alpine Ski House",
    "Adventure Works Cycles",
];

/// Fictional payers of gig and contract work.
const CLIENTS: [&str; 5] = [
    "Proseware Contract Services",
    "Wide World Importers",
    "Graphic Design Institute",
    "Lucerne Publishing",
    "Blue Yonder Freight",
];

/// Every profile's last paycheck falls in this many days ending at `as_of`.
pub(crate) const RECENT_INCOME_DAYS: i32 = 90;

/// The shortest gap between two irregular payments, in days.
const SHORTEST_IRREGULAR_GAP: i32 = 14;

/// Fictional landlords.
const LANDLORDS: [&str; 5] = [
    "Maple Court Apartments",
    "Riverside Property Management",
    "Oak Hill Residences",
    "Harbor View Lofts",
    "Cedar Grove Homes",
];

/// `(merchant, primary, detailed, monthly price in cents)` of the subscriptions
/// users pay, real-world style. Any five cost more than $50 a month together;
/// fewer are topped up by [`meet_subscription_spend`].
const SUBSCRIPTIONS: [(&str, &str, &str, i64); spendsense_personas::MAX_SUBSCRIPTIONS as usize] = [
    (
        "Netflix",
        "ENTERTAINMENT",
        "ENTERTAINMENT_TV_AND_MOVIES",
        15_49,
    ),
    (
        "Spotify",
        "ENTERTAINMENT",
        "ENTERTAINMENT_MUSIC_AND_AUDIO",
        11_99,
    ),
    (
        "Hulu",
        "ENTERTAINMENT",
        "ENTERTAINMENT_TV_AND_MOVIES",
        17_99,
    ),
    (
        "Disney+",
        "ENTERTAINMENT",
        "ENTERTAINMENT_TV_AND_MOVIES",
        13_99,
    ),
    (
        "YouTube Premium",
        "ENTERTAINMENT",
        "ENTERTAINMENT_TV_AND_MOVIES",
        13_99,
    ),
    ("Max", "ENTERTAINMENT", "ENTERTAINMENT_TV_AND_MOVIES", 16_99),
    (
        "Planet Fitness",
        "PERSONAL_CARE",
        "PERSONAL_CARE_GYMS_AND_FITNESS_CENTERS",
        24_99,
    ),
    (
        "Adobe Creative Cloud",
        "GENERAL_SERVICES",
        "GENERAL_SERVICES_OTHER_GENERAL_SERVICES",
        22_99,
    ),
    (
        "Microsoft 365",
        "GENERAL_SERVICES",
        "GENERAL_SERVICES_OTHER_GENERAL_SERVICES",
        9_99,
    ),
    (
        "Amazon Prime",
        "GENERAL_MERCHANDISE",
        "GENERAL_MERCHANDISE_ONLINE_MARKETPLACES",
        14_99,
    ),
    (
        "The New York Times",
        "GENERAL_MERCHANDISE",
        "GENERAL_MERCHANDISE_BOOKSTORES_AND_NEWSSTANDS",
        17_00,
    ),
    (
        "Audible",
        "ENTERTAINMENT",
        "ENTERTAINMENT_MUSIC_AND_AUDIO",
        14_95,
    ),
    (
        "Peloton",
        "PERSONAL_CARE",
        "PERSONAL_CARE_GYMS_AND_FITNESS_CENTERS",
        44_00,
    ),
    (
        "Dropbox",
        "GENERAL_SERVICES",
        "GENERAL_SERVICES_OTHER_GENERAL_SERVICES",
        11_99,
    ),
    (
        "Duolingo",
        "GENERAL_SERVICES",
        "GENERAL_SERVICES_EDUCATION",
        12_99,
    ),
    (
        "Xbox Game Pass",
        "ENTERTAINMENT",
        "ENTERTAINMENT_VIDEO_GAMES",
        16_99,
    ),
    (
        "Paramount+",
        "ENTERTAINMENT",
        "ENTERTAINMENT_TV_AND_MOVIES",
        12_99,
    ),
    (
        "Apple Music",
        "ENTERTAINMENT",
        "ENTERTAINMENT_MUSIC_AND_AUDIO",
        10_99,
    ),
    (
        "Headspace",
        "PERSONAL_CARE",
        "PERSONAL_CARE_OTHER_PERSONAL_CARE",
        12_99,
    ),
    (
        "Google One",
        "GENERAL_SERVICES",
        "GENERAL_SERVICES_OTHER_GENERAL_SERVICES",
        9_99,
    ),
];

/// `(merchant, detailed category, share of monthly expenses in percent)` of the
/// monthly bills everyone pays from checking.
const BILLS: [(&str, &str, std::ops::RangeInclusive<i64>); 2] = [
    (
        "City Power & Light",
        "RENT_AND_UTILITIES_GAS_AND_ELECTRICITY",
        3..=5,
    ),
    ("Bluewave Mobile", "RENT_AND_UTILITIES_TELEPHONE", 2..=3),
];

/// Rent as a share of monthly expenses, in percent.
const RENT_SHARE_PERCENT: std::ops::RangeInclusive<i64> = 28..=38;

/// The lowest whole-percent APR of a persona's six-step range (`x.99` each).
fn lowest_apr(persona: PersonaId) -> i64 {
    match persona {
        PersonaId::HighUtilization => 25,
        PersonaId::VariableIncome => 23,
        PersonaId::SubscriptionHeavy | PersonaId::Control => 20,
        PersonaId::SavingsBuilder => 15,
    }
}

/// The smallest minimum payment, in cents, unless the balance is smaller.
const MINIMUM_PAYMENT_FLOOR_CENTS: i64 = 25_00;

/// Rounds half away from zero to whole cents.
fn round_cents(value: Decimal) -> Decimal {
    let mut rounded = value.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    rounded.rescale(2);
    rounded
}

/// A card's minimum payment: the larger of $25 and 1% of the balance plus a
/// month's interest, but never more than the balance.
pub fn minimum_payment(balance: Decimal, interest: Decimal) -> Decimal {
    if balance <= Decimal::ZERO {
        return cents(0);
    }
    let one_percent = round_cents(balance / Decimal::ONE_HUNDRED);
    round_cents(balance.min(cents(MINIMUM_PAYMENT_FLOOR_CENTS).max(one_percent + interest)))
}

/// An empty plan for `build::blank_profile`.
pub(crate) fn blank_plan() -> Plan {
    let day = Date::from_ymd(2026, 11, 30).expect("a real day");
    Plan {
        as_of: day,
        history_start: day,
        income: IncomePlan {
            employer: String::new(),
            frequency: PayFrequency::Monthly,
            paychecks: Vec::new(),
        },
        monthly_expenses: Decimal::ZERO,
        recurring: Vec::new(),
        cards: Vec::new(),
        savings_transfers: None,
    }
}

/// What the plan is drawn from, decided by the rest of the profile.
pub(crate) struct Inputs<'a> {
    pub(crate) as_of: Date,
    pub(crate) persona: PersonaId,
    pub(crate) income_cents: i64,
    pub(crate) frequency: PayFrequency,
    pub(crate) median_gap_days: u16,
    pub(crate) monthly_expenses_cents: i64,
    pub(crate) subscriptions: u8,
    /// With this many subscriptions a user meets Subscription-Heavy's count:
    /// their monthly cost must then clear its spend threshold by $5.
    pub(crate) subscription_spend_floor_cents: Option<i64>,
    pub(crate) savings_monthly_cents: i64,
    pub(crate) accounts: &'a [Account],
}

/// Monthly expenses in cents for a gross annual income and an expense share in percent.
pub(crate) fn monthly_expenses_cents(income_cents: i64, share_percent: i64) -> i64 {
    (i128::from(income_cents) * NET_PAY_PERCENT * i128::from(share_percent) / 120_000) as i64
}

/// Draws the dated plan into `plan`, reusing its vectors.
pub(crate) fn draw_plan(inputs: &Inputs<'_>, rng: &mut ChaCha8Rng, plan: &mut Plan) {
    let as_of = inputs.as_of;
    let start = as_of.add_days(1 - MIN_HISTORY_DAYS);
    plan.as_of = as_of;
    plan.history_start = start;
    plan.monthly_expenses = cents(inputs.monthly_expenses_cents);
    draw_income(inputs, rng, start, &mut plan.income);

    let checking = &inputs.accounts[0].account_id;
    let first_card = inputs.accounts.iter().find(|a| a.is_credit_card());
    let expenses = i128::from(inputs.monthly_expenses_cents);
    let share = |rng: &mut ChaCha8Rng, range: std::ops::RangeInclusive<i64>| {
        (expenses * i128::from(rng.random_range(range)) / 100) as i64
    };
    let mut used = 0;
    let charges = &mut plan.recurring;
    let rent = share(rng, RENT_SHARE_PERCENT);
    let rent_day = rng.random_range(1..=5u8);
    let landlord = LANDLORDS[rng.random_range(0..LANDLORDS.len())];
    monthly(
        charges,
        &mut used,
        landlord,
        ("RENT_AND_UTILITIES", "RENT_AND_UTILITIES_RENT"),
        rent,
        first_on_day(start, rent_day),
        checking,
    );
    for (merchant, detailed, range) in BILLS {
        let amount = share(rng, range);
        let day = rng.random_range(6..=25u8);
        monthly(
            charges,
            &mut used,
            merchant,
            ("RENT_AND_UTILITIES", detailed),
            amount,
            first_on_day(start, day),
            checking,
        );
    }
    let mut order = crate::streams::permutation::<{ SUBSCRIPTIONS.len() }>(rng);
    let count = usize::from(inputs.subscriptions).min(SUBSCRIPTIONS.len());
    meet_subscription_spend(&mut order, count, inputs.subscription_spend_floor_cents);
    let funding = first_card.map_or(checking, |card| &card.account_id);
    for &pick in order.iter().take(count) {
        let (merchant, primary, detailed, price) = SUBSCRIPTIONS[usize::from(pick)];
        // The last charge falls 0 to 24 days before `as_of`, moved back to
        // day 28 at most; so it is at most 27 days old and the two before it
        // are within 89 days of `as_of`.
        let last = as_of.add_days(-rng.random_range(0..=24));
        let last = if last.day() > 28 {
            last.with_day(28)
        } else {
            last
        };
        monthly(
            charges,
            &mut used,
            merchant,
            (primary, detailed),
            price,
            first_on_day(start, last.day()),
            funding,
        );
    }
    charges.truncate(used);

    plan.cards.clear();
    for card in inputs.accounts.iter().filter(|a| a.is_credit_card()) {
        plan.cards.push(draw_card(inputs.persona, card, as_of, rng));
    }

    let savings = inputs
        .accounts
        .iter()
        .find(|a| a.subtype == AccountSubtype::Savings);
    plan.savings_transfers = match savings {
        Some(savings) if inputs.savings_monthly_cents > 0 => Some(SavingsTransfers {
            from_account_id: checking.clone(),
            to_account_id: savings.account_id.clone(),
            // Monthly amount × 12 / 26, rounded half to even.
            amount: cents(crate::money::div_round_even(
                i128::from(inputs.savings_monthly_cents) * 12,
                26,
            )),
            cadence: TransferCadence::Biweekly,
            first_transfer: start.add_days(rng.random_range(0..14)),
        }),
        _ => None,
    };
}

/// Writes a monthly charge into the next slot of `charges` (`used` counts
/// the slots written so far), reusing the strings of an earlier profile's.
fn monthly(
    charges: &mut Vec<RecurringCharge>,
    used: &mut usize,
    merchant: &str,
    (primary, detailed): (&str, &str),
    amount_cents: i64,
    first_charge: Date,
    account_id: &str,
) {
    if *used == charges.len() {
        charges.push(RecurringCharge {
            merchant: String::new(),
            category: Category {
                primary: String::new(),
                detailed: String::new(),
            },
            amount: Decimal::ZERO,
            cadence: Cadence::Monthly,
            first_charge,
            account_id: String::new(),
        });
    }
    let charge = &mut charges[*used];
    *used += 1;
    set(&mut charge.merchant, merchant);
    set(&mut charge.category.primary, primary);
    set(&mut charge.category.detailed, detailed);
    charge.amount = cents(amount_cents);
    charge.cadence = Cadence::Monthly;
    charge.first_charge = first_charge;
    set(&mut charge.account_id, account_id);
}

/// Reorders `order` so that its first `count` subscriptions cost at least
/// `floor` cents a month, when `floor` is set: the cheapest pick gives way to
/// the priciest unpicked one until they do. Any three of the priciest cost
/// more than $90, so a Subscription-Heavy user's spend always clears the rule.
fn meet_subscription_spend(order: &mut [u8], count: usize, floor: Option<i64>) {
    let Some(floor) = floor else {
        return;
    };
    let price = |pick: u8| SUBSCRIPTIONS[usize::from(pick)].3;
    loop {
        let (picked, rest) = order.split_at_mut(count);
        let total: i64 = picked.iter().map(|&p| price(p)).sum();
        let cheapest = picked.iter_mut().min_by_key(|p| price(**p));
        let priciest = rest.iter_mut().max_by_key(|p| price(**p));
        match (cheapest, priciest) {
            (Some(low), Some(high)) if total < floor && price(*high) > price(*low) => {
                std::mem::swap(low, high)
            }
            _ => return,
        }
    }
}

/// The first day `day` (1 to 28) on or after `start`.
fn first_on_day(start: Date, day: u8) -> Date {
    let candidate = start.with_day(day);
    if candidate < start {
        candidate.months_later(1, day)
    } else {
        candidate
    }
}

fn draw_income(inputs: &Inputs<'_>, rng: &mut ChaCha8Rng, start: Date, income: &mut IncomePlan) {
    let employers: &[&str] = if inputs.frequency == PayFrequency::Irregular {
        &CLIENTS
    } else {
        &EMPLOYERS
    };
    set(
        &mut income.employer,
        employers[rng.random_range(0..employers.len())],
    );
    income.frequency = inputs.frequency;
    income.paychecks.clear();
    let net_yearly = i128::from(inputs.income_cents) * NET_PAY_PERCENT / 100;
    let per_period = |periods: i128| cents(crate::money::div_round_even(net_yearly, periods));
    let as_of = inputs.as_of;
    let mut push = |date: Date, amount: Decimal| income.paychecks.push(Paycheck { date, amount });
    match inputs.frequency {
        PayFrequency::Weekly | PayFrequency::Biweekly => {
            let (step, periods) = if inputs.frequency == PayFrequency::Weekly {
                (7, 52)
            } else {
                (14, 26)
            };
            let mut date = start.add_days(rng.random_range(0..step));
            while date <= as_of {
                push(date, per_period(periods));
                date = date.add_days(step);
            }
        }
        PayFrequency::Semimonthly => {
            // The 15th and the last day of every month.
            let mut month = start.with_day(1);
            while month <= as_of {
                for day in [15, 31] {
                    let date = month.with_day(day);
                    if date >= start && date <= as_of {
                        push(date, per_period(24));
                    }
                }
                month = month.months_later(1, 1);
            }
        }
        PayFrequency::Monthly => {
            let day = rng.random_range(1..=28u8);
            let mut date = first_on_day(start, day);
            while date <= as_of {
                push(date, per_period(12));
                date = date.months_later(1, day);
            }
        }
        PayFrequency::Irregular => {
            let median = i32::from(inputs.median_gap_days);
            let history = MIN_HISTORY_DAYS - 1;
            // Three gaps around the median (one shorter, the median, one
            // longer, in drawn order) when they fit the history, else one:
            // an odd count keeps the median of the real gaps exact. Only the
            // median has to clear 45 days; the shorter gap may be any 14 or more.
            let above = rng.random_range(median..=median + 10);
            let room = history - median - above;
            let mut gaps: Vec<i32> = if room >= SHORTEST_IRREGULAR_GAP {
                let below = rng.random_range(SHORTEST_IRREGULAR_GAP..=room.min(median));
                let gaps = [below, median, above];
                let order = crate::streams::permutation::<3>(rng);
                order.iter().map(|&i| gaps[usize::from(i)]).collect()
            } else {
                vec![median]
            };
            let span: i32 = gaps.iter().sum();
            // The last payment lands in the 90 days before `as_of`, so that
            // every profile has recent income (Plaid Sandbox's income checks
            // look 90 days back).
            let earliest = (RECENT_INCOME_DAYS - span).max(0);
            let mut date = start.add_days(rng.random_range(earliest..=history - span));
            // Each payment covers the work of the gap before it; the first,
            // of a drawn 14 days to a median gap, so amounts always vary.
            gaps.insert(0, rng.random_range(SHORTEST_IRREGULAR_GAP..=median));
            for (n, gap) in gaps.iter().enumerate() {
                if n > 0 {
                    date = date.add_days(*gap);
                }
                let amount = crate::money::div_round_even(net_yearly * i128::from(*gap), 365);
                push(date, cents(amount));
            }
        }
    }
}

fn draw_card(persona: PersonaId, card: &Account, as_of: Date, rng: &mut ChaCha8Rng) -> CardPlan {
    let apr = cents((lowest_apr(persona) + rng.random_range(0..6)) * 100 - 1);
    let statement_day = rng.random_range(1..=28u8);
    let payment = if persona == PersonaId::HighUtilization {
        match rng.random_range(0..10u8) {
            0..=4 => CardPayment::Revolving,
            5..=7 => CardPayment::MinimumOnly,
            _ => CardPayment::Overdue,
        }
    } else {
        CardPayment::PayInFull
    };
    let balance = card.balances.current.unwrap_or(Decimal::ZERO);
    let interest = if payment.accrues_interest() {
        round_cents(balance * apr / Decimal::from(1200))
    } else {
        cents(0)
    };
    CardPlan {
        account_id: card.account_id.clone(),
        purchase_apr: apr,
        statement_day,
        payment,
        last_statement_balance: balance,
        minimum_payment: minimum_payment(balance, interest),
        interest_per_statement: interest,
        next_payment_due_date: CardPlan::due_date(as_of, statement_day),
        is_overdue: payment == CardPayment::Overdue,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `Personas::problems` bounds the Subscription-Heavy spend threshold by
    /// `max_subscription_spend`; any that many of the priciest subscriptions
    /// must cover it plus the $5 margin, or a Subscription-Heavy user could
    /// fall short of the rule.
    #[test]
    fn the_priciest_subscriptions_cover_every_allowed_spend_threshold() {
        let mut prices: Vec<i64> = SUBSCRIPTIONS.iter().map(|s| s.3).collect();
        prices.sort_unstable_by(|a, b| b.cmp(a));
        for merchants in 1..=spendsense_personas::MAX_SUBSCRIPTIONS {
            let top: i64 = prices.iter().take(usize::from(merchants)).sum();
            let threshold = spendsense_personas::max_subscription_spend(merchants) * 100;
            assert!(
                top >= threshold + 5_00,
                "{merchants} subscriptions cost at most {top} cents, below {threshold} + 500"
            );
        }
    }
}
