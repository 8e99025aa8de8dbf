//! `spendsense validate`.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, anyhow};
use spendsense_personas::{Mix, Personas};
use spendsense_schema::codec::{ReadError, Record, RecordLocation};
use spendsense_schema::{Error as SchemaError, ProfileFormat, read_located_profiles};
use spendsense_validate::{Report, Validator};

use crate::Failure;
use crate::args::{DatasetArgs, InputFormat, ReportFormat, ValidateArgs};
use crate::commands::progress::{self, READ_PROGRESS_FROM, Reading, Work};
use crate::commands::{load_personas, refuse_shared_stdin};
use crate::transactions::TransactionsFile;

/// A dataset's layout and name, and the rules to check it against.
pub(crate) struct Dataset {
    pub(crate) format: ProfileFormat,
    /// How errors name the input (`stdin` for `-`).
    pub(crate) name: String,
    pub(crate) personas: Personas,
    pub(crate) mix: Mix,
}

impl Dataset {
    /// Loads the persona definitions, opens the input and decides its layout.
    ///
    /// The input moves a progress bar on stderr as it is read (see
    /// [`progress`]), cleared when the input is dropped.
    pub(crate) fn open(args: &DatasetArgs) -> Result<(Box<dyn BufRead>, Dataset), Failure> {
        refuse_shared_stdin(&[
            ("PATH", Some(&args.path)),
            ("--personas", args.personas.as_deref()),
        ])?;
        let personas = load_personas(args.personas.as_deref())?;
        let input = open(&args.path).map_err(Failure::Usage)?;
        let size = (args.path.as_os_str() != "-")
            .then(|| std::fs::metadata(&args.path).ok())
            .flatten()
            .filter(|meta| meta.is_file())
            .map(|meta| meta.len());
        let bar = progress::bar(Work::Bytes(size), READ_PROGRESS_FROM, args.quiet);
        let mut input: Box<dyn BufRead> = Box::new(Reading::new(input, bar));
        let format = match args.input_format {
            InputFormat::Json => ProfileFormat::Json,
            InputFormat::Jsonl => ProfileFormat::Jsonl,
            InputFormat::Auto => detect(&args.path, &mut input).map_err(Failure::Usage)?,
        };
        let name = display_name(&args.path);
        let mix = args.mix.unwrap_or_default();
        Ok((
            input,
            Dataset {
                format,
                name,
                personas,
                mix,
            },
        ))
    }

    /// The failure for an input that could not be read to the end.
    pub(crate) fn unreadable(&self, err: ReadError) -> Failure {
        let (name, format) = (&self.name, self.format);
        match err {
            ReadError::Io(err) => {
                Failure::Usage(anyhow!(err).context(format!("cannot read {name}")))
            }
            other => Failure::Usage(anyhow!(
                "{name} is not a valid {format} profile dataset: {other}"
            )),
        }
    }

    /// Refuses a dataset that held no profile at all.
    pub(crate) fn require_profiles(&self, report: &Report) -> Result<(), Failure> {
        if report.total == 0 {
            return Err(Failure::Usage(anyhow!(
                "{} holds no profiles; expected at least one",
                self.name
            )));
        }
        Ok(())
    }
}

pub fn run(args: ValidateArgs) -> Result<ExitCode, Failure> {
    if let Some(path) = args.transactions.as_deref() {
        crate::transactions::check_paths(path, &args.dataset.path)?;
    }
    refuse_shared_stdin(&[
        ("PATH", Some(&args.dataset.path)),
        ("--transactions", args.transactions.as_deref()),
        ("--personas", args.dataset.personas.as_deref()),
    ])?;
    let (input, dataset) = Dataset::open(&args.dataset)?;
    let mut transactions = match args.transactions.as_deref() {
        Some(path) => Some(TransactionsFile::open(path, &args.dataset.path)?),
        None => None,
    };
    let mut validator = Validator::with_mix(&dataset.personas, dataset.mix);
    // The first transactions file that cannot be paired ends the check; the
    // profile reader has no early exit, so later records are skipped.
    let mut failed = None;
    let mut owned = Vec::new();
    let visit = |at: RecordLocation, record: Record| {
        if failed.is_some() {
            return;
        }
        match (record, transactions.as_mut()) {
            (Ok(profile), None) => validator.push_at(&profile, at.line),
            (Ok(profile), Some(file)) => match file.take_user(&profile.user_id, &mut owned) {
                Ok(()) => validator.push_with_transactions(&profile, at.line, &owned),
                Err(err) => failed = Some(err),
            },
            (Err(err), file) => {
                validator.push_unreadable(err.location.line, &err.path, err.message);
                // Without the record's user id its transactions cannot be
                // told from the next user's: pairing stops here (the record
                // already breaks a rule), as the quota checks do.
                if file.is_some() {
                    transactions = None;
                }
            }
        }
    };
    read_located_profiles(input, dataset.format, visit).map_err(|err| dataset.unreadable(err))?;
    if let Some(err) = failed {
        return Err(err);
    }
    if let Some(file) = transactions {
        file.finish()?;
    }
    let report = validator.finish();
    dataset.require_profiles(&report)?;
    // A reader that stops early (`| head`) does not change the verdict: the
    // exit code still says whether every rule holds.
    match write_report(&report, args.format) {
        Err(err) if err.kind() == io::ErrorKind::BrokenPipe => {}
        other => other?,
    }
    Ok(if report.is_valid() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn write_report(report: &Report, format: ReportFormat) -> io::Result<()> {
    let mut out = io::stdout().lock();
    match format {
        ReportFormat::Text => write!(out, "{report}")?,
        ReportFormat::Json => {
            serde_json::to_writer_pretty(&mut out, report)?;
            writeln!(out)?;
        }
    }
    out.flush()
}

pub(crate) fn open(path: &Path) -> anyhow::Result<Box<dyn BufRead>> {
    if path.as_os_str() == "-" {
        return Ok(Box::new(BufReader::with_capacity(1 << 20, io::stdin())));
    }
    if path.is_dir() {
        return Err(anyhow!(
            "{} is a directory; give a .json or .jsonl file",
            path.display()
        ));
    }
    let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    Ok(Box::new(BufReader::with_capacity(1 << 20, file)))
}

/// How errors name the input: `-` is stdin.
pub(crate) fn display_name(path: &Path) -> String {
    if path.as_os_str() == "-" {
        "stdin".to_string()
    } else {
        path.display().to_string()
    }
}

/// [`ProfileFormat::detect`], with errors that name the input and the flag.
pub(crate) fn detect(path: &Path, input: &mut Box<dyn BufRead>) -> anyhow::Result<ProfileFormat> {
    let name = display_name(path);
    ProfileFormat::detect(Some(path), input).map_err(|err| match err {
        SchemaError::Io(err) => anyhow!(err).context(format!("cannot read {name}")),
        SchemaError::EmptyInput => {
            anyhow!("{name} is empty; expected a JSON array or JSON Lines of profiles")
        }
        SchemaError::UnknownContent { byte } => anyhow!(
            "{name} starts with byte 0x{byte:02x}, not `[` (JSON array) or `{{` (JSON Lines); pass --input-format to force one"
        ),
        other => anyhow!("cannot tell the format of {name}: {other}"),
    })
}
