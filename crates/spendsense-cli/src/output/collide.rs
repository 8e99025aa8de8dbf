//! Outputs that would land on each other or on an input of the run.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Result, bail};

use super::{commit, through_links};

/// Refuses an output that would overwrite one of the run's inputs (a
/// report over its own dataset, a dataset over its persona file): the input
/// would be gone before the output is complete, or replaced by it.
/// `inputs` are `(what, path)`, e.g. `("the dataset", path)`; stdin (`-`)
/// and devices never collide.
pub fn refuse_overwriting_inputs(
    output: (&str, &Path),
    inputs: &[(&str, Option<&Path>)],
) -> Result<()> {
    let (flag, output) = output;
    if output.as_os_str() == "-" {
        return Ok(());
    }
    for (what, input) in inputs {
        if let Some(input) = input.filter(|p| p.as_os_str() != "-")
            && same_file(output, input)
        {
            bail!(
                "{flag} {} would overwrite {what} {}, which this run reads; give the output its own path",
                output.display(),
                input.display()
            );
        }
    }
    Ok(())
}

/// [`refuse_overwriting_inputs`] for `spendsense report`: its page may
/// replace neither the dataset nor the persona file it reads.
pub fn refuse_overwriting_report_inputs(
    args: &crate::args::ReportArgs,
) -> Result<(), crate::Failure> {
    let dataset = &args.dataset;
    // The manifest it may read: `--manifest`, or the sidecar.
    let manifest = match (&dataset.manifest, dataset.no_manifest) {
        (_, true) => None,
        (Some(path), false) => Some(path.clone()),
        (None, false) => {
            (dataset.path.as_os_str() != "-").then(|| crate::manifest::sidecar(&dataset.path))
        }
    };
    let inputs = [
        ("the dataset", Some(dataset.path.as_path())),
        ("the persona definitions", dataset.personas.as_deref()),
        ("the manifest", manifest.as_deref()),
    ];
    refuse_overwriting_inputs(("-o", &args.output), &inputs).map_err(crate::Failure::Usage)
}

/// Whether outputs to `a` and `b` would land in the same file, whatever
/// the spelling (`./x`, `dir/../x`, a symbolic link to it), so that one run
/// cannot write two outputs over each other. An existing device or pipe
/// (`/dev/null`) is written in place, never replaced, so two outputs may share one.
pub fn same_file(a: &Path, b: &Path) -> bool {
    let (a, b) = (landing(a), landing(b));
    let special = fs::metadata(&a).is_ok_and(|m| !m.is_file() && !m.is_dir());
    a == b && !special
}

/// The absolute file a write to `path` replaces: through links, with its
/// directory resolved when it exists.
fn landing(path: &Path) -> PathBuf {
    let path = through_links(path);
    let parent = commit::parent(&path);
    match (fs::canonicalize(parent), path.file_name()) {
        (Ok(parent), Some(name)) => parent.join(name),
        _ => path,
    }
}
