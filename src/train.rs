//! Training: fits the rule weights and the labeller's weights on an annotated folder.
//!
//! The model is the pipeline's own: sentence scores are weighted sums of cues, labels come from
//! the Viterbi decoder in [`crate::labels`]. A path's score is linear in the weights, so they are
//! fitted with an averaged structured perceptron: decode each article, compare with the gold
//! labels, move the weights toward the gold path's features. Updates that follow a cut of
//! editorial text count [`EDITORIAL_LOSS`] times as much as those that follow a missed ad,
//! because removing editorial text is the worse error. Training starts from the given rules, so
//! their hand-set weights act as the prior.

use crate::eval::GoldArticle;
use crate::features::{self, SentenceFeatures};
use crate::labels::{self, Label};
use crate::lang;
use crate::rules::{RuleSet, Weights};
use crate::sentences::{self, Sentence};
use crate::structure;

/// How much more an update weighs when the decoded path cut editorial text.
pub const EDITORIAL_LOSS: f64 = 4.0;
/// Step size of the perceptron.
const STEP: f64 = 0.05;
/// A sentence is promo in the gold labels when at least this share of it lies in a gold ad.
const GOLD_SHARE: f64 = 0.5;

/// One article, read once: its sentences, their cues, their words and the gold labels.
#[derive(Clone, Debug)]
pub struct Example {
    sentences: Vec<Sentence>,
    features: Vec<SentenceFeatures>,
    binds: Vec<bool>,
    gold: Vec<Label>,
    /// Per sentence: its language and its distinct lowercase words (quotes blanked).
    words: Vec<(String, Vec<String>)>,
}

/// Runs the stages up to the features on every article (cues do not depend on weights).
pub fn prepare(articles: &[GoldArticle], rules: &RuleSet) -> Vec<Example> {
    articles
        .iter()
        .map(|article| {
            let text = &article.text;
            let language = lang::detect(text);
            let structure = structure::parse(text, &language.code, rules);
            let sentences = sentences::segment(text, &structure, &language.code, rules);
            let features = features::extract(text, &structure, &sentences, &language.code, rules);
            let gold = sentences
                .iter()
                .map(|s| {
                    let inside: usize = article
                        .ad_spans
                        .iter()
                        .map(|g| {
                            s.span
                                .end
                                .min(g.end)
                                .saturating_sub(s.span.start.max(g.start))
                        })
                        .sum();
                    if inside as f64 >= GOLD_SHARE * (s.span.end - s.span.start) as f64 {
                        Label::Promo
                    } else {
                        Label::Editorial
                    }
                })
                .collect();
            let words = sentences
                .iter()
                .map(|s| {
                    let block = structure.blocks[s.block].span;
                    let masked = features::mask_quotes(block.of(text));
                    let masked = &masked[s.span.start - block.start..s.span.end - block.start];
                    let mut tokens: Vec<String> = masked
                        .split(|c: char| !c.is_alphanumeric())
                        .filter(|t| t.chars().count() >= 2 && t.chars().any(char::is_alphabetic))
                        .map(str::to_lowercase)
                        .collect();
                    tokens.sort();
                    tokens.dedup();
                    (
                        rules.sentence_language(masked, &language.code).to_string(),
                        tokens,
                    )
                })
                .collect();
            let scores: Vec<f64> = features.iter().map(|f| f.score).collect();
            let bias = rules.weights().bias;
            let promo_alone =
                sentences::promo_blocks(&sentences, &scores, bias, structure.blocks.len());
            let binds = structure.heading_binds(&promo_alone);
            Example {
                sentences,
                features,
                binds,
                gold,
                words,
            }
        })
        .collect()
}

/// All weights as one vector: the rule weights, then the labeller's.
#[derive(Clone, Debug, PartialEq)]
struct Theta(Vec<f64>);

/// Positions of the labeller's weights after the rule weights.
const BIAS: usize = 0;
const SWITCH_IN: usize = 1;
const SWITCH_BETWEEN: usize = 2;
const SWITCH_HEADING: usize = 3;
const SUPPORT: usize = 4;
const GLUED_ON: usize = 5;
const LABELLER: usize = 6;

impl Theta {
    fn from_rules(rules: &RuleSet) -> Theta {
        let w = rules.weights();
        let mut v: Vec<f64> = rules.rules().iter().map(|r| r.weight).collect();
        v.extend([
            w.bias,
            w.switch_in_paragraph,
            w.switch_between_paragraphs,
            w.switch_after_heading,
            w.paragraph_support,
            w.glued_run_continues,
        ]);
        Theta(v)
    }

    fn rules_len(&self) -> usize {
        self.0.len() - LABELLER
    }

    fn labeller(&self) -> Weights {
        let l = &self.0[self.rules_len()..];
        Weights {
            bias: l[BIAS],
            switch_in_paragraph: l[SWITCH_IN],
            switch_between_paragraphs: l[SWITCH_BETWEEN],
            switch_after_heading: l[SWITCH_HEADING],
            paragraph_support: l[SUPPORT],
            glued_run_continues: l[GLUED_ON],
        }
    }

    fn scores(&self, example: &Example) -> Vec<f64> {
        example
            .features
            .iter()
            .map(|f| f.score_with(&self.0[..self.rules_len()]))
            .collect()
    }

    fn decode(&self, example: &Example) -> Vec<Label> {
        labels::decode(
            &self.scores(example),
            &example.sentences,
            &example.binds,
            self.labeller(),
        )
    }

    /// The features of a labelled path: the path's score is `theta · phi`.
    fn phi(&self, example: &Example, path: &[Label]) -> Vec<f64> {
        let n = self.rules_len();
        let mut phi = vec![0.0; self.0.len()];
        let scores = self.scores(example);
        let support = labels::support(&scores, &example.sentences, self.labeller().bias);
        let sentences = &example.sentences;
        // States: a promo run that begins inside a block is glued until its block ends.
        let mut glued = vec![false; path.len()];
        for i in 0..path.len() {
            if path[i] != Label::Promo {
                continue;
            }
            let same_block = i > 0 && sentences[i - 1].block == sentences[i].block;
            glued[i] = same_block && (path[i - 1] == Label::Editorial || glued[i - 1]);
            for cue in &example.features[i].cues {
                phi[cue.rule] += cue.strength;
            }
            phi[n + BIAS] -= 1.0;
            phi[n + SUPPORT] += support[i];
        }
        for i in 1..path.len() {
            let (a, b) = (path[i - 1], path[i]);
            let (previous, block) = (sentences[i - 1].block, sentences[i].block);
            if block == previous {
                if a != b {
                    phi[n + SWITCH_IN] -= 1.0;
                }
                continue;
            }
            let between =
                if example.binds.get(previous).copied().unwrap_or(false) && block == previous + 1 {
                    SWITCH_HEADING
                } else {
                    SWITCH_BETWEEN
                };
            if a != b {
                phi[n + between] -= 1.0;
            } else if a == Label::Promo && glued[i - 1] {
                phi[n + between] -= 1.0;
                phi[n + GLUED_ON] -= 1.0;
            }
        }
        phi
    }

    /// Keeps costs and the bias non-negative, as the decoder assumes.
    fn clamp(&mut self) {
        let n = self.rules_len();
        for k in [
            BIAS,
            SWITCH_IN,
            SWITCH_BETWEEN,
            SWITCH_HEADING,
            SUPPORT,
            GLUED_ON,
        ] {
            self.0[n + k] = self.0[n + k].max(0.0);
        }
    }
}

/// Counts of sentence errors under some weights.
fn sentence_errors(theta: &Theta, examples: &[Example]) -> (usize, usize, usize) {
    let (mut promo, mut found, mut false_cut) = (0, 0, 0);
    for example in examples {
        for (got, want) in theta.decode(example).iter().zip(&example.gold) {
            match (got, want) {
                (Label::Promo, Label::Promo) => {
                    promo += 1;
                    found += 1;
                }
                (Label::Editorial, Label::Promo) => promo += 1,
                (Label::Promo, Label::Editorial) => false_cut += 1,
                _ => {}
            }
        }
    }
    (promo, found, false_cut)
}

/// Fits `rules` to annotated articles: learns word rules ([`learn_words`]), then fits every
/// weight with the perceptron ([`perceptron`]) in `epochs` passes.
pub fn fit(articles: &[GoldArticle], rules: &RuleSet, epochs: usize) -> RuleSet {
    let words = learn_words(&prepare(articles, rules));
    let with_words = rules.with_words(&words);
    perceptron(&prepare(articles, &with_words), &with_words, epochs)
}

/// A word becomes a rule when it stands in promo sentences of at least this many articles...
const WORD_MIN_ARTICLES: usize = 3;
/// ...and its log-odds of promo over editorial sentences is at least this.
const WORD_MIN_LOG_ODDS: f64 = 2.0;

/// Words that mark promo sentences across articles, per language, with a starting weight
/// from their log-odds. A word seen in the ads of fewer than [`WORD_MIN_ARTICLES`] articles
/// (a product or brand name) is never learned: the lexicon must generalise.
pub fn learn_words(examples: &[Example]) -> Vec<(String, String, f64)> {
    use std::collections::{BTreeMap, BTreeSet};
    #[derive(Default)]
    struct Counts {
        promo_sentences: usize,
        editorial_sentences: usize,
        words: BTreeMap<String, (usize, usize, BTreeSet<usize>)>,
    }
    let mut by_language: BTreeMap<String, Counts> = BTreeMap::new();
    for (article, example) in examples.iter().enumerate() {
        for ((language, tokens), label) in example.words.iter().zip(&example.gold) {
            let counts = by_language.entry(language.clone()).or_default();
            let promo = *label == Label::Promo;
            if promo {
                counts.promo_sentences += 1;
            } else {
                counts.editorial_sentences += 1;
            }
            for token in tokens {
                let entry = counts.words.entry(token.clone()).or_default();
                if promo {
                    entry.0 += 1;
                    entry.2.insert(article);
                } else {
                    entry.1 += 1;
                }
            }
        }
    }
    let mut learned = Vec::new();
    for (language, counts) in by_language {
        let promo_total = counts.promo_sentences as f64 + 1.0;
        let editorial_total = counts.editorial_sentences as f64 + 1.0;
        for (word, (promo, editorial, articles)) in counts.words {
            if articles.len() < WORD_MIN_ARTICLES {
                continue;
            }
            let log_odds = ((promo as f64 + 0.5) / promo_total).ln()
                - ((editorial as f64 + 0.5) / editorial_total).ln();
            if log_odds >= WORD_MIN_LOG_ODDS {
                learned.push((language.clone(), word, (0.1 * log_odds).min(0.4)));
            }
        }
    }
    learned
}

/// Fits the weights of `rules` on `examples` in `epochs` passes; returns the rules with the
/// averaged weights, the bias then raised as far as that removes editorial cuts on the training
/// set without giving up found ads.
pub fn perceptron(examples: &[Example], rules: &RuleSet, epochs: usize) -> RuleSet {
    let mut theta = Theta::from_rules(rules);
    let mut sum = vec![0.0; theta.0.len()];
    let mut count: f64 = 0.0;
    // A fixed visiting order that differs between epochs (a multiplicative stride).
    let n = examples.len().max(1);
    let stride = (1..n)
        .rev()
        .find(|s| gcd(*s, n) == 1 && *s * 2 >= n)
        .unwrap_or(1);
    for epoch in 0..epochs {
        for k in 0..examples.len() {
            let example = &examples[(k * stride + epoch) % n];
            let path = theta.decode(example);
            if path != example.gold {
                let cut_editorial = path
                    .iter()
                    .zip(&example.gold)
                    .any(|(p, g)| *p == Label::Promo && *g == Label::Editorial);
                let step = STEP * if cut_editorial { EDITORIAL_LOSS } else { 1.0 };
                let want = theta.phi(example, &example.gold);
                let got = theta.phi(example, &path);
                for ((t, w), g) in theta.0.iter_mut().zip(&want).zip(&got) {
                    *t += step * (w - g);
                }
                theta.clamp();
            }
            for (s, t) in sum.iter_mut().zip(&theta.0) {
                *s += t;
            }
            count += 1.0;
        }
    }
    let mut averaged = Theta(sum.iter().map(|s| s / count.max(1.0)).collect());
    if count == 0.0 {
        averaged = theta;
    }
    // Calibrate: the largest bias increase (in steps of 0.05, up to 1) that lowers editorial
    // cuts on the training set and finds as many promo sentences.
    let bias = averaged.rules_len() + BIAS;
    let base = averaged.0[bias];
    let (_, base_found, base_cut) = sentence_errors(&averaged, examples);
    let mut best = (base_cut, base);
    for step in 1..=20 {
        let mut trial = averaged.clone();
        trial.0[bias] = base + 0.05 * step as f64;
        let (_, found, cut) = sentence_errors(&trial, examples);
        if found >= base_found && cut < best.0 {
            best = (cut, trial.0[bias]);
        }
    }
    averaged.0[bias] = best.1;
    rules.with_weights(&averaged.0[..averaged.rules_len()], averaged.labeller())
}

fn gcd(a: usize, b: usize) -> usize {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

/// Which of `k` folds article `index` (of those sorted by id) belongs to.
pub fn fold_of(index: usize, k: usize) -> usize {
    index % k.max(1)
}
