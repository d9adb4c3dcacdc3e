//! klartext turns scraped news articles into clean editorial text.
//!
//! Inline promotional inserts (native ads, lead-magnet offers, broker and newsletter pitches,
//! "Anzeige" notes, "Lesen Sie auch" lines) are found sentence by sentence and removed; what
//! remains comes out as clean text plus metadata: language, title, dateline, headings, and every
//! ad span with its category, score and the rules that fired.
//!
//! # Overview
//!
//! One pipeline, one direction, one module per stage:
//!
//! | stage | module | gives |
//! |---|---|---|
//! | read | [`batch`] | decoded article texts (files, folders) |
//! | structure | [`structure`] | title, dateline, headings, paragraphs |
//! | sentences | [`sentences`] | sentence spans per block |
//! | features | [`features`] | the cues that fired on each sentence, a score |
//! | labels | [`labels`] | editorial / promo per sentence, ad spans |
//! | outputs | [`output`] | clean text, metadata, manifest |
//!
//! To let people see what was removed and why, [`explain`] gives a terminal account of one
//! article and [`report`] an HTML review page of a whole `clean` run.
//!
//! Around the pipeline: [`class`] decides what an article is as a whole (clean, with promo,
//! advertorial); [`repeats`] counts passages that recur across a batch and turns recurrence into
//! a cue for the decoder ([`article::clean_in_batch`]); [`records`] streams JSONL records
//! (`filter`, `fingerprints`, `sentences`) and [`shards`] cleans JSONL shards; [`invisible`]
//! lets the pipeline read past soft hyphens and other invisible format characters, every span
//! it reports still pointing into the text given.
//!
//! The rules every stage reads (cue patterns, weights, abbreviations, dateline formats) are data:
//! see [`rules::RuleSet`] and the `rules/` folder.
//!
//! # Example
//!
//! ```
//! use klartext::{clean, RuleSet};
//!
//! let rules = RuleSet::builtin();
//! let text = "Stadt baut neue Brücke\n\
//!             Die Stadt baut eine neue Brücke über den Fluss. Die Arbeiten beginnen im Mai.\n\
//!             Unser Newsletter liefert Ihnen jeden Morgen die wichtigsten Nachrichten. Jetzt kostenlos abonnieren\n\
//!             Die Kosten liegen bei zwölf Millionen Euro.\n";
//! let article = clean(text, &rules);
//! assert_eq!(article.ads.len(), 1);
//! assert_eq!(
//!     article.clean_text,
//!     "Stadt baut neue Brücke\n\
//!      Die Stadt baut eine neue Brücke über den Fluss. Die Arbeiten beginnen im Mai.\n\
//!      Die Kosten liegen bei zwölf Millionen Euro.\n"
//! );
//! ```

pub mod article;
pub mod batch;
pub mod class;
pub mod error;
pub mod eval;
pub mod explain;
pub mod features;
mod gate;
pub mod invisible;
pub mod labels;
pub mod lang;
mod letters;
pub mod output;
pub mod records;
pub mod repeats;
pub mod report;
pub mod rules;
pub mod sentences;
pub mod shards;
pub mod structure;
pub mod train;

pub use article::{clean, CleanArticle};
pub use class::ArticleClass;
pub use error::{Error, ErrorKind, Result};
pub use labels::{AdSpan, Label};
pub use rules::{Category, RuleSet};
pub use sentences::Sentence;
