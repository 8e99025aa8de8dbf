//! `ProfileReader`, the iterator over a JSON array or JSON Lines: round trips
//! of generated datasets at every buffer size, whitespace, empty input,
//! malformed input (errors worded and placed as serde_json places them in the
//! whole document), early exit that reads no further, and format detection.
//!
//! The datasets are generated here from `sample::profile()`, seeded, rather
//! than by `spendsense-generator`, which depends on this crate: a dev-dependency
//! on it would be a cycle. The strings are chosen to trip a scanner that
//! miscounts strings, escapes or nesting.

use std::cell::Cell;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;
use std::rc::Rc;

use serde::de::{IgnoredAny, SeqAccess, Visitor};
use spendsense_schema::codec::{MAX_LINE_BYTES, RecordError};
use spendsense_schema::{
    Decimal, Error, ProfileFormat, ProfileReader, UserProfile, read_located_profiles,
    read_profiles, sample, write_profiles,
};

const FORMATS: [ProfileFormat; 2] = [ProfileFormat::Json, ProfileFormat::Jsonl];

/// splitmix64: a few lines, and enough to vary test data by seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Names a scanner could miscount: quotes, backslashes, brackets and commas
/// inside strings, escapes, non-ASCII text.
const NAMES: [&str; 7] = [
    "Ada Lovelace",
    "Ada \"Quote\" Lovelace",
    "Back\\slash ]} Lovelace",
    "Brace { [ , : Lovelace",
    "Zoë Ünicode 東京",
    "Tab\tand\nnewline",
    "\\\"",
];

/// `count` profiles that differ by `seed`: ids, names, incomes to the cent,
/// balances, how many accounts, overlap keys.
fn generated(seed: u64, count: usize) -> Vec<UserProfile> {
    let mut rng = Rng(seed);
    (0..count)
        .map(|i| {
            let mut profile = if rng.below(4) == 0 {
                sample::overlap_profile()
            } else {
                sample::profile()
            };
            profile.user_id = format!("user_MASKED_{i:03}");
            profile.name = format!("{} {i}", NAMES[rng.below(NAMES.len() as u64) as usize]);
            profile.annual_income = Decimal::new(2_000_000 + rng.below(18_000_001) as i64, 2);
            profile.accounts.truncate(1 + rng.below(3) as usize);
            for account in &mut profile.accounts {
                account.balances.current = Some(Decimal::new(rng.below(1_000_000) as i64, 2));
            }
            profile
        })
        .collect()
}

fn written(format: ProfileFormat, profiles: &[UserProfile]) -> Vec<u8> {
    write_profiles(Vec::new(), format, profiles).unwrap()
}

/// Every profile of `bytes`, failing on any error.
fn read_all<R: BufRead>(input: R, format: ProfileFormat) -> Vec<UserProfile> {
    ProfileReader::new(input, format)
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn generated_datasets_read_back_at_every_buffer_size() {
    for seed in [0, 1, 7, 42, 2026] {
        for count in [0, 1, 2, 17, 120] {
            let profiles = generated(seed, count);
            let expected_income: Decimal = profiles.iter().map(|p| p.annual_income).sum();
            for format in FORMATS {
                let bytes = written(format, &profiles);
                // Capacity 1 puts a buffer boundary between every two bytes.
                for capacity in [1, 7, 4096] {
                    let input = BufReader::with_capacity(capacity, &bytes[..]);
                    let read = read_all(input, format);
                    assert!(read == profiles, "seed {seed}, {count} profiles, {format}");
                }
                let read: Vec<UserProfile> = ProfileReader::from_reader(&bytes[..], format)
                    .collect::<Result<_, _>>()
                    .unwrap();
                let income: Decimal = read.iter().map(|p| p.annual_income).sum();
                assert_eq!(income, expected_income, "money is exact");
                // The callback API is the same reader.
                let mut called = Vec::new();
                let records =
                    read_profiles(&bytes[..], format, |r| called.push(r.unwrap())).unwrap();
                assert_eq!(records, count as u64);
                assert!(called == profiles);
            }
        }
    }
}

/// The separators a JSON writer may put between tokens, chosen by `rng`.
fn whitespace(rng: &mut Rng) -> &'static str {
    ["", " ", "\n", "\r\n", "\t", "  \n\t ", "\n\n"][rng.below(7) as usize]
}

#[test]
fn json_arrays_read_the_same_with_any_whitespace() {
    for seed in 0..12 {
        let mut rng = Rng(seed);
        let profiles = generated(seed, seed as usize % 4);
        let mut text = whitespace(&mut rng).to_string() + "[";
        for (i, profile) in profiles.iter().enumerate() {
            text += whitespace(&mut rng);
            if i > 0 {
                text += ",";
                text += whitespace(&mut rng);
            }
            text += &if rng.below(2) == 0 {
                serde_json::to_string(profile).unwrap()
            } else {
                serde_json::to_string_pretty(profile).unwrap()
            };
        }
        text += whitespace(&mut rng);
        text += "]";
        text += whitespace(&mut rng);
        for capacity in [1, 3, 64 << 10] {
            let input = BufReader::with_capacity(capacity, text.as_bytes());
            assert!(read_all(input, ProfileFormat::Json) == profiles, "{text}");
        }
    }
}

#[test]
fn empty_inputs_hold_no_profiles_except_an_empty_json_document() {
    for (format, input) in [
        (ProfileFormat::Jsonl, ""),
        (ProfileFormat::Jsonl, "\n \n\t\r\n"),
        (ProfileFormat::Json, "[]"),
        (ProfileFormat::Json, " \n[ \n\t]\n\n"),
    ] {
        let mut profiles = ProfileReader::new(input.as_bytes(), format);
        assert!(profiles.next().is_none(), "{input:?}");
        assert_eq!(profiles.records(), 0);
        assert!(profiles.location().is_none());
    }
    for (input, at) in [("", "line 1 column 0"), (" \n\t\n", "line 3 column 0")] {
        let errors: Vec<String> = ProfileReader::new(input.as_bytes(), ProfileFormat::Json)
            .map(|r| r.unwrap_err().to_string())
            .collect();
        assert_eq!(
            errors,
            [format!(
                "the JSON ends early, EOF while parsing a value at {at}; is the file truncated?"
            )]
        );
    }
}

/// What the reader did with an input: each record's outcome, then the error
/// that stopped it, if any.
#[derive(Debug, PartialEq)]
struct Outcome {
    records: Vec<Result<String, RecordError>>,
    stopped: Option<String>,
}

fn outcome(input: &[u8], format: ProfileFormat) -> Outcome {
    let mut outcome = Outcome {
        records: Vec::new(),
        stopped: None,
    };
    for item in ProfileReader::new(input, format) {
        match item {
            Ok(profile) => outcome.records.push(Ok(profile.user_id)),
            Err(Error::Record(record)) => outcome.records.push(Err(*record)),
            Err(err) => {
                assert!(outcome.stopped.is_none(), "nothing after a fatal error");
                outcome.stopped = Some(err.to_string());
            }
        }
    }
    outcome
}

/// What serde_json says of `input` as one document: a JSON array of any
/// values, worded as the reader words it. This was the reader's own
/// implementation before it became an iterator.
fn serde_verdict(input: &[u8]) -> Option<String> {
    struct Elements;
    impl<'de> Visitor<'de> for Elements {
        type Value = ();
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a JSON array of profiles")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            Ok(())
        }
    }
    let mut deserializer = serde_json::Deserializer::from_reader(input);
    let result = serde::Deserializer::deserialize_seq(&mut deserializer, Elements)
        .and_then(|()| deserializer.end());
    let err = result.err()?;
    Some(if err.is_eof() {
        format!("the JSON ends early, {err}; is the file truncated?")
    } else if err.to_string().starts_with("invalid type") {
        format!("expected a JSON array of profiles: {err}")
    } else {
        format!("invalid JSON: {err}")
    })
}

/// The reader stops exactly when serde_json refuses the document, with
/// serde_json's message and position, and never before.
fn check_like_serde(input: &[u8]) {
    let got = outcome(input, ProfileFormat::Json).stopped;
    assert_eq!(
        got,
        serde_verdict(input),
        "{:?}",
        String::from_utf8_lossy(input)
    );
}

#[test]
fn malformed_json_stops_where_serde_json_does() {
    let profiles = generated(3, 2);
    let compact = format!(
        "[{}]",
        profiles
            .iter()
            .map(|p| serde_json::to_string(p).unwrap())
            .collect::<Vec<_>>()
            .join(",")
    );
    let pretty = written(ProfileFormat::Json, &profiles);
    // Every prefix: cut inside strings, numbers, keys, between elements.
    for cut in 0..compact.len() {
        check_like_serde(&compact.as_bytes()[..cut]);
    }
    for cut in (0..pretty.len()).step_by(5) {
        check_like_serde(&pretty[..cut]);
    }
    // One byte replaced, across the whole document, for several seeds.
    for seed in [99, 100, 101] {
        let mut rng = Rng(seed);
        for at in (0..compact.len()).step_by(3) {
            let mut bytes = compact.clone().into_bytes();
            bytes[at] = b",]}[{\"x1:\n\\ \0-.e"[rng.below(16) as usize];
            check_like_serde(&bytes);
        }
    }
    for case in [
        "{}",
        "42",
        "\"text\"",
        "null",
        "hello",
        "[",
        "[,",
        "[,]",
        "[1,]",
        "[1 2]",
        "[1}",
        "[tru]",
        "[tru",
        "[-]",
        "[1.]",
        "[\"a]",
        "[[[[",
        "[]]",
        "[] []",
        "[]x",
        "[{]",
        "[{}:]",
        "[\"\\",
        "[1]\n\n  x",
        " \n [ \n 1 \n , \n ] ",
        "\u{feff}[]",
        "[\"\u{1}\"]",
    ] {
        check_like_serde(case.as_bytes());
    }
    // Nesting deeper than serde_json's recursion limit is still JSON: one
    // record error, and reading goes on.
    let deep = format!("[{}, {}]", "[".repeat(1000) + &"]".repeat(1000), compact);
    check_like_serde(deep.as_bytes());
    check_like_serde(format!("[{}", "[".repeat(200_000)).as_bytes());
}

#[test]
fn a_record_that_is_not_a_profile_is_an_error_and_reading_goes_on() {
    let profiles = generated(5, 3);
    let good = |i: usize| serde_json::to_string(&profiles[i]).unwrap();
    let bad_age = good(1).replacen("\"age\":34", "\"age\":\"thirty\"", 1);
    assert_ne!(bad_age, good(1));
    let json = format!("[{}, {bad_age},\n{{\"user_id\": 1}}, {}]", good(0), good(2));
    let jsonl = format!(
        "{}\n{bad_age}\n\n{{\"user_id\": 1}}\n{}\n",
        good(0),
        good(2)
    );
    for (format, input, places) in [
        (
            ProfileFormat::Json,
            json,
            [
                "array element 1 (counting from 0)",
                "array element 2 (counting from 0)",
            ],
        ),
        (ProfileFormat::Jsonl, jsonl, ["line 2", "line 4"]),
    ] {
        let outcome = outcome(input.as_bytes(), format);
        assert_eq!(outcome.stopped, None);
        let shown: Vec<String> = outcome
            .records
            .iter()
            .map(|r| match r {
                Ok(id) => id.clone(),
                Err(err) => err.to_string(),
            })
            .collect();
        assert_eq!(shown.len(), 4, "{shown:?}");
        assert_eq!(shown[0], "user_MASKED_000");
        assert!(
            shown[1].starts_with(&format!(
                "{} at demographics.age: invalid type: string \"thirty\", expected u8",
                places[0]
            )),
            "{shown:?}"
        );
        assert!(
            shown[2].starts_with(&format!(
                "{} at user_id: invalid type: integer `1`",
                places[1]
            )),
            "{shown:?}"
        );
        assert_eq!(shown[3], "user_MASKED_002");
    }
}

#[test]
fn jsonl_that_is_not_json_stops_with_its_line() {
    let line = serde_json::to_string(&generated(8, 1)[0]).unwrap();
    for (input, expected) in [
        (
            format!("{line}\n\n{{\"user_id\": nope}}\n{line}\n"),
            "line 3: invalid JSON: expected ident at line 1 column 14",
        ),
        (
            format!("{line}\n[1, 2]\n"),
            "line 2 does not hold a JSON object (starts with `[1, 2]`)",
        ),
        (
            format!("{line}\n{line} {{}}\n"),
            "line 2: invalid JSON: trailing characters at line 1 column",
        ),
        (
            format!("{line}\n{}", &line[..line.len() / 2]),
            "line 2: invalid JSON: EOF while parsing",
        ),
    ] {
        let outcome = outcome(input.as_bytes(), ProfileFormat::Jsonl);
        assert_eq!(outcome.records.len(), 1, "the line before is read");
        let stopped = outcome.stopped.unwrap();
        assert!(stopped.starts_with(expected), "{stopped}");
    }
    let invalid_utf8 = [line.as_bytes(), b"\n{\"a\":\"\xff\"}\n"].concat();
    assert_eq!(
        outcome(&invalid_utf8, ProfileFormat::Jsonl)
            .stopped
            .unwrap(),
        "line 2 is not UTF-8 text (invalid byte at column 7)"
    );
}

#[test]
fn after_a_fatal_error_the_iterator_is_finished() {
    let mut profiles = ProfileReader::new(&b"[1 2, 3]"[..], ProfileFormat::Json);
    assert!(matches!(profiles.next(), Some(Err(Error::Record(_)))));
    assert!(matches!(profiles.next(), Some(Err(Error::Syntax { .. }))));
    for _ in 0..3 {
        assert!(profiles.next().is_none());
    }
    assert_eq!(profiles.records(), 1);
}

/// Counts the bytes taken from the inner reader.
struct Counting<R> {
    inner: R,
    taken: Rc<Cell<u64>>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let read = self.inner.read(buf)?;
        self.taken.set(self.taken.get() + read as u64);
        Ok(read)
    }
}

/// The bytes of `prefix`, then `record` followed by `separator`, forever.
fn endless(prefix: &[u8], record: &[u8], separator: &[u8]) -> impl Read + use<> {
    let unit = [record, separator].concat();
    io::Cursor::new(prefix.to_vec()).chain(Cycle { unit, at: 0 })
}

/// `io::Repeat` of a whole unit instead of one byte.
struct Cycle {
    unit: Vec<u8>,
    at: usize,
}

impl Read for Cycle {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let mut written = 0;
        while written < buf.len() {
            let n = (self.unit.len() - self.at).min(buf.len() - written);
            buf[written..written + n].copy_from_slice(&self.unit[self.at..self.at + n]);
            self.at = (self.at + n) % self.unit.len();
            written += n;
        }
        Ok(written)
    }
}

#[test]
fn stopping_early_reads_no_further_than_the_buffer() {
    const BUFFER: u64 = 64 << 10;
    for seed in [1, 2, 3] {
        let profiles = generated(seed, 300);
        for format in FORMATS {
            let bytes = written(format, &profiles);
            for wanted in [0, 1, 5, 40] {
                let taken = Rc::new(Cell::new(0));
                let input = Counting {
                    inner: &bytes[..],
                    taken: Rc::clone(&taken),
                };
                let read: Vec<UserProfile> = ProfileReader::from_reader(input, format)
                    .take(wanted)
                    .collect::<Result<_, _>>()
                    .unwrap();
                assert!(read[..] == profiles[..wanted]);
                // What the profiles took, plus at most one buffer read ahead.
                let needed = written(format, &profiles[..wanted]).len() as u64;
                assert!(
                    taken.get() <= needed + BUFFER,
                    "{format}: {} bytes read for {needed}",
                    taken.get()
                );
                assert!(bytes.len() as u64 > 4 * BUFFER, "the input is larger");
            }
        }
    }
}

#[test]
fn endless_inputs_stream() {
    let profile = &generated(4, 1)[0];
    let line = serde_json::to_vec(profile).unwrap();
    let pretty = serde_json::to_vec_pretty(profile).unwrap();
    for (format, input) in [
        (ProfileFormat::Jsonl, endless(b"", &line, b"\n")),
        (ProfileFormat::Json, endless(b"[\n", &pretty, b",\n")),
    ] {
        let taken = Rc::new(Cell::new(0));
        let input = Counting {
            inner: input,
            taken: Rc::clone(&taken),
        };
        let mut profiles = ProfileReader::from_reader(input, format);
        for _ in 0..1000 {
            assert!(profiles.next().unwrap().unwrap() == *profile);
        }
        assert_eq!(profiles.records(), 1000);
        assert!(taken.get() <= 1000 * (pretty.len() as u64 + 2) + (64 << 10));
    }
}

#[test]
fn an_element_past_the_limit_is_refused_without_buffering_it() {
    // `[{…}, "xxxx…` without end: the reader must refuse, not buffer forever.
    let first = serde_json::to_vec(&generated(6, 1)[0]).unwrap();
    let taken = Rc::new(Cell::new(0));
    let input = Counting {
        inner: endless(&[b"[".as_slice(), &first, b",\n\""].concat(), b"x", b""),
        taken: Rc::clone(&taken),
    };
    let outcome: Vec<Result<UserProfile, Error>> =
        ProfileReader::from_reader(input, ProfileFormat::Json).collect();
    assert_eq!(outcome.len(), 2);
    assert!(outcome[0].is_ok());
    assert!(matches!(
        outcome[1],
        Err(Error::RecordTooLong {
            index: 1,
            limit: MAX_LINE_BYTES
        })
    ));
    assert!(taken.get() <= (MAX_LINE_BYTES as u64) + (128 << 10));
}

/// Sums incomes with `?`: the first error of any kind ends the sum.
fn total_income(input: &[u8], format: ProfileFormat) -> Result<Decimal, Error> {
    let mut total = Decimal::ZERO;
    for profile in ProfileReader::new(input, format) {
        total += profile?.annual_income;
    }
    Ok(total)
}

#[test]
fn question_mark_stops_at_the_first_error() {
    let profiles = generated(11, 4);
    for format in FORMATS {
        let bytes = written(format, &profiles);
        let expected: Decimal = profiles.iter().map(|p| p.annual_income).sum();
        assert_eq!(total_income(&bytes, format).unwrap(), expected);
        let broken = String::from_utf8(bytes)
            .unwrap()
            .replacen("\"user_id\"", "\"user_ID\"", 1);
        let err = total_income(broken.as_bytes(), format).unwrap_err();
        assert!(matches!(err, Error::Record(_)), "{err}");
        assert!(err.to_string().contains("unknown field `user_ID`"), "{err}");
    }
}

#[test]
fn located_records_name_their_jsonl_line() {
    let profiles = generated(12, 3);
    let bytes = written(ProfileFormat::Jsonl, &profiles);
    let with_blanks = String::from_utf8(bytes).unwrap().replace('\n', "\n\n");
    let mut lines = Vec::new();
    read_located_profiles(with_blanks.as_bytes(), ProfileFormat::Jsonl, |at, r| {
        assert!(r.is_ok());
        lines.push((at.index, at.line));
    })
    .unwrap();
    assert_eq!(lines, [(0, Some(1)), (1, Some(3)), (2, Some(5))]);
    let mut reader = ProfileReader::new(with_blanks.as_bytes(), ProfileFormat::Jsonl);
    reader.nth(1).unwrap().unwrap();
    assert_eq!(reader.location().unwrap().line, Some(3));
}

#[test]
fn formats_are_detected_by_name_then_by_first_byte() {
    let check = |name: Option<&str>, content: &[u8], expected: Result<ProfileFormat, String>| {
        let mut input = content;
        let got = ProfileFormat::detect(name.map(Path::new), &mut input).map_err(|e| e.to_string());
        assert_eq!(got, expected, "{name:?} {content:?}");
    };
    use ProfileFormat::{Json, Jsonl};
    check(Some("a.json"), b"{", Ok(Json));
    check(Some("a.JSONL"), b"[", Ok(Jsonl));
    check(Some("dir.json/a.ndjson"), b"", Ok(Jsonl));
    check(Some("a.txt"), b" \n\t[", Ok(Json));
    check(Some("-"), b"\r\n{", Ok(Jsonl));
    check(None, b"[", Ok(Json));
    check(
        None,
        b"  ",
        Err("the input is empty; expected a JSON array or JSON Lines of profiles".into()),
    );
    check(
        Some("a.csv"),
        b"user_id,name",
        Err("the input starts with byte 0x75, not `[` (JSON array) or `{` (JSON Lines)".into()),
    );
    // A byte-order mark is not whitespace.
    check(
        None,
        b"\xef\xbb\xbf[",
        Err("the input starts with byte 0xef, not `[` (JSON array) or `{` (JSON Lines)".into()),
    );
    assert_eq!("ndjson".parse::<ProfileFormat>().unwrap(), Jsonl);
}

#[test]
fn detection_consumes_nothing_a_reader_needs() {
    let profiles = generated(13, 2);
    for format in FORMATS {
        let bytes = [b"\n\n  \n".as_slice(), &written(format, &profiles)].concat();
        // A buffer of 3 holds only whitespace at first, so detection consumes some.
        for capacity in [3, 1 << 20] {
            let mut input = BufReader::with_capacity(capacity, &bytes[..]);
            let detected = ProfileFormat::detect(None, &mut input).unwrap();
            let reader = ProfileReader::new(input, detected);
            assert_eq!(reader.format(), format);
            assert!(reader.collect::<Result<Vec<_>, _>>().unwrap() == profiles);
        }
    }
}

#[test]
fn debug_shows_where_reading_stands_not_the_data() {
    let bytes = written(ProfileFormat::Jsonl, &generated(14, 2));
    let mut reader = ProfileReader::new(&bytes[..], ProfileFormat::Jsonl);
    reader.next().unwrap().unwrap();
    assert_eq!(
        format!("{reader:?}"),
        "ProfileReader { format: Jsonl, state: Start, records: 1, line: 2, .. }"
    );
}
