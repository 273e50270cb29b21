//! Reader comments under articles.

pub mod permalink;
pub mod post;
pub mod report;
