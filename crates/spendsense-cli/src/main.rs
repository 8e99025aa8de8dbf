//! The `spendsense` command.

mod args;
mod commands;
mod manifest;
mod names;
mod output;
mod parquet;
mod sandbox;
mod sqlite;
mod summary_file;
mod tables;
mod transactions;
use spendsense_cli::pipeline;

use std::io::{self, Write};
use std::process::ExitCode;

use clap::FromArgMatches;
use clap::error::ErrorKind;

use args::{Cli, Command};

/// How a command failed, which picks the exit code.
#[derive(Debug)]
pub enum Failure {
    /// Bad arguments or unreadable input: exit 2.
    Usage(anyhow::Error),
    /// The work ran and failed (a broken rule, an IO error): exit 1.
    Failed(anyhow::Error),
}

impl<E: Into<anyhow::Error>> From<E> for Failure {
    fn from(err: E) -> Self {
        Failure::Failed(err.into())
    }
}

fn main() -> ExitCode {
    install_panic_hook();
    let parsed = args::command()
        .try_get_matches()
        .and_then(|matches| Cli::from_arg_matches(&matches));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(err) => return report_clap_error(err),
    };
    // Unwinding out of a command runs its destructors (a temporary output
    // file is removed); the hook has already reported the panic.
    if matches!(
        cli.command,
        Command::Generate(_) | Command::Validate(_) | Command::Report(_) | Command::Man(_)
    ) {
        output::signals::install();
    }
    // Their data would vanish into the `/dev/null` the runtime put there.
    if matches!(
        cli.command,
        Command::Personas(_)
            | Command::Schema(_)
            | Command::Fingerprint(_)
            | Command::Completions(_)
            | Command::Man(_)
    ) && output::stdout_is_closed()
    {
        return report(
            &anyhow::anyhow!("stdout is closed, so the output would be lost"),
            2,
        );
    }
    let result = std::panic::catch_unwind(move || match cli.command {
        Command::Generate(args) => commands::generate::run(args),
        Command::Validate(args) => commands::validate::run(args),
        Command::Shards(args) => commands::shards::run(args),
        Command::Personas(args) => commands::personas::run(args),
        Command::Schema(args) => commands::schema::run(args),
        Command::Fingerprint(args) => commands::fingerprint::run(args),
        Command::Report(args) => commands::report::run(args),
        Command::Completions(args) => commands::completions::run(args),
        Command::Man(args) => commands::man::run(args),
    });
    let Ok(result) = result else {
        return ExitCode::from(1);
    };
    match result {
        Ok(code) => code,
        Err(Failure::Usage(err)) => report(&err, 2),
        Err(Failure::Failed(err)) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(Failure::Failed(err)) => report(&err, 1),
    }
}

fn report(err: &anyhow::Error, code: u8) -> ExitCode {
    let _ = writeln!(io::stderr(), "error: {}", one_line(&format!("{err:#}")));
    ExitCode::from(code)
}

/// A panic is a bug, yet the user still gets one line and exit 1, not panic
/// text and a backtrace. With `RUST_BACKTRACE` set the usual report prints.
fn install_panic_hook() {
    if std::env::var_os("RUST_BACKTRACE").is_some_and(|value| value != "0") {
        return;
    }
    std::panic::set_hook(Box::new(|info| {
        let payload = info.payload();
        let message = payload
            .downcast_ref::<&str>()
            .copied()
            .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
            .unwrap_or("unknown cause");
        let at = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let _ = writeln!(
            io::stderr(),
            "error: internal error: {}{at}; this is a bug in spendsense, please report it",
            one_line(message)
        );
    }));
}

/// The final pass over every error line: one line even when it quotes a path
/// or value holding a newline, and no control character (ESC, BEL, a C1 or
/// bidi control) from an input, a file name or an argument reaches the
/// terminal raw, whichever layer quoted it (see `spendsense_schema::text`).
fn one_line(text: &str) -> String {
    spendsense_schema::text::escape(text).into_owned()
}

/// A reader that closed the pipe (`| head`) got what it wanted: not an
/// error, as for ripgrep. serde_json wraps the write's error in its own,
/// which hides it from the error chain.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        let io_kind = cause.downcast_ref::<io::Error>().map(io::Error::kind);
        let json_kind = cause
            .downcast_ref::<serde_json::Error>()
            .and_then(serde_json::Error::io_error_kind);
        io_kind.or(json_kind) == Some(io::ErrorKind::BrokenPipe)
    })
}

/// `--help` and `--version` on stdout, which can fail like any output
/// (`> /dev/full`: exit 1 with the error; a closed pipe: exit 0 quietly).
fn print_help(err: &clap::Error) -> ExitCode {
    use std::io::IsTerminal;
    let mut stdout = io::stdout().lock();
    let rendered = err.render();
    let text = if stdout.is_terminal() {
        rendered.ansi().to_string()
    } else {
        rendered.to_string()
    };
    let written = if output::stdout_is_closed() {
        Err(io::Error::from_raw_os_error(9)) // EBADF, as writing to a closed fd gives
    } else {
        stdout
            .write_all(text.as_bytes())
            .and_then(|()| stdout.flush())
    };
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) if err.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(err) => report(
            &anyhow::Error::new(err).context("cannot write to stdout"),
            1,
        ),
    }
}

/// Help and version print as usual; usage errors become one line on stderr.
fn report_clap_error(err: clap::Error) -> ExitCode {
    if err.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
        let _ = err.print();
        return ExitCode::from(2);
    }
    if matches!(
        err.kind(),
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion
    ) {
        return print_help(&err);
    }
    let rendered = err.render().to_string();
    // The message is the first paragraph; it spans lines when it lists
    // missing arguments or possible values (or quotes a value with a newline).
    let first = rendered
        .split("\n\n")
        .find(|p| !p.trim().is_empty())
        .unwrap_or("error: invalid arguments")
        .lines()
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(" ");
    let hint = rendered
        .lines()
        .map(str::trim)
        .find(|l| l.starts_with("tip:"))
        .map(|l| format!(" {l}"))
        .unwrap_or_default();
    // clap quotes the raw argument, which may hold ESC or BEL.
    let _ = writeln!(
        io::stderr(),
        "{}{} (see `spendsense --help`)",
        one_line(&first),
        one_line(&hint)
    );
    ExitCode::from(2)
}
