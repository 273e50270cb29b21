//! Slugs: the readable, permanent part of a URL.
//!
//! Letters and digits of any script are kept (a Chinese headline gives a Chinese slug, which
//! browsers show readably and percent-encode on the wire); everything else becomes a single
//! hyphen. Latin letters are lower-cased.

/// The longest slug we generate, in characters; headlines can be long, URLs should not be.
pub const MAX_CHARS: usize = 80;

/// Makes a slug from free text. Returns an empty string when the text has no letters or digits.
pub fn slugify(text: &str) -> String {
    let mut out = String::new();
    let mut pending_hyphen = false;
    let mut count = 0;
    for ch in text.chars() {
        if ch.is_alphanumeric() {
            if pending_hyphen && !out.is_empty() {
                out.push('-');
                count += 1;
            }
            pending_hyphen = false;
            for lower in ch.to_lowercase() {
                out.push(lower);
            }
            count += 1;
            if count >= MAX_CHARS {
                break;
            }
        } else if ch == '\'' || ch == '’' {
            // "China's" reads better as "chinas" than as "china-s".
        } else {
            pending_hyphen = true;
        }
    }
    out
}

/// Whether `slug` is already in the form [`slugify`] produces, so it can be used in a URL as-is.
pub fn is_valid(slug: &str) -> bool {
    !slug.is_empty()
        && slug.chars().count() <= MAX_CHARS * 2
        && !slug.starts_with('-')
        && !slug.ends_with('-')
        && !slug.contains("--")
        && slug
            .chars()
            .all(|c| c == '-' || (c.is_alphanumeric() && c.to_lowercase().eq([c])))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn english_headlines() {
        assert_eq!(
            slugify("Rail Link Opens: 3 Cities, 1 Line!"),
            "rail-link-opens-3-cities-1-line"
        );
        assert_eq!(slugify("  China's new plan  "), "chinas-new-plan");
        assert_eq!(slugify("--- ..."), "");
    }

    #[test]
    fn chinese_headlines_keep_their_characters() {
        assert_eq!(
            slugify("外交部：欢迎 2026 年对话"),
            "外交部-欢迎-2026-年对话"
        );
    }

    #[test]
    fn accented_letters_are_kept_and_lowered() {
        assert_eq!(slugify("Café Über Élan"), "café-über-élan");
    }

    #[test]
    fn long_headlines_are_cut() {
        let long = "word ".repeat(100);
        assert!(slugify(&long).chars().count() <= MAX_CHARS + 1);
    }

    #[test]
    fn validity() {
        assert!(is_valid("rail-link-opens"));
        assert!(is_valid("外交部-欢迎"));
        assert!(!is_valid("Rail"));
        assert!(!is_valid("a--b"));
        assert!(!is_valid("-a"));
        assert!(!is_valid("a/b"));
        assert!(!is_valid(""));
    }

    proptest! {
        #[test]
        fn slugify_output_is_always_valid_or_empty(text in "\\PC{0,120}") {
            let slug = slugify(&text);
            prop_assert!(slug.is_empty() || is_valid(&slug), "{slug:?}");
        }
    }
}
