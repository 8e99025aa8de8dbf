//! The dated plan of a profile: paychecks, recurring charges, card terms and
//! savings transfers over the history that ends at `as_of`.

use rust_decimal::Decimal;
use spendsense_schema::{Date, IncomePlan, PayFrequency, Plan};

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
