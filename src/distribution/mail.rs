//! Outgoing mail. A message is built with lettre when something asks for it, stored whole as a
//! `mail` job (the jobs table is the outbox), and sent by whichever node claims the job, over any
//! SMTP server: `smtps://` (TLS), `smtp://…?tls=required` (STARTTLS) or plain `smtp://` for a
//! server on the same machine.
//!
//! Storing the finished bytes means a retry sends exactly what was first built, and a node that
//! restarts has nothing to rebuild. The Message-ID is fixed when the mail is queued, so in the
//! rare case that a node dies after the server accepted a mail but before it marked the job
//! done, the copy sent on retry carries the same Message-ID and mail systems treat it as one.

use std::str::FromStr;
use std::time::Duration;

use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, Message, MultiPart};
use lettre::transport::smtp::Error as SmtpError;
use lettre::{Address, AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use serde::{Deserialize, Serialize};

use crate::jobs::{self, Failure};
use crate::store::Db;

/// The job kind of a queued mail.
pub const MAIL_JOB: &str = "mail";

/// How long one SMTP conversation may take. It stays well under the jobs' claim
/// ([`jobs::CLAIM_MS`]), so no other node takes a mail up while it is still being sent.
const SMTP_TIMEOUT: Duration = Duration::from_secs(20);

/// Where mail comes from and how it leaves.
pub struct MailConfig {
    /// The configured sender; without one, mail comes from `Site name <newsletter@host>`.
    pub from: Option<Mailbox>,
    /// `None` until an SMTP server is configured: mail waits in the outbox (and admins see why).
    smtp: Option<AsyncSmtpTransport<Tokio1Executor>>,
    /// The host part used in Message-IDs.
    pub domain: String,
}

impl MailConfig {
    /// `smtp_url` is a secret (it may hold a password): it never reaches logs or error text.
    pub fn new(
        smtp_url: Option<&str>,
        from: Option<&str>,
        base_url: &str,
    ) -> Result<MailConfig, String> {
        let from = match from {
            None => None,
            Some(text) => Some(
                Mailbox::from_str(text)
                    .map_err(|e| format!("the sender address `{text}` is not usable: {e}"))?,
            ),
        };
        let smtp = match smtp_url {
            None => None,
            Some(url) => Some(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| format!("the SMTP URL is not usable: {e}"))?
                    .timeout(Some(SMTP_TIMEOUT))
                    .build(),
            ),
        };
        Ok(MailConfig {
            from,
            smtp,
            domain: host_of(base_url),
        })
    }

    /// The default sender, no SMTP server.
    pub fn unconfigured(base_url: &str) -> MailConfig {
        MailConfig {
            from: None,
            smtp: None,
            domain: host_of(base_url),
        }
    }

    /// Who mail comes from.
    pub fn sender(&self, site_name: &str) -> Mailbox {
        self.from
            .clone()
            .unwrap_or_else(|| default_from(site_name, &self.domain))
    }

    pub fn can_send(&self) -> bool {
        self.smtp.is_some()
    }
}

/// The host of a base URL, without port; `localhost` when there is none usable.
pub fn host_of(base_url: &str) -> String {
    let host = super::feeds::host(base_url);
    if host.is_empty() || host.parse::<std::net::IpAddr>().is_ok() {
        "localhost".into()
    } else {
        host.to_ascii_lowercase()
    }
}

/// `Site name <newsletter@domain>`; the domain comes from [`host_of`], so it is a host name.
pub fn default_from(site_name: &str, domain: &str) -> Mailbox {
    let address = Address::new("newsletter", domain)
        // `newsletter@localhost` is a valid address, known here and now.
        .unwrap_or_else(|_| Address::new_dangerous("newsletter", "localhost"));
    Mailbox::new(Some(site_name.to_owned()), address)
}

/// A reader's e-mail address from a form: trimmed, checked, lower-cased.
pub fn parse_address(text: &str) -> Result<Address, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("Please enter your e-mail address.".into());
    }
    if text.len() > 254 {
        return Err("That e-mail address is too long.".into());
    }
    let address = Address::from_str(text).map_err(|_| {
        format!("“{text}” is not an e-mail address we can write to; it should look like name@example.com.")
    })?;
    // The domain needs a dot: `name@localhost` is valid on paper but never a reader's inbox.
    if !address.domain().contains('.') || address.domain().ends_with('.') {
        return Err(format!(
            "“{text}” is not an e-mail address we can write to; it should look like name@example.com."
        ));
    }
    Address::from_str(&text.to_lowercase()).map_err(|e| e.to_string())
}

/// A mail to queue.
pub struct Outgoing<'a> {
    /// The site's name, for the default sender.
    pub site_name: &'a str,
    pub to: &'a Address,
    pub subject: &'a str,
    pub text: String,
    pub html: String,
    /// The one-click unsubscribe URL (RFC 8058), for mail sent to a list.
    pub unsubscribe: Option<&'a str>,
    /// Unique per logical mail (it makes the Message-ID and the outbox's dedupe key).
    pub key: &'a str,
}

/// What a `mail` job carries: the envelope and the finished message.
#[derive(Debug, Serialize, Deserialize)]
struct Queued {
    from: String,
    to: String,
    message: String,
}

/// Builds the message (multipart: plain text and HTML).
pub fn build(config: &MailConfig, mail: &Outgoing) -> Result<Message, String> {
    let mut builder = Message::builder()
        .from(config.sender(mail.site_name))
        .to(Mailbox::new(None, mail.to.clone()))
        .subject(mail.subject)
        .message_id(Some(format!(
            "<{}@{}>",
            crate::privacy::sha256_hex(mail.key)
                .get(..32)
                .unwrap_or_default(),
            config.domain
        )));
    if let Some(url) = mail.unsubscribe {
        builder = builder
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe"),
                format!("<{url}>"),
            ))
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                "List-Unsubscribe=One-Click".into(),
            ));
    }
    builder
        .multipart(MultiPart::alternative_plain_html(
            mail.text.clone(),
            mail.html.clone(),
        ))
        .map_err(|e| format!("cannot build the mail: {e}"))
}

/// Queues a mail; the same `key` is queued once. Returns whether it was queued now.
pub async fn enqueue(
    db: &Db,
    config: &MailConfig,
    mail: &Outgoing<'_>,
    now: i64,
) -> Result<bool, QueueError> {
    let message = build(config, mail).map_err(QueueError::Build)?;
    let queued = Queued {
        from: message
            .envelope()
            .from()
            .map(ToString::to_string)
            .unwrap_or_default(),
        to: mail.to.to_string(),
        message: String::from_utf8_lossy(&message.formatted()).into_owned(),
    };
    let payload = serde_json::to_value(&queued).map_err(|e| QueueError::Build(e.to_string()))?;
    jobs::enqueue(
        db,
        MAIL_JOB,
        &payload,
        now,
        &format!("mail:{}", mail.key),
        now,
    )
    .await
    .map_err(QueueError::Database)
}

#[derive(Debug, thiserror::Error)]
pub enum QueueError {
    #[error("{0}")]
    Build(String),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// Sends one queued mail. Refusals the server calls permanent (5xx) are not retried.
pub async fn send_job(config: &MailConfig, payload: &str) -> Result<(), Failure> {
    let Some(smtp) = &config.smtp else {
        return Err(Failure::retry(
            "no SMTP server is configured (set BROADSHEET_SMTP_URL or smtp_url in broadsheet.toml)",
        ));
    };
    let queued: Queued = serde_json::from_str(payload)
        .map_err(|e| Failure::permanent(format!("unreadable mail job: {e}")))?;
    let from = Address::from_str(&queued.from).map_err(|e| Failure::permanent(e.to_string()))?;
    let to = Address::from_str(&queued.to).map_err(|e| Failure::permanent(e.to_string()))?;
    let envelope = lettre::address::Envelope::new(Some(from), vec![to])
        .map_err(|e| Failure::permanent(e.to_string()))?;
    smtp.send_raw(&envelope, queued.message.as_bytes())
        .await
        .map(|_| ())
        .map_err(|e| describe(&e, &queued.to))
}

fn describe(e: &SmtpError, to: &str) -> Failure {
    if e.is_permanent() {
        Failure::permanent(format!("the SMTP server refused the mail to {to}: {e}"))
    } else if e.is_transient() {
        Failure::retry(format!("the SMTP server deferred the mail to {to}: {e}"))
    } else {
        Failure::retry(format!("cannot reach the SMTP server: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_checked_and_lowercased() {
        assert_eq!(
            parse_address("  Reader@Example.ORG ").map(|a| a.to_string()),
            Ok("reader@example.org".to_string())
        );
        for bad in [
            "",
            "reader",
            "reader@",
            "@example.org",
            "reader@localhost",
            "two@@example.org",
            "a b@example.org",
            "reader@example.org.",
        ] {
            assert!(parse_address(bad).is_err(), "{bad:?} was accepted");
        }
        assert!(parse_address(&format!("{}@example.org", "a".repeat(250))).is_err());
    }

    #[test]
    fn hosts_for_message_ids() {
        assert_eq!(host_of("https://News.Example.org/"), "news.example.org");
        assert_eq!(host_of("http://127.0.0.1:8080"), "localhost");
        assert_eq!(host_of("http://localhost:8080"), "localhost");
    }

    #[test]
    fn list_mail_has_one_click_unsubscribe_and_both_parts() {
        let config = MailConfig::unconfigured("https://news.example.org");
        let to = parse_address("reader@example.org").unwrap();
        let message = build(
            &config,
            &Outgoing {
                site_name: "The Paper",
                to: &to,
                subject: "Today's stories",
                text: "Plain words".into(),
                html: "<p>Rich words</p>".into(),
                unsubscribe: Some("https://news.example.org/newsletter/unsubscribe/1.ab"),
                key: "digest:1",
            },
        )
        .unwrap();
        let text = String::from_utf8(message.formatted()).unwrap();
        assert!(
            text.contains(
                "List-Unsubscribe: <https://news.example.org/newsletter/unsubscribe/1.ab>"
            )
        );
        assert!(text.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"));
        assert!(text.contains("From: \"The Paper\" <newsletter@news.example.org>"));
        assert!(text.contains("multipart/alternative"));
        assert!(text.contains("Plain words") && text.contains("Rich words"));
        assert!(text.contains("@news.example.org>"));
    }
}
