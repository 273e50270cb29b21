//! `GET /api/v1/openapi.json`: the API described in OpenAPI 3.1.

use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};

use crate::web::AppState;

fn error_response(description: &str) -> Value {
    json!({
        "description": description,
        "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } }
    })
}

/// The document, with the site's own address as the server.
pub fn document(base_url: &str) -> Value {
    let article_params = json!([
        { "name": "section", "in": "path", "required": true, "schema": { "type": "string" },
          "description": "The section's slug, as in the article's URL." },
        { "name": "slug", "in": "path", "required": true, "schema": { "type": "string" },
          "description": "The article's slug, as in its URL." }
    ]);
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Broadsheet reader API",
            "version": "1.0.0",
            "description": "Read an article's comments and post one. Posting needs the same \
                            CAPTCHA as the page: solve the proof-of-work challenge from \
                            /api/v1/captcha/challenge (ALTCHA protocol) and send its payload as \
                            `altcha`. Every comment passes the site's screening and moderation."
        },
        "servers": [ { "url": format!("{base_url}/api/v1") } ],
        "paths": {
            "/articles/{section}/{slug}/comments": {
                "parameters": article_params,
                "get": {
                    "operationId": "listComments",
                    "summary": "One page of an article's comments",
                    "parameters": [
                        { "name": "page", "in": "query", "required": false,
                          "schema": { "type": "integer", "minimum": 1, "default": 1 } }
                    ],
                    "responses": {
                        "200": {
                            "description": "Top-level comments newest first, each followed by its replies.",
                            "content": { "application/json": { "schema": { "$ref": "#/components/schemas/CommentPage" } } }
                        },
                        "400": error_response("The page number is not a whole number from 1."),
                        "404": error_response("No published article has that address.")
                    }
                },
                "post": {
                    "operationId": "postComment",
                    "summary": "Post a comment (screened; may be held for moderation)",
                    "requestBody": {
                        "required": true,
                        "content": { "application/json": { "schema": { "$ref": "#/components/schemas/NewComment" } } }
                    },
                    "responses": {
                        "201": {
                            "description": "Accepted: published at once, or held for a moderator.",
                            "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Created" } } }
                        },
                        "400": error_response("The body is not valid JSON for a comment, or the reply is to a comment elsewhere."),
                        "404": error_response("No published article has that address."),
                        "422": error_response("Refused: the CAPTCHA failed (`captcha_failed`) or the screening refused the comment (`refused`); the message says why.")
                    }
                }
            },
            "/captcha/challenge": {
                "get": {
                    "operationId": "captchaChallenge",
                    "summary": "A proof-of-work challenge (ALTCHA protocol)",
                    "responses": {
                        "200": {
                            "description": "Find `number` ≤ `maxnumber` with SHA-256(salt + number) = challenge.",
                            "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Challenge" } } }
                        }
                    }
                }
            }
        },
        "components": {
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["error"],
                    "properties": {
                        "error": {
                            "type": "object",
                            "required": ["code", "message"],
                            "properties": {
                                "code": { "type": "string", "description": "Stable, snake_case." },
                                "message": { "type": "string", "description": "For people." }
                            }
                        }
                    }
                },
                "Comment": {
                    "type": "object",
                    "required": ["id", "depth", "removed", "created_at", "url"],
                    "properties": {
                        "id": { "type": "integer" },
                        "parent_id": { "type": ["integer", "null"] },
                        "depth": { "type": "integer", "minimum": 0 },
                        "author_name": { "type": ["string", "null"], "description": "Null for a removed comment." },
                        "body_html": { "type": ["string", "null"], "description": "Escaped text with safe links; null when removed." },
                        "removed": { "type": "boolean" },
                        "removed_reason": { "type": ["string", "null"], "enum": ["racist", "abusive", "off-topic", "spam", "other", null] },
                        "created_at": { "type": "string", "format": "date-time" },
                        "url": { "type": "string", "format": "uri" }
                    }
                },
                "CommentPage": {
                    "type": "object",
                    "required": ["article", "page", "has_more", "comments"],
                    "properties": {
                        "article": {
                            "type": "object",
                            "required": ["title", "url", "comment_count"],
                            "properties": {
                                "title": { "type": "string" },
                                "url": { "type": "string", "format": "uri" },
                                "comment_count": { "type": "integer", "minimum": 0 }
                            }
                        },
                        "page": { "type": "integer", "minimum": 1 },
                        "has_more": { "type": "boolean" },
                        "comments": { "type": "array", "items": { "$ref": "#/components/schemas/Comment" } }
                    }
                },
                "NewComment": {
                    "type": "object",
                    "required": ["name", "body"],
                    "additionalProperties": false,
                    "properties": {
                        "name": { "type": "string", "maxLength": 60 },
                        "body": { "type": "string", "maxLength": 5000 },
                        "email": { "type": ["string", "null"], "format": "email", "description": "Never shown." },
                        "parent_id": { "type": ["integer", "null"] },
                        "altcha": { "type": ["string", "null"], "description": "Base64 JSON of the solved challenge." },
                        "captcha_token": { "type": ["string", "null"] },
                        "captcha_answer": { "type": ["string", "null"] }
                    }
                },
                "Created": {
                    "type": "object",
                    "required": ["id", "status", "url"],
                    "properties": {
                        "id": { "type": "integer" },
                        "status": { "type": "string", "enum": ["published", "held"] },
                        "url": { "type": "string", "format": "uri" }
                    }
                },
                "Challenge": {
                    "type": "object",
                    "required": ["algorithm", "challenge", "maxnumber", "salt", "signature"],
                    "properties": {
                        "algorithm": { "type": "string", "const": "SHA-256" },
                        "challenge": { "type": "string" },
                        "maxnumber": { "type": "integer" },
                        "salt": { "type": "string" },
                        "signature": { "type": "string" }
                    }
                }
            }
        }
    })
}

pub async fn show(State(state): State<AppState>) -> Json<Value> {
    Json(document(&state.base_url))
}
