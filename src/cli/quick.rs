//! A short cut past the popt reader for the two line shapes that make up
//! nearly every line of a saved kube-proxy table, as `ipvsadm -Sn` writes
//! them:
//!
//! ```text
//! -A -t|-u ADDR:PORT -s SCHED [-p TIMEOUT]
//! -a -t|-u ADDR:PORT -r ADDR:PORT -m|-g|-i -w WEIGHT
//! ```
//!
//! A restore of tens of thousands of lines spends most of its own time
//! reading them; these shapes are read here in one pass. Only texts whose
//! meaning leaves no room for a quirk are taken (plain dotted quads, plain
//! decimal numbers without leading zeros or signs, a short ASCII scheduler
//! name); anything else answers `None` and goes through `parse`, which
//! stays the one definition of what a line means. A unit test checks on
//! generated lines that whatever is taken here, `parse` reads the same way.

use std::net::IpAddr;

use super::stream::words_of;
use super::{Command, DestArg, SvcArg};
use crate::cstd::plain_dotted_quad;
use crate::ipvs::model::svc_flags;
use crate::ipvs::{DestConfig, Forward, Protocol, ServiceConfig, ServiceId, ShortName};

/// `MAX_TIMEOUT` of ipvsadm's `-p`: 31 days.
const MAX_TIMEOUT: u32 = 86400 * 31;

/// The command of one restore line (`argv[0]` included), when it has one
/// of the shapes above; `None` leaves the line to `parse`.
pub fn parse_common(argv: &[String]) -> Option<Command> {
    let words = argv.get(1..)?;
    if !(5..=MAX_WORDS).contains(&words.len()) {
        return None;
    }
    let mut w = [""; MAX_WORDS];
    for (slot, word) in w.iter_mut().zip(words) {
        if word.is_empty() {
            return None;
        }
        *slot = word;
    }
    parse_words(w)
}

/// `parse_common` of a plain line (`ConfigStream::next_plain`: words one
/// space apart, no `ipvsadm` among them), read without an argument vector.
pub fn parse_plain(line: &str) -> Option<Command> {
    let mut w = [""; MAX_WORDS];
    for (n, word) in words_of(line).enumerate() {
        if word.is_empty() {
            return None;
        }
        *w.get_mut(n)? = word;
    }
    parse_words(w)
}

/// The most words a line of these shapes has.
const MAX_WORDS: usize = 8;

/// The shapes, on a line's words (none of them empty: on a line an empty
/// word comes from a NUL, which these shapes do not have) padded with
/// empty ones.
fn parse_words(w: [&str; MAX_WORDS]) -> Option<Command> {
    match w {
        ["-A", proto, vip, "-s", sched, "", "", ""] => {
            Some(Command::AddService(service(proto, vip, sched, 0)?))
        }
        ["-A", proto, vip, "-s", sched, "-p", timeout, ""] => {
            let t = decimal(timeout, MAX_TIMEOUT).filter(|&t| t > 0)?;
            Some(Command::AddService(service(proto, vip, sched, t)?))
        }
        ["-a", proto, vip, "-r", rip, fwd, "-w", weight] => {
            let svc = server_of(proto, vip)?;
            let forward = match fwd {
                "-m" => Forward::Masq,
                "-g" => Forward::Route,
                "-i" => Forward::Tunnel,
                _ => return None,
            };
            let (addr, port) = addr_port(rip)?;
            // ipvsadm: direct routing and tunnels keep the service's port.
            let port = match forward {
                Forward::Masq => port,
                _ => svc.id.port(),
            };
            let dest = DestArg {
                addr: IpAddr::V4(addr),
                port,
                config: DestConfig {
                    forward,
                    weight: decimal(weight, i32::MAX as u32)?,
                    ..DestConfig::default()
                },
            };
            Some(Command::AddDest(svc, dest))
        }
        _ => None,
    }
}

fn protocol(flag: &str) -> Option<Protocol> {
    match flag {
        "-t" => Some(Protocol::Tcp),
        "-u" => Some(Protocol::Udp),
        _ => None,
    }
}

/// `-A`'s service: what `parse` builds for an added service.
fn service(proto: &str, vip: &str, sched: &str, timeout: u32) -> Option<SvcArg> {
    let protocol = protocol(proto)?;
    let ok_name = (1..ShortName::MAX).contains(&sched.len())
        && sched
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if !ok_name {
        return None;
    }
    let (addr, port) = addr_port(vip)?;
    Some(SvcArg {
        id: ServiceId::Addr {
            protocol,
            addr: IpAddr::V4(addr),
            port,
        },
        config: ServiceConfig {
            scheduler: ShortName::truncated(sched),
            flags: if timeout > 0 {
                svc_flags::PERSISTENT
            } else {
                0
            },
            timeout,
            ..ServiceConfig::default()
        },
    })
}

/// `-a`'s service: named only, its configuration left at nothing.
fn server_of(proto: &str, vip: &str) -> Option<SvcArg> {
    let (addr, port) = addr_port(vip)?;
    Some(SvcArg {
        id: ServiceId::Addr {
            protocol: protocol(proto)?,
            addr: IpAddr::V4(addr),
            port,
        },
        config: ServiceConfig::default(),
    })
}

/// `A.B.C.D:PORT` with a plain dotted quad and a port of 1 to 65535.
fn addr_port(text: &str) -> Option<(std::net::Ipv4Addr, u16)> {
    // The port is short: look for its colon from the end (a second colon
    // is then in the address part, which refuses it).
    let b = text.as_bytes();
    let colon = b.iter().rposition(|&c| c == b':')?;
    let addr = plain_dotted_quad(&b[..colon])?;
    let port = decimal(&text[colon + 1..], u32::from(u16::MAX)).filter(|&p| p > 0)?;
    Some((addr, port as u16))
}

/// A plain decimal number up to `max`: digits only, no leading zero
/// (except "0" itself), at most ten of them.
fn decimal(text: &str, max: u32) -> Option<u32> {
    let b = text.as_bytes();
    if b.is_empty() || b.len() > 10 || (b[0] == b'0' && b.len() > 1) {
        return None;
    }
    let mut v: u64 = 0;
    for &c in b {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + u64::from(c - b'0');
    }
    (v <= u64::from(max)).then_some(v as u32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::parse::parse;
    use crate::resolve::Table;
    use crate::test_util::{argv, Rng};

    /// Draws that favour the pieces a kube-like line is made of.
    trait Draw {
        fn piece<'a>(&mut self, items: (&[&'a str], usize)) -> &'a str;
    }

    impl Draw for Rng {
        /// One of `items`; three times in four one of the first `good`
        /// (the pieces a kube-like line is made of).
        fn piece<'a>(&mut self, (items, good): (&[&'a str], usize)) -> &'a str {
            let n = if self.below(4) == 0 {
                items.len()
            } else {
                good
            };
            items[self.below(n)]
        }
    }

    // Pieces near the edges of what the short cut takes, and past them.
    const PROTOS: (&[&str], usize) = (&["-t", "-u", "-f", "--tcp-service", "-x", "-tn"], 2);
    const ADDRS: (&[&str], usize) = (
        &[
            "10.96.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "010.96.0.1",
            "10.96.0.01",
            "10.96.0",
            "256.1.1.1",
            "10.96.0.1.",
            "0x0a.1.2.3",
            "10.096.0.1",
            "1.2.3.4 ",
            "pod-a",
            "",
        ],
        3,
    );
    const PORTS: (&[&str], usize) = (
        &[
            "80",
            "1",
            "65535",
            "65536",
            "0",
            "080",
            "+80",
            "-1",
            "8a",
            "http",
            "",
            "99999999999",
        ],
        3,
    );
    const SCHEDS: (&[&str], usize) = (
        &[
            "rr",
            "wlc",
            "sh",
            "a-b_c9",
            "abcdefghijklmno",
            "abcdefghijklmnop",
            "r.r",
            "RR",
            "",
            "-n",
            "é",
        ],
        5,
    );
    const NUMS: (&[&str], usize) = (
        &[
            "0",
            "1",
            "10800",
            "2678400",
            "2678401",
            "2147483647",
            "2147483648",
            "4294967296",
            "01",
            "+1",
            "-1",
            "1x",
            "",
        ],
        4,
    );
    const FWDS: (&[&str], usize) = (&["-m", "-g", "-i", "-w", "--masquerading", "-mg"], 3);

    fn addr_port(r: &mut Rng) -> String {
        match r.below(8) {
            0 => r.piece(ADDRS).to_string(),
            1 => format!("[{}]:{}", r.piece(ADDRS), r.piece(PORTS)),
            _ => format!("{}:{}", r.piece(ADDRS), r.piece(PORTS)),
        }
    }

    fn line(r: &mut Rng) -> String {
        let (p, vip) = (r.piece(PROTOS), addr_port(r));
        let mut words: Vec<String> = match r.below(3) {
            0 => vec![
                "-A".into(),
                p.into(),
                vip,
                "-s".into(),
                r.piece(SCHEDS).into(),
            ],
            1 => {
                let mut w = vec!["-A".into(), p.into(), vip, "-s".into()];
                w.push(r.piece(SCHEDS).into());
                w.push("-p".into());
                w.push(r.piece(NUMS).into());
                w
            }
            _ => vec![
                "-a".into(),
                p.into(),
                vip,
                "-r".into(),
                addr_port(r),
                r.piece(FWDS).into(),
                "-w".into(),
                r.piece(NUMS).into(),
            ],
        };
        // Now and then bend the shape: drop, swap, repeat or change a word.
        match r.below(6) {
            0 => {
                let i = r.below(words.len());
                words.remove(i);
            }
            1 => {
                let i = r.below(words.len() - 1);
                words.swap(i, i + 1);
            }
            2 => {
                let i = r.below(words.len());
                let w = words[i].clone();
                words.push(w);
            }
            3 => {
                let i = r.below(words.len());
                words[i] = r.pick(&["-E", "-e", "-d", "-s", "-p", "-n", "-x"]).into();
            }
            _ => {}
        }
        words.join(" ")
    }

    #[test]
    fn taken_lines_read_as_parse_reads_them() {
        let names = Table::default();
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        let (mut taken, mut total) = (0, 0);
        for _ in 0..200_000 {
            let l = line(&mut rng);
            let a = argv(&l);
            total += 1;
            let cmd = parse_common(&a);
            // Generated lines are plain (no `ipvsadm`); those with an
            // empty word (two spaces) are left to the general path.
            let plain = parse_plain(&l);
            if l.contains("  ") || l.starts_with(' ') || l.ends_with(' ') {
                assert_eq!(plain, None, "line: {l}");
            } else {
                assert_eq!(plain, cmd, "line: {l}");
            }
            if let Some(cmd) = cmd {
                taken += 1;
                assert_eq!(parse(&a, &names), Ok(cmd), "line: {l}");
            }
        }
        // The generator must reach both sides of the short cut.
        assert!(
            taken > total / 50 && taken < total / 2,
            "{taken} of {total}"
        );
    }

    #[test]
    fn kube_lines_are_taken() {
        let names = Table::default();
        for l in [
            "-A -t 10.96.0.1:443 -s rr",
            "-A -u 10.96.0.10:53 -s rr",
            "-A -t 10.96.0.10:53 -s rr -p 10800",
            "-A -t 10.96.0.10:53 -s wlc -p 2678400",
            "-a -t 10.96.0.1:443 -r 172.18.0.2:6443 -m -w 1",
            "-a -u 10.96.0.10:53 -r 10.244.0.3:53 -m -w 0",
            "-a -t 10.96.0.1:80 -r 10.244.0.3:8080 -g -w 1",
            "-a -t 10.96.0.1:80 -r 10.244.0.3:8080 -i -w 2147483647",
        ] {
            let a = argv(l);
            let cmd = parse_common(&a).unwrap_or_else(|| panic!("not taken: {l}"));
            assert_eq!(parse(&a, &names), Ok(cmd), "line: {l}");
        }
    }

    #[test]
    fn quirky_lines_are_left_to_parse() {
        for l in [
            "-A -t 10.96.0.1:0 -s rr",
            "-A -t 010.96.0.1:80 -s rr",
            "-A -t 10.96.0.1:080 -s rr",
            "-A -t 10.96.0.1:80 -s rr -p 0",
            "-A -t 10.96.0.1:80 -s abcdefghijklmnop",
            "-A -t 10.96.0.1:80 -s rr -p",
            "-A -t 10.96.0.1 -s rr",
            "-a -t 10.96.0.1:80 -r 10.244.0.3 -m -w 1",
            "-a -t 10.96.0.1:80 -r 10.244.0.3:80 -m -w 01",
            "-a -t 10.96.0.1:80 -r 10.244.0.3:80 -w 1 -m",
            "-a -t [::1]:80 -r 10.244.0.3:80 -m -w 1",
        ] {
            assert_eq!(parse_common(&argv(l)), None, "taken: {l}");
        }
    }
}
