//! Contact details that cannot be mistaken for real people's.

use fake::locales::{Data, EN};
use rand::RngExt;
use rand_chacha::ChaCha8Rng;
use spendsense_schema::{Address, Identity, RESERVED_EMAIL_DOMAINS};

fn pick(rng: &mut ChaCha8Rng, items: &'static [&'static str]) -> &'static str {
    items[rng.random_range(0..items.len() as u32) as usize]
}

/// Lowercase ASCII letters and digits of `name` (`D'Amore` → `damore`).
fn mailbox_part(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// A `+1-NXX-555-01XX` number: NXX a plausible area code (no N11 service
/// codes), the line in the range reserved for fiction.
fn phone_number(rng: &mut ChaCha8Rng) -> String {
    let area = loop {
        let area = rng.random_range(200..1_000u32);
        if area % 100 != 11 {
            break area;
        }
    };
    format!("+1-{area}-555-01{:02}", rng.random_range(0..100u32))
}

/// Fictional contact details for profile `index` named `first last`, living in `state`.
///
/// The mailbox carries the profile index, so emails are unique whenever
/// indices are, whatever the names.
pub(crate) fn draw_identity(
    rng: &mut ChaCha8Rng,
    index: u64,
    first: &str,
    last: &str,
    state: &str,
) -> Identity {
    let domain =
        RESERVED_EMAIL_DOMAINS[rng.random_range(0..RESERVED_EMAIL_DOMAINS.len() as u32) as usize];
    let email = format!(
        "{}.{}.{index}@{domain}",
        mailbox_part(first),
        mailbox_part(last)
    );
    let phone_number = phone_number(rng);
    let street = format!(
        "{} {} {}",
        rng.random_range(1..10_000u32),
        pick(rng, <EN as Data>::NAME_LAST_NAME),
        pick(rng, <EN as Data>::ADDRESS_STREET_SUFFIX)
    );
    let city = format!(
        "{} {}{}",
        pick(rng, <EN as Data>::ADDRESS_CITY_PREFIX),
        pick(rng, <EN as Data>::NAME_FIRST_NAME),
        pick(rng, <EN as Data>::ADDRESS_CITY_SUFFIX)
    );
    let postal_code = format!("{:05}", rng.random_range(1_000..100_000u32));
    let address = Address {
        street,
        city,
        region: state.to_string(),
        postal_code,
        country: "US".into(),
    };
    Identity {
        email,
        phone_number,
        address,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::streams::{Domain, stream};

    #[test]
    fn mailboxes_keep_letters_and_digits_only() {
        assert_eq!(mailbox_part("D'Amore"), "damore");
        assert_eq!(mailbox_part("Mary Ann"), "maryann");
    }

    #[test]
    fn phone_numbers_are_fictional_and_avoid_service_codes() {
        for index in 0..2_000 {
            let phone = phone_number(&mut stream(1, Domain::Profile, index));
            assert_eq!(phone.len(), 15, "{phone}");
            assert!(
                phone.starts_with("+1-") && phone[6..].starts_with("-555-01"),
                "{phone}"
            );
            assert!(!phone[4..6].eq("11"), "{phone}");
        }
    }
}
