//! Plaid-style accounts: the `Account` object as Plaid's `/accounts/get` returns it.
//!
//! Field names, enum spellings and the always-present nullable keys follow
//! Plaid's `AccountBase` and `AccountBalance` schemas, so a consumer written
//! against Plaid reads these accounts unchanged.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Plaid's top-level account type. SpendSense models the three kinds a
/// consumer's cash flow runs through; Plaid's investment kinds are out of scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum AccountType {
    /// Checking, savings and other cash accounts.
    Depository,
    /// Revolving credit such as credit cards.
    Credit,
    /// Installment debt such as mortgages and student loans.
    Loan,
}

impl AccountType {
    /// Plaid's wire spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            AccountType::Depository => "depository",
            AccountType::Credit => "credit",
            AccountType::Loan => "loan",
        }
    }
}

macro_rules! subtypes {
    ($($(#[$doc:meta])* $variant:ident = $wire:literal => $parent:ident,)*) => {
        /// Plaid's account subtype, spelled exactly as on Plaid's wire
        /// (`credit card`, `money market`, …). Each belongs to one [`AccountType`].
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
        pub enum AccountSubtype {
            $($(#[$doc])* #[serde(rename = $wire)] $variant,)*
        }

        impl AccountSubtype {
            /// Every subtype, in declaration order.
            pub const ALL: &'static [AccountSubtype] = &[$(AccountSubtype::$variant,)*];

            /// Plaid's wire spelling.
            pub fn as_str(self) -> &'static str {
                match self { $(AccountSubtype::$variant => $wire,)* }
            }

            /// The one account type this subtype is valid under.
            pub fn account_type(self) -> AccountType {
                match self { $(AccountSubtype::$variant => AccountType::$parent,)* }
            }
        }
    };
}

subtypes! {
    /// Everyday transaction account.
    Checking = "checking" => Depository,
    /// Interest-bearing savings account.
    Savings = "savings" => Depository,
    /// Money market deposit account.
    MoneyMarket = "money market" => Depository,
    /// Certificate of deposit.
    Cd = "cd" => Depository,
    /// Cash management account.
    CashManagement = "cash management" => Depository,
    /// Health savings account held as cash.
    Hsa = "hsa" => Depository,
    /// Prepaid debit card.
    Prepaid = "prepaid" => Depository,
    /// Bank-issued credit card.
    CreditCard = "credit card" => Credit,
    /// Home mortgage.
    Mortgage = "mortgage" => Loan,
    /// Student loan.
    Student = "student" => Loan,
    /// Auto loan.
    Auto = "auto" => Loan,
    /// Home equity loan.
    HomeEquity = "home equity" => Loan,
    /// Line of credit.
    LineOfCredit = "line of credit" => Loan,
    /// Unsecured consumer (personal) loan; Plaid has no `personal` subtype.
    Consumer = "consumer" => Loan,
    /// A loan Plaid cannot classify further.
    Loan = "loan" => Loan,
}

/// Whether an account belongs to a person or a business.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum HolderCategory {
    /// A consumer account.
    Personal,
    /// A business account.
    Business,
    /// Plaid could not tell.
    Unrecognized,
}

impl HolderCategory {
    /// The wire spelling, e.g. `personal`.
    pub fn as_str(self) -> &'static str {
        match self {
            HolderCategory::Personal => "personal",
            HolderCategory::Business => "business",
            HolderCategory::Unrecognized => "unrecognized",
        }
    }
}

/// Balances as Plaid reports them. Every key is always present; absent values
/// are `null`, as Plaid's schema requires.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "json-schema", schemars(transform = crate::json_schema::one_currency_rule))]
#[serde(deny_unknown_fields)]
pub struct Balances {
    /// Spendable amount. For credit: `limit - current`.
    #[serde(with = "crate::money::option")]
    #[cfg_attr(
        feature = "json-schema",
        schemars(schema_with = "crate::json_schema::nullable_amount")
    )]
    pub available: Option<Decimal>,
    /// Ledger balance. For credit: the amount owed.
    // Plaid allows null here; validation does not (`balance-missing`), so the schema does not either.
    #[serde(with = "crate::money::option")]
    #[cfg_attr(
        feature = "json-schema",
        schemars(schema_with = "crate::json_schema::amount", range(min = 0))
    )]
    pub current: Option<Decimal>,
    /// Credit limit; `null` for depository accounts.
    #[serde(with = "crate::money::option")]
    #[cfg_attr(
        feature = "json-schema",
        schemars(schema_with = "crate::json_schema::nullable_amount")
    )]
    pub limit: Option<Decimal>,
    /// ISO 4217 code, e.g. `USD`. Exactly one of the two codes is non-null.
    #[serde(deserialize_with = "required_nullable")]
    #[cfg_attr(
        feature = "json-schema",
        schemars(schema_with = "crate::json_schema::nullable_iso_currency")
    )]
    pub iso_currency_code: Option<String>,
    /// Code for currencies without an ISO code (e.g. crypto).
    #[serde(deserialize_with = "required_nullable")]
    #[cfg_attr(
        feature = "json-schema",
        schemars(schema_with = "crate::json_schema::nullable_string")
    )]
    pub unofficial_currency_code: Option<String>,
}

/// Reads an `Option` whose key must be present even when its value is `null`,
/// as Plaid requires: unlike a plain `Option` field, a missing key is an error.
fn required_nullable<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<String>, D::Error> {
    Option::<String>::deserialize(deserializer)
}

/// One financial account, shaped like Plaid's `AccountBase`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "json-schema", schemars(transform = crate::json_schema::account_type_rules))]
#[serde(deny_unknown_fields)]
pub struct Account {
    /// Stable identifier, unique within a dataset.
    #[cfg_attr(
        feature = "json-schema",
        schemars(length(min = 1), pattern(crate::json_schema::NOT_BLANK))
    )]
    pub account_id: String,
    /// Current balances.
    pub balances: Balances,
    /// Last four digits of the account number.
    // Plaid allows null here; validation does not (`mask-missing`), so the schema does not either.
    #[serde(deserialize_with = "required_nullable")]
    #[cfg_attr(
        feature = "json-schema",
        schemars(with = "String", pattern("^[0-9]{4}$"))
    )]
    pub mask: Option<String>,
    /// Name the user or institution gave the account.
    #[cfg_attr(
        feature = "json-schema",
        schemars(length(min = 1), pattern(crate::json_schema::NOT_BLANK))
    )]
    pub name: String,
    /// The institution's marketing name for the product.
    #[serde(deserialize_with = "required_nullable")]
    #[cfg_attr(
        feature = "json-schema",
        schemars(schema_with = "crate::json_schema::nullable_string")
    )]
    pub official_name: Option<String>,
    /// Plaid account type.
    #[serde(rename = "type")]
    pub account_type: AccountType,
    /// Plaid account subtype; must belong to `account_type`.
    pub subtype: AccountSubtype,
    /// Personal or business.
    pub holder_category: HolderCategory,
}

impl AccountSubtype {
    /// Whether SpendSense's savings signals count this account: savings,
    /// money market and HSA, as the detection rules name them.
    pub fn is_savings_like(self) -> bool {
        matches!(
            self,
            AccountSubtype::Savings | AccountSubtype::MoneyMarket | AccountSubtype::Hsa
        )
    }
}

impl Account {
    /// `current / limit` for a credit account with a positive limit (saturating
    /// at `Decimal::MAX` or `MIN`), `None` for any other account.
    pub fn utilization(&self) -> Option<Decimal> {
        let (current, limit) = (self.balances.current?, self.balances.limit?);
        // A hostile file can hold a quotient past Decimal's range; it saturates
        // rather than vanishing, so such a card still reads as over its limit.
        (self.account_type == AccountType::Credit && limit > Decimal::ZERO).then(|| {
            current
                .checked_div(limit)
                .unwrap_or(if current.is_sign_negative() {
                    Decimal::MIN
                } else {
                    Decimal::MAX
                })
        })
    }

    /// Whether this is a credit card.
    pub fn is_credit_card(&self) -> bool {
        self.subtype == AccountSubtype::CreditCard
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subtypes_use_plaid_spellings_and_know_their_type() {
        let wire: Vec<String> = AccountSubtype::ALL
            .iter()
            .map(|s| serde_json::to_string(s).unwrap())
            .collect();
        assert!(wire.contains(&"\"credit card\"".to_string()));
        assert!(wire.contains(&"\"money market\"".to_string()));
        for subtype in AccountSubtype::ALL {
            let json = format!("\"{}\"", subtype.as_str());
            assert_eq!(
                serde_json::from_str::<AccountSubtype>(&json).unwrap(),
                *subtype
            );
        }
        assert_eq!(
            AccountSubtype::CreditCard.account_type(),
            AccountType::Credit
        );
        assert_eq!(
            AccountSubtype::Savings.account_type(),
            AccountType::Depository
        );
        assert_eq!(AccountSubtype::Student.account_type(), AccountType::Loan);
    }
}
