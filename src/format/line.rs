//! The listing's hottest lines written without the formatting machinery
//! or a string's growth checks: a line of ASCII built in a fixed buffer on
//! the stack and appended once. Only numeric IPv4 real servers and
//! services take it, and `-c`'s numeric IPv4 connections (their lines
//! have a known greatest length); every other line is
//! `format::service_entry`'s general path (`format::conn::conn_line`'s
//! for a connection), which these functions must match byte for byte
//! (tested against it below, and in `format::conn`).

use std::net::{IpAddr, Ipv4Addr};

use crate::ipvs::model::svc_flags;
use crate::ipvs::{Dest, Forward, Protocol, Service, ServiceId};

use super::{fwd_name, fwd_switch, Format};

/// Room for the longest line written here: a `-S` real server line whose
/// service name `line_fits` has checked (at most 80 bytes), 4 more
/// words and 3 numbers of at most 11 bytes each.
const ROOM: usize = 192;

/// The longest service name (`svc_name` of `-S`) a real server's save
/// line is built from here.
pub(super) const NAME_ROOM: usize = 80;

/// "00" to "99", two bytes each.
const PAIRS: [u8; 200] = {
    let mut t = [0u8; 200];
    let mut i = 0;
    while i < 100 {
        t[2 * i] = b'0' + (i / 10) as u8;
        t[2 * i + 1] = b'0' + (i % 10) as u8;
        i += 1;
    }
    t
};

/// "0" to "255", each as its digits followed by spaces up to four bytes,
/// and how many digits.
const OCTETS: [([u8; 4], u8); 256] = {
    let mut t = [([b' '; 4], 0u8); 256];
    let mut i = 0;
    while i < 256 {
        let (d, n) = (&mut t[i].0, &mut t[i].1);
        if i >= 100 {
            *d = [
                b'0' + (i / 100) as u8,
                b'0' + (i / 10 % 10) as u8,
                b'0' + (i % 10) as u8,
                b' ',
            ];
            *n = 3;
        } else if i >= 10 {
            *d = [b'0' + (i / 10) as u8, b'0' + (i % 10) as u8, b' ', b' '];
            *n = 2;
        } else {
            *d = [b'0' + i as u8, b' ', b' ', b' '];
            *n = 1;
        }
        i += 1;
    }
    t
};

/// A line of ASCII being built.
pub(super) struct Line {
    buf: [u8; ROOM],
    len: usize,
}

impl Line {
    /// An empty line. Its buffer is all spaces, and only ever written at
    /// `len` and on, so what lies past `len` is spaces: a pad just moves
    /// `len` on.
    pub(super) fn new() -> Line {
        Line {
            buf: [b' '; ROOM],
            len: 0,
        }
    }

    /// Empty the line again for the next one (see `new`).
    fn clear(&mut self) {
        self.buf = [b' '; ROOM];
        self.len = 0;
    }

    fn byte(&mut self, b: u8) {
        self.buf[self.len] = b;
        self.len += 1;
    }

    pub(super) fn text(&mut self, s: &str) {
        self.ascii(s.as_bytes());
    }

    fn ascii(&mut self, s: &[u8]) {
        self.buf[self.len..self.len + s.len()].copy_from_slice(s);
        self.len += s.len();
    }

    /// `%u`: the digits two at a time from a table, written from the
    /// end once their count is known.
    fn decimal(&mut self, mut n: u32) {
        // One digit: most weights and connection counts.
        if n < 10 {
            self.byte(b'0' + n as u8);
            return;
        }
        let digits = match n {
            0..=9 => 1,
            10..=99 => 2,
            100..=999 => 3,
            1_000..=9_999 => 4,
            10_000..=99_999 => 5,
            _ => {
                let mut d = 6;
                let mut m = n / 1_000_000;
                while m > 0 {
                    m /= 10;
                    d += 1;
                }
                d
            }
        };
        let end = self.len + digits;
        let mut i = end;
        while n >= 100 {
            i -= 2;
            self.pair(i, (n % 100) as usize);
            n /= 100;
        }
        if n >= 10 {
            i -= 2;
            self.pair(i, n as usize);
        } else {
            i -= 1;
            self.buf[i] = b'0' + n as u8;
        }
        debug_assert_eq!(i, self.len);
        self.len = end;
    }

    /// `%d`.
    fn signed(&mut self, n: i32) {
        if n < 0 {
            self.byte(b'-');
        }
        self.decimal(n.unsigned_abs());
    }

    /// Spaces up to `width` bytes since `start` (C's `%-Ns`): already
    /// there (see `new`).
    fn pad(&mut self, start: usize, width: usize) {
        self.len = self.len.max(start + width);
    }

    /// " %-Nu" of a number.
    fn column(&mut self, n: u32, width: usize) {
        self.byte(b' ');
        let at = self.len;
        self.decimal(n);
        self.pad(at, width);
    }

    /// `inet_ntop` of an IPv4 address, then ":" and the port.
    fn addrport(&mut self, a: &Ipv4Addr, port: u16) {
        let [a, b, c, d] = a.octets();
        self.octet(a);
        self.byte(b'.');
        self.octet(b);
        self.byte(b'.');
        self.octet(c);
        self.byte(b'.');
        self.octet(d);
        self.byte(b':');
        self.decimal(port as u32);
    }

    /// The line so far.
    fn bytes(&self) -> &[u8] {
        &self.buf[..self.len]
    }

    /// Append the line to the general path's text.
    pub(super) fn finish(&self, out: &mut String) {
        match std::str::from_utf8(self.bytes()) {
            Ok(s) => out.push_str(s),
            Err(_) => unreachable!("a line is built of ASCII"),
        }
    }

    /// `%u` of a byte (an IPv4 address's octet): its digits from a table,
    /// four bytes copied at once (the digits, then spaces, which the
    /// buffer holds past `len` anyway: see `new`).
    fn octet(&mut self, o: u8) {
        let (digits, n) = OCTETS[o as usize];
        self.buf[self.len..self.len + 4].copy_from_slice(&digits);
        self.len += n as usize;
    }

    /// The two digits of `n` (under 100) at `at`.
    fn pair(&mut self, at: usize, n: usize) {
        self.buf[at..at + 2].copy_from_slice(&PAIRS[2 * n..2 * n + 2]);
    }
}

/// A line built by `build` into `out`, when `build` says it wrote one.
fn line_out(out: &mut String, build: impl FnOnce(&mut Line) -> bool) -> bool {
    let mut l = Line::new();
    let written = build(&mut l);
    if written {
        l.finish(out);
    }
    written
}

/// `svc_name` of a numeric IPv4 service that has an address ("-t
/// 10.96.0.1:80" for `-S`, "TCP  10.96.0.1:80" for the listings: at most
/// 26 bytes, so never cut); false, and nothing written, otherwise.
pub(super) fn service_name(out: &mut String, id: &ServiceId, f: &Format) -> bool {
    line_out(out, |l| name_into(l, id, f))
}

/// `service_name`'s text appended to `l`.
fn name_into(l: &mut Line, id: &ServiceId, f: &Format) -> bool {
    let ServiceId::Addr {
        protocol,
        addr: IpAddr::V4(a),
        port,
    } = *id
    else {
        return false;
    };
    if !f.numeric {
        return false;
    }
    match (f.rule, protocol) {
        (true, Protocol::Tcp) => l.text("-t "),
        (true, Protocol::Udp) => l.text("-u "),
        (false, Protocol::Tcp) => l.text("TCP  "),
        (false, Protocol::Udp) => l.text("UDP  "),
        // SCTP and others: the general path.
        _ => return false,
    }
    l.addrport(&a, port);
    true
}

/// A real server's line of `-Ln`, `-Ln --thresholds` or `-Ln
/// --persistent-conn` (`print_service_entry`'s formats), when it is IPv4
/// and printed numerically; false, and nothing written, otherwise.
pub(super) fn dest(out: &mut String, d: &Dest, f: &Format) -> bool {
    line_out(out, |l| dest_into(l, d, f))
}

/// `dest`'s line appended to `l`.
fn dest_into(l: &mut Line, d: &Dest, f: &Format) -> bool {
    let IpAddr::V4(a) = d.addr else {
        return false;
    };
    if !f.numeric || f.stats || f.rate || f.tun_info || f.rule {
        return false;
    }
    let c = &d.config;
    // "  -> %-28s": at most 21 bytes, so never cut.
    l.text("  -> ");
    let at = l.len;
    l.addrport(&a, d.port);
    l.pad(at, 28);
    if f.thresholds {
        // " %-10u %-10u %-10u %-10u\n"
        l.column(c.u_threshold, 10);
        l.column(c.l_threshold, 10);
        l.column(d.conns.active, 10);
        l.column(d.conns.inactive, 10);
    } else if f.persistent_conn {
        // " %-9u %-11u %-10u %-10u\n"
        l.column(c.weight, 9);
        l.column(d.conns.persistent, 11);
        l.column(d.conns.active, 10);
        l.column(d.conns.inactive, 10);
    } else {
        // " %-7s %-6d %-10u %-10u\n"
        l.byte(b' ');
        let at = l.len;
        l.text(fwd_name(c.forward));
        l.pad(at, 7);
        l.byte(b' ');
        let at = l.len;
        l.signed(c.weight as i32);
        l.pad(at, 6);
        l.column(d.conns.active, 10);
        l.column(d.conns.inactive, 10);
    }
    l.byte(b'\n');
    true
}

/// A real server's `-S -n` line ("-a %s -r %s %s -w %d\n") when it is
/// IPv4, does not tunnel (a tunnel adds its type) and the service's name
/// is short enough; false, and nothing written, otherwise.
pub(super) fn save_dest(out: &mut String, svc_name: &[u8], d: &Dest, f: &Format, sw: &str) -> bool {
    line_out(out, |l| save_dest_into(l, svc_name, d, f, sw))
}

/// `save_dest`'s line appended to `l`.
fn save_dest_into(l: &mut Line, svc_name: &[u8], d: &Dest, f: &Format, sw: &str) -> bool {
    let IpAddr::V4(a) = d.addr else {
        return false;
    };
    if !f.numeric || d.config.forward == Forward::Tunnel || svc_name.len() > NAME_ROOM {
        return false;
    }
    l.text("-a ");
    l.ascii(svc_name);
    l.text(" -r ");
    l.addrport(&a, d.port);
    l.byte(b' ');
    l.text(sw);
    l.text(" -w ");
    l.signed(d.config.weight as i32);
    l.byte(b'\n');
    true
}

/// A whole service entry of `-Ln`, `-Ln --thresholds`, `-Ln
/// --persistent-conn` or `-Sn` (`print_service_entry`) into `out`, when
/// the service line is only its numeric IPv4 name and an ASCII scheduler
/// (no flags, persistence or persistence engine: the bulk of a kube-proxy
/// table) and every real server's line is one of this file's; false, and
/// `out` as it was, otherwise. The listing gathers these bytes without a
/// check that they are UTF-8 (`Line::finish` checks each line of the
/// general path's text). One line
/// buffer serves every real server: it is cleared, not made anew.
pub(super) fn block(out: &mut Vec<u8>, svc: &Service, dests: &[Dest], f: &Format) -> bool {
    let cfg = &svc.config;
    let sched = cfg.scheduler.as_bytes();
    let plain = cfg.flags & (svc_flags::PERSISTENT | svc_flags::ONEPACKET | svc_flags::SCHED_ANY)
        == 0
        && cfg.pe_name.is_empty()
        && sched.is_ascii();
    if !plain || f.stats || f.rate {
        return false;
    }
    let mut name = Line::new();
    if !name_into(&mut name, &svc.id, f) {
        return false;
    }
    let start = out.len();
    if f.rule {
        // "-A %s -s %s\n"
        out.extend_from_slice(b"-A ");
        out.extend_from_slice(name.bytes());
        out.extend_from_slice(b" -s ");
        out.extend_from_slice(sched);
        out.push(b'\n');
    } else {
        // "%s %s\n", in the name's buffer: only `-S` needs the name again.
        name.byte(b' ');
        name.ascii(sched);
        name.byte(b'\n');
        out.extend_from_slice(name.bytes());
    }
    let mut l = Line::new();
    for d in dests {
        l.clear();
        let written = if f.rule {
            save_dest_into(&mut l, name.bytes(), d, f, fwd_switch(d.config.forward))
        } else {
            dest_into(&mut l, d, f)
        };
        if !written {
            out.truncate(start);
            return false;
        }
        out.extend_from_slice(l.bytes());
    }
    true
}

/// The longest protocol and state words `conn` takes: the kernel's are
/// at most 4 and 11 bytes.
const CONN_WORD: usize = 16;

/// `print_conn`'s line of a numeric IPv4 connection without
/// persistence-engine columns ("%-3s %-6s %-11s %-18s %-18s %s"): the
/// protocol, the expiry in seconds (printed "%02d:%02d"), the state, and
/// client, virtual and real server as address and port; false, and
/// nothing written, for a word longer than `CONN_WORD` or not ASCII.
pub(super) fn conn(
    out: &mut Vec<u8>,
    protocol: &[u8],
    expires: u32,
    state: &[u8],
    ends: &[(Ipv4Addr, u16); 3],
) -> bool {
    let fits = |w: &[u8]| w.len() <= CONN_WORD && w.is_ascii();
    if !fits(protocol) || !fits(state) {
        return false;
    }
    let mut l = Line::new();
    let at = l.len;
    l.ascii(protocol);
    l.pad(at, 3);
    l.byte(b' ');
    let at = l.len;
    // "%02d:%02d" of the minutes and the seconds (the caller keeps
    // the minutes under 2^31, so never negative).
    let minutes = expires / 60;
    if minutes < 10 {
        l.byte(b'0');
    }
    l.decimal(minutes);
    l.byte(b':');
    l.pair(l.len, (expires % 60) as usize);
    l.len += 2;
    l.pad(at, 6);
    l.byte(b' ');
    let at = l.len;
    l.ascii(state);
    l.pad(at, 11);
    for (i, (a, port)) in ends.iter().enumerate() {
        l.byte(b' ');
        let at = l.len;
        l.addrport(a, *port);
        if i < 2 {
            l.pad(at, 18);
        }
    }
    l.byte(b'\n');
    out.extend_from_slice(l.bytes());
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ipvs::{ConnCounts, DestConfig, Stats};
    use crate::test_util::Rng;

    fn dest(r: &mut Rng) -> Dest {
        let n = [
            0u32,
            1,
            9,
            10,
            99,
            100,
            65_535,
            999_999_999,
            i32::MAX as u32,
            u32::MAX,
        ];
        Dest {
            addr: IpAddr::V4(
                [
                    r.pick(&[0, 9, 10, 99, 100, 255]),
                    r.below(256) as u8,
                    0,
                    255,
                ]
                .into(),
            ),
            port: r.pick(&[0, 9, 80, 8080, 65_535]),
            config: DestConfig {
                forward: r.pick(&[
                    Forward::Masq,
                    Forward::Local,
                    Forward::Route,
                    Forward::Bypass,
                ]),
                weight: r.pick(&n),
                u_threshold: r.pick(&n),
                l_threshold: r.pick(&n),
                ..DestConfig::default()
            },
            conns: ConnCounts {
                active: r.pick(&n),
                inactive: r.pick(&n),
                persistent: r.pick(&n),
            },
            stats: Stats::default(),
        }
    }

    /// A TCP, UDP or SCTP service on a random real server's address.
    fn service_id(r: &mut Rng) -> ServiceId {
        let d = dest(r);
        ServiceId::Addr {
            protocol: r.pick(&[Protocol::Tcp, Protocol::Udp, Protocol::Sctp]),
            addr: d.addr,
            port: d.port,
        }
    }

    /// The general path's line for this real server, and this file's.
    fn both(d: &Dest, f: &Format) -> (String, String) {
        let mut general = String::new();
        let t = crate::resolve::Table::default();
        let names = super::super::Names::new(&t);
        let proto = crate::ipvs::Protocol::Tcp;
        super::super::dest_line(&mut general, d, f, &names, proto, "-t 10.96.0.1:80");
        let mut fast = String::new();
        let took = if f.rule {
            save_dest(
                &mut fast,
                b"-t 10.96.0.1:80",
                d,
                f,
                super::super::fwd_switch(d.config.forward),
            )
        } else {
            super::dest(&mut fast, d, f)
        };
        assert!(took, "{d:?}");
        (general, fast)
    }

    /// The formats this file writes lines of.
    fn fast_formats() -> [Format; 4] {
        let base = Format {
            numeric: true,
            ..Format::default()
        };
        [
            base,
            Format {
                thresholds: true,
                ..base
            },
            Format {
                persistent_conn: true,
                ..base
            },
            Format { rule: true, ..base },
        ]
    }

    #[test]
    fn every_octet_reads_as_inet_ntop_writes_it() {
        for o in 0..=255u8 {
            let mut l = Line::new();
            l.addrport(&Ipv4Addr::new(o, o, 0, o), 1);
            l.byte(b'|');
            let want = format!("{o}.{o}.0.{o}:1|");
            assert_eq!(l.bytes(), want.as_bytes());
            assert!(l.buf[l.len..].iter().all(|&b| b == b' '), "{o}");
        }
    }

    #[test]
    fn lines_match_the_general_path() {
        let mut r = Rng(0x5851_f42d_4c95_7f2d);
        let formats = fast_formats();
        for _ in 0..20_000 {
            let d = dest(&mut r);
            for f in &formats {
                let (general, fast) = both(&d, f);
                assert_eq!(fast, general, "{d:?}");
            }
        }
    }

    #[test]
    fn service_names_match_the_general_path() {
        let mut r = Rng(11);
        let t = crate::resolve::Table::default();
        let names = super::super::Names::new(&t);
        for _ in 0..5_000 {
            let id = service_id(&mut r);
            let svc = crate::ipvs::ServiceDef {
                id,
                config: Default::default(),
            }
            .with_stats(Stats::default());
            for rule in [false, true] {
                let f = Format {
                    numeric: true,
                    rule,
                    ..Format::default()
                };
                let mut fast = String::new();
                let took = service_name(&mut fast, &id, &f);
                let mut general = String::new();
                super::super::push_service_name_general(&mut general, &svc, &f, &names);
                if took {
                    assert_eq!(fast, general, "{id:?}");
                } else {
                    assert!(fast.is_empty());
                }
            }
        }
    }

    /// A whole entry through `block` is the general path's bytes, and a
    /// service it leaves alone leaves the bytes untouched: random
    /// services (flags, persistence, engines, schedulers that are not
    /// ASCII, SCTP, IPv6 real servers, tunnels) in every format.
    #[test]
    fn blocks_match_the_general_path() {
        use crate::ipvs::{ServiceConfig, ShortName};
        let mut r = Rng(23);
        let t = crate::resolve::Table::default();
        let names = super::super::Names::new(&t);
        let mut formats = fast_formats().to_vec();
        let base = formats[0];
        // And two this file leaves to the general path.
        formats.extend([
            Format {
                stats: true,
                ..base
            },
            Format {
                numeric: false,
                ..base
            },
        ]);
        let (mut took, mut left) = (0, 0);
        for _ in 0..20_000 {
            let id = service_id(&mut r);
            let flags = r.pick(&[0, 0, 0, svc_flags::HASHED, svc_flags::PERSISTENT, 0x0c]);
            let config = ServiceConfig {
                scheduler: ShortName::from_bytes(r.pick(&[&b"rr"[..], b"wlc", b"r\xffr", b""])),
                flags,
                timeout: 300,
                pe_name: ShortName::from_bytes(r.pick(&[&b""[..], &b""[..], b"sip"])),
                ..ServiceConfig::default()
            };
            let svc = crate::ipvs::ServiceDef { id, config }.with_stats(Stats::default());
            let mut dests: Vec<Dest> = (0..r.below(4)).map(|_| dest(&mut r)).collect();
            if r.below(8) == 0 {
                let mut v6 = dest(&mut r);
                v6.addr = "fd00::1".parse().unwrap();
                dests.push(v6);
            }
            if r.below(8) == 0 && !dests.is_empty() {
                dests[0].config.forward = Forward::Tunnel;
            }
            for f in &formats {
                let mut general = String::new();
                super::super::service_entry(&mut general, &svc, &dests, f, &names);
                let mut out = b"before\n".to_vec();
                if block(&mut out, &svc, &dests, f) {
                    took += 1;
                    assert_eq!(out[7..], *general.as_bytes(), "{svc:?} {dests:?}");
                } else {
                    left += 1;
                    assert_eq!(out, b"before\n");
                }
            }
        }
        // Both ways were tried many times.
        assert!(took > 10_000 && left > 10_000, "{took} {left}");
    }

    #[test]
    fn numbers_print_as_printf_does() {
        let mut r = Rng(7);
        let mut ns: Vec<u32> = (0..=1_100).collect();
        for p in 1..=9 {
            let t = 10u32.pow(p);
            ns.extend([t - 1, t, t + 1]);
        }
        ns.extend([u32::MAX, i32::MAX as u32, 1 << 31]);
        ns.extend((0..10_000).map(|_| r.next() as u32 >> r.below(32)));
        for n in ns {
            let mut l = Line::new();
            l.decimal(n);
            l.byte(b'|');
            l.signed(n as i32);
            let mut got = String::new();
            l.finish(&mut got);
            assert_eq!(got, format!("{n}|{}", n as i32));
        }
    }

    #[test]
    fn other_lines_are_left_to_the_general_path() {
        let mut d = dest(&mut Rng(1));
        let mut out = String::new();
        // Names, counters, tunnel details: not here.
        assert!(!super::dest(&mut out, &d, &Format::default()));
        for f in [
            Format {
                numeric: true,
                stats: true,
                ..Format::default()
            },
            Format {
                numeric: true,
                tun_info: true,
                ..Format::default()
            },
        ] {
            assert!(!super::dest(&mut out, &d, &f));
        }
        let save = Format {
            numeric: true,
            rule: true,
            ..Format::default()
        };
        assert!(!save_dest(
            &mut out,
            "x".repeat(NAME_ROOM + 1).as_bytes(),
            &d,
            &save,
            "-m"
        ));
        d.config.forward = Forward::Tunnel;
        assert!(!save_dest(&mut out, b"-t 10.0.0.1:80", &d, &save, "-i"));
        d.addr = "fd00::1".parse().unwrap();
        assert!(!super::dest(
            &mut out,
            &d,
            &Format {
                numeric: true,
                ..Format::default()
            }
        ));
        assert!(out.is_empty());
    }
}
