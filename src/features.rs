//! Features: which cues fire on each sentence, and the sentence's promo score.
//!
//! Cue patterns run over the sentence with the contents of quotation marks blanked out: a slogan
//! or a quote from a person in the story is the story, not the publisher's pitch. A rule may be
//! tied to a position in its block (first, last, alone), which is how form cues such as a
//! call to action without a period at the end of a paragraph are expressed as data.

use std::borrow::Cow;

use crate::rules::{Position, RuleSet};
use crate::sentences::Sentence;
use crate::structure::{BlockKind, Structure};

/// One cue that fired: the rule (an index into [`RuleSet::rules`]) and how strongly, a factor
/// on the rule's weight (1 for one match, 1.5 for two, 2 for three or more).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Cue {
    pub rule: usize,
    pub strength: f64,
}

/// The cues that fired on one sentence and their weighted sum.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SentenceFeatures {
    pub cues: Vec<Cue>,
    pub score: f64,
}

impl SentenceFeatures {
    /// The score under other rule weights (indexed like [`RuleSet::rules`]).
    pub fn score_with(&self, rule_weights: &[f64]) -> f64 {
        self.cues
            .iter()
            .map(|c| rule_weights[c.rule] * c.strength)
            .sum()
    }
}

/// Where a sentence stands in its block.
#[derive(Clone, Copy, Debug)]
struct Place {
    first: bool,
    last: bool,
    alone: bool,
    in_short_run: bool,
    own_typography: bool,
    /// Written in another language than the article (by its stopwords).
    switched_language: bool,
}

impl Place {
    fn allows(self, position: Position) -> bool {
        match position {
            Position::Any => true,
            Position::ParagraphStart => self.first,
            Position::ParagraphOpener => self.first && !self.alone,
            Position::ParagraphEnd => self.last && !self.alone,
            Position::Standalone => self.alone,
            Position::ShortLineRun => self.in_short_run,
            Position::OwnTypography => self.own_typography,
            Position::LanguageSwitch => self.switched_language,
        }
    }
}

/// Features of every sentence, in order. `language` is the article's; a sentence written in
/// another language that has rules (an English promo in a German article) gets that language's
/// rules instead, so that cues are neither missed nor counted twice.
pub fn extract(
    text: &str,
    structure: &Structure,
    sentences: &[Sentence],
    language: &str,
    rules: &RuleSet,
) -> Vec<SentenceFeatures> {
    let short_runs = short_line_runs(text, structure, rules.structure().short_line_run);
    let own_typography = own_typography(text, structure);
    // The current block with its quotes masked, and its language.
    let mut masked_block = (usize::MAX, String::new(), language);
    sentences
        .iter()
        .enumerate()
        .map(|(i, sentence)| {
            let first = i == 0 || sentences[i - 1].block != sentence.block;
            let last = i + 1 == sentences.len() || sentences[i + 1].block != sentence.block;
            if masked_block.0 != sentence.block {
                let block = structure.blocks[sentence.block].span;
                let masked = mask_quotes(block.of(text)).into_owned();
                let block_language = rules.block_language(&masked, language);
                masked_block = (sentence.block, masked, block_language);
            }
            let base = structure.blocks[sentence.block].span.start;
            let masked = &masked_block.1[sentence.span.start - base..sentence.span.end - base];
            let sentence_language = rules.sentence_language(masked, masked_block.2, language);
            let place = Place {
                first,
                last,
                alone: first && last,
                in_short_run: short_runs[sentence.block],
                own_typography: own_typography[sentence.block]
                    .iter()
                    .any(|c| sentence.span.of(text).contains(*c)),
                switched_language: sentence_language != language,
            };
            let mut cues = Vec::new();
            let mut score = 0.0;
            if rules.has_word_rules() {
                let mut seen: Vec<usize> = Vec::new();
                for token in masked
                    .split(|c: char| !c.is_alphanumeric())
                    .filter(|t| !t.is_empty())
                {
                    let Some(r) = rules.word_rule(sentence_language, &token.to_lowercase()) else {
                        continue;
                    };
                    if !seen.contains(&r) {
                        seen.push(r);
                        score += rules.rules()[r].weight;
                        cues.push(Cue {
                            rule: r,
                            strength: 1.0,
                        });
                    }
                }
            }
            for r in rules.candidate_rules(sentence_language, masked, |p| place.allows(p)) {
                let rule = &rules.rules()[r];
                // Each further match of the same cue adds half its weight, up to three matches:
                // a sentence that names a broker, a bonus and a depot says more than one that
                // names only one of them.
                let matches = rule.pattern.regex().find_iter(masked).take(3).count();
                if matches > 0 {
                    let strength = 1.0 + 0.5 * (matches - 1) as f64;
                    score += rule.weight * strength;
                    cues.push(Cue { rule: r, strength });
                }
            }
            SentenceFeatures { cues, score }
        })
        .collect()
}

/// Characters that editorial text rarely needs: not letters, digits, spaces or common
/// punctuation. Pasted-in text brings its own (non-breaking hyphens, arrows, emoji).
fn is_uncommon(c: char) -> bool {
    !(c.is_alphanumeric() || c.is_whitespace() || ".,;:!?'\"()[]-–—„“”‚‘’«»/&%€$£+*#@…".contains(c))
}

/// For every block, the uncommon characters that no other block of the article uses (none in
/// articles of fewer than four blocks, where there is too little to compare with).
fn own_typography(text: &str, structure: &Structure) -> Vec<Vec<char>> {
    let per_block: Vec<Vec<char>> = structure
        .blocks
        .iter()
        .map(|b| {
            let mut chars: Vec<char> = b
                .span
                .of(text)
                .chars()
                .filter(|c| is_uncommon(*c))
                .collect();
            chars.sort_unstable();
            chars.dedup();
            chars
        })
        .collect();
    if per_block.len() < 4 {
        return vec![Vec::new(); per_block.len()];
    }
    per_block
        .iter()
        .enumerate()
        .map(|(i, chars)| {
            chars
                .iter()
                .copied()
                .filter(|c| {
                    !per_block
                        .iter()
                        .enumerate()
                        .any(|(j, other)| j != i && other.contains(c))
                })
                .collect()
        })
        .collect()
}

/// For every block, whether it belongs to a run of at least `min_run` consecutive short lines
/// without final punctuation. Editorial text alternates headings and paragraphs; product boxes
/// and ad teasers stack such lines (headline, product, price, code, button).
fn short_line_runs(text: &str, structure: &Structure, min_run: usize) -> Vec<bool> {
    let blocks = &structure.blocks;
    let short: Vec<bool> = blocks
        .iter()
        .map(|b| {
            b.kind != BlockKind::Title
                && !b
                    .span
                    .of(text)
                    .ends_with(['.', '!', '?', '…', '"', '“', '”'])
        })
        .collect();
    let mut marks = vec![false; blocks.len()];
    let mut i = 0;
    while i < blocks.len() {
        let mut j = i;
        while j < blocks.len() && short[j] {
            j += 1;
        }
        // The last short line before a paragraph is most likely that paragraph's heading.
        let end = if j < blocks.len() && blocks[j].kind == BlockKind::Paragraph {
            j - 1
        } else {
            j
        };
        if end > i && end - i >= min_run {
            marks[i..end].iter_mut().for_each(|m| *m = true);
        }
        i = j.max(i + 1);
    }
    marks
}

/// Pairs of quotation marks whose contents are quoted speech.
const QUOTE_PAIRS: &[(char, char)] = &[
    ('„', '“'),
    ('“', '”'),
    ('"', '"'),
    ('«', '»'),
    ('»', '«'),
    ('‚', '‘'),
    ('‹', '›'),
];

/// The text with the contents of every closed pair of quotation marks replaced by spaces, byte
/// for byte, so offsets into the text stay valid in the result.
pub fn mask_quotes(sentence: &str) -> Cow<'_, str> {
    if !sentence.contains(|c| QUOTE_PAIRS.iter().any(|&(open, _)| open == c)) {
        return Cow::Borrowed(sentence);
    }
    let chars: Vec<char> = sentence.chars().collect();
    let mut blank = vec![false; chars.len()];
    let mut i = 0;
    while i < chars.len() {
        let Some(&(_, close)) = QUOTE_PAIRS.iter().find(|&&(open, _)| open == chars[i]) else {
            i += 1;
            continue;
        };
        match chars[i + 1..].iter().position(|&c| c == close) {
            Some(len) => {
                blank[i + 1..i + 1 + len].iter_mut().for_each(|b| *b = true);
                i += len + 2;
            }
            None => i += 1,
        }
    }
    let mut masked = String::with_capacity(sentence.len());
    for (c, blank) in chars.into_iter().zip(blank) {
        if blank {
            masked.extend(std::iter::repeat_n(' ', c.len_utf8()));
        } else {
            masked.push(c);
        }
    }
    Cow::Owned(masked)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The ids of the cues of each sentence of a German article.
    fn cue_ids(text: &str) -> Vec<Vec<String>> {
        let rules = RuleSet::builtin();
        let structure = crate::structure::parse(text, "de", &rules);
        let sentences = crate::sentences::segment(text, &structure, "de", &rules);
        extract(text, &structure, &sentences, "de", &rules)
            .iter()
            .map(|f| {
                f.cues
                    .iter()
                    .map(|c| rules.rules()[c.rule].id.clone())
                    .collect()
            })
            .collect()
    }

    #[test]
    fn a_sentence_in_another_language_is_marked() {
        let cues = cue_ids(
            "Titel\nDie Stadt baut eine Brücke über den Fluss. Der Rat hat das am Montag beschlossen.\n\
             Never miss a goal: stream every match of the season on the app.\n",
        );
        let switched = |i: usize| cues[i].iter().any(|id| id == "context.language_switch");
        assert!(!switched(0) && !switched(1), "{cues:?}");
        assert!(switched(2), "{cues:?}");
    }

    #[test]
    fn quotes_are_blanked() {
        let blank = " ".repeat("Jetzt kostenlos testen".len());
        assert_eq!(
            mask_quotes("Er sagte: „Jetzt kostenlos testen“ und ging."),
            format!("Er sagte: „{blank}“ und ging.")
        );
        assert_eq!(mask_quotes("„Grüße“").len(), "„Grüße“".len());
        assert_eq!(
            mask_quotes("The slogan \"free for all\" stuck."),
            "The slogan \"            \" stuck."
        );
        assert_eq!(mask_quotes("Kein Zitat hier."), "Kein Zitat hier.");
        assert_eq!(mask_quotes("Offen „ohne Ende"), "Offen „ohne Ende");
    }
}
