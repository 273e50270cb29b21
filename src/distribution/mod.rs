//! Distribution: feeds, sitemaps and what search engines read on article pages.

pub mod feeds;
pub mod sitemaps;
