//! Reader comments under articles.

pub mod accept;
pub mod permalink;
pub mod post;
pub mod report;
