//! Training: fits the rules to an annotated folder.
//!
//! Three steps. First, words that mark promo sentences across several articles become word rules
//! ([`learn_words`]). Then the weight of every rule and the bias are fitted by logistic
//! regression on the sentences ([`logistic`]): a sentence's score is the weighted sum of its
//! cues, as in the pipeline. Last, the bias is lowered to what the decoder can afford, judged
//! on held-out decodes inside the training articles (`calibrate_bias`). The loss is cost-sensitive, an editorial sentence predicted promo
//! counting [`EDITORIAL_LOSS`] times a missed promo one, because removing editorial text is the
//! worse error; an L2 prior pulls every weight and the bias toward their starting values, so the hand-set
//! weights are the prior and rare cues stay near them. The regression is convex, so the fit
//! does not depend on the order of the articles. The decoder's costs (label changes) stay as
//! they are. (An averaged structured perceptron over the decoder was tried first; its held-out
//! figures moved by several points with the visiting order and step size.)

use crate::article;
use crate::eval::GoldArticle;
use crate::features::{self, SentenceFeatures};
use crate::labels::Label;
use crate::rules::RuleSet;
use crate::sentences;
use crate::structure;

/// How much more a promo prediction on an editorial sentence costs than a missed promo one.
pub const EDITORIAL_LOSS: f64 = 2.0;
/// A sentence is promo in the gold labels when at least this share of it lies in a gold ad.
const GOLD_SHARE: f64 = 0.5;

/// One article, read once: its sentences' cues, their words and the gold labels.
#[derive(Clone, Debug)]
pub struct Example {
    features: Vec<SentenceFeatures>,
    gold: Vec<Label>,
    /// What the decoder needs besides the scores, and each sentence's length in characters.
    structure: structure::Structure,
    sentences: Vec<sentences::Sentence>,
    lengths: Vec<usize>,
    /// Per sentence: its language and its distinct lowercase words (quotes blanked), stopwords
    /// left out: "our", "your", "now", "get" mark many ads, but the lexicon already judges them in
    /// context (`en.publisher`, `en.second_person`), and as word rules they counted twice and cut
    /// a review's closing advice and a helpline story in held-out folds.
    words: Vec<(String, Vec<String>)>,
}

/// Runs the stages up to the features on every article (cues do not depend on weights).
pub fn prepare(articles: &[GoldArticle], rules: &RuleSet) -> Vec<Example> {
    articles
        .iter()
        .map(|article| {
            // Read as the pipeline reads it, past invisible format characters; the gold spans
            // point into the text given.
            let reading = article::read(&article.text, rules);
            let text = reading.text(&article.text);
            let (language, structure, sentences) =
                (&reading.language, &reading.structure, &reading.sentences);
            let features = features::extract(text, structure, sentences, &language.code, rules);
            let gold = sentences
                .iter()
                .map(|s| {
                    let span = reading.span_back(s.span);
                    let inside: usize = article
                        .ad_spans
                        .iter()
                        .map(|g| span.end.min(g.end).saturating_sub(span.start.max(g.start)))
                        .sum();
                    if inside as f64 >= GOLD_SHARE * (span.end - span.start) as f64 {
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
                    let masked_block = features::mask_quotes(block.of(text));
                    let masked =
                        &masked_block[s.span.start - block.start..s.span.end - block.start];
                    let mut tokens: Vec<String> = masked
                        .split(|c: char| !c.is_alphanumeric())
                        .filter(|t| t.chars().count() >= 2 && t.chars().any(char::is_alphabetic))
                        .map(str::to_lowercase)
                        .filter(|t| !rules.is_stopword(t))
                        .collect();
                    tokens.sort();
                    tokens.dedup();
                    (
                        rules
                            .sentence_language(
                                masked,
                                rules.block_language(&masked_block, &language.code),
                                &language.code,
                            )
                            .to_string(),
                        tokens,
                    )
                })
                .collect();
            let lengths = sentences
                .iter()
                .map(|s| s.span.of(text).chars().count())
                .collect();
            Example {
                features,
                gold,
                structure: reading.structure,
                sentences: reading.sentences,
                lengths,
                words,
            }
        })
        .collect()
}

/// How [`fit`] adapts the rules.
#[derive(Clone, Copy, Debug)]
pub struct FitOptions {
    /// Gradient steps of the regression.
    pub iterations: usize,
    /// Learn word rules ([`learn_words`]) before fitting. Off by default: on the corpus, held
    /// out in five folds (210 articles), the learned words cost 1.5 points of ads caught and
    /// cut one article without ads (93.8% and none without them, 92.3% and one with them; with
    /// four folds 94.5% against 93.0%, with ten 94.5% against 89.0%). The words free the
    /// regression to fit what the training articles' ads happen to share, which new articles'
    /// ads do not; the lexicons already carry the vocabulary that generalises.
    pub learn_words: bool,
}

impl Default for FitOptions {
    fn default() -> Self {
        FitOptions {
            iterations: 200,
            learn_words: false,
        }
    }
}

/// Fits `rules` to annotated articles: learns word rules if asked ([`learn_words`]), then fits
/// the rule weights and the bias ([`logistic`]) and lowers the bias to what the decoder can
/// afford ([`calibrate_bias`]).
pub fn fit(articles: &[GoldArticle], rules: &RuleSet, options: FitOptions) -> RuleSet {
    let iterations = options.iterations;
    let with_words = if options.learn_words {
        rules.with_words(&learn_words(&prepare(articles, rules)))
    } else {
        rules.clone()
    };
    let examples = prepare(articles, &with_words);
    let fitted = logistic(&examples, &with_words, iterations);
    calibrate_bias(&examples, &with_words, &fitted, iterations)
}

/// What the decoder does on some articles under one bias, in characters of their sentences.
#[derive(Clone, Copy, Debug, Default)]
struct Decoded {
    /// Articles without any gold promo sentence that lose a sentence.
    no_promo_cut: usize,
    /// Gold editorial sentences labelled promo, and all gold editorial sentences.
    editorial_removed: usize,
    editorial: usize,
}

impl Decoded {
    /// The share of the gold editorial text labelled promo.
    fn editorial_loss(&self) -> f64 {
        self.editorial_removed as f64 / self.editorial.max(1) as f64
    }
}

fn decode_all(examples: &[Example], rules: &RuleSet, bias: f64, out: &mut Decoded) {
    let rule_weights: Vec<f64> = rules.rules().iter().map(|r| r.weight).collect();
    let mut weights = rules.weights();
    weights.bias = bias;
    for e in examples {
        let scores: Vec<f64> = e
            .features
            .iter()
            .map(|f| f.score_with(&rule_weights))
            .collect();
        let labels = crate::article::label(
            &e.structure,
            &e.sentences,
            &scores,
            &e.features,
            rules,
            weights,
        );
        let mut cut = false;
        for ((label, gold), len) in labels.iter().zip(&e.gold).zip(&e.lengths) {
            if *gold == Label::Editorial {
                out.editorial += len;
                if *label == Label::Promo {
                    out.editorial_removed += len;
                    cut = true;
                }
            }
        }
        if cut && !e.gold.contains(&Label::Promo) {
            out.no_promo_cut += 1;
        }
    }
}

/// Inner folds of the training articles on which the bias is calibrated.
const INNER_FOLDS: usize = 4;
/// The step and the largest amount by which calibration lowers the regression's bias.
const CALIBRATION_STEP: f64 = 0.05;
const CALIBRATION_MAX_OFFSET: f64 = 0.5;
/// The most editorial text lowering the bias may take from the inner held-out articles, beyond
/// what the regression's own bias already takes there: well inside the 0.3% that issue 4
/// allows, because the outer held-out articles bring traps of their own. At 0.2% (until the
/// corpus had 290 articles), fixing one false cut in an article with ads freed the calibration
/// to lower the bias in two of ten folds, which then cut two articles without ads there; at
/// 0.1% none are cut at K = 4, 5 or 10. Counted from the regression's bias, not from nothing:
/// once the tenth writing round brought false cuts that no offset causes (0.07% of the inner
/// editorial text at offset 0), an absolute budget left room for only a quarter of the offset,
/// and ads caught held out in five folds fell from 92.8% to 87.9%.
const CALIBRATION_MAX_EDITORIAL_LOSS: f64 = 0.001;

/// Lowers the bias of `fitted` to where the decoder, not the sentence-level regression, stops
/// being safe. The regression scores sentences one at a time and is cost-sensitive, so its bias
/// is a sentence's threshold; the decoder then decides in context (a paragraph carries its
/// neutral opener, one cue does not flip a paragraph), which needs a lower one. The offset is
/// chosen on held-out decodes inside the training articles: the regression is fitted on
/// [`INNER_FOLDS`] - 1 inner folds and the one left out is decoded at each offset; the largest
/// offset (up to [`CALIBRATION_MAX_OFFSET`]) at which no more left-out articles without ads
/// lose text than at offset 0, and at most [`CALIBRATION_MAX_EDITORIAL_LOSS`] more of the
/// left-out editorial text goes, is taken. Choosing it on the articles the weights were fitted
/// on would take the traps those weights have already learned for the traps of unseen articles.
fn calibrate_bias(
    examples: &[Example],
    rules: &RuleSet,
    fitted: &RuleSet,
    iterations: usize,
) -> RuleSet {
    let inner: Vec<(Vec<Example>, RuleSet)> = (0..INNER_FOLDS)
        .map(|k| {
            let in_fold = |i: &usize| i % INNER_FOLDS == k;
            let pick = |keep: bool| -> Vec<Example> {
                examples
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| in_fold(i) == keep)
                    .map(|(_, e)| e.clone())
                    .collect()
            };
            let (left_out, training) = (pick(true), pick(false));
            (left_out, logistic(&training, rules, iterations))
        })
        .collect();
    // Every inner held-out fold decoded with its own regression's bias lowered by `offset`.
    let decode_at = |offset: f64| {
        let mut decoded = Decoded::default();
        for (left_out, inner_rules) in &inner {
            let bias = (inner_rules.weights().bias - offset).max(0.0);
            decode_all(left_out, inner_rules, bias, &mut decoded);
        }
        decoded
    };
    let base = decode_at(0.0);
    let mut offset = 0.0;
    let steps = (CALIBRATION_MAX_OFFSET / CALIBRATION_STEP).round() as usize;
    for step in 1..=steps {
        let candidate = step as f64 * CALIBRATION_STEP;
        let decoded = decode_at(candidate);
        if decoded.no_promo_cut > base.no_promo_cut
            || decoded.editorial_loss() - base.editorial_loss() > CALIBRATION_MAX_EDITORIAL_LOSS
        {
            break;
        }
        offset = candidate;
    }
    let mut weights = fitted.weights();
    weights.bias = (weights.bias - offset).max(0.0);
    let rule_weights: Vec<f64> = fitted.rules().iter().map(|r| r.weight).collect();
    fitted.with_weights(&rule_weights, weights)
}

/// A word becomes a rule when it stands in promo sentences of at least this many articles...
const WORD_MIN_ARTICLES: usize = 5;
/// ...and its log-odds of promo over editorial sentences is at least this.
const WORD_MIN_LOG_ODDS: f64 = 2.0;

/// Words that mark promo sentences across articles, per language, with a starting weight
/// from their log-odds. A word seen in the ads of fewer than five articles (`WORD_MIN_ARTICLES`)
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

/// Fits the rule weights and the bias by cost-sensitive logistic regression on sentences,
/// pulled toward the starting weights and bias (an L2 prior), keeping the labeller's costs. Convex, so
/// the result does not depend on the visiting order.
pub fn logistic(examples: &[Example], rules: &RuleSet, iterations: usize) -> RuleSet {
    let prior: Vec<f64> = rules.rules().iter().map(|r| r.weight).collect();
    let n = prior.len();
    let mut w = prior.clone();
    let mut bias = rules.weights().bias;
    let rows: Vec<(&SentenceFeatures, bool)> = examples
        .iter()
        .flat_map(|e| {
            e.features
                .iter()
                .zip(e.gold.iter().map(|l| *l == Label::Promo))
        })
        .collect();
    let total = rows.len().max(1) as f64;
    const PRIOR: f64 = 0.02;
    const RATE: f64 = 2.0;
    // Log-odds units are about SCALE times the score units the decoder's costs are set in.
    const SCALE: f64 = 4.0;
    for _ in 0..iterations {
        let mut grad = vec![0.0; n];
        let mut grad_bias = 0.0;
        for (f, promo) in &rows {
            let z = SCALE * (f.score_with(&w) - bias);
            let p = 1.0 / (1.0 + (-z).exp());
            let (target, cost) = if *promo {
                (1.0, 1.0)
            } else {
                (0.0, EDITORIAL_LOSS)
            };
            let g = cost * (p - target) * SCALE;
            for c in &f.cues {
                grad[c.rule] += g * c.strength;
            }
            grad_bias -= g;
        }
        for r in 0..n {
            w[r] -= RATE * (grad[r] / total + PRIOR * (w[r] - prior[r]));
        }
        bias -= RATE * (grad_bias / total + PRIOR * (bias - rules.weights().bias));
    }
    let mut weights = rules.weights();
    weights.bias = bias.max(0.0);
    rules.with_weights(&w, weights)
}
