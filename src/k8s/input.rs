//! The reader of the cluster's objects: the JSON that `kubectl get
//! services,endpointslices,nodes -A -o json` writes (a `v1` `List`), a
//! typed list (`ServiceList`, ...) or one object, from files or `-`
//! (standard input). Kinds the check has no use for are skipped, unknown
//! fields ignored (the object types are `k8s-openapi`'s, made in one pass
//! over the text by `item`). A file that is not such JSON is an error
//! naming the file, the line and the column; 256 MiB in all is the most
//! read.

use std::fmt;
use std::io::Read;

use super::item::{message, Doc};
pub use super::item::{Cluster, ProxyConfigMap, PROXY_CONFIG_NAME, PROXY_CONFIG_NAMESPACE};

/// A file that could not be read, or is not the JSON kubectl writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError {
    /// The file as named on the command line; standard input is
    /// `standard input`.
    pub file: String,
    /// One-based, as serde_json counts them (the column in bytes);
    /// 0 when the file could not be opened or read.
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(
                f,
                "{}: line {} column {}: {}",
                self.file, self.line, self.column, self.message
            )
        }
    }
}

/// The name `-` is given in errors.
pub const STDIN_NAME: &str = "standard input";

/// The most the files of one run may hold together: a cluster of 10,000
/// Services with their EndpointSlices and 1,000 Nodes, as kubectl writes
/// it, is well under half of it. More, or an endless input (`/dev/zero`, a
/// pipe from `kubectl get -w`), is an error rather than memory spent
/// until the kernel kills the process.
pub const MAX_INPUT: u64 = 256 << 20;

/// Read every file (`-` is standard input, read once whatever the number
/// of times it is named: a second read would find it empty) into one
/// cluster; the first failure wins. At most `MAX_INPUT` bytes in all.
pub fn read_files(paths: &[String], stdin: &mut dyn Read) -> Result<Cluster, ReadError> {
    read_files_bounded(paths, stdin, MAX_INPUT)
}

/// `read_files` with the bound given.
pub fn read_files_bounded(
    paths: &[String],
    stdin: &mut dyn Read,
    limit: u64,
) -> Result<Cluster, ReadError> {
    let mut cluster = Cluster::default();
    let mut stdin_read = false;
    let mut left = limit;
    for path in paths {
        let (name, bytes) = if path == "-" {
            if stdin_read {
                continue;
            }
            stdin_read = true;
            (
                STDIN_NAME,
                read_bounded(STDIN_NAME, stdin, &mut left, limit)?,
            )
        } else {
            let mut file = std::fs::File::open(path).map_err(|e| io_error(path, &e))?;
            (
                path.as_str(),
                read_bounded(path, &mut file, &mut left, limit)?,
            )
        };
        read_bytes(name, &bytes, &mut cluster)?;
    }
    Ok(cluster)
}

/// Read all of `from`, spending at most `left` bytes of the run's
/// `limit`; one byte more is the error.
fn read_bounded(
    name: &str,
    from: &mut dyn Read,
    left: &mut u64,
    limit: u64,
) -> Result<Vec<u8>, ReadError> {
    let mut bytes = Vec::new();
    from.take(left.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| io_error(name, &e))?;
    let len = bytes.len() as u64;
    if len > *left {
        return Err(ReadError {
            file: name.to_string(),
            line: 0,
            column: 0,
            message: format!(
                "more than {} of cluster objects (the limit of --k8s; an endless input \
                 such as kubectl get -w is not a file)",
                size(limit)
            ),
        });
    }
    *left -= len;
    Ok(bytes)
}

/// A size in MiB when whole, else in bytes.
fn size(bytes: u64) -> String {
    if bytes % (1 << 20) == 0 {
        format!("{} MiB", bytes >> 20)
    } else {
        format!("{bytes} bytes")
    }
}

fn io_error(file: &str, e: &std::io::Error) -> ReadError {
    ReadError {
        file: file.to_string(),
        line: 0,
        column: 0,
        // As strerror says it, without Rust's " (os error N)".
        message: match e.raw_os_error() {
            Some(n) => crate::format::errors::strerror(n),
            None => e.to_string(),
        },
    }
}

/// Read one file's bytes into `into`.
pub fn read_bytes(file: &str, bytes: &[u8], into: &mut Cluster) -> Result<(), ReadError> {
    match std::str::from_utf8(bytes) {
        Ok(text) => read_str(file, text, into),
        Err(e) => {
            let (line, column) = position(bytes, e.valid_up_to());
            Err(ReadError {
                file: file.to_string(),
                line,
                column,
                message: "not UTF-8".to_string(),
            })
        }
    }
}

/// Read one document into `into`, in one pass (`item`).
pub fn read_str(file: &str, text: &str, into: &mut Cluster) -> Result<(), ReadError> {
    let doc: Doc = serde_json::from_str(text).map_err(|e| {
        let at = offset_of(text.as_bytes(), 0, e.line(), e.column());
        let (line, column) = position(text.as_bytes(), at);
        ReadError {
            file: file.to_string(),
            line,
            column,
            message: message(&e),
        }
    })?;
    match (doc.kind.as_deref(), doc.items) {
        (Some(kind), Some(items)) if kind == "List" || kind.ends_with("List") => {
            into.append(items);
        }
        _ => into.append(doc.object),
    }
    Ok(())
}

/// The byte offset in `text` of serde_json's (line, column), counted
/// from `start`; its column is the count of bytes read on that line, so
/// column 0 is just before the line's first byte.
fn offset_of(text: &[u8], start: usize, line: usize, column: usize) -> usize {
    let mut at = start;
    let mut line_now = 1;
    while line_now < line && at < text.len() {
        if text[at] == b'\n' {
            line_now += 1;
        }
        at += 1;
    }
    (at + column.saturating_sub(1)).min(text.len())
}

/// The one-based (line, column) of a byte offset, as serde_json counts
/// (a column is a byte; the end of input is one past the last byte).
fn position(text: &[u8], offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    (line, offset - line_start + 1)
}
