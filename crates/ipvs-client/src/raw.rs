//! Names whose bytes are not UTF-8, carried losslessly in Rust `String`s.
//! The kernel keeps scheduler, persistence-engine and interface names as
//! C strings: any byte but NUL may appear. This crate hands them out as
//! text and takes them back as text without losing a byte.
//!
//! The mapping (lossless both ways): a byte 0x80..=0xFF that is not part
//! of valid UTF-8 becomes the code point U+10FF00 + byte, one of the 128
//! private-use characters U+10FF80..=U+10FFFF (the *escapes*). Valid UTF-8
//! is kept as it is, except that an escape appearing in it literally (its
//! encoding is F4 8F BE/BF xx) has each of its four bytes escaped, so that
//! every escape in a string stands for exactly one byte. ASCII never
//! changes, and a raw byte is one `char`, as it is one `char` in C.
//!
//! A name that is plain UTF-8 (every name a program of yours is likely to
//! use) is its own text: nothing here needs to be called for it. Lengths
//! the kernel checks in bytes are taken with `byte_len` and `truncate`.

use std::borrow::Cow;

/// The escape of byte `b` is `BASE + b`.
const BASE: u32 = 0x10_FF00;

/// Every escape's UTF-8 encoding starts with these two bytes.
const LEAD: [u8; 2] = [0xF4, 0x8F];

/// Whether `c` is an escape.
fn is_escape(c: char) -> bool {
    (BASE + 0x80..=BASE + 0xFF).contains(&(c as u32))
}

fn escape(b: u8) -> char {
    char::from_u32(BASE + b as u32).expect("U+10FF80..U+10FFFF are chars")
}

/// Whether `b` may hold an escape's encoding (when not, bytes that are
/// UTF-8 are their own text; cheap: no 0xF4 byte, none).
/// Every listing passes through here whole, so the bytes are looked at a
/// block at a time, in a loop the compiler turns into vector compares.
pub fn may_hold_escapes(b: &[u8]) -> bool {
    let blocks = b.chunks_exact(32);
    let tail = blocks.remainder();
    blocks
        .into_iter()
        .any(|c| c.iter().fold(false, |seen, &x| seen | (x == LEAD[0])))
        || tail.contains(&LEAD[0])
}

/// `bytes` as text, appended to `out`.
pub fn push_bytes(out: &mut String, bytes: &[u8]) {
    if let Ok(s) = std::str::from_utf8(bytes) {
        if !may_hold_escapes(bytes) {
            out.push_str(s);
            return;
        }
    }
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            if is_escape(c) {
                let mut b = [0; 4];
                out.extend(c.encode_utf8(&mut b).bytes().map(escape));
            } else {
                out.push(c);
            }
        }
        out.extend(chunk.invalid().iter().map(|&b| escape(b)));
    }
}

/// `bytes` as text.
pub fn to_text(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(s) if !may_hold_escapes(bytes) => Cow::Borrowed(s),
        _ => {
            let mut s = String::with_capacity(bytes.len());
            push_bytes(&mut s, bytes);
            Cow::Owned(s)
        }
    }
}

/// The bytes `text` stands for.
pub fn to_bytes(text: &str) -> Cow<'_, [u8]> {
    if !may_hold_escapes(text.as_bytes()) {
        return Cow::Borrowed(text.as_bytes());
    }
    let mut out = Vec::with_capacity(text.len());
    for c in text.chars() {
        if is_escape(c) {
            out.push((c as u32 - BASE) as u8);
        } else {
            let mut b = [0; 4];
            out.extend_from_slice(c.encode_utf8(&mut b).as_bytes());
        }
    }
    Cow::Owned(out)
}

/// How many bytes `text` stands for (C's `strlen`).
pub fn byte_len(text: &str) -> usize {
    if !may_hold_escapes(text.as_bytes()) {
        return text.len();
    }
    text.chars()
        .map(|c| if is_escape(c) { 1 } else { c.len_utf8() })
        .sum()
}

/// The text of the first `max` bytes `text` stands for (C's `strncpy`):
/// a cut through a character leaves its first bytes, escaped.
pub fn truncate(text: &str, max: usize) -> Cow<'_, str> {
    if byte_len(text) <= max {
        return Cow::Borrowed(text);
    }
    let bytes = to_bytes(text);
    Cow::Owned(to_text(&bytes[..max]).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lead_byte_is_seen_wherever_it_is() {
        for n in 0..100 {
            let mut b = vec![b'a'; n];
            assert!(!may_hold_escapes(&b));
            for i in 0..n {
                b[i] = LEAD[0];
                assert!(may_hold_escapes(&b), "{n} {i}");
                b[i] = 0xF5;
            }
            assert!(!may_hold_escapes(&b));
        }
    }
    use crate::test_rng::Rng;

    #[test]
    fn bytes_round_trip() {
        let mut r = Rng(0x9e37_79b9_7f4a_7c15);
        // Pieces that stress the mapping: escapes' own encodings, their
        // prefixes, other 4-byte characters, lone continuation bytes.
        let pieces: &[&[u8]] = &[
            b"a",
            b"-",
            b"\xc3",
            b"(",
            "é".as_bytes(),
            b"\xf4\x8f\xbf\xbf",
            b"\xf4\x8f\xbe\x80",
            b"\xf4\x8f",
            b"\xf4",
            "\u{10FF7F}".as_bytes(),
            "\u{10000}".as_bytes(),
            b"\x80",
            b"\xff",
            b"\0",
        ];
        for _ in 0..20_000 {
            let mut b = Vec::new();
            for _ in 0..r.below(12) {
                if r.below(4) == 0 {
                    b.push(r.next() as u8);
                } else {
                    b.extend_from_slice(r.pick(pieces));
                }
            }
            let t = to_text(&b);
            assert_eq!(&*to_bytes(&t), &b[..], "{b:x?}");
            assert_eq!(byte_len(&t), b.len(), "{b:x?}");
            for max in 0..=b.len() {
                assert_eq!(&*to_bytes(&truncate(&t, max)), &b[..max], "{b:x?}");
            }
        }
    }

    #[test]
    fn valid_text_is_kept() {
        assert_eq!(to_text(b"-A -t x"), Cow::Borrowed("-A -t x"));
        assert_eq!(to_text("é".as_bytes()), "é");
        assert_eq!(to_text(b"\xc3(").chars().count(), 2);
        assert_eq!(byte_len(&to_text(b"\xc3(")), 2);
    }
}
