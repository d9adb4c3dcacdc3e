//! Sentences: boundaries inside one block.
//!
//! A boundary candidate is a run of final punctuation (`.`, `!`, `?`, `…`) followed by closing
//! quotes or brackets and then white space. The candidate is kept unless what stands around it
//! says otherwise: a lowercase word after it, an abbreviation or initial before a period (the
//! lists are data in `rules/<lang>.abbreviations.txt`), or, in languages that write ordinals with a
//! period (German), a small number before a period that is followed by a month or a noun.
//! Only those places are inspected, so the splitter runs in one pass over the bytes.

use crate::rules::RuleSet;
use crate::structure::{BlockKind, Span, Structure};

/// One sentence of the article body and the block it stands in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sentence {
    pub span: Span,
    /// Index into [`Structure::blocks`].
    pub block: usize,
}

/// The index after the last sentence of the block that sentence `start` stands in.
pub fn block_end(sentences: &[Sentence], start: usize) -> usize {
    let block = sentences[start].block;
    (start..sentences.len())
        .find(|&k| sentences[k].block != block)
        .unwrap_or(sentences.len())
}

/// Every sentence of every block but the title, in order.
pub fn segment(
    text: &str,
    structure: &Structure,
    language: &str,
    rules: &RuleSet,
) -> Vec<Sentence> {
    let mut out = Vec::new();
    for (index, block) in structure.blocks.iter().enumerate() {
        if block.kind == BlockKind::Title {
            continue;
        }
        out.extend(
            split(text, block.span, language, rules)
                .into_iter()
                .map(|span| Sentence { span, block: index }),
        );
    }
    out
}

/// Languages that write ordinal numbers with a period ("am 1. August", "2. Bundesliga").
const ORDINAL_DOT_LANGUAGES: &[&str] = &[
    "de", "da", "no", "nb", "fi", "cs", "sk", "pl", "hu", "et", "lv", "sl", "hr", "sr", "is",
];

/// Quotes and brackets that may close a sentence after its final punctuation.
fn is_closing(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '”' | '“' | '’' | '‘' | '»' | '«' | ')' | ']' | '›' | '‹'
    )
}

fn is_terminator(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '…' | '‼' | '⁇' | '⁈' | '⁉')
}

/// Opening quotes and brackets that may stand before the first word of a sentence or token.
fn is_opening(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '„' | '“' | '‚' | '‘' | '»' | '«' | '(' | '[' | '›' | '‹' | '¿' | '¡'
    )
}

/// Splits the text of `block` into trimmed sentence spans, in order.
pub fn split(text: &str, block: Span, language: &str, rules: &RuleSet) -> Vec<Span> {
    let line = block.of(text);
    let mut sentences = Vec::new();
    let mut start = 0;
    let mut chars = line.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if !is_terminator(c) {
            continue;
        }
        let mut end = i + c.len_utf8();
        let mut only_period = c == '.';
        while let Some(&(j, d)) = chars.peek() {
            if is_terminator(d) {
                only_period &= d == '.';
            } else if !is_closing(d) {
                break;
            }
            end = j + d.len_utf8();
            chars.next();
        }
        let after = &line[end..];
        let rest = after.trim_start();
        if rest.is_empty() || rest.len() == after.len() {
            continue; // end of block, or no space after the punctuation ("3.5", "z.B.")
        }
        let ellipsis = line[i..end].starts_with("..") || line[i..end].contains('…');
        if is_boundary(
            &line[start..i],
            only_period && !ellipsis,
            rest,
            language,
            rules,
        ) {
            push_trimmed(&mut sentences, block.start, line, start, end);
            start = end;
        }
    }
    push_trimmed(&mut sentences, block.start, line, start, line.len());
    sentences
}

fn push_trimmed(out: &mut Vec<Span>, base: usize, line: &str, start: usize, end: usize) {
    let piece = &line[start..end];
    let lead = piece.len() - piece.trim_start().len();
    let trimmed = piece.trim();
    if !trimmed.is_empty() {
        out.push(Span::new(
            base + start + lead,
            base + start + lead + trimmed.len(),
        ));
    }
}

/// Decides a candidate: `before` is the sentence so far (up to the punctuation), `rest` the text
/// after the white space.
fn is_boundary(before: &str, period: bool, rest: &str, language: &str, rules: &RuleSet) -> bool {
    let next = rest.trim_start_matches(is_opening).chars().next();
    let Some(next) = next else { return true };
    if next.is_lowercase() {
        return false;
    }
    if !period {
        return true;
    }
    let word = before
        .rsplit(char::is_whitespace)
        .next()
        .unwrap_or("")
        .trim_start_matches(is_opening);
    if word.is_empty() {
        return true;
    }
    if rules.is_abbreviation(language, word) {
        return false;
    }
    let mut letters = word.chars();
    let first = letters.next();
    if first.is_some_and(char::is_alphabetic) && letters.next().is_none() {
        return false; // an initial ("J. R. Smith") or a one-letter abbreviation ("z. B.")
    }
    if is_dotted_abbreviation(word) {
        return false; // "U.S.", "z.B.", "e.g."
    }
    if word.chars().all(|c| c.is_ascii_digit())
        && word.len() <= 2
        && ORDINAL_DOT_LANGUAGES.contains(&language)
    {
        // "am 1. August", "die 2. Bundesliga": an ordinal. A following month or noun is part of
        // the same sentence; only a word that typically opens a sentence makes it a boundary.
        let next_word: String = rest.chars().take_while(|c| c.is_alphanumeric()).collect();
        return rules.is_sentence_starter(language, &next_word);
    }
    true
}

/// Letters separated by periods, at most two letters each: "U.S", "z.B", "e.g", "Ph.D".
fn is_dotted_abbreviation(word: &str) -> bool {
    word.contains('.')
        && word.split('.').all(|part| {
            let n = part.chars().count();
            (1..=2).contains(&n) && part.chars().all(char::is_alphabetic)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentences(text: &str, language: &str) -> Vec<String> {
        let rules = RuleSet::builtin();
        split(text, Span::new(0, text.len()), language, &rules)
            .into_iter()
            .map(|s| s.of(text).to_string())
            .collect()
    }

    #[test]
    fn table() {
        let cases: &[(&str, &str, &str, &[&str])] = &[
            (
                "plain",
                "de",
                "Das ist gut. Das auch.",
                &["Das ist gut.", "Das auch."],
            ),
            (
                "abbreviation",
                "de",
                "Er kam z. B. am Montag. Dann ging er.",
                &["Er kam z. B. am Montag.", "Dann ging er."],
            ),
            (
                "dotted",
                "de",
                "Es gibt z.B. Äpfel. Und Birnen.",
                &["Es gibt z.B. Äpfel.", "Und Birnen."],
            ),
            (
                "ordinal date",
                "de",
                "Am 1. August 2024 begann es. Dann nicht.",
                &["Am 1. August 2024 begann es.", "Dann nicht."],
            ),
            (
                "ordinal noun",
                "de",
                "Er spielt in der 2. Bundesliga. Sie nicht.",
                &["Er spielt in der 2. Bundesliga.", "Sie nicht."],
            ),
            (
                "number ends sentence",
                "de",
                "Er wurde Zweiter in Runde 3. Die anderen folgten.",
                &["Er wurde Zweiter in Runde 3.", "Die anderen folgten."],
            ),
            (
                "decimal",
                "de",
                "Der Umsatz stieg auf 35,6 Mrd. Euro. Gut.",
                &["Der Umsatz stieg auf 35,6 Mrd. Euro.", "Gut."],
            ),
            (
                "quote",
                "de",
                "„Ich habe keine Zeit.“ Wir gehen.",
                &["„Ich habe keine Zeit.“", "Wir gehen."],
            ),
            (
                "question in quote",
                "de",
                "„Warum?“, fragte sie. Er schwieg.",
                &["„Warum?“, fragte sie.", "Er schwieg."],
            ),
            (
                "cta without period",
                "de",
                "Der Leitfaden hilft. Jetzt herunterladen",
                &["Der Leitfaden hilft.", "Jetzt herunterladen"],
            ),
            (
                "initials",
                "en",
                "J. R. Smith said so. Then he left.",
                &["J. R. Smith said so.", "Then he left."],
            ),
            (
                "title",
                "en",
                "Mr. Brown arrived. Mrs. Green left.",
                &["Mr. Brown arrived.", "Mrs. Green left."],
            ),
            (
                "us",
                "en",
                "He moved to the U.S. in 1990. It rained.",
                &["He moved to the U.S. in 1990.", "It rained."],
            ),
            (
                "english number",
                "en",
                "They finished in 3. The rest followed.",
                &["They finished in 3.", "The rest followed."],
            ),
            (
                "exclamation",
                "en",
                "Wow! Great news? Yes.",
                &["Wow!", "Great news?", "Yes."],
            ),
            (
                "lowercase after",
                "en",
                "It cost approx. ten dollars.",
                &["It cost approx. ten dollars."],
            ),
        ];
        for (name, language, text, expected) in cases {
            assert_eq!(sentences(text, language), *expected, "case {name}");
        }
    }
}
