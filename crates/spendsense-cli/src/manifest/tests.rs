//! The manifest's record against its documentation, its round trip, and
//! where it goes.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, Read, Write};
use std::path::{Path, PathBuf};

use spendsense_generator::{Generator, GeneratorConfig, Overlap};
use spendsense_personas::{Mix, Personas};

use super::*;

/// A manifest with every optional field present.
fn sample(seed: u64, personas: Personas) -> Manifest {
    let config = GeneratorConfig {
        personas,
        mix: Mix::parse("control=3,high_utilization=2").unwrap(),
        ..GeneratorConfig::new(seed, 1_000)
    };
    let generator = Generator::new(&config).unwrap();
    let shard = "2/3".parse::<Shard>().unwrap();
    let run = Run {
        generator: &generator,
        seed,
        overlap: Overlap::parse("0.25").unwrap(),
        as_of: "2025-06-30".parse().unwrap(),
        shard: Some(shard),
        range: shard.range(1_000),
        format: "jsonl",
    };
    let mut hashing = Hashing::new(Vec::new());
    hashing.write_all(b"{}\n").unwrap();
    Manifest::of_run(&run, vec![hashing.record("u.jsonl".into(), Role::Profiles)])
}

/// Definitions other than the built-in ones (a wider high_utilization income range).
fn custom() -> Personas {
    let mut value = serde_json::to_value(Personas::spendsense()).unwrap();
    value["definitions"][0]["annual_income"]["max"] = 150_000.into();
    serde_json::from_value(value).unwrap()
}

/// Every key of `value`, as `a`, `a.b` and `a[].b`; the persona definitions are one field.
fn keys(value: &serde_json::Value, prefix: &str, into: &mut BTreeSet<String>) {
    let serde_json::Value::Object(map) = value else {
        return;
    };
    for (key, inner) in map {
        let name = format!("{prefix}{key}");
        into.insert(name.clone());
        if name == "personas" {
            continue;
        }
        match inner {
            serde_json::Value::Object(_) => keys(inner, &format!("{name}."), into),
            serde_json::Value::Array(items) => {
                for item in items {
                    keys(item, &format!("{name}[]."), into);
                }
            }
            _ => {}
        }
    }
}

#[test]
fn the_documented_fields_are_the_written_ones() {
    let doc = include_str!("../../../../docs/manifest.md");
    let table = doc
        .split("<!-- manifest fields -->")
        .nth(1)
        .and_then(|rest| rest.split("<!-- end manifest fields -->").next())
        .expect("docs/manifest.md has the fields table");
    let documented: Vec<String> = table
        .lines()
        .filter_map(|line| line.strip_prefix("| `"))
        .filter_map(|line| line.split('`').next())
        .map(str::to_string)
        .collect();
    let mut written = BTreeSet::new();
    let manifest = sample(7, custom());
    let value = serde_json::to_value(&manifest).unwrap();
    keys(&value, "", &mut written);
    let documented_set: BTreeSet<String> = documented.iter().cloned().collect();
    assert_eq!(
        documented_set, written,
        "docs/manifest.md lists exactly the fields"
    );
    assert_eq!(documented.len(), documented_set.len(), "each field once");
    // In the order written, so the table reads like a manifest.
    let top: Vec<&String> = documented.iter().filter(|f| !f.contains('.')).collect();
    let text = String::from_utf8(manifest.to_bytes()).unwrap();
    let order: Vec<String> = text
        .lines()
        .filter_map(|line| line.strip_prefix("  \""))
        .filter_map(|line| line.split('"').next())
        .map(str::to_string)
        .collect();
    assert_eq!(top, order.iter().collect::<Vec<_>>());
}

#[test]
fn a_manifest_reads_back_as_written() {
    let dir = tempfile::tempdir().unwrap();
    for (seed, personas) in [
        (0, Personas::spendsense()),
        (42, custom()),
        (u64::MAX, custom()),
    ] {
        let manifest = sample(seed, personas.clone());
        assert_eq!(manifest.seed_string, seed.to_string());
        assert_eq!(
            manifest.profiles,
            Profiles {
                start: 333,
                end: 666
            }
        );
        assert_eq!(
            manifest.personas.is_some(),
            personas != Personas::spendsense(),
            "only definitions other than the built-in ones are embedded"
        );
        let path = dir.path().join("m.json");
        std::fs::write(&path, manifest.to_bytes()).unwrap();
        let read = Manifest::read(&path).unwrap();
        assert_eq!(read, manifest);
        assert_eq!(read.to_bytes(), manifest.to_bytes());
        let shown = path.display().to_string();
        assert_eq!(read.personas(&shown).unwrap(), personas);
    }
}

#[test]
fn the_definitions_must_give_the_fingerprint() {
    let mut manifest = sample(1, custom());
    manifest.fingerprint = spendsense_generator::fingerprint(&Personas::spendsense());
    let err = manifest.personas("m.json").unwrap_err().to_string();
    assert!(err.contains("but the definitions it embeds give"), "{err}");
    manifest.personas = None;
    manifest.fingerprint = "ssg5-000000000000".into();
    let err = manifest.personas("m.json").unwrap_err().to_string();
    assert!(
        err.contains("pass --personas FILE with the definitions the dataset was generated with"),
        "{err}"
    );
}

#[test]
fn placement_follows_the_kind_of_output() {
    use OutputKind::{Directory, File};
    let path = |p: &str| Some(PathBuf::from(p));
    /// Kind, `-o`, `--manifest`, `--no-manifest`, and where the manifest goes.
    type Case = (
        OutputKind,
        Option<&'static str>,
        Option<&'static str>,
        bool,
        Placement,
    );
    let cases: [Case; 9] = [
        (
            File,
            Some("u.json"),
            None,
            false,
            Placement::File("u.json.manifest.json".into()),
        ),
        (
            File,
            Some("d/u.jsonl"),
            None,
            false,
            Placement::File("d/u.jsonl.manifest.json".into()),
        ),
        (
            File,
            Some("u.json"),
            Some("m.json"),
            false,
            Placement::File("m.json".into()),
        ),
        (File, Some("u.json"), None, true, Placement::None),
        (File, None, None, false, Placement::None),
        (File, Some("-"), None, false, Placement::None),
        (File, None, Some("-"), false, Placement::File("-".into())),
        (Directory, Some("out"), None, false, Placement::InDirectory),
        (
            Directory,
            Some("out"),
            Some("m.json"),
            false,
            Placement::File("m.json".into()),
        ),
    ];
    for (kind, output, manifest, none, expected) in cases {
        let output = output.and_then(path);
        let manifest = manifest.and_then(path);
        assert_eq!(
            Placement::of(kind, output.as_deref(), manifest.as_deref(), none),
            expected,
            "{kind:?} {output:?} {manifest:?} {none}"
        );
    }
    #[cfg(unix)]
    assert_eq!(
        Placement::of(File, Some(Path::new("/dev/null")), None, false),
        Placement::None
    );
    let long = "a".repeat(250);
    assert!(matches!(
        Placement::of(File, Some(Path::new(&long)), None, false),
        Placement::TooLong(_)
    ));
}

#[test]
fn hashing_counts_every_byte_however_it_is_read() {
    use sha2::{Digest, Sha256};
    for size in [0usize, 1, 4095, 70_000] {
        let data: Vec<u8> = (0..size).map(|i| (i * 7 % 251) as u8).collect();
        let expected = (size as u64, hex(Sha256::new_with_prefix(&data)));
        let small = std::io::BufReader::with_capacity(16, &data[..]);
        let mut reader = Hashing::new(small);
        // Half through fill_buf/consume, the rest through read.
        let mut taken = 0;
        while taken < size / 2 {
            let chunk = reader.fill_buf().unwrap().len().min(size / 2 - taken);
            reader.consume(chunk);
            taken += chunk;
        }
        let mut rest = Vec::new();
        reader.read_to_end(&mut rest).unwrap();
        assert_eq!(reader.digest(), expected, "{size}");
        let mut writer = Hashing::new(Vec::new());
        writer.write_all(&data).unwrap();
        assert_eq!(writer.digest(), expected, "{size}");
    }
}

/// The run configuration inside Parquet files and databases is the
/// manifest's own fields, so the three records cannot drift apart.
#[test]
fn the_run_configuration_is_the_manifests_run_fields() {
    let manifest = sample(u64::MAX, custom());
    let configuration = manifest.run_configuration();
    let keys: Vec<&str> = configuration.keys().map(String::as_str).collect();
    let mut expected = vec![
        "as_of",
        "count",
        "fingerprint",
        "mix",
        "overlap",
        "profiles",
        "seed",
        "seed_string",
        "shard",
        "tool",
        "version",
    ];
    expected.sort();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(sorted, expected);
    let whole = serde_json::to_value(&manifest).unwrap();
    for (key, value) in &configuration {
        assert_eq!(&whole[key], value, "{key}");
    }
    let rows: BTreeMap<String, String> = manifest.run_rows().into_iter().collect();
    let expected_rows = [
        ("as_of", "2025-06-30".to_string()),
        ("count", "1000".to_string()),
        ("fingerprint", manifest.fingerprint.clone()),
        ("mix", manifest.mix.to_string()),
        ("overlap", "0.25".to_string()),
        ("profiles_end", "666".to_string()),
        ("profiles_start", "333".to_string()),
        ("seed", u64::MAX.to_string()),
        ("shard", "2/3".to_string()),
        ("tool", "spendsense".to_string()),
        ("version", env!("CARGO_PKG_VERSION").to_string()),
    ];
    let expected_rows: BTreeMap<String, String> = expected_rows
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
    assert_eq!(rows, expected_rows);
    let unsharded = Manifest {
        shard: None,
        ..manifest
    };
    assert!(!unsharded.run_rows().iter().any(|(key, _)| key == "shard"));
}
