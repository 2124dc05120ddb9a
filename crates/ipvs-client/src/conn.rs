//! The connection table: the kernel's `ip_vs_conn` file under /proc/net
//! (there is no netlink dump of it), read into typed entries. Each line is
//! as the kernel's `ip_vs_conn_seq_show` writes it: protocol, client,
//! virtual and real server addresses (IPv4 as 8 hex digits, IPv6 as
//! text) each with a port of 4 hex digits, the state, the seconds left,
//! and the persistence engine's name and data when there is one.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::Path;

use crate::model::Protocol;
use crate::netns;
use crate::Error;

/// The file of the connection table of the reading thread's namespace
/// (`/proc/net` would follow the process's first thread instead).
pub const CONN_FILE: &str = "/proc/thread-self/net/ip_vs_conn";

/// One connection IPVS tracks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Connection {
    /// The transport protocol.
    pub protocol: Protocol,
    /// The client's address and port.
    pub client: SocketAddr,
    /// The virtual service's address and port the client reached.
    pub virtual_addr: SocketAddr,
    /// The real server's address and port.
    pub dest: SocketAddr,
    /// The state, as the kernel names it (`ESTABLISHED`, `FIN_WAIT`,
    /// `NONE` for a persistence template, ...).
    pub state: String,
    /// Seconds until the entry expires.
    pub expires: u32,
    /// The persistence engine's name and its data (`sip` and a Call-ID),
    /// when the connection has any.
    pub pe: Option<(String, String)>,
}

/// A protocol as `ip_vs_proto_name` names it.
fn protocol(name: &str) -> Option<Protocol> {
    Some(match name {
        "TCP" => Protocol::Tcp,
        "UDP" => Protocol::Udp,
        "SCTP" => Protocol::Sctp,
        "ICMP" => Protocol::Other(1),
        "ICMPv6" => Protocol::Other(58),
        n => Protocol::Other(n.strip_prefix("IP_")?.parse().ok()?),
    })
}

/// An address column: 8 hex digits of IPv4, or IPv6 text.
fn addr(s: &str) -> Option<IpAddr> {
    if s.len() == 8 && s.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Some(IpAddr::V4(Ipv4Addr::from(u32::from_str_radix(s, 16).ok()?)));
    }
    s.parse::<Ipv6Addr>().ok().map(IpAddr::V6)
}

/// An address column and the port column after it.
fn endpoint(a: &str, port: &str) -> Option<SocketAddr> {
    if port.len() != 4 {
        return None;
    }
    Some(SocketAddr::new(
        addr(a)?,
        u16::from_str_radix(port, 16).ok()?,
    ))
}

/// One line of the file; `None` for the title line or a line that is not
/// an entry.
pub fn parse_line(line: &str) -> Option<Connection> {
    let w: Vec<&str> = line.split_ascii_whitespace().collect();
    let (pe, rest) = match w.len() {
        9 => (None, &w[..]),
        11 => (Some((w[9].to_string(), w[10].to_string())), &w[..9]),
        _ => return None,
    };
    Some(Connection {
        protocol: protocol(rest[0])?,
        client: endpoint(rest[1], rest[2])?,
        virtual_addr: endpoint(rest[3], rest[4])?,
        dest: endpoint(rest[5], rest[6])?,
        state: rest[7].to_string(),
        expires: rest[8].parse().ok()?,
        pe,
    })
}

/// Every entry of the file's text; the first line is its title. A line
/// that is not an entry is an error (`Error::Malformed`) naming it.
pub fn parse(text: &str) -> Result<Vec<Connection>, Error> {
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| parse_line(l).ok_or_else(|| Error::Malformed(format!("connection entry {l:?}"))))
        .collect()
}

/// The connections of this thread's network namespace. A kernel without
/// the IPVS module loaded has no such file (an `Error::Io` of `ENOENT`).
pub fn connections() -> Result<Vec<Connection>, Error> {
    parse(&String::from_utf8_lossy(&std::fs::read(CONN_FILE)?))
}

/// The connections of another network namespace (see `Client::connect_in`).
pub fn connections_in(ns: &Path) -> Result<Vec<Connection>, Error> {
    netns::within(ns, connections)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_rng::Rng;

    /// An address column as `ip_vs_conn_seq_show` writes it (`%08X`,
    /// `%pI6`: eight groups of four digits).
    fn column(a: &IpAddr) -> String {
        match a {
            IpAddr::V4(v) => format!("{:08X}", u32::from(*v)),
            IpAddr::V6(v) => v
                .segments()
                .iter()
                .map(|s| format!("{s:04x}"))
                .collect::<Vec<_>>()
                .join(":"),
        }
    }

    /// A line as the kernel writes it.
    fn kernel_line(c: &Connection, proto: &str) -> String {
        let pe = match &c.pe {
            Some((n, d)) => format!(" {n} {d}"),
            None => String::new(),
        };
        format!(
            "{proto:<3} {} {:04X} {} {:04X} {} {:04X} {:<11} {:7}{pe}",
            column(&c.client.ip()),
            c.client.port(),
            column(&c.virtual_addr.ip()),
            c.virtual_addr.port(),
            column(&c.dest.ip()),
            c.dest.port(),
            c.state,
            c.expires
        )
    }

    fn random_addr(r: &mut Rng, v6: bool) -> IpAddr {
        if v6 {
            IpAddr::V6(Ipv6Addr::from(
                (u128::from(r.next()) << 64) | u128::from(r.next()),
            ))
        } else {
            IpAddr::V4(Ipv4Addr::from(r.next() as u32))
        }
    }

    #[test]
    fn what_the_kernel_writes_reads_back() {
        let mut r = Rng(0x2545_f491_4f6c_dd1d);
        let protos = [
            ("TCP", Protocol::Tcp),
            ("UDP", Protocol::Udp),
            ("SCTP", Protocol::Sctp),
            ("ICMPv6", Protocol::Other(58)),
            ("IP_99", Protocol::Other(99)),
        ];
        let states = ["ESTABLISHED", "SYN_RECV", "FIN_WAIT", "NONE", "UDP"];
        for _ in 0..5_000 {
            let (name, protocol) = r.pick(&protos);
            let v6 = r.below(2) == 0;
            // The real server may be of the other family (`daf`).
            let dv6 = if r.below(4) == 0 { !v6 } else { v6 };
            let c = Connection {
                protocol,
                client: SocketAddr::new(random_addr(&mut r, v6), r.next() as u16),
                virtual_addr: SocketAddr::new(random_addr(&mut r, v6), r.next() as u16),
                dest: SocketAddr::new(random_addr(&mut r, dv6), r.next() as u16),
                state: r.pick(&states).to_string(),
                expires: r.next() as u32,
                pe: (r.below(5) == 0).then(|| ("sip".to_string(), format!("{:x}", r.next()))),
            };
            let line = kernel_line(&c, name);
            assert_eq!(parse_line(&line).as_ref(), Some(&c), "{line}");
        }
    }

    #[test]
    fn a_file_reads_whole_or_names_its_bad_line() {
        let text =
            "Pro FromIP   FPrt ToIP     TPrt DestIP   DPrt State       Expires PEName PEData\n\
                    TCP 0A000001 C350 0A600001 0050 0AF40102 1F90 ESTABLISHED     899\n\
                    UDP 0A000001 0035 0A60000A 0035 0AF40103 0035 UDP             299 sip abc\n";
        let all = parse(text).unwrap();
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].client, "10.0.0.1:50000".parse().unwrap());
        assert_eq!(all[0].dest, "10.244.1.2:8080".parse().unwrap());
        assert_eq!(all[1].pe, Some(("sip".into(), "abc".into())));
        let bad = format!("{text}TCP 0A000001 C350 zz\n");
        assert!(matches!(parse(&bad), Err(Error::Malformed(m)) if m.contains("zz")));
    }

    #[test]
    fn garbage_never_panics() {
        let mut r = Rng(0x9e37_79b9_7f4a_7c15);
        let words = [
            "TCP", "0A000001", "C350", "::1", "1F90", "x", "", "IP_", "IP_70000", "7",
        ];
        for _ in 0..20_000 {
            let line: Vec<&str> = (0..r.below(13)).map(|_| r.pick(&words)).collect();
            let _ = parse_line(&line.join(" "));
        }
    }
}
