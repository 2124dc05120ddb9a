//! Pure functions from the model to ipvsadm 1.31's text, byte for byte:
//! the header, the column titles, service and real-server lines in every
//! list format, `-S` rules, timeouts, daemons, and the kernel error texts.
//! Widths are `format!` widths copied from ipvsadm's printf formats; name
//! lookups go through a `Resolver`. Nothing here touches a socket.

pub mod check;
pub mod conn;
pub mod errors;
pub mod json;
mod line;
pub mod metrics;
mod options;
pub mod sort;

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::ipvs::model::svc_flags;
use crate::ipvs::{
    Daemon, Dest, Forward, Info, Protocol, Service, ServiceId, Timeouts, TunnelType,
};
use crate::resolve::Resolver;
pub use options::{Format, RULES_NUMERIC, WATCH_EVERY};

/// glibc's `inet_ntop(AF_INET6, ...)`: longest run of two or more zero
/// groups compressed (the first on a tie), and IPv4-compatible or
/// IPv4-mapped addresses ending in dotted form.
pub fn inet_ntop6(a: &Ipv6Addr) -> String {
    let w = a.segments();
    let (mut best, mut best_len) = (None::<usize>, 0usize);
    let (mut cur, mut cur_len) = (None::<usize>, 0usize);
    for (i, word) in w.iter().enumerate() {
        if *word == 0 {
            if cur.is_none() {
                cur = Some(i);
                cur_len = 1;
            } else {
                cur_len += 1;
            }
        } else if let Some(c) = cur {
            if best.is_none() || cur_len > best_len {
                best = Some(c);
                best_len = cur_len;
            }
            cur = None;
        }
    }
    if let Some(c) = cur {
        if best.is_none() || cur_len > best_len {
            best = Some(c);
            best_len = cur_len;
        }
    }
    if best_len < 2 {
        best = None;
    }
    let mut s = String::new();
    let mut i = 0;
    while i < 8 {
        if let Some(b) = best {
            if i >= b && i < b + best_len {
                if i == b {
                    s.push(':');
                }
                i += 1;
                continue;
            }
        }
        if i != 0 {
            s.push(':');
        }
        if i == 6 && best == Some(0) && (best_len == 6 || (best_len == 5 && w[5] == 0xffff)) {
            let o = a.octets();
            let _ = write!(s, "{}", Ipv4Addr::new(o[12], o[13], o[14], o[15]));
            break;
        }
        let _ = write!(s, "{:x}", w[i]);
        i += 1;
    }
    if let Some(b) = best {
        if b + best_len == 8 {
            s.push(':');
        }
    }
    s
}

/// The decimal text of 0 to 255, made at compile time: octets, weights
/// and connection counts are nearly always below 256.
const SMALL_DECIMALS: [&str; 256] = {
    const DIGITS: [u8; 768] = {
        let mut b = [0u8; 768];
        let mut n = 0;
        while n < 256 {
            b[n * 3] = b'0' + (n / 100) as u8;
            b[n * 3 + 1] = b'0' + (n / 10 % 10) as u8;
            b[n * 3 + 2] = b'0' + (n % 10) as u8;
            n += 1;
        }
        b
    };
    let mut out = [""; 256];
    let mut n = 0;
    while n < 256 {
        let skip = if n >= 100 {
            0
        } else if n >= 10 {
            1
        } else {
            2
        };
        let (_, rest) = DIGITS.split_at(n * 3 + skip);
        let (text, _) = rest.split_at(3 - skip);
        out[n] = match std::str::from_utf8(text) {
            Ok(t) => t,
            Err(_) => panic!("digits are ASCII"),
        };
        n += 1;
    }
    out
};

/// Append a number in decimal (the listing's hot path avoids the
/// formatting machinery for addresses and ports).
fn push_decimal(out: &mut String, mut n: u32) {
    if let Some(t) = SMALL_DECIMALS.get(n as usize) {
        out.push_str(t);
        return;
    }
    let mut buf = [0u8; 10];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    // Digits are ASCII: pushed as chars, with no UTF-8 check to pay for.
    out.extend(buf[i..].iter().map(|b| char::from(*b)));
}

fn push_signed(out: &mut String, n: i32) {
    if n < 0 {
        out.push('-');
    }
    push_decimal(out, n.unsigned_abs());
}

/// Pad what was appended since `start` with spaces to `width` bytes, as
/// C's `%-Ns` counts.
fn pad_from(out: &mut String, start: usize, width: usize) {
    const SPACES: &str = "                                                                ";
    let mut missing = width.saturating_sub(out.len() - start);
    while missing > 0 {
        let n = missing.min(SPACES.len());
        out.push_str(&SPACES[..n]);
        missing -= n;
    }
}

fn push_ipv4(out: &mut String, a: &Ipv4Addr) {
    for (i, o) in a.octets().iter().enumerate() {
        if i > 0 {
            out.push('.');
        }
        push_decimal(out, *o as u32);
    }
}

/// `inet_ntop` for either family.
pub fn ntop(a: &IpAddr) -> String {
    match a {
        IpAddr::V4(v) => {
            let mut s = String::with_capacity(15);
            push_ipv4(&mut s, v);
            s
        }
        IpAddr::V6(v) => inet_ntop6(v),
    }
}

/// A protocol as a listing's column names it (`TCP`, `UDP`, `SCTP`), or
/// the kernel's number for another.
pub fn protocol_upper(p: Protocol) -> String {
    match p {
        Protocol::Tcp => "TCP".to_string(),
        Protocol::Udp => "UDP".to_string(),
        Protocol::Sctp => "SCTP".to_string(),
        Protocol::Other(n) => n.to_string(),
    }
}

/// An address and port as a listing writes them: IPv6 in brackets.
pub fn endpoint(addr: &IpAddr, port: u16) -> String {
    match addr {
        IpAddr::V4(a) => format!("{a}:{port}"),
        IpAddr::V6(a) => format!("[{a}]:{port}"),
    }
}

/// A service as ipvsadm's numeric listing names it, in our reports (the
/// check, `--k8s`, `--migrate`, `--watch`): `TCP 10.0.0.1:80`, `FWM 7`,
/// `FWM 7 IPv6`.
pub fn service_text(id: &ServiceId) -> String {
    match id {
        ServiceId::Addr {
            protocol,
            addr,
            port,
        } => format!("{} {}", protocol_upper(*protocol), endpoint(addr, *port)),
        ServiceId::Fwmark { family, mark } => match family {
            crate::ipvs::Family::Inet => format!("FWM {mark}"),
            crate::ipvs::Family::Inet6 => format!("FWM {mark} IPv6"),
        },
    }
}

fn proto_db_name(p: Protocol) -> Option<&'static str> {
    match p {
        Protocol::Tcp => Some("tcp"),
        Protocol::Udp => Some("udp"),
        Protocol::Sctp => Some("sctp"),
        Protocol::Other(_) => None,
    }
}

/// Name lookups for one listing, each distinct address and port asked
/// once (ipvsadm asks for every line; the answers are the same).
pub struct Names<'a> {
    resolver: &'a dyn Resolver,
    hosts: RefCell<HashMap<IpAddr, Option<String>>>,
    ports: RefCell<HashMap<(u16, Protocol), Option<String>>>,
}

impl<'a> Names<'a> {
    pub fn new(resolver: &'a dyn Resolver) -> Self {
        Names {
            resolver,
            hosts: RefCell::new(HashMap::new()),
            ports: RefCell::new(HashMap::new()),
        }
    }

    fn host(&self, a: &IpAddr) -> String {
        let mut h = self.hosts.borrow_mut();
        let name = h
            .entry(*a)
            .or_insert_with(|| self.resolver.addr_to_host(a))
            .clone();
        name.unwrap_or_else(|| ntop(a))
    }

    fn port(&self, port: u16, proto: Protocol) -> String {
        let mut p = self.ports.borrow_mut();
        let name = p
            .entry((port, proto))
            .or_insert_with(|| {
                proto_db_name(proto).and_then(|n| self.resolver.port_to_service(port, n))
            })
            .clone();
        name.unwrap_or_else(|| port.to_string())
    }

    /// `addrport_to_anyname`, including its 60-byte buffer.
    pub fn addrport(&self, a: &IpAddr, port: u16, proto: Protocol, numeric: bool) -> String {
        let mut s = String::with_capacity(24);
        self.addrport_into(&mut s, a, port, proto, numeric);
        s
    }

    /// `addrport` appended to `out` (what was there before is kept).
    pub fn addrport_into(
        &self,
        out: &mut String,
        a: &IpAddr,
        port: u16,
        proto: Protocol,
        numeric: bool,
    ) {
        let start = out.len();
        if numeric {
            match a {
                IpAddr::V4(v) => push_ipv4(out, v),
                IpAddr::V6(v) => {
                    out.push('[');
                    out.push_str(&inet_ntop6(v));
                    out.push(']');
                }
            }
            out.push(':');
            push_decimal(out, port as u32);
        } else {
            let (open, close) = if a.is_ipv6() { ("[", "]") } else { ("", "") };
            out.push_str(open);
            out.push_str(&self.host(a));
            out.push_str(close);
            out.push(':');
            out.push_str(&self.port(port, proto));
        }
        if out.len() - start > 59 {
            let mut k = start + 59;
            while !out.is_char_boundary(k) {
                k -= 1;
            }
            out.truncate(k);
        }
    }
}

/// "  -> %-28s" of a real server's name, written in place: cut to 28
/// bytes for IPv4 as ipvsadm's buffer cuts it, and padded by bytes as C
/// pads (`{:<28}` would count chars).
fn push_dest_name(out: &mut String, names: &Names, d: &Dest, proto: Protocol, numeric: bool) {
    out.push_str("  -> ");
    let at = out.len();
    names.addrport_into(out, &d.addr, d.port, proto, numeric);
    if !d.addr.is_ipv6() {
        cut_from(out, at, 28);
    }
    pad_from(out, at, 28);
}

/// Cut a string to at most `n` bytes (as C's fixed buffers do).
fn cut(s: &mut String, n: usize) {
    cut_from(s, 0, n);
}

/// Cut what was appended since `start` to at most `n` bytes.
fn cut_from(s: &mut String, start: usize, n: usize) {
    if s.len() - start > n {
        let mut k = start + n;
        while !s.is_char_boundary(k) {
            k -= 1;
        }
        s.truncate(k);
    }
}

/// `IP Virtual Server version 1.2.1 (size=4096)`
pub fn header(info: &Info) -> String {
    let (a, b, c) = info.version_triple();
    format!(
        "IP Virtual Server version {a}.{b}.{c} (size={})\n",
        info.conn_tab_size as i32
    )
}

/// `print_title`.
pub fn title(f: &Format) -> String {
    let tail = "  -> RemoteAddress:Port\n";
    if f.stats {
        format!(
            "{:<33} {:>8} {:>8} {:>8} {:>8} {:>8}\n{tail}",
            "Prot LocalAddress:Port", "Conns", "InPkts", "OutPkts", "InBytes", "OutBytes"
        )
    } else if f.rate {
        format!(
            "{:<33} {:>8} {:>8} {:>8} {:>8} {:>8}\n{tail}",
            "Prot LocalAddress:Port", "CPS", "InPPS", "OutPPS", "InBPS", "OutBPS"
        )
    } else if f.thresholds {
        format!(
            "{:<33} {:<10} {:<10} {:<10} {:<10}\n{tail}",
            "Prot LocalAddress:Port", "Uthreshold", "Lthreshold", "ActiveConn", "InActConn"
        )
    } else if f.persistent_conn {
        format!(
            "{:<33} {:<9} {:<11} {:<10} {:<10}\n{tail}",
            "Prot LocalAddress:Port", "Weight", "PersistConn", "ActiveConn", "InActConn"
        )
    } else if f.tun_info {
        "Prot LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port           Forward TunnelInfo    Weight ActiveConn InActConn\n".to_string()
    } else if !f.rule {
        "Prot LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n".to_string()
    } else {
        String::new()
    }
}

/// `print_largenum`.
pub fn largenum(out: &mut String, i: u64, f: &Format) {
    if f.exact {
        let len = i.to_string().len();
        let w = if len <= 8 { 9 } else { len + 1 };
        let _ = write!(out, "{i:>w$}");
        return;
    }
    let _ = if i < 100_000_000 {
        write!(out, "{i:>9}")
    } else if i < 1_000_000_000 {
        write!(out, "{:>8}K", i / 1000)
    } else if i < 100_000_000_000 {
        write!(out, "{:>8}M", i / 1_000_000)
    } else if i < 100_000_000_000_000 {
        write!(out, "{:>8}G", i / 1_000_000_000)
    } else {
        write!(out, "{:>8}T", i / 1_000_000_000_000)
    };
}

/// The scheduler flag bits, in the order `print_sched_flags` prints them.
const SCHED_BITS: [u32; 3] = [svc_flags::SCHED1, svc_flags::SCHED2, svc_flags::SCHED3];

/// The scheduler flags set on a service, in the order
/// `print_sched_flags` prints them, each with the name `-b` gives it for
/// the service's scheduler; `None` where ipvsadm prints nothing (the third
/// flag of sh and mh, which have two).
pub(crate) fn sched_flags_set(svc: &Service) -> impl Iterator<Item = Option<&'static str>> {
    let names: [Option<&'static str>; 3] = match svc.config.scheduler.as_bytes() {
        b"sh" => [Some("sh-fallback"), Some("sh-port"), None],
        b"mh" => [Some("mh-fallback"), Some("mh-port"), None],
        _ => [Some("flag-1"), Some("flag-2"), Some("flag-3")],
    };
    let flags = svc.config.flags;
    SCHED_BITS
        .into_iter()
        .zip(names)
        .filter(move |(bit, _)| flags & bit != 0)
        .map(|(_, name)| name)
}

/// `print_sched_flags`: names depend on the scheduler.
fn sched_flags(svc: &Service) -> String {
    sched_flags_set(svc).flatten().collect::<Vec<_>>().join(",")
}

fn fwd_name(f: Forward) -> &'static str {
    match f {
        Forward::Masq => "Masq",
        Forward::Local => "Local",
        Forward::Tunnel => "Tunnel",
        Forward::Route => "Route",
        // ipvsadm prints "(null)" through glibc's printf for these.
        _ => "(null)",
    }
}

fn fwd_switch(f: Forward) -> &'static str {
    match f {
        Forward::Masq => "-m",
        Forward::Tunnel => "-i",
        Forward::Local | Forward::Route => "-g",
        _ => "(null)",
    }
}

fn tun_flag_index(flags: u16) -> usize {
    // tunflags[]/tun_flags_opts[] are indexed by the raw flags value.
    flags as usize
}

const TUN_FLAGS: [&str; 3] = ["-c", "+c", "r+c"];
const TUN_FLAG_OPTS: [&str; 3] = ["--tun-nocsum", "--tun-csum", "--tun-remcsum"];

fn tun_flag(table: &[&'static str; 3], flags: u16) -> &'static str {
    table
        .get(tun_flag_index(flags))
        .copied()
        .unwrap_or("(null)")
}

/// `fwd_tun_info`: the TunnelInfo column, `None` prints "n/a".
fn tun_info(d: &Dest) -> Option<String> {
    if d.config.forward != Forward::Tunnel {
        return None;
    }
    let mut s = match d.config.tun_type {
        TunnelType::Ipip => "ipip".to_string(),
        TunnelType::Gue => format!(
            "gue:{}:{}",
            d.config.tun_port,
            tun_flag(&TUN_FLAGS, d.config.tun_flags)
        ),
        TunnelType::Gre => format!("gre:{}", tun_flag(&TUN_FLAGS, d.config.tun_flags)),
        TunnelType::Other(_) => return None,
    };
    // snprintf into 16 bytes.
    cut(&mut s, 15);
    Some(s)
}

/// The name a service goes by on its line (`svc_name` in ipvsadm).
pub fn service_name(svc: &Service, f: &Format, names: &Names) -> String {
    let mut s = String::with_capacity(40);
    push_service_name(&mut s, svc, f, names);
    s
}

/// `service_name` appended to `out`, where a listing line is being made
/// (no string of its own to allocate per service).
fn push_service_name(out: &mut String, svc: &Service, f: &Format, names: &Names) {
    if !line::service_name(out, &svc.id, f) {
        push_service_name_general(out, svc, f, names);
    }
}

/// `push_service_name` for every service; the common numeric IPv4 names
/// are written by `line` instead, to the same bytes.
fn push_service_name_general(out: &mut String, svc: &Service, f: &Format, names: &Names) {
    let start = out.len();
    match svc.id {
        ServiceId::Fwmark { family, mark } => {
            let v6 = family == crate::ipvs::Family::Inet6;
            // Printed unsigned: the fix that followed ipvsadm 1.31.
            let _ = match (f.rule, v6) {
                (true, true) => write!(out, "-f {mark} -6"),
                (true, false) => write!(out, "-f {mark}"),
                (false, true) => write!(out, "FWM  {mark} IPv6"),
                (false, false) => write!(out, "FWM  {mark}"),
            };
        }
        ServiceId::Addr {
            protocol,
            addr,
            port,
        } => {
            if f.rule {
                out.push_str(match protocol {
                    Protocol::Tcp => "-t",
                    Protocol::Udp => "-u",
                    Protocol::Sctp => "--sctp-service",
                    Protocol::Other(_) => "--xxx-service",
                });
                out.push(' ');
                names.addrport_into(out, &addr, port, protocol, f.numeric);
            } else {
                // "%-4s %s"
                out.push_str(match protocol {
                    Protocol::Tcp => "TCP",
                    Protocol::Udp => "UDP",
                    Protocol::Sctp => "SCTP",
                    Protocol::Other(_) => "?",
                });
                pad_from(out, start, 4);
                out.push(' ');
                names.addrport_into(out, &addr, port, protocol, f.numeric);
                if !addr.is_ipv6() {
                    cut_from(out, start, 33);
                }
            }
        }
    }
}

fn is_v4(svc: &Service) -> bool {
    svc.id.family() == crate::ipvs::Family::Inet
}

/// `print_service_entry`: the service line and its real servers, which
/// must already be in the order to print (sorted unless `--nosort`).
/// It mirrors that C function one to one, branch for branch, hence its
/// length.
pub fn service_entry(out: &mut String, svc: &Service, dests: &[Dest], f: &Format, names: &Names) {
    // Only the save format repeats the service's name (on each real
    // server's line); the listings write it in place.
    let svc_name = if f.rule {
        service_name(svc, f, names)
    } else {
        String::new()
    };
    let cfg = &svc.config;
    let persistent = cfg.flags & svc_flags::PERSISTENT != 0;
    let v4 = is_v4(svc);
    if f.rule {
        for part in ["-A ", &svc_name, " -s ", &cfg.scheduler.text()] {
            out.push_str(part);
        }
        if persistent {
            let _ = write!(out, " -p {}", cfg.timeout);
            if v4 && cfg.netmask != u32::MAX {
                let _ = write!(out, " -M {}", cfg.netmask_v4());
            }
            if !v4 && cfg.netmask != 128 {
                let _ = write!(out, " -M {}", cfg.netmask as i32);
            }
        }
        if !cfg.pe_name.is_empty() {
            let _ = write!(out, " --pe {}", cfg.pe_name);
        }
        if cfg.flags & svc_flags::ONEPACKET != 0 {
            out.push_str(" -o");
        }
        if cfg.flags & svc_flags::SCHED_ANY != 0 {
            let _ = write!(out, " -b {}", sched_flags(svc));
        }
    } else if f.stats || f.rate {
        // "%-33s": C pads by bytes.
        let at = out.len();
        push_service_name(out, svc, f, names);
        pad_from(out, at, 33);
        let s = &svc.stats;
        let vals = if f.stats {
            [s.conns, s.inpkts, s.outpkts, s.inbytes, s.outbytes]
        } else {
            [s.cps, s.inpps, s.outpps, s.inbps, s.outbps]
        };
        for v in vals {
            largenum(out, v, f);
        }
    } else {
        push_service_name(out, svc, f, names);
        out.push(' ');
        out.push_str(&cfg.scheduler.text());
        if cfg.flags & svc_flags::SCHED_ANY != 0 {
            let _ = write!(out, " ({})", sched_flags(svc));
        }
        if persistent {
            let _ = write!(out, " persistent {}", cfg.timeout);
            if v4 && cfg.netmask != u32::MAX {
                let _ = write!(out, " mask {}", cfg.netmask_v4());
            }
            if !v4 && cfg.netmask != 128 {
                let _ = write!(out, " mask {}", cfg.netmask as i32);
            }
            if !cfg.pe_name.is_empty() {
                let _ = write!(out, " pe {}", cfg.pe_name);
            }
        }
        if cfg.flags & svc_flags::ONEPACKET != 0 {
            out.push_str(" ops");
        }
    }
    out.push('\n');

    let proto = match svc.id {
        ServiceId::Addr { protocol, .. } => protocol,
        // libipvs leaves the protocol of a fwmark entry at 0.
        ServiceId::Fwmark { .. } => Protocol::Other(0),
    };
    for d in dests {
        let fast = if f.rule {
            line::save_dest(out, svc_name.as_bytes(), d, f, fwd_switch(d.config.forward))
        } else {
            line::dest(out, d, f)
        };
        if !fast {
            dest_line(out, d, f, names, proto, &svc_name);
        }
    }
}

/// `service_entry` appended to a listing's bytes: a plain service whose
/// every line is a common numeric IPv4 one is written by `line::block`
/// straight into them, any other through `scratch`, the general path's
/// text (see `crate::raw` for what a `String` may carry).
pub fn service_entry_bytes(
    out: &mut Vec<u8>,
    scratch: &mut String,
    svc: &Service,
    dests: &[Dest],
    f: &Format,
    names: &Names,
) {
    if !line::block(out, svc, dests, f) {
        scratch.clear();
        service_entry(scratch, svc, dests, f, names);
        out.extend_from_slice(scratch.as_bytes());
    }
}

/// One real server's line of `print_service_entry`, in any format; the
/// common numeric IPv4 lines are written by `line` instead, to the same
/// bytes. `svc_name` is the service's name in the save format (`-S`).
fn dest_line(
    out: &mut String,
    d: &Dest,
    f: &Format,
    names: &Names,
    proto: Protocol,
    svc_name: &str,
) {
    let c = &d.config;
    if f.rule {
        let mut dname = String::new();
        names.addrport_into(&mut dname, &d.addr, d.port, proto, f.numeric);
        let sw = fwd_switch(c.forward);
        if c.forward == Forward::Tunnel {
            let _ = match c.tun_type {
                TunnelType::Gre => writeln!(
                    out,
                    "-a {svc_name} -r {dname} {sw} -w {} --tun-type gre {}",
                    c.weight as i32,
                    tun_flag(&TUN_FLAG_OPTS, c.tun_flags)
                ),
                TunnelType::Gue => writeln!(
                    out,
                    "-a {svc_name} -r {dname} {sw} -w {} --tun-type gue --tun-port {} {}",
                    c.weight as i32,
                    c.tun_port,
                    tun_flag(&TUN_FLAG_OPTS, c.tun_flags)
                ),
                TunnelType::Ipip => writeln!(
                    out,
                    "-a {svc_name} -r {dname} {sw} -w {} --tun-type ipip",
                    c.weight as i32
                ),
                TunnelType::Other(_) => {
                    writeln!(out, "-a {svc_name} -r {dname} {sw} -w {}", c.weight as i32)
                }
            };
        } else {
            // "-a %s -r %s %s -w %d\n", the line a save is made of.
            for part in ["-a ", svc_name, " -r ", &dname, " ", sw, " -w "] {
                out.push_str(part);
            }
            push_signed(out, c.weight as i32);
            out.push('\n');
        }
        return;
    }
    push_dest_name(out, names, d, proto, f.numeric);
    if f.stats {
        let s = &d.stats;
        for v in [s.conns, s.inpkts, s.outpkts, s.inbytes, s.outbytes] {
            largenum(out, v, f);
        }
        out.push('\n');
    } else if f.rate {
        let s = &d.stats;
        let _ = write!(out, " {:>8} {:>8} {:>8}", s.cps, s.inpps, s.outpps);
        largenum(out, s.inbps, f);
        largenum(out, s.outbps, f);
        out.push('\n');
    } else if f.thresholds {
        let _ = writeln!(
            out,
            " {:<10} {:<10} {:<10} {:<10}",
            c.u_threshold, c.l_threshold, d.conns.active, d.conns.inactive
        );
    } else if f.persistent_conn {
        let _ = writeln!(
            out,
            " {:<9} {:<11} {:<10} {:<10}",
            c.weight, d.conns.persistent, d.conns.active, d.conns.inactive
        );
    } else if f.tun_info {
        let ti = tun_info(d).unwrap_or_else(|| "n/a".to_string());
        let _ = writeln!(
            out,
            " {:<7} {ti:<13} {:<6} {:<10} {:<10}",
            fwd_name(c.forward),
            c.weight as i32,
            d.conns.active,
            d.conns.inactive
        );
    } else {
        // " %-7s %-6d %-10u %-10u\n" after the name, without the
        // formatting machinery: this is the line kube-proxy nodes list
        // by the thousand.
        out.push(' ');
        let at = out.len();
        out.push_str(fwd_name(c.forward));
        pad_from(out, at, 7);
        out.push(' ');
        let at = out.len();
        push_signed(out, c.weight as i32);
        pad_from(out, at, 6);
        out.push(' ');
        let at = out.len();
        push_decimal(out, d.conns.active);
        pad_from(out, at, 10);
        out.push(' ');
        let at = out.len();
        push_decimal(out, d.conns.inactive);
        pad_from(out, at, 10);
        out.push('\n');
    }
}

/// `list_timeout`.
pub fn timeouts(t: &Timeouts) -> String {
    format!(
        "Timeout (tcp tcpfin udp): {} {} {}\n",
        t.tcp as i32, t.tcp_fin as i32, t.udp as i32
    )
}

/// `list_daemon`: at most the first two daemons the kernel reports.
pub fn daemons(ds: &[Daemon]) -> String {
    let mut out = String::new();
    for d in ds.iter().take(2) {
        let kind = if d.state & 1 != 0 {
            "master"
        } else if d.state & 2 != 0 {
            "backup"
        } else {
            continue;
        };
        let _ = write!(
            out,
            "{kind} sync daemon (mcast={}, syncid={}",
            d.mcast_ifn, d.syncid as i32
        );
        if d.sync_maxlen != 0 {
            let _ = write!(out, ", maxlen={}", d.sync_maxlen);
        }
        if let Some(g) = d.mcast_group {
            let _ = write!(out, ", group={}", ntop(&g));
        }
        if d.mcast_port != 0 {
            let _ = write!(out, ", port={}", d.mcast_port);
        }
        if d.mcast_ttl != 0 {
            let _ = write!(out, ", ttl={}", d.mcast_ttl);
        }
        out.push_str(")\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ntop6_like_glibc() {
        let t = |s: &str| inet_ntop6(&s.parse().unwrap());
        assert_eq!(t("::"), "::");
        assert_eq!(t("::1"), "::1");
        assert_eq!(t("2001:db8::1"), "2001:db8::1");
        assert_eq!(t("2001:db8:0:1:0:0:0:1"), "2001:db8:0:1::1");
        assert_eq!(t("1:0:0:2:0:0:3:4"), "1::2:0:0:3:4");
        assert_eq!(t("::ffff:1.2.3.4"), "::ffff:1.2.3.4");
        assert_eq!(t("::1.2.3.4"), "::1.2.3.4");
        assert_eq!(t("fd00:0:0:0:1::"), "fd00::1:0:0:0");
        assert_eq!(t("1:2:3:4:5:6:7:0"), "1:2:3:4:5:6:7:0");
    }

    #[test]
    fn largenum_scales() {
        let f = Format::default();
        let mut s = String::new();
        largenum(&mut s, 99_999_999, &f);
        largenum(&mut s, 123_456_789, &f);
        largenum(&mut s, 12_345_678_901, &f);
        assert_eq!(s, " 99999999  123456K   12345M");
        let mut s = String::new();
        largenum(&mut s, 1_234_567_890, &Format { exact: true, ..f });
        assert_eq!(s, " 1234567890");
    }

    #[test]
    fn small_decimals_and_padding() {
        for n in [0u32, 7, 10, 99, 100, 255, 256, 8080, 65535, u32::MAX] {
            let mut s = String::from("x");
            push_decimal(&mut s, n);
            assert_eq!(s, format!("x{n}"));
        }
        for w in [0, 3, 5, 28, 64, 65, 130] {
            let mut s = String::from("ab");
            pad_from(&mut s, 1, w);
            assert_eq!(s, format!("a{:<w$}", "b"));
        }
    }

    /// C's `%-33s` and `%-28s` count bytes: a host name with a two-byte
    /// character is padded one space less than Rust's `{:<33}` would.
    #[test]
    fn listings_pad_names_by_bytes() {
        use crate::ipvs::{ConnCounts, DestConfig, ServiceConfig, Stats};
        use crate::resolve::Table;
        use std::net::IpAddr;
        let svc_ip: IpAddr = "10.0.0.1".parse().unwrap();
        let dest_ip: IpAddr = "10.0.0.2".parse().unwrap();
        let svc = Service {
            id: ServiceId::Addr {
                protocol: Protocol::Tcp,
                addr: svc_ip,
                port: 80,
            },
            config: ServiceConfig {
                scheduler: "rr".into(),
                ..Default::default()
            },
            stats: Stats::default(),
        };
        let dest = Dest {
            addr: dest_ip,
            port: 80,
            config: DestConfig::default(),
            conns: ConnCounts::default(),
            stats: Stats::default(),
        };
        let text = |host: &str, f: &Format| {
            let mut t = Table::default();
            t.names.insert(svc_ip, format!("{host}-svc"));
            t.names.insert(dest_ip, format!("{host}-dst"));
            let names = Names::new(&t);
            let mut out = String::new();
            service_entry(&mut out, &svc, std::slice::from_ref(&dest), f, &names);
            out
        };
        for f in [
            Format::default(),
            Format {
                stats: true,
                ..Default::default()
            },
            Format {
                rate: true,
                ..Default::default()
            },
            Format {
                thresholds: true,
                ..Default::default()
            },
            Format {
                persistent_conn: true,
                ..Default::default()
            },
            Format {
                tun_info: true,
                ..Default::default()
            },
        ] {
            let ascii = text("xyz", &f);
            let accented = text("xé", &f);
            assert_eq!(ascii.len(), accented.len(), "{ascii:?} {accented:?}");
            assert_eq!(ascii.replace("xyz", "xé"), accented);
        }
    }
}
