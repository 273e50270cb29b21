//! Links: a couple are conversation, many are advertising.

use super::{Outcome, Submission};
use crate::discussion::render::count_links;

/// More links than this and a moderator looks first.
pub const HOLD_ABOVE: usize = 2;
/// More links than this and the post is turned away.
pub const REFUSE_ABOVE: usize = 10;

pub fn check(sub: &Submission<'_>) -> Outcome {
    let links = count_links(sub.body);
    if links > REFUSE_ABOVE {
        Outcome::Refuse(format!(
            "A comment may contain at most {REFUSE_ABOVE} links; please remove some."
        ))
    } else if links > HOLD_ABOVE {
        Outcome::Hold(format!("{links} links"))
    } else {
        Outcome::Pass
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(links: usize) -> String {
        (0..links)
            .map(|i| format!("https://site{i}.example "))
            .collect()
    }

    #[test]
    fn thresholds() {
        let check_n = |n| {
            check(&Submission {
                name: "A",
                email: None,
                body: &body(n),
            })
        };
        assert_eq!(check_n(0), Outcome::Pass);
        assert_eq!(check_n(2), Outcome::Pass);
        assert_eq!(check_n(3), Outcome::Hold("3 links".into()));
        assert!(matches!(check_n(11), Outcome::Refuse(_)));
    }
}
