//! Screening: what happens to a post before it is stored.
//!
//! Each step is a small function from facts to an [`Outcome`]; the pipeline runs them all and
//! the strictest wins: any *refuse* refuses (with the first refusing step's reason, which the
//! reader sees), else any *hold* holds for a moderator, else the post is published. Every
//! step's finding is kept with the post so that moderators see why.
//!
//! The facts a step needs from the database (recent posts by this address, the word lists,
//! the moderation mode…) are gathered first into [`Facts`], so the steps are pure and are
//! tested without a database.

pub mod duplicate;
pub mod flood;
pub mod limits;
pub mod links;
pub mod mode;
pub mod words;

use serde::Serialize;

pub use mode::Mode;
pub use words::{WordAction, WordList};

/// What one step found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Pass,
    /// Pass, with a note for moderators (a score, say).
    Note(String),
    /// Hold for a moderator; the note is for moderators.
    Hold(String),
    /// Turn away; the message is for the reader.
    Refuse(String),
}

/// The post as submitted.
#[derive(Debug, Clone)]
pub struct Submission<'a> {
    pub name: &'a str,
    pub email: Option<&'a str>,
    pub body: &'a str,
}

/// What the database knows that the steps need.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// Posts from the same address hash in the flood window.
    pub recent_from_address: i64,
    /// Posts under the same name in the flood window.
    pub recent_from_name: i64,
    /// The same text is already in this thread.
    pub duplicate_in_thread: bool,
    /// The same text was sent from this address elsewhere lately.
    pub duplicate_elsewhere: bool,
    /// Published posts under this name before.
    pub published_before_by_name: i64,
    pub mode: Mode,
    /// Shared: kept per process and handed to every post (see `web::site_cache`).
    pub words: std::sync::Arc<WordList>,
    /// The classifier's estimate, once it has learned enough.
    pub spam_probability: Option<f64>,
    /// An active ban on this name or address, with its reason.
    pub banned: Option<String>,
}

/// The pipeline's decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Decision {
    Publish,
    Hold,
    Refuse,
}

/// One step's finding, as stored with the post.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub step: &'static str,
    pub verdict: Decision,
    pub note: String,
}

/// The pipeline's verdict and every step's finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verdict {
    pub decision: Decision,
    /// For a refusal: what the reader is told.
    pub reason: Option<String>,
    pub findings: Vec<Finding>,
}

impl Verdict {
    /// JSON for the `screening` column.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".into())
    }
}

/// Runs every step.
pub fn screen(sub: &Submission<'_>, facts: &Facts) -> Verdict {
    let steps: [(&'static str, Outcome); 9] = [
        ("ban", ban_check(facts)),
        ("limits", limits::check(sub)),
        ("links", links::check(sub)),
        ("duplicate", duplicate::check(facts)),
        ("flood", flood::check(facts)),
        ("words", words::check(sub, &facts.words)),
        (
            "mode",
            mode::check(facts.mode, facts.published_before_by_name),
        ),
        ("name", limits::check_name_links(sub)),
        ("classifier", classifier_check(facts.spam_probability)),
    ];
    let mut findings = Vec::new();
    let mut reason = None;
    let mut decision = Decision::Publish;
    for (step, outcome) in steps {
        match outcome {
            Outcome::Pass => {}
            Outcome::Note(note) => findings.push(Finding {
                step,
                verdict: Decision::Publish,
                note,
            }),
            Outcome::Hold(note) => {
                if decision == Decision::Publish {
                    decision = Decision::Hold;
                }
                findings.push(Finding {
                    step,
                    verdict: Decision::Hold,
                    note,
                });
            }
            Outcome::Refuse(message) => {
                if decision != Decision::Refuse {
                    decision = Decision::Refuse;
                    reason = Some(message.clone());
                }
                findings.push(Finding {
                    step,
                    verdict: Decision::Refuse,
                    note: message,
                });
            }
        }
    }
    Verdict {
        decision,
        reason,
        findings,
    }
}

/// Spam probability at or above which a post waits for a moderator.
pub const SPAM_HOLD_AT: f64 = 0.9;

fn classifier_check(p: Option<f64>) -> Outcome {
    match p {
        Some(p) if p >= SPAM_HOLD_AT => Outcome::Hold(format!("spam score {p:.2}")),
        Some(p) => Outcome::Note(format!("spam score {p:.2}")),
        None => Outcome::Pass,
    }
}

fn ban_check(facts: &Facts) -> Outcome {
    match &facts.banned {
        Some(_) => Outcome::Refuse(
            "The moderators have blocked comments from this name or connection for a while.".into(),
        ),
        None => Outcome::Pass,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_classifier_holds_likely_spam_and_notes_its_score() {
        let spam = Facts {
            spam_probability: Some(0.97),
            ..Facts::default()
        };
        let v = screen(&sub("hello"), &spam);
        assert_eq!(v.decision, Decision::Hold);
        assert_eq!(v.findings[0].note, "spam score 0.97");
        let ham = Facts {
            spam_probability: Some(0.02),
            ..Facts::default()
        };
        let v = screen(&sub("hello"), &ham);
        assert_eq!(v.decision, Decision::Publish);
        assert_eq!(v.findings[0].note, "spam score 0.02");
    }

    #[test]
    fn banned_names_are_refused() {
        let facts = Facts {
            banned: Some("abusive".into()),
            ..Facts::default()
        };
        assert_eq!(screen(&sub("hello"), &facts).decision, Decision::Refuse);
    }

    fn sub(body: &str) -> Submission<'_> {
        Submission {
            name: "Reader",
            email: None,
            body,
        }
    }

    #[test]
    fn a_civil_comment_is_published() {
        let v = screen(&sub("A fair point about the rail link."), &Facts::default());
        assert_eq!(v.decision, Decision::Publish);
        assert!(v.findings.is_empty());
    }

    #[test]
    fn refusal_beats_hold_and_keeps_the_first_reason() {
        let facts = Facts {
            mode: Mode::Pre,
            recent_from_address: 1000,
            ..Facts::default()
        };
        let v = screen(&sub("Hello"), &facts);
        assert_eq!(v.decision, Decision::Refuse);
        assert!(
            v.reason.as_deref().unwrap_or("").contains("too quickly"),
            "{v:?}"
        );
        assert_eq!(v.findings.len(), 2, "both findings kept: {v:?}");
    }

    #[test]
    fn holds_collect_their_reasons() {
        let facts = Facts {
            mode: Mode::Pre,
            ..Facts::default()
        };
        let v = screen(
            &sub("see http://a.example http://b.example http://c.example"),
            &facts,
        );
        assert_eq!(v.decision, Decision::Hold);
        let steps: Vec<_> = v.findings.iter().map(|f| f.step).collect();
        assert_eq!(steps, ["links", "mode"]);
        assert!(v.to_json().contains("\"decision\":\"hold\""));
    }
}
