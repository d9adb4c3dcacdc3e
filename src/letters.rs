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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin_letters_are_alphabetic_and_not_numeric() {
        for c in '\u{C0}'..='\u{24F}' {
            assert_eq!(is_latin_letter(c), c.is_alphabetic(), "{c:?}");
            assert!(!c.is_numeric(), "{c:?}");
            assert_eq!(is_alphabetic(c), c.is_alphabetic(), "{c:?}");
            assert_eq!(is_alphanumeric(c), c.is_alphanumeric(), "{c:?}");
        }
        for c in ['a', 'Z', '7', ' ', '½', '٣', 'Ж', '中', '×', '÷', 'ÿ'] {
            assert_eq!(is_alphabetic(c), c.is_alphabetic(), "{c:?}");
            assert_eq!(is_alphanumeric(c), c.is_alphanumeric(), "{c:?}");
        }
    }
}
