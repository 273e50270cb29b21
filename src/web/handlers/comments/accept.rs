//! Taking a comment in: the CAPTCHA, then the screening and storage. Shared by the page's form
//! and the JSON API, which differ only in how they answer.

use crate::captcha::{self, FormAnswer, SpendError};
use crate::content::articles::Article;
use crate::discussion::PostError;
use crate::discussion::posts::{self, Known, NewPost, Posted, Target};
use crate::store::now_ms;
use crate::web::auth::ClientAddress;
use crate::web::{AppError, AppState};

/// A comment as it arrives, from either door.
pub struct Incoming<'a> {
    pub name: &'a str,
    pub email: Option<&'a str>,
    pub body: &'a str,
    pub parent_id: Option<i64>,
    pub captcha: FormAnswer<'a>,
}

/// Why a comment was not taken; the message is for the reader.
pub enum Refusal {
    Captcha(String),
    Screening(String),
    /// A reply to a comment that is not in this thread.
    Invalid(String),
}

pub async fn accept(
    state: &AppState,
    article: &Article,
    incoming: &Incoming<'_>,
    client: &ClientAddress,
) -> Result<Result<Posted, Refusal>, AppError> {
    let now = now_ms();
    let site = state.cache.site.get(&state.db).await?;
    let config = &site.captcha;
    match captcha::check_form(&state.db, config, &incoming.captcha, now).await {
        Ok(()) => {}
        Err(SpendError::Captcha(e)) => return Ok(Err(Refusal::Captcha(e.to_string()))),
        Err(SpendError::Database(e)) => return Err(e.into()),
    }
    let target = Target {
        article_id: article.id,
        title: &article.title,
        section_mode: article.section_moderation_mode.as_deref(),
    };
    let new = NewPost {
        name: incoming.name,
        email: incoming.email.map(str::trim).filter(|e| !e.is_empty()),
        body: incoming.body,
        parent_id: incoming.parent_id,
        ip_hash: &client.hash,
        address: &client.ip,
    };
    let known = Known {
        thread: article.thread_id.map(|id| (id, article.thread_closed())),
        standing: site.standing(),
    };
    match posts::post_comment_knowing(&state.db, &target, &known, &new, now).await {
        Ok(posted) => {
            if let Posted::Published(_) = posted {
                // The thread and the comment counts in lists change; a held comment changes
                // nothing a reader sees.
                let touched = crate::web::cache::tags::for_article_in(
                    &state.db,
                    article.id,
                    &article.section_slug,
                )
                .await?;
                state.invalidator.purge(&touched).await;
            }
            Ok(Ok(posted))
        }
        Err(PostError::Refused(m)) => Ok(Err(Refusal::Screening(m))),
        Err(PostError::Invalid(m)) => Ok(Err(Refusal::Invalid(m))),
        Err(PostError::Database(e)) => Err(e.into()),
    }
}
