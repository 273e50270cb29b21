//! Duplicates: the same text twice in a thread is a double click or a bot.

use super::{Facts, Outcome};

pub fn check(facts: &Facts) -> Outcome {
    if facts.duplicate_in_thread {
        Outcome::Refuse("This comment has already been posted here.".into())
    } else if facts.duplicate_elsewhere {
        Outcome::Hold("the same text was sent from this address under another story".into())
    } else {
        Outcome::Pass
    }
}

/// The form of a text compared for duplicates: case, spacing and punctuation ignored.
pub fn normalise(body: &str) -> String {
    body.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalised_forms_ignore_case_space_and_punctuation() {
        assert_eq!(normalise("Great  story!!"), normalise("great story"));
        assert_ne!(normalise("great story"), normalise("great stories"));
        assert_eq!(normalise("说得好！"), "说得好");
    }

    #[test]
    fn verdicts() {
        assert_eq!(check(&Facts::default()), Outcome::Pass);
        let here = Facts {
            duplicate_in_thread: true,
            ..Facts::default()
        };
        assert!(matches!(check(&here), Outcome::Refuse(_)));
        let elsewhere = Facts {
            duplicate_elsewhere: true,
            ..Facts::default()
        };
        assert!(matches!(check(&elsewhere), Outcome::Hold(_)));
    }
}
