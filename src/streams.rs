//! Standard output and error of a run (`Streams`): everything a command
//! prints goes through it, and it owns what a failed write of standard
//! output becomes. A leaf: it knows nothing of commands or the kernel
//! (the test that runs a whole command through it is `exec`'s).
//!
//! A deliberate difference from ipvsadm 1.31, which ignores what `printf`
//! returns and exits 0 with a truncated listing or save: the first error
//! writing standard output (a full disk, an I/O error) is remembered,
//! nothing more is written there, and at the end of the run `finish`
//! turns it into one message on standard error,
//! `PROGRAM: write error: STRERROR`, and the status `WRITE_ERROR_STATUS`
//! whatever the command's own status was.
//!
//! A closed pipe keeps the reference's behaviour: `main` restores
//! SIGPIPE's default action, so the process dies of the signal at the
//! write. Should EPIPE reach us anyway (SIGPIPE blocked by whoever
//! started us), the reader is gone: writing stops, with no message and
//! the command's status, as the reference's.

use std::io::{self, Write};

/// The exit status of a run whose standard output could not be written,
/// as `--check` uses for "the report could not be written".
pub const WRITE_ERROR_STATUS: i32 = 2;

/// Standard output and error of a run.
pub struct Streams<'a> {
    out: &'a mut dyn Write,
    err: &'a mut dyn Write,
    /// The first error writing or flushing standard output; after it
    /// nothing more is written there.
    failed: Option<io::Error>,
    /// Whether `finish` has told the failure (it is told once).
    told: bool,
}

impl<'a> Streams<'a> {
    pub fn new(out: &'a mut dyn Write, err: &'a mut dyn Write) -> Self {
        Streams {
            out,
            err,
            failed: None,
            told: false,
        }
    }

    /// Write to standard output, unless a write there has failed.
    pub fn out(&mut self, s: &str) {
        self.out_bytes(s.as_bytes());
    }

    /// `out` of text already in bytes (a listing's: see
    /// `format::service_entry_bytes`), passed through as text is.
    pub fn out_bytes(&mut self, b: &[u8]) {
        if self.failed.is_none() {
            if let Err(e) = self.out.write_all(b) {
                self.failed = Some(e);
            }
        }
    }

    /// Write to standard error, after what standard output holds, so that
    /// the two come in the order they were printed. A failure to write
    /// standard error has nowhere to be told and is ignored.
    pub fn err(&mut self, s: &str) {
        self.flush();
        let _ = self.err.write_all(s.as_bytes());
    }

    /// Flush standard output, unless a write there has failed.
    pub fn flush(&mut self) {
        if self.failed.is_none() {
            if let Err(e) = self.out.flush() {
                self.failed = Some(e);
            }
        }
    }

    /// Whether a write or flush of standard output has failed.
    pub fn write_failed(&self) -> bool {
        self.failed.is_some()
    }

    /// The end of a run: flush standard output; the exit status. If
    /// standard output failed, the failure is told (once) as `program`'s
    /// and the status is `WRITE_ERROR_STATUS`; a closed pipe (EPIPE) is
    /// not told and leaves `code` as it is.
    pub fn finish(&mut self, program: &str, code: i32) -> i32 {
        self.flush();
        let Some(e) = &self.failed else {
            return code;
        };
        if e.raw_os_error() == Some(libc::EPIPE) {
            return code;
        }
        if !self.told {
            self.told = true;
            let why = match e.raw_os_error() {
                Some(n) => crate::format::errors::strerror(n),
                None => e.to_string(),
            };
            let _ = self
                .err
                .write_all(format!("{program}: write error: {why}\n").as_bytes());
        }
        WRITE_ERROR_STATUS
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A writer that takes `room` bytes and then fails every write and
    /// flush with `errno`, counting the calls made after the failure.
    pub(crate) struct FailAfter {
        pub room: usize,
        pub errno: i32,
        pub written: Vec<u8>,
        pub calls_after: usize,
    }

    impl FailAfter {
        pub(crate) fn new(room: usize, errno: i32) -> Self {
            FailAfter {
                room,
                errno,
                written: Vec::new(),
                calls_after: 0,
            }
        }
        fn full(&self) -> bool {
            self.written.len() >= self.room
        }
    }

    impl Write for FailAfter {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            if self.full() {
                self.calls_after += 1;
                return Err(io::Error::from_raw_os_error(self.errno));
            }
            let n = buf.len().min(self.room - self.written.len());
            self.written.extend_from_slice(&buf[..n]);
            Ok(n)
        }
        fn flush(&mut self) -> io::Result<()> {
            if self.full() {
                self.calls_after += 1;
                return Err(io::Error::from_raw_os_error(self.errno));
            }
            Ok(())
        }
    }

    #[test]
    fn a_run_that_writes_everything_keeps_its_status() {
        let (mut out, mut err) = (FailAfter::new(100, libc::ENOSPC), Vec::new());
        let mut io = Streams::new(&mut out, &mut err);
        io.out("hello\n");
        io.err("oops\n");
        assert!(!io.write_failed());
        assert_eq!(io.finish("ipvsadm", 255), 255);
        assert_eq!(out.written, b"hello\n");
        assert_eq!(err, b"oops\n");
    }

    #[test]
    fn a_failed_write_is_told_once_and_nothing_more_is_written() {
        let (mut out, mut err) = (FailAfter::new(10, libc::ENOSPC), Vec::new());
        let mut io = Streams::new(&mut out, &mut err);
        io.out("0123456789abc");
        assert!(io.write_failed());
        io.out("more\n");
        io.flush();
        io.err("a message still goes out\n");
        assert_eq!(io.finish("ipvsadm", 0), WRITE_ERROR_STATUS);
        assert_eq!(io.finish("ipvsadm", 0), WRITE_ERROR_STATUS);
        // The failing write itself, and not one call after it.
        assert_eq!(out.calls_after, 1);
        assert_eq!(out.written, b"0123456789");
        assert_eq!(
            String::from_utf8(err).unwrap(),
            "a message still goes out\nipvsadm: write error: No space left on device\n"
        );
    }

    #[test]
    fn a_failed_flush_is_a_failed_write() {
        // Behind a buffer, as in main: the error shows when it is flushed.
        let mut out = FailAfter::new(3, libc::EIO);
        let mut buffered = io::BufWriter::new(&mut out);
        let mut err = Vec::new();
        let mut io = Streams::new(&mut buffered, &mut err);
        io.out("-A -t 10.0.0.1:80 -s rr\n");
        assert!(!io.write_failed(), "still in the buffer");
        assert_eq!(io.finish("ipvsadm-save", 0), WRITE_ERROR_STATUS);
        assert_eq!(
            String::from_utf8(err).unwrap(),
            "ipvsadm-save: write error: Input/output error\n"
        );
        std::mem::forget(buffered); // no flush on drop
        assert_eq!(out.written, b"-A ");
    }

    #[test]
    fn a_closed_pipe_is_not_told() {
        let (mut out, mut err) = (FailAfter::new(0, libc::EPIPE), Vec::new());
        let mut io = Streams::new(&mut out, &mut err);
        io.out("x\n");
        assert!(io.write_failed());
        assert_eq!(io.finish("ipvsadm", 0), 0);
        assert!(err.is_empty());
    }

    #[test]
    fn a_writer_that_takes_nothing_is_a_failure() {
        struct Zero;
        impl Write for Zero {
            fn write(&mut self, _: &[u8]) -> io::Result<usize> {
                Ok(0)
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let (mut out, mut err) = (Zero, Vec::new());
        let mut io = Streams::new(&mut out, &mut err);
        io.out("x");
        assert_eq!(io.finish("ipvsadm", 0), WRITE_ERROR_STATUS);
        assert!(String::from_utf8(err)
            .unwrap()
            .starts_with("ipvsadm: write error: "));
    }
}
