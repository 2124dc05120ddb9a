//! Bytes that are not UTF-8, carried in the `String`s the parser uses and
//! given back byte for byte wherever text leaves the process. ipvsadm
//! handles its arguments and `-R` words as C strings: any byte but NUL is
//! an ordinary character, and its messages echo them unchanged.
//!
//! The mapping is the IPVS library's (`crate::ipvs::raw`: a byte that is
//! not UTF-8 is one private-use character), so that names pass between the
//! command line and the kernel unchanged. Here it is given back at the
//! output streams (`Unescape`, wrapped around stdout and stderr by
//! `main`), and where a word goes to libc (`cstring`).

use std::ffi::CString;
use std::io::{self, Write};

use crate::ipvs::raw::may_hold_escapes;
pub use crate::ipvs::raw::{byte_len, push_bytes, to_bytes, to_text, truncate};

/// The C string for `text`, or `None` when it holds a NUL (which a C
/// string given by ipvsadm never can).
pub fn cstring(text: &str) -> Option<CString> {
    CString::new(to_bytes(text).into_owned()).ok()
}

/// A writer that writes the bytes the text written to it stands for.
/// Every write must end on a character boundary (callers write whole
/// `str`s); a write is taken whole or fails.
pub struct Unescape<W: Write>(pub W);

impl<W: Write> Write for Unescape<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.write_all(buf)?;
        Ok(buf.len())
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        if !may_hold_escapes(buf) {
            return self.0.write_all(buf);
        }
        match std::str::from_utf8(buf) {
            Ok(text) => self.0.write_all(&to_bytes(text)),
            // Not text: pass it on as it is.
            Err(_) => self.0.write_all(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::Rng;

    #[test]
    fn unescaped_output_is_the_bytes() {
        let mut r = Rng(0x9e37_79b9_7f4a_7c15);
        for _ in 0..5_000 {
            let b: Vec<u8> = (0..r.below(16)).map(|_| r.next() as u8).collect();
            let t = to_text(&b);
            let mut out = Unescape(Vec::new());
            out.write_all(t.as_bytes()).unwrap();
            assert_eq!(out.0, b);
        }
    }

    #[test]
    fn a_c_string_is_the_bytes() {
        assert_eq!(
            &*cstring(&to_text(b"\xc3(")).unwrap().into_bytes(),
            b"\xc3("
        );
        assert!(cstring("a\0b").is_none());
    }
}
