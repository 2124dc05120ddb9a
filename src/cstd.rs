//! The C library's readers of numbers, addresses and characters, as
//! glibc behaves in the C locale and as ipvsadm, iproute2 and glibc's own
//! /etc/hosts reader rely on them: `isspace`, `strtol`, `atoi`,
//! `strtoul`, `inet_aton` and `inet_pton`. A leaf: it knows nothing of the
//! command line, the kernel or text output; `cli`, `resolve` and `format`
//! use it.

use std::net::{Ipv4Addr, Ipv6Addr};

/// C's `isspace` in the C locale.
pub(crate) fn is_c_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// `strtol(s, &end, base)` for bases 10, 8 and 16 without prefix handling
/// beyond what base 10 needs: returns the value (saturated as glibc does),
/// the number of bytes consumed (0 when no digits), and whether it
/// overflowed (ERANGE).
pub fn strtol10(s: &str) -> (i64, usize, bool) {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() && is_c_space(b[i]) {
        i += 1;
    }
    let mut neg = false;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        neg = b[i] == b'-';
        i += 1;
    }
    let start = i;
    // The magnitude; past 2^63 only the overflow matters.
    let mut v: u64 = 0;
    let mut overflow = false;
    while i < b.len() && b[i].is_ascii_digit() {
        if !overflow {
            match v
                .checked_mul(10)
                .and_then(|x| x.checked_add(u64::from(b[i] - b'0')))
            {
                Some(x) if x <= 1 << 63 => v = x,
                _ => overflow = true,
            }
        }
        i += 1;
    }
    if i == start {
        return (0, 0, false);
    }
    let limit = if neg { 1 << 63 } else { i64::MAX as u64 };
    if overflow || v > limit {
        return (if neg { i64::MIN } else { i64::MAX }, i, true);
    }
    let v = if neg {
        (v as i64).wrapping_neg()
    } else {
        v as i64
    };
    (v, i, false)
}

/// `atoi`: strtol's value truncated to an int, whatever follows.
pub fn atoi(s: &str) -> i32 {
    strtol10(s).0 as i32
}

/// `strtoul(s, &end, 0)` from a digit: value and bytes consumed. The
/// value saturates far above 32 bits (the callers only ask whether it fits).
fn strtoul0(b: &[u8]) -> (u64, usize) {
    let (base, mut i) = if b.len() >= 2 && b[0] == b'0' && (b[1] == b'x' || b[1] == b'X') {
        if b.len() > 2 && b[2].is_ascii_hexdigit() {
            (16, 2)
        } else {
            // "0x" with no hex digit: only the "0" is read.
            return (0, 1);
        }
    } else if b[0] == b'0' {
        (8, 1)
    } else {
        (10, 0)
    };
    let mut v: u64 = 0;
    while i < b.len() {
        let d = match b[i] {
            c @ b'0'..=b'9' => c - b'0',
            c @ b'a'..=b'f' => c - b'a' + 10,
            c @ b'A'..=b'F' => c - b'A' + 10,
            _ => break,
        } as u64;
        if d >= base {
            break;
        }
        v = (v * base + d).min(1 << 40);
        i += 1;
    }
    (v, i)
}

/// `a.b.c.d` with four decimal parts of 0 to 255 and no leading zeros,
/// nothing else: the form nearly every address comes in, read in one pass
/// (inet_aton reads it so too); `None` sends anything else to the full
/// reader.
pub(crate) fn plain_dotted_quad(b: &[u8]) -> Option<Ipv4Addr> {
    let digit = |i: usize| match b.get(i) {
        Some(c) if c.is_ascii_digit() => Some(u32::from(c - b'0')),
        _ => None,
    };
    let mut octets = [0u8; 4];
    let mut i = 0;
    for (k, octet) in octets.iter_mut().enumerate() {
        if k > 0 {
            if b.get(i) != Some(&b'.') {
                return None;
            }
            i += 1;
        }
        let mut v = digit(i)?;
        i += 1;
        // A leading zero stands alone: "0" is taken, "01" is not.
        if v != 0 {
            while let Some(d) = digit(i) {
                v = v * 10 + d;
                i += 1;
                if v > 255 {
                    return None;
                }
            }
        }
        *octet = v as u8;
    }
    (i == b.len()).then(|| Ipv4Addr::from(octets))
}

/// glibc's `inet_aton`: `a.b.c.d`, `a.b.c`, `a.b`, `a`, each part decimal,
/// octal (leading 0) or hex (0x); anything after a blank is ignored.
pub fn inet_aton(s: &str) -> Option<Ipv4Addr> {
    let b = s.as_bytes();
    if let Some(a) = plain_dotted_quad(b) {
        return Some(a);
    }
    // The dotted parts before the last one, at most three.
    let mut parts = [0u32; 3];
    let mut n_parts = 0;
    let mut i = 0;
    let val: u64;
    loop {
        if i >= b.len() || !b[i].is_ascii_digit() {
            return None;
        }
        let (v, n) = strtoul0(&b[i..]);
        if v > 0xffff_ffff {
            return None;
        }
        i += n;
        if i < b.len() && b[i] == b'.' {
            if n_parts > 2 || v > 0xff {
                return None;
            }
            parts[n_parts] = v as u32;
            n_parts += 1;
            i += 1;
        } else {
            val = v;
            break;
        }
    }
    if i < b.len() && !(b[i].is_ascii() && is_c_space(b[i])) {
        return None;
    }
    const MAX: [u64; 4] = [0xffff_ffff, 0xff_ffff, 0xffff, 0xff];
    if val > MAX[n_parts] {
        return None;
    }
    let mut word: u32 = 0;
    for (k, p) in parts[..n_parts].iter().enumerate() {
        word |= p << (24 - 8 * k);
    }
    word |= val as u32;
    Some(Ipv4Addr::from(word))
}

/// glibc's `inet_pton(AF_INET, ...)`: exactly four decimal parts, each
/// 0 to 255 without leading zeros; nothing before or after.
pub fn inet_pton4(s: &str) -> Option<Ipv4Addr> {
    let mut octets = [0u8; 4];
    let mut parts = 0;
    let mut saw_digit = false;
    let mut cur: u32 = 0;
    for b in s.bytes() {
        if b.is_ascii_digit() {
            if saw_digit && cur == 0 {
                return None;
            }
            cur = cur * 10 + u32::from(b - b'0');
            if cur > 255 {
                return None;
            }
            if !saw_digit {
                parts += 1;
                if parts > 4 {
                    return None;
                }
                saw_digit = true;
            }
            octets[parts - 1] = cur as u8;
        } else if b == b'.' && saw_digit {
            if parts == 4 {
                return None;
            }
            saw_digit = false;
            cur = 0;
        } else {
            return None;
        }
    }
    if parts < 4 {
        return None;
    }
    Some(Ipv4Addr::from(octets))
}

/// glibc's `inet_pton(AF_INET6, ...)`: groups of one to four hex digits,
/// one `::`, an optional dotted IPv4 tail (read as `inet_pton4` reads it),
/// no zone, no brackets, no blanks.
pub fn inet_pton6(s: &str) -> Option<Ipv6Addr> {
    let b = s.as_bytes();
    let mut out = [0u8; 16];
    let mut tp = 0usize;
    let mut colon: Option<usize> = None;
    let mut i = 0;
    if b.is_empty() {
        return None;
    }
    if b[0] == b':' {
        if b.len() < 2 || b[1] != b':' {
            return None;
        }
        i = 1;
    }
    let mut tok_start = i;
    let mut digits = 0;
    let mut val: u32 = 0;
    while i < b.len() {
        let ch = b[i];
        i += 1;
        if let Some(d) = (ch as char).to_digit(16) {
            if digits == 4 {
                return None;
            }
            val = (val << 4) | d;
            digits += 1;
            continue;
        }
        if ch == b':' {
            tok_start = i;
            if digits == 0 {
                if colon.is_some() {
                    return None;
                }
                colon = Some(tp);
                continue;
            } else if i == b.len() {
                return None;
            }
            if tp + 2 > 16 {
                return None;
            }
            out[tp] = (val >> 8) as u8;
            out[tp + 1] = val as u8;
            tp += 2;
            digits = 0;
            val = 0;
            continue;
        }
        if ch == b'.' && tp + 4 <= 16 {
            if let Some(v4) = inet_pton4(&s[tok_start..]) {
                out[tp..tp + 4].copy_from_slice(&v4.octets());
                tp += 4;
                digits = 0;
                break;
            }
        }
        return None;
    }
    if digits > 0 {
        if tp + 2 > 16 {
            return None;
        }
        out[tp] = (val >> 8) as u8;
        out[tp + 1] = val as u8;
        tp += 2;
    }
    if let Some(c) = colon {
        if tp == 16 {
            return None;
        }
        let n = tp - c;
        out.copy_within(c..tp, 16 - n);
        out[c..16 - n].fill(0);
        tp = 16;
    }
    if tp != 16 {
        return None;
    }
    Some(Ipv6Addr::from(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aton_forms() {
        assert_eq!(inet_aton("1.2.3.4"), Some(Ipv4Addr::new(1, 2, 3, 4)));
        assert_eq!(inet_aton("10.1"), Some(Ipv4Addr::new(10, 0, 0, 1)));
        assert_eq!(inet_aton("127.1.258"), Some(Ipv4Addr::new(127, 1, 1, 2)));
        assert_eq!(inet_aton("0x7f.1"), Some(Ipv4Addr::new(127, 0, 0, 1)));
        assert_eq!(inet_aton("010.0.0.1"), Some(Ipv4Addr::new(8, 0, 0, 1)));
        assert_eq!(inet_aton("1.2.3.4 junk"), Some(Ipv4Addr::new(1, 2, 3, 4)));
        assert_eq!(
            inet_aton("4294967295"),
            Some(Ipv4Addr::new(255, 255, 255, 255))
        );
        assert_eq!(inet_aton("4294967296"), None);
        assert_eq!(inet_aton("1.2.3.4.5"), None);
        assert_eq!(inet_aton("1.2.3.256"), None);
        assert_eq!(inet_aton("08.1.1.1"), None);
        assert_eq!(inet_aton("1..2"), None);
        assert_eq!(inet_aton("1.2.3."), None);
        assert_eq!(inet_aton(""), None);
        assert_eq!(inet_aton("0x"), None);
    }

    /// The host's glibc, to hold our readers to (the reference runs on the
    /// same glibc in the test VM).
    mod glibc {
        use std::ffi::CString;
        use std::net::{Ipv4Addr, Ipv6Addr};

        extern "C" {
            fn inet_aton(cp: *const libc::c_char, inp: *mut libc::in_addr) -> libc::c_int;
            fn inet_pton(
                af: libc::c_int,
                src: *const libc::c_char,
                dst: *mut libc::c_void,
            ) -> libc::c_int;
        }

        pub fn aton(s: &str) -> Option<Ipv4Addr> {
            let c = CString::new(s).ok()?;
            let mut a = libc::in_addr { s_addr: 0 };
            // SAFETY: a valid C string and a valid out pointer.
            let r = unsafe { inet_aton(c.as_ptr(), &mut a) };
            (r != 0).then(|| Ipv4Addr::from(u32::from_be(a.s_addr)))
        }

        pub fn pton4(s: &str) -> Option<Ipv4Addr> {
            let c = CString::new(s).ok()?;
            let mut a = [0u8; 4];
            // SAFETY: a valid C string and a 4-byte out buffer.
            let r = unsafe { inet_pton(libc::AF_INET, c.as_ptr(), a.as_mut_ptr().cast()) };
            (r > 0).then(|| Ipv4Addr::from(a))
        }

        pub fn pton6(s: &str) -> Option<Ipv6Addr> {
            let c = CString::new(s).ok()?;
            let mut a = [0u8; 16];
            // SAFETY: a valid C string and a 16-byte out buffer.
            let r = unsafe { inet_pton(libc::AF_INET6, c.as_ptr(), a.as_mut_ptr().cast()) };
            (r > 0).then(|| Ipv6Addr::from(a))
        }
    }

    /// Texts that people type, and texts that find the corners.
    fn samples() -> Vec<String> {
        let mut v: Vec<String> = [
            "",
            " ",
            "0",
            "00",
            "08",
            "0x",
            "0X",
            "0x.1",
            "0xg",
            "0x7f.1",
            "0x7F.0x1",
            "010.0.0.1",
            "1",
            "1.",
            "1..2",
            "1.2",
            "1.2.3",
            "1.2.3.4",
            "1.2.3.4.",
            "1.2.3.4.5",
            "1.2.3.256",
            "1.2.65535",
            "1.2.65536",
            "1.16777215",
            "1.16777216",
            "255.255.255.255",
            "256.1.1.1",
            "4294967295",
            "4294967296",
            "99999999999999999999",
            "1.2.3.4 junk",
            "1.2.3.4\tjunk",
            "1.2.3.4\n",
            " 1.2.3.4",
            "+1.2.3.4",
            "1.+2.3.4",
            "-1",
            "1.2.3.-4",
            "1.2.3.4x",
            "01.2.3.4",
            "1.02.3.4",
            "0.0.0.0",
            "224.0.0.1",
            "0224.0.0.1",
            "224.1",
            "1e3",
            "\u{e9}",
            "1.2.3.4\u{e9}",
            "0xffffffff",
            "0x100000000",
            "037777777777",
            "040000000000",
            "1.0x",
            "1.0x.2",
            "::",
            ":::",
            "::1",
            ":1",
            "1:",
            "1::",
            "1::2",
            "1::2::3",
            "::1:80",
            "fd00::1",
            "FD00::1",
            "fD00:0:0:0:0:0:0:1",
            "1:2:3:4:5:6:7:8",
            "1:2:3:4:5:6:7:8:9",
            "1:2:3:4:5:6:7::",
            "::2:3:4:5:6:7:8",
            "1::3:4:5:6:7:8",
            "1:2:3:4:5:6:7:8::",
            "12345::1",
            "01234::1",
            "0000::1",
            "00000::1",
            "::ffff:1.2.3.4",
            "::1.2.3.4",
            "1.2.3.4::",
            "::1.2.3",
            "::1.2.3.4.5",
            "::01.2.3.4",
            "::256.1.1.1",
            "1:2:3:4:5:6:1.2.3.4",
            "1:2:3:4:5:6:7:1.2.3.4",
            "1:2:3:4:5::1.2.3.4",
            "::ffff:1.2.3.4:5",
            "[::1]",
            "::1%lo",
            "::1 ",
            " ::1",
            "ff02::1",
            "fe80::",
            "g::1",
            "::g",
            "1:::2",
            ":1:2:3:4:5:6:7",
            "1:2:3:4:5:6:7:",
            "::0:0:0:0:0:0:0",
            "::0:0:0:0:0:0:0:0",
            "1.2.3.4:80",
            "::.1.2.3",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        // Every short text over a small alphabet.
        let alphabet = ['0', '1', 'f', '.', ':', 'x'];
        let mut layer = vec![String::new()];
        for _ in 0..5 {
            let mut next = Vec::new();
            for p in &layer {
                for c in alphabet {
                    next.push(format!("{p}{c}"));
                }
            }
            v.extend(next.iter().cloned());
            layer = next;
        }
        v
    }

    #[test]
    fn aton_matches_glibc() {
        for s in samples() {
            assert_eq!(inet_aton(&s), glibc::aton(&s), "inet_aton({s:?})");
        }
    }

    #[test]
    fn strtol_matches_glibc() {
        let mut words: Vec<String> = [
            "",
            "0",
            "-0",
            "+7",
            " \t42x",
            "-",
            "9223372036854775807",
            "9223372036854775808",
            "-9223372036854775808",
            "-9223372036854775809",
            "99999999999999999999999",
            "-99999999999999999999999",
            "18446744073709551616",
            "65535",
            "65536",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        words.extend(samples());
        for s in words {
            let c = std::ffi::CString::new(s.clone()).unwrap();
            let mut end: *mut libc::c_char = std::ptr::null_mut();
            // SAFETY: a NUL-terminated string and a place for the end
            // pointer, both live for the call; errno is this thread's.
            let (v, used, erange) = unsafe {
                *libc::__errno_location() = 0;
                let v = libc::strtol(c.as_ptr(), &mut end, 10);
                let used = end.offset_from(c.as_ptr()) as usize;
                (v, used, *libc::__errno_location() == libc::ERANGE)
            };
            assert_eq!(strtol10(&s), (v, used, erange), "strtol({s:?})");
        }
    }

    #[test]
    fn pton_matches_glibc() {
        for s in samples() {
            assert_eq!(inet_pton4(&s), glibc::pton4(&s), "inet_pton4({s:?})");
            assert_eq!(inet_pton6(&s), glibc::pton6(&s), "inet_pton6({s:?})");
        }
    }
}
