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

use crate::article::Reading;
use crate::lang;
use crate::repeats::{PassageCounts, Repeats};
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
    // Read as `clean` reads: past invisible format characters (soft hyphens and the like),
    // with every span mapped back to the text given.
    let stripped = crate::invisible::strip(&text);
    let read = stripped.as_ref().map_or(text.as_str(), |s| s.text.as_str());
    let language = match (
        &options.language,
        record.get("lang").and_then(Value::as_str),
    ) {
        (Some(forced), _) => forced.clone(),
        (None, Some(given)) => given.to_string(),
        (None, None) => lang::detect(read, rules).code,
    };
    let mut spans = sentences::split_text(read, &language, rules);
    if let Some(stripped) = &stripped {
        for span in &mut spans {
            *span = stripped.span_back(*span);
        }
    }
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

/// What a stream does with its records. Lines are read in windows of [`Stage::window_lines`];
/// [`Stage::read`] reads every record of a window (in parallel), [`Stage::window`] then sees all
/// those readings before [`Stage::apply`] changes any record (this is where a stage can count
/// what recurs across records), and `apply` runs on each record with its reading, in parallel.
/// The output is the same for any number of threads.
pub trait Stage: Sync {
    /// What the stage reads from one record before the window is complete; it goes to
    /// [`Stage::window`] and then, with its record, to [`Stage::apply`], so nothing is read twice.
    type Reading: Send + Sync;
    /// What the stage learns from a whole window.
    type Window: Sync;
    /// How many lines are read and held together.
    fn window_lines(&self) -> usize {
        BATCH_LINES
    }
    /// Reads one record of a window (a line that is a JSON object) before any changes.
    fn read(&self, record: &Map<String, Value>) -> Self::Reading;
    /// Looks at the readings of every record of a window, in order.
    fn window(&self, readings: &[&Self::Reading]) -> Self::Window;
    /// Changes one record in place and returns what goes with it: its side line (the line of a
    /// dolma attributes file) when the stage writes one, and a value written ahead as JSON text
    /// ([`Written`]); an `Err` message marks the record bad.
    fn apply(
        &self,
        window: &Self::Window,
        reading: Self::Reading,
        record: &mut Map<String, Value>,
    ) -> Result<Applied, String>;
    /// The side line for a line the stage could not clean: `record` is the object it refused,
    /// `None` for a line that is not a JSON object. Every line needs one when side lines are
    /// written, so that the side file lines up with the output.
    fn side_of_bad(&self, _record: Option<&Map<String, Value>>) -> Option<Value> {
        None
    }
}

/// What [`Stage::apply`] gives besides the record it changed.
#[derive(Default)]
pub struct Applied {
    /// The side line, when the stage writes one.
    pub side: Option<Value>,
    /// A value of the record written as JSON text by the stage itself.
    pub written: Option<Written>,
}

/// A value of a record that the stage wrote as JSON text instead of building it as a
/// [`Value`] (the metadata of `klartext filter`: building it took some 65 allocations per
/// record, and writing it out walked it again). The record holds `null` at `path` (a key, then
/// the keys of objects within it), so that the value keeps its place among the keys; the line
/// is written with `json` there.
pub struct Written {
    pub path: &'static [&'static str],
    pub json: Vec<u8>,
}

/// A stage that changes each record on its own (no window).
pub struct EachRecord<F>(pub F);

impl<F> Stage for EachRecord<F>
where
    F: Fn(&mut Map<String, Value>) -> Result<(), String> + Sync,
{
    type Reading = ();
    type Window = ();
    fn read(&self, _: &Map<String, Value>) {}
    fn window(&self, _: &[&()]) {}
    fn apply(&self, _: &(), _: (), record: &mut Map<String, Value>) -> Result<Applied, String> {
        (self.0)(record).map(|()| Applied::default())
    }
}

/// Lines handled together: enough to keep the threads busy, few enough to keep memory bounded.
pub const BATCH_LINES: usize = 512;

/// What happened to one line.
struct Processed {
    output: Vec<u8>,
    /// The side line, when the stage wrote one.
    side: Option<Vec<u8>>,
    error: Option<String>,
}

/// One line as read: a JSON object, or the line (when it can be shown) and why it is not one.
enum Parsed {
    Object(Map<String, Value>),
    Bad(Option<String>, String),
}

/// A line as read: its text, or why it cannot be read as text: not UTF-8 (with the line decoded
/// lossily) or too long (without it).
type ReadLine = Result<String, (Option<String>, String)>;

/// The longest line read: 16 MiB, four times the largest article file `clean` reads
/// ([`crate::batch::MAX_ARTICLE_BYTES`]), to leave room for escapes and other keys. A longer line
/// is passed over without being held in memory and reported, so memory stays bounded whatever
/// the input.
pub const MAX_LINE_BYTES: usize = 16 << 20;

/// Reads the next line (without its `\n` or `\r\n`) into `buffer`; `None` at the end. A line
/// that is not UTF-8 or longer than [`MAX_LINE_BYTES`] comes back as `Err` with the reason,
/// after the whole line was consumed.
fn read_line(
    reader: &mut impl std::io::BufRead,
    buffer: &mut Vec<u8>,
) -> std::io::Result<Option<ReadLine>> {
    buffer.clear();
    // Bytes of the line so far, its line break included; past the limit (and room for a
    // `\r\n`), `buffer` stops growing and the rest of the line is read past.
    let mut length = 0usize;
    loop {
        let available = reader.fill_buf()?;
        if available.is_empty() {
            if length == 0 {
                return Ok(None);
            }
            break;
        }
        let (take, done) = match memchr::memchr(b'\n', available) {
            Some(at) => (at + 1, true),
            None => (available.len(), false),
        };
        length += take;
        if length <= MAX_LINE_BYTES + 2 {
            buffer.extend_from_slice(&available[..take]);
        }
        reader.consume(take);
        if done {
            break;
        }
    }
    if length > MAX_LINE_BYTES + 2 {
        buffer.clear();
        let message = format!(
            "line too long: over the limit of {MAX_LINE_BYTES} bytes ({} MiB); it is left out",
            MAX_LINE_BYTES >> 20
        );
        return Ok(Some(Err((None, message))));
    }
    if buffer.ends_with(b"\n") {
        buffer.pop();
        if buffer.ends_with(b"\r") {
            buffer.pop();
        }
    }
    if buffer.len() > MAX_LINE_BYTES {
        let message = format!(
            "line too long: over the limit of {MAX_LINE_BYTES} bytes ({} MiB); it is left out",
            MAX_LINE_BYTES >> 20
        );
        return Ok(Some(Err((None, message))));
    }
    Ok(Some(match std::str::from_utf8(buffer) {
        Ok(line) => Ok(line.to_string()),
        Err(e) => Err((
            Some(String::from_utf8_lossy(buffer).into_owned()),
            format!("invalid UTF-8 at byte {}", e.valid_up_to()),
        )),
    }))
}

/// Reads JSON objects line by line from `reader`, runs `stage` on them (in parallel, a window
/// at a time), and writes one line per input line to `out`, in input order. A line that is not
/// a JSON object (or not UTF-8) comes out as `{"input": line, "error": …}` (a line over
/// [`MAX_LINE_BYTES`] as `{"error": …}` alone); an object that the
/// stage refuses comes out with an `error` field added. Each such line is reported to
/// `on_error` as `name:line: message`. Blank lines are skipped when `skip_blank`, else reported.
/// When `side` is given, the stage's side line for each input line goes there, one per line in
/// the same order (`{}` when the stage gave none).
/// A read error (a truncated compressed file) ends the stream with that error, naming the line
/// (`cannot read line 7: …`); the caller names the input.
pub fn stream<S: Stage>(
    name: &str,
    mut reader: impl std::io::BufRead,
    out: &mut impl std::io::Write,
    mut side: Option<&mut dyn std::io::Write>,
    skip_blank: bool,
    stage: &S,
    on_error: &mut dyn FnMut(String),
) -> std::io::Result<StreamEnd> {
    use rayon::prelude::*;
    let window_lines = stage.window_lines().max(1);
    let mut buffer = Vec::new();
    let mut number = 0;
    loop {
        let mut batch: Vec<(usize, ReadLine)> = Vec::new();
        while batch.len() < window_lines {
            let line = read_line(&mut reader, &mut buffer).map_err(|e| {
                std::io::Error::new(e.kind(), format!("cannot read line {}: {e}", number + 1))
            })?;
            let Some(line) = line else { break };
            number += 1;
            if skip_blank && line.as_ref().is_ok_and(|l| l.trim().is_empty()) {
                continue;
            }
            batch.push((number, line));
        }
        if batch.is_empty() {
            return Ok(StreamEnd::Done);
        }
        let (numbers, lines): (Vec<usize>, Vec<_>) = batch.into_iter().unzip();
        let (mut parsed, readings): (Vec<Parsed>, Vec<Option<S::Reading>>) = lines
            .into_par_iter()
            .map(|line| {
                let parsed = parse(line);
                let reading = match &parsed {
                    Parsed::Object(record) => Some(stage.read(record)),
                    Parsed::Bad(..) => None,
                };
                (parsed, reading)
            })
            .unzip();
        let window = stage.window(&readings.iter().flatten().collect::<Vec<_>>());
        let processed: Vec<Processed> = parsed
            .par_iter_mut()
            .zip(readings)
            .map(|(p, reading)| process(p, reading, stage, &window))
            .collect();
        drop(parsed);
        for (number, p) in numbers.into_iter().zip(processed) {
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
            if let Some(side) = side.as_deref_mut() {
                side.write_all(p.side.as_deref().unwrap_or(b"{}\n"))?;
            }
        }
    }
}

fn parse(line: ReadLine) -> Parsed {
    match line {
        Err((line, message)) => Parsed::Bad(line, message),
        Ok(line) => match serde_json::from_str::<Value>(&line) {
            Ok(Value::Object(record)) => Parsed::Object(record),
            Ok(_) => Parsed::Bad(Some(line), "not a JSON object".into()),
            Err(e) => Parsed::Bad(Some(line), format!("invalid JSON: {e}")),
        },
    }
}

fn process<S: Stage>(
    parsed: &mut Parsed,
    reading: Option<S::Reading>,
    stage: &S,
    window: &S::Window,
) -> Processed {
    let (record, applied, error) = match (parsed, reading) {
        (Parsed::Object(record), Some(reading)) => match stage.apply(window, reading, record) {
            Ok(applied) => (std::mem::take(record), applied, None),
            Err(message) => {
                let side = stage.side_of_bad(Some(record));
                record.insert("error".into(), message.clone().into());
                let applied = Applied {
                    side,
                    written: None,
                };
                (std::mem::take(record), applied, Some(message))
            }
        },
        (Parsed::Object(_), None) => unreachable!("every object is read"),
        (Parsed::Bad(line, message), _) => {
            let mut record = Map::new();
            if let Some(line) = line.take() {
                record.insert("input".into(), line.into());
            }
            record.insert("error".into(), message.clone().into());
            let applied = Applied {
                side: stage.side_of_bad(None),
                written: None,
            };
            (record, applied, Some(message.clone()))
        }
    };
    Processed {
        output: json_line(&record, applied.written.as_ref()),
        side: applied.side.as_ref().map(|side| {
            let mut bytes = Vec::new();
            write_json(&mut bytes, side);
            bytes.push(b'\n');
            bytes
        }),
        error,
    }
}

/// One JSON object as a line: the bytes `serde_json::to_vec` gives, with a newline.
///
/// Written here rather than by `serde_json`, whose string escaping looks up every byte in a
/// table (the clean text, written back into each record, was 18 instructions per byte of input):
/// [`write_json_str`] copies runs of eight bytes that need no escape at once. Numbers, booleans
/// and null are still written by `serde_json` (writing integers here too saved less than one
/// instruction per byte).
///
/// `written`, when given, is written in place of the `null` the record holds at its path.
fn json_line(record: &Map<String, Value>, written: Option<&Written>) -> Vec<u8> {
    let mut bytes = Vec::new();
    let written = written.map(|w| (w.path, w.json.as_slice()));
    write_json_object(&mut bytes, record, written);
    bytes.push(b'\n');
    bytes
}

/// Appends `value` as `serde_json::to_vec` writes it (compact, keys in the map's order).
fn write_json(out: &mut Vec<u8>, value: &Value) {
    match value {
        Value::String(s) => write_json_str(out, s),
        Value::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_json(out, item);
            }
            out.push(b']');
        }
        Value::Object(map) => write_json_object(out, map, None),
        scalar => serde_json::to_writer(&mut *out, scalar).expect("a JSON scalar serializes"),
    }
}

/// Appends `map` as a JSON object ([`write_json`]), with `written`'s JSON text (a path and the
/// text) in place of the value at that path.
fn write_json_object(
    out: &mut Vec<u8>,
    map: &Map<String, Value>,
    written: Option<(&[&str], &[u8])>,
) {
    out.push(b'{');
    for (i, (key, value)) in map.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_json_str(out, key);
        out.push(b':');
        match (written, value) {
            (Some(([first], json)), _) if first == key => out.extend_from_slice(json),
            (Some(([first, path @ ..], json)), Value::Object(inner)) if first == key => {
                write_json_object(out, inner, Some((path, json)));
            }
            _ => write_json(out, value),
        }
    }
    out.push(b'}');
}

/// Appends `s` as a JSON string, escaped as `serde_json` escapes it: `"` and `\` with a
/// backslash, the control characters below U+0020 as `\b`, `\t`, `\n`, `\f`, `\r` or `\u00xx`
/// (lowercase hex), everything else as it is.
fn write_json_str(out: &mut Vec<u8>, s: &str) {
    const LOW: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    /// Whether some byte of `word` is zero.
    fn has_zero(word: u64) -> bool {
        word.wrapping_sub(LOW) & !word & HIGH != 0
    }
    let bytes = s.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let (mut start, mut at) = (0, 0);
    while at < bytes.len() {
        if let Some(chunk) = bytes.get(at..at + 8) {
            let word = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
            // A byte below 0x20 (its top three bits clear), a quote or a backslash.
            let control = word & (0xE0 * LOW);
            if !has_zero(control)
                && !has_zero(word ^ (b'"' as u64 * LOW))
                && !has_zero(word ^ (b'\\' as u64 * LOW))
            {
                at += 8;
                continue;
            }
        }
        let byte = bytes[at];
        let escape: &[u8] = match byte {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            0x08 => b"\\b",
            b'\t' => b"\\t",
            b'\n' => b"\\n",
            0x0C => b"\\f",
            b'\r' => b"\\r",
            0x00..=0x1F => b"",
            _ => {
                at += 1;
                continue;
            }
        };
        out.extend_from_slice(&bytes[start..at]);
        if escape.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.extend_from_slice(b"\\u00");
            out.push(HEX[usize::from(byte >> 4)]);
            out.push(HEX[usize::from(byte & 0xF)]);
        } else {
            out.extend_from_slice(escape);
        }
        at += 1;
        start = at;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
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

/// `klartext filter` (and each shard of `klartext clean --jsonl`) as a stream stage: every
/// record cleaned by [`clean_record`].
pub struct Filter<'a> {
    options: &'a FilterOptions,
    rules: &'a RuleSet,
    /// Where the counts of the repeat cue come from.
    repeats: RepeatSource<'a>,
    /// A passage recurs when it stands in at least this many articles.
    min_articles: u32,
    /// Remove boilerplate from the clean text.
    strip_boilerplate: bool,
    /// Write a dolma attributes line beside every record (see [`crate::output::dolma`]).
    dolma: bool,
    /// Ads found so far, over every record this stage cleaned.
    ads: std::sync::atomic::AtomicUsize,
}

impl<'a> Filter<'a> {
    pub fn new(options: &'a FilterOptions, rules: &'a RuleSet) -> Filter<'a> {
        Filter {
            options,
            rules,
            repeats: RepeatSource::Off,
            min_articles: crate::repeats::DEFAULT_MIN_ARTICLES,
            strip_boilerplate: false,
            dolma: false,
            ads: Default::default(),
        }
    }

    /// The same stage with the repeat cue: counts from `source`, a passage recurring from
    /// `min_articles` articles on, boilerplate removed when `strip_boilerplate`.
    pub fn with_repeats(
        self,
        source: RepeatSource<'a>,
        min_articles: u32,
        strip_boilerplate: bool,
    ) -> Filter<'a> {
        Filter {
            repeats: source,
            min_articles,
            strip_boilerplate,
            ..self
        }
    }

    /// The same stage, writing a dolma attributes line beside every record as its side line.
    pub fn with_dolma_attributes(self) -> Filter<'a> {
        Filter {
            dolma: true,
            ..self
        }
    }

    /// A dolma attributes line for `record` with `attributes`.
    fn dolma_line(
        &self,
        record: Option<&Map<String, Value>>,
        attributes: Map<String, Value>,
    ) -> Value {
        let field = |key: &str| record.and_then(|r| r.get(key)).cloned();
        crate::output::dolma::line(
            field(&self.options.id_key).unwrap_or(Value::Null),
            field("source"),
            attributes,
        )
    }

    /// Ads found so far, over every record this stage cleaned.
    pub fn ads_found(&self) -> usize {
        self.ads.load(std::sync::atomic::Ordering::Relaxed)
    }
}

/// Where the passage counts of the repeat cue ([`crate::repeats`]) come from.
#[derive(Clone, Copy, Debug)]
pub enum RepeatSource<'a> {
    /// No repeat cue: every record is cleaned alone.
    Off,
    /// Counts fixed for the whole run: the batch counted beforehand, or `--known-repeats`.
    Fixed(&'a PassageCounts),
    /// Counted within each window of this many consecutive lines of the stream (tumbling
    /// windows: a record's result depends on the records of its window).
    Window(usize),
}

impl Stage for Filter<'_> {
    /// The article read and its passage fingerprints, when the stage counts per window (the
    /// reading then serves the cleaning too); otherwise nothing is read ahead.
    type Reading = Option<(Reading, Vec<u64>)>;
    /// The counts of the window, when the stage counts per window.
    type Window = Option<PassageCounts>;

    fn window_lines(&self) -> usize {
        match self.repeats {
            RepeatSource::Window(lines) => lines,
            _ => BATCH_LINES,
        }
    }

    fn read(&self, record: &Map<String, Value>) -> Self::Reading {
        let RepeatSource::Window(_) = self.repeats else {
            return None;
        };
        let text = match record.get(&self.options.text_key) {
            Some(Value::String(text)) if text.len() as u64 <= crate::batch::MAX_ARTICLE_BYTES => {
                text
            }
            _ => return None,
        };
        let mut reading = crate::article::read(text, self.rules);
        let fingerprints = reading.passage_fingerprints(text, self.rules);
        Some((reading, fingerprints))
    }

    fn window(&self, readings: &[&Self::Reading]) -> Option<PassageCounts> {
        let RepeatSource::Window(_) = self.repeats else {
            return None;
        };
        let mut counts = PassageCounts::exact();
        for (_, fingerprints) in readings.iter().copied().flatten() {
            counts.add_article(fingerprints);
        }
        Some(counts)
    }

    fn apply(
        &self,
        window: &Option<PassageCounts>,
        reading: Self::Reading,
        record: &mut Map<String, Value>,
    ) -> Result<Applied, String> {
        let counts = match (&self.repeats, window) {
            (RepeatSource::Fixed(counts), _) => Some(*counts),
            (RepeatSource::Window(_), Some(counts)) => Some(counts),
            _ => None,
        };
        let repeats = counts.map(|counts| Repeats {
            counts,
            min_articles: self.min_articles,
            strip_boilerplate: self.strip_boilerplate,
        });
        let reading = reading.map(|(reading, _)| reading);
        let cleaned = clean_record(record, self.options, self.rules, repeats.as_ref(), reading)?;
        self.ads
            .fetch_add(cleaned.ads, std::sync::atomic::Ordering::Relaxed);
        Ok(Applied {
            side: self
                .dolma
                .then(|| self.dolma_line(Some(record), cleaned.attributes)),
            written: cleaned.metadata,
        })
    }

    fn side_of_bad(&self, record: Option<&Map<String, Value>>) -> Option<Value> {
        self.dolma.then(|| self.dolma_line(record, Map::new()))
    }
}

/// Turns one record into what `klartext fingerprints` writes (run as an [`EachRecord`] stage):
/// `{"id": …, "passages": […]}`, its id (under the id key) and the distinct fingerprints of its
/// passages ([`crate::repeats::article_fingerprints`], 16 hexadecimal digits each, sorted), for
/// an engine to count: the number of records a fingerprint stands in is the number of lines that
/// hold it. Fails with a message when the record has no string text.
pub fn fingerprint_record(
    record: &mut Map<String, Value>,
    options: &FilterOptions,
    rules: &RuleSet,
) -> Result<(), String> {
    let passages = match record.get(&options.text_key) {
        Some(Value::String(text)) => crate::repeats::article_fingerprints(text, rules),
        Some(_) => return Err(format!("`{}` is not a string", options.text_key)),
        None => return Err(format!("no `{}` field", options.text_key)),
    };
    let id = record.get(&options.id_key).cloned().unwrap_or(Value::Null);
    record.clear();
    record.insert("id".into(), id);
    record.insert(
        "passages".into(),
        passages
            .into_iter()
            .map(|f| Value::String(crate::repeats::to_hex(f)))
            .collect(),
    );
    Ok(())
}

/// What cleaning one record found, besides what it wrote into the record.
pub struct Cleaned {
    pub ads: usize,
    /// The record's dolma attributes ([`crate::output::dolma::attributes`]).
    pub attributes: Map<String, Value>,
    /// The metadata as JSON text, for the `null` the record holds in its place (not with
    /// `flat`, whose metadata is a key of the record per field).
    pub metadata: Option<Written>,
}

/// Where a record's metadata goes (without `flat`).
const METADATA_PATH: [&str; 2] = ["metadata", "klartext"];

/// Cleans one record: its text is replaced by the clean text and the metadata (the record of
/// [`crate::output::Metadata`], without an id: the record has its own) is added under
/// `metadata.klartext` (as [`Cleaned::metadata`], written into the line when it is written),
/// or as `klartext_<field>` keys with `flat`. Every other key stays where it was. `repeats`,
/// when given, are the batch's recurring passages ([`crate::repeats`]); `reading`, when given, is the record's text already
/// read ([`crate::article::read`]).
pub fn clean_record(
    record: &mut Map<String, Value>,
    options: &FilterOptions,
    rules: &RuleSet,
    repeats: Option<&Repeats<'_>>,
    reading: Option<Reading>,
) -> Result<Cleaned, String> {
    let text = match record.get(&options.text_key) {
        Some(Value::String(text)) => text.clone(),
        Some(_) => return Err(format!("`{}` is not a string", options.text_key)),
        None => return Err(format!("no `{}` field", options.text_key)),
    };
    if text.len() as u64 > crate::batch::MAX_ARTICLE_BYTES {
        let limit = crate::batch::MAX_ARTICLE_BYTES;
        return Err(format!(
            "`{}`: {}",
            options.text_key,
            crate::error::Error::too_large(text.len() as u64, limit)
        ));
    }
    if !options.flat && record.get(METADATA_PATH[0]).is_some_and(|m| !m.is_object()) {
        return Err("`metadata` is not an object".into());
    }
    let reading = reading.unwrap_or_else(|| crate::article::read(&text, rules));
    let article = crate::article::clean_reading(&text, reading, rules, repeats);
    let meta = crate::output::Metadata::new("", &text, &article);
    let attributes = crate::output::dolma::attributes(&meta);
    // With `flat`, a key of the record per field; else the whole as JSON text.
    let (fields, metadata) = if options.flat {
        let Value::Object(fields) = serde_json::to_value(&meta).expect("metadata serializes")
        else {
            unreachable!("metadata is an object")
        };
        (Some(fields), None)
    } else {
        let json = serde_json::to_vec(&meta).expect("metadata serializes");
        let path = &METADATA_PATH;
        (None, Some(Written { path, json }))
    };
    let cleaned = Cleaned {
        ads: article.ads.len(),
        attributes,
        metadata,
    };
    record.insert(options.text_key.clone(), Value::String(article.clean_text));
    if let Some(key) = &options.keep_original {
        record.insert(key.clone(), Value::String(text));
    }
    match fields {
        Some(fields) => {
            for (key, value) in fields {
                record.insert(format!("klartext_{key}"), value);
            }
        }
        None => {
            let [outer, inner] = METADATA_PATH;
            let metadata = record
                .entry(outer)
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(metadata) = metadata {
                metadata.insert(inner.into(), Value::Null);
            }
        }
    }
    Ok(cleaned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_json_line_is_what_serde_json_writes() {
        let controls: String = (0u8..0x20).map(char::from).collect();
        let texts = [
            String::new(),
            "plain ascii text, long enough for several words".to_string(),
            "Zitat: \"Wort\" und \\ Pfad\n\nAbsatz\tTab\r\u{8}\u{c}".to_string(),
            controls.clone(),
            format!("{controls}{controls}abcdefgh\u{7f}"),
            "Ümlaut, “Anführung” – €, 日本語, 🎉\"".to_string(),
            "1234567\"".to_string(),
            "12345678\\".to_string(),
        ];
        for text in &texts {
            let mut record = Map::new();
            record.insert("id".into(), Value::from(7));
            record.insert(text.clone(), Value::from(text.as_str()));
            record.insert(
                "meta\"data".into(),
                serde_json::json!({"x": [1.5, -2, 18446744073709551615u64, i64::MIN, 0, 10, null, true, false, [], {}],
                                   "t": text, "f": 0.1, "e": 1e300}),
            );
            let mut expected = serde_json::to_vec(&record).unwrap();
            expected.push(b'\n');
            assert_eq!(json_line(&record, None), expected, "{text:?}");
        }
    }

    /// A value written ahead as JSON text stands where the record holds its `null`, among the
    /// other keys of its object, as if it had been in the record.
    #[test]
    fn a_written_value_takes_the_place_of_its_null() {
        let value = serde_json::json!({"language": "de", "ads": [{"text": "Jetzt \"gratis\""}]});
        let mut whole = Map::new();
        whole.insert("id".into(), Value::from(7));
        whole.insert(
            "metadata".into(),
            serde_json::json!({"source": "x", "klartext": value, "after": [null]}),
        );
        whole.insert("klartext".into(), Value::Null);
        let mut expected = serde_json::to_vec(&whole).unwrap();
        expected.push(b'\n');
        let mut record = whole.clone();
        record["metadata"]["klartext"] = Value::Null;
        let written = Written {
            path: &["metadata", "klartext"],
            json: serde_json::to_vec(&value).unwrap(),
        };
        assert_eq!(json_line(&record, Some(&written)), expected);
    }

    /// Streams `input` through a stage that adds `"seen": true`; the output lines and the
    /// reported errors.
    fn run(input: &[u8]) -> (Vec<Value>, Vec<String>) {
        let mut out = Vec::new();
        let mut errors = Vec::new();
        let stage = EachRecord(|record: &mut Map<String, Value>| {
            record.insert("seen".into(), true.into());
            Ok(())
        });
        let end = stream("in", input, &mut out, None, false, &stage, &mut |e| {
            errors.push(e)
        })
        .unwrap();
        assert_eq!(end, StreamEnd::Done);
        let lines = String::from_utf8(out)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        (lines, errors)
    }

    #[test]
    fn crlf_lines_and_a_last_line_without_newline_are_read() {
        let (lines, errors) = run(b"{\"a\":1}\r\n{\"a\":2}\n{\"a\":3}");
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[2], serde_json::json!({"a": 3, "seen": true}));
        assert!(errors.is_empty(), "{errors:?}");
    }

    #[test]
    fn a_line_over_the_limit_is_left_out_and_the_next_is_read() {
        for extra in [0, 1] {
            // A line of exactly the limit is read; one byte more is not.
            let mut input = b"{\"a\":1}\r\n{\"text\":\"".to_vec();
            // `{"text":"` and `"}` around the x: 11 bytes.
            input.resize(input.len() + MAX_LINE_BYTES - 11 + extra, b'x');
            input.extend(b"\"}\r\n{\"a\":3}\n");
            let (lines, errors) = run(&input);
            assert_eq!(lines.len(), 3);
            if extra == 0 {
                assert!(lines[1]["seen"] == true, "a line of the limit is read");
                assert!(errors.is_empty(), "{errors:?}");
            } else {
                assert!(
                    lines[1]
                        == serde_json::json!({"error": "line too long: over the limit of 16777216 bytes (16 MiB); it is left out"}),
                    "a line over the limit is left out"
                );
                assert_eq!(errors.len(), 1);
                assert!(errors[0].starts_with("in:2: line too long"));
            }
            assert_eq!(lines[2], serde_json::json!({"a": 3, "seen": true}));
        }
    }
}
