//! `ipvsadm -c`: the connection table the kernel shows in
//! /proc/net/ip_vs_conn, re-printed as ipvsadm's `list_conn` and
//! `print_conn` do (hex or IPv6 addresses and ports read back, names looked
//! up unless `-n`, expiry as mm:ss, persistence-engine columns on request).

use std::fmt::Write as _;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

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
}
