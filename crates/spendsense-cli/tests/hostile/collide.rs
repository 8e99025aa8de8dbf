//! Outputs that collide with each other or with the run's inputs.

use std::fs;

use super::{WITH_MANIFEST, assert_clean, run_with};
use crate::{Input, assert_run, run_in, sample_jsonl};

const OLD_FILE: &[u8] = b"the old file\n";

/// A manifest that cannot be written (a full disk midway, a failed rename)
/// replaces neither the profiles nor the transactions: the run's outputs are
/// put in place together, or not at all.
#[test]
fn a_failed_manifest_replaces_no_data() {
    for (fail, expected) in [
        (
            "written:m.json",
            "error: cannot write m.json: injected failure",
        ),
        (
            "rename:m.json",
            "error: cannot replace m.json: injected failure",
        ),
        (
            "rename:tx.jsonl",
            "error: cannot replace tx.jsonl: injected failure",
        ),
    ] {
        let root = tempfile::tempdir().unwrap();
        for name in ["users.jsonl", "tx.jsonl", "m.json"] {
            fs::write(root.path().join(name), OLD_FILE).unwrap();
        }
        let run = run_with(
            root.path(),
            &WITH_MANIFEST,
            &[("SPENDSENSE_TEST_FAIL", fail)],
        );
        assert_run(&WITH_MANIFEST, &run, 1, expected);
        for name in ["users.jsonl", "tx.jsonl", "m.json"] {
            assert_eq!(
                fs::read(root.path().join(name)).unwrap(),
                OLD_FILE,
                "{fail}: {name}"
            );
        }
        assert_clean(root.path(), fail);
    }
}

/// The default manifest, the sidecar `users.json.manifest.json`, is
/// committed with the profiles: when it cannot be written or put in place,
/// neither the profiles nor the old sidecar change; `--no-manifest` writes
/// none and leaves an old sidecar alone (it is not the run's output).
#[test]
fn a_failed_sidecar_replaces_no_data() {
    const SIDECAR: &str = "users.json.manifest.json";
    let args = ["generate", "-n", "5", "-q", "-o", "users.json"];
    for (fail, expected) in [
        (
            format!("written:{SIDECAR}"),
            format!("error: cannot write {SIDECAR}: injected failure"),
        ),
        (
            format!("rename:{SIDECAR}"),
            format!("error: cannot replace {SIDECAR}: injected failure"),
        ),
        (
            "rename:users.json".to_string(),
            "error: cannot replace users.json: injected failure".to_string(),
        ),
    ] {
        let root = tempfile::tempdir().unwrap();
        for name in ["users.json", SIDECAR] {
            fs::write(root.path().join(name), OLD_FILE).unwrap();
        }
        let run = run_with(root.path(), &args, &[("SPENDSENSE_TEST_FAIL", &fail)]);
        assert_run(&args, &run, 1, &expected);
        for name in ["users.json", SIDECAR] {
            assert_eq!(
                fs::read(root.path().join(name)).unwrap(),
                OLD_FILE,
                "{fail}: {name}"
            );
        }
        assert_clean(root.path(), &fail);
    }
    let root = tempfile::tempdir().unwrap();
    let run = run_in(root.path(), &args, Input::Nothing);
    assert_run(&args, &run, 0, "");
    let sidecar = fs::read(root.path().join(SIDECAR)).unwrap();
    let no_manifest = [
        "generate",
        "-n",
        "7",
        "-q",
        "-o",
        "users.json",
        "--no-manifest",
    ];
    let run = run_in(root.path(), &no_manifest, Input::Nothing);
    assert_run(&no_manifest, &run, 0, "");
    assert_eq!(fs::read(root.path().join(SIDECAR)).unwrap(), sidecar);
    let fresh = tempfile::tempdir().unwrap();
    let run = run_in(fresh.path(), &no_manifest, Input::Nothing);
    assert_run(&no_manifest, &run, 0, "");
    assert!(!fresh.path().join(SIDECAR).exists());
}

/// A manifest to a full device (`/dev/full`, a real ENOSPC) fails the run,
/// naming the device, and replaces no data.
#[cfg(target_os = "linux")]
#[test]
fn a_manifest_to_a_full_device_replaces_no_data() {
    let root = tempfile::tempdir().unwrap();
    fs::write(root.path().join("users.json"), OLD_FILE).unwrap();
    let args = [
        "generate",
        "-n",
        "5",
        "-o",
        "users.json",
        "--manifest",
        "/dev/full",
    ];
    let run = run_in(root.path(), &args, Input::Nothing);
    assert_run(
        &args,
        &run,
        1,
        "error: cannot write /dev/full: No space left on device (os error 28)",
    );
    assert_eq!(fs::read(root.path().join("users.json")).unwrap(), OLD_FILE);
    assert_clean(root.path(), "/dev/full");
}

/// `report` may not write its page over the dataset or the persona file it
/// reads, however the path is spelt.
#[test]
fn report_refuses_to_overwrite_its_own_input() {
    let root = tempfile::tempdir().unwrap();
    fs::write(root.path().join("u.jsonl"), sample_jsonl()).unwrap();
    let personas = run_in(
        root.path(),
        &["personas", "--format", "json"],
        Input::Nothing,
    );
    fs::write(root.path().join("p.json"), &personas.stdout).unwrap();
    fs::write(root.path().join("q.manifest.json"), &personas.stdout).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink("u.jsonl", root.path().join("link.jsonl")).unwrap();
    let cases: &[(&[&str], &str)] = &[
        (
            &["report", "u.jsonl", "-o", "u.jsonl"],
            "error: -o u.jsonl would overwrite the dataset u.jsonl, which this run reads; give the output its own path",
        ),
        (
            &["report", "u.jsonl", "-o", "./u.jsonl"],
            "error: -o ./u.jsonl would overwrite the dataset u.jsonl",
        ),
        #[cfg(unix)]
        (
            &["report", "u.jsonl", "-o", "link.jsonl"],
            "error: -o link.jsonl would overwrite the dataset u.jsonl",
        ),
        (
            &["report", "u.jsonl", "--personas", "p.json", "-o", "p.json"],
            "error: -o p.json would overwrite the persona definitions p.json",
        ),
        (
            &["report", "u.jsonl", "-o", "u.jsonl.manifest.json"],
            "error: -o u.jsonl.manifest.json would overwrite the manifest u.jsonl.manifest.json",
        ),
        (
            &[
                "report",
                "u.jsonl",
                "--manifest",
                "p.json",
                "-o",
                "./p.json",
            ],
            "error: -o ./p.json would overwrite the manifest p.json",
        ),
        (
            &[
                "generate",
                "-n",
                "3",
                "--personas",
                "p.json",
                "-o",
                "p.json",
            ],
            "error: -o p.json would overwrite the persona definitions p.json",
        ),
        (
            &[
                "generate",
                "-n",
                "3",
                "--personas",
                "q.manifest.json",
                "-o",
                "q",
            ],
            "error: the manifest q.manifest.json would overwrite the persona definitions q.manifest.json",
        ),
        (
            &[
                "generate",
                "-n",
                "3",
                "-o",
                "u.jsonl",
                "--transactions",
                "u.jsonl.manifest.json",
            ],
            "error: --transactions u.jsonl.manifest.json and the manifest u.jsonl.manifest.json are the same file",
        ),
    ];
    for (args, expected) in cases {
        let run = run_in(root.path(), args, Input::Nothing);
        assert_run(args, &run, 2, expected);
        assert_eq!(
            fs::read_to_string(root.path().join("u.jsonl")).unwrap(),
            sample_jsonl()
        );
        assert_eq!(
            fs::read(root.path().join("p.json")).unwrap(),
            personas.stdout.as_bytes()
        );
        assert_clean(root.path(), &format!("{args:?}"));
    }
}

/// The manifest and the profiles cannot share stdout: the stream would be
/// neither. With the profiles in a file, the manifest on stdout is fine.
#[test]
fn the_manifest_and_the_profiles_cannot_both_go_to_stdout() {
    for args in [
        &["generate", "-n", "3", "--manifest", "-"][..],
        &["generate", "-n", "3", "-o", "-", "--manifest", "-"][..],
    ] {
        let run = run_in(tempfile::tempdir().unwrap().path(), args, Input::Nothing);
        assert_run(
            args,
            &run,
            2,
            "error: --manifest - and the profiles would both go to stdout, in one unreadable stream; give -o FILE or --manifest FILE",
        );
        assert_eq!(run.stdout, "");
    }
    let args = [
        "generate",
        "-n",
        "3",
        "-q",
        "-o",
        "u.json",
        "--manifest",
        "-",
    ];
    let run = run_in(tempfile::tempdir().unwrap().path(), &args, Input::Nothing);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let manifest: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(manifest["files"][0]["name"], "u.json");
}
