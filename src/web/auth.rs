//! Who is asking: the staff session behind a request, and the role a route needs.
//!
//! A handler that needs an editor takes `RequireRole<Editor>`; one that needs any signed-in
//! staff member takes `Staff`. Forgetting the extractor is the only way to leave a staff page
//! open, and it shows in review.

use std::marker::PhantomData;
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts, OriginalUri};
use axum::http::request::Parts;

use super::{AppError, AppState, cookies};
use crate::accounts::sessions::{self, Session};
use crate::accounts::users::Role;
use crate::privacy;
use crate::store::now_ms;

/// The session, if the request carries a live one.
pub struct MaybeStaff(pub Option<Session>);

impl FromRequestParts<AppState> for MaybeStaff {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        if let Some(found) = parts.extensions.get::<Session>() {
            return Ok(MaybeStaff(Some(found.clone())));
        }
        let Some(token) = cookies::get(&parts.headers, cookies::SESSION) else {
            return Ok(MaybeStaff(None));
        };
        let session = sessions::find(&state.db, token, now_ms()).await?;
        if let Some(s) = &session {
            // Later extractors in the same request reuse it.
            parts.extensions.insert(s.clone());
        }
        Ok(MaybeStaff(session))
    }
}

/// Any signed-in staff member; others are sent to the login form.
pub struct Staff(pub Session);

impl FromRequestParts<AppState> for Staff {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        match MaybeStaff::from_request_parts(parts, state).await?.0 {
            Some(session) => Ok(Staff(session)),
            None => {
                // Inside a nested router `parts.uri` lacks the `/admin` prefix.
                let uri = parts
                    .extensions
                    .get::<OriginalUri>()
                    .map(|OriginalUri(u)| u)
                    .unwrap_or(&parts.uri);
                Err(AppError::LoginRequired {
                    next: uri
                        .path_and_query()
                        .map(|pq| pq.as_str().to_owned())
                        .unwrap_or_else(|| "/admin".into()),
                })
            }
        }
    }
}

/// A role, as a type, for [`RequireRole`].
pub trait NeededRole {
    const ROLE: Role;
}
pub struct Admin;
pub struct Editor;
pub struct Moderator;
impl NeededRole for Admin {
    const ROLE: Role = Role::Admin;
}
impl NeededRole for Editor {
    const ROLE: Role = Role::Editor;
}
impl NeededRole for Moderator {
    const ROLE: Role = Role::Moderator;
}

/// A staff member whose role covers `R` (admins cover every role).
pub struct RequireRole<R: NeededRole>(pub Session, PhantomData<R>);

impl<R: NeededRole> RequireRole<R> {
    pub fn session(&self) -> &Session {
        &self.0
    }
}

impl<R: NeededRole + Send + Sync> FromRequestParts<AppState> for RequireRole<R> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let Staff(session) = Staff::from_request_parts(parts, state).await?;
        if session.user.role.covers(R::ROLE) {
            Ok(RequireRole(session, PhantomData))
        } else {
            Err(AppError::Forbidden(format!(
                "This page is for the {} role; you are signed in as {}.",
                R::ROLE.as_str(),
                session.user.role.as_str()
            )))
        }
    }
}

fn client_ip(parts: &Parts, state: &AppState) -> String {
    let peer = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip());
    super::proxies::client(peer, &parts.headers, &state.trusted_proxies)
        .map(|ip| ip.to_string())
        .unwrap_or_else(|| "unknown".into())
}

/// The client's address and its keyed, day-scoped hash (see [`crate::privacy`]). Only the hash
/// is ever stored; the address is for comparing with address bans, which needs it hashed for
/// other days, and must never be stored or logged.
pub struct ClientAddress {
    pub ip: String,
    pub hash: String,
}

impl FromRequestParts<AppState> for ClientAddress {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let ip = client_ip(parts, state);
        let secret = privacy::server_secret(&state.db, "ip-hash").await?;
        let hash = privacy::ip_hash(&secret, &ip, now_ms());
        Ok(ClientAddress { ip, hash })
    }
}

/// Refuses a form whose token does not match the session's.
pub fn check_csrf(session: &Session, submitted: &str) -> Result<(), AppError> {
    if session.csrf_matches(submitted) {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "This form has expired or did not come from this site. Go back, reload the page and try again.".into(),
        ))
    }
}
