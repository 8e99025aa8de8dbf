//! Input text made safe to show on a terminal.
//!
//! Every message that quotes input (an id, a field name serde echoes, a file
//! name) goes through [`escape`] before it reaches a terminal: a crafted
//! dataset must not retitle, clear or recolour the user's terminal, nor
//! reverse the text around it.
//!
//! The escaped characters are the C0 controls (U+0000–U+001F), DEL (U+007F),
//! the C1 controls (U+0080–U+009F) and the Unicode bidirectional controls
//! (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069). They are written the
//! way Rust's `Debug` writes them: `\0`, `\t`, `\n`, `\r`, and `\u{1b}` (lowercase
//! hex) for the rest. Everything else, backslashes included, is kept as it is,
//! so escaping is idempotent: a message escaped once (by a library) and again
//! (by the CLI's final pass) reads the same.
//!
//! # Example
//!
//! ```
//! use spendsense_schema::text::escape;
//!
//! assert_eq!(escape("user_MASKED_1"), "user_MASKED_1");
//! assert_eq!(escape("\u{1b}]0;pwned\u{7}"), r"\u{1b}]0;pwned\u{7}");
//! assert_eq!(escape(&escape("a\nb")), r"a\nb");
//! ```

use std::borrow::Cow;
use std::fmt::Write as _;

/// Whether `c` is shown escaped by [`escape`]: a C0 or C1 control, DEL, or a
/// bidirectional control.
pub fn is_unsafe(c: char) -> bool {
    matches!(
        c,
        '\u{0}'..='\u{1f}'
            | '\u{7f}'..='\u{9f}'
            | '\u{61c}'
            | '\u{200e}'
            | '\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2066}'..='\u{2069}'
    )
}

/// `text` with every [unsafe](is_unsafe) character escaped; borrowed, without
/// allocating, when there is none.
pub fn escape(text: &str) -> Cow<'_, str> {
    // Printable ASCII is by far the common case: one pass over the bytes.
    let clean = if text.is_ascii() {
        !text.bytes().any(|b| b < 0x20 || b == 0x7f)
    } else {
        !text.chars().any(is_unsafe)
    };
    if clean {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\0' => out.push_str("\\0"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if is_unsafe(c) => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// [`escape`]d `text` cut to its first `max_chars` characters, with `…` when
/// something was cut.
pub fn escape_clipped(text: &str, max_chars: usize) -> String {
    let escaped = escape(text);
    match escaped.char_indices().nth(max_chars) {
        Some((at, _)) => format!("{}…", &escaped[..at]),
        None => escaped.into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// No character a terminal acts on survives.
    fn assert_safe(text: &str) {
        assert!(!text.chars().any(is_unsafe), "{text:?}");
    }

    #[test]
    fn every_ascii_byte_is_kept_or_escaped() {
        for byte in 0u8..=0x7f {
            let c = char::from(byte);
            let text = format!("a{c}b");
            let escaped = escape(&text);
            assert_safe(&escaped);
            let expected = match byte {
                0 => "a\\0b".to_string(),
                b'\t' => "a\\tb".to_string(),
                b'\n' => "a\\nb".to_string(),
                b'\r' => "a\\rb".to_string(),
                0..=0x1f | 0x7f => format!("a\\u{{{byte:x}}}b"),
                _ => text.clone(),
            };
            assert_eq!(escaped, expected, "byte 0x{byte:02x}");
            assert_eq!(matches!(escaped, Cow::Borrowed(_)), escaped == text);
            assert_eq!(escape(&escaped), escaped, "idempotent for 0x{byte:02x}");
        }
    }

    #[test]
    fn c1_and_bidi_controls_are_escaped() {
        let unsafe_chars = ('\u{80}'..='\u{9f}')
            .chain(['\u{61c}', '\u{200e}', '\u{200f}'])
            .chain('\u{202a}'..='\u{202e}')
            .chain('\u{2066}'..='\u{2069}');
        for c in unsafe_chars {
            let text = format!("é{c}x");
            let escaped = escape(&text);
            assert_eq!(escaped, format!("é\\u{{{:x}}}x", c as u32));
            assert_safe(&escaped);
            assert_eq!(escape(&escaped), escaped);
        }
        // Neighbours of the ranges, and other non-ASCII text, stay as they are.
        for c in [
            '\u{a0}', 'é', '\u{2029}', '\u{202f}', '\u{2065}', '\u{206a}', '€', '😀',
        ] {
            let text = format!("x{c}");
            assert!(
                matches!(escape(&text), Cow::Borrowed(t) if t == text),
                "{c:?}"
            );
        }
    }

    #[test]
    fn clipping_counts_escaped_characters() {
        assert_eq!(escape_clipped("user_1", 80), "user_1");
        assert_eq!(escape_clipped("abcdef", 3), "abc…");
        assert_eq!(escape_clipped("\u{1b}[2J", 6), "\\u{1b}…");
        assert_eq!(escape_clipped("\u{1b}", 6), "\\u{1b}");
    }
}
