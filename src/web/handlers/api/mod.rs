//! `/api/v1`: JSON for reading an article's comments and posting one, described by the
//! OpenAPI document at `/api/v1/openapi.json`. Errors are JSON too:
//! `{"error": {"code": "…", "message": "…"}}` with the HTTP status telling the kind.

pub mod comments;
pub mod openapi;
