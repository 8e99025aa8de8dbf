//! `spendsense completions SHELL`: a completion script, rendered by
//! clap_complete from the same parser the command line goes through, so it
//! offers exactly the commands, options and values that exist.

use std::io::{self, Write};
use std::process::ExitCode;

use crate::Failure;
use crate::args::{self, CompletionsArgs};

pub fn run(args: CompletionsArgs) -> Result<ExitCode, Failure> {
    let mut command = args::command();
    let name = command.get_name().to_string();
    // Rendered into memory first: clap_complete panics when its writer fails,
    // and stdout can be full or closed.
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, name, &mut script);
    let mut out = io::stdout().lock();
    out.write_all(&script)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
