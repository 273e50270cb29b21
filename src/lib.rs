//! Broadsheet: a self-hosted news publishing platform.
//!
//! Organised by area of the product (see `../shared/DESIGN.md`): `content`, `accounts`,
//! `settings`; `store` is the database handle; `web` translates HTTP to calls into areas and
//! results back into pages; `cli` does the same for the command line.

pub mod accounts;
pub mod captcha;
pub mod cli;
pub mod config;
pub mod content;
pub mod demo;
pub mod discussion;
pub mod distribution;
pub mod jobs;
pub mod media;
pub mod privacy;
pub mod search;
pub mod settings;
pub mod store;
pub mod submissions;
pub mod web;
