//! `spendsense man [COMMAND]`: the man page (roff) of `spendsense` or of one
//! of its commands, rendered by clap_mangen from the parser itself, so every
//! option and value in `--help` is in the page too.
//!
//! Pages go to stdout only (`spendsense man generate > spendsense-generate.1`):
//! the command writes no files, so it needs none of the output machinery.

use std::io::{self, Write};
use std::process::ExitCode;

use anyhow::anyhow;

use crate::Failure;
use crate::args::{self, ManArgs};

pub fn run(args: ManArgs) -> Result<ExitCode, Failure> {
    let page = render(args.command.as_deref())?;
    let mut out = io::stdout().lock();
    out.write_all(&page)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// The page of `spendsense`, or of its command `name`, as roff.
pub fn render(name: Option<&str>) -> Result<Vec<u8>, Failure> {
    // Built first, so each command's page carries the propagated version and
    // is titled `spendsense-NAME`; `help` is clap's, and has no page.
    let mut command = args::command().disable_help_subcommand(true);
    command.build();
    // Every page names the tool in its footer, as `spendsense --version` does.
    let source = format!(
        "spendsense {}",
        command.get_version().unwrap_or(env!("CARGO_PKG_VERSION"))
    );
    let page_of = match name {
        None => command,
        Some(name) => match command.find_subcommand(name) {
            Some(sub) => sub.clone(),
            None => {
                let names: Vec<&str> = command.get_subcommands().map(|s| s.get_name()).collect();
                return Err(Failure::Usage(anyhow!(
                    "no man page for `{}`; give one of {}, or nothing for the page of spendsense",
                    name,
                    names.join(", ")
                )));
            }
        },
    };
    let mut page = Vec::new();
    clap_mangen::Man::new(page_of)
        .source(source)
        .render(&mut page)?;
    Ok(page)
}
