//! Moderation modes, per site and per section.

use serde::Serialize;

use super::Outcome;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Mode {
    /// Everything waits for a moderator.
    Pre,
    /// Published at once; moderators remove afterwards.
    #[default]
    Post,
    /// A name's first comment waits; later ones are published.
    FirstTime,
    /// No new comments.
    Closed,
}

impl Mode {
    pub fn parse(text: &str) -> Option<Mode> {
        match text.trim() {
            "pre" => Some(Mode::Pre),
            "post" => Some(Mode::Post),
            "first-time" => Some(Mode::FirstTime),
            "closed" => Some(Mode::Closed),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Pre => "pre",
            Mode::Post => "post",
            Mode::FirstTime => "first-time",
            Mode::Closed => "closed",
        }
    }
}

pub fn check(mode: Mode, published_before_by_name: i64) -> Outcome {
    match mode {
        Mode::Post => Outcome::Pass,
        Mode::Pre => Outcome::Hold("pre-moderation: every comment is reviewed".into()),
        Mode::FirstTime if published_before_by_name == 0 => {
            Outcome::Hold("first comment under this name".into())
        }
        Mode::FirstTime => Outcome::Pass,
        Mode::Closed => Outcome::Refuse("Comments are closed for this story.".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes() {
        assert_eq!(check(Mode::Post, 0), Outcome::Pass);
        assert!(matches!(check(Mode::Pre, 10), Outcome::Hold(_)));
        assert!(matches!(check(Mode::FirstTime, 0), Outcome::Hold(_)));
        assert_eq!(check(Mode::FirstTime, 1), Outcome::Pass);
        assert!(matches!(check(Mode::Closed, 5), Outcome::Refuse(_)));
        for m in [Mode::Pre, Mode::Post, Mode::FirstTime, Mode::Closed] {
            assert_eq!(Mode::parse(m.as_str()), Some(m));
        }
        assert_eq!(Mode::parse("sometimes"), None);
    }
}
