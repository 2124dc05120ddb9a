//! How `ipvsadm -R` cuts standard input into command lines: ipvsadm's
//! `config_stream_read`. Words are split on space, tab, CR and newline; a
//! word `ipvsadm` is dropped; a line of no words is skipped by the caller.
//! Its comment handling never fires (it looks for `#` in the separator), so
//! `#` is an ordinary character; when the input ends in blanks without a
//! newline, the words of that last line are lost; and a NUL byte ends its
//! word (words are copied as C strings). All are kept.
//!
//! Words are read by `fscanf` with a field width of 4096 bytes, so a longer
//! word is cut into pieces of 4096. After a piece no separator is read, and
//! ipvsadm then tests the separator it read last, left over in its buffer,
//! even from an earlier line: when that was a newline the line ends after
//! the piece. (The buffer is a stale local variable; in the reference it
//! holds the last separator read, a newline after a line that ended with a
//! word, and no newline before the first line.)
//!
//! Whatever the input, the work is linear in its length and the memory
//! held is one chunk of input (`CHUNK`) plus the words of one line (as
//! ipvsadm holds them): a line is read a chunk at a time, a word at most
//! `MAX_WORD` bytes at a time, and a run of NUL bytes is words of nothing,
//! 4096 bytes each, as fscanf reads them. Words that are not UTF-8 are
//! kept byte for byte (`raw`).

use std::borrow::Cow;
use std::io::BufRead;

use crate::raw;

/// `MAX_LINE_LENGTH`: fscanf's field width for a word.
const MAX_WORD: usize = 4096;

/// The most input held at once: a line longer than this is read in
/// pieces. More than `MAX_WORD`, so that a plain line is read whole.
const CHUNK: usize = 64 * 1024;

fn is_sep(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// Reads lines of words the way ipvsadm does.
pub struct ConfigStream<R> {
    input: R,
    /// Input read and not yet consumed from `pos` on: up to and with a
    /// newline, or `CHUNK` bytes of a longer line, or the input's end.
    pending: Vec<u8>,
    pos: usize,
    /// Whether `pending` starts a line (the one before ended with a
    /// newline, or it is the first).
    line_start: bool,
    eof: bool,
    /// The word being read (it may span two chunks).
    word: Vec<u8>,
    /// The separator fscanf read last (ipvsadm's `tail`), 0 before any.
    last_sep: u8,
    /// Whether plain lines are read by `next_plain` (always, but in the
    /// test that compares it with the general reader).
    plain_lines: bool,
}

impl<R: BufRead> ConfigStream<R> {
    pub fn new(input: R) -> Self {
        ConfigStream {
            input,
            pending: Vec::new(),
            pos: 0,
            line_start: true,
            eof: false,
            word: Vec::new(),
            last_sep: 0,
            plain_lines: true,
        }
    }

    fn peek(&mut self) -> std::io::Result<Option<u8>> {
        if self.pos >= self.pending.len() {
            if self.eof {
                return Ok(None);
            }
            self.line_start = self.pending.last().is_none_or(|&b| b == b'\n');
            self.pending.clear();
            self.pos = 0;
            if self.refill()? == 0 {
                self.eof = true;
                return Ok(None);
            }
        }
        Ok(Some(self.pending[self.pos]))
    }

    /// `read_until(b'\n')` into the empty `pending`, stopping after
    /// `CHUNK` bytes; returns how many were read.
    fn refill(&mut self) -> std::io::Result<usize> {
        loop {
            let buf = match self.input.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if buf.is_empty() {
                break;
            }
            let room = CHUNK - self.pending.len();
            let window = &buf[..buf.len().min(room)];
            let (n, done) = match window.iter().position(|&b| b == b'\n') {
                Some(i) => (i + 1, true),
                None => (window.len(), window.len() == room),
            };
            self.pending.extend_from_slice(&window[..n]);
            self.input.consume(n);
            if done {
                break;
            }
        }
        Ok(self.pending.len())
    }

    /// The word from here on: the run of non-separators, at most
    /// `MAX_WORD` bytes (fscanf's width: a longer run goes on as the next
    /// word), into `self.word`.
    fn read_word(&mut self) -> std::io::Result<()> {
        self.word.clear();
        while self.peek()?.is_some() {
            let rest = &self.pending[self.pos..];
            let window = &rest[..rest.len().min(MAX_WORD - self.word.len())];
            let n = window
                .iter()
                .position(|&b| is_sep(b))
                .unwrap_or(window.len());
            self.word.extend_from_slice(&window[..n]);
            self.pos += n;
            if n < rest.len() || self.word.len() == MAX_WORD {
                break;
            }
        }
        Ok(())
    }

    fn bump(&mut self) {
        self.pos += 1;
    }

    /// The next line's words (without `ipvsadm`), or `None` at the end.
    pub fn next_line(&mut self) -> std::io::Result<Option<Vec<String>>> {
        let mut words = Vec::new();
        Ok(self.next_line_into(&mut words, 0)?.map(|end| {
            words.truncate(end);
            words
        }))
    }

    /// `next_line` into `words[from..]`, reusing the strings already there
    /// (a restore reads one line per request, tens of thousands of them):
    /// returns where the line's words end, or `None` at the end. Strings
    /// past that end are left for the next line.
    pub fn next_line_into(
        &mut self,
        words: &mut Vec<String>,
        from: usize,
    ) -> std::io::Result<Option<usize>> {
        if let Some(line) = self.next_plain()? {
            return Ok(Some(plain_words(line, words, from)));
        }
        let mut end = from;
        loop {
            match self.peek()? {
                None => {
                    return Ok(if end == from { None } else { Some(end) });
                }
                Some(b) if is_sep(b) => {
                    // fscanf matched no word: skip blanks up to a newline;
                    // the end of the input loses the words read so far.
                    loop {
                        match self.peek()? {
                            None => return Ok(None),
                            Some(b'\n') => {
                                self.bump();
                                return Ok(Some(end));
                            }
                            Some(b'\t' | b'\r' | b' ') => self.bump(),
                            Some(_) => break,
                        }
                    }
                }
                Some(_) => {
                    self.read_word()?;
                    // The word is kept as a C string: a NUL ends it, both
                    // for the `ipvsadm` test and for the copy.
                    let mut word = &self.word[..];
                    if let Some(nul) = word.iter().position(|&b| b == 0) {
                        word = &word[..nul];
                    }
                    if word != b"ipvsadm" {
                        put_word(words, end, &raw::to_text(word));
                        end += 1;
                    }
                    // The one separator fscanf reads after the word; with
                    // none (a long word goes on, or the input ends) the
                    // stale one decides.
                    match self.peek()? {
                        Some(b) if is_sep(b) => {
                            self.bump();
                            self.last_sep = b;
                            if b == b'\n' {
                                return Ok(Some(end));
                            }
                        }
                        _ => {
                            if self.last_sep == b'\n' {
                                return Ok(Some(end));
                            }
                        }
                    }
                }
            }
        }
    }

    /// The next line, when it is plain: its text without the newline, the
    /// line consumed; `None` leaves it to `next_line_into`. A line is plain
    /// when it is valid UTF-8 that `raw` keeps as it is (nearly all)
    /// without control characters, starts and ends
    /// with a word, is followed by a newline, and is shorter than a word
    /// may be (what `-S` writes). Its words are then its runs of
    /// non-spaces (`plain_words`), and the general reader would end having
    /// read the newline after its last word.
    pub fn next_plain(&mut self) -> std::io::Result<Option<&str>> {
        if !self.plain_lines || self.peek()?.is_none() || self.pos != 0 || !self.line_start {
            return Ok(None);
        }
        let line = self.pending.as_slice();
        let plain = line.len() <= MAX_WORD
            && line.len() >= 2
            && line[line.len() - 1] == b'\n'
            && line[0] != b' '
            && line[line.len() - 2] != b' '
            && !has_control(&line[..line.len() - 1]);
        if !plain {
            return Ok(None);
        }
        let Cow::Borrowed(text) = raw::to_text(&line[..line.len() - 1]) else {
            return Ok(None);
        };
        self.pos = line.len();
        self.last_sep = b'\n';
        Ok(Some(text))
    }
}

/// Whether any byte is below 0x20 (tab, CR, NUL among them), eight bytes
/// at a time: a byte `b` is below 0x20 when `b - 0x20` borrows from bit 7
/// and `b` itself has bit 7 clear.
fn has_control(b: &[u8]) -> bool {
    const LOW: u64 = 0x2020_2020_2020_2020;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut chunks = b.chunks_exact(8);
    let mut found = 0;
    for c in &mut chunks {
        let x = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
        found |= x.wrapping_sub(LOW) & !x & HIGH;
    }
    found != 0 || chunks.remainder().iter().any(|&c| c < 0x20)
}

/// `line.split(' ')`, by a plain loop over the bytes: for lines of a few
/// short words `split`'s searcher costs several times more.
pub fn words_of(line: &str) -> Words<'_> {
    Words {
        line,
        start: Some(0),
    }
}

pub struct Words<'a> {
    line: &'a str,
    /// Where the next word starts; `None` after the last.
    start: Option<usize>,
}

impl<'a> Iterator for Words<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let start = self.start?;
        let rest = &self.line.as_bytes()[start..];
        match rest.iter().position(|&b| b == b' ') {
            Some(n) => {
                self.start = Some(start + n + 1);
                Some(&self.line[start..start + n])
            }
            None => {
                self.start = None;
                Some(&self.line[start..])
            }
        }
    }
}

/// A plain line's words (see `next_plain`) into `words[from..]`, reusing
/// the strings there, without `ipvsadm`; returns where they end.
pub fn plain_words(line: &str, words: &mut Vec<String>, from: usize) -> usize {
    let mut end = from;
    for word in words_of(line) {
        if word.is_empty() || word == "ipvsadm" {
            continue;
        }
        put_word(words, end, word);
        end += 1;
    }
    end
}

/// `word` into `words[at]`, reusing the string there (`at` is at most one
/// past the end).
fn put_word(words: &mut Vec<String>, at: usize, word: &str) {
    match words.get_mut(at) {
        Some(slot) => {
            slot.clear();
            slot.push_str(word);
        }
        None => words.push(word.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(s: &str) -> Vec<Vec<String>> {
        lines_of(s.as_bytes())
    }

    #[test]
    fn splits_like_ipvsadm() {
        assert_eq!(
            lines("-A -t 1.2.3.4:80\n\n  ipvsadm -C\r\n# x y\n-S"),
            vec![
                vec!["-A", "-t", "1.2.3.4:80"],
                vec![],
                vec!["-C"],
                vec!["#", "x", "y"],
                vec!["-S"],
            ]
        );
        // Trailing blanks without a newline lose the last line.
        assert_eq!(lines("-C\n-L \t"), vec![vec!["-C".to_string()]]);
    }

    #[test]
    fn nul_ends_a_word() {
        assert_eq!(
            lines("-A -t 1.2.3.4:80\0junk -s rr\nipvsadm\0x -C\n\0x -L\n"),
            vec![
                vec!["-A", "-t", "1.2.3.4:80", "-s", "rr"],
                vec!["-C"],
                vec!["", "-L"],
            ]
        );
    }

    #[test]
    fn blank_lines_and_line_ends() {
        assert_eq!(
            lines("\r\n\r\r\n-A\r-t\tx\r\r\n  \n-C"),
            vec![vec![], vec![], vec!["-A", "-t", "x"], vec![], vec!["-C"]]
        );
        assert_eq!(lines("   "), Vec::<Vec<String>>::new());
        assert_eq!(lines("-C\n \t "), vec![vec!["-C".to_string()]]);
        assert_eq!(lines("-C\r"), vec![vec!["-C".to_string()]]);
    }

    /// Plain lines are read in one pass as the general reader reads them,
    /// on generated inputs mixing them with every kind of odd line.
    #[test]
    fn plain_lines_read_as_the_general_reader_reads_them() {
        const PIECES: &[&str] = &[
            "\x01",
            "\x1f",
            "\x7f",
            "-A",
            "-a",
            "10.96.0.1:80",
            "ipvsadm",
            "ipvsadmx",
            "#",
            "é",
            " ",
            " ",
            " ",
            "\t",
            "\r",
            "\0",
            "\n",
            "\n",
            "\n",
            "\n",
        ];
        let mut r = crate::test_util::Rng(0x2545_f491_4f6c_dd1d);
        let (mut plain, mut lines_read) = (0, 0);
        for _ in 0..3000 {
            let mut text = String::new();
            for _ in 0..r.below(40) {
                match r.below(50) {
                    0 => text.push_str(&"x".repeat(4090 + r.below(12))),
                    _ => text.push_str(r.pick(PIECES)),
                }
            }
            let read = |plain_lines: bool| {
                let mut c = ConfigStream::new(text.as_bytes());
                c.plain_lines = plain_lines;
                let mut out = vec![];
                while let Some(l) = c.next_line().unwrap() {
                    out.push(l);
                }
                out
            };
            let ours = read(true);
            assert_eq!(ours, read(false), "input: {text:?}");
            lines_read += ours.len();
            plain += text
                .split_inclusive('\n')
                .filter(|l| {
                    let b = l.trim_end_matches('\n');
                    l.ends_with('\n')
                        && !b.is_empty()
                        && !b.starts_with(' ')
                        && !b.ends_with(' ')
                        && b.bytes().all(|c| c >= 0x20)
                })
                .count();
        }
        // Both kinds of line must have come up often.
        assert!(
            plain > 500 && lines_read > 3 * plain,
            "{plain} plain of {lines_read}"
        );
    }

    /// ipvsadm's `config_stream_read` over a whole input, one byte at a
    /// time as fscanf and fgetc read it: the lines' words, as bytes.
    fn fscanf_model(input: &[u8]) -> Vec<Vec<Vec<u8>>> {
        let mut lines = vec![];
        let (mut i, mut tail) = (0, 0u8);
        'call: loop {
            let mut words = vec![];
            loop {
                let start = i;
                while i < input.len() && i - start < MAX_WORD && !is_sep(input[i]) {
                    i += 1;
                }
                if i == input.len() && i == start {
                    // fscanf's EOF: the words read are kept, if any.
                    if !words.is_empty() {
                        lines.push(words);
                    }
                    return lines;
                }
                if i == start {
                    // No word: fgetc over blanks.
                    loop {
                        match input.get(i) {
                            None => return lines,
                            Some(b'\n') => {
                                i += 1;
                                lines.push(words);
                                continue 'call;
                            }
                            Some(b' ' | b'\t' | b'\r') => i += 1,
                            Some(_) => break,
                        }
                    }
                    continue;
                }
                let mut word = &input[start..i];
                if let Some(nul) = word.iter().position(|&b| b == 0) {
                    word = &word[..nul];
                }
                if word != b"ipvsadm" {
                    words.push(word.to_vec());
                }
                if i < input.len() && is_sep(input[i]) {
                    tail = input[i];
                    i += 1;
                }
                if tail == b'\n' {
                    lines.push(words);
                    continue 'call;
                }
            }
        }
    }

    /// Generated hostile inputs (NUL runs, words and lines around 4096
    /// bytes and around a chunk, random bytes, bytes that are not UTF-8,
    /// blank runs), read through buffers of odd sizes: the words are the
    /// model's, byte for byte.
    #[test]
    fn hostile_input_reads_as_fscanf_reads_it() {
        let mut r = crate::test_util::Rng(0x5851_f42d_4c95_7f2d);
        const PIECES: &[&[u8]] = &[
            b"-A",
            b"-t",
            b"10.96.0.1:80",
            b"ipvsadm",
            b"\0",
            b"\xc3",
            b"\xf4\x8f\xbf\xbf",
            b" ",
            b"\t",
            b"\r",
            b"\n",
            b"\n",
            b"x",
        ];
        for round in 0..400 {
            let mut input = Vec::new();
            for _ in 0..r.below(30) {
                let n = match r.below(12) {
                    0 => MAX_WORD - 2 + r.below(5),
                    1 => CHUNK - 3 + r.below(7),
                    2 => 2 * MAX_WORD + r.below(3),
                    _ => 0,
                };
                if n > 0 {
                    let b = r.pick(&[b'x', 0, b' ', b'\n', 0xff]);
                    input.extend(std::iter::repeat_n(b, n));
                } else if r.below(5) == 0 {
                    input.push(r.next() as u8);
                } else {
                    input.extend_from_slice(r.pick(PIECES));
                }
            }
            let cap = 1 + r.below(if round % 2 == 0 { 8 } else { 70_000 });
            let mut c = ConfigStream::new(std::io::BufReader::with_capacity(cap, &input[..]));
            let mut ours = vec![];
            while let Some(l) = c.next_line().unwrap() {
                let l: Vec<Vec<u8>> = l.iter().map(|w| raw::to_bytes(w).into_owned()).collect();
                ours.push(l);
            }
            assert!(ours == fscanf_model(&input), "round {round}, buffer {cap}");
        }
    }

    /// One big word, a NUL run and a long line cost one pass each: the
    /// words are what fscanf makes of them.
    #[test]
    fn big_inputs_are_read_in_one_pass() {
        let n = 3 << 20;
        let mut word = vec![b'x'; n];
        word.extend_from_slice(b"\n-C\n");
        let l = lines_of(&word);
        assert_eq!(l.len(), 1 + 1);
        assert_eq!(l[0].len(), n.div_ceil(MAX_WORD));
        let l = lines_of(&vec![0; n]);
        assert_eq!(l, vec![vec![String::new(); n / MAX_WORD]]);
        let l = lines_of(&b"ab ".repeat(n / 3));
        assert_eq!(l, vec![vec!["ab".to_string(); n / 3]]);
    }

    fn lines_of(b: &[u8]) -> Vec<Vec<String>> {
        let mut c = ConfigStream::new(b);
        let mut out = vec![];
        while let Some(l) = c.next_line().unwrap() {
            out.push(l);
        }
        out
    }

    #[test]
    fn words_of_splits_as_split_does() {
        for line in [
            "",
            " ",
            "a",
            "a b",
            " a  b ",
            "-A -t 1.2.3.4:80 -s rr",
            "é é",
        ] {
            assert_eq!(
                words_of(line).collect::<Vec<_>>(),
                line.split(' ').collect::<Vec<_>>()
            );
        }
    }

    #[test]
    fn control_bytes_are_found_anywhere() {
        for len in [1, 7, 8, 9, 20] {
            for at in 0..len {
                for b in 0..=255u8 {
                    let mut line = vec![b'a'; len];
                    line[at] = b;
                    assert_eq!(has_control(&line), b < 0x20, "{b:#x} at {at} of {len}");
                }
            }
        }
        assert!(!has_control(b""));
    }

    #[test]
    fn long_words_are_cut_at_4096_bytes() {
        let x = |n: usize| "x".repeat(n);
        // On the first line (no newline read yet) the pieces stay together.
        assert_eq!(
            lines(&format!("-L {}-n\n", x(5000))),
            vec![vec!["-L".to_string(), x(4096), format!("{}-n", x(904))]]
        );
        assert_eq!(
            lines(&format!("-L {}\n", x(4096))),
            vec![vec!["-L".to_string(), x(4096)]]
        );
        // After a line that ended with a word and a newline, a piece ends
        // the line.
        assert_eq!(
            lines(&format!("-C\n{} -L\n", x(5000))),
            vec![
                vec!["-C".to_string()],
                vec![x(4096)],
                vec![x(904), "-L".to_string()]
            ]
        );
        // Not after a line that ended with blanks: the last separator read
        // was a blank.
        assert_eq!(
            lines(&format!("-C \n-L {}-n\n", x(4096))),
            vec![
                vec!["-C".to_string()],
                vec!["-L".to_string(), x(4096), "-n".to_string()]
            ]
        );
    }
}
