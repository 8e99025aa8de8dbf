//! Sums the annual incomes of a profile dataset, exactly, reading one profile
//! at a time: `cargo run -p spendsense-schema --example sum_incomes -- FILE [N]`.
//!
//! FILE is a JSON array or JSON Lines (`-` for stdin; the format comes from
//! the extension, else from the first byte); with N, only the first N profiles
//! are read, and nothing after them. A record that is not a profile is
//! reported with its place and skipped; input that is not JSON stops the sum.

use std::fs::File;
use std::io::{self, BufRead, BufReader};
use std::path::Path;
use std::process::ExitCode;

use spendsense_schema::{Decimal, Error, ProfileFormat, ProfileReader};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(path), limit) = (args.first(), args.get(1)) else {
        eprintln!("usage: sum_incomes FILE [N]");
        return ExitCode::from(2);
    };
    let limit = match limit.map(|n| n.parse::<usize>()) {
        None => usize::MAX,
        Some(Ok(n)) => n,
        Some(Err(_)) => {
            eprintln!("error: N must be a whole number of profiles");
            return ExitCode::from(2);
        }
    };
    let path = Path::new(path);
    let input: Box<dyn BufRead> = if path == Path::new("-") {
        Box::new(io::stdin().lock())
    } else {
        match File::open(path) {
            Ok(file) => Box::new(BufReader::new(file)),
            Err(err) => {
                eprintln!("error: cannot open {}: {err}", path.display());
                return ExitCode::from(2);
            }
        }
    };
    match sum(path, input, limit) {
        Ok((count, total)) => {
            println!("{count} profiles, total annual income {total}");
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: {}: {err}", path.display());
            ExitCode::from(2)
        }
    }
}

fn sum(path: &Path, mut input: Box<dyn BufRead>, limit: usize) -> Result<(u64, Decimal), Error> {
    let format = ProfileFormat::detect(Some(path), &mut input)?;
    let (mut count, mut total) = (0, Decimal::ZERO);
    for record in ProfileReader::new(input, format).take(limit) {
        match record {
            Ok(profile) => {
                count += 1;
                total += profile.annual_income;
            }
            // Skipped: the reader goes on with the next record.
            Err(Error::Record(record)) => eprintln!("skipped {record}"),
            Err(err) => return Err(err),
        }
    }
    Ok((count, total))
}
