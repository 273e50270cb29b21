//! Staff-written Markdown to safe HTML.
//!
//! Even trusted staff input is sanitised with ammonia after rendering: an editor's pasted
//! embed code or a compromised account must not be able to put script on a reader's page.

use pulldown_cmark::{Options, Parser, html};

/// Renders Markdown and sanitises the result.
pub fn render(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION;
    let mut unsafe_html = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut unsafe_html, Parser::new_ext(markdown, options));
    ammonia::Builder::default()
        .link_rel(Some("noopener noreferrer"))
        .add_tag_attributes("img", &["loading"])
        .clean(&unsafe_html)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::render;

    #[test]
    fn renders_common_markdown() {
        let html = render("# Title\n\nSome *emphasis* and a [link](https://example.org).");
        assert!(html.contains("<h1>Title</h1>"), "{html}");
        assert!(html.contains("<em>emphasis</em>"), "{html}");
        assert!(
            html.contains(r#"<a href="https://example.org" rel="noopener noreferrer">link</a>"#),
            "{html}"
        );
    }

    #[test]
    fn strips_script_and_event_handlers() {
        let html = render(
            "Hello <script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n<a href=\"javascript:alert(3)\">x</a>",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
    }

    #[test]
    fn keeps_tables_and_chinese_text() {
        let html = render("| 城市 | 人口 |\n|---|---|\n| 北京 | 2100万 |");
        assert!(html.contains("<table>"), "{html}");
        assert!(html.contains("北京"), "{html}");
    }
}
