//! Batch cleaning: find the articles under the inputs, clean them in parallel, write the clean
//! text, the metadata and a manifest.
//!
//! The stages stay apart: [`discover`] walks the inputs into [`Job`]s, [`run`] cleans and writes
//! each job and returns one [`ManifestLine`] per job in job order, so the output does not depend
//! on the number of threads. Every file is written to a temporary file beside its final name and
//! then renamed, so an interrupted run never leaves a half-written output under a final name.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

use crate::article;
use crate::error::{Error, Result};
use crate::output::{ManifestLine, Metadata};
use crate::repeats::Repeats;
use crate::rules::RuleSet;

/// How to find articles.
#[derive(Clone, Debug)]
pub struct WalkOptions {
    /// File name endings that count as articles (without the dot, compared case-insensitively).
    pub extensions: Vec<String>,
    /// Follow symbolic links inside input folders.
    pub follow_links: bool,
}

impl Default for WalkOptions {
    fn default() -> Self {
        WalkOptions {
            extensions: vec!["txt".into(), "md".into()],
            follow_links: false,
        }
    }
}

/// `stem` with `.ext` appended (unlike `Path::with_extension`, which would replace the part after
/// a dot already in the name: `a.expected` must become `a.expected.txt`, not `a.txt`).
pub fn output_path(stem: &Path, ext: &str) -> PathBuf {
    let mut name = stem.as_os_str().to_os_string();
    name.push(".");
    name.push(ext);
    PathBuf::from(name)
}

/// One input file and where its outputs go.
#[derive(Clone, Debug)]
pub struct Job {
    /// The file to read.
    pub path: PathBuf,
    /// Its id: the path relative to its input folder, `/`-separated.
    pub id: String,
    /// The output path without extension (`DIR/<rel>` with the input extension dropped).
    pub out_stem: PathBuf,
    /// Set when the job cannot run (the walk failed there, or its output name is taken).
    pub error: Option<String>,
}

/// Resolves `path` to an absolute path without symlinks, even if its tail does not exist yet.
pub fn resolve(path: &Path) -> PathBuf {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|d| d.join(path))
            .unwrap_or_else(|_| path.to_path_buf())
    };
    let mut existing = absolute.as_path();
    let mut tail = Vec::new();
    loop {
        if let Ok(real) = existing.canonicalize() {
            let mut out = real;
            for part in tail.iter().rev() {
                out.push(part);
            }
            return out;
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                tail.push(name.to_os_string());
                existing = parent;
            }
            _ => return absolute,
        }
    }
}

/// Checks the inputs and the output folder before anything is written: every input exists, and
/// the output folder is neither an input folder, nor inside one, nor holding an input file.
pub fn check_paths(inputs: &[PathBuf], out: &Path) -> Result<()> {
    let out_real = resolve(out);
    for input in inputs {
        let meta = std::fs::metadata(input)
            .map_err(|e| Error::usage(format!("{}: {}", input.display(), e)))?;
        let real = resolve(input);
        if meta.is_dir() && out_real.starts_with(&real) {
            return Err(Error::usage(format!(
                "--out {} is inside the input folder {}; choose an output folder outside it",
                out.display(),
                input.display()
            )));
        }
        if real.starts_with(&out_real) {
            return Err(Error::usage(format!(
                "the input {} is inside --out {}; choose another output folder",
                input.display(),
                out.display()
            )));
        }
    }
    Ok(())
}

fn has_extension(path: &Path, extensions: &[String]) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| extensions.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

fn is_hidden(entry: &walkdir::DirEntry) -> bool {
    entry.depth() > 0
        && entry
            .file_name()
            .to_str()
            .is_some_and(|n| n.starts_with('.'))
}

/// The `/`-separated id of a relative path.
fn id_of(rel: &Path) -> String {
    rel.components()
        .filter_map(|c| match c {
            Component::Normal(part) => Some(part.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Walks the inputs into jobs, in the order given and sorted by name inside each folder.
/// Output names are not checked here; see [`claim_outputs`].
pub fn discover(inputs: &[PathBuf], out: &Path, options: &WalkOptions) -> Vec<Job> {
    let mut jobs = Vec::new();
    for input in inputs {
        if input.is_file() {
            let name = PathBuf::from(input.file_name().unwrap_or_default());
            jobs.push(Job {
                path: input.clone(),
                id: id_of(&name),
                out_stem: out.join(&name).with_extension(""),
                error: None,
            });
            continue;
        }
        let walker = walkdir::WalkDir::new(input)
            .follow_links(options.follow_links)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| !is_hidden(e));
        for entry in walker {
            match entry {
                Ok(entry) => {
                    if !entry.file_type().is_file()
                        || !has_extension(entry.path(), &options.extensions)
                    {
                        continue;
                    }
                    let rel = entry.path().strip_prefix(input).unwrap_or(entry.path());
                    jobs.push(Job {
                        path: entry.path().to_path_buf(),
                        id: id_of(rel),
                        out_stem: out.join(rel).with_extension(""),
                        error: None,
                    });
                }
                Err(err) => {
                    let path = err.path().unwrap_or(input).to_path_buf();
                    let rel = path.strip_prefix(input).unwrap_or(&path);
                    let reason = match err.io_error() {
                        Some(io) => io.to_string(),
                        None => err.to_string(),
                    };
                    jobs.push(Job {
                        id: id_of(rel),
                        out_stem: out.join(rel),
                        path,
                        error: Some(reason),
                    });
                }
            }
        }
    }
    jobs
}

/// Marks every job whose output name an earlier job already has (`a.md` and `a.txt` both
/// become `a.txt`): the first keeps it, the later ones fail with the reason.
pub fn claim_outputs(jobs: &mut [Job]) {
    let mut taken: HashMap<PathBuf, String> = HashMap::new();
    for job in jobs.iter_mut() {
        if job.error.is_some() {
            continue;
        }
        if let Some(first) = taken.get(&job.out_stem) {
            job.error = Some(format!(
                "its output name is already taken by {first}; rename one of the two files"
            ));
        } else {
            taken.insert(job.out_stem.clone(), job.id.clone());
        }
    }
}

/// The largest file read as one article: 4 MiB, some twenty times the longest news article.
/// A bigger file is a dump, a log or a minified page, and cleaning it would take minutes (the
/// pipeline runs at about a megabyte per second per core), so it is refused unread.
pub const MAX_ARTICLE_BYTES: u64 = 4 << 20;

/// Reads and decodes one article file (see [`decode`]); a file over [`MAX_ARTICLE_BYTES`] is
/// refused without being read into memory.
pub fn read_article(path: &Path) -> Result<String> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut bytes = Vec::new();
    file.take(MAX_ARTICLE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(path, e))?;
    if bytes.len() as u64 > MAX_ARTICLE_BYTES {
        let size = std::fs::metadata(path).map_or(bytes.len() as u64, |m| m.len());
        return Err(Error::too_large(size, MAX_ARTICLE_BYTES));
    }
    decode(bytes)
}

/// Decodes an article file into the text the pipeline reads, and to which every offset in the
/// metadata refers:
///
/// - UTF-8, with a byte-order mark dropped; UTF-16 (little or big endian) when it starts with
///   its byte-order mark. Other encodings are not guessed at: invalid UTF-8 or UTF-16 is
///   refused with the place of the first bad byte, so nothing is cleaned from garbled text.
/// - A file with NUL bytes (outside UTF-16) is binary and refused.
/// - Line endings become `\n`: Windows `\r\n` and old Mac `\r` alike, so that every line
///   is a block whatever wrote the file.
/// - A file with no text, or only white space, is refused: there is no article to clean.
pub fn decode(bytes: Vec<u8>) -> Result<String> {
    let text = match bytes.as_slice() {
        [0xFF, 0xFE, rest @ ..] => utf16(rest, u16::from_le_bytes, "little")?,
        [0xFE, 0xFF, rest @ ..] => utf16(rest, u16::from_be_bytes, "big")?,
        _ => utf8(bytes)?,
    };
    if text.contains('\0') {
        return Err(Error::not_text("binary file (contains NUL characters)"));
    }
    let text = normalize_line_endings(text);
    if text.is_empty() {
        return Err(Error::not_text("the file is empty"));
    }
    if text.trim().is_empty() {
        return Err(Error::not_text("the file holds only white space"));
    }
    Ok(text)
}

/// UTF-8 without its byte-order mark; NUL bytes and invalid sequences are refused.
fn utf8(bytes: Vec<u8>) -> Result<String> {
    if let Some(at) = memchr::memchr(0, &bytes) {
        // UTF-16 without a byte-order mark shows as a NUL beside every ASCII character.
        let hint = if bytes.len() >= 4
            && (bytes[1] == 0 && bytes[3] == 0 || bytes[0] == 0 && bytes[2] == 0)
        {
            "; if it is UTF-16 text, save it with a byte-order mark"
        } else {
            ""
        };
        return Err(Error::not_text(format!(
            "binary file (a NUL byte at byte {at}){hint}"
        )));
    }
    let mut text = String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let line = e.as_bytes()[..at].iter().filter(|&&b| b == b'\n').count() + 1;
        Error::not_text(format!(
            "invalid UTF-8 at byte {at} (line {line}); convert the file to UTF-8"
        ))
    })?;
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    Ok(text)
}

/// UTF-16 after its byte-order mark, in the byte order `unit` reads.
fn utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16, order: &str) -> Result<String> {
    if bytes.len() % 2 == 1 {
        return Err(Error::not_text(format!(
            "invalid UTF-16 ({order} endian): an odd number of bytes; the file is cut short"
        )));
    }
    let units = bytes.chunks_exact(2).map(|pair| unit([pair[0], pair[1]]));
    let mut text = String::with_capacity(bytes.len());
    // Units read so far, for the place of an error (the byte-order mark is one unit).
    let mut read = 1;
    for decoded in char::decode_utf16(units) {
        match decoded {
            Ok(c) => {
                text.push(c);
                read += c.len_utf16();
            }
            Err(e) => {
                return Err(Error::not_text(format!(
                    "invalid UTF-16 ({order} endian) at byte {}: a lone surrogate {:#06x}; convert the file to UTF-8",
                    2 * read,
                    e.unpaired_surrogate()
                )))
            }
        }
    }
    Ok(text)
}

/// `\r\n` and lone `\r` turned into `\n`.
pub fn normalize_line_endings(text: String) -> String {
    if !text.contains('\r') {
        return text;
    }
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// How the temporary files of [`write_atomic`] start: hidden, and named so that what a killed
/// run leaves (`.klartext-XXXXXX.tmp`) is plainly not an output.
pub const TEMP_PREFIX: &str = ".klartext-";

/// Writes `contents` to `path` through a temporary file in the same folder and a rename, so
/// that `path` holds either nothing, its old contents or all of the new ones.
pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let mut file = output_temp_file(dir, TEMP_PREFIX).map_err(|e| Error::io(dir, e))?;
    file.write_all(contents).map_err(|e| Error::io(path, e))?;
    file.persist(path).map_err(|e| Error::io(path, e.error))?;
    Ok(())
}

/// A hidden temporary file in `dir` for an output that is renamed into place when whole. It is
/// created readable like any file the user makes (mode 0666 less the umask), not owner-only as
/// temporary files are by default: outputs are meant to be shared.
pub fn output_temp_file(dir: &Path, prefix: &str) -> std::io::Result<tempfile::NamedTempFile> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(prefix).suffix(".tmp");
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    builder.tempfile_in(dir)
}

/// What one job produced.
#[derive(Clone, Debug)]
pub struct Outcome {
    pub manifest: ManifestLine,
    pub chars_in: usize,
    pub chars_out: usize,
    pub ok: bool,
}

/// What to do with outputs that already exist.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Existing {
    /// Refuse: the article fails, the earlier output stays (the default).
    #[default]
    Refuse,
    /// Overwrite (`--force`).
    Overwrite,
    /// Keep the earlier outputs and skip the article (`--skip-existing`); an article with only
    /// one of its two outputs (a run killed between them) is cleaned again.
    Skip,
}

/// The manifest line of an article whose outputs are kept from an earlier run.
fn skipped(job: &Job, json: &Path) -> Outcome {
    let meta: serde_json::Value = std::fs::read(json)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default();
    let number = |v: &serde_json::Value| v.as_u64().unwrap_or(0) as usize;
    Outcome {
        manifest: ManifestLine {
            id: job.id.clone(),
            language: meta["language"].as_str().map(str::to_string),
            ads: number(&meta["counts"]["ads"]),
            sentences: number(&meta["counts"]["sentences"]),
            status: "ok (kept from an earlier run)".into(),
        },
        chars_in: number(&meta["counts"]["chars_in"]),
        chars_out: number(&meta["counts"]["chars_out"]),
        ok: true,
    }
}

fn clean_job(
    job: &Job,
    rules: &RuleSet,
    repeats: Option<&Repeats<'_>>,
    existing: Existing,
) -> Result<Outcome> {
    let (txt, json) = (
        output_path(&job.out_stem, "txt"),
        output_path(&job.out_stem, "json"),
    );
    if existing == Existing::Skip && txt.exists() && json.exists() {
        return Ok(skipped(job, &json));
    }
    // With --skip-existing, a lone `.txt` or `.json` is what a run killed between the two
    // renames left: the article was not finished, so it is cleaned again.
    if existing == Existing::Refuse && (txt.exists() || json.exists()) {
        return Err(Error::usage(format!(
            "{} exists; pass --force to overwrite it or --skip-existing to keep it",
            txt.display()
        )));
    }
    let text = read_article(&job.path)?;
    let article = article::clean_in_batch(&text, rules, repeats);
    let meta = Metadata::new(&job.id, &text, &article);
    let mut metadata = serde_json::to_vec_pretty(&meta).expect("metadata serializes");
    metadata.push(b'\n');
    write_atomic(&txt, article.clean_text.as_bytes())?;
    write_atomic(&json, &metadata)?;
    Ok(Outcome {
        manifest: ManifestLine {
            id: job.id.clone(),
            language: Some(article.language.code.clone()),
            ads: article.ads.len(),
            sentences: article.sentences.len(),
            status: "ok".into(),
        },
        chars_in: meta.counts.chars_in,
        chars_out: meta.counts.chars_out,
        ok: true,
    })
}

fn failed(job: &Job, reason: String) -> Outcome {
    Outcome {
        manifest: ManifestLine {
            id: job.id.clone(),
            language: None,
            ads: 0,
            sentences: 0,
            status: reason,
        },
        chars_in: 0,
        chars_out: 0,
        ok: false,
    }
}

/// The lock file of an output folder.
pub const LOCK_FILE: &str = ".klartext.lock";

/// Keeps two runs from writing into one output folder at once: an advisory lock (`flock`) on
/// `DIR/.klartext.lock`, which the operating system releases when the process ends, however it
/// ends, so a killed run never blocks the next one. The file holds the process id of the run
/// for the message, and is removed when the run ends.
struct RunLock {
    path: PathBuf,
    _file: std::fs::File,
}

impl RunLock {
    fn take(out: &Path) -> Result<RunLock> {
        let path = out.join(LOCK_FILE);
        loop {
            let mut file = std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&path)
                .map_err(|e| Error::io(&path, e))?;
            match file.try_lock() {
                Ok(()) => {}
                Err(std::fs::TryLockError::WouldBlock) => {
                    let holder = std::fs::read_to_string(&path).unwrap_or_default();
                    let holder = match holder.trim() {
                        "" => String::new(),
                        pid => format!(" (process {pid})"),
                    };
                    return Err(Error::usage(format!(
                        "another klartext run{holder} is writing to {}; wait for it to end or choose another --out",
                        out.display()
                    )));
                }
                Err(std::fs::TryLockError::Error(e)) => return Err(Error::io(&path, e)),
            }
            // The run before may have removed the file between our open and our lock; then the
            // lock is on a file no later run will open, so take it again on a new one.
            if !is_same_file(&file, &path) {
                continue;
            }
            file.set_len(0).map_err(|e| Error::io(&path, e))?;
            writeln!(file, "{}", std::process::id()).map_err(|e| Error::io(&path, e))?;
            return Ok(RunLock { path, _file: file });
        }
    }
}

/// Whether `path` still names the open `file`.
fn is_same_file(file: &std::fs::File, path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (file.metadata(), std::fs::metadata(path)) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = file;
        path.exists()
    }
}

impl Drop for RunLock {
    /// Removes the file while the lock is still held (the handle closes after this).
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Cleans every job in parallel (against the batch's recurring passages when `repeats` is
/// given), calling `tick` after each, and writes `manifest.jsonl` into `out`. Returns the
/// outcomes in job order.
pub fn run(
    jobs: &[Job],
    out: &Path,
    rules: &RuleSet,
    repeats: Option<&Repeats<'_>>,
    existing: Existing,
    tick: &(dyn Fn() + Sync),
) -> Result<Vec<Outcome>> {
    std::fs::create_dir_all(out).map_err(|e| Error::io(out, e))?;
    let _lock = RunLock::take(out)?;
    if existing == Existing::Refuse && out.join("manifest.jsonl").exists() {
        return Err(Error::usage(format!(
            "{} holds the output of an earlier run; pass --force to overwrite it or --skip-existing to keep what is there",
            out.display()
        )));
    }
    let outcomes: Vec<Outcome> = jobs
        .par_iter()
        .map(|job| {
            let outcome = match &job.error {
                Some(reason) => failed(job, reason.clone()),
                None => clean_job(job, rules, repeats, existing)
                    .unwrap_or_else(|e| failed(job, e.to_string())),
            };
            tick();
            outcome
        })
        .collect();
    let mut manifest = Vec::new();
    for outcome in &outcomes {
        serde_json::to_writer(&mut manifest, &outcome.manifest).expect("manifest line serializes");
        manifest.push(b'\n');
    }
    write_atomic(&out.join("manifest.jsonl"), &manifest)?;
    Ok(outcomes)
}

/// Ads found in one input file, by category; or why it could not be read.
#[derive(Clone, Debug, serde::Serialize)]
pub struct AdCount {
    pub id: String,
    pub ads: usize,
    /// Ads per category name, only categories with at least one ad.
    pub by_category: std::collections::BTreeMap<String, usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// Cleans every job in parallel (against the batch's recurring passages when `repeats` is
/// given) without writing anything and counts its ads, in job order, calling `tick` after each.
pub fn count(
    jobs: &[Job],
    rules: &RuleSet,
    repeats: Option<&Repeats<'_>>,
    tick: &(dyn Fn() + Sync),
) -> Vec<AdCount> {
    jobs.par_iter()
        .map(|job| {
            let mut counted = AdCount {
                id: job.id.clone(),
                ads: 0,
                by_category: Default::default(),
                error: job.error.clone(),
            };
            if counted.error.is_some() {
                tick();
                return counted;
            }
            let text = read_article(&job.path);
            match text {
                Ok(text) => {
                    for ad in article::clean_in_batch(&text, rules, repeats).ads {
                        counted.ads += 1;
                        *counted
                            .by_category
                            .entry(ad.category.name().to_string())
                            .or_default() += 1;
                    }
                }
                Err(e) => counted.error = Some(e.to_string()),
            }
            tick();
            counted
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason(bytes: &[u8]) -> String {
        decode(bytes.to_vec()).unwrap_err().to_string()
    }

    fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
        let mut bytes = if big_endian {
            vec![0xFE, 0xFF]
        } else {
            vec![0xFF, 0xFE]
        };
        for unit in text.encode_utf16() {
            bytes.extend(if big_endian {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            });
        }
        bytes
    }

    #[test]
    fn utf8_with_and_without_a_byte_order_mark() {
        assert_eq!(
            decode(b"Titel\nText.\n".to_vec()).unwrap(),
            "Titel\nText.\n"
        );
        assert_eq!(
            decode(b"\xEF\xBB\xBFGr\xC3\xBC\xC3\x9Fe\n".to_vec()).unwrap(),
            "Grüße\n"
        );
    }

    #[test]
    fn utf16_with_a_byte_order_mark_is_decoded_in_either_byte_order() {
        let text = "Grüße aus Köln 🎉\r\nZweite Zeile.\n";
        for big_endian in [false, true] {
            assert_eq!(
                decode(utf16(text, big_endian)).unwrap(),
                "Grüße aus Köln 🎉\nZweite Zeile.\n"
            );
        }
        let mut cut = utf16("Titel", false);
        cut.pop();
        assert!(
            reason(&cut).contains("odd number of bytes"),
            "{}",
            reason(&cut)
        );
        // A lone high surrogate after "Ab🎉" (4 units after the mark: byte 10).
        let mut lone = utf16("Ab🎉", true);
        lone.extend([0xD8, 0x00, 0x00, 0x41]);
        assert_eq!(
            reason(&lone),
            "not text: invalid UTF-16 (big endian) at byte 10: a lone surrogate 0xd800; convert the file to UTF-8"
        );
    }

    #[test]
    fn line_endings_become_newlines() {
        assert_eq!(
            decode(b"Titel\r\nEins.\rZwei.\r\n\r\nDrei.\r".to_vec()).unwrap(),
            "Titel\nEins.\nZwei.\n\nDrei.\n"
        );
    }

    #[test]
    fn binary_invalid_empty_and_blank_files_are_refused_with_the_reason() {
        assert_eq!(
            reason(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            "not text: binary file (a NUL byte at byte 8)"
        );
        assert!(reason(b"T\0i\0t\0e\0l\0").contains("save it with a byte-order mark"));
        assert_eq!(
            reason(b"Titel\nGr\xfc\xdfe\n"),
            "not text: invalid UTF-8 at byte 8 (line 2); convert the file to UTF-8"
        );
        assert_eq!(
            reason(&utf16("a\0b", false)),
            "not text: binary file (contains NUL characters)"
        );
        assert_eq!(reason(b""), "not text: the file is empty");
        assert_eq!(reason(b"\xEF\xBB\xBF"), "not text: the file is empty");
        assert_eq!(
            reason(b" \r\n\t\n\xC2\xA0\n"),
            "not text: the file holds only white space"
        );
    }

    #[test]
    fn a_file_over_the_limit_is_refused_unread() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.txt");
        let file = std::fs::File::create(&path).unwrap();
        file.set_len(MAX_ARTICLE_BYTES + 1).unwrap();
        let err = read_article(&path).unwrap_err().to_string();
        assert_eq!(
            err,
            format!(
                "too large for an article: {} bytes, over the limit of {MAX_ARTICLE_BYTES} bytes (4 MiB); split it into articles",
                MAX_ARTICLE_BYTES + 1
            )
        );
    }
}
