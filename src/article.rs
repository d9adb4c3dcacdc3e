//! The pipeline for one article: structure → sentences → features → labels → clean text.
//!
//! [`clean`] is the whole of klartext's work on one text; reading files and writing outputs are
//! the callers' business (see [`crate::batch`]).
//!
//! A text with invisible format characters (soft hyphens, zero-width spaces: see
//! [`crate::invisible`]) is read without them, and every span found is mapped back to the text
//! as given: whatever points into the text, in a [`CleanArticle`], points into the text given.

use crate::class::{self, ArticleClass};
use crate::features::{self, SentenceFeatures};
use crate::invisible::{self, Stripped};
use crate::labels::{self, AdSpan, Label};
use crate::lang::{self, Language};
use crate::repeats::{self, Boilerplate, Passage, Repeats};
use crate::rules::{RuleSet, Weights};
use crate::sentences::{self, Sentence};
use crate::structure::{self, BlockKind, Span, Structure};

/// One article after cleaning: what was found in it and what is left of it. Every span (of its
/// blocks, dateline, sentences, ads, boilerplate) is a byte range of the text given to [`clean`],
/// invisible format characters included; the clean text and the headings are without them.
#[derive(Clone, Debug)]
pub struct CleanArticle {
    pub language: Language,
    pub structure: Structure,
    pub sentences: Vec<Sentence>,
    pub features: Vec<SentenceFeatures>,
    pub labels: Vec<Label>,
    pub ads: Vec<AdSpan>,
    /// The title, then every editorial heading and paragraph, one per line, without invisible
    /// format characters ([`crate::invisible`]).
    pub clean_text: String,
    /// Editorial headings, in order.
    pub headings: Vec<String>,
    /// What the article is as a whole (see [`crate::class`]).
    pub class: ArticleClass,
    /// Its passages that recur across the batch (empty when cleaned alone).
    pub repeated: Vec<Passage>,
    /// Recurring passages without promotional cues, kept or stripped.
    pub boilerplate: Vec<Boilerplate>,
}

impl CleanArticle {
    pub fn title<'t>(&self, text: &'t str) -> Option<&'t str> {
        self.structure
            .blocks
            .first()
            .filter(|b| b.kind == BlockKind::Title)
            .map(|b| b.span.of(text))
    }
}

/// Runs the whole pipeline on one article.
pub fn clean(text: &str, rules: &RuleSet) -> CleanArticle {
    clean_in_batch(text, rules, None)
}

/// Runs the whole pipeline on one article of a batch: `repeats` tells which of its passages
/// recur across the batch, an extra cue for the decoder (see [`crate::repeats`]).
pub fn clean_in_batch(text: &str, rules: &RuleSet, repeats: Option<&Repeats<'_>>) -> CleanArticle {
    clean_reading(text, read(text, rules), rules, repeats)
}

/// An article read up to its sentences: the first stages of the pipeline, and all that counting
/// recurring passages needs. A stream that counts passages within a window reads each article
/// once and uses the reading for both the count and the cleaning.
///
/// The spans of `structure` and `sentences` point into the text read ([`Reading::text`]): the
/// text given, or its copy without invisible format characters when it held any.
/// [`clean_reading`] maps what it finds back to the text given.
#[derive(Clone, Debug)]
pub struct Reading {
    pub language: Language,
    pub structure: Structure,
    pub sentences: Vec<Sentence>,
    /// The text without its invisible format characters, when it held any.
    stripped: Option<Stripped>,
    /// Each sentence's passage fingerprint ([`repeats::fingerprint`]), once asked for.
    fingerprints: Option<Vec<Option<u64>>>,
}

/// Reads an article: language, structure, sentences.
pub fn read(text: &str, rules: &RuleSet) -> Reading {
    let stripped = invisible::strip(text);
    let read = stripped.as_ref().map_or(text, |s| s.text.as_str());
    let language = lang::detect(read, rules);
    let structure = structure::parse(read, &language.code, rules);
    let sentences = sentences::segment(read, &structure, &language.code, rules);
    Reading {
        language,
        structure,
        sentences,
        stripped,
        fingerprints: None,
    }
}

impl Reading {
    /// The text the reading's spans point into: `given` (the text given to [`read`]) or, when
    /// it held invisible format characters, its copy without them.
    pub fn text<'t>(&'t self, given: &'t str) -> &'t str {
        self.stripped.as_ref().map_or(given, |s| s.text.as_str())
    }

    /// The span of the text given to [`read`] that `span` of [`Reading::text`] stands for (see
    /// [`Stripped::span_back`]).
    pub fn span_back(&self, span: Span) -> Span {
        self.stripped.as_ref().map_or(span, |s| s.span_back(span))
    }

    /// Each sentence's passage fingerprint (`None` for one too short to count), computed on
    /// the first call. `text` is the text given to [`read`].
    pub fn fingerprints(&mut self, text: &str, rules: &RuleSet) -> &[Option<u64>] {
        let text = self.stripped.as_ref().map_or(text, |s| s.text.as_str());
        let sentences = &self.sentences;
        self.fingerprints.get_or_insert_with(|| {
            let mut normalised = String::new();
            sentences
                .iter()
                .map(|s| repeats::fingerprint_with(s.span.of(text), rules, &mut normalised))
                .collect()
        })
    }

    /// The distinct fingerprints of the article's sentences, sorted: what it adds to the counts
    /// of a batch ([`repeats::PassageCounts::add_article`]). `text` is the text given to [`read`].
    pub fn passage_fingerprints(&mut self, text: &str, rules: &RuleSet) -> Vec<u64> {
        let mut out: Vec<u64> = self
            .fingerprints(text, rules)
            .iter()
            .flatten()
            .copied()
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// Runs the rest of the pipeline on an article already read from `text` (see [`read`]).
pub fn clean_reading(
    text: &str,
    mut reading: Reading,
    rules: &RuleSet,
    repeats: Option<&Repeats<'_>>,
) -> CleanArticle {
    match reading.stripped.take() {
        None => clean_read_text(text, reading, rules, repeats),
        Some(stripped) => {
            let mut article = clean_read_text(&stripped.text, reading, rules, repeats);
            spans_back(&mut article, text, &stripped);
            article
        }
    }
}

/// Points every span of `article`, found in `stripped`, into `text`, the text it was stripped
/// of invisible format characters from; the dateline's text becomes its slice of `text`, as it
/// is for a text without them. The patterns name every field, so that a field added to the
/// article or its structure is not left pointing into the copy unnoticed.
fn spans_back(article: &mut CleanArticle, text: &str, stripped: &Stripped) {
    let CleanArticle {
        structure:
            Structure {
                blocks,
                dateline,
                entries: _,
                stamps,
            },
        sentences,
        ads,
        boilerplate,
        language: _,
        features: _,
        labels: _,
        clean_text: _,
        headings: _,
        class: _,
        repeated: _,
    } = article;
    for (block, stamp) in blocks.iter_mut().zip(stamps) {
        let stripped_span = block.span;
        block.span = stripped.span_back(stripped_span);
        if *stamp > 0 {
            let time = Span::new(stripped_span.start, stripped_span.start + *stamp);
            *stamp = stripped.span_back(time).end - block.span.start;
        }
    }
    if let Some(dateline) = dateline {
        dateline.span = stripped.span_back(dateline.span);
        dateline.text = dateline.span.of(text).to_string();
    }
    for sentence in sentences {
        sentence.span = stripped.span_back(sentence.span);
    }
    for ad in ads {
        ad.span = stripped.span_back(ad.span);
    }
    for boilerplate in boilerplate {
        boilerplate.span = stripped.span_back(boilerplate.span);
    }
}

/// Runs the rest of the pipeline on an article read from `text`, the text its spans point into.
fn clean_read_text(
    text: &str,
    mut reading: Reading,
    rules: &RuleSet,
    repeats: Option<&Repeats<'_>>,
) -> CleanArticle {
    if repeats.is_some() {
        reading.fingerprints(text, rules);
    }
    let Reading {
        language,
        structure,
        sentences,
        fingerprints,
        ..
    } = reading;
    let (mut features, echo) =
        features::extract_but_echo(text, &structure, &sentences, &language.code, rules);
    let repeated = match (repeats, &fingerprints) {
        (Some(r), Some(fingerprints)) => {
            let passages = repeats::passages(text, &sentences, fingerprints, &features, rules, r);
            repeats::add_cue(&mut features, &passages, r.min_articles, rules.weights());
            passages
        }
        _ => Vec::new(),
    };
    // Every cue is in: the decoder's reads of the echo below are known.
    let read = labels::reads_echo_below(&sentences, &features, rules);
    echo.mark(&mut features, text, &sentences, rules, &read);
    let scores: Vec<f64> = features.iter().map(|f| f.score).collect();
    let labels = label(
        &structure,
        &sentences,
        &scores,
        &features,
        rules,
        rules.weights(),
    );
    let ads = labels::ad_spans(text, &sentences, &features, &labels, rules);
    let strip = repeats.is_some_and(|r| r.strip_boilerplate);
    let boilerplate = repeats::boilerplate(&repeated, &sentences, &labels, strip);
    let mut removed: Vec<bool> = labels.iter().map(|l| *l == Label::Promo).collect();
    for b in boilerplate.iter().filter(|b| b.stripped) {
        removed[b.sentences.clone()]
            .iter_mut()
            .for_each(|r| *r = true);
    }
    let (clean_text, headings) = render(text, &structure, &sentences, &removed);
    let mut article = CleanArticle {
        language,
        structure,
        sentences,
        features,
        labels,
        ads,
        clean_text,
        headings,
        class: ArticleClass::Clean,
        repeated,
        boilerplate,
    };
    article.class = class::classify(text, &article, rules);
    article
}

/// The clean text and the editorial headings: every block minus its `removed` sentences, on one
/// line. The pieces of a block left on both sides of a cut are joined with one space.
fn render(
    text: &str,
    structure: &Structure,
    sentences: &[Sentence],
    removed_sentences: &[bool],
) -> (String, Vec<String>) {
    let mut removed: Vec<Vec<Span>> = vec![Vec::new(); structure.blocks.len()];
    for (sentence, is_removed) in sentences.iter().zip(removed_sentences) {
        if *is_removed {
            removed[sentence.block].push(sentence.span);
        }
    }
    // Room for the whole text at once (most of it stays): it grew line by line.
    let mut out = String::with_capacity(text.len());
    let mut headings = Vec::new();
    for (b, (block, cuts)) in structure.blocks.iter().zip(&removed).enumerate() {
        // The block's line is written straight into `out` (three allocations a block went to
        // collecting its pieces and joining them).
        let line_start = out.len();
        let mut at = block.span.start;
        for cut in cuts {
            push_piece(&mut out, line_start, &text[at..cut.start]);
            at = cut.end;
        }
        push_piece(&mut out, line_start, &text[at..block.span.end]);
        if out.len() == line_start {
            continue;
        }
        // A liveblog's time on a line of its own ("21:05 Uhr" above the entry) or opening the
        // entry's headline ("14:35 Uhr – Feuerwehr Bremen: Mehr als 300 Einsätze") marks where
        // an entry starts, and a short line above the dateline is the header's (a kicker, a
        // byline: "Outdoors | Wellbeing", "Campaign Watch"): neither is a subheading.
        let opens_entry = structure.stamps.get(b).is_some_and(|&stamp| stamp > 0);
        let in_header = structure
            .dateline
            .as_ref()
            .is_some_and(|dateline| block.span.start < dateline.span.start);
        if block.kind == BlockKind::Heading && cuts.is_empty() && !opens_entry && !in_header {
            headings.push(out[line_start..].to_string());
        }
        out.push('\n');
    }
    (out, headings)
}

/// Appends `piece`, what is left of a block between two cuts, to the block's line, which starts
/// at `line_start` in `out`: trimmed, after a space when the line holds an earlier piece, and
/// on one line (a hard-wrapped paragraph is one block over several lines: its lines are
/// trimmed and joined with a space). An empty piece adds nothing.
fn push_piece(out: &mut String, line_start: usize, piece: &str) {
    let piece = piece.trim();
    if piece.is_empty() {
        return;
    }
    if out.len() > line_start {
        out.push(' ');
    }
    for (i, line) in piece.lines().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(line.trim());
    }
}

/// Labels from sentence scores: the decoder, with every heading bound to the paragraph it
/// introduces. Training decodes the same way.
pub(crate) fn label(
    structure: &Structure,
    sentences: &[Sentence],
    scores: &[f64],
    features: &[features::SentenceFeatures],
    rules: &RuleSet,
    weights: Weights,
) -> Vec<Label> {
    let context = labels::Context::new(structure, sentences, features, rules);
    labels::decode(scores, sentences, &context, weights)
}

#[cfg(test)]
mod tests {
    use crate::rules::RuleSet;

    #[test]
    fn header_lines_above_the_dateline_and_liveblog_times_are_no_headings() {
        let rules = RuleSet::builtin();
        let article = super::clean(
            "Winter swimming draws record crowds\n\
             Outdoors | Wellbeing\n\
             3 December 2026\n\
             More people than ever are swimming in the sea this winter. Clubs report long waiting lists.\n\
             What the doctors say\n\
             Cold water shock is the main danger in the first minutes. Doctors advise a slow start.\n",
            &rules,
        );
        assert_eq!(article.headings, ["What the doctors say"]);
        let liveblog = super::clean(
            "Liveblog: Stromausfall in Bielefeld\n\
             21:05 Uhr\n\
             Die Stadtwerke melden, dass wieder rund 31.000 Haushalte Strom haben.\n\
             20:22 Uhr\n\
             Die Straßenbahnlinie 4 fährt wieder durchgehend.\n\
             19:48 Uhr\n\
             Die Feuerwehr hat das Feuer im Umspannwerk vollständig gelöscht.\n\
             Was jetzt gilt\n\
             Die Stadt hat ein Bürgertelefon eingerichtet.\n",
            &rules,
        );
        assert_eq!(liveblog.headings, ["Was jetzt gilt"]);
    }
}
