//! JSONL records: the objects `klartext sentences` reads and writes.
//!
//! # `klartext sentences`
//!
//! Input: one JSON object per line with a `text` string and an optional `lang` (ISO 639-1).
//! Output: the same object, every key kept in its order, with `sentences` added: an array of
//! sentence strings, each a trimmed substring of `text`, in order. With `--offsets`, each element
//! is instead `{"start": …, "end": …, "text": …}`, offsets in Unicode scalar values (characters)
//! into `text`, end exclusive.

use serde_json::{Map, Value};

use crate::lang;
use crate::rules::RuleSet;
use crate::sentences;

/// How sentence records are written.
#[derive(Clone, Debug, Default)]
pub struct SentenceOptions {
    /// Use this language instead of the record's `lang` or detection.
    pub language: Option<String>,
    /// Write `{start, end, text}` objects instead of strings.
    pub offsets: bool,
}

/// Adds `sentences` to one record. Fails with a message when the record has no string `text`.
pub fn add_sentences(
    record: &mut Map<String, Value>,
    options: &SentenceOptions,
    rules: &RuleSet,
) -> Result<(), String> {
    let text = match record.get("text") {
        Some(Value::String(text)) => text.clone(),
        Some(_) => return Err("`text` is not a string".into()),
        None => return Err("no `text` field".into()),
    };
    let language = match (
        &options.language,
        record.get("lang").and_then(Value::as_str),
    ) {
        (Some(forced), _) => forced.clone(),
        (None, Some(given)) => given.to_string(),
        (None, None) => lang::detect(&text).code,
    };
    let spans = sentences::split_text(&text, &language, rules);
    let values: Vec<Value> = if options.offsets {
        let mut chars = 0;
        let mut at = 0;
        let mut char_offset = |byte: usize| {
            chars += text[at..byte].chars().count();
            at = byte;
            chars
        };
        spans
            .iter()
            .map(|s| {
                let start = char_offset(s.start);
                let end = char_offset(s.end);
                serde_json::json!({ "start": start, "end": end, "text": s.of(&text) })
            })
            .collect()
    } else {
        spans
            .iter()
            .map(|s| Value::String(s.of(&text).to_string()))
            .collect()
    };
    record.insert("sentences".into(), Value::Array(values));
    Ok(())
}
