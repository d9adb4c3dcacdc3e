//! A small harness for integration tests: a temporary folder to build inputs in, and the
//! `klartext` binary run on it.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A temporary folder that is removed when the test ends.
pub struct Dir {
    root: tempfile::TempDir,
}

impl Dir {
    pub fn new() -> Dir {
        Dir {
            root: tempfile::tempdir().expect("temporary folder"),
        }
    }

    pub fn path(&self) -> &Path {
        self.root.path()
    }

    /// Writes `contents` to `rel` below the folder, creating parent folders.
    pub fn create(&self, rel: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.root.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, contents).unwrap();
        path
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.root.path().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    pub fn json(&self, rel: &str) -> serde_json::Value {
        serde_json::from_str(&self.read(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    /// `klartext ARGS…` started inside the folder with piped stdin, stdout and stderr and an
    /// empty environment (as Spark's `RDD.pipe` and Hadoop streaming start it).
    pub fn spawn(&self, args: &[&str]) -> std::process::Child {
        use std::process::Stdio;
        Command::new(env!("CARGO_BIN_EXE_klartext"))
            .args(args)
            .current_dir(self.path())
            .env_clear()
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    }

    /// `klartext ARGS…` run inside the folder.
    pub fn klartext(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_klartext"))
            .args(args)
            .current_dir(self.path())
            .output()
            .unwrap()
    }
}

/// The repository root (where `corpus/` and `rules/` are).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Non-empty lines, right-trimmed.
pub fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| l.trim_end().to_string())
        .filter(|l| !l.trim().is_empty())
        .collect()
}

/// Every file below `root` with its contents, by path relative to `root` (links not followed).
pub fn tree(root: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(root).unwrap();
            (
                rel.to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// What an input looks like from outside: kind, permissions, size, modification time, and
/// the contents of files that can be read or the target of links.
#[derive(Debug, PartialEq, Eq)]
pub struct Entry {
    pub kind: &'static str,
    pub mode: u32,
    pub len: u64,
    pub modified: Option<std::time::SystemTime>,
    pub contents: Option<Vec<u8>>,
}

/// Every entry below `root` (links not followed), by path: to show that a run changed nothing.
#[cfg(unix)]
pub fn snapshot(root: &Path) -> std::collections::BTreeMap<PathBuf, Entry> {
    use std::os::unix::fs::PermissionsExt;
    walkdir::WalkDir::new(root)
        .into_iter()
        .map(Result::unwrap)
        .map(|e| {
            let meta = e.path().symlink_metadata().unwrap();
            let (kind, contents) = if meta.file_type().is_symlink() {
                let target = std::fs::read_link(e.path()).unwrap();
                ("link", Some(target.into_os_string().into_encoded_bytes()))
            } else if meta.is_dir() {
                ("dir", None)
            } else {
                ("file", std::fs::read(e.path()).ok())
            };
            let entry = Entry {
                kind,
                mode: meta.permissions().mode(),
                len: meta.len(),
                modified: meta.modified().ok(),
                contents,
            };
            (e.path().strip_prefix(root).unwrap().to_path_buf(), entry)
        })
        .collect()
}

/// What a command printed on stderr.
pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The manifest lines of a `clean` run into `out` (relative to the folder).
pub fn manifest(dir: &Dir, out: &str) -> Vec<serde_json::Value> {
    dir.read(&format!("{out}/manifest.jsonl"))
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// `text` with `invisible` in the middle of every run of ten letters or more, as some German
/// sites put soft hyphens into long words, and the byte offsets of `text` it went in at.
pub fn with_invisible(text: &str, invisible: char) -> (String, Vec<usize>) {
    let mut out = String::with_capacity(text.len());
    let mut at_offsets = Vec::new();
    let mut word: Vec<(usize, char)> = Vec::new();
    let mut flush = |word: &mut Vec<(usize, char)>, out: &mut String| {
        for (i, (at, c)) in word.iter().enumerate() {
            if word.len() >= 10 && i == word.len() / 2 {
                out.push(invisible);
                at_offsets.push(*at);
            }
            out.push(*c);
        }
        word.clear();
    };
    for (at, c) in text.char_indices() {
        if c.is_alphabetic() {
            word.push((at, c));
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    (out, at_offsets)
}
