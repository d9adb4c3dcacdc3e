//! JSONL records: the objects `klartext sentences` and `klartext filter` read and write.
//!
//! # `klartext filter`
//!
//! Input: one JSON object per line with the article under `text` (`--text-key`). Output: one
//! line per input line, in order, every key kept in its place; `text` holds the clean text and
//! `metadata.klartext` the article's metadata (the fields of `<rel>.json` without `id`; see
//! [`crate::output`]), or top-level `klartext_<field>` keys with `--flat`. The metadata `id` is
//! the record's `id` (`--id-key`). A line that is not an object with a string text comes out
//! with an `error` field.
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

/// How a stream ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StreamEnd {
    /// Every line was read and written.
    Done,
    /// The reader of the output went away (`| head`): stop quietly.
    Closed,
}

/// What a stream does to each record, in place; an `Err` message marks the record bad.
pub type Transform<'a> = dyn Fn(&mut Map<String, Value>) -> Result<(), String> + Sync + 'a;

/// Lines handled together: enough to keep the threads busy, few enough to keep memory bounded.
const BATCH_LINES: usize = 512;

/// What happened to one line.
struct Processed {
    output: Vec<u8>,
    error: Option<String>,
}

/// Reads JSON objects line by line from `reader`, applies `transform` to each (in parallel,
/// in batches), and writes one line per input line to `out`, in input order. A line that is
/// not a JSON object comes out as `{"input": line, "error": …}`; an object that `transform`
/// refuses comes out with an `error` field added. Each such line is reported to `on_error` as
/// `name:line: message`. Blank lines are skipped when `skip_blank`, else reported.
pub fn stream(
    name: &str,
    reader: impl std::io::BufRead,
    out: &mut impl std::io::Write,
    skip_blank: bool,
    transform: &Transform<'_>,
    on_error: &mut dyn FnMut(String),
) -> std::io::Result<StreamEnd> {
    use rayon::prelude::*;
    let mut lines = reader.lines().enumerate();
    loop {
        let mut batch = Vec::with_capacity(BATCH_LINES);
        for (number, line) in lines.by_ref() {
            let line = line.map_err(|e| {
                std::io::Error::new(e.kind(), format!("{name}:{}: {e}", number + 1))
            })?;
            if skip_blank && line.trim().is_empty() {
                continue;
            }
            batch.push((number + 1, line));
            if batch.len() == BATCH_LINES {
                break;
            }
        }
        if batch.is_empty() {
            return Ok(StreamEnd::Done);
        }
        let processed: Vec<Processed> = batch
            .par_iter()
            .map(|(_, line)| process(line, transform))
            .collect();
        for ((number, _), p) in batch.iter().zip(processed) {
            if let Some(message) = p.error {
                on_error(format!("{name}:{number}: {message}"));
            }
            match out.write_all(&p.output) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                    return Ok(StreamEnd::Closed)
                }
                Err(e) => return Err(e),
            }
        }
    }
}

fn process(line: &str, transform: &Transform<'_>) -> Processed {
    let (record, error) = match serde_json::from_str::<Value>(line) {
        Ok(Value::Object(mut record)) => match transform(&mut record) {
            Ok(()) => (record, None),
            Err(message) => {
                record.insert("error".into(), message.clone().into());
                (record, Some(message))
            }
        },
        parsed => {
            let message = match parsed {
                Ok(_) => "not a JSON object".to_string(),
                Err(e) => format!("invalid JSON: {e}"),
            };
            let mut record = Map::new();
            record.insert("input".into(), line.into());
            record.insert("error".into(), message.clone().into());
            (record, Some(message))
        }
    };
    let mut output = serde_json::to_vec(&record).expect("a JSON map serializes");
    output.push(b'\n');
    Processed { output, error }
}

/// How `klartext filter` writes its records.
#[derive(Clone, Debug)]
pub struct FilterOptions {
    /// The key holding the article text (replaced by the clean text).
    pub text_key: String,
    /// The key holding the record's id, used as the metadata `id`.
    pub id_key: String,
    /// Keep the original text under this key.
    pub keep_original: Option<String>,
    /// Write the metadata as top-level `klartext_*` keys instead of `metadata.klartext`.
    pub flat: bool,
}

impl Default for FilterOptions {
    fn default() -> Self {
        FilterOptions {
            text_key: "text".into(),
            id_key: "id".into(),
            keep_original: None,
            flat: false,
        }
    }
}

/// Cleans one record: its text is replaced by the clean text and the metadata (the record of
/// [`crate::output::Metadata`]) is added under `metadata.klartext`, or as `klartext_<field>`
/// keys with `flat`. Every other key stays where it was.
pub fn clean_record(
    record: &mut Map<String, Value>,
    options: &FilterOptions,
    rules: &RuleSet,
) -> Result<(), String> {
    let text = match record.get(&options.text_key) {
        Some(Value::String(text)) => text.clone(),
        Some(_) => return Err(format!("`{}` is not a string", options.text_key)),
        None => return Err(format!("no `{}` field", options.text_key)),
    };
    if !options.flat && record.get("metadata").is_some_and(|m| !m.is_object()) {
        return Err("`metadata` is not an object".into());
    }
    let id = match record.get(&options.id_key) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    };
    let article = crate::article::clean(&text, rules);
    let meta = crate::output::Metadata::new(&id, &text, &article);
    let Value::Object(mut fields) = serde_json::to_value(&meta).expect("metadata serializes")
    else {
        unreachable!("metadata is an object")
    };
    fields.shift_remove("id");
    record.insert(
        options.text_key.clone(),
        Value::String(article.clean_text.clone()),
    );
    if let Some(key) = &options.keep_original {
        record.insert(key.clone(), Value::String(text));
    }
    if options.flat {
        for (key, value) in fields {
            record.insert(format!("klartext_{key}"), value);
        }
    } else {
        let metadata = record
            .entry("metadata")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(metadata) = metadata {
            metadata.insert("klartext".into(), Value::Object(fields));
        }
    }
    Ok(())
}
