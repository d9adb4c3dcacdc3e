//! Features: which cues fire on each sentence, and the sentence's promo score.
//!
//! Cue patterns run over the sentence with the contents of quotation marks blanked out: a slogan
//! or a quote from a person in the story is the story, not the publisher's pitch. A rule may be
//! tied to a position in its block (first, last, alone), which is how form cues such as a
//! call to action without a period at the end of a paragraph are expressed as data.

use std::borrow::Cow;

use crate::rules::{Position, RuleSet};
use crate::sentences::Sentence;

/// The cues that fired on one sentence (indices into [`RuleSet::rules`]) and their summed weight.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SentenceFeatures {
    pub cues: Vec<usize>,
    pub score: f64,
}

/// Where a sentence stands in its block.
#[derive(Clone, Copy, Debug)]
struct Place {
    first: bool,
    last: bool,
    alone: bool,
}

impl Place {
    fn allows(self, position: Position) -> bool {
        match position {
            Position::Any => true,
            Position::ParagraphStart => self.first,
            Position::ParagraphEnd => self.last && !self.alone,
            Position::Standalone => self.alone,
        }
    }
}

/// Features of every sentence, in order.
pub fn extract(text: &str, sentences: &[Sentence], rules: &RuleSet) -> Vec<SentenceFeatures> {
    sentences
        .iter()
        .enumerate()
        .map(|(i, sentence)| {
            let first = i == 0 || sentences[i - 1].block != sentence.block;
            let last = i + 1 == sentences.len() || sentences[i + 1].block != sentence.block;
            let place = Place { first, last, alone: first && last };
            let masked = mask_quotes(sentence.span.of(text));
            let cues: Vec<usize> =
                rules.matching(&masked).filter(|&r| place.allows(rules.rules()[r].position)).collect();
            let score = cues.iter().map(|&r| rules.rules()[r].weight).sum();
            SentenceFeatures { cues, score }
        })
        .collect()
}

/// Pairs of quotation marks whose contents are quoted speech.
const QUOTE_PAIRS: &[(char, char)] = &[('„', '“'), ('“', '”'), ('"', '"'), ('«', '»'), ('»', '«'), ('‚', '‘'), ('‹', '›')];

/// The sentence with the contents of every closed pair of quotation marks replaced by spaces.
pub fn mask_quotes(sentence: &str) -> Cow<'_, str> {
    if !sentence.contains(|c| QUOTE_PAIRS.iter().any(|&(open, _)| open == c)) {
        return Cow::Borrowed(sentence);
    }
    let chars: Vec<char> = sentence.chars().collect();
    let mut masked = chars.clone();
    let mut i = 0;
    while i < chars.len() {
        let Some(&(_, close)) = QUOTE_PAIRS.iter().find(|&&(open, _)| open == chars[i]) else {
            i += 1;
            continue;
        };
        match chars[i + 1..].iter().position(|&c| c == close) {
            Some(len) => {
                for c in &mut masked[i + 1..i + 1 + len] {
                    *c = ' ';
                }
                i += len + 2;
            }
            None => i += 1,
        }
    }
    Cow::Owned(masked.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_are_blanked() {
        assert_eq!(mask_quotes("Er sagte: „Jetzt kostenlos testen“ und ging."), "Er sagte: „                    “ und ging.");
        assert_eq!(mask_quotes("The slogan \"free for all\" stuck."), "The slogan \"            \" stuck.");
        assert_eq!(mask_quotes("Kein Zitat hier."), "Kein Zitat hier.");
        assert_eq!(mask_quotes("Offen „ohne Ende"), "Offen „ohne Ende");
    }
}
