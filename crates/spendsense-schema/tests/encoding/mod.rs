//! The profile writers and `Transaction::encode_json` produce exactly
//! serde_json's bytes for the derived `Serialize` impls, on random profiles
//! and transactions whose strings are full of characters that need escaping.

use rust_decimal::Decimal;
use spendsense_schema::{
    AccountSubtype, Cadence, CardPayment, CardPlan, Category, Date, HolderCategory, IncomePlan,
    IncomeStability, PayFrequency, Paycheck, PaymentChannel, PersonaId, Plan, ProfileFormat,
    RecurringCharge, SavingsTransfers, Transaction, TransferCadence, UserProfile, write_profiles,
};

use spendsense_schema::sample;

/// Deterministic xorshift, so a failure reproduces.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    fn chance(&mut self) -> bool {
        self.next() & 1 == 1
    }

    /// A string mixing plain text with every kind of character JSON escapes.
    fn text(&mut self) -> String {
        const PIECES: &[&str] = &[
            "a",
            "Zoe",
            " ",
            "'",
            "/",
            "\"",
            "\\",
            "\n",
            "\r",
            "\t",
            "\u{8}",
            "\u{c}",
            "\u{0}",
            "\u{1}",
            "\u{1f}",
            "\u{7f}",
            "é",
            "€",
            "😀",
            "\u{2028}",
            "user_MASKED_001",
        ];
        (0..self.below(12)).map(|_| self.pick(PIECES)).collect()
    }

    fn amount(&mut self) -> Decimal {
        let mantissa = (self.next() >> self.below(64)) as i64 as i128;
        let sign = if self.chance() { -1 } else { 1 };
        Decimal::from_i128_with_scale(sign * mantissa, self.below(6) as u32)
    }

    fn optional<T>(&mut self, value: impl FnOnce(&mut Random) -> T) -> Option<T> {
        self.chance().then(|| value(self))
    }
}

fn random_profile(random: &mut Random) -> UserProfile {
    let mut profile = sample::profile();
    profile.user_id = random.text();
    profile.name = random.text();
    profile.persona = random.pick(&PersonaId::ALL);
    profile.expected_assignment = random.optional(|r| r.pick(&PersonaId::ALL));
    profile.matched_personas = random.optional(|r| {
        (0..r.below(4))
            .map(|_| r.pick(&PersonaId::ALL))
            .collect::<Vec<_>>()
    });
    profile.annual_income = random.amount();
    profile.demographics.age = random.next() as u8;
    profile.demographics.state = random.text();
    let identity = &mut profile.identity;
    identity.email = random.text();
    identity.phone_number = random.text();
    identity.address.street = random.text();
    identity.address.city = random.text();
    identity.address.region = random.text();
    identity.address.postal_code = random.text();
    identity.address.country = random.text();
    let plan = &mut profile.characteristics;
    plan.target_credit_utilization = random.amount();
    plan.target_savings_monthly = random.amount();
    plan.income_stability = random.pick(&[IncomeStability::Regular, IncomeStability::Irregular]);
    plan.pay_frequency = random.pick(&[
        PayFrequency::Weekly,
        PayFrequency::Biweekly,
        PayFrequency::Semimonthly,
        PayFrequency::Monthly,
        PayFrequency::Irregular,
    ]);
    plan.median_pay_gap_days = random.next() as u16;
    plan.subscription_count_target = random.next() as u8;
    let template = profile.accounts[2].clone();
    profile.accounts = (0..random.below(5))
        .map(|_| {
            let mut account = template.clone();
            account.account_id = random.text();
            account.balances.available = random.optional(Random::amount);
            account.balances.current = random.optional(Random::amount);
            account.balances.limit = random.optional(Random::amount);
            account.balances.iso_currency_code = random.optional(Random::text);
            account.balances.unofficial_currency_code = random.optional(Random::text);
            account.mask = random.optional(Random::text);
            account.name = random.text();
            account.official_name = random.optional(Random::text);
            account.subtype = random.pick(AccountSubtype::ALL);
            account.account_type = account.subtype.account_type();
            account.holder_category = random.pick(&[
                HolderCategory::Personal,
                HolderCategory::Business,
                HolderCategory::Unrecognized,
            ]);
            account
        })
        .collect();
    profile.plan = random_plan(random);
    profile
}

fn random_date(random: &mut Random) -> Date {
    Date::MIN.add_days(random.below(Date::MIN.days_until(Date::MAX) as usize + 1) as i32)
}

fn random_plan(random: &mut Random) -> Plan {
    const FREQUENCIES: [PayFrequency; 5] = [
        PayFrequency::Weekly,
        PayFrequency::Biweekly,
        PayFrequency::Semimonthly,
        PayFrequency::Monthly,
        PayFrequency::Irregular,
    ];
    const PAYMENTS: [CardPayment; 4] = [
        CardPayment::PayInFull,
        CardPayment::Revolving,
        CardPayment::MinimumOnly,
        CardPayment::Overdue,
    ];
    Plan {
        as_of: random_date(random),
        history_start: random_date(random),
        income: IncomePlan {
            employer: random.text(),
            frequency: random.pick(&FREQUENCIES),
            paychecks: (0..random.below(6))
                .map(|_| Paycheck {
                    date: random_date(random),
                    amount: random.amount(),
                })
                .collect(),
        },
        monthly_expenses: random.amount(),
        recurring: (0..random.below(5))
            .map(|_| RecurringCharge {
                merchant: random.text(),
                category: Category {
                    primary: random.text(),
                    detailed: random.text(),
                },
                amount: random.amount(),
                cadence: random.pick(&[Cadence::Monthly, Cadence::Weekly]),
                first_charge: random_date(random),
                account_id: random.text(),
            })
            .collect(),
        cards: (0..random.below(4))
            .map(|_| CardPlan {
                account_id: random.text(),
                purchase_apr: random.amount(),
                statement_day: random.next() as u8,
                payment: random.pick(&PAYMENTS),
                last_statement_balance: random.amount(),
                minimum_payment: random.amount(),
                interest_per_statement: random.amount(),
                next_payment_due_date: random_date(random),
                is_overdue: random.chance(),
            })
            .collect(),
        savings_transfers: random.optional(|r| SavingsTransfers {
            from_account_id: r.text(),
            to_account_id: r.text(),
            amount: r.amount(),
            cadence: TransferCadence::Biweekly,
            first_transfer: random_date(r),
        }),
    }
}

fn written(format: ProfileFormat, profiles: &[UserProfile]) -> String {
    String::from_utf8(write_profiles(Vec::new(), format, profiles).unwrap()).unwrap()
}

fn check_equals_serde(profiles: &[UserProfile]) {
    let jsonl: String = profiles
        .iter()
        .map(|p| serde_json::to_string(p).unwrap() + "\n")
        .collect();
    assert_eq!(written(ProfileFormat::Jsonl, profiles), jsonl);
    let json = serde_json::to_string_pretty(profiles).unwrap() + "\n";
    assert_eq!(written(ProfileFormat::Json, profiles), json);
}

#[test]
fn writers_equal_serde_json_on_random_profiles() {
    let mut random = Random(0x5eed_cafe_f00d_0001);
    for size in [0, 1, 2, 3, 10, 50] {
        for _ in 0..40 {
            let profiles: Vec<UserProfile> =
                (0..size).map(|_| random_profile(&mut random)).collect();
            check_equals_serde(&profiles);
        }
    }
}

#[test]
fn writers_equal_serde_json_on_the_sample() {
    check_equals_serde(&[sample::profile()]);
    let mut overlap = sample::overlap_profile();
    overlap.accounts.clear();
    check_equals_serde(&[overlap, sample::profile()]);
}

const CHANNELS: [PaymentChannel; 3] = [
    PaymentChannel::Online,
    PaymentChannel::InStore,
    PaymentChannel::Other,
];

fn random_transaction(random: &mut Random) -> Transaction {
    Transaction {
        transaction_id: random.text(),
        account_id: random.text(),
        amount: random.amount(),
        iso_currency_code: random.optional(Random::text),
        unofficial_currency_code: random.optional(Random::text),
        date: random_date(random),
        authorized_date: random.optional(random_date),
        name: random.text(),
        merchant_name: random.optional(Random::text),
        payment_channel: random.pick(&CHANNELS),
        personal_finance_category: Category {
            primary: random.text(),
            detailed: random.text(),
        },
        pending: random.chance(),
    }
}

/// A transaction as the generator writes one: plain text, two decimals.
fn plain_transaction() -> Transaction {
    Transaction {
        transaction_id: "user_MASKED_000-t0".into(),
        account_id: "user_MASKED_000_acct_0".into(),
        amount: Decimal::new(-2880_00, 2),
        iso_currency_code: Some("USD".into()),
        unofficial_currency_code: None,
        date: Date::from_ymd(2026, 6, 5).unwrap(),
        authorized_date: Some(Date::from_ymd(2026, 6, 5).unwrap()),
        name: "NORTHWIND ANALYTICS PAYROLL".into(),
        merchant_name: Some("Northwind Analytics".into()),
        payment_channel: PaymentChannel::Other,
        personal_finance_category: Category {
            primary: "INCOME".into(),
            detailed: "INCOME_WAGES".into(),
        },
        pending: false,
    }
}

/// `encode_json` appends to what `out` holds and writes serde_json's bytes.
fn check_transaction(transaction: &Transaction) {
    let mut out = b"before;".to_vec();
    transaction.encode_json(&mut out);
    let expected = [
        b"before;".as_slice(),
        &serde_json::to_vec(transaction).unwrap(),
    ]
    .concat();
    assert_eq!(
        String::from_utf8(out).unwrap(),
        String::from_utf8(expected).unwrap()
    );
}

#[test]
fn transaction_json_equals_serde_json_on_random_transactions() {
    let mut random = Random(0x5eed_cafe_f00d_0002);
    for _ in 0..20_000 {
        check_transaction(&random_transaction(&mut random));
    }
}

/// Each field at its edges once, the rest as the generator writes them.
#[test]
fn transaction_json_equals_serde_json_at_the_edges() {
    let edits: &[fn(&mut Transaction)] = &[
        |_| {},
        |t| t.amount = Decimal::new(15_49, 2),
        |t| t.amount = Decimal::new(-1, 2),
        |t| t.amount = Decimal::new(0, 2),
        |t| t.amount = Decimal::from_parts(0, 0, 0, true, 2),
        |t| t.amount = Decimal::MAX,
        |t| t.amount = Decimal::MIN,
        |t| t.amount = Decimal::from_i128_with_scale(-1, 28),
        |t| t.iso_currency_code = None,
        |t| t.unofficial_currency_code = Some("BTC".into()),
        |t| t.authorized_date = None,
        |t| t.date = Date::MIN,
        |t| t.date = Date::MAX,
        |t| t.authorized_date = Some(Date::MIN),
        |t| t.merchant_name = None,
        |t| t.payment_channel = PaymentChannel::Online,
        |t| t.payment_channel = PaymentChannel::InStore,
        |t| t.pending = true,
        |t| t.name = String::new(),
        |t| t.name = "Caf\u{e9} \"Zo\u{eb}\" \\ 50/50 \u{1F600} \u{2028}\u{2029}".into(),
        |t| t.name = (0u8..0x20).map(char::from).collect(),
        |t| t.name = "\u{7f}\u{80}\u{ff}\u{fffd}".into(),
        |t| t.merchant_name = Some("tab\there\r\nnew line".into()),
        |t| t.transaction_id = "exactly8".into(),
        |t| t.account_id = "sixteen-bytes!!!\"".into(),
        |t| t.personal_finance_category.primary = "\u{0}".into(),
        |t| t.personal_finance_category.detailed = "\\".repeat(40),
    ];
    for edit in edits {
        let mut transaction = plain_transaction();
        edit(&mut transaction);
        check_transaction(&transaction);
    }
}
