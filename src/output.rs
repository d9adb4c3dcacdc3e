//! Outputs: the metadata record of an article and the manifest line of a run.
//!
//! # `<rel>.json`, one per article
//!
//! ```json
//! {
//!   "id": "de/amazon-ki-wettlauf.txt",
//!   "language": "de",
//!   "language_confidence": 1.0,
//!   "title": "Amazon investiert 200 Milliarden Euro in KI-Wettlauf",
//!   "dateline": { "text": "06.02.2026 - 08:41:11", "datetime": "2026-02-06T08:41:11" },
//!   "headings": ["KI-Infrastruktur als Wachstumstreiber"],
//!   "class": "contains_promo",
//!   "counts": { "paragraphs": 13, "sentences": 40, "editorial_sentences": 31,
//!               "promo_sentences": 9, "ads": 2, "chars_in": 5873, "chars_out": 4102 },
//!   "ads": [ { "start": 1302, "end": 2050, "text": "Seit August 2024 …",
//!              "category": "lead_magnet", "score": 0.9702,
//!              "rules": ["de.offer.free", "de.lead_magnet"] } ],
//!   "boilerplate": []
//! }
//! ```
//!
//! - `id`: the input path relative to the folder it was found in (`/`-separated), or the file
//!   name of a file given directly.
//! - `language`: ISO 639-1 where one exists, else ISO 639-3, `und` when unknown;
//!   `language_confidence` from 0 to 1.
//! - `title`: the first non-empty line, or `null` for an empty article.
//! - `dateline`: `null`, or the raw text cut from the article and its ISO 8601 `datetime`
//!   (`null` when it did not parse).
//! - `headings`: the editorial subheadings kept in the clean text, in order.
//! - `class`: what the article is as a whole: `clean` (no ad found), `contains_promo`
//!   (editorial text with ads in it) or `advertorial` (the article itself is promotional:
//!   labelled as sponsored in its title or on one of its first two body lines, or at least half
//!   of its body text found promotional). Decided by [`crate::class::classify`]; an
//!   advertorial keeps the text klartext did not find promotional, so drop it by its class.
//! - `counts`: `paragraphs` (body blocks that are not headings, before cleaning), `sentences`
//!   (body sentences, title excluded), `editorial_sentences` + `promo_sentences` = `sentences`,
//!   `ads`, and `chars_in` / `chars_out`: characters of the input and of the clean text.
//! - `ads`: one object per promotional passage. `start` and `end` are offsets in Unicode scalar
//!   values (characters, as dolma counts them) into the text the pipeline was given, end
//!   exclusive: for `clean`, the file decoded by [`crate::batch::decode`] (UTF-8, line endings
//!   `\n`); for `filter`, the record's text as it is. `text` is that slice; `category` one of `lead_magnet`, `trading`, `newsletter`, `event`,
//!   `subscription`, `affiliate`, `app`, `social`, `sponsored_label`, `related_link`, `other`;
//!   `score` the confidence from 0 to 1; `rules` the ids of the rules that fired in it;
//!   `repeats`, only for an ad that recurs across the batch, the number of articles its
//!   recurring passage stands in (see [`crate::repeats`]).
//! - `boilerplate`: passages that recur across the batch without any promotional cue (an agency
//!   footer, a disclaimer): `start`, `end` and `text` as for ads, `repeats`, and `stripped`,
//!   whether it was removed from the clean text (only with `--strip-boilerplate`; by default
//!   it is reported and kept). Empty when an article is cleaned alone.
//!
//! Invisible format characters (soft hyphens, zero-width spaces: [`crate::invisible`]) are read
//! past, but every offset counts them and every text cut from the input (`title`,
//! `dateline.text`, `ads[].text`, `boilerplate[].text`) holds them as they stand there; the
//! clean text and `headings` are without them.
//!
//! # `manifest.jsonl`, one line per input file
//!
//! `{"id": …, "language": …, "ads": 2, "sentences": 40, "status": "ok"}`; for a file that could
//! not be cleaned, `language` is `null`, the counts are 0 and `status` is the error message.

use serde::Serialize;

use crate::article::CleanArticle;
use crate::class::ArticleClass;
use crate::labels::Label;
use crate::rules::Category;
use crate::structure::BlockKind;

/// The metadata record of one article (`<rel>.json`).
#[derive(Serialize, Debug)]
pub struct Metadata<'a> {
    /// Left out when empty: `klartext filter` adds the metadata to a record, which has its own.
    #[serde(skip_serializing_if = "str::is_empty")]
    pub id: &'a str,
    pub language: &'a str,
    pub language_confidence: f64,
    pub title: Option<&'a str>,
    pub dateline: Option<DatelineRecord<'a>>,
    pub headings: &'a [String],
    pub class: ArticleClass,
    pub counts: Counts,
    pub ads: Vec<AdRecord<'a>>,
    pub boilerplate: Vec<BoilerplateRecord<'a>>,
}

#[derive(Serialize, Debug)]
pub struct DatelineRecord<'a> {
    pub text: &'a str,
    pub datetime: Option<&'a str>,
}

#[derive(Serialize, Debug, Clone, Copy, Default)]
pub struct Counts {
    pub paragraphs: usize,
    pub sentences: usize,
    pub editorial_sentences: usize,
    pub promo_sentences: usize,
    pub ads: usize,
    pub chars_in: usize,
    pub chars_out: usize,
}

#[derive(Serialize, Debug)]
pub struct AdRecord<'a> {
    pub start: usize,
    pub end: usize,
    pub text: &'a str,
    pub category: Category,
    pub score: f64,
    pub rules: &'a [String],
    /// In how many articles of the batch the ad's recurring passage stands, when it recurs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repeats: Option<u32>,
}

/// A recurring passage without promotional cues (see [`crate::repeats`]).
#[derive(Serialize, Debug)]
pub struct BoilerplateRecord<'a> {
    pub start: usize,
    pub end: usize,
    pub text: &'a str,
    /// In how many articles of the batch it stands.
    pub repeats: u32,
    /// Whether it was removed from the clean text (`--strip-boilerplate`).
    pub stripped: bool,
}

/// One line of `manifest.jsonl`.
#[derive(Serialize, Debug, Clone)]
pub struct ManifestLine {
    pub id: String,
    pub language: Option<String>,
    pub ads: usize,
    pub sentences: usize,
    pub status: String,
}

/// Rounds a figure for output so that records stay short and stable.
fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// Character (Unicode scalar) offset of byte offset `byte`.
fn char_offset(text: &str, byte: usize) -> usize {
    if text.is_ascii() {
        byte
    } else {
        text[..byte].chars().count()
    }
}

impl<'a> Metadata<'a> {
    pub fn new(id: &'a str, text: &'a str, article: &'a CleanArticle) -> Metadata<'a> {
        let promo = article
            .labels
            .iter()
            .filter(|l| **l == Label::Promo)
            .count();
        let counts = Counts {
            paragraphs: article
                .structure
                .blocks
                .iter()
                .filter(|b| b.kind == BlockKind::Paragraph)
                .count(),
            sentences: article.sentences.len(),
            editorial_sentences: article.sentences.len() - promo,
            promo_sentences: promo,
            ads: article.ads.len(),
            chars_in: text.chars().count(),
            chars_out: article.clean_text.chars().count(),
        };
        let ads = article
            .ads
            .iter()
            .map(|ad| AdRecord {
                start: char_offset(text, ad.span.start),
                end: char_offset(text, ad.span.end),
                text: ad.span.of(text),
                category: ad.category,
                score: round4(ad.score),
                rules: &ad.rules,
                repeats: article
                    .repeated
                    .iter()
                    .filter(|p| {
                        p.sentences.start < ad.sentences.end && ad.sentences.start < p.sentences.end
                    })
                    .map(|p| p.articles)
                    .max(),
            })
            .collect();
        let boilerplate = article
            .boilerplate
            .iter()
            .map(|b| BoilerplateRecord {
                start: char_offset(text, b.span.start),
                end: char_offset(text, b.span.end),
                text: b.span.of(text),
                repeats: b.articles,
                stripped: b.stripped,
            })
            .collect();
        Metadata {
            id,
            language: &article.language.code,
            language_confidence: round4(article.language.confidence),
            title: article.title(text),
            dateline: article.structure.dateline.as_ref().map(|d| DatelineRecord {
                text: &d.text,
                datetime: d.datetime.as_deref(),
            }),
            headings: &article.headings,
            class: article.class,
            counts,
            ads,
            boilerplate,
        }
    }
}

/// Dolma attribute files: spans of the original text, line by line beside the documents.
///
/// Dolma keeps what taggers find apart from the documents: for `documents/<path>` an attributes
/// file `attributes/<name>/<path>` holds one line per document, in the same order, as
/// `{"id": …, "attributes": {…}}` (with the document's `source` when it has one). Each attribute
/// is a list of `[start, end, score]` spans in characters (Unicode scalar values) of the
/// document's `text`, end exclusive; dolma's mixer can drop documents by an attribute
/// (`filter`) and cut spans out of the text (`span_replacement`). Attribute names follow
/// dolma's `<experiment>__<tagger>__<type>` form, which its tools split on `__`:
///
/// - `klartext__klartext__ads`: every ad, scored with its confidence;
/// - `klartext__klartext__advertorial`: one span over the whole text, scored 1 when the article
///   is an advertorial (see [`crate::class`]) and 0 otherwise;
/// - `klartext__klartext__boilerplate`: every passage that recurs across the batch without a
///   promotional cue, scored 1 (cut it with the mixer to strip boilerplate).
///
/// The spans refer to the text klartext was given (the documents as they are, invisible format
/// characters included: see [`crate::invisible`]), not to its output.
pub mod dolma {
    use serde_json::{json, Map, Value};

    use super::Metadata;
    use crate::class::ArticleClass;

    pub const ADS: &str = "klartext__klartext__ads";
    pub const ADVERTORIAL: &str = "klartext__klartext__advertorial";
    pub const BOILERPLATE: &str = "klartext__klartext__boilerplate";

    /// The attributes of one article.
    pub fn attributes(meta: &Metadata<'_>) -> Map<String, Value> {
        let mut attributes = Map::new();
        let ads: Vec<Value> = meta
            .ads
            .iter()
            .map(|ad| json!([ad.start, ad.end, ad.score]))
            .collect();
        attributes.insert(ADS.into(), Value::Array(ads));
        let advertorial = if meta.class == ArticleClass::Advertorial {
            1.0
        } else {
            0.0
        };
        attributes.insert(
            ADVERTORIAL.into(),
            json!([[0, meta.counts.chars_in, advertorial]]),
        );
        let boilerplate: Vec<Value> = meta
            .boilerplate
            .iter()
            .map(|b| json!([b.start, b.end, 1.0]))
            .collect();
        attributes.insert(BOILERPLATE.into(), Value::Array(boilerplate));
        attributes
    }

    /// One line of an attributes file.
    pub fn line(id: Value, source: Option<Value>, attributes: Map<String, Value>) -> Value {
        let mut line = Map::new();
        line.insert("id".into(), id);
        if let Some(source) = source {
            line.insert("source".into(), source);
        }
        line.insert("attributes".into(), Value::Object(attributes));
        Value::Object(line)
    }
}

/// Output formats of `klartext count`.
///
/// - `table`: one row per article (`id`, `ads`, then one column per category that occurs),
///   a `TOTAL` row last; unreadable files show their error instead of counts. Its columns are
///   aligned over all rows, so it is printed when the last article is counted and holds every
///   row until then (some 100 bytes per article): use `csv` or `json` for millions of articles.
/// - `csv`: the same with a header row `id,ads,<every category>,error`; each row is printed as
///   soon as its article is counted.
/// - `json`: `{"articles": [{"id", "ads", "by_category": {…}, "error"?}], "total": {"articles",
///   "ads", "by_category"}}`, pretty-printed; each article is printed as soon as it is counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum CountFormat {
    Table,
    Csv,
    Json,
}

/// Prints ad counts in a [`CountFormat`] as they come, one article at a time, and the totals at
/// the end: a count over a folder of any size keeps only the totals (and, for the table, the
/// rows it must align).
pub struct CountPrinter<W: std::io::Write> {
    format: CountFormat,
    out: W,
    /// Ads per category over all articles so far.
    totals: std::collections::BTreeMap<String, usize>,
    articles: usize,
    ads: usize,
    /// The table's rows, kept until its columns are known.
    rows: Vec<crate::batch::AdCount>,
}

impl<W: std::io::Write> CountPrinter<W> {
    /// Starts the output (the CSV header, the opening of the JSON object).
    pub fn new(format: CountFormat, mut out: W) -> std::io::Result<Self> {
        match format {
            CountFormat::Csv => {
                let names: Vec<&str> = Category::ALL.iter().map(|c| c.name()).collect();
                writeln!(out, "id,ads,{},error", names.join(","))?
            }
            CountFormat::Json => write!(out, "{{\n  \"articles\": [")?,
            CountFormat::Table => {}
        }
        Ok(CountPrinter {
            format,
            out,
            totals: Default::default(),
            articles: 0,
            ads: 0,
            rows: Vec::new(),
        })
    }

    /// The CSV cells of `counts`, one per category in [`Category::ALL`] order, comma-separated.
    fn csv_cells(counts: &std::collections::BTreeMap<String, usize>) -> String {
        let cells: Vec<String> = Category::ALL
            .iter()
            .map(|c| counts.get(c.name()).copied().unwrap_or(0).to_string())
            .collect();
        cells.join(",")
    }

    /// Quotes a CSV field when it needs it.
    fn csv_field(s: &str) -> std::borrow::Cow<'_, str> {
        if s.contains([',', '"', '\n']) {
            format!("\"{}\"", s.replace('"', "\"\"")).into()
        } else {
            s.into()
        }
    }

    /// Prints (or, for the table, keeps) one article's counts.
    pub fn article(&mut self, count: crate::batch::AdCount) -> std::io::Result<()> {
        for (category, n) in &count.by_category {
            *self.totals.entry(category.clone()).or_default() += n;
        }
        self.ads += count.ads;
        self.articles += 1;
        match self.format {
            CountFormat::Table => self.rows.push(count),
            CountFormat::Csv => {
                writeln!(
                    self.out,
                    "{},{},{},{}",
                    Self::csv_field(&count.id),
                    count.ads,
                    Self::csv_cells(&count.by_category),
                    Self::csv_field(count.error.as_deref().unwrap_or(""))
                )?;
            }
            CountFormat::Json => {
                let separator = if self.articles == 1 { "" } else { "," };
                let row = serde_json::to_string_pretty(&count).expect("counts serialize");
                write!(self.out, "{separator}\n    {}", row.replace('\n', "\n    "))?;
            }
        }
        Ok(())
    }

    /// Prints the totals (and, for the table, every row) and hands back the writer.
    pub fn finish(mut self) -> std::io::Result<W> {
        match self.format {
            CountFormat::Json => {
                let total = serde_json::json!({
                    "articles": self.articles,
                    "ads": self.ads,
                    "by_category": self.totals,
                });
                let total = serde_json::to_string_pretty(&total).expect("counts serialize");
                let close = if self.articles == 0 { "]" } else { "\n  ]" };
                writeln!(
                    self.out,
                    "{close},\n  \"total\": {}\n}}",
                    total.replace('\n', "\n  ")
                )?;
            }
            CountFormat::Csv => {
                let cells = Self::csv_cells(&self.totals);
                writeln!(self.out, "TOTAL,{},{cells},", self.ads)?;
            }
            CountFormat::Table => self.table()?,
        }
        self.out.flush()?;
        Ok(self.out)
    }

    fn table(&mut self) -> std::io::Result<()> {
        let columns: Vec<&String> = self.totals.keys().collect();
        let width = self
            .rows
            .iter()
            .map(|c| c.id.chars().count())
            .max()
            .unwrap_or(2)
            .max(5);
        let out = &mut self.out;
        write!(out, "{:<width$} {:>4}", "id", "ads")?;
        for c in &columns {
            write!(out, " {c:>w$}", w = c.len())?;
        }
        writeln!(out)?;
        for c in &self.rows {
            write!(out, "{:<width$} ", c.id)?;
            match &c.error {
                Some(e) => write!(out, "error: {e}")?,
                None => {
                    write!(out, "{:>4}", c.ads)?;
                    for k in &columns {
                        let n = c.by_category.get(*k).copied().unwrap_or(0);
                        write!(out, " {n:>w$}", w = k.len())?;
                    }
                }
            }
            writeln!(out)?;
        }
        write!(out, "{:<width$} {:>4}", "TOTAL", self.ads)?;
        for k in &columns {
            write!(out, " {:>w$}", self.totals[*k], w = k.len())?;
        }
        writeln!(out)
    }
}
