//! `/forum/{board}/{topic}`: a topic's posts and the reply form. An article's discussion
//! lives on the article page; its topic address leads there.

use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use minijinja::value::{Serde, Value};

use super::check_captcha;
use crate::discussion::PostError;
use crate::discussion::boards::{self, Board};
use crate::discussion::posts::{self, NewPost, Posted};
use crate::discussion::screening::Mode;
use crate::discussion::threads::Thread;
use crate::store::{now_ms, query};
use crate::web::auth::ClientAddress;
use crate::web::chrome::Chrome;
use crate::web::extract::{PathParams, QueryParams};
use crate::web::handlers::article::show::{ArticleQuery, CommentForm};
use crate::web::handlers::comments::post::CommentFields;
use crate::web::{AppError, AppState};

/// The board and topic of a URL; an article's thread answers with its article's address.
async fn find(
    state: &AppState,
    board_slug: &str,
    topic_id: i64,
) -> Result<Result<(Board, Thread), String>, AppError> {
    let board = boards::find(&state.db, board_slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let thread = boards::topic(&state.db, board.id, topic_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if let Some(article_id) = thread.article_id {
        let path: Option<(String, String)> = query(
            "select s.slug, a.slug from articles a join sections s on s.id = a.section_id
             where a.id = $1 and a.status = 'published'",
        )
        .bind(article_id)
        .fetch_optional(&state.db)
        .await?;
        let (section, slug) = path.ok_or(AppError::NotFound)?;
        return Ok(Err(format!("/{section}/{slug}#comments")));
    }
    if thread.post_count == 0 {
        return Err(AppError::NotFound);
    }
    Ok(Ok((board, thread)))
}

async fn render(
    state: &AppState,
    chrome: &Chrome,
    board: &Board,
    thread: &Thread,
    cpage: i64,
    form: CommentForm,
    status: StatusCode,
) -> Result<Response, AppError> {
    let (comments, more_comments) = posts::page(&state.db, thread.id, cpage).await?;
    if cpage > 1 && comments.is_empty() {
        return Err(AppError::NotFound);
    }
    let replying_to = form.parent_id.and_then(|id| {
        comments
            .iter()
            .find(|c| c.id == id && !c.removed)
            .map(|c| c.author_name.clone())
    });
    let site = state.cache.site.get(&state.db).await?;
    let mode = posts::mode_from(site.discussion_mode.as_deref(), None);
    let captcha = crate::web::handlers::captcha::view(state, false).await?;
    let path = format!("/forum/{}/{}", board.slug, thread.id);
    let html = chrome.render(
        state,
        "forum/topic.html",
        context! {
            board => Value::from(Serde(board)),
            thread => Value::from(Serde(thread)),
            comments => Value::from(Serde(&comments)),
            more_comments,
            cpage,
            comments_open => mode != Mode::Closed && !thread.is_closed(),
            replying_to,
            reported => form.reported,
            form => Value::from(Serde(&form)),
            captcha => Value::from(Serde(&captcha)),
            path => path.clone(),
            form_action => path.clone(),
            permalink_base => format!("{path}/posts"),
            list_title => format!("Posts ({})", thread.post_count),
            form_title => "Reply",
            closed_message => "This topic is closed.",
            hide_forum_link => true,
        },
    )?;
    Ok((status, html).into_response())
}

pub async fn show(
    State(state): State<AppState>,
    PathParams((board_slug, topic_id)): PathParams<(String, i64)>,
    QueryParams(q): QueryParams<ArticleQuery>,
    chrome: Chrome,
) -> Result<Response, AppError> {
    let (board, thread) = match find(&state, &board_slug, topic_id).await? {
        Ok(found) => found,
        Err(article) => return Ok(Redirect::to(&article).into_response()),
    };
    let cpage = crate::web::extract::PageQuery { page: q.cpage }.number()?;
    let form = CommentForm {
        parent_id: q.reply.as_deref().and_then(|r| r.parse().ok()),
        notice: match q.comment.as_deref() {
            Some("published") => Some("published"),
            Some("held") => Some("held"),
            _ => None,
        },
        reported: q.reported.is_some(),
        ..CommentForm::default()
    };
    render(
        &state,
        &chrome,
        &board,
        &thread,
        cpage,
        form,
        StatusCode::OK,
    )
    .await
}

pub async fn reply(
    State(state): State<AppState>,
    PathParams((board_slug, topic_id)): PathParams<(String, i64)>,
    client: ClientAddress,
    chrome: Chrome,
    Form(fields): Form<CommentFields>,
) -> Result<Response, AppError> {
    let (board, thread) = match find(&state, &board_slug, topic_id).await? {
        Ok(found) => found,
        // Replies to an article's discussion go through the article's own form.
        Err(_) => return Err(AppError::NotFound),
    };
    let parent_id = fields.parent.trim().parse::<i64>().ok();
    let mut form = CommentForm {
        name: fields.name.clone(),
        email: fields.email.clone(),
        body: fields.body.clone(),
        parent_id,
        ..CommentForm::default()
    };
    if let Some(message) = check_captcha(
        &state,
        fields.altcha.as_deref(),
        fields.captcha_token.as_deref(),
        fields.captcha_answer.as_deref(),
    )
    .await?
    {
        form.error = Some(message);
        return render(
            &state,
            &chrome,
            &board,
            &thread,
            1,
            form,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let email = Some(fields.email.trim()).filter(|e| !e.is_empty());
    let new = NewPost {
        name: &fields.name,
        email,
        body: &fields.body,
        parent_id,
        ip_hash: &client.hash,
        address: &client.ip,
    };
    let path = format!("/forum/{}/{}", board.slug, thread.id);
    let site = state.cache.site.get(&state.db).await?;
    match posts::reply_in_topic(&state.db, &thread, &site.standing(), &new, now_ms()).await {
        Ok(Posted::Published(id)) => {
            Ok(Redirect::to(&format!("{path}?comment=published#c{id}")).into_response())
        }
        Ok(Posted::Held(_)) => {
            Ok(Redirect::to(&format!("{path}?comment=held#comment-form")).into_response())
        }
        Err(PostError::Refused(m)) => {
            form.error = Some(m);
            render(
                &state,
                &chrome,
                &board,
                &thread,
                1,
                form,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(PostError::Invalid(m)) => {
            form.error = Some(m);
            form.parent_id = None;
            render(
                &state,
                &chrome,
                &board,
                &thread,
                1,
                form,
                StatusCode::BAD_REQUEST,
            )
            .await
        }
        Err(PostError::Database(e)) => Err(e.into()),
    }
}

/// `/forum/{board}/{topic}/posts/{id}`: a forum post's permanent address.
pub async fn permalink(
    State(state): State<AppState>,
    PathParams((board_slug, topic_id, post_id)): PathParams<(String, i64, i64)>,
) -> Result<Response, AppError> {
    let (board, thread) = match find(&state, &board_slug, topic_id).await? {
        Ok(found) => found,
        Err(article) => return Ok(Redirect::to(&article).into_response()),
    };
    let page = posts::page_of(&state.db, thread.id, post_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let path = format!("/forum/{}/{}", board.slug, thread.id);
    let target = if page > 1 {
        format!("{path}?cpage={page}#c{post_id}")
    } else {
        format!("{path}#c{post_id}")
    };
    Ok(Redirect::to(&target).into_response())
}
