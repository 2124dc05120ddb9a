//! ipvsadm's own readers of numbers and addresses, on top of the C
//! library's (`cstd`): `string_to_number`, `parse_service` and
//! `parse_netmask`.

use std::net::{IpAddr, Ipv4Addr};

use crate::cstd::{inet_aton, inet_pton6, strtol10};
use crate::resolve::Resolver;

/// ipvsadm's `string_to_number`: a whole decimal number within limits.
pub fn string_to_number(s: &str, min: i64, max: i64) -> Option<i64> {
    let (v, end, erange) = strtol10(s);
    if end != 0 && end == s.len() && !erange && min <= v && v <= max {
        Some(v)
    } else {
        None
    }
}

fn is_all_digits(s: &str) -> bool {
    s.bytes().all(|c| c.is_ascii_digit())
}

/// What `parse_service` found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParsedService {
    pub addr: IpAddr,
    /// `Some` when the text named a port.
    pub port: Option<u16>,
}

/// ipvsadm's `parse_service`: `host[:port]`, `[v6]:port` or a bare IPv6
/// address. Host names resolve to IPv4 only; port names are looked up for
/// `proto` ("tcp", "udp", "sctp", or `None` when no protocol is known).
/// `None` when the text is not a service address.
///
/// Its quirks are kept: a text of digits only (or an empty one) is refused
/// before anything else; `[...]` must be followed by `:`; when the text in
/// brackets is not an IPv6 address, the port after the brackets is
/// forgotten and a `:` inside the brackets is looked for instead
/// (`[1.2.3.4]:80` is 1.2.3.4 without a port); an IPv6 address without
/// brackets never has a port (`::1:80` is the address ::1:80).
pub fn parse_service(
    text: &str,
    proto: Option<&str>,
    names: &dyn Resolver,
) -> Option<ParsedService> {
    if is_all_digits(text) {
        return None;
    }
    let mut buf = text;
    let mut port_text: Option<&str> = None;
    if let Some(rest) = text.strip_prefix('[') {
        let close = rest.find(']')?;
        let after = &rest[close + 1..];
        if !after.starts_with(':') {
            return None;
        }
        buf = &rest[..close];
        port_text = Some(&after[1..]);
    }
    // One pass for the colons: every IPv6 text has two at least (`::` or
    // seven), so with fewer inet_pton6 need not walk it; the last one is
    // strrchr's.
    let (mut colons, mut last_colon) = (0, None);
    for (i, &c) in buf.as_bytes().iter().enumerate() {
        if c == b':' {
            colons += 1;
            last_colon = Some(i);
        }
    }
    let a6 = if colons >= 2 { inet_pton6(buf) } else { None };
    let addr = if let Some(a6) = a6 {
        IpAddr::V6(a6)
    } else {
        // strrchr: the port pointer is set anew, to nothing without a `:`.
        port_text = match last_colon {
            Some(i) => {
                let p = &buf[i + 1..];
                buf = &buf[..i];
                Some(p)
            }
            None => None,
        };
        IpAddr::V4(inet_aton(buf).or_else(|| names.host_to_ipv4(buf))?)
    };
    let port = match port_text {
        None => None,
        Some(p) => Some(match string_to_number(p, 0, 65535) {
            Some(n) => n as u16,
            None => names.service_to_port(p, proto?)?,
        }),
    };
    Some(ParsedService { addr, port })
}

/// ipvsadm's `parse_netmask`: a dotted mask (inet_aton) or a host name.
pub fn parse_netmask(text: &str, names: &dyn Resolver) -> Option<Ipv4Addr> {
    inet_aton(text).or_else(|| names.host_to_ipv4(text))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cstd::atoi;
    use crate::resolve::Table;

    #[test]
    fn numbers() {
        assert_eq!(string_to_number("65535", 0, 65535), Some(65535));
        assert_eq!(string_to_number("65536", 0, 65535), None);
        assert_eq!(string_to_number(" +7", 0, 9), Some(7));
        assert_eq!(string_to_number("-0", 0, 9), Some(0));
        assert_eq!(string_to_number("7 ", 0, 9), None);
        assert_eq!(string_to_number("", 0, 9), None);
        assert_eq!(string_to_number("99999999999999999999", 0, i64::MAX), None);
        assert_eq!(atoi("64abc"), 64);
        assert_eq!(atoi("4294967297"), 1);
    }

    #[test]
    fn services() {
        let mut t = Table::default();
        t.hosts
            .insert("node1".into(), Ipv4Addr::new(192, 168, 188, 61));
        t.services.insert(("https".into(), "tcp".into()), 443);
        let p = |s: &str| parse_service(s, Some("tcp"), &t);
        assert_eq!(
            p("10.96.0.1:443"),
            Some(ParsedService {
                addr: "10.96.0.1".parse().unwrap(),
                port: Some(443)
            })
        );
        assert_eq!(p("node1:https").unwrap().port, Some(443));
        assert_eq!(p("node1").unwrap().port, None);
        assert_eq!(p("[::1]:80").unwrap().port, Some(80));
        assert_eq!(p("::1").unwrap().port, None);
        assert_eq!(p("[::1]"), None);
        assert_eq!(p("80"), None);
        assert_eq!(p(""), None);
        assert_eq!(p("1.2.3.4:99999"), None);
        assert_eq!(parse_service("1.2.3.4:https", None, &t), None);
    }

    #[test]
    fn bracketed_text_that_is_not_ipv6_loses_its_port() {
        let mut t = Table::default();
        t.hosts.insert("pod-a".into(), Ipv4Addr::new(10, 244, 1, 5));
        let p = |s: &str| parse_service(s, Some("tcp"), &t);
        assert_eq!(
            p("[1.2.3.4]:80"),
            Some(ParsedService {
                addr: "1.2.3.4".parse().unwrap(),
                port: None
            })
        );
        assert_eq!(p("[pod-a]:80").unwrap().port, None);
        assert_eq!(p("[1.2.3.4:81]:80").unwrap().port, Some(81));
        assert_eq!(p("[1.2.3.4]"), None);
        assert_eq!(p("[::1]80"), None);
        assert_eq!(p("[::1"), None);
        assert_eq!(p("[]:80"), None);
        assert_eq!(p("[::1]:"), None);
        assert_eq!(p("::1:80").unwrap().port, None);
        assert_eq!(p("1.2.3.4 :80").unwrap().port, Some(80));
        assert_eq!(p("1.2.3.4:+81").unwrap().port, Some(81));
        assert_eq!(p("1.2.3.4: 82").unwrap().port, Some(82));
        assert_eq!(p("1.2.3.4:82 "), None);
        assert_eq!(p("1.2.3.4:-0").unwrap().port, Some(0));
        assert_eq!(p("[\u{e9}]:1"), None);
        assert_eq!(p("\u{e9}:\u{e9}"), None);
    }
}
