//! The test hooks of the [module documentation](super), compiled into
//! debug builds only; in release builds every point passes.

use std::fs;
use std::io::{self, BufWriter};
use std::path::Path;

/// The `written` point: the first bytes of the file `temp` of the output
/// called `name` (the target's file name) were written.
#[cfg(debug_assertions)]
pub(super) fn written(temp: &mut BufWriter<fs::File>, name: &Path) -> io::Result<()> {
    use std::collections::BTreeSet;
    use std::io::Write;
    use std::path::PathBuf;
    use std::sync::Mutex;

    let hooks = imp::hooks();
    if hooks.hold.is_empty() && hooks.fail.is_empty() {
        return Ok(());
    }
    // Once per file: later writes of the same output pass straight through.
    static SEEN: Mutex<BTreeSet<PathBuf>> = Mutex::new(BTreeSet::new());
    let first = SEEN
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .insert(name.to_path_buf());
    if !first {
        return Ok(());
    }
    // The test acting at this point expects the bytes in the file, not in our buffer.
    temp.flush()?;
    imp::reached("written", name)
}

/// The `rename` point: the temporary file (or staging directory) is complete
/// and about to become `target`.
#[cfg(debug_assertions)]
pub(super) fn before_rename(target: &Path) -> io::Result<()> {
    imp::reached("rename", target)
}

/// The `dirsync` point: with `--fsync`, the outputs are in place and the
/// directory holding `target` is about to be synced.
#[cfg(debug_assertions)]
pub(super) fn before_dir_sync(target: &Path) -> io::Result<()> {
    imp::reached("dirsync", target)
}

#[cfg(not(debug_assertions))]
#[inline(always)]
pub(super) fn before_dir_sync(_: &Path) -> io::Result<()> {
    Ok(())
}

#[cfg(not(debug_assertions))]
#[inline(always)]
pub(super) fn written(_: &mut BufWriter<fs::File>, _: &Path) -> io::Result<()> {
    Ok(())
}

#[cfg(not(debug_assertions))]
#[inline(always)]
pub(super) fn before_rename(_: &Path) -> io::Result<()> {
    Ok(())
}

#[cfg(debug_assertions)]
mod imp {
    use std::io::{self, BufRead, Write};
    use std::path::Path;
    use std::sync::OnceLock;

    /// The points, as named in `SPENDSENSE_TEST_HOLD` and `SPENDSENSE_TEST_FAIL`.
    const POINTS: [&str; 3] = ["written", "rename", "dirsync"];

    /// `(point, file name)` pairs from one variable; `None` matches every file.
    type Rules = Vec<(String, Option<String>)>;

    pub(super) struct Hooks {
        pub(super) hold: Rules,
        pub(super) fail: Rules,
    }

    pub(super) fn hooks() -> &'static Hooks {
        static HOOKS: OnceLock<Hooks> = OnceLock::new();
        HOOKS.get_or_init(|| Hooks {
            hold: rules("SPENDSENSE_TEST_HOLD"),
            fail: rules("SPENDSENSE_TEST_FAIL"),
        })
    }

    fn rules(variable: &str) -> Rules {
        let Ok(value) = std::env::var(variable) else {
            return Vec::new();
        };
        let mut rules = Vec::new();
        for rule in value.split(',').filter(|rule| !rule.is_empty()) {
            let (point, file) = match rule.split_once(':') {
                Some((point, file)) => (point, Some(file.to_string())),
                None => (rule, None),
            };
            if !POINTS.contains(&point) {
                // A misspelt point would otherwise never fire and the test would wait for nothing.
                let _ = writeln!(
                    io::stderr(),
                    "error: {variable}: unknown point `{point}`; points are {}",
                    POINTS.join(", ")
                );
                std::process::exit(2);
            }
            rules.push((point.to_string(), file));
        }
        rules
    }

    fn matches(rules: &Rules, point: &str, name: &str) -> bool {
        rules
            .iter()
            .any(|(p, file)| p == point && file.as_deref().is_none_or(|file| file == name))
    }

    /// Fails, holds or passes at `point` for the output to `target`.
    pub(super) fn reached(point: &str, target: &Path) -> io::Result<()> {
        let name = target
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        if matches(&hooks().fail, point, &name) {
            return Err(io::Error::other(format!(
                "injected failure (SPENDSENSE_TEST_FAIL={point})"
            )));
        }
        if matches(&hooks().hold, point, &name) {
            let _ = writeln!(io::stderr(), "held {point} {name}");
            // Any line or the end of stdin releases the run; a read error does too.
            let _ = io::stdin().lock().read_line(&mut String::new());
        }
        Ok(())
    }
}
