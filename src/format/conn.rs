//! `ipvsadm -c`: the connection table the kernel shows in
//! /proc/net/ip_vs_conn, re-printed as ipvsadm's `list_conn` and
//! `print_conn` do (hex or IPv6 addresses and ports read back, names looked
//! up unless `-n`, expiry as mm:ss, persistence-engine columns on request).
//! The kernel's usual IPv4 entry under `-n` has a fast path
//! (`push_kernel_line`, read by its columns and written by
//! `line::conn`), held to the general path by a property test.

use std::fmt::Write as _;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::line;
use super::Format;
use super::Names;
use crate::ipvs::Protocol;

pub const CONN_PROC_FILE: &str = "/proc/net/ip_vs_conn";

/// The two lines `list_conn` prints before the entries.
pub fn conn_title(f: &Format) -> String {
    let mut s = String::from("IPVS connection entries\n");
    if f.persistent_conn {
        let _ = writeln!(
            s,
            "pro expire {:<11} {:<18} {:<18} {:<18} {:<16} pe_data",
            "state", "source", "virtual", "destination", "pe name"
        );
    } else {
        let _ = writeln!(
            s,
            "pro expire {:<11} {:<18} {:<18} destination",
            "state", "source", "virtual"
        );
    }
    s
}

/// `strtoul(s, NULL, 16)`: leading hex digits, 0 when none.
fn hex_prefix(s: &str) -> u64 {
    let mut v: u64 = 0;
    for c in s.chars() {
        match c.to_digit(16) {
            Some(d) => v = v.wrapping_mul(16).wrapping_add(d as u64),
            None => break,
        }
    }
    v
}

/// sscanf's `%hX`: hex digits into an unsigned short.
fn scan_hex_u16(s: &str) -> Option<u16> {
    let t = s
        .strip_prefix("0x")
        .or_else(|| s.strip_prefix("0X"))
        .unwrap_or(s);
    if !t.chars().next()?.is_ascii_hexdigit() {
        return None;
    }
    Some(hex_prefix(t) as u16)
}

/// sscanf's `%d`: an optionally signed decimal prefix.
fn scan_int(s: &str) -> Option<i32> {
    let (v, n, _) = crate::cstd::strtol10(s);
    (n > 0).then_some(v as i32)
}

/// How `print_conn` reads an address column: IPv6 text, dotted IPv4, or
/// the hex word of the kernel's IPv4 format.
fn read_addr(s: &str) -> IpAddr {
    if let Ok(a) = s.parse::<Ipv6Addr>() {
        IpAddr::V6(a)
    } else if let Ok(a) = s.parse::<Ipv4Addr>() {
        IpAddr::V4(a)
    } else {
        IpAddr::V4(Ipv4Addr::from(hex_prefix(s) as u32))
    }
}

/// One entry of the proc file, read as `print_conn`'s sscanf reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnEntry {
    pub protocol: String,
    pub caddr: IpAddr,
    pub cport: u16,
    pub vaddr: IpAddr,
    pub vport: u16,
    pub daddr: IpAddr,
    pub dport: u16,
    pub state: String,
    pub expires: u32,
    pub pe_name: String,
    pub pe_data: String,
    /// How many of sscanf's 11 fields converted.
    pub fields: usize,
}

/// Read one line of the proc file; `None` where ipvsadm would stop (a
/// line with no field at all).
pub fn scan_conn(line: &str) -> Option<ConnEntry> {
    let w: Vec<&str> = line.split_ascii_whitespace().collect();
    if w.is_empty() {
        return None;
    }
    // sscanf stops at the first field that does not convert; later
    // fields keep their zeroed defaults.
    let mut n = 1;
    let protocol = w[0];
    let mut fields: [&str; 10] = [""; 10];
    for (i, v) in w.iter().skip(1).take(10).enumerate() {
        fields[i] = v;
    }
    let caddr_s = fields[0];
    let (mut cport, mut vport, mut dport, mut expires) = (0u16, 0u16, 0u16, 0i32);
    let (mut state, mut pe_name, mut pe_data) = ("", "", "");
    'scan: {
        if caddr_s.is_empty() {
            break 'scan;
        }
        n += 1;
        match scan_hex_u16(fields[1]) {
            Some(v) => cport = v,
            None => break 'scan,
        }
        n += 1;
        if fields[2].is_empty() {
            break 'scan;
        }
        n += 1;
        match scan_hex_u16(fields[3]) {
            Some(v) => vport = v,
            None => break 'scan,
        }
        n += 1;
        if fields[4].is_empty() {
            break 'scan;
        }
        n += 1;
        match scan_hex_u16(fields[5]) {
            Some(v) => dport = v,
            None => break 'scan,
        }
        n += 1;
        if fields[6].is_empty() {
            break 'scan;
        }
        state = fields[6];
        n += 1;
        match scan_int(fields[7]) {
            Some(v) => expires = v,
            None => break 'scan,
        }
        n += 1;
        if fields[8].is_empty() {
            break 'scan;
        }
        pe_name = fields[8];
        n += 1;
        if fields[9].is_empty() {
            break 'scan;
        }
        pe_data = fields[9];
        n += 1;
    }
    // The client's family decides how the virtual address is read.
    let caddr = read_addr(caddr_s);
    let vaddr = match caddr {
        IpAddr::V6(_) => fields[2]
            .parse::<Ipv6Addr>()
            .map(IpAddr::V6)
            .unwrap_or(IpAddr::V6(Ipv6Addr::UNSPECIFIED)),
        IpAddr::V4(_) => read_addr(fields[2]),
    };
    Some(ConnEntry {
        protocol: protocol.to_string(),
        caddr,
        cport,
        vaddr,
        vport,
        daddr: read_addr(fields[4]),
        dport,
        state: state.to_string(),
        expires: expires as u32,
        pe_name: pe_name.to_string(),
        pe_data: pe_data.to_string(),
        fields: n,
    })
}

/// One line of the proc file as `print_conn` prints it; `None` where
/// ipvsadm would stop.
pub fn conn_line(line: &str, f: &Format, names: &Names) -> Option<String> {
    let c = scan_conn(line)?;
    let proto = match c.protocol.as_str() {
        "TCP" => Protocol::Tcp,
        "UDP" => Protocol::Udp,
        "SCTP" => Protocol::Sctp,
        _ => Protocol::Other(0),
    };
    let numeric = f.numeric;
    let cname = names.addrport(&c.caddr, c.cport, proto, numeric);
    let vname = names.addrport(&c.vaddr, c.vport, proto, numeric);
    let dname = names.addrport(&c.daddr, c.dport, proto, numeric);
    let expires = c.expires;
    let expire = format!("{:02}:{:02}", (expires / 60) as i32, (expires % 60) as i32);
    let (protocol, state) = (&c.protocol, &c.state);
    Some(if f.persistent_conn && c.fields == 11 {
        let (pe_name, pe_data) = (&c.pe_name, &c.pe_data);
        format!(
            "{protocol:<3} {expire:<6} {state:<11} {cname:<18} {vname:<18} {dname:<16} {pe_name:<18} {pe_data}\n"
        )
    } else {
        format!("{protocol:<3} {expire:<6} {state:<11} {cname:<18} {vname:<18} {dname}\n")
    })
}

/// `conn_line` appended to `out` without its allocations, for what the
/// kernel writes for nearly every entry of a busy node (an IPv4
/// connection without persistence data) under `-n`; false, and nothing
/// written, for any other line, which `conn_line` then prints.
pub fn push_kernel_line(line: &[u8], f: &Format, out: &mut Vec<u8>) -> bool {
    if !f.numeric {
        return false;
    }
    match kernel_v4(line) {
        Some(e) => line::conn(out, e.protocol, e.expires, e.state, &e.ends),
        None => false,
    }
}

/// An entry as `kernel_v4` reads it.
struct KernelV4<'a> {
    protocol: &'a [u8],
    state: &'a [u8],
    expires: u32,
    /// Client, virtual service and real server.
    ends: [(Ipv4Addr, u16); 3],
}

/// Each byte's value as a hex digit; `NOT_HEX` for any other byte.
const HEX: [u8; 256] = {
    let mut t = [NOT_HEX; 256];
    let mut i = 0;
    while i < 10 {
        t[b'0' as usize + i] = i as u8;
        i += 1;
    }
    let mut i = 0;
    while i < 6 {
        t[b'a' as usize + i] = 10 + i as u8;
        t[b'A' as usize + i] = 10 + i as u8;
        i += 1;
    }
    t
};
const NOT_HEX: u8 = 0xff;

/// `w` read as hex digits, all of them; None for an empty word or any
/// other byte.
fn hex(w: &[u8]) -> Option<u32> {
    if w.is_empty() {
        return None;
    }
    let mut v = 0u32;
    for &c in w {
        let d = HEX[c as usize];
        if d == NOT_HEX {
            return None;
        }
        v = v << 4 | d as u32;
    }
    Some(v)
}

/// The next word of `b` from `*at` on, as `split_ascii_whitespace` cuts
/// them; empty at the end.
fn word<'a>(b: &'a [u8], at: &mut usize) -> &'a [u8] {
    while *at < b.len() && b[*at].is_ascii_whitespace() {
        *at += 1;
    }
    let start = *at;
    while *at < b.len() && !b[*at].is_ascii_whitespace() {
        *at += 1;
    }
    &b[start..*at]
}

/// The columns of the three addresses and ports of the kernel's IPv4
/// entry ("%08X %04X %08X %04X %08X %04X "), from the client's address
/// on: where each starts, and how long it is.
const ENDS: [(usize, usize); 6] = [(0, 8), (9, 4), (14, 8), (23, 4), (28, 8), (37, 4)];
/// How long those columns are together, with the blank after each.
const ENDS_LEN: usize = 42;

/// The entry `ip_vs_conn_seq_show` writes for an IPv4 connection without
/// persistence data ("%-3s %08X %04X %08X %04X %08X %04X %-11s %7u"),
/// read where the line is laid out exactly so: the protocol's word padded
/// to 3 bytes and a blank, the addresses and ports in their columns, each
/// followed by one blank, then the state and the seconds left (1 to 9
/// digits: under 2^31, as `%d` reads them) and nothing more. Such a line
/// has these nine words and no other, so `scan_conn` reads the same
/// values from it; any other line is left to it.
fn kernel_v4(line: &[u8]) -> Option<KernelV4<'_>> {
    let q = line.iter().position(|&b| b == b' ')?;
    let protocol = &line[..q];
    if protocol.is_empty() || protocol.iter().any(u8::is_ascii_whitespace) {
        return None;
    }
    let p = q.max(3) + 1;
    let cols = line.get(p..p + ENDS_LEN)?;
    if line[q..p].iter().any(|&b| b != b' ') {
        return None;
    }
    let mut v = [0u32; 6];
    for (x, &(at, len)) in v.iter_mut().zip(&ENDS) {
        if cols[at + len] != b' ' {
            return None;
        }
        *x = hex(&cols[at..at + len])?;
    }
    let mut at = p + ENDS_LEN;
    let state = word(line, &mut at);
    let seconds = word(line, &mut at);
    if state.is_empty()
        || seconds.is_empty()
        || seconds.len() > 9
        || !seconds.iter().all(u8::is_ascii_digit)
        || !word(line, &mut at).is_empty()
    {
        return None;
    }
    let expires = seconds.iter().fold(0u32, |v, b| v * 10 + (b - b'0') as u32);
    let end = |i: usize| (Ipv4Addr::from(v[i]), v[i + 1] as u16);
    Some(KernelV4 {
        protocol,
        state,
        expires,
        ends: [end(0), end(2), end(4)],
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resolve::Table;

    #[test]
    fn kernel_ipv4_line() {
        let t = Table::default();
        let names = Names::new(&t);
        let f = Format {
            numeric: true,
            ..Default::default()
        };
        let line = "TCP 0A000001 D431 0A600001 01BB 0AF40105 192B ESTABLISHED     899\n";
        assert_eq!(
            conn_line(line, &f, &names).unwrap(),
            "TCP 14:59  ESTABLISHED 10.0.0.1:54321     10.96.0.1:443      10.244.1.5:6443\n"
        );
    }

    /// A line as the kernel writes it for an IPv4 entry.
    fn kernel_shaped(r: &mut crate::test_util::Rng) -> String {
        let proto = r.pick(&["TCP", "UDP", "SCTP", "IP"]);
        let state = r.pick(&["ESTABLISHED", "SYN_RECV", "FIN_WAIT", "NONE", "CLOSE_WAIT"]);
        let addr = |r: &mut crate::test_util::Rng| match r.below(4) {
            0 => r.pick(&[0u32, u32::MAX, 0x0a00_0001, 0x7f00_0001]),
            _ => r.next() as u32,
        };
        let port = |r: &mut crate::test_util::Rng| match r.below(3) {
            0 => r.pick(&[0u16, 1, 80, 443, 9999, 65535]),
            _ => r.next() as u16,
        };
        let expires = match r.below(3) {
            0 => r.pick(&[0u32, 9, 59, 60, 599, 600, 5999, 86_400, 999_999_999]),
            _ => r.below(1_000_000) as u32,
        };
        format!(
            "{proto:<3} {:08X} {:04X} {:08X} {:04X} {:08X} {:04X} {state:<11} {expires:7}\n",
            addr(r),
            port(r),
            addr(r),
            port(r),
            addr(r),
            port(r)
        )
    }

    /// A kernel-shaped line, changed in one place or not.
    fn maybe_mangled(r: &mut crate::test_util::Rng) -> Vec<u8> {
        let mut b = kernel_shaped(r).into_bytes();
        match r.below(8) {
            0 => {
                let at = r.below(b.len());
                b[at] = r.pick(&[b'x', b' ', b'\t', b'0', b'F', b'.', b':', 0xff, b'-', b'+']);
            }
            1 => b.truncate(r.below(b.len())),
            2 => b.extend_from_slice(b" sip 0A000001"),
            3 => {
                let at = r.below(b.len());
                b.insert(at, r.pick(&[b'1', b'a', b' ', b'x', 0xc3]));
            }
            _ => {}
        }
        b
    }

    #[test]
    fn the_kernel_lines_fast_path_prints_what_the_general_one_does() {
        let t = Table::default();
        let names = Names::new(&t);
        let mut r = crate::test_util::Rng(0x2545_f491_4f6c_dd1d);
        let mut taken = 0;
        for i in 0..40_000 {
            let f = Format {
                numeric: true,
                persistent_conn: i % 2 == 0,
                ..Default::default()
            };
            let line = maybe_mangled(&mut r);
            let mut fast = b"before ".to_vec();
            if push_kernel_line(&line, &f, &mut fast) {
                taken += 1;
                let general = conn_line(&crate::raw::to_text(&line), &f, &names);
                assert_eq!(
                    Some(&fast[b"before ".len()..]),
                    general.as_deref().map(str::as_bytes),
                    "{:?}",
                    String::from_utf8_lossy(&line)
                );
            } else {
                assert_eq!(fast, b"before ");
            }
        }
        // Every untouched line, at least, took the fast path.
        assert!(taken > 40_000 / 2, "{taken}");
        let line = kernel_shaped(&mut r);
        let mut out = Vec::new();
        let names_f = Format::default();
        assert!(!push_kernel_line(line.as_bytes(), &names_f, &mut out));
        assert!(out.is_empty());
    }
}
