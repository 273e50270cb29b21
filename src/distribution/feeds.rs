//! RSS 2.0 and Atom feeds, built with the `rss` and `atom_syndication` crates (never by hand).
//!
//! GUIDs are tag URIs made from the article's id (`tag:news.example,2026:article-42`), so an
//! entry keeps its identity when its slug or section changes.

use atom_syndication as atom;

use crate::content::articles::{self, Card};
use crate::content::dates;

/// What a feed is about.
pub struct FeedInfo<'a> {
    pub title: &'a str,
    pub description: &'a str,
    /// The page the feed follows, absolute.
    pub page_url: &'a str,
    /// The feed's own address, absolute, without the extension.
    pub self_url: &'a str,
    pub base_url: &'a str,
    pub language: &'a str,
    pub timezone: &'a str,
}

/// The host part of a base URL (`https://news.example:8443/` → `news.example`).
pub fn host(base_url: &str) -> &str {
    base_url
        .split("://")
        .nth(1)
        .unwrap_or(base_url)
        .split(['/', ':'])
        .next()
        .unwrap_or("localhost")
}

/// A stable identifier for an article.
pub fn guid(base_url: &str, article_id: i64) -> String {
    format!("tag:{},2026:article-{article_id}", host(base_url))
}

fn rfc2822(ms: i64, tz: &str) -> String {
    let zoned = jiff::Timestamp::from_millisecond(ms)
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
        .to_zoned_datetime(dates::zone(tz));
    zoned.strftime("%a, %d %b %Y %H:%M:%S %z").to_string()
}

fn rfc3339(ms: i64, tz: &str) -> Option<atom::FixedDateTime> {
    atom::FixedDateTime::parse_from_rfc3339(&dates::display(ms, &dates::zone(tz)).iso).ok()
}

fn url_of(base: &str, card: &Card) -> String {
    format!("{base}{}", articles::path(&card.section_slug, &card.slug))
}

/// RSS 2.0.
pub fn rss(info: &FeedInfo<'_>, items: &[Card]) -> String {
    let mut channel = rss::Channel {
        title: info.title.to_owned(),
        link: info.page_url.to_owned(),
        description: info.description.to_owned(),
        language: Some(info.language.to_owned()),
        generator: Some("Broadsheet".into()),
        ..rss::Channel::default()
    };
    channel.last_build_date = items
        .first()
        .map(|c| rfc2822(c.published_at, info.timezone));
    channel.items = items
        .iter()
        .map(|c| rss::Item {
            title: Some(c.title.clone()),
            link: Some(url_of(info.base_url, c)),
            description: (!c.summary.is_empty()).then(|| c.summary.clone()),
            guid: Some(rss::Guid {
                value: guid(info.base_url, c.id),
                permalink: false,
            }),
            pub_date: Some(rfc2822(c.published_at, info.timezone)),
            categories: vec![rss::Category {
                name: c.section_name.clone(),
                domain: None,
            }],
            ..rss::Item::default()
        })
        .collect();
    channel.to_string()
}

/// Atom 1.0.
pub fn atom(info: &FeedInfo<'_>, items: &[Card]) -> String {
    let updated = items
        .first()
        .and_then(|c| rfc3339(c.published_at, info.timezone))
        .or_else(|| rfc3339(0, "UTC"))
        .unwrap_or_default();
    let feed = atom::Feed {
        title: atom::Text::plain(info.title),
        id: format!("{}.atom", info.self_url),
        updated,
        subtitle: Some(atom::Text::plain(info.description)),
        links: vec![
            atom::Link {
                href: info.page_url.to_owned(),
                rel: "alternate".into(),
                mime_type: Some("text/html".into()),
                ..atom::Link::default()
            },
            atom::Link {
                href: format!("{}.atom", info.self_url),
                rel: "self".into(),
                mime_type: Some("application/atom+xml".into()),
                ..atom::Link::default()
            },
        ],
        lang: Some(info.language.to_owned()),
        entries: items
            .iter()
            .map(|c| {
                let when = rfc3339(c.published_at, info.timezone).unwrap_or(updated);
                atom::Entry {
                    title: atom::Text::plain(c.title.clone()),
                    id: guid(info.base_url, c.id),
                    updated: when,
                    published: Some(when),
                    authors: vec![atom::Person {
                        name: if c.byline.is_empty() {
                            info.title.to_owned()
                        } else {
                            c.byline.clone()
                        },
                        ..atom::Person::default()
                    }],
                    links: vec![atom::Link {
                        href: url_of(info.base_url, c),
                        rel: "alternate".into(),
                        mime_type: Some("text/html".into()),
                        ..atom::Link::default()
                    }],
                    categories: vec![atom::Category {
                        term: c.section_slug.clone(),
                        label: Some(c.section_name.clone()),
                        ..atom::Category::default()
                    }],
                    summary: (!c.summary.is_empty()).then(|| atom::Text::plain(c.summary.clone())),
                    ..atom::Entry::default()
                }
            })
            .collect(),
        ..atom::Feed::default()
    };
    feed.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card() -> Card {
        Card {
            id: 7,
            slug: "rail-opens".into(),
            title: "Rail <opens> & more".into(),
            summary: "Two cities".into(),
            source: "Wire".into(),
            byline: "Li Wei".into(),
            published_at: 1_425_470_400_000,
            comment_count: 0,
            section_slug: "world".into(),
            section_name: "World".into(),
        }
    }

    fn info() -> FeedInfo<'static> {
        FeedInfo {
            title: "Paper",
            description: "News",
            page_url: "https://news.example/",
            self_url: "https://news.example/feed",
            base_url: "https://news.example",
            language: "en",
            timezone: "Asia/Shanghai",
        }
    }

    #[test]
    fn rss_round_trips_with_escaping_and_zone() {
        let xml = rss(&info(), &[card()]);
        let channel = rss::Channel::read_from(xml.as_bytes()).unwrap();
        let item = &channel.items[0];
        assert_eq!(item.title.as_deref(), Some("Rail <opens> & more"));
        assert_eq!(
            item.link.as_deref(),
            Some("https://news.example/world/rail-opens")
        );
        assert_eq!(
            item.guid.as_ref().unwrap().value,
            "tag:news.example,2026:article-7"
        );
        assert_eq!(
            item.pub_date.as_deref(),
            Some("Wed, 04 Mar 2015 20:00:00 +0800")
        );
    }

    #[test]
    fn atom_round_trips() {
        let xml = atom(&info(), &[card()]);
        let feed = atom::Feed::read_from(xml.as_bytes()).unwrap();
        assert_eq!(feed.entries[0].title.value, "Rail <opens> & more");
        assert_eq!(feed.entries[0].id, "tag:news.example,2026:article-7");
        assert_eq!(
            feed.entries[0].updated.to_rfc3339(),
            "2015-03-04T20:00:00+08:00"
        );
        assert_eq!(feed.links[1].rel, "self");
    }
}
