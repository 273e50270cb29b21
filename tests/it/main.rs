//! Integration tests: the real router and CLI on a fresh database per test, on SQLite or, with
//! `BROADSHEET_TEST_DATABASE_URL`, on PostgreSQL. Laid out like the product.
#![expect(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod api;
mod article_page;
mod bad_input;
mod cli;
mod comments;
mod common;
mod distribution;
mod editor;
mod forum;
mod home_and_lists;
mod import;
mod moderation;
mod newsletter;
mod page_cache;
mod permanent_urls;
mod roles;
mod schema;
mod search;
mod site_admin;
mod staff_login;
mod static_assets;
mod submissions;
