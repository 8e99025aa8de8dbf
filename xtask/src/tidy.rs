//! Tidy checks in the style of rust-analyzer's: properties of the source
//! tree itself that no compiler checks, run by `cargo test`.
//!
//! - every Rust source file opens with a `//!` comment saying what it is for;
//! - every crate has a README, and every Rust name it quotes exists in the
//!   crate (a README naming a function that was renamed is a lie);
//! - the workspace's `rust-version` is no older than any dependency's, so the
//!   version clippy's `incompatible_msrv` lint checks against is honest;
//! - relative links between the Markdown docs point at files that exist.
//!
//! Intra-doc links are checked by rustdoc itself (`RUSTDOCFLAGS=-D warnings
//! cargo doc` in `.ci/run`).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::project_root;

/// Every file under `dir` (recursively) whose name ends with `suffix`,
/// skipping build output.
fn files_under(dir: &Path, suffix: &str) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                if path.file_name().is_some_and(|n| n != "target") {
                    pending.push(path);
                }
            } else if path.to_string_lossy().ends_with(suffix) {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

fn crate_dirs() -> Vec<PathBuf> {
    let root = project_root();
    let mut dirs: Vec<PathBuf> = fs::read_dir(root.join("crates"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("Cargo.toml").is_file())
        .collect();
    dirs.sort();
    dirs
}

fn relative(path: &Path) -> String {
    path.strip_prefix(project_root())
        .unwrap_or(path)
        .display()
        .to_string()
}

#[test]
fn every_source_file_opens_with_a_module_comment() {
    let root = project_root();
    let mut missing = Vec::new();
    for dir in [root.join("crates"), root.join("xtask")] {
        for file in files_under(&dir, ".rs") {
            let text = fs::read_to_string(&file).unwrap();
            if !text.starts_with("//!") {
                missing.push(relative(&file));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "these files do not open with a `//!` comment saying what they are for: {missing:?}"
    );
}

/// The backticked words of `text` that are surely Rust names or paths:
/// types (`UserProfile`), paths (`Personas::problems`) and snake_case names
/// (`check_profile`). Plain words (`spendsense`, `generate`) may be commands,
/// so they are left alone.
fn quoted_rust_names(text: &str) -> Vec<&str> {
    text.split('`')
        .skip(1)
        .step_by(2)
        .map(|quoted| quoted.trim_end_matches("()"))
        .filter(|quoted| {
            quoted.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                && quoted
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
                && (quoted.contains("::")
                    || quoted.contains('_')
                    || quoted.starts_with(|c: char| c.is_ascii_uppercase()))
        })
        .collect()
}

#[test]
fn every_crate_has_a_readme_that_names_only_what_exists() {
    for dir in crate_dirs() {
        let readme = dir.join("README.md");
        let text = fs::read_to_string(&readme)
            .unwrap_or_else(|_| panic!("{} has no README.md", relative(&dir)));
        let manifest = fs::read_to_string(dir.join("Cargo.toml")).unwrap();
        let source: String = files_under(&dir.join("src"), ".rs")
            .iter()
            .map(|f| fs::read_to_string(f).unwrap())
            .collect();
        for name in quoted_rust_names(&text) {
            // A crate's own name (`spendsense_schema::write_profiles`) may lead a path.
            let last = name.rsplit("::").next().unwrap();
            let defined = source.contains(&format!("fn {last}"))
                || source.contains(&format!("struct {last}"))
                || source.contains(&format!("enum {last}"))
                || source.contains(&format!("mod {last}"))
                || source.contains(&format!("const {last}"))
                || source.contains(&format!("type {last}"))
                || source.contains(&format!("trait {last}"))
                || source.contains(&format!("    {last},"))
                || source.contains(&format!("    {last}("))
                || source.contains(&format!("    {last} {{"));
            // A path into another crate (`rust_decimal::Decimal`) is that crate's business.
            let first = name.split("::").next().unwrap();
            let other_crate = name.contains("::")
                && (first == "std"
                    || manifest.contains(&format!("\n{first}"))
                    || manifest.contains(&format!("\n{}", first.replace('_', "-"))));
            if !(defined || other_crate) {
                panic!(
                    "{} names `{name}`, which {} does not define",
                    relative(&readme),
                    relative(&dir)
                );
            }
        }
    }
}

/// `1.88` as `(1, 88)`.
fn version(text: &str) -> (u32, u32) {
    let mut parts = text.split('.').map(|p| p.parse::<u32>().unwrap_or(0));
    (parts.next().unwrap_or(0), parts.next().unwrap_or(0))
}

#[test]
fn rust_version_is_no_older_than_any_dependency_needs() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--offline", "--locked"])
        .current_dir(project_root())
        .output()
        .expect("cargo metadata runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let manifest = fs::read_to_string(project_root().join("Cargo.toml")).unwrap();
    let ours = manifest
        .lines()
        .find_map(|l| l.strip_prefix("rust-version = "))
        .expect("the workspace sets rust-version")
        .trim_matches('"');
    let newer: Vec<String> = metadata["packages"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| {
            let needs = p["rust_version"].as_str()?;
            (version(needs) > version(ours))
                .then(|| format!("{} {} needs {needs}", p["name"], p["version"]))
        })
        .collect();
    assert!(
        newer.is_empty(),
        "rust-version {ours} in Cargo.toml is older than {newer:?}; raise it"
    );
    let clippy = fs::read_to_string(project_root().join("Cargo.toml")).unwrap();
    assert!(
        !clippy.contains("incompatible_msrv"),
        "clippy's incompatible_msrv lint checks the code against rust-version; keep it on"
    );
}

#[test]
fn relative_links_between_docs_point_at_files() {
    let root = project_root();
    let mut docs = files_under(&root.join("docs"), ".md");
    docs.push(root.join("README.md"));
    docs.push(root.join("ARCHITECTURE.md"));
    docs.extend(crate_dirs().into_iter().map(|d| d.join("README.md")));
    let mut broken = Vec::new();
    for doc in docs {
        let text = fs::read_to_string(&doc).unwrap();
        for target in text.split("](").skip(1).filter_map(|r| r.split(')').next()) {
            let file = target.split('#').next().unwrap();
            if file.is_empty() || file.contains("://") || file.starts_with("mailto:") {
                continue;
            }
            if !doc.parent().unwrap().join(file).exists() {
                broken.push(format!("{} → {target}", relative(&doc)));
            }
        }
    }
    assert!(broken.is_empty(), "links to missing files: {broken:?}");
}
