//! Reader text to HTML: escaped text, paragraphs and line breaks, and links made clickable.
//!
//! No HTML from readers is ever interpreted. The text is escaped piece by piece, addresses that
//! `linkify` finds become `<a rel="nofollow ugc noopener">` links, and the result still passes
//! through ammonia with a tiny allow-list, so that a mistake here cannot become a hole.

use std::collections::HashSet;

use linkify::{LinkFinder, LinkKind};
use minijinja::HtmlEscape;

fn escape(text: &str) -> String {
    HtmlEscape(text).to_string()
}

fn paragraph(text: &str, finder: &LinkFinder) -> String {
    let mut out = String::new();
    for span in finder.spans(text) {
        let piece = span.as_str();
        match span.kind() {
            Some(LinkKind::Url)
                if piece.starts_with("http://") || piece.starts_with("https://") =>
            {
                out.push_str(&format!(
                    "<a href=\"{}\">{}</a>",
                    escape(piece),
                    escape(piece)
                ));
            }
            _ => out.push_str(&escape(piece).replace('\n', "<br>\n")),
        }
    }
    out
}

/// Renders a reader's comment as safe HTML.
pub fn comment_html(text: &str) -> String {
    let mut finder = LinkFinder::new();
    finder.kinds(&[LinkKind::Url]);
    let text = text.replace("\r\n", "\n");
    let html: String = text
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| format!("<p>{}</p>\n", paragraph(p, &finder)))
        .collect();
    ammonia::Builder::empty()
        .tags(HashSet::from(["p", "br", "a"]))
        .tag_attributes(std::collections::HashMap::from([(
            "a",
            HashSet::from(["href"]),
        )]))
        .url_schemes(HashSet::from(["http", "https"]))
        .link_rel(Some("nofollow ugc noopener"))
        .clean(&html)
        .to_string()
}

/// The addresses in a text, as the screening counts them.
pub fn count_links(text: &str) -> usize {
    let mut finder = LinkFinder::new();
    finder.kinds(&[LinkKind::Url]);
    finder.url_must_have_scheme(false);
    finder.links(text).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_from_readers_is_shown_not_run() {
        let html = comment_html("<script>alert(1)</script> <b>bold</b> & \"quoted\"");
        assert!(!html.contains("<script>"), "{html}");
        assert!(!html.contains("<b>"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(html.contains("&amp;"), "{html}");
    }

    #[test]
    fn links_are_clickable_and_marked_as_user_content() {
        let html = comment_html("See https://example.org/a?b=1&c=2 for more.");
        assert!(
            html.contains(r#"<a href="https://example.org/a?b=1&amp;c=2" rel="nofollow ugc noopener">https://example.org/a?b=1&amp;c=2</a>"#),
            "{html}"
        );
    }

    #[test]
    fn dangerous_schemes_never_become_links() {
        let html = comment_html("javascript:alert(1) data:text/html,<x> vbscript:x");
        assert!(!html.contains("<a"), "{html}");
    }

    #[test]
    fn paragraphs_and_line_breaks() {
        let html = comment_html("First line\nsecond line\n\nNew paragraph");
        assert_eq!(
            html,
            "<p>First line<br>\nsecond line</p>\n<p>New paragraph</p>\n"
        );
    }

    #[test]
    fn chinese_text_is_kept() {
        assert_eq!(comment_html("支持！说得好。"), "<p>支持！说得好。</p>\n");
    }

    #[test]
    fn counts_links_with_and_without_scheme() {
        assert_eq!(count_links("a https://x.org b www.example.com c"), 2);
        assert_eq!(count_links("no links here"), 0);
    }
}
