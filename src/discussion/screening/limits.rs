//! Size limits: a name, a comment of reasonable length.

use super::{Outcome, Submission};

pub const MAX_NAME_CHARS: usize = 60;
pub const MAX_BODY_CHARS: usize = 5000;

pub fn check(sub: &Submission<'_>) -> Outcome {
    let name = sub.name.trim();
    let body = sub.body.trim();
    if name.is_empty() {
        return Outcome::Refuse("Please give a user name.".into());
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Outcome::Refuse(format!(
            "The user name may have at most {MAX_NAME_CHARS} characters."
        ));
    }
    if body.is_empty() {
        return Outcome::Refuse("Please write a comment.".into());
    }
    let chars = body.chars().count();
    if chars > MAX_BODY_CHARS {
        return Outcome::Refuse(format!(
            "A comment may have at most {MAX_BODY_CHARS} characters; yours has {chars}."
        ));
    }
    if let Some(email) = sub.email
        && !crate::accounts::users::is_plausible_email(email.trim())
    {
        return Outcome::Refuse(
            "That e-mail address does not look right; correct it or leave it empty.".into(),
        );
    }
    Outcome::Pass
}

/// A name that is an advertisement (`cheap-pills.example`) is held.
pub fn check_name_links(sub: &Submission<'_>) -> Outcome {
    if crate::discussion::render::count_links(sub.name) > 0 {
        Outcome::Hold("the user name contains a web address".into())
    } else {
        Outcome::Pass
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sub<'a>(name: &'a str, body: &'a str, email: Option<&'a str>) -> Submission<'a> {
        Submission { name, email, body }
    }

    #[test]
    fn name_and_body_are_required_and_bounded() {
        assert!(matches!(check(&sub("  ", "hi", None)), Outcome::Refuse(_)));
        assert!(matches!(
            check(&sub("Ann", " \n ", None)),
            Outcome::Refuse(_)
        ));
        let long_name = "n".repeat(61);
        assert!(matches!(
            check(&sub(&long_name, "hi", None)),
            Outcome::Refuse(_)
        ));
        let long_body = "字".repeat(5001);
        let Outcome::Refuse(why) = check(&sub("Ann", &long_body, None)) else {
            panic!("long body passed")
        };
        assert!(why.contains("5001"), "{why}");
        assert_eq!(check(&sub("Ann", &"字".repeat(5000), None)), Outcome::Pass);
    }

    #[test]
    fn email_is_optional_but_must_look_right() {
        assert_eq!(check(&sub("Ann", "hi", None)), Outcome::Pass);
        assert_eq!(
            check(&sub("Ann", "hi", Some("ann@mail.example"))),
            Outcome::Pass
        );
        assert!(matches!(
            check(&sub("Ann", "hi", Some("ann at mail"))),
            Outcome::Refuse(_)
        ));
    }

    #[test]
    fn names_with_addresses_are_held() {
        assert!(matches!(
            check_name_links(&sub("buy-pills.example.com", "hi", None)),
            Outcome::Hold(_)
        ));
        assert_eq!(check_name_links(&sub("Li Wei", "hi", None)), Outcome::Pass);
    }
}
