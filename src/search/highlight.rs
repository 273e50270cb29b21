//! Showing why a result matched: the query's words marked in the headline and a snippet.
//! Every piece of text is escaped; only our own `<mark>` tags are added.

use minijinja::HtmlEscape;

use super::is_han;

fn lower(c: char) -> char {
    c.to_lowercase().next().unwrap_or(c)
}

/// The char ranges of `text` where a term occurs (whole words for Latin terms).
fn matches(chars: &[char], terms: &[String]) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let mut best = 0;
        for term in terms {
            let t: Vec<char> = term.chars().collect();
            if t.is_empty() || i + t.len() > chars.len() {
                continue;
            }
            let same = chars[i..i + t.len()]
                .iter()
                .zip(&t)
                .all(|(a, b)| lower(*a) == *b);
            if !same {
                continue;
            }
            let latin = !t.iter().any(|c| is_han(*c));
            let before_ok = i == 0 || !chars[i - 1].is_alphanumeric();
            let after_ok = i + t.len() == chars.len() || !chars[i + t.len()].is_alphanumeric();
            if latin && !(before_ok && after_ok) {
                continue;
            }
            best = best.max(t.len());
        }
        if best > 0 {
            found.push((i, i + best));
            i += best;
        } else {
            i += 1;
        }
    }
    found
}

/// `text` as HTML with the terms in `<mark>`.
pub fn mark(text: &str, terms: &[String]) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::new();
    let mut at = 0;
    for (start, end) in matches(&chars, terms) {
        out.push_str(&HtmlEscape(&chars[at..start].iter().collect::<String>()).to_string());
        out.push_str("<mark>");
        out.push_str(&HtmlEscape(&chars[start..end].iter().collect::<String>()).to_string());
        out.push_str("</mark>");
        at = end;
    }
    out.push_str(&HtmlEscape(&chars[at..].iter().collect::<String>()).to_string());
    out
}

/// About `width` characters of `text` around its first match, marked.
pub fn snippet(text: &str, terms: &[String], width: usize) -> String {
    let chars: Vec<char> = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .collect();
    let first = matches(&chars, terms).first().map(|m| m.0).unwrap_or(0);
    let start = first.saturating_sub(width / 3);
    let end = (start + width).min(chars.len());
    let piece: String = chars[start..end].iter().collect();
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    out.push_str(&mark(&piece, terms));
    if end < chars.len() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn marks_whole_words_and_chinese_phrases_and_escapes_the_rest() {
        assert_eq!(
            mark("Rail <link> railway", &t(&["rail"])),
            "<mark>Rail</mark> &lt;link&gt; railway"
        );
        assert_eq!(
            mark("外交部发言人", &t(&["外交", "交部"])),
            "<mark>外交</mark><mark>部</mark>发言人".replace("<mark>部</mark>", "部")
        );
        assert_eq!(mark("a & b", &t(&["b"])), "a &amp; <mark>b</mark>");
    }

    #[test]
    fn snippets_centre_on_the_first_match() {
        let text = format!("{} rail {}", "word ".repeat(100), "more ".repeat(100));
        let s = snippet(&text, &t(&["rail"]), 60);
        assert!(s.starts_with('…') && s.ends_with('…'), "{s}");
        assert!(s.contains("<mark>rail</mark>"), "{s}");
    }
}
