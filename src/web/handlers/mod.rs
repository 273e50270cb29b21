//! Handlers, one file per page or action: extract, call the area, render.

pub mod admin;
pub mod api;
pub mod article;
pub mod captcha;
pub mod comments;
pub mod editor;
pub mod feeds;
pub mod forum;
pub mod home;
pub mod media;
pub mod moderation;
pub mod newsletter;
pub mod search;
pub mod section;
pub mod sitemaps;
pub mod submissions;
pub mod tag;

/// Articles per page of a section or tag list.
pub const PAGE_SIZE: i64 = 20;

/// A list page's neighbours, for the pager.
#[derive(Debug, serde::Serialize)]
pub struct Pager {
    pub page: i64,
    pub prev: Option<i64>,
    pub next: Option<i64>,
}

/// Trims a `PAGE_SIZE + 1` fetch to one page and says whether more follow.
pub fn paginate<T>(mut items: Vec<T>, page: i64) -> (Vec<T>, Pager) {
    let has_next = items.len() as i64 > PAGE_SIZE;
    items.truncate(PAGE_SIZE as usize);
    let pager = Pager {
        page,
        prev: (page > 1).then_some(page - 1),
        next: has_next.then_some(page + 1),
    };
    (items, pager)
}

/// The offset of a page, saturating so that absurd page numbers simply find nothing.
pub fn offset(page: i64) -> i64 {
    (page - 1).saturating_mul(PAGE_SIZE)
}
