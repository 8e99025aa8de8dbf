//! Contact details that cannot be mistaken for real people's.

use fake::locales::{Data, EN};
use rand::RngExt;
use rand_chacha::ChaCha8Rng;
use spendsense_schema::{Identity, RESERVED_EMAIL_DOMAINS};

use crate::text::{push_number, set};

fn pick(rng: &mut ChaCha8Rng, items: &'static [&'static str]) -> &'static str {
    items[rng.random_range(0..items.len() as u32) as usize]
}

/// Appends the lowercase ASCII letters and digits of `name` (`D'Amore` → `damore`).
fn push_mailbox_part(out: &mut String, name: &str) {
    out.extend(
        name.chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase()),
    );
}

/// Writes a `+1-NXX-555-01XX` number: NXX a plausible area code (no N11
/// service codes), the line in the range reserved for fiction.
fn write_phone_number(rng: &mut ChaCha8Rng, out: &mut String) {
    let area = loop {
        let area = rng.random_range(200..1_000u32);
        if area % 100 != 11 {
            break area;
        }
    };
    out.clear();
    out.push_str("+1-");
    push_number(out, area.into(), 3);
    out.push_str("-555-01");
    push_number(out, rng.random_range(0..100u32).into(), 2);
}

/// Writes fictional contact details for profile `index`, named `first last`
/// and living in `state` (with a ZIP code of that state), into `identity`.
///
/// The mailbox carries the profile index, so emails are unique whenever
/// indices are, whatever the names.
pub(crate) fn draw_identity(
    rng: &mut ChaCha8Rng,
    index: u64,
    (first, last, state): (&str, &str, &crate::realism::State),
    identity: &mut Identity,
) {
    let domain =
        RESERVED_EMAIL_DOMAINS[rng.random_range(0..RESERVED_EMAIL_DOMAINS.len() as u32) as usize];
    let email = &mut identity.email;
    email.clear();
    push_mailbox_part(email, first);
    email.push('.');
    push_mailbox_part(email, last);
    email.push('.');
    push_number(email, index, 1);
    email.push('@');
    email.push_str(domain);
    write_phone_number(rng, &mut identity.phone_number);
    let address = &mut identity.address;
    address.street.clear();
    push_number(
        &mut address.street,
        rng.random_range(1..10_000u32).into(),
        1,
    );
    for part in [
        pick(rng, <EN as Data>::NAME_LAST_NAME),
        pick(rng, <EN as Data>::ADDRESS_STREET_SUFFIX),
    ] {
        address.street.push(' ');
        address.street.push_str(part);
    }
    set(
        &mut address.city,
        pick(rng, <EN as Data>::ADDRESS_CITY_PREFIX),
    );
    address.city.push(' ');
    address
        .city
        .push_str(pick(rng, <EN as Data>::NAME_FIRST_NAME));
    address
        .city
        .push_str(pick(rng, <EN as Data>::ADDRESS_CITY_SUFFIX));
    crate::realism::draw::write_zip(rng, state, &mut address.postal_code);
    set(&mut address.region, state.code);
    set(&mut address.country, "US");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::streams::{Domain, stream};

    #[test]
    fn mailboxes_keep_letters_and_digits_only() {
        for (name, mailbox) in [("D'Amore", "damore"), ("Mary Ann", "maryann")] {
            let mut out = String::from("x.");
            push_mailbox_part(&mut out, name);
            assert_eq!(out, format!("x.{mailbox}"));
        }
    }

    #[test]
    fn phone_numbers_are_fictional_and_avoid_service_codes() {
        let mut phone = String::from("left over from another profile");
        for index in 0..2_000 {
            write_phone_number(&mut stream(1, Domain::Profile, index), &mut phone);
            assert_eq!(phone.len(), 15, "{phone}");
            assert!(
                phone.starts_with("+1-") && phone[6..].starts_with("-555-01"),
                "{phone}"
            );
            assert!(!phone[4..6].eq("11"), "{phone}");
        }
    }
}
