//! Repeated passages: what a batch knows that one article does not.
//!
//! Publishers paste the same insert into hundreds of articles, changing a date, a price or a
//! figure. Its cues may be too weak to convict it in any one article, but a passage that stands
//! in many articles of a batch and also sounds promotional is an insert. A passage that recurs
//! without any promotional cue (an agency footer, a disclaimer) is boilerplate: reported, and
//! removed only when asked.
//!
//! # Passages and fingerprints
//!
//! A passage is one sentence of an article's body. Its [`fingerprint`] is a 64-bit xxh3 hash
//! of its words after normalising: lowercase; every number, with its separators, one token
//! (`19,99`, `2025`, `14:30` and `06.02.2026` all read `0`); month names one token; punctuation
//! and spacing ignored. So the copies of an insert that differ in a date, a price or a rate
//! share a fingerprint; one whose wording differs (another share's name) does not, though the
//! decoder still carries such a sentence along with the recurring sentences of its paragraph.
//! Sentences of fewer than [`MIN_WORDS`] words are not fingerprinted: short lines recur
//! everywhere. Fingerprints are written as 16 hexadecimal digits; xxh3 is a fixed algorithm, so
//! they are the same on every machine and in every version that keeps this normalisation.
//!
//! # Counting
//!
//! [`PassageCounts`] tells in how many articles of the batch a fingerprint stands (each article
//! counts once). Within one run it is a count-min sketch of [`SKETCH_ROWS`] rows of
//! [`SKETCH_WIDTH`] saturating one-byte counters (64 MiB, memory only for the counters
//! touched; once the batch is counted, only the counters of recurring passages are kept while
//! it is cleaned, [`PassageCounts::keep_recurring`]): adding is commutative, so the counts do not depend on the order of the articles or
//! the number of threads. A sketch can only overcount, and does so noticeably once a batch holds
//! more passages than a row has counters (about half a million articles); [`PassageCounts::load`]
//! says how full it is. Batches larger than that, or larger than one machine, are counted by an
//! existing engine from `klartext fingerprints` and read back exactly with `--known-repeats`
//! ([`PassageCounts::read_known`]).
//!
//! # The cue
//!
//! In an article, consecutive sentences that each stand in at least `min_articles` articles form
//! a recurring [`Passage`]. If any of its sentences has a promotional cue (a rule of a category,
//! with positive weight), every sentence of the passage gets `repeated_passage` (from the
//! `[weights]` of the rules) added to its score, times 1 for `min_articles` articles, 1.5 from
//! four times as many, 2 from sixteen times: an extra cue for the decoder like any other, so
//! context decides as always. A passage without such cues is [`Boilerplate`] when the decoder
//! leaves it editorial. An article more than [`MAX_ARTICLE_SHARE`] of whose body recurs is a
//! copy (a syndicated wire story), not a carrier of inserts: repeats are not used in it.

use foldhash::{HashMap, HashMapExt};
use std::io::BufRead;
use std::ops::Range;
use std::path::Path;

use serde_json::Value;

use crate::error::{Error, Result};
use crate::features::SentenceFeatures;
use crate::labels::Label;
use crate::letters;
use crate::rules::{RuleSet, Weights};
use crate::sentences::Sentence;
use crate::structure::Span;

/// Sentences with fewer words (numbers not counted) are not fingerprinted.
pub const MIN_WORDS: usize = 6;

/// The default number of articles a passage must stand in to count as recurring.
pub const DEFAULT_MIN_ARTICLES: u32 = 5;

/// An article more than this share of whose body text recurs is a copy, not a carrier.
pub const MAX_ARTICLE_SHARE: f64 = 0.5;

/// Rows of the in-run sketch.
pub const SKETCH_ROWS: usize = 4;

/// Counters per row of the in-run sketch.
pub const SKETCH_WIDTH: usize = 1 << 24;

/// The fingerprint of one passage, or `None` for one of fewer than [`MIN_WORDS`] words.
///
/// Its tokens are the runs of alphanumeric characters; a token with a numeric character is a
/// number, and a number right after a number is skipped ("19,99" and "06.02.2026" are one
/// number). The words, lower-cased (a month as `<month>`) and numbers (as `0`), joined by
/// spaces, are hashed. The tokens are found in one pass over the bytes that decodes only
/// non-ASCII characters and writes each character lower-cased as it reads it (it ran on every
/// sentence as a split on every character, a second scan of each token for digits, and a copy
/// char by char).
pub fn fingerprint(passage: &str, rules: &RuleSet) -> Option<u64> {
    fingerprint_with(passage, rules, &mut String::new())
}

/// [`fingerprint`] with `normalised` as the buffer for the normalised passage, so that the
/// passages of an article share one allocation instead of one each.
pub fn fingerprint_with(passage: &str, rules: &RuleSet, normalised: &mut String) -> Option<u64> {
    let bytes = passage.as_bytes();
    normalised.clear();
    normalised.reserve(passage.len());
    let mut words = 0;
    let mut last_was_number = false;
    let mut at = 0;
    while at < bytes.len() {
        let b = bytes[at];
        if b.is_ascii() && ASCII_CLASS[b as usize] == SEPARATOR {
            at += 1;
            continue;
        }
        // The token is written lower-cased as it is read, after a space if it is not the
        // first; a number or a skipped one is taken back at its end.
        let mark = normalised.len();
        if mark > 0 {
            normalised.push(' ');
        }
        let from = normalised.len();
        let mut is_number = false;
        while at < bytes.len() {
            let b = bytes[at];
            if b.is_ascii() {
                match ASCII_CLASS[b as usize] {
                    SEPARATOR => break,
                    DIGIT => is_number = true,
                    _ => {}
                }
                normalised.push(char::from(b.to_ascii_lowercase()));
                at += 1;
            } else {
                let c = passage[at..]
                    .chars()
                    .next()
                    .expect("at a character boundary");
                if !letters::is_alphanumeric(c) {
                    break;
                }
                is_number |= !letters::is_latin_letter(c) && c.is_numeric();
                letters::push_lowercase(normalised, c);
                at += c.len_utf8();
            }
        }
        if from == normalised.len() {
            // A separator beyond ASCII: on to the next character.
            normalised.truncate(mark);
            at += passage[at..].chars().next().map_or(1, char::len_utf8);
            continue;
        }
        if is_number && last_was_number {
            normalised.truncate(mark);
            continue;
        }
        last_was_number = is_number;
        if is_number {
            normalised.truncate(from);
            normalised.push('0');
            continue;
        }
        if rules.datelines().is_month(&normalised[from..]) {
            normalised.truncate(from);
            normalised.push_str("<month>");
        }
        words += 1;
    }
    (words >= MIN_WORDS).then(|| xxhash_rust::xxh3::xxh3_64(normalised.as_bytes()))
}

/// [`ASCII_CLASS`]: not part of a token.
const SEPARATOR: u8 = 0;
/// [`ASCII_CLASS`]: a letter.
const LETTER: u8 = 1;
/// [`ASCII_CLASS`]: a digit (makes its token a number).
const DIGIT: u8 = 2;

/// What each ASCII byte is to [`fingerprint`]'s tokens (`char::is_alphanumeric` and
/// `char::is_numeric` on ASCII).
const ASCII_CLASS: [u8; 128] = {
    let mut class = [SEPARATOR; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        if c.is_ascii_digit() {
            class[b] = DIGIT;
        } else if c.is_ascii_alphabetic() {
            class[b] = LETTER;
        }
        b += 1;
    }
    class
};

/// A fingerprint as written in JSON: 16 hexadecimal digits.
pub fn to_hex(fingerprint: u64) -> String {
    format!("{fingerprint:016x}")
}

/// A fingerprint from its hexadecimal form.
pub fn from_hex(hex: &str) -> Option<u64> {
    (hex.len() == 16)
        .then(|| u64::from_str_radix(hex, 16).ok())
        .flatten()
}

/// The distinct fingerprints of an article's body sentences, sorted: what it adds to the
/// counts. Reads the article as [`crate::article::clean`] does (language, structure,
/// sentences), so the passages are the same.
pub fn article_fingerprints(text: &str, rules: &RuleSet) -> Vec<u64> {
    crate::article::read(text, rules).passage_fingerprints(text, rules)
}

/// In how many articles of a batch each passage stands.
#[derive(Clone, Debug)]
pub struct PassageCounts {
    store: Store,
}

#[derive(Clone, Debug)]
enum Store {
    /// Count-min sketch: `SKETCH_ROWS` rows of `width` saturating counters, and how many
    /// (article, passage) pairs went in.
    Sketch {
        counters: Vec<u8>,
        width: usize,
        added: u64,
    },
    /// The counters of a sketch that reached some number of articles
    /// ([`PassageCounts::keep_recurring`]): their places among the sketch's counters (row by
    /// row, in order) and their values. The others read 0.
    Recurring {
        cells: Vec<u32>,
        counts: Vec<u8>,
        width: usize,
        added: u64,
    },
    /// Exact counts (from `--known-repeats`, or a window of a stream), in a foldhash map: every
    /// sentence of a window is counted and looked up, and the standard library's SipHash was
    /// most of that.
    Exact(HashMap<u64, u32>),
}

impl PassageCounts {
    /// An empty sketch for a batch of any size (see the module documentation).
    pub fn sketch() -> PassageCounts {
        PassageCounts::sketch_of_width(SKETCH_WIDTH)
    }

    fn sketch_of_width(width: usize) -> PassageCounts {
        PassageCounts {
            store: Store::Sketch {
                // Zeroed memory is mapped lazily: only touched counters cost memory.
                counters: vec![0; SKETCH_ROWS * width],
                width,
                added: 0,
            },
        }
    }

    /// Empty exact counts (for a small batch such as a window of a stream).
    pub fn exact() -> PassageCounts {
        PassageCounts {
            store: Store::Exact(HashMap::new()),
        }
    }

    /// Adds one article: its distinct fingerprints ([`article_fingerprints`]).
    pub fn add_article(&mut self, fingerprints: &[u64]) {
        match &mut self.store {
            Store::Sketch {
                counters,
                width,
                added,
            } => {
                for &f in fingerprints {
                    for row in 0..SKETCH_ROWS {
                        let cell = &mut counters[row * *width + cell_of(f, row, *width)];
                        *cell = cell.saturating_add(1);
                    }
                }
                *added += fingerprints.len() as u64;
            }
            Store::Exact(map) => {
                for &f in fingerprints {
                    *map.entry(f).or_default() += 1;
                }
            }
            Store::Recurring { .. } => {
                panic!("passages are added before the sketch keeps only its recurring ones")
            }
        }
    }

    /// Keeps of a sketch only the counters of at least `min_articles` articles, once the batch
    /// is counted. A passage's count is the least of its counters, so every passage in at
    /// least `min_articles` articles keeps its count, and every other reads 0 instead of a
    /// count below `min_articles`, which cleaning treats as 0 ([`passages`]).
    ///
    /// A sketch of a large batch touches all its 64 MiB, and kept them while the batch was
    /// cleaned: a quarter of the peak memory of `clean -j2` over 20 MB of articles. Its
    /// recurring counters are a few in a row; when they are too many to take less room than
    /// the whole sketch, the sketch is kept as it is. Exact counts are kept as they are.
    pub fn keep_recurring(self, min_articles: u32) -> PassageCounts {
        let Store::Sketch {
            counters,
            width,
            added,
        } = self.store
        else {
            return self;
        };
        let recurring = |&(_, &count): &(usize, &u8)| u32::from(count) >= min_articles;
        let kept = counters.iter().enumerate().filter(recurring).count();
        let store = if kept * (size_of::<u32>() + size_of::<u8>()) < counters.len() {
            let (cells, counts) = counters
                .iter()
                .enumerate()
                .filter(recurring)
                .map(|(cell, &count)| (cell as u32, count))
                .unzip();
            Store::Recurring {
                cells,
                counts,
                width,
                added,
            }
        } else {
            Store::Sketch {
                counters,
                width,
                added,
            }
        };
        PassageCounts { store }
    }

    /// In how many articles the passage stands (a sketch may overcount, never undercount, and
    /// stops counting at 255; after [`PassageCounts::keep_recurring`], 0 for a passage in
    /// fewer articles than it kept).
    pub fn count(&self, fingerprint: u64) -> u32 {
        match &self.store {
            Store::Sketch {
                counters, width, ..
            } => (0..SKETCH_ROWS)
                .map(|row| counters[row * width + cell_of(fingerprint, row, *width)])
                .min()
                .unwrap_or(0) as u32,
            Store::Recurring {
                cells,
                counts,
                width,
                ..
            } => (0..SKETCH_ROWS)
                .map(|row| {
                    let cell = (row * width + cell_of(fingerprint, row, *width)) as u32;
                    cells.binary_search(&cell).map_or(0, |at| counts[at])
                })
                .min()
                .unwrap_or(0) as u32,
            Store::Exact(map) => map.get(&fingerprint).copied().unwrap_or(0),
        }
    }

    /// For a sketch, passages added per counter of a row: below 1 the counts are as good as
    /// exact; above it, passages that stand in few articles start to look recurring. 0 for
    /// exact counts.
    pub fn load(&self) -> f64 {
        match &self.store {
            Store::Sketch { width, added, .. } | Store::Recurring { width, added, .. } => {
                *added as f64 / *width as f64
            }
            Store::Exact(_) => 0.0,
        }
    }

    /// Reads counts made elsewhere (`--known-repeats`): JSON lines
    /// `{"passage": "<16 hex digits>", "articles": N}`, as a distributed engine writes them
    /// from the output of `klartext fingerprints`. Only passages in at least `min_articles`
    /// articles are kept. A bad line fails with its file and line.
    pub fn read_known(path: &Path, min_articles: u32) -> Result<PassageCounts> {
        let reader = crate::shards::open(path)?;
        let mut map = HashMap::new();
        for (number, line) in reader.lines().enumerate() {
            let line = line.map_err(|e| Error::io(path, e))?;
            if line.trim().is_empty() {
                continue;
            }
            let bad = |why: &str| {
                Error::usage(format!(
                    "{}:{}: {why}; each line must be {{\"passage\": \"<16 hex digits>\", \"articles\": N}}",
                    path.display(),
                    number + 1
                ))
            };
            let value: Value = serde_json::from_str(&line).map_err(|_| bad("not JSON"))?;
            let passage = value["passage"]
                .as_str()
                .and_then(from_hex)
                .ok_or_else(|| bad("no `passage` fingerprint"))?;
            let articles = value["articles"]
                .as_u64()
                .ok_or_else(|| bad("no `articles` count"))?;
            let articles = u32::try_from(articles).unwrap_or(u32::MAX);
            if articles >= min_articles {
                let entry = map.entry(passage).or_insert(0u32);
                *entry = entry.saturating_add(articles);
            }
        }
        Ok(PassageCounts {
            store: Store::Exact(map),
        })
    }
}

/// Adds the records of a JSONL stream to `counts`: the text under `text_key` of every line that
/// is a JSON object with a string there (other lines add nothing). Records are fingerprinted in
/// parallel, in batches; a read error (a truncated file) ends the count with that error.
pub fn count_records(
    mut reader: impl BufRead,
    text_key: &str,
    rules: &RuleSet,
    counts: &mut PassageCounts,
) -> std::io::Result<()> {
    use rayon::prelude::*;
    let mut done = false;
    while !done {
        let mut lines: Vec<Vec<u8>> = Vec::with_capacity(crate::records::BATCH_LINES);
        while lines.len() < crate::records::BATCH_LINES {
            let mut line = Vec::new();
            if reader.read_until(b'\n', &mut line)? == 0 {
                done = true;
                break;
            }
            lines.push(line);
        }
        let found: Vec<Vec<u64>> = lines
            .par_iter()
            .map(|line| match serde_json::from_slice::<Value>(line) {
                Ok(Value::Object(record)) => match record.get(text_key) {
                    Some(Value::String(text)) => article_fingerprints(text, rules),
                    _ => Vec::new(),
                },
                _ => Vec::new(),
            })
            .collect();
        for fingerprints in &found {
            counts.add_article(fingerprints);
        }
    }
    Ok(())
}

/// Adds article files to `counts` (decoded as `clean` decodes them; files that cannot be read
/// add nothing), in parallel, in batches.
pub fn count_files(paths: &[&Path], rules: &RuleSet, counts: &mut PassageCounts) {
    use rayon::prelude::*;
    for chunk in paths.chunks(crate::records::BATCH_LINES) {
        let found: Vec<Vec<u64>> = chunk
            .par_iter()
            .map(|path| {
                crate::batch::read_article(path)
                    .ok()
                    .map(|text| article_fingerprints(&text, rules))
                    .unwrap_or_default()
            })
            .collect();
        for fingerprints in &found {
            counts.add_article(fingerprints);
        }
    }
}

/// The counter of `fingerprint` in `row`.
fn cell_of(fingerprint: u64, row: usize, width: usize) -> usize {
    let mixed = xxhash_rust::xxh3::xxh3_64_with_seed(&fingerprint.to_le_bytes(), row as u64);
    (mixed as usize) & (width - 1)
}

/// What one article is cleaned against: the batch's passage counts and what to do with them.
#[derive(Clone, Copy, Debug)]
pub struct Repeats<'a> {
    pub counts: &'a PassageCounts,
    /// A passage recurs when it stands in at least this many articles.
    pub min_articles: u32,
    /// Remove boilerplate from the clean text (default: report it only).
    pub strip_boilerplate: bool,
}

/// A run of consecutive sentences of one article that each recur across the batch.
#[derive(Clone, Debug, PartialEq)]
pub struct Passage {
    pub sentences: Range<usize>,
    /// The fewest articles any of its sentences stands in.
    pub articles: u32,
    /// Whether any of its sentences has a promotional cue (a rule of a category, with
    /// positive weight).
    pub promo_cues: bool,
}

/// The recurring passages of an article.
pub fn passages(
    text: &str,
    sentences: &[Sentence],
    fingerprints: &[Option<u64>],
    features: &[SentenceFeatures],
    rules: &RuleSet,
    repeats: &Repeats<'_>,
) -> Vec<Passage> {
    let counts: Vec<u32> = fingerprints
        .iter()
        .map(|f| f.map_or(0, |f| repeats.counts.count(f)))
        .map(|c| if c >= repeats.min_articles { c } else { 0 })
        .collect();
    let length = |s: &Sentence| s.span.of(text).chars().count();
    let body: usize = sentences.iter().map(length).sum();
    let recurring: usize = sentences
        .iter()
        .zip(&counts)
        .filter(|(_, c)| **c > 0)
        .map(|(s, _)| length(s))
        .sum();
    if recurring as f64 > MAX_ARTICLE_SHARE * body as f64 {
        return Vec::new();
    }
    let promo = |i: usize| {
        features[i].cues.iter().any(|cue| {
            let rule = &rules.rules()[cue.rule];
            rule.category.is_some() && rule.weight > 0.0
        })
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < counts.len() {
        if counts[i] == 0 {
            i += 1;
            continue;
        }
        let start = i;
        while i < counts.len() && counts[i] > 0 {
            i += 1;
        }
        out.push(Passage {
            sentences: start..i,
            articles: counts[start..i].iter().copied().min().unwrap_or(0),
            promo_cues: (start..i).any(promo),
        });
    }
    out
}

/// Adds the repeat cue to the scores of the sentences of recurring passages with promotional
/// cues (see the module documentation).
pub fn add_cue(
    features: &mut [SentenceFeatures],
    passages: &[Passage],
    min_articles: u32,
    weights: Weights,
) {
    for passage in passages.iter().filter(|p| p.promo_cues) {
        let times = passage.articles / min_articles.max(1);
        let strength = match times {
            0..4 => 1.0,
            4..16 => 1.5,
            _ => 2.0,
        };
        for f in &mut features[passage.sentences.clone()] {
            f.score += weights.repeated_passage * strength;
        }
    }
}

/// A recurring passage without promotional cues that the decoder left editorial: an agency
/// footer, a disclaimer.
#[derive(Clone, Debug, PartialEq)]
pub struct Boilerplate {
    /// From the start of its first sentence to the end of its last (bytes of the text).
    pub span: Span,
    pub sentences: Range<usize>,
    /// The fewest articles any of its sentences stands in.
    pub articles: u32,
    /// Whether it was removed from the clean text.
    pub stripped: bool,
}

/// The boilerplate among `passages`: the runs of their editorial sentences, for passages
/// without promotional cues.
pub fn boilerplate(
    passages: &[Passage],
    sentences: &[Sentence],
    labels: &[Label],
    strip: bool,
) -> Vec<Boilerplate> {
    let mut out = Vec::new();
    for passage in passages.iter().filter(|p| !p.promo_cues) {
        let mut i = passage.sentences.start;
        while i < passage.sentences.end {
            if labels[i] != Label::Editorial {
                i += 1;
                continue;
            }
            let start = i;
            while i < passage.sentences.end && labels[i] == Label::Editorial {
                i += 1;
            }
            out.push(Boilerplate {
                span: Span::new(sentences[start].span.start, sentences[i - 1].span.end),
                sentences: start..i,
                articles: passage.articles,
                stripped: strip,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_dates_case_and_punctuation_do_not_change_a_fingerprint() {
        let rules = RuleSet::builtin();
        let a = fingerprint(
            "Bis zum 3. März 2025 gibt es 2,15 Prozent Zinsen auf das Tagesgeld.",
            &rules,
        );
        let b = fingerprint(
            "bis zum 14. Juni 2026 gibt es 3,5 Prozent Zinsen auf das Tagesgeld!",
            &rules,
        );
        assert!(a.is_some());
        assert_eq!(a, b);
        let other_word = fingerprint(
            "Bis zum 3. März 2025 gibt es 2,15 Prozent Zinsen auf das Festgeld.",
            &rules,
        );
        assert_ne!(a, other_word);
        assert_eq!(fingerprint("Mehr dazu hier: 2025.", &rules), None);
    }

    #[test]
    fn fingerprints_round_trip_through_hex() {
        let f = 0x00ab_cdef_0123_4567;
        assert_eq!(to_hex(f), "00abcdef01234567");
        assert_eq!(from_hex(&to_hex(f)), Some(f));
        assert_eq!(from_hex("abc"), None);
    }

    #[test]
    fn a_sketch_counts_articles_in_any_order() {
        let articles: Vec<Vec<u64>> = (0..40u64)
            .map(|i| {
                let mut f = vec![1000 + i, 7, 2000 + i];
                if i % 2 == 0 {
                    f.push(9);
                }
                f.sort();
                f
            })
            .collect();
        let mut forward = PassageCounts::sketch_of_width(1 << 10);
        let mut backward = PassageCounts::sketch_of_width(1 << 10);
        for a in &articles {
            forward.add_article(a);
        }
        for a in articles.iter().rev() {
            backward.add_article(a);
        }
        assert_eq!(forward.count(7), 40);
        assert_eq!(forward.count(9), 20);
        assert_eq!(forward.count(1003), 1);
        assert_eq!(forward.count(123_456), 0);
        for f in [7, 9, 1003, 2039, 55] {
            assert_eq!(forward.count(f), backward.count(f));
        }
        assert!(forward.load() > 0.1 && forward.load() < 0.2);
        let load = forward.load();
        let recurring = forward.keep_recurring(20);
        assert!(matches!(recurring.store, Store::Recurring { .. }));
        assert_eq!(recurring.count(7), 40);
        assert_eq!(recurring.count(9), 20);
        assert_eq!(recurring.count(1003), 0);
        assert_eq!(recurring.count(123_456), 0);
        assert_eq!(recurring.load(), load);
    }
}
