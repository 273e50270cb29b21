//! Distribution: feeds, sitemaps and what search engines read on article pages.

pub mod feeds;
pub mod mail;
pub mod newsletter;
pub mod sitemaps;
