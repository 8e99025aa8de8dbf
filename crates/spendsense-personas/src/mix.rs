//! The persona mix: how many users of each persona a population holds.

use std::fmt;

use spendsense_schema::PersonaId;

use crate::Error;

/// Largest period (sum of weights after dividing by their gcd) a mix may have.
pub const MAX_PERIOD: u64 = 10_000;

/// Relative weights of the five personas, e.g. `40,15,15,15,15`.
///
/// Weights are whole numbers, normalised by their sum: `high_utilization=2`
/// and `high_utilization=40` mean the same when the others scale alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Mix {
    /// Weights reduced by their greatest common divisor, in [`PersonaId::ALL`] order.
    weights: [u64; 5],
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

impl Default for Mix {
    fn default() -> Self {
        Mix::equal()
    }
}

impl Mix {
    /// Equal shares: 20% each.
    pub fn equal() -> Mix {
        Mix { weights: [1; 5] }
    }

    /// A mix from weights in [`PersonaId::ALL`] order.
    pub fn from_weights(weights: [u64; 5]) -> Result<Mix, Error> {
        let divisor = weights.iter().fold(0, |g, w| gcd(g, *w));
        if divisor == 0 {
            return Err(Error::Mix(
                "every persona weight is 0; give at least one persona a weight above 0".into(),
            ));
        }
        let reduced = weights.map(|w| w / divisor);
        let period: u64 = reduced.iter().sum();
        if period > MAX_PERIOD {
            return Err(Error::Mix(format!(
                "weights {weights:?} reduce to a cycle of {period} users; use coarser weights (their sum after dividing by the common factor must be at most {MAX_PERIOD})"
            )));
        }
        Ok(Mix { weights: reduced })
    }

    /// Parses `persona=weight` pairs separated by commas; personas left out weigh 0.
    pub fn parse(text: &str) -> Result<Mix, Error> {
        let mut weights = [0u64; 5];
        let mut seen = [false; 5];
        for pair in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (name, weight) = pair.split_once('=').ok_or_else(|| {
                Error::Mix(format!(
                    "`{pair}` is not persona=weight, e.g. high_utilization=40"
                ))
            })?;
            let persona: PersonaId = name
                .trim()
                .parse()
                .map_err(|e: spendsense_schema::UnknownPersona| Error::Mix(e.to_string()))?;
            let weight: u64 = weight.trim().parse().map_err(|_| {
                Error::Mix(format!(
                    "weight `{}` of {persona} is not a whole number from 0 to {MAX_PERIOD}",
                    weight.trim()
                ))
            })?;
            if weight > MAX_PERIOD {
                return Err(Error::Mix(format!(
                    "weight {weight} of {persona} is above {MAX_PERIOD}"
                )));
            }
            if std::mem::replace(&mut seen[persona.index()], true) {
                return Err(Error::Mix(format!(
                    "{persona} is given twice; give each persona once"
                )));
            }
            weights[persona.index()] = weight;
        }
        Mix::from_weights(weights)
    }

    /// The reduced weight of `persona`.
    pub fn weight(&self, persona: PersonaId) -> u64 {
        self.weights[persona.index()]
    }

    /// Sum of the reduced weights: the mix repeats exactly every `period` users.
    pub fn period(&self) -> u64 {
        self.weights.iter().sum()
    }

    /// Whether this is the equal 20% split.
    pub fn is_equal(&self) -> bool {
        self.weights == [1; 5]
    }

    /// Whether `count` users of `persona` among the first `prefix` are within
    /// one of the exact share `prefix · weight / period`.
    pub fn within_one(&self, persona: PersonaId, count: u64, prefix: u64) -> bool {
        let period = i128::from(self.period());
        let exact = i128::from(prefix) * i128::from(self.weight(persona));
        (i128::from(count) * period - exact).abs() <= period
    }
}

impl fmt::Display for Mix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pairs: Vec<String> = PersonaId::ALL
            .iter()
            .map(|p| format!("{p}={}", self.weight(*p)))
            .collect();
        f.write_str(&pairs.join(","))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parsing_normalises_and_names_what_is_wrong() {
        let mix = Mix::parse("high_utilization=40,variable_income=15,subscription_heavy=15,savings_builder=15,control=15").unwrap();
        assert_eq!(
            mix.to_string(),
            "high_utilization=8,variable_income=3,subscription_heavy=3,savings_builder=3,control=3"
        );
        assert_eq!(Mix::parse("control=3").unwrap().period(), 1);
        for (text, needle) in [
            ("boss=1", "unknown persona `boss`"),
            ("control=0", "every persona weight is 0"),
            ("control", "is not persona=weight"),
            ("control=-1", "weight `-1` of control is not a whole number"),
            ("control=1,control=2", "control is given twice"),
            ("high_utilization=9999,control=2", "use coarser weights"),
        ] {
            assert!(
                Mix::parse(text).unwrap_err().to_string().contains(needle),
                "{text}"
            );
        }
    }
}
