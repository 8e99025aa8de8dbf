//! `spendsense validate`.

mod parallel;
mod place;
mod spill;

use std::fs::File;
use std::io::{self, BufRead, BufReader, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, anyhow};
use spendsense_personas::{Mix, Personas};
use spendsense_schema::codec::{ReadError, Record, RecordLocation};
use spendsense_schema::{Error as SchemaError, ProfileFormat, read_located_profiles};
use spendsense_validate::{Checked, Quotas, Report, Validator};

use crate::Failure;
use crate::args::{DEFAULT_SEED, DatasetArgs, InputFormat, QuotaCheck, ReportFormat, ValidateArgs};
use crate::commands::progress::{self, READ_PROGRESS_FROM, Reading, Work};
use crate::commands::{load_personas, refuse_shared_stdin};
use crate::manifest::check::{self, RunCheck};
use crate::manifest::{Hashing, Manifest};
use crate::names::RunNames;
use crate::summary_file::SummaryFile;
use crate::transactions::TransactionsFile;
use place::ShardPlace;
use spill::Spill;

/// A dataset being read: every byte is counted, and hashed when it has a
/// manifest to compare with.
pub(crate) type Input = Hashing<Box<dyn BufRead>>;

/// A dataset's layout and name, and the rules to check it against.
pub(crate) struct Dataset {
    pub(crate) format: ProfileFormat,
    /// How errors name the input (`stdin` for `-`).
    pub(crate) name: String,
    pub(crate) personas: Personas,
    /// Where the definitions come from, as the report says it: `the
    /// built-in`, the `--personas` file, or the manifest.
    pub(crate) personas_source: String,
    pub(crate) mix: Mix,
    /// What the dataset's manifest adds, when it has one.
    pub(crate) run: Option<RunCheck>,
    /// Where `--shard` puts a dataset without a manifest in its run.
    pub(crate) place: Option<ShardPlace>,
    /// The manifest itself, and the path messages show.
    pub(crate) manifest: Option<(String, Manifest)>,
    /// How the quotas are judged.
    pub(crate) quotas: Quotas,
    /// The generator's names, numbered by the profile of the run that
    /// bears them (the manifest's seed), for exact duplicate checks in
    /// one bit per name.
    pub(crate) names: RunNames,
}

impl Dataset {
    /// Finds the manifest, loads the persona definitions, opens the input
    /// and decides its layout. The flags win over the manifest, with a
    /// note on stderr when they differ from it.
    ///
    /// The input moves a progress bar on stderr as it is read (see
    /// [`progress`]), cleared when the input is dropped.
    pub(crate) fn open(args: &DatasetArgs) -> Result<(Input, Dataset), Failure> {
        Dataset::open_hashing(args, false)
    }

    /// [`Dataset::open`], hashing the input even without a manifest when
    /// `hash` (for a summary, which records what it was made from).
    pub(crate) fn open_hashing(
        args: &DatasetArgs,
        hash: bool,
    ) -> Result<(Input, Dataset), Failure> {
        refuse_shared_stdin(&[
            ("PATH", Some(&args.path)),
            ("--personas", args.personas.as_deref()),
        ])?;
        let input = open(&args.path).map_err(Failure::Usage)?;
        let manifest = check::find(&args.path, args.manifest.as_deref(), args.no_manifest)
            .map_err(Failure::Usage)?;
        let (personas, personas_source) = definitions(args, manifest.as_ref())?;
        let mix = mix(args, manifest.as_ref());
        let size = (args.path.as_os_str() != "-")
            .then(|| std::fs::metadata(&args.path).ok())
            .flatten()
            .filter(|meta| meta.is_file())
            .map(|meta| meta.len());
        let bar = progress::bar(Work::Bytes(size), READ_PROGRESS_FROM, args.quiet);
        let mut input: Box<dyn BufRead> = Box::new(Reading::new(input, bar));
        // The manifest knows the layout (`generate -o x.jsonl` writes a JSON
        // array unless --format jsonl is given); the flag still wins.
        let recorded = manifest
            .as_ref()
            .and_then(|(_, m)| match m.format.as_str() {
                "json" => Some(ProfileFormat::Json),
                "jsonl" => Some(ProfileFormat::Jsonl),
                _ => None,
            });
        let format = match (args.input_format, recorded) {
            (InputFormat::Json, _) => ProfileFormat::Json,
            (InputFormat::Jsonl, _) => ProfileFormat::Jsonl,
            (InputFormat::Auto, Some(format)) => format,
            (InputFormat::Auto, None) => detect(&args.path, &mut input).map_err(Failure::Usage)?,
        };
        let run = match &manifest {
            Some((shown, manifest)) => Some(
                RunCheck::new(shown.clone(), manifest, &personas, mix).map_err(Failure::Usage)?,
            ),
            None => None,
        };
        let name = display_name(&args.path);
        let place = match (args.shard, &manifest) {
            (None, _) => None,
            (Some(shard), Some((shown, manifest))) => {
                return Err(Failure::Usage(anyhow!(
                    "--shard {shard} places a dataset without a manifest, and {name} has manifest {shown}, which places it at profiles {}..{} of a run of {}; leave out --shard, or pass --no-manifest",
                    manifest.profiles.start,
                    manifest.profiles.end,
                    manifest.count
                )));
            }
            (Some(shard), None) => {
                let total = args.num_users.expect("clap requires -n with --shard");
                let seed = args.seed.unwrap_or(DEFAULT_SEED);
                let place = ShardPlace::new(shard, total, seed, &personas, mix);
                Some(place.map_err(Failure::Usage)?)
            }
        };
        let quotas = match args.quotas {
            QuotaCheck::Auto if run.is_some() || place.is_some() => Quotas::Prefix,
            QuotaCheck::Auto | QuotaCheck::Shares => Quotas::Shares,
            QuotaCheck::Prefix => Quotas::Prefix,
            QuotaCheck::Off => Quotas::Off,
        };
        let seed = manifest.as_ref().map(|(_, m)| m.seed);
        let names =
            RunNames::new(seed.or(place.as_ref().map(|_| args.seed.unwrap_or(DEFAULT_SEED))));
        Ok((
            if run.is_some() || hash {
                Hashing::new(input)
            } else {
                Hashing::off(input)
            },
            Dataset {
                format,
                name,
                personas,
                personas_source,
                mix,
                run,
                place,
                manifest,
                quotas,
                names,
            },
        ))
    }

    /// The validator of this dataset: its mix, quotas and names, and a
    /// shard's start in its run (from its manifest or `--shard`).
    pub(crate) fn validator(&self) -> Validator<'_> {
        let validator = Validator::with_mix(&self.personas, self.mix)
            .with_quotas(self.quotas)
            .with_names(&self.names);
        match (&self.run, &self.place) {
            (Some(run), _) => validator.starting_at(run.start, run.before),
            (None, Some(place)) => validator.starting_at(place.range.start, place.before),
            (None, None) => validator,
        }
    }

    /// The manifest's checks of one profile, after [`Validator::push_at`].
    pub(crate) fn check(&self, validator: &mut Validator, index: u64, profile: &Checked) {
        if let Some(run) = &self.run {
            run.profile(validator, index, profile);
        }
        if let Some(place) = &self.place {
            place.profile(validator, index, profile);
        }
    }

    /// After the last profile: the manifest's checks of the whole file.
    pub(crate) fn finish(
        &self,
        input: &mut Input,
        validator: &mut Validator,
        profiles: u64,
    ) -> Result<(), Failure> {
        match &self.run {
            Some(run) => run
                .finish(input, validator, &self.name, profiles)
                .map_err(|err| self.unreadable(ReadError::Io(err))),
            // Read to the end all the same, so the digest covers every byte.
            None => {
                io::copy(input, &mut io::sink())
                    .map_err(|err| self.unreadable(ReadError::Io(err)))?;
                if let Some(place) = &self.place {
                    place.finish(validator, profiles);
                }
                Ok(())
            }
        }
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

/// A dataset's manifest and the path messages show.
type Found = (String, Manifest);

/// The persona definitions a dataset is checked against, and where they
/// come from: `--personas` (with a note when they differ from the
/// manifest's), the manifest's (checked against its fingerprint), or the
/// built-in ones.
fn definitions(
    args: &DatasetArgs,
    manifest: Option<&Found>,
) -> Result<(Personas, String), Failure> {
    Ok(match (&args.personas, manifest) {
        (Some(path), found) => {
            let personas = load_personas(Some(path))?;
            if let Some((shown, manifest)) = found {
                let fingerprint = spendsense_generator::fingerprint(&personas);
                if fingerprint != manifest.fingerprint {
                    note(
                        args,
                        &format!(
                            "--personas {} (fingerprint {fingerprint}) overrides the definitions of manifest {shown} (fingerprint {})",
                            path.display(),
                            manifest.fingerprint
                        ),
                    );
                }
            }
            (personas, path.display().to_string())
        }
        (None, Some((shown, manifest))) => {
            let personas = manifest.personas(shown).map_err(Failure::Usage)?;
            let source = match manifest.personas {
                Some(_) => shown.clone(),
                None => "the built-in".to_string(),
            };
            (personas, source)
        }
        (None, None) => (Personas::spendsense(), "the built-in".to_string()),
    })
}

/// The mix a dataset is checked against: `--mix` (with a note when it
/// differs from the manifest's), the manifest's, or equal shares.
fn mix(args: &DatasetArgs, manifest: Option<&Found>) -> Mix {
    match (args.mix, manifest) {
        (Some(mix), Some((shown, manifest))) => {
            if mix != manifest.mix {
                note(
                    args,
                    &format!(
                        "--mix {mix} overrides the mix of manifest {shown} ({})",
                        manifest.mix
                    ),
                );
            }
            mix
        }
        (Some(mix), None) => mix,
        (None, Some((_, manifest))) => manifest.mix,
        (None, None) => Mix::default(),
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
    let summary_path = crate::summary_file::path(
        &args.dataset.path,
        args.summary.as_ref().map(Option::as_deref),
    )
    .map_err(Failure::Usage)?;
    let (mut input, dataset) = Dataset::open_hashing(&args.dataset, summary_path.is_some())?;
    // Opened before reading, so a path that cannot be written fails first.
    let summary_output = match &summary_path {
        Some(path) => Some(crate::output::Output::open(Some(path)).map_err(Failure::Usage)?),
        None => None,
    };
    let mut transactions = match args.transactions.as_deref() {
        Some(path) => {
            let hash = dataset
                .run
                .as_ref()
                .is_some_and(|run| run.transactions.is_some());
            Some(TransactionsFile::open(path, &args.dataset.path, hash)?)
        }
        None => None,
    };
    let threads = spendsense_cli::ordered::default_threads(args.threads);
    let mut validator = dataset.validator();
    let mut spill = Spill::default();
    let mut spill_error = None;
    let records = if transactions.is_none() && dataset.format == ProfileFormat::Jsonl && threads > 1
    {
        parallel::validate_lines(
            &mut input,
            threads,
            &mut validator,
            |validator, at, checked| {
                if let Some(checked) = checked {
                    dataset.check(validator, at.index, checked);
                }
                if let Err(err) = spill.after_push(validator) {
                    spill_error.get_or_insert(err);
                }
            },
        )
        .map_err(|err| dataset.unreadable(err))?
    } else {
        // The first transactions file that cannot be paired ends the check; the
        // profile reader has no early exit, so later records are skipped.
        let mut failed = None;
        let mut owned = Vec::new();
        let checker = validator.checker();
        let visit = |at: RecordLocation, record: Record| {
            if failed.is_some() {
                return;
            }
            let checked = match (record, transactions.as_mut()) {
                (Ok(profile), None) => checker.check(&profile, at.line),
                (Ok(profile), Some(file)) => match file.take_user(&profile.user_id, &mut owned) {
                    Ok(()) => checker.check_with_transactions(&profile, at.line, &owned),
                    Err(err) => {
                        failed = Some(err);
                        return;
                    }
                },
                (Err(err), file) => {
                    validator.push_unreadable(err.location.line, &err.path, err.message);
                    // Without the record's user id its transactions cannot be
                    // told from the next user's: pairing stops here (the record
                    // already breaks a rule), as the quota checks do.
                    if file.is_some() {
                        transactions = None;
                    }
                    return;
                }
            };
            validator.push_checked(&checked);
            dataset.check(&mut validator, at.index, &checked);
            if let Err(err) = spill.after_push(&mut validator) {
                spill_error.get_or_insert(err);
            }
        };
        let records = read_located_profiles(&mut input, dataset.format, visit)
            .map_err(|err| dataset.unreadable(err))?;
        if let Some(err) = failed {
            return Err(err);
        }
        records
    };
    let spill_failed = |err: io::Error| {
        Failure::Usage(anyhow!(err).context(
            "cannot keep the ids to compare in a temporary file (TMPDIR); free space there or point TMPDIR elsewhere",
        ))
    };
    if let Some(err) = spill_error {
        return Err(spill_failed(err));
    }
    spill.confirm(&mut validator).map_err(spill_failed)?;
    if let Some(mut file) = transactions {
        file.finish()?;
        if let (Some(run), Some(path)) = (&dataset.run, args.transactions.as_deref()) {
            run.transactions(file.digest(), &mut validator, &display_name(path), records);
        }
    }
    dataset.finish(&mut input, &mut validator, records)?;
    let summary = validator.into_summary();
    let report = summary.report();
    dataset.require_profiles(&report)?;
    if let Some(mut output) = summary_output {
        let file = SummaryFile::new(&dataset, input.digest(), summary);
        output
            .write_all(&file.to_bytes())
            .map_err(|err| Failure::Usage(anyhow!(err).context("cannot write the summary")))?;
        output.commit().map_err(Failure::Usage)?;
    }
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

/// A line on stderr that is not an error: the run goes on.
/// With `-q`, nothing: `-q` leaves only errors on stderr.
fn note(args: &DatasetArgs, text: &str) {
    if args.quiet {
        return;
    }
    let _ = writeln!(
        io::stderr(),
        "note: {}",
        spendsense_schema::text::escape(text)
    );
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
