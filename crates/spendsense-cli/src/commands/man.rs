//! `spendsense man [COMMAND]`: the man page (roff) of `spendsense` or of one
//! of its commands, rendered by clap_mangen from the parser itself, so every
//! option and value in `--help` is in the page too.
//!
//! Pages go to stdout (`spendsense man generate > spendsense-generate.1`),
//! or all of them into a directory with `-o DIR`, through the CLI's
//! [`output`] machinery like every other file it writes: the
//! set of pages replaces an earlier run's together, and a page of a command
//! that no longer exists is removed.

use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::anyhow;

use crate::Failure;
use crate::args::{self, ManArgs};
use crate::commands::{count, size};
use crate::output::{self, Durability};

pub fn run(args: ManArgs) -> Result<ExitCode, Failure> {
    if let Some(dir) = args.output.as_deref() {
        return write_all(dir);
    }
    let page = render(args.command.as_deref())?;
    let mut out = io::stdout().lock();
    out.write_all(&page)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// The parser as the pages see it: built, so each command carries the
/// propagated version and is titled `spendsense-NAME`; `help` is clap's, and
/// has no page.
fn built() -> clap::Command {
    let mut command = args::command().disable_help_subcommand(true);
    command.build();
    command
}

/// The page of `spendsense`, or of its command `name`, as roff.
pub fn render(name: Option<&str>) -> Result<Vec<u8>, Failure> {
    let command = built();
    let page_of = match name {
        None => command.clone(),
        Some(name) => match command.find_subcommand(name) {
            Some(sub) => sub.clone(),
            None => {
                let names: Vec<&str> = command.get_subcommands().map(|s| s.get_name()).collect();
                return Err(Failure::Usage(anyhow!(
                    "no man page for `{name}`; give one of {}, or nothing for the page of spendsense",
                    names.join(", ")
                )));
            }
        },
    };
    page(&command, page_of)
}

/// `page_of` rendered, with the tool and its version in the footer of every
/// page, as `spendsense --version` prints them.
fn page(top: &clap::Command, page_of: clap::Command) -> Result<Vec<u8>, Failure> {
    let source = format!(
        "spendsense {}",
        top.get_version().unwrap_or(env!("CARGO_PKG_VERSION"))
    );
    let mut page = Vec::new();
    clap_mangen::Man::new(page_of)
        .source(source)
        .render(&mut page)?;
    Ok(page)
}

/// Whether `name` is a page `man -o` writes: `spendsense.1`, `spendsense-*.1`.
fn is_page(name: &str) -> bool {
    name == "spendsense.1" || (name.starts_with("spendsense-") && name.ends_with(".1"))
}

/// The pages of an earlier run in `dir`, which a new run replaces or removes.
fn old_pages(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| is_page(name))
        .collect()
}

/// Writes every page into `dir` and says so on stderr.
fn write_all(dir: &Path) -> Result<ExitCode, Failure> {
    // Checked here, not left to `output_dir`, whose messages speak of --format.
    if dir.as_os_str() == "-" {
        return Err(Failure::Usage(anyhow!(
            "man -o takes a directory; without -o the page goes to stdout"
        )));
    }
    if dir.exists() && !dir.is_dir() {
        return Err(Failure::Usage(anyhow!(
            "man -o {} names a file; give a directory such as ~/.local/share/man/man1",
            dir.display()
        )));
    }
    let started = Instant::now();
    let command = built();
    let mut pages = vec![command.clone()];
    pages.extend(command.get_subcommands().cloned());
    let staged = output::output_dir(
        Some(dir),
        "man",
        "spendsense.1 and spendsense-COMMAND.1",
        old_pages,
        Durability::Atomic,
    )
    .map_err(Failure::Usage)?;
    let mut bytes = 0;
    for page_of in &pages {
        let name = format!(
            "{}.1",
            page_of.get_display_name().unwrap_or(page_of.get_name())
        );
        debug_assert!(is_page(&name), "{name}");
        let text = page(&command, page_of.clone())?;
        let mut file = staged.create(&name)?;
        file.write_all(&text)?;
        file.finish()?;
        bytes += text.len() as u64;
    }
    staged.commit()?;
    let shown = dir.display().to_string();
    let _ = writeln!(
        io::stderr(),
        "wrote {} man pages ({}) to {} in {:.2?}",
        count(pages.len() as u64),
        size(bytes),
        spendsense_schema::text::escape(&shown),
        started.elapsed()
    );
    Ok(ExitCode::SUCCESS)
}
