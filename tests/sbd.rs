//! Sentence boundaries measured on the public benchmark in `tests/data/sbd/` (pySBD golden
//! rules, Universal Dependencies; see `SOURCES.md` there for origin and licences).
//!
//! Metrics as `SOURCES.md` defines them: golden files, the share of cases whose sentences equal
//! the gold after whitespace is collapsed; UD files, boundary F1 over offsets where a sentence
//! ends inside the whitespace-collapsed text. Tuning happens on golden and `*_dev`; `*_test`
//! figures are reported, never tuned to. The team's blind news passages in `tests/data/sbd_news/`
//! (see `SOURCES.md` there) are measured with both metrics and, like `*_test`, never tuned to.
//! `KLARTEXT_SBD_SHOW=1 cargo test sbd -- --nocapture` prints every golden case that differs and
//! every dev boundary in dispute.

use std::collections::{BTreeMap, BTreeSet};

use klartext::{sentences, RuleSet};
use serde::Deserialize;

#[derive(Deserialize)]
struct Case {
    id: String,
    lang: String,
    text: String,
    sentences: Vec<String>,
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn cases(file: &str) -> Vec<Case> {
    let path = crate::util::repo().join("tests/data").join(file);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn predicted(case: &Case, rules: &RuleSet) -> Vec<String> {
    sentences::split_text(&case.text, &case.lang, rules)
        .into_iter()
        .map(|s| collapse(s.of(&case.text)))
        .filter(|s| !s.is_empty())
        .collect()
}

/// Offsets in the collapsed text where an inner sentence ends.
fn inner_ends(sentences: &[String]) -> BTreeSet<usize> {
    let mut ends = BTreeSet::new();
    let mut at = 0;
    for s in sentences {
        at += s.len();
        ends.insert(at);
        at += 1;
    }
    ends.remove(&(at.saturating_sub(1)));
    ends
}

fn show() -> bool {
    std::env::var_os("KLARTEXT_SBD_SHOW").is_some()
}

/// Files whose errors are never listed, so that nobody tunes to them: the UD test files and the
/// team's blind news passages (`tests/data/sbd_news/`, written by someone who never saw the
/// splitter).
fn never_shown(file: &str) -> bool {
    file.contains("_test") || file.starts_with("sbd_news/")
}

/// Share of cases split exactly as the gold.
fn exact(file: &str, rules: &RuleSet) -> f64 {
    let cases = cases(file);
    let mut right = 0;
    for case in &cases {
        let gold: Vec<String> = case.sentences.iter().map(|s| collapse(s)).collect();
        let got = predicted(case, rules);
        if got == gold {
            right += 1;
        } else if show() && !never_shown(file) {
            println!("{}\n  gold: {gold:?}\n  got:  {got:?}", case.id);
        }
    }
    right as f64 / cases.len() as f64
}

/// Boundary F1 over all cases.
fn boundary_f1(file: &str, rules: &RuleSet) -> f64 {
    let (mut tp, mut fp, mut fn_) = (0usize, 0usize, 0usize);
    let mut shapes: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for case in cases(file) {
        let gold = inner_ends(
            &case
                .sentences
                .iter()
                .map(|s| collapse(s))
                .collect::<Vec<_>>(),
        );
        let got = inner_ends(&predicted(&case, rules));
        tp += gold.intersection(&got).count();
        fp += got.difference(&gold).count();
        fn_ += gold.difference(&got).count();
        if show() && !never_shown(file) {
            let text = collapse(&case.text);
            let wrong = got.difference(&gold).map(|&at| (at, "false split"));
            for (at, kind) in wrong.chain(gold.difference(&got).map(|&at| (at, "missed split"))) {
                let (shape, context) = disagreement(&text, at);
                shapes
                    .entry(format!("{kind}: {shape}"))
                    .or_default()
                    .push(format!("{}: {context}", case.id));
            }
        }
    }
    let mut groups: Vec<_> = shapes.into_iter().collect();
    groups.sort_by_key(|(_, found)| std::cmp::Reverse(found.len()));
    for (shape, found) in groups {
        println!("{file}: {} × {shape}", found.len());
        for line in found {
            println!("    {line}");
        }
    }
    let precision = tp as f64 / (tp + fp).max(1) as f64;
    let recall = tp as f64 / (tp + fn_).max(1) as f64;
    2.0 * precision * recall / (precision + recall).max(f64::EPSILON)
}

/// The shape of a boundary at byte `at` of the collapsed `text` (the punctuation before it, the
/// kind of word it follows, the start of what follows) and the text around it, marked with "|".
fn disagreement(text: &str, at: usize) -> (String, String) {
    let (before, after) = text.split_at(at);
    let word = before.rsplit(' ').next().unwrap_or("");
    let stem = word.trim_end_matches(|c: char| !c.is_alphanumeric());
    let punctuation = &word[stem.len()..];
    let next = after.trim_start().split(' ').next().unwrap_or("");
    let kind = |w: &str| -> &str {
        let w = w.trim_start_matches(|c: char| !c.is_alphanumeric());
        match w.chars().next() {
            None => "symbols",
            Some(c) if c.is_ascii_digit() => "number",
            Some(c) if w.chars().count() == 1 => {
                if c.is_uppercase() {
                    "Letter"
                } else {
                    "letter"
                }
            }
            Some(c) if c.is_uppercase() => "Word",
            Some(_) => "word",
        }
    };
    let next_kind = if next.starts_with(|c: char| c.is_alphanumeric()) {
        kind(next).to_string()
    } else {
        format!("{} {}", next.chars().next().unwrap_or(' '), kind(next))
    };
    let shape = format!("{} «{punctuation}» {next_kind}", kind(stem));
    let from = before.char_indices().rev().nth(50).map_or(0, |(i, _)| i);
    let to = after.char_indices().nth(50).map_or(after.len(), |(i, _)| i);
    (shape, format!("{}|{}", &before[from..], &after[..to]))
}

/// The files, their metric, the figure reached when this test was last raised (a regression
/// floor: the test fails when klartext drops below it), and the target of issue 3 (printed; the
/// floors rise to the targets as the splitter gets there). French and Spanish have no target:
/// their floors only keep what the rules reach, and neither do the blind news passages (their
/// floors are the figures of their first and only scoring).
type Metric = (&'static str, fn(&str, &RuleSet) -> f64);
const EXACT: Metric = ("exact", exact);
const F1: Metric = ("boundary F1", boundary_f1);
const TABLE: [(&str, Metric, f64, Option<f64>); 12] = [
    ("sbd/golden_de.jsonl", EXACT, 1.0, Some(0.97)),
    ("sbd/golden_en.jsonl", EXACT, 1.0, Some(0.98)),
    ("sbd/golden_fr.jsonl", EXACT, 1.0, None),
    ("sbd/golden_es.jsonl", EXACT, 0.914, None),
    ("sbd/ud_de_dev.jsonl", F1, 0.998, Some(0.99)),
    ("sbd/ud_en_dev.jsonl", F1, 0.996, Some(0.99)),
    ("sbd/ud_de_test.jsonl", F1, 0.992, Some(0.99)),
    ("sbd/ud_en_test.jsonl", F1, 0.993, Some(0.993)),
    ("sbd_news/news_de.jsonl", EXACT, 0.933, None),
    ("sbd_news/news_en.jsonl", EXACT, 0.95, None),
    ("sbd_news/news_de.jsonl", F1, 0.988, None),
    ("sbd_news/news_en.jsonl", F1, 0.990, None),
];

#[test]
fn sentence_boundaries_on_the_benchmark() {
    let rules = RuleSet::builtin();
    let mut below = Vec::new();
    for (file, (metric, measure), floor, target) in TABLE {
        let figure = measure(file, &rules);
        let mark = match target {
            Some(target) if figure >= target => format!("reaches target {target}"),
            Some(target) => format!("below target {target}"),
            None => "no target".to_string(),
        };
        println!("{file} {metric}: {figure:.4} ({mark}, floor {floor})");
        if figure < floor {
            below.push(format!("{file} {metric}: {figure:.3} < {floor}"));
        }
    }
    assert!(below.is_empty(), "below the floor: {below:?}");
}
