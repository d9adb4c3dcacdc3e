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

/// Decodes an article file: UTF-8, with a byte-order mark dropped. Binary files and invalid
/// UTF-8 are refused with the reason, so nothing is cleaned from garbled text.
pub fn decode(bytes: Vec<u8>) -> Result<String> {
    if bytes.contains(&0) {
        return Err(Error::not_text("binary file (contains NUL bytes)"));
    }
    let mut text = String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let line = e.as_bytes()[..at].iter().filter(|&&b| b == b'\n').count() + 1;
        Error::not_text(format!(
            "invalid UTF-8 at byte {at} (line {line}); convert the file to UTF-8"
        ))
    })?;
    if text.starts_with('\u{feff}') {
        text.drain(..3);
    }
    Ok(text)
}

/// Writes `contents` to `path` through a temporary file in the same folder and a rename.
pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let mut file = tempfile::NamedTempFile::new_in(dir).map_err(|e| Error::io(dir, e))?;
    file.write_all(contents).map_err(|e| Error::io(path, e))?;
    file.persist(path).map_err(|e| Error::io(path, e.error))?;
    Ok(())
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
    /// Keep the earlier output and skip the article (`--skip-existing`).
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
    if existing != Existing::Overwrite && (txt.exists() || json.exists()) {
        if existing == Existing::Skip && txt.exists() && json.exists() {
            return Ok(skipped(job, &json));
        }
        return Err(Error::usage(format!(
            "{} exists; pass --force to overwrite it or --skip-existing to keep it",
            txt.display()
        )));
    }
    let bytes = std::fs::read(&job.path).map_err(|e| Error::io(&job.path, e))?;
    let text = decode(bytes)?;
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

/// A lock file that keeps two runs from writing into one output folder at once. It is removed
/// when the run ends; a run that was killed leaves it, and the message says what to do.
struct RunLock(PathBuf);

impl RunLock {
    fn take(out: &Path) -> Result<RunLock> {
        let path = out.join(".klartext.lock");
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(mut file) => {
                let _ = writeln!(file, "{}", std::process::id());
                Ok(RunLock(path))
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(Error::usage(format!(
                "another klartext run is writing to {} (if none is, remove {})",
                out.display(),
                path.display()
            ))),
            Err(e) => Err(Error::io(&path, e)),
        }
    }
}

impl Drop for RunLock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
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
            let text = std::fs::read(&job.path)
                .map_err(|e| Error::io(&job.path, e))
                .and_then(decode);
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
