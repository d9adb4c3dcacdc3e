//! Invisible format characters, and reading past them.
//!
//! Some sites put characters into their text that show nothing: a soft hyphen (U+00AD) inside a
//! long German word marks where a browser may break it, a zero-width space (U+200B) where it may
//! break a URL, a word joiner (U+2060) or a stray byte-order mark (U+FEFF) where it must not.
//! Every cue and every word count of the pipeline would see `Newsletter` with a soft hyphen in it
//! as two words, `News` and `letter`. So when (and only when) a text holds such a character,
//! the pipeline reads a copy without them ([`strip`]), and every span it finds is mapped back to
//! the text as given ([`Stripped::span_back`]) before anything is output.
//!
//! Taken out wherever they stand: the soft hyphen, the word joiner and the byte-order mark, which
//! never change how a text reads. Taken out only between characters of the scripts klartext's
//! cues are written for (below U+0590: Latin, Greek, Cyrillic, Armenian, with their marks) and
//! general punctuation, spaces or currency signs (U+2000 to U+20CF), or at either end of the
//! text: the zero-width space, non-joiner and joiner and the left-to-right and right-to-left
//! marks (U+200B to U+200F). Beside any other character they carry meaning and are kept: the
//! joiner builds emoji sequences (👩‍💻), the non-joiner is part of Persian spelling, the
//! zero-width space parts Thai words, the marks order right-to-left text.
//!
//! Text without any of these characters (the common case) costs one byte scan and no copy: the
//! characters begin with the bytes 0xC2, 0xE2 or 0xEF, found with memchr, and only there are the
//! bytes after looked at.

use crate::structure::Span;

/// Whether `c` is taken out wherever it stands.
fn is_always_removed(c: char) -> bool {
    matches!(c, '\u{AD}' | '\u{2060}' | '\u{FEFF}')
}

/// Whether a zero-width space, joiner, non-joiner or direction mark beside `c` is taken out:
/// `c` is of a script where they change nothing, or punctuation, a space or a currency sign.
fn is_plain(c: char) -> bool {
    (c as u32) < 0x0590 || matches!(c, '\u{2000}'..='\u{20CF}')
}

/// The byte length of the invisible character that starts at byte `at`, if one does.
fn invisible_at(bytes: &[u8], at: usize) -> Option<usize> {
    match bytes[at..] {
        // U+00AD
        [0xC2, 0xAD, ..] => Some(2),
        // U+200B to U+200F, U+2060
        [0xE2, 0x80, 0x8B..=0x8F, ..] | [0xE2, 0x81, 0xA0, ..] => Some(3),
        // U+FEFF
        [0xEF, 0xBB, 0xBF, ..] => Some(3),
        _ => None,
    }
}

/// The byte offset of the first invisible character at or after `from`.
fn next_invisible(bytes: &[u8], from: usize) -> Option<usize> {
    memchr::memchr3_iter(0xC2, 0xE2, 0xEF, &bytes[from..])
        .map(|at| from + at)
        .find(|&at| invisible_at(bytes, at).is_some())
}

/// A text without its invisible format characters, and where they stood.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stripped {
    /// The text without them: what the pipeline reads.
    pub text: String,
    /// Every byte offset of `text` where characters were taken out, with the bytes taken out
    /// there and before it in all; sorted, one entry per offset.
    removed: Vec<(usize, usize)>,
}

/// `text` without its invisible format characters, or `None` when it holds none that are taken
/// out (then the pipeline reads `text` itself).
pub fn strip(text: &str) -> Option<Stripped> {
    let bytes = text.as_bytes();
    let mut at = next_invisible(bytes, 0)?;
    let mut out = String::new();
    let mut removed: Vec<(usize, usize)> = Vec::new();
    let mut taken = 0;
    // Text up to here is in `out`.
    let mut kept_to = 0;
    loop {
        // A run of invisible characters, and the visible characters on either side of it.
        let mut end = at;
        while end < bytes.len() {
            match invisible_at(bytes, end) {
                Some(len) => end += len,
                None => break,
            }
        }
        let before = text[..at].chars().next_back();
        let after = text[end..].chars().next();
        let plain_around = before.is_none_or(is_plain) && after.is_none_or(is_plain);
        for (offset, c) in text[at..end].char_indices() {
            let start = at + offset;
            if !(is_always_removed(c) || plain_around) {
                continue;
            }
            if out.capacity() == 0 {
                out.reserve_exact(text.len());
            }
            out.push_str(&text[kept_to..start]);
            kept_to = start + c.len_utf8();
            taken += c.len_utf8();
            match removed.last_mut() {
                Some(last) if last.0 == out.len() => last.1 = taken,
                _ => removed.push((out.len(), taken)),
            }
        }
        match next_invisible(bytes, end) {
            Some(next) => at = next,
            None => break,
        }
    }
    if removed.is_empty() {
        return None;
    }
    out.push_str(&text[kept_to..]);
    debug_assert!(!out.chars().any(is_always_removed));
    Some(Stripped { text: out, removed })
}

impl Stripped {
    /// Bytes taken out before byte `at` of the stripped text: those at `at` itself too when
    /// `at_too`.
    fn taken_before(&self, at: usize, at_too: bool) -> usize {
        let n = self
            .removed
            .partition_point(|&(offset, _)| offset < at || at_too && offset == at);
        n.checked_sub(1).map_or(0, |last| self.removed[last].1)
    }

    /// The span of the original text that `span` of the stripped text stands for: from its first
    /// character to its last, with the invisible characters between them and none of those
    /// beside its ends. An empty span stays empty, after the characters taken out at its place.
    pub fn span_back(&self, span: Span) -> Span {
        let start = span.start + self.taken_before(span.start, true);
        let end = span.end + self.taken_before(span.end, false);
        Span::new(start, end.max(start))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether `c` is one of the invisible format characters looked for (taken out or not).
    fn is_invisible(c: char) -> bool {
        matches!(
            c,
            '\u{AD}' | '\u{200B}'..='\u{200F}' | '\u{2060}' | '\u{FEFF}'
        )
    }

    /// Every character kept, in order, at its offset: the stripped text is the original without
    /// what was taken out, and each of its characters maps back onto itself.
    fn assert_maps_back(text: &str, stripped: &Stripped) {
        for (at, c) in stripped.text.char_indices() {
            let back = stripped.span_back(Span::new(at, at + c.len_utf8()));
            assert_eq!(back.of(text), c.to_string(), "{text:?} at {at}");
        }
        let whole = stripped.span_back(Span::new(0, stripped.text.len()));
        let inside: String = whole
            .of(text)
            .chars()
            .filter(|c| !is_invisible(*c))
            .collect();
        let kept: String = stripped
            .text
            .chars()
            .filter(|c| !is_invisible(*c))
            .collect();
        assert_eq!(inside, kept);
    }

    #[test]
    fn what_is_taken_out_and_what_is_kept() {
        let cases = [
            // (text, stripped or None when nothing is taken out)
            ("Newsletter ohne Zeichen", None),
            ("„Anführung“ – ½ °C « » ‰ €", None),
            ("News\u{AD}let\u{AD}ter", Some("Newsletter")),
            ("\u{FEFF}Titel\nText\u{2060}", Some("Titel\nText")),
            ("Jetzt\u{200B}abon\u{200C}nieren", Some("Jetztabonnieren")),
            ("ein\u{200E} Wort\u{200F}.", Some("ein Wort.")),
            ("\u{200B}\u{200D}x\u{200B}", Some("x")),
            ("Auf\u{200C}lage, 5\u{200B}€", Some("Auflage, 5€")),
            // Beside other scripts, the joiners, zero-width space and marks carry meaning.
            ("Team 👩\u{200D}💻 heute", None),
            ("Flagge 🏳\u{FE0F}\u{200D}🌈", None),
            ("می\u{200C}خواهم", None),
            ("ภาษา\u{200B}ไทย", None),
            ("שלום\u{200F} a", None),
            // Soft hyphens go everywhere; the joiner beside the emoji stays.
            ("ภา\u{AD}ษา 👩\u{200D}\u{AD}💻", Some("ภาษา 👩\u{200D}💻")),
        ];
        for (text, expected) in cases {
            let stripped = strip(text);
            assert_eq!(
                stripped.as_ref().map(|s| s.text.as_str()),
                expected,
                "{text:?}"
            );
            if let Some(stripped) = stripped {
                assert_maps_back(text, &stripped);
            }
        }
    }

    #[test]
    fn spans_map_back_around_the_characters_taken_out() {
        // "ab" SHY "cd" ZWSP " " "ef" SHY
        let text = "ab\u{AD}cd\u{200B} ef\u{AD}";
        let stripped = strip(text).unwrap();
        assert_eq!(stripped.text, "abcd ef");
        let back = |start, end| stripped.span_back(Span::new(start, end)).of(text);
        // A span over a character taken out holds it.
        assert_eq!(back(0, 4), "ab\u{AD}cd");
        assert_eq!(back(1, 3), "b\u{AD}c");
        // One that ends or starts right beside it does not.
        assert_eq!(back(0, 2), "ab");
        assert_eq!(back(2, 4), "cd");
        assert_eq!(back(2, 7), "cd\u{200B} ef");
        assert_eq!(back(5, 7), "ef");
        // Empty spans stay empty, after what was taken out at their place.
        assert_eq!(stripped.span_back(Span::new(2, 2)), Span::new(4, 4));
        assert_eq!(stripped.span_back(Span::new(7, 7)), Span::new(14, 14));
        assert_eq!(stripped.span_back(Span::new(0, 0)), Span::new(0, 0));
    }

    /// What the pipeline outputs points into the text given: an ad with a soft hyphen and a
    /// byte-order mark inside it and zero-width spaces right before and after it is the passage
    /// from its first visible character to its last, with the characters inside it.
    #[test]
    fn an_article_is_cleaned_as_without_them_and_its_spans_point_into_it() {
        let rules = crate::RuleSet::builtin();
        let plain = "Stadt baut neue Brücke\n\
                     Die Stadt baut eine neue Brücke über den Fluss. Die Arbeiten beginnen im Mai.\n\
                     Unser Newsletter liefert Ihnen jeden Morgen die wichtigsten Nachrichten. Jetzt kostenlos abonnieren\n\
                     Die Kosten liegen bei zwölf Millionen Euro.\n";
        let text = plain
            .replace("Unser News", "\u{200B}Unser \u{FEFF}News")
            .replace("letter", "\u{AD}letter")
            .replace("abonnieren\n", "abonnieren\u{200B}\n")
            .replace("Die Kosten", "\u{200B}Die Kos\u{AD}ten");
        let expected = crate::clean(plain, &rules);
        let article = crate::clean(&text, &rules);
        assert_eq!(article.clean_text, expected.clean_text);
        assert_eq!(article.ads.len(), 1);
        assert_eq!(
            article.ads[0].span.of(&text),
            "Unser \u{FEFF}News\u{AD}letter liefert Ihnen jeden Morgen die wichtigsten \
             Nachrichten. Jetzt kostenlos abonnieren"
        );
        let last = article.sentences.last().unwrap();
        assert_eq!(
            last.span.of(&text),
            "Die Kos\u{AD}ten liegen bei zwölf Millionen Euro."
        );
        // The metadata counts characters of the text given.
        let meta = crate::output::Metadata::new("x", &text, &article);
        let chars: Vec<char> = text.chars().collect();
        let cut: String = chars[meta.ads[0].start..meta.ads[0].end].iter().collect();
        assert_eq!(cut, meta.ads[0].text);
        assert_eq!(meta.counts.chars_in, chars.len());
    }

    #[test]
    fn a_long_run_of_invisible_characters_is_stripped_in_one_pass() {
        let text = format!("a{}b", "\u{200B}\u{AD}".repeat(200_000));
        let stripped = strip(&text).unwrap();
        assert_eq!(stripped.text, "ab");
        assert_eq!(
            stripped.span_back(Span::new(0, 2)),
            Span::new(0, text.len())
        );
        assert_eq!(stripped.span_back(Span::new(1, 2)).of(&text), "b");
    }
}
