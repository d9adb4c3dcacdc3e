//! Batch cleaning: find the articles under the inputs, clean them in parallel, write the clean
//! text, the metadata and a manifest.
//!
//! The stages stay apart: [`discover`] walks the inputs into [`Job`]s, [`run`] cleans and writes
//! each job and writes one [`ManifestLine`] per job in job order, so the output does not depend
//! on the number of threads. Every file gets its final name only once it is whole (see
//! [`write_atomic`]), so an interrupted run never leaves a half-written output under a final name.
//!
//! Memory does not grow with the number of files: the walk yields one job at a time (holding the
//! listings of the folders it is in), output names are claimed per folder ([`Claims`]), and
//! [`run`] takes the jobs a chunk at a time and keeps only [`Totals`] of what it wrote. What does
//! grow is bounded by the largest folder: walkdir reads a folder's whole listing to sort it, and
//! the claims of a folder hold its output names, a few hundred bytes per file of the folders
//! along the walk's path (see `benches/throughput.sh`'s `MANY_FILES` mode for measurements).

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

/// The walk of a folder input, hidden entries skipped.
type FolderWalk = walkdir::FilterEntry<walkdir::IntoIter, fn(&walkdir::DirEntry) -> bool>;

fn is_visible(entry: &walkdir::DirEntry) -> bool {
    !is_hidden(entry)
}

fn walk_folder(folder: &Path, options: &WalkOptions) -> FolderWalk {
    walkdir::WalkDir::new(folder)
        .follow_links(options.follow_links)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(is_visible as fn(&walkdir::DirEntry) -> bool)
}

/// Walks the inputs into jobs, in the order given and sorted by name inside each folder, one at
/// a time: a walk holds the listings of the folders it is in, not a list of every file, so a
/// run over millions of files does not keep them all. Output names are not checked unless
/// [`Discover::claiming_outputs`] is called.
pub fn discover<'a>(
    inputs: &'a [PathBuf],
    out: &'a Path,
    options: &'a WalkOptions,
) -> Discover<'a> {
    Discover {
        inputs,
        out,
        options,
        next_input: 0,
        walk: None,
        claims: None,
    }
}

/// The jobs of [`discover`], as an iterator.
pub struct Discover<'a> {
    inputs: &'a [PathBuf],
    out: &'a Path,
    options: &'a WalkOptions,
    /// The input the walk takes next.
    next_input: usize,
    /// The folder being walked: its index among the inputs and its walk.
    walk: Option<(usize, FolderWalk)>,
    claims: Option<Claims>,
}

impl Discover<'_> {
    /// Marks every job whose output name an earlier job already has (`a.md` and `a.txt` both
    /// become `a.txt`, or two input folders hold `x/a.txt`): the first keeps it, the later ones
    /// fail with the reason. See [`Claims`] for what it keeps in memory.
    pub fn claiming_outputs(mut self) -> Self {
        self.claims = Some(Claims::default());
        self
    }

    fn claim(&mut self, input: usize, rel: &Path, id: &str) -> Option<String> {
        let claims = self.claims.as_mut()?;
        claims.claim(&self.inputs[..input], self.options, rel, id)
    }

    /// The job of a walk entry of input `input`, a folder; `None` for an entry that is not an
    /// article.
    fn job(&mut self, input: usize, entry: walkdir::Result<walkdir::DirEntry>) -> Option<Job> {
        let inputs = self.inputs;
        let root = &inputs[input];
        match entry {
            Ok(entry) => {
                if !entry.file_type().is_file()
                    || !has_extension(entry.path(), &self.options.extensions)
                {
                    return None;
                }
                let rel = entry.path().strip_prefix(root).unwrap_or(entry.path());
                let id = id_of(rel);
                let out_stem = self.out.join(rel).with_extension("");
                let error = self.claim(input, rel, &id);
                Some(Job {
                    path: entry.into_path(),
                    id,
                    out_stem,
                    error,
                })
            }
            Err(err) => {
                let path = err.path().unwrap_or(root).to_path_buf();
                let rel = path.strip_prefix(root).unwrap_or(&path);
                let reason = match err.io_error() {
                    Some(io) => io.to_string(),
                    None => err.to_string(),
                };
                Some(Job {
                    id: id_of(rel),
                    out_stem: self.out.join(rel),
                    path,
                    error: Some(reason),
                })
            }
        }
    }
}

impl Iterator for Discover<'_> {
    type Item = Job;

    fn next(&mut self) -> Option<Job> {
        loop {
            if let Some((input, walk)) = &mut self.walk {
                let input = *input;
                match walk.next() {
                    Some(entry) => match self.job(input, entry) {
                        Some(job) => return Some(job),
                        None => continue,
                    },
                    None => self.walk = None,
                }
            }
            let input = self.next_input;
            let path = self.inputs.get(input)?;
            self.next_input += 1;
            if let Some(claims) = &mut self.claims {
                claims.folders.clear();
            }
            if path.is_file() {
                let name = PathBuf::from(path.file_name().unwrap_or_default());
                let id = id_of(&name);
                let error = self.claim(input, &name, &id);
                return Some(Job {
                    path: path.clone(),
                    id,
                    out_stem: self.out.join(&name).with_extension(""),
                    error,
                });
            }
            self.walk = Some((input, walk_folder(path, self.options)));
        }
    }
}

/// The output names taken so far by a walk, kept only for the folders the walk is in.
///
/// Two jobs share an output name when their paths relative to their inputs differ only in
/// the extension, so only files of one folder (`DIR/a.md` and `DIR/a.txt`, which the walk
/// meets in name order) or of the same folder in two inputs (`in1/DIR/a.txt` and
/// `in2/DIR/a.txt`) can clash. The names taken in a folder are kept while the walk is inside
/// it, and forgotten when it leaves; when a folder is entered in the second input or a later
/// one, the names the earlier inputs take in the same folder are read from the file system
/// first (one listing of that folder per earlier input, as their walks would see it). Memory
/// is bounded by the size of the folders along one path of the tree, not by the number of
/// files.
#[derive(Debug, Default)]
pub struct Claims {
    /// The folders (relative to the input) along the walk's path that hold files, outermost
    /// first, each with the output names taken in it: a file name without its extension and
    /// the id of the job that took it.
    folders: Vec<(PathBuf, HashMap<std::ffi::OsString, String>)>,
}

impl Claims {
    /// Claims the output name of the file `rel` (relative to its input, which comes after
    /// `earlier_inputs`); returns why it cannot be had when an earlier job took it.
    fn claim(
        &mut self,
        earlier_inputs: &[PathBuf],
        options: &WalkOptions,
        rel: &Path,
        id: &str,
    ) -> Option<String> {
        let folder = rel.parent().unwrap_or(Path::new(""));
        while self
            .folders
            .last()
            .is_some_and(|(open, _)| !folder.starts_with(open))
        {
            self.folders.pop();
        }
        if self.folders.last().is_none_or(|(open, _)| open != folder) {
            let taken = taken_by_earlier_inputs(earlier_inputs, options, folder);
            self.folders.push((folder.to_path_buf(), taken));
        }
        let taken = &mut self.folders.last_mut().expect("pushed above").1;
        let name = stem_name(rel);
        match taken.get(&name) {
            Some(first) => Some(format!(
                "its output name is already taken by {first}; rename one of the two files"
            )),
            None => {
                taken.insert(name, id.to_string());
                None
            }
        }
    }
}

/// The file name of `rel` without its extension: the part of its output name that can clash.
fn stem_name(rel: &Path) -> std::ffi::OsString {
    rel.with_extension("")
        .file_name()
        .unwrap_or_default()
        .to_os_string()
}

/// The output names that `inputs` take in `folder` (relative to each input), each with the id
/// of the first job to take it: files given directly take theirs at the top; a folder input
/// takes those of the files its walk would find in `folder`, if its walk reaches it.
fn taken_by_earlier_inputs(
    inputs: &[PathBuf],
    options: &WalkOptions,
    folder: &Path,
) -> HashMap<std::ffi::OsString, String> {
    let mut taken = HashMap::new();
    for input in inputs {
        if input.is_file() {
            if folder.as_os_str().is_empty() {
                let name = PathBuf::from(input.file_name().unwrap_or_default());
                taken
                    .entry(stem_name(&name))
                    .or_insert_with(|| id_of(&name));
            }
            continue;
        }
        // The walk descends only into folders, and into links to folders only with --follow.
        let mut at = input.clone();
        let reached = folder.components().all(|part| {
            at.push(part);
            let meta = if options.follow_links {
                std::fs::metadata(&at)
            } else {
                std::fs::symlink_metadata(&at)
            };
            meta.is_ok_and(|m| m.is_dir())
        });
        if !reached {
            continue;
        }
        let listing = walkdir::WalkDir::new(&at)
            .follow_links(options.follow_links)
            .min_depth(1)
            .max_depth(1)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(is_visible);
        for entry in listing.filter_map(|e| e.ok()) {
            if entry.file_type().is_file() && has_extension(entry.path(), &options.extensions) {
                let rel = folder.join(entry.file_name());
                taken.entry(stem_name(&rel)).or_insert_with(|| id_of(&rel));
            }
        }
    }
    taken
}

/// The largest file read as one article: 4 MiB, some twenty times the longest news article.
/// A bigger file is a dump, a log or a minified page, and cleaning it would take minutes (the
/// pipeline runs at about a megabyte per second per core), so it is refused unread.
pub const MAX_ARTICLE_BYTES: u64 = 4 << 20;

/// What [`read_article`] reserves before it reads: more than most articles, so that a file is
/// read in one call and a second that finds its end. Into an empty buffer, without the size
/// (which a `stat` would cost), the standard library reads 32 bytes, then 32, 64, 128 and so
/// on: nine reads for a 3 KB article, read twice in a `clean` run.
const READ_RESERVE: usize = 16 << 10;

/// Reads and decodes one article file (see [`decode`]); a file over [`MAX_ARTICLE_BYTES`] is
/// refused without being read into memory.
pub fn read_article(path: &Path) -> Result<String> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut bytes = Vec::with_capacity(READ_RESERVE);
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

/// How the temporary files of [`write_atomic`] and [`output_temp_file`] start: hidden, and named
/// so that what a killed run leaves (`.klartext-….tmp`) is plainly not an output.
pub const TEMP_PREFIX: &str = ".klartext-";

/// Writes `contents` to `path` so that `path` holds either nothing, its old contents or all of
/// the new ones.
///
/// `clean` writes two files per article, so this is kept to a few system calls. On Linux the
/// file is written without a name and linked under `path` when whole ([`write_unnamed`]: create,
/// write, link, close); elsewhere, or when that cannot be done, it is written to a temporary
/// file in the same folder and renamed (create, write, close, rename). The folder is made only
/// when creating the file finds it missing (a `create_dir_all` per file cost a `mkdir` and a
/// `stat`), and the temporary file is named and removed here rather than by `tempfile`, which
/// asks for the working folder on every file to make a relative path absolute.
pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    #[cfg(target_os = "linux")]
    if write_unnamed(dir, path, contents).map_err(|e| Error::io(path, e))? {
        return Ok(());
    }
    let (mut file, temp) = match create_temp(dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
            create_temp(dir)
        }
        created => created,
    }
    .map_err(|e| Error::io(dir, e))?;
    // Closed before the rename, which some systems refuse for an open file.
    let written = file.write_all(contents);
    drop(file);
    if let Err(e) = written.and_then(|()| std::fs::rename(&temp, path)) {
        let _ = std::fs::remove_file(&temp);
        return Err(Error::io(path, e));
    }
    Ok(())
}

/// Writes `contents` into a new file without a name in `dir` (`O_TMPFILE`) and links it as
/// `path` once whole, so a killed run leaves neither a half-written file nor a temporary one.
/// Beside a temporary file and a rename it saves a call, and above all it makes the new inode
/// outside the folder's lock: on ext4 without a journal, making an inode looks at every inode
/// of its group freed in the last minutes, which took most of `clean`'s system time, and with
/// the lock held the other thread, writing into the same folder, waited for it.
///
/// When `path` exists (a link never replaces a file) the file is linked under a temporary name
/// and renamed over it. Returns `false`, having written nothing under any name, when the file
/// system or the kernel cannot make a file without a name, or link one without `/proc`
/// (`linkat` with `AT_EMPTY_PATH` needs a capability before Linux 6.10).
#[cfg(target_os = "linux")]
fn write_unnamed(dir: &Path, path: &Path, contents: &[u8]) -> std::io::Result<bool> {
    use rustix::fs::{AtFlags, Mode, OFlags, CWD};
    use rustix::io::Errno;
    use std::os::fd::AsRawFd;
    // Readable like any file the user makes: 0666 less the umask.
    let open = || {
        rustix::fs::open(
            dir,
            OFlags::WRONLY | OFlags::TMPFILE | OFlags::CLOEXEC,
            Mode::from_raw_mode(0o666),
        )
    };
    let opened = match open() {
        Err(Errno::NOENT) => {
            std::fs::create_dir_all(dir)?;
            open()
        }
        opened => opened,
    };
    let mut file = match opened {
        Ok(fd) => std::fs::File::from(fd),
        Err(Errno::OPNOTSUPP | Errno::ISDIR | Errno::INVAL) => return Ok(false),
        Err(e) => return Err(e.into()),
    };
    file.write_all(contents)?;
    let name = format!("/proc/self/fd/{}", file.as_raw_fd());
    let link = |to: &Path| rustix::fs::linkat(CWD, name.as_str(), CWD, to, AtFlags::SYMLINK_FOLLOW);
    match link(path) {
        Ok(()) => return Ok(true),
        Err(Errno::NOENT) => return Ok(false),
        Err(Errno::EXIST) => {}
        Err(e) => return Err(e.into()),
    }
    // `path` exists (`--force`): the file, written already, is linked under a temporary name
    // and renamed over it.
    loop {
        let temp = temp_path(dir);
        match link(&temp) {
            Ok(()) => {
                return std::fs::rename(&temp, path)
                    .map(|()| true)
                    .inspect_err(|_| {
                        let _ = std::fs::remove_file(&temp);
                    })
            }
            Err(Errno::EXIST) => continue,
            Err(e) => return Err(e.into()),
        }
    }
}

/// A new hidden file in `dir` for [`write_atomic`] ([`temp_path`]), created only if no file has
/// that name (a run killed earlier may have left one), readable like any file the user makes
/// (mode 0666 less the umask).
fn create_temp(dir: &Path) -> std::io::Result<(std::fs::File, PathBuf)> {
    loop {
        let temp = temp_path(dir);
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)
        {
            Ok(file) => return Ok((file, temp)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
}

/// A name for a temporary file in `dir`: `TEMP_PREFIX`, then the process id and a number not
/// given before in this process.
fn temp_path(dir: &Path) -> PathBuf {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    // Asked once: `std::process::id` is a system call each time.
    static PID: std::sync::OnceLock<u32> = std::sync::OnceLock::new();
    let pid = *PID.get_or_init(std::process::id);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    dir.join(format!("{TEMP_PREFIX}{pid:x}-{n:x}.tmp"))
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

/// How many jobs [`run`] cleans in parallel at a time, before it writes their manifest lines
/// in order: enough that the threads seldom wait for the slowest article of a chunk (a chunk
/// of small articles takes about a second on two threads), few enough that the chunk's jobs
/// and outcomes cost next to nothing. The unit tests take 3, so that their few files span
/// several chunks.
pub const JOBS_PER_CHUNK: usize = if cfg!(test) { 3 } else { 2048 };

/// What a run did, summed over its articles: all that is kept of them once their manifest
/// lines are written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    pub articles: usize,
    /// Articles that could not be cleaned.
    pub errors: usize,
    pub ads: usize,
    pub chars_in: usize,
    pub chars_out: usize,
    /// The run stopped before the last job because its caller asked it to (an interrupt).
    pub stopped_early: bool,
}

impl Totals {
    fn add(&mut self, outcome: &Outcome) {
        self.articles += 1;
        self.errors += usize::from(!outcome.ok);
        self.ads += outcome.manifest.ads;
        self.chars_in += outcome.chars_in;
        self.chars_out += outcome.chars_out;
    }
}

/// Cleans every job in parallel (against the batch's recurring passages when `repeats` is
/// given), calling `tick` after each, and writes `manifest.jsonl` into `out`, one line per job
/// in job order, whatever the number of threads. The jobs are taken a chunk at a time
/// ([`JOBS_PER_CHUNK`]) and each chunk's manifest lines are written as soon as it is done (to a
/// temporary file renamed into place at the end), so memory does not grow with the number of
/// jobs. `each` sees every job with its outcome, in job order; when it breaks, the run stops
/// after the chunk it is in (its articles are written and listed), leaves the rest uncleaned and
/// says so in the totals (`stopped_early`): that is how an interrupted run ends with a manifest
/// that `--skip-existing` can resume from. Returns the totals.
pub fn run(
    jobs: impl IntoIterator<Item = Job>,
    out: &Path,
    rules: &RuleSet,
    repeats: Option<&Repeats<'_>>,
    existing: Existing,
    tick: &(dyn Fn() + Sync),
    each: &mut dyn FnMut(&Job, &Outcome) -> std::ops::ControlFlow<()>,
) -> Result<Totals> {
    std::fs::create_dir_all(out).map_err(|e| Error::io(out, e))?;
    let _lock = RunLock::take(out)?;
    let manifest_path = out.join("manifest.jsonl");
    if existing == Existing::Refuse && manifest_path.exists() {
        return Err(Error::usage(format!(
            "{} holds the output of an earlier run; pass --force to overwrite it or --skip-existing to keep what is there",
            out.display()
        )));
    }
    let manifest_file = output_temp_file(out, TEMP_PREFIX).map_err(|e| Error::io(out, e))?;
    let mut manifest = std::io::BufWriter::new(manifest_file);
    let mut totals = Totals::default();
    let mut jobs = jobs.into_iter();
    while !totals.stopped_early {
        let chunk: Vec<Job> = jobs.by_ref().take(JOBS_PER_CHUNK).collect();
        if chunk.is_empty() {
            break;
        }
        let outcomes: Vec<Outcome> = chunk
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
        for (job, outcome) in chunk.iter().zip(&outcomes) {
            serde_json::to_writer(&mut manifest, &outcome.manifest)
                .and_then(|()| manifest.write_all(b"\n").map_err(serde_json::Error::io))
                .map_err(|e| Error::io(&manifest_path, std::io::Error::from(e)))?;
            totals.add(outcome);
            totals.stopped_early |= each(job, outcome).is_break();
        }
    }
    let manifest_file = manifest
        .into_inner()
        .map_err(|e| Error::io(&manifest_path, e.into_error()))?;
    manifest_file
        .persist(&manifest_path)
        .map_err(|e| Error::io(&manifest_path, e.error))?;
    Ok(totals)
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

/// Cleans every job without writing anything and counts its ads: [`JOBS_PER_CHUNK`] jobs at a
/// time in parallel (against the batch's recurring passages when `repeats` is given), handing
/// each count to `each` in job order and calling `tick` after each job. Only one chunk is held
/// at a time, so a folder of any size is counted in bounded memory; an error from `each` (a
/// closed output) stops the count.
pub fn count<E>(
    mut jobs: impl Iterator<Item = Job>,
    rules: &RuleSet,
    repeats: Option<&Repeats<'_>>,
    tick: &(dyn Fn() + Sync),
    each: &mut dyn FnMut(AdCount) -> std::result::Result<(), E>,
) -> std::result::Result<(), E> {
    loop {
        let chunk: Vec<Job> = jobs.by_ref().take(JOBS_PER_CHUNK).collect();
        if chunk.is_empty() {
            return Ok(());
        }
        let counts: Vec<AdCount> = chunk
            .par_iter()
            .map(|job| {
                let counted = count_one(job, rules, repeats);
                tick();
                counted
            })
            .collect();
        for counted in counts {
            each(counted)?;
        }
    }
}

/// The ads of one job, by category.
fn count_one(job: &Job, rules: &RuleSet, repeats: Option<&Repeats<'_>>) -> AdCount {
    let mut counted = AdCount {
        id: job.id.clone(),
        ads: 0,
        by_category: Default::default(),
        error: job.error.clone(),
    };
    if counted.error.is_some() {
        return counted;
    }
    match read_article(&job.path) {
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
    counted
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

    /// The output-name check as it was when every job was held in memory: one map of every
    /// output name taken in the run, in job order.
    fn claims_by_a_map_of_every_job(jobs: &[Job]) -> Vec<(String, Option<String>)> {
        let mut taken: HashMap<PathBuf, String> = HashMap::new();
        jobs.iter()
            .map(|job| {
                let error = match (&job.error, taken.get(&job.out_stem)) {
                    (Some(error), _) => Some(error.clone()),
                    (None, Some(first)) => Some(format!(
                        "its output name is already taken by {first}; rename one of the two files"
                    )),
                    (None, None) => {
                        taken.insert(job.out_stem.clone(), job.id.clone());
                        None
                    }
                };
                (job.id.clone(), error)
            })
            .collect()
    }

    fn write_files(root: &Path, files: &[&str]) {
        for file in files {
            let path = root.join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "Titel\nText.\n").unwrap();
        }
    }

    #[test]
    fn output_names_are_claimed_per_folder_as_by_a_map_of_every_job() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write_files(
            root,
            &[
                // Siblings with one output name, not next to each other in name order, with a
                // subfolder walked between them.
                "one/a.md",
                "one/a.b.txt",
                "one/a.n/a.txt",
                "one/a.n/deeper/a.md",
                "one/a.txt",
                "one/A.txt",
                "one/x/y/f.txt",
                "one/.hidden/f.txt",
                "one/skip.html",
                // A second input with the same folders, and files only it has.
                "two/a.txt",
                "two/a.n/a.md",
                "two/a.n/new.txt",
                "two/x/y/f.md",
                "two/x/y/g.txt",
                "two/.hidden/f.txt",
                "two/other/a.txt",
                // Files given directly land at the top.
                "loose/a.txt",
                "loose/new.txt",
            ],
        );
        let inputs: Vec<PathBuf> = [
            "one",
            "two",
            "loose/a.txt",
            "loose/new.txt",
            "two",
            "loose/new.txt",
        ]
        .iter()
        .map(|p| root.join(p))
        .collect();
        let out = root.join("out");
        let options = WalkOptions::default();
        let all: Vec<Job> = discover(&inputs, &out, &options).collect();
        let claimed: Vec<(String, Option<String>)> = discover(&inputs, &out, &options)
            .claiming_outputs()
            .map(|job| (job.id, job.error))
            .collect();
        assert_eq!(claimed, claims_by_a_map_of_every_job(&all));
        let error_of = |i: usize| claimed[i].1.as_deref().unwrap_or("");
        let ids: Vec<&str> = claimed.iter().map(|(id, _)| id.as_str()).collect();
        // Each input in order, each folder in name order.
        assert_eq!(
            ids[..8],
            [
                "A.txt",
                "a.b.txt",
                "a.md",
                "a.n/a.txt",
                "a.n/deeper/a.md",
                "a.txt",
                "x/y/f.txt",
                "a.n/a.md"
            ]
        );
        assert_eq!(error_of(0), "");
        assert_eq!(
            error_of(5),
            "its output name is already taken by a.md; rename one of the two files"
        );
        assert!(
            error_of(7).contains("taken by a.n/a.txt"),
            "{}",
            error_of(7)
        );
        let error = |id: &str, nth: usize| {
            claimed
                .iter()
                .filter(|(i, _)| i == id)
                .nth(nth)
                .unwrap()
                .1
                .clone()
        };
        assert_eq!(error("a.n/new.txt", 0), None);
        assert_eq!(
            error("a.n/new.txt", 1).unwrap(),
            "its output name is already taken by a.n/new.txt; rename one of the two files"
        );
        assert!(error("x/y/f.md", 0).unwrap().contains("taken by x/y/f.txt"));
        assert_eq!(error("x/y/g.txt", 0), None);
        assert!(error("a.txt", 2).unwrap().contains("taken by a.md"));
        assert_eq!(error("new.txt", 0), None);
        assert!(error("new.txt", 1).unwrap().contains("taken by new.txt"));
    }

    #[cfg(unix)]
    #[test]
    fn output_names_in_linked_folders_are_claimed_only_where_the_walk_goes() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write_files(
            root,
            &["real/d/f.txt", "one/e/f.txt", "two/d/f.md", "two/e/f.md"],
        );
        // `one/d` links to a folder with `f.txt`: walked only with --follow.
        std::os::unix::fs::symlink(root.join("real/d"), root.join("one/d")).unwrap();
        // `two/e` is a link too, to a folder of `f.md`.
        std::fs::rename(root.join("two/e"), root.join("real/e")).unwrap();
        std::os::unix::fs::symlink(root.join("real/e"), root.join("two/e")).unwrap();
        let inputs = vec![root.join("one"), root.join("two")];
        let out = root.join("out");
        for follow_links in [false, true] {
            let options = WalkOptions {
                follow_links,
                ..WalkOptions::default()
            };
            let all: Vec<Job> = discover(&inputs, &out, &options).collect();
            let claimed: Vec<(String, Option<String>)> = discover(&inputs, &out, &options)
                .claiming_outputs()
                .map(|job| (job.id, job.error))
                .collect();
            assert_eq!(
                claimed,
                claims_by_a_map_of_every_job(&all),
                "--follow {follow_links}"
            );
            let failed = claimed.iter().filter(|(_, e)| e.is_some()).count();
            assert_eq!(failed, if follow_links { 2 } else { 0 }, "{claimed:?}");
        }
    }

    #[test]
    fn a_count_over_several_chunks_hands_over_every_article_in_order_and_stops_on_error() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("in");
        std::fs::create_dir_all(&input).unwrap();
        for i in 0..8 {
            // Odd files carry a newsletter pitch; every fourth is not UTF-8.
            let text: Vec<u8> = match i {
                3 | 7 => b"\xff\xfe".to_vec(),
                _ if i % 2 == 1 => format!(
                    "Titel {i}\n\nDer Rat tagte am Montag. Er beschloss nichts.\n\
                     Abonnieren Sie jetzt unseren kostenlosen Newsletter!\n"
                )
                .into_bytes(),
                _ => format!(
                    "Titel {i}\n\nDer Rat tagte am Montag {i} Stunden. Er beschloss nichts.\n"
                )
                .into_bytes(),
            };
            std::fs::write(input.join(format!("{i:02}.txt")), text).unwrap();
        }
        let inputs = vec![input];
        let options = WalkOptions::default();
        let rules = RuleSet::builtin();
        let mut seen = Vec::new();
        count(
            discover(&inputs, Path::new(""), &options),
            &rules,
            None,
            &|| {},
            &mut |c| {
                seen.push((c.id, c.ads, c.error.is_some()));
                Ok::<(), ()>(())
            },
        )
        .unwrap();
        let expected: Vec<(String, usize, bool)> = (0..8)
            .map(|i| {
                (
                    format!("{i:02}.txt"),
                    usize::from(i % 2 == 1 && i % 4 != 3),
                    i % 4 == 3,
                )
            })
            .collect();
        assert_eq!(seen, expected);
        // An error from the receiver (a closed output) ends the count after that article.
        let mut taken = 0;
        let stopped = count(
            discover(&inputs, Path::new(""), &options),
            &rules,
            None,
            &|| {},
            &mut |_| {
                taken += 1;
                if taken == 4 {
                    Err("closed")
                } else {
                    Ok(())
                }
            },
        );
        assert_eq!((stopped, taken), (Err("closed"), 4));
    }

    #[test]
    fn a_run_asked_to_stop_ends_after_its_chunk_with_a_manifest_of_what_it_wrote() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("in");
        std::fs::create_dir_all(&input).unwrap();
        for i in 0..10 {
            let text =
                format!("Titel {i}\n\nDer Rat tagte am Montag {i} Stunden. Er beschloss nichts.\n");
            std::fs::write(input.join(format!("{i:02}.txt")), text).unwrap();
        }
        let inputs = vec![input];
        let out = dir.path().join("out");
        let options = WalkOptions::default();
        let rules = RuleSet::builtin();
        let mut seen = 0;
        // Asked to stop at the fifth job, which is in the second chunk of three.
        let totals = run(
            discover(&inputs, &out, &options).claiming_outputs(),
            &out,
            &rules,
            None,
            Existing::Refuse,
            &|| {},
            &mut |_, _| {
                seen += 1;
                if seen == 5 {
                    std::ops::ControlFlow::Break(())
                } else {
                    std::ops::ControlFlow::Continue(())
                }
            },
        )
        .unwrap();
        assert!(totals.stopped_early);
        assert_eq!(
            (totals.articles, seen),
            (2 * JOBS_PER_CHUNK, 2 * JOBS_PER_CHUNK)
        );
        let manifest = std::fs::read_to_string(out.join("manifest.jsonl")).unwrap();
        assert_eq!(manifest.lines().count(), 2 * JOBS_PER_CHUNK);
        let written: Vec<bool> = (0..10)
            .map(|i| out.join(format!("{i:02}.txt")).exists())
            .collect();
        let expected: Vec<bool> = (0..10).map(|i| i < 2 * JOBS_PER_CHUNK).collect();
        assert_eq!(written, expected);
        // A run that skips what exists cleans the rest.
        let rest = run(
            discover(&inputs, &out, &options).claiming_outputs(),
            &out,
            &rules,
            None,
            Existing::Skip,
            &|| {},
            &mut |_, _| std::ops::ControlFlow::Continue(()),
        )
        .unwrap();
        assert!(!rest.stopped_early);
        assert!((0..10).all(|i| out.join(format!("{i:02}.txt")).exists()));
    }

    #[test]
    fn a_run_over_several_chunks_writes_the_manifest_in_job_order_and_sums_the_totals() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("in");
        let mut expected = Vec::new();
        for i in 0..10 {
            let name = format!("{i:02}.txt");
            // Every fourth file is empty, so it fails; the others are cleaned.
            let text = if i % 4 == 3 {
                String::new()
            } else {
                format!(
                    "Titel {i}\n\nDer Rat tagte am Montag {i} Stunden lang. Er beschloss nichts.\n"
                )
            };
            std::fs::create_dir_all(&input).unwrap();
            std::fs::write(input.join(&name), &text).unwrap();
            expected.push((name, text));
        }
        let inputs = vec![input];
        let out = dir.path().join("out");
        let options = WalkOptions::default();
        let rules = RuleSet::builtin();
        let mut seen = Vec::new();
        let totals = run(
            discover(&inputs, &out, &options).claiming_outputs(),
            &out,
            &rules,
            None,
            Existing::Refuse,
            &|| {},
            &mut |job, outcome| {
                seen.push((job.id.clone(), outcome.ok));
                std::ops::ControlFlow::Continue(())
            },
        )
        .unwrap();
        let manifest = std::fs::read_to_string(out.join("manifest.jsonl")).unwrap();
        let lines: Vec<serde_json::Value> = manifest
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        let ids: Vec<&str> = lines.iter().map(|l| l["id"].as_str().unwrap()).collect();
        let names: Vec<&str> = expected.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(ids, names);
        let oks: Vec<bool> = lines.iter().map(|l| l["status"] == "ok").collect();
        let expected_oks: Vec<bool> = expected.iter().map(|(_, t)| !t.is_empty()).collect();
        assert_eq!(oks, expected_oks);
        assert_eq!(
            seen,
            names
                .iter()
                .zip(&expected_oks)
                .map(|(n, ok)| (n.to_string(), *ok))
                .collect::<Vec<_>>()
        );
        let chars_in: usize = expected.iter().map(|(_, t)| t.chars().count()).sum();
        let chars_out: usize = names
            .iter()
            .filter_map(|n| std::fs::read_to_string(out.join(n)).ok())
            .map(|t| t.chars().count())
            .sum();
        let sentences: usize = lines
            .iter()
            .map(|l| l["sentences"].as_u64().unwrap() as usize)
            .sum();
        assert_eq!(
            totals,
            Totals {
                articles: 10,
                errors: 2,
                ads: 0,
                chars_in,
                chars_out,
                stopped_early: false,
            }
        );
        assert_eq!(sentences, 2 * 8);
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

    #[test]
    fn an_atomic_write_makes_its_folder_replaces_an_earlier_file_and_leaves_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a/b/out.txt");
        write_atomic(&path, b"first").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"first");
        // On Linux the first is linked into place, and this one, whose name is taken, linked
        // under a temporary name and renamed over it.
        write_atomic(&path, b"second").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"second");
        let names: Vec<_> = std::fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|entry| entry.unwrap().file_name())
            .collect();
        assert_eq!(names, ["out.txt"]);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode();
            let plain = dir.path().join("plain.txt");
            write_atomic(&dir.path().join("new.txt"), b"").unwrap();
            std::fs::write(&plain, b"").unwrap();
            assert_eq!(mode(&dir.path().join("new.txt")), mode(&plain));
            assert_eq!(mode(&path), mode(&plain));
        }
    }
}
