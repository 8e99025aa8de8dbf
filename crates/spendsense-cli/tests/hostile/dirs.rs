//! Directory outputs commit as a unit, one run at a time, and never write
//! through a planted link.

use std::fs;

use super::{DIRECTORY_FORMATS, NEW, assert_clean, generate_dir, old_set, run_with, snapshot};
use crate::{Input, assert_run, run_in, start_held, temporaries};

/// A failure midway (a write, as a full disk fails it), before the commit
/// or in the middle of it (some files already swapped) leaves the complete
/// old set: every file byte-identical, none added.
#[test]
fn a_failed_directory_run_keeps_the_complete_old_set() {
    for (format, midway, committing) in DIRECTORY_FORMATS {
        for (fail, expected) in [
            (
                format!("written:{midway}"),
                format!("error: cannot write out/{midway}: injected failure"),
            ),
            (
                "written:manifest.json".to_string(),
                "error: cannot write out/manifest.json: injected failure".to_string(),
            ),
            (
                "rename:out".to_string(),
                "error: cannot replace out: injected failure".to_string(),
            ),
            (
                format!("rename:{committing}"),
                "error: cannot replace out: injected failure".to_string(),
            ),
        ] {
            let root = tempfile::tempdir().unwrap();
            let old = old_set(root.path(), format);
            let args = generate_dir(format, &NEW);
            let run = run_with(root.path(), &args, &[("SPENDSENSE_TEST_FAIL", &fail)]);
            assert_run(&args, &run, 1, &expected);
            let context = format!("{format}, {fail}");
            assert_eq!(snapshot(&root.path().join("out")), old, "{context}");
            assert_clean(root.path(), &context);
        }
    }
}

/// A run over an old set leaves exactly the new set: a smaller run leaves
/// none of the old run's extra files, and the directory keeps its mode.
#[test]
fn a_directory_run_leaves_exactly_the_new_set() {
    for (format, _, _) in DIRECTORY_FORMATS {
        let root = tempfile::tempdir().unwrap();
        let out = root.path().join("out");
        let old = old_set(root.path(), format);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&out, fs::Permissions::from_mode(0o750)).unwrap();
        }
        let args = generate_dir(format, &NEW);
        let run = run_in(root.path(), &args, Input::Nothing);
        assert_run(&args, &run, 0, "");
        let new = snapshot(&out);
        let fresh = tempfile::tempdir().unwrap();
        let run = run_in(fresh.path(), &args, Input::Nothing);
        assert_run(&args, &run, 0, "");
        assert_eq!(new, snapshot(&fresh.path().join("out")), "{format}");
        assert_ne!(new, old);
        if format == "plaid-sandbox" {
            assert_eq!(
                new.len(),
                6,
                "index.json, manifest.json and 4 profiles: {:?}",
                new.keys()
            );
        }
        assert_clean(root.path(), format);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&out).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o750, "{format}");
        }
    }
}

/// `manifest.json` is one of a directory format's own files: a run with
/// `--no-manifest` or `--manifest PATH` over an old set removes the old one
/// (it would describe files that are gone) and nothing else of the user's;
/// a `--manifest PATH` that cannot be put in place leaves the old set whole.
#[test]
fn the_manifest_of_a_directory_goes_with_its_set() {
    for (format, _, _) in DIRECTORY_FORMATS {
        let root = tempfile::tempdir().unwrap();
        let old = old_set(root.path(), format);
        assert!(
            old.contains_key("manifest.json"),
            "{format}: {:?}",
            old.keys()
        );
        let mut elsewhere = generate_dir(format, &NEW);
        elsewhere.extend(["--manifest", "m.json"]);
        let run = run_with(
            root.path(),
            &elsewhere,
            &[("SPENDSENSE_TEST_FAIL", "rename:m.json")],
        );
        assert_run(
            &elsewhere,
            &run,
            1,
            "error: cannot replace m.json: injected failure",
        );
        assert_eq!(snapshot(&root.path().join("out")), old, "{format}");
        assert!(!root.path().join("m.json").exists());
        assert_clean(root.path(), format);

        let run = run_in(root.path(), &elsewhere, Input::Nothing);
        assert_run(&elsewhere, &run, 0, "");
        let new = snapshot(&root.path().join("out"));
        assert!(!new.contains_key("manifest.json"), "{format}");
        let manifest: serde_json::Value =
            serde_json::from_slice(&fs::read(root.path().join("m.json")).unwrap()).unwrap();
        let listed: Vec<&str> = manifest["files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|file| file["name"].as_str().unwrap())
            .collect();
        let written: Vec<&str> = new.keys().map(String::as_str).collect();
        assert_eq!(listed, written, "{format}");

        old_set(root.path(), format);
        let mut none = generate_dir(format, &NEW);
        none.push("--no-manifest");
        let run = run_in(root.path(), &none, Input::Nothing);
        assert_run(&none, &run, 0, "");
        assert_eq!(snapshot(&root.path().join("out")), new, "{format}");
        assert_clean(root.path(), format);
    }
}

/// A `--manifest` inside the output directory would be one more file among
/// the set's: refused before anything is written, however it is spelled.
#[test]
fn a_manifest_inside_the_output_directory_is_refused() {
    let root = tempfile::tempdir().unwrap();
    fs::create_dir(root.path().join("out")).unwrap();
    for (output, manifest) in [
        ("out", "out/m.json"),
        ("./out/", "out/../out/x.json"),
        (".", "m.json"),
    ] {
        let args = [
            "generate",
            "--format",
            "csv",
            "-q",
            "-o",
            output,
            "--manifest",
            manifest,
        ];
        let run = run_in(root.path(), &args, Input::Nothing);
        let expected = format!(
            "error: --manifest {manifest} is inside the -o directory, which holds its own manifest.json; leave out --manifest or give a path outside {output}"
        );
        assert_run(&args, &run, 2, &expected);
    }
    assert_eq!(fs::read_dir(root.path().join("out")).unwrap().count(), 0);
}

/// A file size limit (`ulimit -f`, a real EFBIG from the kernel) reached
/// while the set is written: the documented error naming the file, exit 1,
/// the old set whole. The process ignores SIGXFSZ itself; the shell does
/// not set it up.
#[cfg(unix)]
#[test]
fn a_file_size_limit_in_a_directory_run_keeps_the_old_set() {
    for (format, _, _) in DIRECTORY_FORMATS {
        let root = tempfile::tempdir().unwrap();
        let old = old_set(root.path(), format);
        let args = generate_dir(format, &["-n", "400"]);
        let run = super::run_in_shell(root.path(), "ulimit -f 64", &args);
        assert_run(&args, &run, 1, "File too large (os error 27)");
        assert!(
            run.stderr.starts_with("error: cannot write out/"),
            "{}",
            run.stderr
        );
        assert_eq!(snapshot(&root.path().join("out")), old, "{format}");
        assert_clean(root.path(), format);
    }
}

/// While one run writes an output, a second run into the same place (any
/// spelling) is refused at once with exit 2 and touches nothing; the first
/// then completes.
#[test]
fn a_second_run_into_the_same_output_is_refused() {
    let cases: [(&[&str], &str, &[&str]); 3] = [
        (
            &["generate", "--format", "csv", "-n", "300", "-o", "out"],
            "written:users.csv",
            &["generate", "--format", "csv", "-n", "3", "-o", "./out/"],
        ),
        (
            &[
                "generate",
                "--format",
                "plaid-sandbox",
                "-n",
                "5",
                "-o",
                "out",
            ],
            "written:index.json",
            &[
                "generate",
                "--format",
                "plaid-sandbox",
                "-n",
                "3",
                "-o",
                "out",
            ],
        ),
        (
            &["generate", "-n", "300", "-o", "out.json"],
            "written:out.json",
            &["generate", "-n", "3", "-o", "./out.json"],
        ),
    ];
    for (first, hold, second) in cases {
        let root = tempfile::tempdir().unwrap();
        let mut held = start_held(root.path(), first, hold);
        let before = snapshot(root.path());
        let run = run_in(root.path(), second, Input::Nothing);
        assert_run(
            second,
            &run,
            2,
            &format!(
                "error: another spendsense run is writing {}",
                second.last().unwrap()
            ),
        );
        assert_eq!(
            snapshot(root.path()),
            before,
            "{second:?} touched something"
        );
        held.release();
        let (status, stderr) = held.finish();
        assert_eq!(status.code(), Some(0), "{stderr}");
        assert_clean(root.path(), hold);
        // Once the first has finished, the same run goes through.
        let run = run_in(root.path(), second, Input::Nothing);
        assert_run(second, &run, 0, "");
    }
}

/// Anything else in the output directory (another dataset, a note, a
/// subdirectory, a hidden file) stays as it is: only the format's own files
/// are replaced or removed.
#[test]
fn other_files_in_an_output_directory_stay() {
    for (format, _, _) in DIRECTORY_FORMATS {
        let root = tempfile::tempdir().unwrap();
        let old = old_set(root.path(), format);
        let out = root.path().join("out");
        fs::write(out.join("notes.txt"), b"the user's own file\n").unwrap();
        fs::write(out.join(".hidden"), b"hidden\n").unwrap();
        fs::write(out.join("notes.json"), b"{}\n").unwrap();
        fs::create_dir(out.join("sub")).unwrap();
        fs::write(out.join("sub/kept.json"), b"{}\n").unwrap();
        let args = generate_dir(format, &NEW);
        let run = run_in(root.path(), &args, Input::Nothing);
        assert_run(&args, &run, 0, "");
        let after = snapshot(&out);
        assert_eq!(after["notes.txt"], b"the user's own file\n");
        assert_eq!(after[".hidden"], b"hidden\n");
        assert_eq!(after["notes.json"], b"{}\n");
        assert_eq!(after["sub"], b"<dir>");
        assert_eq!(fs::read(out.join("sub/kept.json")).unwrap(), b"{}\n");
        let ours = |set: &std::collections::BTreeMap<String, Vec<u8>>| {
            set.keys()
                .filter(|name| {
                    !["notes.txt", ".hidden", "sub", "notes.json"].contains(&name.as_str())
                })
                .count()
        };
        if format == "plaid-sandbox" {
            assert_eq!(ours(&after), 6, "{format}: old extra profiles removed");
        } else {
            assert_eq!(ours(&after), old.len(), "{format}");
        }
        assert_clean(root.path(), format);
    }
}

/// The old `index.json` says which old configurations a new export removes;
/// a hostile one naming files outside the directory, or hidden ones, removes
/// nothing of them.
#[test]
fn a_hostile_old_index_removes_nothing_outside_the_set() {
    let root = tempfile::tempdir().unwrap();
    old_set(root.path(), "plaid-sandbox");
    let out = root.path().join("out");
    fs::write(root.path().join("victim.json"), b"outside\n").unwrap();
    fs::write(out.join(".hidden.json"), b"hidden\n").unwrap();
    let index =
        r#"[{"file": "../victim.json"}, {"file": ".hidden.json"}, {"file": "/etc/hostname"}]"#;
    fs::write(out.join("index.json"), index).unwrap();
    let args = generate_dir("plaid-sandbox", &NEW);
    let run = run_in(root.path(), &args, Input::Nothing);
    assert_run(&args, &run, 0, "");
    assert_eq!(
        fs::read(root.path().join("victim.json")).unwrap(),
        b"outside\n"
    );
    assert_eq!(fs::read(out.join(".hidden.json")).unwrap(), b"hidden\n");
    assert_clean(root.path(), "hostile index");
}

/// SIGKILL cannot be caught: a run killed while it writes the set, or just
/// before the swap, leaves the old set whole and its staging directory
/// behind; the next run into the same place removes that, says so, and
/// writes the new set.
#[cfg(unix)]
#[test]
fn sigkill_mid_directory_run_keeps_the_old_set_and_the_next_run_cleans_up() {
    use std::os::unix::process::ExitStatusExt;
    for (format, midway, _) in DIRECTORY_FORMATS {
        for hold in [format!("written:{midway}"), "rename:out".to_string()] {
            let root = tempfile::tempdir().unwrap();
            let old = old_set(root.path(), format);
            let mut args = generate_dir(format, &NEW);
            args.retain(|arg| *arg != "-q");
            let mut held = start_held(root.path(), &args, &hold);
            held.child.kill().unwrap();
            let (status, _) = held.finish();
            assert_eq!(status.signal(), Some(9));
            let context = format!("{format}, killed at {hold}");
            assert_eq!(snapshot(&root.path().join("out")), old, "{context}");
            let left = temporaries(&root.path().join("out"));
            assert_eq!(left.len(), 1, "{context}: {left:?}");
            let run = run_in(root.path(), &args, Input::Nothing);
            assert_run(&args, &run, 0, "");
            let name = left[0].file_name().unwrap().to_string_lossy().into_owned();
            assert!(
                run.stderr.starts_with("note: removed ")
                    && run.stderr.contains(&name)
                    && run
                        .stderr
                        .contains("left by an earlier spendsense run that was killed"),
                "{context}: {}",
                run.stderr
            );
            assert_clean(root.path(), &context);
            assert_ne!(snapshot(&root.path().join("out")), old, "{context}");
        }
    }
}

/// A run killed in the middle of its commit (some files of the new set in
/// place, the rest not) leaves a journal; the next run into the same place
/// takes the commit back before anything else, so even a next run that then
/// fails leaves the complete old set.
#[cfg(unix)]
#[test]
fn sigkill_mid_commit_is_taken_back_by_the_next_run() {
    use std::os::unix::process::ExitStatusExt;
    for (format, midway, committing) in DIRECTORY_FORMATS {
        let root = tempfile::tempdir().unwrap();
        let old = old_set(root.path(), format);
        let args = generate_dir(format, &NEW);
        let mut held = start_held(root.path(), &args, &format!("rename:{committing}"));
        assert_ne!(
            snapshot(&root.path().join("out")),
            old,
            "{format}: nothing swapped yet"
        );
        held.child.kill().unwrap();
        let (status, _) = held.finish();
        assert_eq!(status.signal(), Some(9));
        let fail = format!("written:{midway}");
        let run = run_with(root.path(), &args, &[("SPENDSENSE_TEST_FAIL", &fail)]);
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert!(
            run.stderr.starts_with(
                "note: took back the unfinished commit of out that a killed spendsense run left; its files are the earlier set again\nnote: removed "
            ),
            "{format}: {}",
            run.stderr
        );
        assert_eq!(snapshot(&root.path().join("out")), old, "{format}");
        assert_clean(root.path(), format);
    }
}

/// A link planted in the output directory under a name the tool writes
/// (pointing at a file outside, or dangling) is replaced by the new file,
/// never written through.
#[cfg(unix)]
#[test]
fn a_planted_link_in_an_output_directory_is_never_written_through() {
    use std::os::unix::fs::symlink;
    for (format, planted) in [
        ("csv", ["users.csv", "accounts.csv"]),
        ("plaid-sandbox", ["index.json", "user_MASKED_000.json"]),
    ] {
        let root = tempfile::tempdir().unwrap();
        old_set(root.path(), format);
        let out = root.path().join("out");
        let victim = root.path().join("victim");
        fs::write(&victim, b"outside the output directory\n").unwrap();
        fs::remove_file(out.join(planted[0])).unwrap();
        symlink(&victim, out.join(planted[0])).unwrap();
        fs::remove_file(out.join(planted[1])).unwrap();
        symlink(root.path().join("created"), out.join(planted[1])).unwrap();
        let args = generate_dir(format, &NEW);
        let run = run_in(root.path(), &args, Input::Nothing);
        assert_run(&args, &run, 0, "");
        assert_eq!(
            fs::read(&victim).unwrap(),
            b"outside the output directory\n"
        );
        assert!(!root.path().join("created").exists(), "{format}");
        for name in planted {
            let metadata = fs::symlink_metadata(out.join(name)).unwrap();
            assert!(metadata.is_file(), "{format}: {name} is not a new file");
        }
        assert_clean(root.path(), format);
    }
}
