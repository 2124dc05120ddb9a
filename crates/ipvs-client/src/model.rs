//! The IPVS data model: what a virtual service or real server *is*
//! (its identity), how it is configured, and what the kernel counts for it.
//! Nothing here knows about netlink bytes, the command line or text output.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// `AF_INET` and `AF_INET6` as the kernel numbers them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Family {
    Inet,
    Inet6,
}

impl Family {
    pub const AF_INET: u16 = 2;
    pub const AF_INET6: u16 = 10;

    pub fn raw(self) -> u16 {
        match self {
            Family::Inet => Self::AF_INET,
            Family::Inet6 => Self::AF_INET6,
        }
    }

    pub fn from_raw(v: u16) -> Option<Family> {
        match v {
            Self::AF_INET => Some(Family::Inet),
            Self::AF_INET6 => Some(Family::Inet6),
            _ => None,
        }
    }

    pub fn of(addr: &IpAddr) -> Family {
        match addr {
            IpAddr::V4(_) => Family::Inet,
            IpAddr::V6(_) => Family::Inet6,
        }
    }
}

/// Transport protocol of an address-based virtual service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Protocol {
    Tcp,
    Udp,
    Sctp,
    /// A number the kernel reported that we have no name for.
    Other(u16),
}

impl Protocol {
    pub fn raw(self) -> u16 {
        match self {
            Protocol::Tcp => 6,
            Protocol::Udp => 17,
            Protocol::Sctp => 132,
            Protocol::Other(n) => n,
        }
    }

    pub fn from_raw(v: u16) -> Protocol {
        match v {
            6 => Protocol::Tcp,
            17 => Protocol::Udp,
            132 => Protocol::Sctp,
            n => Protocol::Other(n),
        }
    }
}

/// What identifies a virtual service: family plus protocol/address/port,
/// or family plus firewall mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ServiceId {
    Addr {
        protocol: Protocol,
        addr: IpAddr,
        port: u16,
    },
    Fwmark {
        family: Family,
        mark: u32,
    },
}

impl ServiceId {
    pub fn family(&self) -> Family {
        match self {
            ServiceId::Addr { addr, .. } => Family::of(addr),
            ServiceId::Fwmark { family, .. } => *family,
        }
    }

    pub fn fwmark(&self) -> u32 {
        match self {
            ServiceId::Fwmark { mark, .. } => *mark,
            ServiceId::Addr { .. } => 0,
        }
    }

    pub fn port(&self) -> u16 {
        match self {
            ServiceId::Addr { port, .. } => *port,
            ServiceId::Fwmark { .. } => 0,
        }
    }
}

/// Service flag bits (`IP_VS_SVC_F_*`).
pub mod svc_flags {
    pub const PERSISTENT: u32 = 0x0001;
    pub const HASHED: u32 = 0x0002;
    pub const ONEPACKET: u32 = 0x0004;
    pub const SCHED1: u32 = 0x0008;
    pub const SCHED2: u32 = 0x0010;
    pub const SCHED3: u32 = 0x0020;
    pub const SCHED_SH_FALLBACK: u32 = SCHED1;
    pub const SCHED_SH_PORT: u32 = SCHED2;
    pub const SCHED_MH_FALLBACK: u32 = SCHED1;
    pub const SCHED_MH_PORT: u32 = SCHED2;
    pub const SCHED_ANY: u32 = SCHED1 | SCHED2 | SCHED3;
}

/// A scheduler or persistence-engine name, kept inline: the kernel's
/// fields for them are 16 bytes (`IP_VS_SCHEDNAME_MAXLEN`,
/// `IP_VS_PENAME_MAXLEN`), and a listing of tens of thousands of services
/// then allocates nothing per name (it halves what a service weighs).
/// It holds the name's bytes as the kernel has them, UTF-8 or not; as
/// text it is what `crate::raw` makes of them.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct ShortName {
    len: u8,
    bytes: [u8; ShortName::MAX],
}

impl ShortName {
    /// The most bytes a name keeps.
    pub const MAX: usize = 16;

    /// The first 16 bytes `s` stands for, as libipvs copies a name into
    /// its 16-byte field with `strncpy`.
    pub fn truncated(s: &str) -> ShortName {
        Self::from_bytes(&crate::raw::to_bytes(s))
    }

    /// The first 16 of these bytes.
    pub fn from_bytes(b: &[u8]) -> ShortName {
        let end = b.len().min(Self::MAX);
        let mut bytes = [0; Self::MAX];
        bytes[..end].copy_from_slice(&b[..end]);
        ShortName {
            len: end as u8,
            bytes,
        }
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len as usize]
    }

    /// The name as text (see `crate::raw`): borrowed for a UTF-8 name.
    pub fn text(&self) -> std::borrow::Cow<'_, str> {
        crate::raw::to_text(self.as_bytes())
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

impl From<&str> for ShortName {
    fn from(s: &str) -> ShortName {
        ShortName::truncated(s)
    }
}

impl std::fmt::Display for ShortName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(&self.text())
    }
}

impl std::fmt::Debug for ShortName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&self.text(), f)
    }
}

impl PartialEq<str> for ShortName {
    fn eq(&self, other: &str) -> bool {
        self.as_bytes() == &*crate::raw::to_bytes(other)
    }
}

impl PartialEq<&str> for ShortName {
    fn eq(&self, other: &&str) -> bool {
        *self == **other
    }
}

/// How a virtual service is configured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServiceConfig {
    pub scheduler: ShortName,
    /// `IP_VS_SVC_F_*` bits (flags & mask as the kernel reports them).
    pub flags: u32,
    /// Persistence timeout in seconds.
    pub timeout: u32,
    /// Persistence granularity: for IPv4 the mask as the four bytes the
    /// kernel carries (network order), for IPv6 the prefix length. Kept as
    /// the kernel's 32-bit word read in host order, as libipvs does.
    pub netmask: u32,
    /// Persistence engine name, empty when none.
    pub pe_name: ShortName,
}

impl Default for ServiceConfig {
    fn default() -> Self {
        ServiceConfig {
            scheduler: ShortName::default(),
            flags: 0,
            timeout: 0,
            netmask: u32::MAX,
            pe_name: ShortName::default(),
        }
    }
}

impl ServiceConfig {
    /// The IPv4 persistence mask this config carries.
    pub fn netmask_v4(&self) -> Ipv4Addr {
        Ipv4Addr::from(self.netmask.to_ne_bytes())
    }

    /// Build the raw netmask word from an IPv4 mask.
    pub fn raw_netmask_v4(mask: Ipv4Addr) -> u32 {
        u32::from_ne_bytes(mask.octets())
    }
}

/// Traffic counters and rates (`ip_vs_stats64`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    pub conns: u64,
    pub inpkts: u64,
    pub outpkts: u64,
    pub inbytes: u64,
    pub outbytes: u64,
    pub cps: u64,
    pub inpps: u64,
    pub outpps: u64,
    pub inbps: u64,
    pub outbps: u64,
}

/// A virtual service as listed by the kernel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Service {
    pub id: ServiceId,
    pub config: ServiceConfig,
    pub stats: Stats,
}

/// A virtual service without its counters: what a listing that prints no
/// counters holds for each service until it is printed (half the weight
/// of a `Service`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServiceDef {
    pub id: ServiceId,
    pub config: ServiceConfig,
}

impl ServiceDef {
    /// The service with these counters.
    pub fn with_stats(self, stats: Stats) -> Service {
        Service {
            id: self.id,
            config: self.config,
            stats,
        }
    }
}

/// Forwarding method of a real server (`IP_VS_CONN_F_FWD_MASK` values).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Forward {
    Masq,
    Local,
    Tunnel,
    Route,
    Bypass,
    Other(u32),
}

impl Forward {
    pub const MASK: u32 = 0x0007;

    pub fn raw(self) -> u32 {
        match self {
            Forward::Masq => 0,
            Forward::Local => 1,
            Forward::Tunnel => 2,
            Forward::Route => 3,
            Forward::Bypass => 4,
            Forward::Other(n) => n,
        }
    }

    /// Decode the forwarding method from connection flags.
    pub fn from_flags(v: u32) -> Forward {
        match v & Self::MASK {
            0 => Forward::Masq,
            1 => Forward::Local,
            2 => Forward::Tunnel,
            3 => Forward::Route,
            4 => Forward::Bypass,
            n => Forward::Other(n),
        }
    }
}

/// Tunnel encapsulation of a tunnelling real server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TunnelType {
    Ipip,
    Gue,
    Gre,
    Other(u8),
}

impl TunnelType {
    pub fn raw(self) -> u8 {
        match self {
            TunnelType::Ipip => 0,
            TunnelType::Gue => 1,
            TunnelType::Gre => 2,
            TunnelType::Other(n) => n,
        }
    }

    pub fn from_raw(v: u8) -> TunnelType {
        match v {
            0 => TunnelType::Ipip,
            1 => TunnelType::Gue,
            2 => TunnelType::Gre,
            n => TunnelType::Other(n),
        }
    }
}

/// Tunnel checksum flags (`IP_VS_TUNNEL_ENCAP_FLAG_*`).
pub mod tun_flags {
    pub const NOCSUM: u16 = 0;
    pub const CSUM: u16 = 1 << 0;
    pub const REMCSUM: u16 = 1 << 1;
}

/// How a real server is configured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DestConfig {
    pub forward: Forward,
    pub weight: u32,
    pub u_threshold: u32,
    pub l_threshold: u32,
    pub tun_type: TunnelType,
    /// Tunnel port in host order.
    pub tun_port: u16,
    pub tun_flags: u16,
}

impl Default for DestConfig {
    fn default() -> Self {
        DestConfig {
            forward: Forward::Route,
            weight: 1,
            u_threshold: 0,
            l_threshold: 0,
            tun_type: TunnelType::Ipip,
            tun_port: 0,
            tun_flags: 0,
        }
    }
}

/// Connection counts the kernel keeps per real server.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ConnCounts {
    pub active: u32,
    pub inactive: u32,
    pub persistent: u32,
}

/// A real server (destination) of a virtual service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dest {
    pub addr: IpAddr,
    pub port: u16,
    pub config: DestConfig,
    pub conns: ConnCounts,
    pub stats: Stats,
}

impl Dest {
    pub fn family(&self) -> Family {
        Family::of(&self.addr)
    }
}

/// What GET_INFO reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Info {
    /// Version as 0x00MMmmpp.
    pub version: u32,
    /// Size of the connection hash table.
    pub conn_tab_size: u32,
}

impl Info {
    pub fn version_triple(&self) -> (u32, u32, u32) {
        (
            (self.version >> 16) & 0xff,
            (self.version >> 8) & 0xff,
            self.version & 0xff,
        )
    }
}

/// Connection timeouts in seconds (`--set tcp tcpfin udp`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Timeouts {
    pub tcp: u32,
    pub tcp_fin: u32,
    pub udp: u32,
}

/// Sync daemon state bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DaemonState {
    Master,
    Backup,
}

impl DaemonState {
    pub fn raw(self) -> u32 {
        match self {
            DaemonState::Master => 1,
            DaemonState::Backup => 2,
        }
    }
}

/// A connection synchronisation daemon.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Daemon {
    /// Raw state bits (1 master, 2 backup).
    pub state: u32,
    pub mcast_ifn: String,
    pub syncid: u32,
    pub sync_maxlen: u16,
    pub mcast_group: Option<IpAddr>,
    pub mcast_port: u16,
    pub mcast_ttl: u8,
}

/// The unspecified address of a family, used where the kernel wants an
/// address attribute but the service is a fwmark one.
pub fn unspecified(family: Family) -> IpAddr {
    match family {
        Family::Inet => IpAddr::V4(Ipv4Addr::UNSPECIFIED),
        Family::Inet6 => IpAddr::V6(Ipv6Addr::UNSPECIFIED),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_names_keep_sixteen_bytes_at_most() {
        assert_eq!(ShortName::truncated("wlc"), "wlc");
        assert_eq!(ShortName::truncated(""), "");
        assert!(ShortName::default().is_empty());
        let long = "abcdefghijklmnopqrstuvwxyz";
        assert_eq!(ShortName::truncated(long), "abcdefghijklmnop");
        // Cut in bytes as strncpy cuts: "é" is two bytes, at 15-16, and
        // its first stays (as text, the escape of a lone byte).
        let accented = "abcdefghijklmnoé";
        assert_eq!(accented.len(), 17);
        let cut = ShortName::truncated(accented);
        assert_eq!(cut.as_bytes(), b"abcdefghijklmno\xc3");
        assert_eq!(crate::raw::to_bytes(&cut.text()), cut.as_bytes());
        // A name given in bytes that are not UTF-8 keeps them.
        let raw = ShortName::truncated(&crate::raw::to_text(b"r\xffr"));
        assert_eq!(raw.as_bytes(), b"r\xffr");
        // Padded like a &str by the formatting machinery.
        assert_eq!(format!("[{:<5}]", ShortName::from("rr")), "[rr   ]");
        assert_eq!(format!("{:?}", ShortName::from("sip")), "\"sip\"");
    }

    /// A listing holds every service at once: 10,000 of them weigh 1.5 MB
    /// at this size (0.7 MB without counters). Names are inline, not heap
    /// strings, and nothing else should make a service heavier without a
    /// reason.
    #[cfg(target_pointer_width = "64")]
    #[test]
    fn a_service_weighs_152_bytes() {
        assert_eq!(std::mem::size_of::<ShortName>(), 17);
        assert_eq!(std::mem::size_of::<ServiceConfig>(), 48);
        assert_eq!(std::mem::size_of::<Service>(), 152);
        assert_eq!(std::mem::size_of::<ServiceDef>(), 72);
    }
}
