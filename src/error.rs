//! Errors. One type, [`Error`], whose [`ErrorKind`] says what went wrong; rule-file errors carry
//! the file, line and column so that a user can go straight to the mistake.

use std::fmt;
use std::path::PathBuf;

/// Everything that can go wrong in klartext.
#[derive(Debug)]
pub struct Error {
    kind: ErrorKind,
}

/// What went wrong. New kinds may be added, so match with a wildcard arm.
#[derive(Debug)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A file could not be read or written.
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A rules file is broken: the place and what is wrong there.
    Rules {
        file: String,
        line: usize,
        column: usize,
        message: String,
    },
    /// An article file holds no text klartext can clean: binary, in an encoding it does not
    /// read, empty or only white space.
    NotText { reason: String },
    /// An article file is larger than one article can be (`bytes` long, `limit` allowed).
    TooLarge { bytes: u64, limit: u64 },
    /// The command line asks for something impossible (an output folder inside an input, say).
    Usage(String),
}

impl Error {
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error {
            kind: ErrorKind::Io {
                path: path.into(),
                source,
            },
        }
    }

    pub(crate) fn rules(
        file: &str,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> Error {
        Error {
            kind: ErrorKind::Rules {
                file: file.to_string(),
                line,
                column,
                message: message.into(),
            },
        }
    }

    pub(crate) fn not_text(reason: impl Into<String>) -> Error {
        Error {
            kind: ErrorKind::NotText {
                reason: reason.into(),
            },
        }
    }

    pub(crate) fn too_large(bytes: u64, limit: u64) -> Error {
        Error {
            kind: ErrorKind::TooLarge { bytes, limit },
        }
    }

    pub fn usage(message: impl Into<String>) -> Error {
        Error {
            kind: ErrorKind::Usage(message.into()),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ErrorKind::Io { path, source } => write!(f, "{}: {}", path.display(), source),
            ErrorKind::Rules {
                file,
                line,
                column,
                message,
            } => {
                write!(f, "{file}:{line}:{column}: {message}")
            }
            ErrorKind::NotText { reason } => write!(f, "not text: {reason}"),
            ErrorKind::TooLarge { bytes, limit } => write!(
                f,
                "too large for an article: {bytes} bytes, over the limit of {limit} bytes ({} MiB); split it into articles",
                limit >> 20
            ),
            ErrorKind::Usage(message) => write!(f, "{message}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            ErrorKind::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// Shorthand for results in this crate.
pub type Result<T> = std::result::Result<T, Error>;
