//! Floods: one address or one name posting faster than a person types.

use super::{Facts, Outcome};

/// The window over which posts are counted.
pub const WINDOW_MS: i64 = 10 * 60_000;
/// Posts allowed per address in the window.
pub const PER_ADDRESS: i64 = 6;
/// Posts allowed per name in the window.
pub const PER_NAME: i64 = 6;

pub fn check(facts: &Facts) -> Outcome {
    if facts.recent_from_address >= PER_ADDRESS || facts.recent_from_name >= PER_NAME {
        Outcome::Refuse(
            "You are posting too quickly. Please wait a few minutes and send your comment again."
                .into(),
        )
    } else {
        Outcome::Pass
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_per_address_and_per_name() {
        assert_eq!(
            check(&Facts {
                recent_from_address: 5,
                ..Facts::default()
            }),
            Outcome::Pass
        );
        assert!(matches!(
            check(&Facts {
                recent_from_address: 6,
                ..Facts::default()
            }),
            Outcome::Refuse(_)
        ));
        assert!(matches!(
            check(&Facts {
                recent_from_name: 6,
                ..Facts::default()
            }),
            Outcome::Refuse(_)
        ));
    }
}
