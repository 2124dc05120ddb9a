//! Name resolution behind a trait, so that parsing and formatting can be
//! tested with a table of names and the tool can ask the C library, exactly
//! as ipvsadm does (gethostbyname, gethostbyaddr, getservbyname,
//! getservbyport: the hosts file, DNS and the services database as
//! nsswitch says). The unsafe blocks here are those C calls and nothing
//! else.

use std::collections::HashMap;
use std::ffi::{CStr, CString};
use std::net::{IpAddr, Ipv4Addr};

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

/// Resolution through the C library, as the reference does it.
#[derive(Debug, Default, Clone, Copy)]
pub struct System;

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
        let c = CString::new(name).ok()?;
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
        let n = CString::new(name).ok()?;
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
            Some(CStr::from_ptr((*h).h_name).to_string_lossy().into_owned())
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
            Some(CStr::from_ptr((*s).s_name).to_string_lossy().into_owned())
        }
    }
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
