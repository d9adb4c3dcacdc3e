//! Telling letters beyond ASCII quickly.
//!
//! `char::is_alphabetic` answers ASCII at once but looks every other character up in Unicode
//! tables (a search of some 40 instructions), and the passes over every word of an article
//! (fingerprints, the word table, the stopword scan, the typography check) meet such a letter
//! in nearly every German, French or Spanish word: ä, é, ñ, ß. All of them are Latin letters of
//! U+00C0 to U+024F, every one of which is alphabetic and none numeric but × and ÷ (a test
//! checks every character of the range), so they are told by their range first.

/// Whether `c` is one of the Latin letters beyond ASCII (U+00C0 to U+024F but × and ÷):
/// alphabetic, alphanumeric and not numeric.
#[inline]
pub(crate) fn is_latin_letter(c: char) -> bool {
    matches!(c, '\u{C0}'..='\u{24F}') && c != '×' && c != '÷'
}

/// `c.is_alphabetic()`, with [`is_latin_letter`] first.
#[inline]
pub(crate) fn is_alphabetic(c: char) -> bool {
    is_latin_letter(c) || c.is_alphabetic()
}

/// `c.is_alphanumeric()`, with [`is_latin_letter`] first.
#[inline]
pub(crate) fn is_alphanumeric(c: char) -> bool {
    is_latin_letter(c) || c.is_alphanumeric()
}

/// Appends `c` lower-cased letter by letter (`char::to_lowercase`) to `out`. ASCII and the
/// Latin-1 letters (U+00C0 to U+00FF: the capitals but × map to the letter 0x20 above them,
/// the small letters and ß to themselves, each in as many bytes) are mapped without the
/// case tables; a test checks them all against `char::to_lowercase`.
#[inline]
pub(crate) fn push_lowercase(out: &mut String, c: char) {
    match c {
        'A'..='Z' | '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{DE}' => {
            out.push(char::from_u32(c as u32 + 0x20).expect("a letter 0x20 above"))
        }
        '\0'..='\u{7F}' | '\u{D7}' | '\u{DF}'..='\u{FF}' => out.push(c),
        _ => out.extend(c.to_lowercase()),
    }
}

/// `c`'s lowercase when it is one character (`char::to_lowercase` gives one), else `None`;
/// Latin-1 letters without the case tables, as in [`push_lowercase`].
#[inline]
pub(crate) fn single_lowercase(c: char) -> Option<char> {
    match c {
        'A'..='Z' | '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{DE}' => char::from_u32(c as u32 + 0x20),
        '\0'..='\u{7F}' | '\u{D7}' | '\u{DF}'..='\u{FF}' => Some(c),
        _ => {
            let mut lower = c.to_lowercase();
            match (lower.next(), lower.next()) {
                (Some(l), None) => Some(l),
                _ => None,
            }
        }
    }
}

/// `text` lower-cased letter by letter (as `text.chars().flat_map(char::to_lowercase)`),
/// appended to `out`.
pub(crate) fn extend_lowercase(out: &mut String, text: &str) {
    for c in text.chars() {
        push_lowercase(out, c);
    }
}

/// `word`, a run of letters, lower-cased into `out` when it has an uppercase letter (as
/// `word.chars().flat_map(char::to_lowercase)`; ASCII words without the case tables), else
/// `word` as it stands: the key of a word list of lowercase words. Always inlined: the stopword
/// passes call it for every word, and as a call it cost 1.2 instructions per byte of input.
#[inline(always)]
pub(crate) fn lowercase_word<'a>(word: &'a str, out: &'a mut String) -> &'a str {
    if word.bytes().all(|b| b.is_ascii_lowercase()) {
        word
    } else if word.is_ascii() {
        out.clear();
        out.push_str(word);
        out.make_ascii_lowercase();
        out
    } else if word.chars().any(char::is_uppercase) {
        out.clear();
        extend_lowercase(out, word);
        out
    } else {
        word
    }
}

/// Lower-cases the characters beyond ASCII of `text[range]`, whose ASCII is lower-cased
/// already, in place while the lowercase of each is one character of as many bytes (nearly
/// always); `false` at the first that is not (the rest of the range is then left as it was).
pub(crate) fn lowercase_in_place(text: &mut String, range: std::ops::Range<usize>) -> bool {
    let mut at = range.start;
    while let Some(k) = first_non_ascii(&text.as_bytes()[at..range.end]) {
        at += k;
        let c = text[at..].chars().next().expect("a character starts here");
        let Some(l) = single_lowercase(c) else {
            return false;
        };
        if l.len_utf8() != c.len_utf8() {
            return false;
        }
        if l != c {
            text.replace_range(at..at + c.len_utf8(), l.encode_utf8(&mut [0; 4]));
        }
        at += c.len_utf8();
    }
    true
}

/// Where the first byte beyond ASCII of `bytes` stands: eight bytes at a time while they are
/// all ASCII (most of a Latin text), then byte by byte.
#[inline]
pub(crate) fn first_non_ascii(bytes: &[u8]) -> Option<usize> {
    let mut chunks = bytes.chunks_exact(8);
    let mut at = 0;
    for chunk in &mut chunks {
        let word = u64::from_ne_bytes(chunk.try_into().expect("eight bytes"));
        if word & 0x8080_8080_8080_8080 != 0 {
            break;
        }
        at += 8;
    }
    bytes[at..]
        .iter()
        .position(|b| !b.is_ascii())
        .map(|k| at + k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_byte_beyond_ascii_is_found() {
        let text = "abcdefghijklmnopqrstuvwxyzäbcdefghijk€";
        for start in 0..text.len() {
            let bytes = &text.as_bytes()[start..];
            assert_eq!(
                first_non_ascii(bytes),
                bytes.iter().position(|b| !b.is_ascii()),
                "{start}"
            );
        }
    }

    #[test]
    fn latin_letters_are_alphabetic_and_not_numeric() {
        for c in '\u{C0}'..='\u{24F}' {
            assert_eq!(is_latin_letter(c), c.is_alphabetic(), "{c:?}");
            assert!(!c.is_numeric(), "{c:?}");
            assert_eq!(is_alphabetic(c), c.is_alphabetic(), "{c:?}");
            assert_eq!(is_alphanumeric(c), c.is_alphanumeric(), "{c:?}");
        }
        for c in [
            'a', 'Z', '7', ' ', '½', '٣', 'Ж', '中', '×', '÷', 'ÿ', 'Σ', 'İ',
        ] {
            assert_eq!(is_alphabetic(c), c.is_alphabetic(), "{c:?}");
            assert_eq!(is_alphanumeric(c), c.is_alphanumeric(), "{c:?}");
        }
    }

    #[test]
    fn lowercasing_agrees_with_the_case_tables() {
        let sample = ['Σ', 'İ', 'Ж', 'Ā', 'ẞ', '中', '½'];
        for c in ('\0'..='\u{2FF}').chain(sample) {
            let mut out = String::new();
            push_lowercase(&mut out, c);
            assert_eq!(out, c.to_lowercase().collect::<String>(), "{c:?}");
            let single = Some(c.to_lowercase()).filter(|l| l.len() == 1);
            assert_eq!(
                single_lowercase(c),
                single.and_then(|mut l| l.next()),
                "{c:?}"
            );
        }
        let mut out = String::from("x");
        extend_lowercase(&mut out, "ÄÖÜ Straße ÉTÉ ΣΑΣ İ");
        let expected: String = "ÄÖÜ Straße ÉTÉ ΣΑΣ İ"
            .chars()
            .flat_map(char::to_lowercase)
            .collect();
        assert_eq!(out, format!("x{expected}"));
    }
}
