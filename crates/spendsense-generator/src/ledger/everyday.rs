//! Everyday purchases: groceries, fuel, meals and shopping, at merchants
//! that never look recurring.
//!
//! Each 30-day block of the long window spends exactly its share of the
//! plan's expenses ([`everyday_spend_blocks`]), in [`PAIRS_PER_BLOCK`] pairs
//! of visits. The two visits of a pair go to the same merchant 1 to 5 days
//! apart, inside one block. The 90-day recurring lookback is exactly the last
//! three blocks, so any merchant with charges in it has a whole pair there,
//! and two of its charges at most 5 days apart: neither a weekly nor a
//! monthly cadence. No everyday merchant can become a recurring merchant,
//! whatever the draws.

use rand::RngExt;
use rand_chacha::ChaCha8Rng;
use spendsense_personas::{BLOCKS, Window, everyday_spend_blocks, window_start};
use spendsense_schema::{PaymentChannel, UserProfile};

use super::{Book, Entry, Name};
use crate::money::{cents, to_cents};

/// Pairs of visits in each 30-day block: 16 purchases a month.
pub(crate) const PAIRS_PER_BLOCK: usize = 8;

/// The longest gap between the two visits of a pair, in days.
const PAIR_GAP_DAYS: i32 = 5;

/// `(merchant, primary, detailed, channel)` of everyday purchases. No name
/// here is a subscription's, a bill's or a landlord's.
pub(crate) const MERCHANTS: [(&str, &str, &str, PaymentChannel); 16] = [
    (
        "Safeway",
        "FOOD_AND_DRINK",
        "FOOD_AND_DRINK_GROCERIES",
        PaymentChannel::InStore,
    ),
    (
        "Trader Joe's",
        "FOOD_AND_DRINK",
        "FOOD_AND_DRINK_GROCERIES",
        PaymentChannel::InStore,
    ),
    (
        "Kroger",
        "FOOD_AND_DRINK",
        "FOOD_AND_DRINK_GROCERIES",
        PaymentChannel::InStore,
    ),
    (
        "Starbucks",
        "FOOD_AND_DRINK",
        "FOOD_AND_DRINK_COFFEE",
        PaymentChannel::InStore,
    ),
    (
        "Chipotle",
        "FOOD_AND_DRINK",
        "FOOD_AND_DRINK_FAST_FOOD",
        PaymentChannel::InStore,
    ),
    (
        "Olive Garden",
        "FOOD_AND_DRINK",
        "FOOD_AND_DRINK_RESTAURANT",
        PaymentChannel::InStore,
    ),
    (
        "DoorDash",
        "FOOD_AND_DRINK",
        "FOOD_AND_DRINK_RESTAURANT",
        PaymentChannel::Online,
    ),
    (
        "Shell",
        "TRANSPORTATION",
        "TRANSPORTATION_GAS",
        PaymentChannel::InStore,
    ),
    (
        "Chevron",
        "TRANSPORTATION",
        "TRANSPORTATION_GAS",
        PaymentChannel::InStore,
    ),
    (
        "Uber",
        "TRANSPORTATION",
        "TRANSPORTATION_TAXIS_AND_RIDE_SHARES",
        PaymentChannel::Online,
    ),
    (
        "Target",
        "GENERAL_MERCHANDISE",
        "GENERAL_MERCHANDISE_SUPERSTORES",
        PaymentChannel::InStore,
    ),
    (
        "Walmart",
        "GENERAL_MERCHANDISE",
        "GENERAL_MERCHANDISE_SUPERSTORES",
        PaymentChannel::InStore,
    ),
    (
        "Amazon",
        "GENERAL_MERCHANDISE",
        "GENERAL_MERCHANDISE_ONLINE_MARKETPLACES",
        PaymentChannel::Online,
    ),
    (
        "CVS Pharmacy",
        "MEDICAL",
        "MEDICAL_PHARMACIES_AND_SUPPLEMENTS",
        PaymentChannel::InStore,
    ),
    (
        "The Home Depot",
        "HOME_IMPROVEMENT",
        "HOME_IMPROVEMENT_HARDWARE",
        PaymentChannel::InStore,
    ),
    (
        "Great Clips",
        "PERSONAL_CARE",
        "PERSONAL_CARE_HAIR_AND_BEAUTY",
        PaymentChannel::InStore,
    ),
];

/// Writes the everyday purchases of the long window into `book`: on the
/// first credit card for half the pairs when the user has one, else from checking.
pub(super) fn realise<'a>(
    book: &mut Book<'a>,
    profile: &'a UserProfile,
    checking: &'a str,
    rng: &mut ChaCha8Rng,
) {
    let plan = &profile.plan;
    let card = profile
        .accounts
        .iter()
        .find(|a| a.is_credit_card())
        .map(|a| a.account_id.as_str());
    let start = window_start(plan.as_of, Window::Long);
    let purchases = 2 * PAIRS_PER_BLOCK;
    for (block, total) in everyday_spend_blocks(plan).into_iter().enumerate() {
        let block_start = start.add_days(30 * block as i32);
        let amounts = split(to_cents(total), purchases, rng);
        for pair in amounts.chunks(2) {
            let (merchant, primary, detailed, channel) =
                MERCHANTS[rng.random_range(0..MERCHANTS.len())];
            let gap = rng.random_range(1..=PAIR_GAP_DAYS);
            let first = block_start.add_days(rng.random_range(0..30 - gap));
            let account_id = match card {
                Some(card) if rng.random_bool(0.5) => card,
                _ => checking,
            };
            for (visit, &amount) in pair.iter().enumerate() {
                let date = first.add_days(if visit == 0 { 0 } else { gap });
                // Card and in-store purchases post the day after they are made.
                let authorized_date = if channel == PaymentChannel::InStore {
                    date.add_days(-1)
                } else {
                    date
                };
                book.push(Entry {
                    account_id,
                    amount: cents(amount),
                    date,
                    authorized_date,
                    name: Name::Text(merchant),
                    merchant_name: Some(merchant),
                    channel,
                    category: (primary, detailed),
                });
            }
        }
    }
    debug_assert_eq!(BLOCKS * 30, Window::Long.days() as usize);
}

/// Splits `total` cents into `parts` positive amounts that sum to it, each
/// weighted by a draw from 1 to 100; fewer parts (an even number, or one)
/// when `total` is too small for every part to get a cent.
fn split(total: i64, parts: usize, rng: &mut ChaCha8Rng) -> Vec<i64> {
    if total <= 0 {
        return Vec::new();
    }
    let mut parts = parts.min(usize::try_from(total).unwrap_or(usize::MAX));
    if parts > 1 && !parts.is_multiple_of(2) {
        parts -= 1;
    }
    let weights: Vec<i64> = (0..parts).map(|_| rng.random_range(1..=100)).collect();
    let weight_sum: i64 = weights.iter().sum();
    // Every part gets a cent first; the rest goes by weight, the remainder to the first part.
    let spare = total - parts as i64;
    let mut amounts: Vec<i64> = weights
        .iter()
        .map(|w| 1 + (i128::from(spare) * i128::from(*w) / i128::from(weight_sum)) as i64)
        .collect();
    let given: i64 = amounts.iter().sum();
    amounts[0] += total - given;
    amounts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::streams::{Domain, stream};

    #[test]
    fn splits_are_exact_and_positive() {
        let mut rng = stream(3, Domain::Ledger, 0);
        for total in [1, 2, 3, 15, 16, 17, 999, 123_456_78] {
            let parts = split(total, 16, &mut rng);
            assert_eq!(parts.iter().sum::<i64>(), total, "{total}");
            assert!(parts.iter().all(|p| *p > 0), "{total}: {parts:?}");
            assert!(
                parts.len() == 1 || parts.len().is_multiple_of(2),
                "{total}: {parts:?}"
            );
        }
        assert!(split(0, 16, &mut rng).is_empty());
    }
}
