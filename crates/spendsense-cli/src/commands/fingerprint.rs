//! `spendsense fingerprint`.

use std::io::{self, Write};
use std::process::ExitCode;

use crate::Failure;
use crate::args::FingerprintArgs;
use crate::commands::load_personas;

pub fn run(args: FingerprintArgs) -> Result<ExitCode, Failure> {
    let personas = load_personas(args.personas.as_deref())?;
    writeln!(
        io::stdout(),
        "{}",
        spendsense_generator::fingerprint(&personas)
    )?;
    Ok(ExitCode::SUCCESS)
}
