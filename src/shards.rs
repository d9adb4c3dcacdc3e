//! JSONL shards: `klartext clean --jsonl <SHARD>... --out <DIR>`.
//!
//! Corpus pipelines keep articles as JSONL shards (`.jsonl`, `.jsonl.gz`, `.jsonl.zst`). Each
//! input shard gives one output shard of the same name and compression under `DIR`, holding the
//! same rows in the same order, each record cleaned as `klartext filter` cleans it
//! ([`crate::records`]). A shard found in a folder keeps its path relative to that folder; a
//! shard given directly lands at the top of `DIR`. Output names come from input file names,
//! never from record ids, so no record can make a file outside `DIR`.
//!
//! - `--shard K/N` cleans every N-th shard of the sorted list of all inputs, starting at the
//!   K-th, so N processes with K = 1…N share the work without talking to each other.
//! - Every output is written to a hidden temporary file beside its final name
//!   (`.<name>.<random>.tmp`) and renamed when complete: a killed run leaves no partial shard
//!   under a final name (only such temporary files, which nothing reads and which can be
//!   deleted). `--skip-existing` then keeps the finished shards and cleans the rest.
//! - A shard that cannot be read to its end (a truncated `.gz`) is reported with the line where
//!   reading failed and gets no output; the other shards go on. A bad line inside a shard is
//!   passed through with an `error` field, as by `filter`.
//! - Outputs are the same for any thread count and any `--shard` split, so parallel processes
//!   share one output folder without a lock: two processes that should ever clean the same
//!   shard would write the same bytes, and each rename is atomic.
//! - With `--dolma-attributes DIR`, each shard also gets a dolma attributes file under `DIR`
//!   with the same name and compression ([`crate::output::dolma`]).
//! - `manifest.jsonl` (`manifest.K-of-N.jsonl` with `--shard`) gets one line per shard cleaned
//!   by this process: [`ShardManifestLine`].

use std::io::{BufRead, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use serde::Serialize;

use crate::batch::{self, Existing, WalkOptions};
use crate::error::{Error, Result};
use crate::records::{self, Filter};
use crate::repeats::{self, PassageCounts};
use crate::rules::RuleSet;

/// How a shard is compressed, by its file name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compression {
    Plain,
    Gzip,
    Zstd,
}

impl Compression {
    /// `.gz` is gzip, `.zst` zstd, anything else plain text.
    pub fn of(path: &Path) -> Compression {
        match path.extension().and_then(|e| e.to_str()) {
            Some(e) if e.eq_ignore_ascii_case("gz") => Compression::Gzip,
            Some(e) if e.eq_ignore_ascii_case("zst") => Compression::Zstd,
            _ => Compression::Plain,
        }
    }
}

/// Whether a file name is a JSONL shard: `.jsonl`, `.jsonl.gz` or `.jsonl.zst`.
pub fn is_shard(path: &Path) -> bool {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    [".jsonl", ".jsonl.gz", ".jsonl.zst"]
        .iter()
        .any(|end| name.ends_with(end))
}

/// Opens a JSONL file for reading, decompressing `.gz` (several gzip members included) and
/// `.zst` by name.
pub fn open(path: &Path) -> Result<Box<dyn BufRead + Send>> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    reader(path, file)
}

/// Reads `source`, the bytes of the file at `path` (through a progress counter, say),
/// decompressing as the name says.
pub fn reader<R: std::io::Read + Send + 'static>(
    path: &Path,
    source: R,
) -> Result<Box<dyn BufRead + Send>> {
    Ok(match Compression::of(path) {
        Compression::Plain => Box::new(std::io::BufReader::new(source)),
        Compression::Gzip => Box::new(std::io::BufReader::new(flate2::read::MultiGzDecoder::new(
            std::io::BufReader::new(source),
        ))),
        Compression::Zstd => Box::new(std::io::BufReader::new(
            zstd::Decoder::new(source).map_err(|e| Error::io(path, e))?,
        )),
    })
}

/// A writer that compresses as the output name says; [`Encoder::finish`] completes the stream.
enum Encoder<W: Write> {
    Plain(W),
    Gzip(flate2::write::GzEncoder<W>),
    Zstd(zstd::Encoder<'static, W>),
}

impl<W: Write> Encoder<W> {
    fn new(writer: W, compression: Compression) -> std::io::Result<Encoder<W>> {
        Ok(match compression {
            Compression::Plain => Encoder::Plain(writer),
            // The gzip header carries no time or name, so equal inputs give equal bytes.
            Compression::Gzip => Encoder::Gzip(flate2::write::GzEncoder::new(
                writer,
                flate2::Compression::default(),
            )),
            Compression::Zstd => Encoder::Zstd(zstd::Encoder::new(writer, 0)?),
        })
    }

    fn finish(self) -> std::io::Result<W> {
        match self {
            Encoder::Plain(w) => Ok(w),
            Encoder::Gzip(e) => e.finish(),
            Encoder::Zstd(e) => e.finish(),
        }
    }
}

impl<W: Write> Write for Encoder<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Encoder::Plain(w) => w.write(buf),
            Encoder::Gzip(e) => e.write(buf),
            Encoder::Zstd(e) => e.write(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Encoder::Plain(w) => w.flush(),
            Encoder::Gzip(e) => e.flush(),
            Encoder::Zstd(e) => e.flush(),
        }
    }
}

/// An output file written through a hidden temporary file beside it and renamed into place by
/// [`AtomicOutput::commit`]; dropped without commit, the temporary file is removed.
pub struct AtomicOutput {
    target: PathBuf,
    encoder: Encoder<BufWriter<tempfile::NamedTempFile>>,
}

impl AtomicOutput {
    /// Starts writing `target`, compressed as its name says.
    pub fn create(target: &Path) -> Result<AtomicOutput> {
        let dir = target.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let prefix = format!(".{name}.");
        let temp = crate::batch::output_temp_file(dir, &prefix).map_err(|e| Error::io(dir, e))?;
        let encoder = Encoder::new(BufWriter::new(temp), Compression::of(target))
            .map_err(|e| Error::io(target, e))?;
        Ok(AtomicOutput {
            target: target.to_path_buf(),
            encoder,
        })
    }

    /// Completes the file and renames it to its final name.
    pub fn commit(self) -> Result<()> {
        let target = self.target;
        let temp = self
            .encoder
            .finish()
            .and_then(|w| w.into_inner().map_err(|e| e.into_error()))
            .map_err(|e| Error::io(&target, e))?;
        temp.persist(&target)
            .map_err(|e| Error::io(&target, e.error))?;
        Ok(())
    }
}

impl Write for AtomicOutput {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.encoder.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.encoder.flush()
    }
}

/// `--shard K/N`: this process cleans the K-th of every N shards (K from 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ShardSpec {
    pub index: usize,
    pub count: usize,
}

impl ShardSpec {
    /// All shards (1/1).
    pub const ALL: ShardSpec = ShardSpec { index: 1, count: 1 };

    /// Whether the shard at `position` (from 0) of the sorted list belongs to this process.
    pub fn takes(self, position: usize) -> bool {
        position % self.count == self.index - 1
    }
}

impl FromStr for ShardSpec {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<ShardSpec, String> {
        let bad = || format!("`{s}`: give K/N with 1 <= K <= N, such as 1/4");
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let (index, count): (usize, usize) = (
            k.trim().parse().map_err(|_| bad())?,
            n.trim().parse().map_err(|_| bad())?,
        );
        if index == 0 || index > count {
            return Err(bad());
        }
        Ok(ShardSpec { index, count })
    }
}

impl std::fmt::Display for ShardSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// One input shard and where its output goes.
#[derive(Clone, Debug)]
pub struct Shard {
    pub path: PathBuf,
    /// The path relative to its input folder (`/`-separated), or the file name of a shard
    /// given directly; also the output's path below `DIR`.
    pub name: String,
    /// Set when the shard cannot be cleaned (the walk failed there, or its name is taken).
    pub error: Option<String>,
}

/// The shards under the inputs (files given directly, folders walked recursively in sorted
/// order, hidden entries skipped), sorted by name. A file given directly must be named like
/// a shard; a second shard with the same name as an earlier one fails with the reason.
pub fn discover(inputs: &[PathBuf]) -> Result<Vec<Shard>> {
    for input in inputs {
        let meta = std::fs::metadata(input)
            .map_err(|e| Error::usage(format!("{}: {e}", input.display())))?;
        if meta.is_file() && !is_shard(input) {
            return Err(Error::usage(format!(
                "{}: not a JSONL shard; --jsonl reads .jsonl, .jsonl.gz and .jsonl.zst files",
                input.display()
            )));
        }
    }
    let options = WalkOptions {
        extensions: vec!["jsonl".into(), "gz".into(), "zst".into()],
        follow_links: false,
    };
    let mut shards: Vec<Shard> = batch::discover(inputs, Path::new(""), &options)
        .filter(|job| job.error.is_some() || is_shard(&job.path))
        .map(|job| Shard {
            path: job.path,
            name: job.id,
            error: job.error,
        })
        .collect();
    shards.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.path.cmp(&b.path)));
    for i in 1..shards.len() {
        if shards[i].error.is_none() && shards[i].name == shards[i - 1].name {
            shards[i].error = Some(format!(
                "its output name {} is already taken by {}; rename one of the two shards",
                shards[i].name,
                shards[i - 1].path.display()
            ));
        }
    }
    Ok(shards)
}

/// Counts the passages of every shard (all of them, not only one process's share, so that
/// every `--shard` split cleans against the same counts): the first pass of a batch with
/// repeats. Shards that cannot be opened or read to their end add what could be read; they
/// are reported when they are cleaned.
pub fn count_passages(shards: &[Shard], text_key: &str, rules: &RuleSet) -> PassageCounts {
    let mut counts = PassageCounts::sketch();
    for shard in shards.iter().filter(|s| s.error.is_none()) {
        if let Ok(reader) = open(&shard.path) {
            let _ = repeats::count_records(reader, text_key, rules, &mut counts);
        }
    }
    counts
}

/// One line of a shard run's manifest.
#[derive(Clone, Debug, Serialize)]
pub struct ShardManifestLine {
    /// The shard's name (its output path below `DIR`).
    pub id: String,
    /// Lines read and written; `null` for a shard kept from an earlier run or not cleaned.
    pub lines: Option<usize>,
    /// Lines passed through with an `error` field.
    pub bad_lines: Option<usize>,
    /// Ads found in the shard's records.
    pub ads: Option<usize>,
    /// `ok`, `ok (kept from an earlier run)`, or why the shard could not be cleaned.
    pub status: String,
}

impl ShardManifestLine {
    fn new(id: &str, status: impl Into<String>) -> ShardManifestLine {
        ShardManifestLine {
            id: id.to_string(),
            lines: None,
            bad_lines: None,
            ads: None,
            status: status.into(),
        }
    }

    pub fn ok(&self) -> bool {
        self.status.starts_with("ok")
    }
}

/// The manifest's file name for a run of `spec`.
pub fn manifest_name(spec: ShardSpec) -> String {
    if spec == ShardSpec::ALL {
        "manifest.jsonl".into()
    } else {
        format!("manifest.{}-of-{}.jsonl", spec.index, spec.count)
    }
}

/// What a shard run needs besides the shards.
pub struct ShardRun<'a> {
    pub out: &'a Path,
    pub spec: ShardSpec,
    pub existing: Existing,
    /// What cleans each record.
    pub filter: &'a Filter<'a>,
    /// Where dolma attribute files go, one per shard under the shard's name (`--dolma-attributes`);
    /// `filter` must then write them as its side lines.
    pub dolma: Option<&'a Path>,
}

impl ShardRun<'_> {
    /// The files a shard's cleaning writes: the output shard and its attributes file.
    fn outputs(&self, shard: &Shard) -> Vec<PathBuf> {
        let mut outputs = vec![self.out.join(&shard.name)];
        outputs.extend(self.dolma.map(|d| d.join(&shard.name)));
        outputs
    }
}

/// Cleans this process's share of `shards` into `run.out` and writes its manifest. Returns
/// the manifest lines; `on_error` hears of every bad line and failed shard as it happens.
pub fn run(
    shards: &[Shard],
    run: &ShardRun<'_>,
    on_error: &mut dyn FnMut(String),
) -> Result<Vec<ShardManifestLine>> {
    let mine: Vec<&Shard> = shards
        .iter()
        .enumerate()
        .filter(|(i, _)| run.spec.takes(*i))
        .map(|(_, s)| s)
        .collect();
    let manifest = run.out.join(manifest_name(run.spec));
    if run.existing == Existing::Refuse {
        let taken = mine
            .iter()
            .flat_map(|s| run.outputs(s))
            .chain([manifest.clone()])
            .find(|p| p.exists());
        if let Some(path) = taken {
            return Err(Error::usage(format!(
                "{} exists; pass --force to overwrite it or --skip-existing to keep it",
                path.display()
            )));
        }
    }
    let mut lines = Vec::new();
    for shard in mine {
        let line = match &shard.error {
            Some(reason) => ShardManifestLine::new(&shard.name, reason.clone()),
            None => clean_shard(shard, run, on_error)
                .unwrap_or_else(|e| ShardManifestLine::new(&shard.name, e.to_string())),
        };
        // The status names no file when it is about the shard itself, so name it here.
        if !line.ok() {
            on_error(format!("{}: {}", shard.path.display(), line.status));
        }
        lines.push(line);
    }
    let mut output = AtomicOutput::create(&manifest)?;
    for line in &lines {
        serde_json::to_writer(&mut output, line).map_err(|e| Error::io(&manifest, e.into()))?;
        output
            .write_all(b"\n")
            .map_err(|e| Error::io(&manifest, e))?;
    }
    output.commit()?;
    Ok(lines)
}

/// Counts the lines written through it (every output line ends in the only `\n` it holds:
/// JSON escapes line breaks inside strings).
struct LineCounter<W> {
    inner: W,
    lines: usize,
}

impl<W: Write> Write for LineCounter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.lines += memchr::memchr_iter(b'\n', &buf[..n]).count();
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

fn clean_shard(
    shard: &Shard,
    run: &ShardRun<'_>,
    on_error: &mut dyn FnMut(String),
) -> Result<ShardManifestLine> {
    let target = run.out.join(&shard.name);
    if run.existing == Existing::Skip && run.outputs(shard).iter().all(|p| p.exists()) {
        return Ok(ShardManifestLine::new(
            &shard.name,
            "ok (kept from an earlier run)",
        ));
    }
    let reader = open(&shard.path)?;
    let mut output = LineCounter {
        inner: AtomicOutput::create(&target)?,
        lines: 0,
    };
    let mut attributes = match run.dolma {
        Some(dir) => Some(AtomicOutput::create(&dir.join(&shard.name))?),
        None => None,
    };
    let mut bad_lines = 0;
    let mut report = |message: String| {
        bad_lines += 1;
        on_error(message);
    };
    let ads_before = run.filter.ads_found();
    let name = shard.path.display().to_string();
    // A read error (a truncated shard) ends here; the temporary output is removed on drop.
    let side = attributes.as_mut().map(|a| a as &mut dyn Write);
    if let Err(e) = records::stream(
        &name,
        reader,
        &mut output,
        side,
        false,
        run.filter,
        &mut report,
    ) {
        return Ok(ShardManifestLine::new(
            &shard.name,
            format!("{e}; no output written"),
        ));
    }
    let lines = output.lines;
    // The shard last: a shard whose output exists is finished, attributes included.
    if let Some(attributes) = attributes {
        attributes.commit()?;
    }
    output.inner.commit()?;
    Ok(ShardManifestLine {
        id: shard.name.clone(),
        lines: Some(lines),
        bad_lines: Some(bad_lines),
        ads: Some(run.filter.ads_found() - ads_before),
        status: "ok".into(),
    })
}
