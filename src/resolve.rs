//! Name resolution behind a trait, so that parsing and formatting can be
//! tested with a table of names and the tool can ask the C library, exactly
//! as ipvsadm does (gethostbyname, gethostbyaddr, getservbyname,
//! getservbyport: the hosts file, DNS and the services database as
//! nsswitch says). One shortcut: where nsswitch takes host names from
//! the hosts file alone, reverse lookups read it once (`HostsFile`)
//! instead of once per address. The unsafe blocks here are those C calls
//! and nothing else.

use std::cell::OnceCell;
use std::collections::HashMap;
use std::ffi::{CStr, CString};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::cstd::{inet_pton4, inet_pton6, is_c_space};

/// The lookups ipvsadm makes.
pub trait Resolver {
    /// `host_to_addr`: a host name to its first IPv4 address.
    fn host_to_ipv4(&self, name: &str) -> Option<Ipv4Addr>;
    /// `service_to_port`: a service name to its port for a protocol
    /// ("tcp", "udp", "sctp").
    fn service_to_port(&self, name: &str, proto: &str) -> Option<u16>;
    /// `addr_to_host`: the name of an address.
    fn addr_to_host(&self, addr: &IpAddr) -> Option<String>;
    /// `port_to_service`: the service name of a port for a protocol.
    fn port_to_service(&self, port: u16, proto: &str) -> Option<String>;
}

/// Resolution through the C library, as the reference does it, but for
/// reverse lookups answered from the hosts file read once where glibc
/// would read nothing else (see `HostsFile::when_files_alone`).
#[derive(Debug, Default)]
pub struct System {
    /// Made at the first reverse lookup; `None` inside: ask glibc.
    hosts: OnceCell<Option<HostsFile>>,
}

impl System {
    pub fn new() -> System {
        System::default()
    }
}

extern "C" {
    fn gethostbyname(name: *const libc::c_char) -> *mut libc::hostent;
    fn gethostbyaddr(
        addr: *const libc::c_void,
        len: libc::socklen_t,
        family: libc::c_int,
    ) -> *mut libc::hostent;
}

impl Resolver for System {
    fn host_to_ipv4(&self, name: &str) -> Option<Ipv4Addr> {
        let c = crate::raw::cstring(name)?;
        // SAFETY: gethostbyname returns NULL or a pointer to static storage
        // that stays valid until the next resolver call; we copy out of it
        // before returning.
        unsafe {
            let h = gethostbyname(c.as_ptr());
            if h.is_null() {
                return None;
            }
            let h = &*h;
            if h.h_addrtype != libc::AF_INET || h.h_length != 4 || h.h_addr_list.is_null() {
                return None;
            }
            let first = *h.h_addr_list;
            if first.is_null() {
                return None;
            }
            let b = std::slice::from_raw_parts(first as *const u8, 4);
            Some(Ipv4Addr::new(b[0], b[1], b[2], b[3]))
        }
    }

    fn service_to_port(&self, name: &str, proto: &str) -> Option<u16> {
        let n = crate::raw::cstring(name)?;
        let p = CString::new(proto).ok()?;
        // SAFETY: as above, static storage copied out at once.
        unsafe {
            let s = libc::getservbyname(n.as_ptr(), p.as_ptr());
            if s.is_null() {
                return None;
            }
            Some(u16::from_be((*s).s_port as u16))
        }
    }

    fn addr_to_host(&self, addr: &IpAddr) -> Option<String> {
        if let Some(hosts) = self.hosts.get_or_init(HostsFile::when_files_alone) {
            return hosts.name_of(addr);
        }
        let (bytes, family): (Vec<u8>, libc::c_int) = match addr {
            IpAddr::V4(a) => (a.octets().to_vec(), libc::AF_INET),
            IpAddr::V6(a) => (a.octets().to_vec(), libc::AF_INET6),
        };
        // SAFETY: as above, static storage copied out at once.
        unsafe {
            let h = gethostbyaddr(
                bytes.as_ptr() as *const libc::c_void,
                bytes.len() as libc::socklen_t,
                family,
            );
            if h.is_null() || (*h).h_name.is_null() {
                return None;
            }
            Some(crate::raw::to_text(CStr::from_ptr((*h).h_name).to_bytes()).into_owned())
        }
    }

    fn port_to_service(&self, port: u16, proto: &str) -> Option<String> {
        let p = CString::new(proto).ok()?;
        // SAFETY: as above, static storage copied out at once.
        unsafe {
            let s = libc::getservbyport(port.to_be() as libc::c_int, p.as_ptr());
            if s.is_null() || (*s).s_name.is_null() {
                return None;
            }
            Some(crate::raw::to_text(CStr::from_ptr((*s).s_name).to_bytes()).into_owned())
        }
    }
}

/// The hosts file as glibc's `files` service reads it for gethostbyaddr
/// (glibc 2.36, nss_files): the first line whose address is the one asked
/// gives its name. A listing of thousands of addresses then reads the file
/// once, where glibc reopens and rereads it for every address.
#[derive(Debug, Default)]
pub struct HostsFile {
    v4: HashMap<[u8; 4], String>,
    v6: HashMap<[u8; 16], String>,
}

/// nss_files' `STRING_FIELD` with blanks as separators: the run of
/// non-blanks at the start of `s`, and what follows the blanks after it.
fn string_field(s: &[u8]) -> (&[u8], &[u8]) {
    let end = s.iter().position(|&b| is_c_space(b)).unwrap_or(s.len());
    (&s[..end], skip_blanks(&s[end..]))
}

fn skip_blanks(s: &[u8]) -> &[u8] {
    &s[s.iter().position(|&b| !is_c_space(b)).unwrap_or(s.len())..]
}

impl HostsFile {
    /// /etc/hosts, where glibc's gethostbyaddr would consult nothing
    /// else and change nothing in its answer: nsswitch.conf takes hosts
    /// from `files` alone, host.conf trims no domains, and no RESOLV_
    /// variable changes how host.conf is read. Anything less plain, or a
    /// file that cannot be read, leaves every lookup to glibc (`None`).
    pub fn when_files_alone() -> Option<HostsFile> {
        if std::env::vars_os().any(|(k, _)| k.to_string_lossy().starts_with("RESOLV_")) {
            return None;
        }
        let nsswitch = std::fs::read("/etc/nsswitch.conf").ok()?;
        if !hosts_from_files_alone(&nsswitch) {
            return None;
        }
        match std::fs::read("/etc/host.conf") {
            Ok(conf) if conf.to_ascii_lowercase().windows(4).any(|w| w == b"trim") => return None,
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(_) => return None,
        }
        Some(HostsFile::parse(&std::fs::read("/etc/hosts").ok()?))
    }

    /// Read a hosts file's text as nss_files does, line by line
    /// (`__nss_readline`, then the hosts `LINE_PARSER`).
    pub fn parse(text: &[u8]) -> HostsFile {
        let mut h = HostsFile::default();
        for raw in text.split(|&b| b == b'\n') {
            // fgets keeps the line whole, but C reads it up to a NUL.
            let line = raw.split(|&b| b == 0).next().unwrap_or_default();
            // Leading blanks go; blank lines and comment lines are skipped;
            // the rest of a line is cut at its first `#`.
            let line = skip_blanks(line);
            let line = line.split(|&b| b == b'#').next().unwrap_or_default();
            if line.is_empty() {
                continue;
            }
            // The address, then the name: empty when the line ends there.
            let (addr, rest) = string_field(line);
            let (name, _) = string_field(rest);
            let Ok(addr) = std::str::from_utf8(addr) else {
                continue;
            };
            let name = crate::raw::to_text(name);
            // As an IPv4 lookup reads the line: a dotted quad, or an IPv6
            // address that is IPv4-mapped or the loopback.
            let v6 = inet_pton6(addr);
            let v4 = inet_pton4(addr).or_else(|| match v6? {
                a if a == Ipv6Addr::LOCALHOST => Some(Ipv4Addr::LOCALHOST),
                a => a.to_ipv4_mapped(),
            });
            if let Some(k) = v4 {
                h.v4.entry(k.octets()).or_insert_with(|| name.to_string());
            }
            // An IPv6 lookup reads IPv6 addresses only.
            if let Some(a) = v6 {
                h.v6.entry(a.octets()).or_insert_with(|| name.to_string());
            }
        }
        h
    }

    /// gethostbyaddr's answer: the name of the first matching line; none
    /// for the IPv6 unspecified address, which glibc never looks up.
    pub fn name_of(&self, addr: &IpAddr) -> Option<String> {
        match addr {
            IpAddr::V4(a) => self.v4.get(&a.octets()).cloned(),
            IpAddr::V6(a) if a.is_unspecified() => None,
            IpAddr::V6(a) => self.v6.get(&a.octets()).cloned(),
        }
    }
}

/// Whether nsswitch.conf's text takes host names from `files` and nothing
/// else, written plainly: one `hosts:` line at the start of a line, whose
/// only word is `files`. Anything glibc might read otherwise (a second
/// hosts line, an action, a differently written one, indented lines that
/// could continue it) counts as no.
fn hosts_from_files_alone(conf: &[u8]) -> bool {
    let Ok(conf) = std::str::from_utf8(conf) else {
        return false;
    };
    let mut plain = None;
    for line in conf.lines() {
        let line = line.split('#').next().unwrap_or_default();
        if line.trim().is_empty() {
            continue;
        }
        if line.starts_with(|c: char| c.is_ascii_whitespace()) {
            return false;
        }
        if let Some(services) = line.strip_prefix("hosts:") {
            if plain.is_some() {
                return false;
            }
            plain = Some(services.split_ascii_whitespace().eq(["files"]));
        } else if line.to_ascii_lowercase().starts_with("hosts") {
            return false;
        }
    }
    plain == Some(true)
}

/// A fixed table of names, for tests and for `-n`-like runs that must not
/// touch the system's databases.
#[derive(Debug, Default, Clone)]
pub struct Table {
    pub hosts: HashMap<String, Ipv4Addr>,
    pub names: HashMap<IpAddr, String>,
    pub services: HashMap<(String, String), u16>,
    pub ports: HashMap<(u16, String), String>,
}

impl Resolver for Table {
    fn host_to_ipv4(&self, name: &str) -> Option<Ipv4Addr> {
        self.hosts.get(name).copied()
    }
    fn service_to_port(&self, name: &str, proto: &str) -> Option<u16> {
        self.services
            .get(&(name.to_string(), proto.to_string()))
            .copied()
    }
    fn addr_to_host(&self, addr: &IpAddr) -> Option<String> {
        self.names.get(addr).cloned()
    }
    fn port_to_service(&self, port: u16, proto: &str) -> Option<String> {
        self.ports.get(&(port, proto.to_string())).cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(h: &HostsFile, a: &str) -> Option<String> {
        h.name_of(&a.parse().unwrap())
    }

    /// The lines nss_files reads in its own way; tests/scenarios/hosts-file.scn
    /// puts the same kind of file before the reference in the test kernel.
    #[test]
    fn hosts_file_read_as_nss_files_reads_it() {
        let text = b"   10.0.0.1 leading-blanks\n\
            10.0.0.1 second-line-loses\n\
            \t# 10.0.0.2 indented-comment\n\
            10.0.0.2\ttabbed\talias # comment\n\
            10.0.0.3#glued-comment\n\
            10.0.0.4\n\
            10.0.0.5 carriage\r\n\
            010.0.0.6 leading-zero\n\
            10.0.0.6 six\n\
            ::ffff:10.0.0.7 mapped\n\
            ::1 v6-loopback\n\
            127.0.0.1 localhost\n\
            10.0.0.8\x0bvtab\x0cformfeed\n\
            fd00::8%eth0 zoned\n\
            fd00:0:0::8 v6-eight\n\
            10.0.0.9 before\0after-nul\n\
            :: unspecified\n\
            10.0.0.10 caf\xc3\xa9\n\
            10.0.0.11 no-newline-at-the-end";
        let h = HostsFile::parse(text);
        let want = [
            ("10.0.0.1", Some("leading-blanks")),
            ("10.0.0.2", Some("tabbed")),
            ("10.0.0.3", Some("")),
            ("10.0.0.4", Some("")),
            ("10.0.0.5", Some("carriage")),
            ("10.0.0.6", Some("six")),
            ("10.0.0.7", Some("mapped")),
            ("::ffff:10.0.0.7", Some("mapped")),
            ("127.0.0.1", Some("v6-loopback")),
            ("::1", Some("v6-loopback")),
            ("10.0.0.8", Some("vtab")),
            ("fd00::8", Some("v6-eight")),
            ("10.0.0.9", Some("before")),
            ("::", None),
            ("10.0.0.10", Some("café")),
            ("10.0.0.11", Some("no-newline-at-the-end")),
            ("10.0.0.12", None),
        ];
        for (addr, name_there) in want {
            assert_eq!(name(&h, addr).as_deref(), name_there, "{addr}");
        }
        // A dotted quad is no IPv6 address: IPv6 lookups skip the line.
        assert_eq!(name(&h, "::ffff:10.0.0.6"), None);
    }

    #[test]
    fn only_a_plain_files_hosts_line_takes_the_shortcut() {
        let yes = [
            "hosts: files\n",
            "passwd: files\nhosts:     files   # comment\nservices: files\n",
            "hosts:files",
            "# hosts: dns\nhosts: files\n",
        ];
        for c in yes {
            assert!(hosts_from_files_alone(c.as_bytes()), "{c:?}");
        }
        let no = [
            "",
            "passwd: files\n",
            "hosts: files dns\n",
            "hosts: files [NOTFOUND=return] dns\n",
            "hosts: dns files\n",
            "hosts: files\nhosts: files\n",
            "hosts : files\n",
            "Hosts: files\n",
            " hosts: files\n",
            "hosts: files\n  dns\n",
            "hosts: files mdns4_minimal\n",
        ];
        for c in no {
            assert!(!hosts_from_files_alone(c.as_bytes()), "{c:?}");
        }
    }
}
