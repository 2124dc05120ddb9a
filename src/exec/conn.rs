//! `-c` (ipvsadm's `list_conn`): the kernel's connection file,
//! `/proc/net/ip_vs_conn`, read a piece at a time and each entry
//! re-printed as it comes, so that a table of millions of connections
//! takes no more memory than a few; and ours, `-c -j`, streamed the same
//! way.
//!
//! The kernel hands the file out a page at a time whatever the read's
//! size (`seq_read_iter` fills one `seq_file` buffer a call), and each
//! read walks the connection table from its start to the entry it left
//! off at (`ip_vs_conn_seq_start` calls `ip_vs_conn_array` with the
//! position), so a read of the whole file costs time growing with the
//! square of the table's size, for the reference as for us: a larger
//! buffer than the page changes nothing but the number of calls. The
//! reference reads through stdio, whose buffer is procfs's block size
//! (1,024 bytes), and so has the kernel start its walk more often: a
//! read of the file 1 KiB at a time takes 2.4 times a page's in the test
//! kernel (BENCHMARKS.md).

use std::io::{BufRead, BufReader, Read};

use super::Flow;
use crate::format::Format;
use crate::format::{conn, json, Names};
use crate::resolve::Resolver;
use crate::streams::Streams;

/// How much of the file is read at once, and how much text is gathered
/// before it is written.
const PIECE: usize = 64 * 1024;

/// The connection file, opened as ipvsadm opens it.
fn open_conn_file(io: &mut Streams) -> Result<std::fs::File, Flow> {
    let path = conn::CONN_PROC_FILE;
    std::fs::File::open(path).map_err(|_| {
        io.err(&format!("cannot open file {path}\n"));
        Flow::Exit(1)
    })
}

/// The lines of the connection file after its first (the title, which
/// ipvsadm reads and drops), as bytes, one at a time: most straight out
/// of the reader's buffer, one that runs past its end gathered.
struct Lines<R: Read> {
    r: BufReader<R>,
    /// The length of the line handed out last, still in the buffer.
    taken: usize,
    line: Vec<u8>,
}

impl<R: Read> Lines<R> {
    /// The file with its first line read; `None` when it has none.
    fn after_title(file: R) -> Option<Lines<R>> {
        let mut l = Lines {
            r: BufReader::with_capacity(PIECE, file),
            taken: 0,
            line: Vec::new(),
        };
        l.next()?;
        Some(l)
    }

    /// The next line, with its `\n` where it has one; `None` at the end.
    /// A read error ends the lines as the end of the file does, as
    /// `fgets` does for ipvsadm.
    fn next(&mut self) -> Option<&[u8]> {
        self.r.consume(std::mem::take(&mut self.taken));
        let end = match self.r.fill_buf() {
            Ok([]) | Err(_) => return None,
            Ok(buf) => memchr::memchr(b'\n', buf),
        };
        if let Some(i) = end {
            self.taken = i + 1;
            return Some(&self.r.buffer()[..=i]);
        }
        self.line.clear();
        match self.r.read_until(b'\n', &mut self.line) {
            Ok(0) | Err(_) => None,
            Ok(_) => Some(&self.line),
        }
    }
}

/// `list_conn`: the proc file, its first line skipped, each entry
/// re-printed (the kernel's usual IPv4 entries under `-n` by the fast
/// path, the rest as `print_conn` reads them) until one that ipvsadm
/// stops at.
pub(super) fn list_conn(format: &Format, resolver: &dyn Resolver, io: &mut Streams) -> Flow {
    let file = match open_conn_file(io) {
        Ok(f) => f,
        Err(f) => return f,
    };
    let Some(mut lines) = Lines::after_title(file) else {
        io.err(&format!("unexpected input from {}\n", conn::CONN_PROC_FILE));
        return Flow::Exit(1);
    };
    io.out(&conn::conn_title(format));
    let names = Names::new(resolver);
    // Text as bytes: the fast path's ASCII, the general path's text
    // (`Streams::out_bytes`).
    let mut text = Vec::with_capacity(PIECE + 512);
    let mut flow = Flow::Result(0);
    while let Some(line) = lines.next() {
        if !conn::push_kernel_line(line, format, &mut text) {
            match conn::conn_line(&crate::raw::to_text(line), format, &names) {
                Some(l) => text.extend_from_slice(l.as_bytes()),
                None => {
                    flow = Flow::Exit(1);
                    break;
                }
            }
        }
        if text.len() >= PIECE {
            io.out_bytes(&text);
            text.clear();
        }
    }
    io.out_bytes(&text);
    flow
}

/// Ours: `-c -j`, one document, each entry written as it is read.
pub(super) fn list_conn_json(io: &mut Streams) -> Flow {
    let file = match open_conn_file(io) {
        Ok(f) => f,
        Err(f) => return f,
    };
    let (open, close) = json::connections_around();
    let mut text = open;
    if let Some(mut lines) = Lines::after_title(file) {
        let mut first = true;
        // As before: the entries up to the first line that does not scan.
        while let Some(line) = lines.next() {
            let Some(c) = conn::scan_conn(&crate::raw::to_text(line)) else {
                break;
            };
            if !std::mem::take(&mut first) {
                text.push(',');
            }
            text.push_str(&json::connection(&c));
            if text.len() >= PIECE {
                io.out(&text);
                text.clear();
            }
        }
    }
    text.push_str(&close);
    io.out(&text);
    Flow::Result(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::Rng;

    /// A reader that hands out its bytes in pieces of random sizes, as a
    /// file read a page at a time (or less) does.
    struct Pieces<'a> {
        left: &'a [u8],
        rng: Rng,
    }

    impl Read for Pieces<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = (1 + self.rng.below(300))
                .min(buf.len())
                .min(self.left.len());
            buf[..n].copy_from_slice(&self.left[..n]);
            self.left = &self.left[n..];
            Ok(n)
        }
    }

    fn lines_of(bytes: &[u8], seed: u64) -> (bool, Vec<String>) {
        let mut got = Vec::new();
        let r = Pieces {
            left: bytes,
            rng: Rng(seed),
        };
        let Some(mut lines) = Lines::after_title(r) else {
            return (false, got);
        };
        while let Some(l) = lines.next() {
            got.push(crate::raw::to_text(l).into_owned());
        }
        (true, got)
    }

    #[test]
    fn lines_come_whole_whatever_the_pieces() {
        let mut text =
            b"Pro FromIP   FPrt ToIP     TPrt DestIP   DPrt State       Expires PEName PEData\n"
                .to_vec();
        for i in 0..2000u32 {
            let line = format!(
                "TCP 0A{i:06X} D431 0A600001 01BB 0AF40105 192B ESTABLISHED {:7}\n",
                i % 900
            );
            text.extend_from_slice(line.as_bytes());
        }
        // A last line without its newline, and a byte that is not UTF-8.
        text.extend_from_slice(b"UDP 0A000001 0035 0A60000A 0035 0AF40102 0035 UDP \xff 2");
        let whole: Vec<String> = String::from_utf8_lossy(&text)
            .split_inclusive('\n')
            .skip(1)
            .map(String::from)
            .collect();
        for seed in 1..40 {
            let (titled, got) = lines_of(&text, seed);
            assert!(titled);
            assert_eq!(got.len(), whole.len(), "{seed}");
            assert_eq!(got[..2000], whole[..2000], "{seed}");
            assert!(got[2000].starts_with("UDP ") && got[2000].ends_with(" 2"));
        }
        assert_eq!(lines_of(b"", 1), (false, vec![]));
        assert_eq!(lines_of(b"title only\n", 1), (true, vec![]));
    }

    #[test]
    fn the_streamed_document_is_the_whole_one() {
        let entries: Vec<conn::ConnEntry> = [
            "TCP 0A000001 D431 0A600001 01BB 0AF40105 192B ESTABLISHED     899\n",
            "UDP 0A000002 0035 0A60000A 0035 0AF40102 0035 UDP             290\n",
        ]
        .iter()
        .map(|l| conn::scan_conn(l).unwrap())
        .collect();
        for n in 0..=entries.len() {
            let (open, close) = json::connections_around();
            let body: Vec<String> = entries[..n].iter().map(json::connection).collect();
            let streamed = format!("{open}{}{close}", body.join(","));
            assert_eq!(streamed, json::connections(&entries[..n]));
        }
    }
}
