//! Overlap scenarios: persona users who deliberately also meet one
//! lower-priority persona's criteria, to test the pipeline's prioritisation.
//!
//! A `(persona, partner)` overlap takes the partner's ranges for exactly the
//! signals the partner's criteria look at, and the persona's own ranges for
//! everything else. The result classifies to both, and the pipeline must
//! assign the higher-priority persona.

use spendsense_schema::PersonaId;

use crate::{PersonaDefinition, PersonaSet, Personas};

/// The lower-priority personas `persona` can also meet. High Utilization and
/// Savings Builder exclude each other (a card at or above 50% versus every
/// card below 30%), and Savings Builder and control have no partners.
pub fn overlap_partners(persona: PersonaId) -> &'static [PersonaId] {
    match persona {
        PersonaId::HighUtilization => &[PersonaId::VariableIncome, PersonaId::SubscriptionHeavy],
        PersonaId::VariableIncome => &[PersonaId::SubscriptionHeavy, PersonaId::SavingsBuilder],
        PersonaId::SubscriptionHeavy => &[PersonaId::SavingsBuilder],
        PersonaId::SavingsBuilder | PersonaId::Control => &[],
    }
}

impl PersonaDefinition {
    /// This definition with `partner`'s ranges for the signals `partner`'s
    /// criteria look at: pay for Variable Income, recurring merchants for
    /// Subscription-Heavy, the savings account, savings and card utilization
    /// for Savings Builder.
    pub fn overlaid_with(&self, partner: &PersonaDefinition) -> PersonaDefinition {
        let mut merged = self.clone();
        match partner.id {
            PersonaId::VariableIncome => merged.pay = partner.pay.clone(),
            PersonaId::SubscriptionHeavy => merged.subscriptions = partner.subscriptions,
            PersonaId::SavingsBuilder => {
                merged.savings_account_percent = partner.savings_account_percent;
                merged.savings_income_share = partner.savings_income_share;
                merged.savings_monthly = partner.savings_monthly;
                merged.savings_balance_months = partner.savings_balance_months;
                merged.target_utilization = partner.target_utilization;
                merged.utilization_jitter = partner.utilization_jitter;
            }
            PersonaId::HighUtilization | PersonaId::Control => {}
        }
        merged
    }
}

impl Personas {
    /// The definition a `persona` user overlapping with `partner` is drawn
    /// from, or `None` when `partner` is not one of [`overlap_partners`].
    pub fn overlap_definition(
        &self,
        persona: PersonaId,
        partner: PersonaId,
    ) -> Option<PersonaDefinition> {
        overlap_partners(persona)
            .contains(&partner)
            .then(|| self.get(persona).overlaid_with(self.get(partner)))
    }

    /// The personas an overlap profile must classify to.
    pub fn overlap_set(persona: PersonaId, partner: PersonaId) -> PersonaSet {
        let mut set = PersonaSet::only(persona);
        set.insert(partner);
        set
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corners;

    #[test]
    fn every_corner_of_every_overlap_classifies_to_both_personas() {
        let personas = Personas::spendsense();
        let mut checked = 0;
        for persona in PersonaId::ALL {
            for &partner in overlap_partners(persona) {
                assert!(partner > persona, "partners have lower priority");
                let merged = personas.overlap_definition(persona, partner).unwrap();
                let expected = Personas::overlap_set(persona, partner);
                for signals in corners(&merged, &personas.criteria) {
                    assert_eq!(
                        personas.classify(&signals),
                        expected,
                        "{persona}+{partner}: {signals}"
                    );
                    checked += 1;
                }
                assert_eq!(expected.primary(), persona);
            }
        }
        assert!(checked > 300, "{checked}");
        assert!(
            personas
                .overlap_definition(PersonaId::HighUtilization, PersonaId::SavingsBuilder)
                .is_none()
        );
    }
}
