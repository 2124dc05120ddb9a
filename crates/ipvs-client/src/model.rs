//! The IPVS data model: what a virtual service or real server *is*
//! (its identity), how it is configured, and what the kernel counts for it.
//! Nothing here knows about netlink bytes, the command line or text output.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// `AF_INET` and `AF_INET6` as the kernel numbers them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Family {
    /// IPv4 (`AF_INET`).
    Inet,
    /// IPv6 (`AF_INET6`).
    Inet6,
}

impl Family {
    /// The kernel's number for IPv4.
    pub const AF_INET: u16 = 2;
    /// The kernel's number for IPv6.
    pub const AF_INET6: u16 = 10;

    /// The kernel's number.
    pub fn raw(self) -> u16 {
        match self {
            Family::Inet => Self::AF_INET,
            Family::Inet6 => Self::AF_INET6,
        }
    }

    /// The family of a kernel number; `None` for any other.
    pub fn from_raw(v: u16) -> Option<Family> {
        match v {
            Self::AF_INET => Some(Family::Inet),
            Self::AF_INET6 => Some(Family::Inet6),
            _ => None,
        }
    }

    /// The family of an address.
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
    /// TCP (6).
    Tcp,
    /// UDP (17).
    Udp,
    /// SCTP (132).
    Sctp,
    /// A number the kernel reported that we have no name for.
    Other(u16),
}

impl Protocol {
    /// The IP protocol number.
    pub fn raw(self) -> u16 {
        match self {
            Protocol::Tcp => 6,
            Protocol::Udp => 17,
            Protocol::Sctp => 132,
            Protocol::Other(n) => n,
        }
    }

    /// The protocol of an IP protocol number.
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
    /// A service of packets to an address and port (`-t`, `-u`, `--sctp-service`).
    Addr {
        /// The transport protocol.
        protocol: Protocol,
        /// The virtual address; its kind is the service's family.
        addr: IpAddr,
        /// The port (0: every port, for a persistent service).
        port: u16,
    },
    /// A service of packets carrying a firewall mark (`-f`).
    Fwmark {
        /// The address family of the marked packets.
        family: Family,
        /// The firewall mark (non-zero).
        mark: u32,
    },
}

impl ServiceId {
    /// The address family.
    pub fn family(&self) -> Family {
        match self {
            ServiceId::Addr { addr, .. } => Family::of(addr),
            ServiceId::Fwmark { family, .. } => *family,
        }
    }

    /// The firewall mark, 0 for an address service.
    pub fn fwmark(&self) -> u32 {
        match self {
            ServiceId::Fwmark { mark, .. } => *mark,
            ServiceId::Addr { .. } => 0,
        }
    }

    /// The port, 0 for a firewall-mark service.
    pub fn port(&self) -> u16 {
        match self {
            ServiceId::Addr { port, .. } => *port,
            ServiceId::Fwmark { .. } => 0,
        }
    }
}

/// Service flag bits (`IP_VS_SVC_F_*`).
pub mod svc_flags {
    /// Persistent: a client goes to the same server for `timeout` seconds (`-p`).
    pub const PERSISTENT: u32 = 0x0001;
    /// Set by the kernel on every service it holds; ignore it.
    pub const HASHED: u32 = 0x0002;
    /// One-packet scheduling: each UDP datagram is scheduled alone (`-o`).
    pub const ONEPACKET: u32 = 0x0004;
    /// The first scheduler-specific flag.
    pub const SCHED1: u32 = 0x0008;
    /// The second scheduler-specific flag.
    pub const SCHED2: u32 = 0x0010;
    /// The third scheduler-specific flag.
    pub const SCHED3: u32 = 0x0020;
    /// `sh`: fall back to another server when the chosen one is unavailable.
    pub const SCHED_SH_FALLBACK: u32 = SCHED1;
    /// `sh`: hash the source port too.
    pub const SCHED_SH_PORT: u32 = SCHED2;
    /// `mh`: fall back to another server when the chosen one is unavailable.
    pub const SCHED_MH_FALLBACK: u32 = SCHED1;
    /// `mh`: hash the source port too.
    pub const SCHED_MH_PORT: u32 = SCHED2;
    /// Every scheduler-specific flag.
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

    /// The name's bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len as usize]
    }

    /// The name as text (see `crate::raw`): borrowed for a UTF-8 name.
    pub fn text(&self) -> std::borrow::Cow<'_, str> {
        crate::raw::to_text(self.as_bytes())
    }

    /// Whether the name is empty (no scheduler or engine given).
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
    /// The scheduler's name (`rr`, `wrr`, `lc`, ...; see `Scheduler`).
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
    /// Connections scheduled.
    pub conns: u64,
    /// Packets in (client to server).
    pub inpkts: u64,
    /// Packets out (server to client).
    pub outpkts: u64,
    /// Bytes in.
    pub inbytes: u64,
    /// Bytes out.
    pub outbytes: u64,
    /// Connections per second (the kernel's estimate).
    pub cps: u64,
    /// Packets in per second.
    pub inpps: u64,
    /// Packets out per second.
    pub outpps: u64,
    /// Bytes in per second.
    pub inbps: u64,
    /// Bytes out per second.
    pub outbps: u64,
}

/// A virtual service as listed by the kernel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Service {
    /// What identifies the service.
    pub id: ServiceId,
    /// How it is configured.
    pub config: ServiceConfig,
    /// What the kernel counted for it.
    pub stats: Stats,
}

/// A virtual service without its counters: what a listing that prints no
/// counters holds for each service until it is printed (half the weight
/// of a `Service`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServiceDef {
    /// What identifies the service.
    pub id: ServiceId,
    /// How it is configured.
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
    /// Masquerading, NAT (`-m`; kube-proxy's).
    Masq,
    /// Local delivery (the kernel's own).
    Local,
    /// IP-in-IP or another tunnel (`-i`).
    Tunnel,
    /// Direct routing, gatewaying (`-g`).
    Route,
    /// Bypass (the kernel's own).
    Bypass,
    /// A number this crate has no name for.
    Other(u32),
}

impl Forward {
    /// The bits of the connection flags that hold the method.
    pub const MASK: u32 = 0x0007;

    /// The kernel's number.
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
    /// IP in IP.
    Ipip,
    /// Generic UDP encapsulation.
    Gue,
    /// GRE.
    Gre,
    /// A number this crate has no name for.
    Other(u8),
}

impl TunnelType {
    /// The kernel's number.
    pub fn raw(self) -> u8 {
        match self {
            TunnelType::Ipip => 0,
            TunnelType::Gue => 1,
            TunnelType::Gre => 2,
            TunnelType::Other(n) => n,
        }
    }

    /// The type of a kernel number.
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
    /// No checksum.
    pub const NOCSUM: u16 = 0;
    /// A checksum.
    pub const CSUM: u16 = 1 << 0;
    /// A remote checksum offload.
    pub const REMCSUM: u16 = 1 << 1;
}

/// How a real server is configured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DestConfig {
    /// How packets reach the server.
    pub forward: Forward,
    /// The scheduler's weight; 0 takes no new connections (a drain).
    pub weight: u32,
    /// Upper connection threshold: above it, no new connections (0: none).
    pub u_threshold: u32,
    /// Lower connection threshold: below it, connections come again (0: none).
    pub l_threshold: u32,
    /// The tunnel's encapsulation, for `Forward::Tunnel`.
    pub tun_type: TunnelType,
    /// Tunnel port in host order.
    pub tun_port: u16,
    /// The tunnel's checksum flags (`tun_flags`).
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
    /// Active connections.
    pub active: u32,
    /// Inactive connections.
    pub inactive: u32,
    /// Persistence templates.
    pub persistent: u32,
}

/// A real server (destination) of a virtual service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dest {
    /// The server's address.
    pub addr: IpAddr,
    /// The server's port.
    pub port: u16,
    /// How it is configured.
    pub config: DestConfig,
    /// Its connection counts.
    pub conns: ConnCounts,
    /// What the kernel counted for it.
    pub stats: Stats,
}

impl Dest {
    /// The server's address family.
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
    /// The version as (major, minor, patch).
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
    /// TCP established connections.
    pub tcp: u32,
    /// TCP connections after a FIN.
    pub tcp_fin: u32,
    /// UDP.
    pub udp: u32,
}

/// Sync daemon state bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DaemonState {
    /// Sends connection state.
    Master,
    /// Receives connection state.
    Backup,
}

impl DaemonState {
    /// The kernel's bit.
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
    /// The interface the daemon multicasts on.
    pub mcast_ifn: String,
    /// The synchronisation id (0..=255).
    pub syncid: u32,
    /// The most bytes of a sync message (0: the kernel's default).
    pub sync_maxlen: u16,
    /// The multicast group (default: 224.0.0.81).
    pub mcast_group: Option<IpAddr>,
    /// The multicast port (0: the kernel's default, 8848).
    pub mcast_port: u16,
    /// The multicast TTL (0: the kernel's default, 1).
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
