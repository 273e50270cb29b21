//! Abuse and profanity, English and Chinese, from word lists the site edits.
//!
//! The lists hold insults and slurs — words aimed at people — never names, places or opinions:
//! 习近平, 共产党, 天安门广场 and plain criticism of anyone pass untouched. (A general-purpose
//! profanity crate was rejected for this reason: its Chinese list flags exactly those words.)
//!
//! Latin-script entries match whole words after folding case and the usual digit-for-letter
//! swaps (`1d10t`); multi-word entries match a run of words. Chinese entries match anywhere,
//! with spaces and punctuation between the characters ignored (`傻 逼`, `傻.逼`).

use serde::Serialize;

use super::{Outcome, Submission};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum WordAction {
    /// Send to the moderation queue.
    Hold,
    /// Turn the comment away.
    Refuse,
}

impl WordAction {
    pub fn parse(text: &str) -> Option<WordAction> {
        match text {
            "hold" => Some(WordAction::Hold),
            "refuse" => Some(WordAction::Refuse),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct WordList {
    /// Normalised entries with their action.
    pub entries: Vec<(String, WordAction)>,
}

impl WordList {
    pub fn new(entries: impl IntoIterator<Item = (String, WordAction)>) -> WordList {
        WordList {
            entries: entries
                .into_iter()
                .map(|(w, a)| (w.trim().to_lowercase(), a))
                .filter(|(w, _)| !w.is_empty())
                .collect(),
        }
    }
}

fn unleet(c: char) -> char {
    match c {
        '0' => 'o',
        '1' => 'i',
        '3' => 'e',
        '4' | '@' => 'a',
        '5' | '$' => 's',
        '7' => 't',
        other => other,
    }
}

/// The Latin-script words of a text, folded, as " w1 w2 w3 " for whole-word search.
fn latin_words(text: &str) -> String {
    let mut out = String::from(" ");
    for token in text
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '@' || c == '$'))
        .filter(|t| !t.is_empty())
    {
        let has_letter = token.chars().any(|c| c.is_ascii_alphabetic());
        let word: String = token
            .chars()
            .map(|c| c.to_ascii_lowercase())
            .map(|c| if has_letter { unleet(c) } else { c })
            .filter(|c| c.is_ascii_alphanumeric())
            .collect();
        if !word.is_empty() {
            out.push_str(&word);
            out.push(' ');
        }
    }
    out
}

/// The text's letters alone (no spaces or punctuation), lower-cased, for CJK search.
fn letters_only(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

fn is_latin(entry: &str) -> bool {
    entry.is_ascii()
}

/// The first entry found in the text, refusals before holds.
pub fn find<'a>(text: &str, list: &'a WordList) -> Option<&'a (String, WordAction)> {
    let latin = latin_words(text);
    let letters = letters_only(text);
    let hit = |(entry, _): &&(String, WordAction)| {
        if is_latin(entry) {
            latin.contains(&format!(" {} ", latin_words(entry).trim()))
        } else {
            letters.contains(&letters_only(entry))
        }
    };
    list.entries
        .iter()
        .filter(|e| e.1 == WordAction::Refuse)
        .find(hit)
        .or_else(|| {
            list.entries
                .iter()
                .filter(|e| e.1 == WordAction::Hold)
                .find(hit)
        })
}

pub fn check(sub: &Submission<'_>, list: &WordList) -> Outcome {
    let text = format!("{}\n{}", sub.name, sub.body);
    match find(&text, list) {
        Some((_, WordAction::Refuse)) => Outcome::Refuse(
            "Your comment contains a slur or abuse that is not allowed here. Please rephrase it."
                .into(),
        ),
        Some((word, WordAction::Hold)) => Outcome::Hold(format!("word list: {word}")),
        None => Outcome::Pass,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list() -> WordList {
        WordList::new([
            ("idiot".to_owned(), WordAction::Hold),
            ("kill yourself".to_owned(), WordAction::Refuse),
            ("傻逼".to_owned(), WordAction::Hold),
            ("支那".to_owned(), WordAction::Refuse),
        ])
    }

    fn outcome(body: &str) -> Outcome {
        check(
            &Submission {
                name: "Reader",
                email: None,
                body,
            },
            &list(),
        )
    }

    #[test]
    fn english_insults_are_held_and_slurs_refused() {
        assert!(matches!(outcome("You are an IDIOT."), Outcome::Hold(_)));
        assert!(matches!(outcome("what an 1d10t"), Outcome::Hold(_)));
        assert!(matches!(
            outcome("just kill   yourself"),
            Outcome::Refuse(_)
        ));
    }

    #[test]
    fn whole_words_only_in_english() {
        assert_eq!(outcome("The idiomatic phrase"), Outcome::Pass);
        assert_eq!(outcome("Idiots is not listed"), Outcome::Pass);
        assert_eq!(
            outcome("Such an idiot!"),
            Outcome::Hold("word list: idiot".into())
        );
        assert_eq!(outcome("He was killed yourself-style"), Outcome::Pass);
    }

    #[test]
    fn chinese_insults_are_found_through_spacing_and_punctuation() {
        assert!(matches!(outcome("你是傻逼"), Outcome::Hold(_)));
        assert!(matches!(outcome("你是傻 逼"), Outcome::Hold(_)));
        assert!(matches!(outcome("你是傻.逼"), Outcome::Hold(_)));
        assert!(matches!(outcome("滚回支那"), Outcome::Refuse(_)));
    }

    #[test]
    fn political_names_places_and_criticism_pass() {
        for text in [
            "习近平今天会见了代表团。",
            "共产党的政策引发讨论。",
            "天安门广场上的游客很多。",
            "我认为这个政策是错误的，政府应该重新考虑。",
            "The government's rail policy is a costly failure.",
            "Xi Jinping met the delegation; critics call the plan reckless.",
        ] {
            assert_eq!(outcome(text), Outcome::Pass, "{text}");
        }
    }

    #[test]
    fn the_name_is_screened_too() {
        let o = check(
            &Submission {
                name: "idiot",
                email: None,
                body: "hello",
            },
            &list(),
        );
        assert!(matches!(o, Outcome::Hold(_)));
    }
}
