//! [`TableSet`]: the builders of all seven tables, filled a profile (and its
//! ledger) at a time, the unit every producer of batches works in.

use arrow_array::RecordBatch;
use spendsense_export::columns::{self, LEDGER_TABLES, PROFILE_TABLES, Table};
use spendsense_schema::{CardLiability, Transaction, UserProfile};

use crate::{Error, TableBuilder};

/// How many tables there are: the profile tables, then the ledger's.
pub const TABLE_COUNT: usize = PROFILE_TABLES.len() + LEDGER_TABLES.len();

/// One [`TableBuilder`] per table of [`columns::all_tables`], in that order.
#[derive(Debug)]
pub struct TableSet {
    builders: [TableBuilder; TABLE_COUNT],
}

impl Default for TableSet {
    fn default() -> TableSet {
        TableSet::new()
    }
}

impl TableSet {
    /// Empty builders of every table.
    pub fn new() -> TableSet {
        let mut tables = columns::all_tables();
        TableSet {
            builders: std::array::from_fn(|_| {
                TableBuilder::new(tables.next().expect("a table per builder"))
            }),
        }
    }

    /// The tables, in the order of [`TableSet::finish`]'s batches.
    pub fn tables() -> impl Iterator<Item = &'static Table> {
        columns::all_tables()
    }

    /// Appends `profile`'s rows to the five profile tables. The rows of a
    /// table that does not take them are left out whole, and the first such
    /// table's error is returned (the model's own profiles always fit).
    pub fn push_profile(&mut self, profile: &UserProfile) -> Result<(), Error> {
        let mut pushed = Ok(());
        columns::profile_rows(profile, |table, values| {
            let result = self.builders[table].push(values);
            if pushed.is_ok() {
                pushed = result;
            }
        });
        pushed
    }

    /// Appends one user's transactions and card liabilities to the two
    /// ledger tables, as [`TableSet::push_profile`] does.
    pub fn push_ledger(
        &mut self,
        user_id: &str,
        transactions: &[Transaction],
        liabilities: &[CardLiability],
    ) -> Result<(), Error> {
        let ledger_builders = &mut self.builders[PROFILE_TABLES.len()..];
        let mut pushed = Ok(());
        columns::ledger_rows(user_id, transactions, liabilities, |table, values| {
            let result = ledger_builders[table].push(values);
            if pushed.is_ok() {
                pushed = result;
            }
        });
        pushed
    }

    /// The rows pushed so far as one record batch per table (in
    /// [`TableSet::tables`] order), leaving the builders empty for more.
    pub fn finish(&mut self) -> [RecordBatch; TABLE_COUNT] {
        self.builders.each_mut().map(TableBuilder::finish)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_profile_fills_the_profile_tables_and_a_ledger_the_others() {
        let profile = spendsense_schema::sample::profile();
        let mut set = TableSet::new();
        set.push_profile(&profile).unwrap();
        let batches = set.finish();
        assert_eq!(batches[0].num_rows(), 1, "one user");
        assert_eq!(batches[1].num_rows(), profile.accounts.len());
        assert!(batches[5..].iter().all(|b| b.num_rows() == 0));
        for (batch, table) in batches.iter().zip(TableSet::tables()) {
            assert_eq!(batch.schema(), crate::schema(table), "{}", table.name);
        }
        assert_eq!(set.finish()[0].num_rows(), 0, "finish empties the builders");
    }
}
