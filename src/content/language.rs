//! Which language a piece of text is in, as far as pages need to know: a Chinese headline on an
//! English site should carry `lang="zh"` so that screen readers pronounce it and browsers pick
//! the right fonts and line breaking.

/// Whether a character is a Chinese (Han) ideograph.
pub fn is_han(c: char) -> bool {
    matches!(c,
        '\u{4E00}'..='\u{9FFF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{2A6DF}')
}

/// `Some("zh")` when at least half of the letters are Han characters.
pub fn guess(text: &str) -> Option<&'static str> {
    let (mut letters, mut han) = (0usize, 0usize);
    for c in text.chars().filter(|c| c.is_alphabetic()) {
        letters += 1;
        if is_han(c) {
            han += 1;
        }
    }
    (letters > 0 && han * 2 >= letters).then_some("zh")
}

#[cfg(test)]
mod tests {
    use super::guess;

    #[test]
    fn tells_chinese_from_english() {
        assert_eq!(guess("外交部：欢迎各方加强对话"), Some("zh"));
        assert_eq!(guess("习近平 meets delegates"), None);
        assert_eq!(guess("Rail link opens"), None);
        assert_eq!(guess("2026"), None);
    }
}
