//! `-c` (ipvsadm's `list_conn`): the kernel's connection file,
//! `/proc/net/ip_vs_conn`, read in chunks and each entry re-printed as
//! soon as its line is complete; and ours, `-c -j`, streamed the same
//! way. Memory stays flat however many connections the table holds.
//!
//! The kernel's seq_file for this file hands out at most about a page per
//! `read()`, and each `read()` walks the connection hash from its start
//! (`ip_vs_conn_seq_start`), so reading the file costs time quadratic in
//! the table's size whatever we do; what we choose is the read size.
//! `CHUNK` is above a page, so every `read()` gets all the kernel will
//! give at once and we never call it more often than ipvsadm's stdio
//! (whose buffer is a page or less on proc files) does.

use std::io::Read;

use super::Flow;
use crate::format::Format;
use crate::format::{conn, json, Names};
use crate::resolve::Resolver;
use crate::streams::Streams;

/// Bytes asked for per `read()` of the proc file (see the module doc).
const CHUNK: usize = 64 * 1024;

/// Calls `each` with every line of `src` (its `\n` kept; a last line
/// without one as it is), read `chunk` bytes at a time, until `each`
/// answers false or the input ends. A read error ends the input, as
/// `fgets` in ipvsadm's loop takes it. Non-UTF-8 bytes are carried as
/// `raw::to_text` carries them (a line never splits a character: `\n`
/// is ASCII).
fn for_each_line<R: Read>(mut src: R, chunk: usize, mut each: impl FnMut(&str) -> bool) {
    let mut buf = vec![0u8; chunk.max(1)];
    let mut carry: Vec<u8> = Vec::new();
    loop {
        let n = match src.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(_) => break,
        };
        let mut rest = &buf[..n];
        while let Some(i) = rest.iter().position(|&b| b == b'\n') {
            let (line, after) = rest.split_at(i + 1);
            rest = after;
            let go = if carry.is_empty() {
                each(&crate::raw::to_text(line))
            } else {
                carry.extend_from_slice(line);
                let go = each(&crate::raw::to_text(&carry));
                carry.clear();
                go
            };
            if !go {
                return;
            }
        }
        carry.extend_from_slice(rest);
    }
    if !carry.is_empty() {
        each(&crate::raw::to_text(&carry));
    }
}

/// The connection file, opened as ipvsadm opens it.
fn open_conn_file(io: &mut Streams) -> Result<std::fs::File, Flow> {
    let path = conn::CONN_PROC_FILE;
    std::fs::File::open(path).map_err(|_| {
        io.err(&format!("cannot open file {path}\n"));
        Flow::Exit(1)
    })
}

/// `list_conn`: the proc file, its first line skipped, each entry
/// re-printed as it is read.
pub(super) fn list_conn(format: &Format, resolver: &dyn Resolver, io: &mut Streams) -> Flow {
    let file = match open_conn_file(io) {
        Ok(f) => f,
        Err(f) => return f,
    };
    let names = Names::new(resolver);
    let (mut seen_first, mut stopped) = (false, false);
    for_each_line(file, CHUNK, |line| {
        if !seen_first {
            seen_first = true;
            io.out(&conn::conn_title(format));
            return true;
        }
        match conn::conn_line(line, format, &names) {
            Some(l) => {
                io.out(&l);
                true
            }
            None => {
                stopped = true;
                false
            }
        }
    });
    if !seen_first {
        io.err(&format!("unexpected input from {}\n", conn::CONN_PROC_FILE));
        return Flow::Exit(1);
    }
    if stopped {
        Flow::Exit(1)
    } else {
        Flow::Result(0)
    }
}

/// Ours: `-c -j`, each entry written as it is read.
pub(super) fn list_conn_json(io: &mut Streams) -> Flow {
    let file = match open_conn_file(io) {
        Ok(f) => f,
        Err(f) => return f,
    };
    let (head, tail) = json::connections_frame();
    io.out(&head);
    let (mut first_line, mut first_entry) = (true, true);
    for_each_line(file, CHUNK, |line| {
        if std::mem::take(&mut first_line) {
            return true;
        }
        match conn::scan_conn(line) {
            Some(c) => {
                if !std::mem::take(&mut first_entry) {
                    io.out(",");
                }
                io.out(&json::connection(&c));
                true
            }
            None => false,
        }
    });
    io.out(&tail);
    Flow::Result(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::Rng;

    /// A reader that hands out at most a random number of bytes per read,
    /// as a seq_file or a pipe may.
    struct Dribble<'a> {
        data: &'a [u8],
        rng: Rng,
        most: usize,
    }

    impl Read for Dribble<'_> {
        fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
            let n = (1 + self.rng.below(self.most))
                .min(out.len())
                .min(self.data.len());
            out[..n].copy_from_slice(&self.data[..n]);
            self.data = &self.data[n..];
            Ok(n)
        }
    }

    fn lines_of(data: &[u8], chunk: usize, rng: Rng, most: usize) -> Vec<String> {
        let mut got = Vec::new();
        let src = Dribble { data, rng, most };
        for_each_line(src, chunk, |l| {
            got.push(l.to_string());
            true
        });
        got
    }

    #[test]
    fn chunked_lines_are_the_whole_reads_lines() {
        let mut r = Rng(0x243f_6a88_85a3_08d3);
        for _ in 0..3_000 {
            // Short lines, empty lines, non-UTF-8 bytes, a last line with
            // or without its newline.
            let data: Vec<u8> = (0..r.below(400))
                .map(|_| match r.below(8) {
                    0 => b'\n',
                    1 => 0xff,
                    2 => 0xc3,
                    _ => b'a' + r.below(26) as u8,
                })
                .collect();
            let whole = crate::raw::to_text(&data);
            let want: Vec<String> = whole.split_inclusive('\n').map(String::from).collect();
            let chunk = 1 + r.below(64);
            let most = 1 + r.below(80);
            let got = lines_of(&data, chunk, Rng(r.next() | 1), most);
            assert_eq!(got, want, "chunk {chunk}, most {most}, data {data:?}");
        }
    }

    #[test]
    fn stops_when_asked() {
        let data = b"a\nb\nc\n";
        let mut got = Vec::new();
        for_each_line(&data[..], 2, |l| {
            got.push(l.to_string());
            got.len() < 2
        });
        assert_eq!(got, ["a\n", "b\n"]);
    }

    #[test]
    fn streamed_json_is_the_whole_document() {
        let line = "TCP 0A000001 1F90 0A000002 0050 0A000003 0050 ESTABLISHED 90\n";
        let entries: Vec<_> = (0..3).map(|_| conn::scan_conn(line).unwrap()).collect();
        let (head, tail) = json::connections_frame();
        let items: Vec<String> = entries.iter().map(json::connection).collect();
        let streamed = format!("{head}{}{tail}", items.join(","));
        assert_eq!(streamed, json::connections(&entries));
        let v: serde_json::Value = serde_json::from_str(&streamed).unwrap();
        assert_eq!(v["connections"].as_array().unwrap().len(), 3);
    }
}
