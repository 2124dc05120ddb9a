//! The "IPVS" generic-netlink family, version 1: command numbers, one
//! attribute enum per nesting level (each with an `Other` fallback so an
//! attribute we do not know is kept, never a panic), and the message type
//! that netlink-packet-generic wraps. Names follow the kernel's
//! `include/uapi/linux/ip_vs.h`. Nested attributes go without the
//! NLA_F_NESTED flag, as the kernel's IPVS replies and libnl's requests
//! carry them, so that a decoded reply encodes back to the same bytes.

use netlink_packet_core::{
    emit_u16, emit_u32, emit_u64, parse_u16, parse_u32, parse_u64, parse_u8, DecodeError,
    DefaultNla, Emitable, Nla, NlaBuffer, NlasIterator, Parseable, ParseableParametrized,
};
use netlink_packet_generic::{GenlFamily, GenlHeader};

/// The generic-netlink family's name.
pub const IPVS_GENL_NAME: &str = "IPVS";
/// The family's version.
pub const IPVS_GENL_VERSION: u8 = 1;

/// Generic-netlink commands of the family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IpvsCmd {
    /// Add a service.
    NewService,
    /// Change a service.
    SetService,
    /// Remove a service.
    DelService,
    /// List services (a dump) or one.
    GetService,
    /// Add a real server.
    NewDest,
    /// Change a real server.
    SetDest,
    /// Remove a real server.
    DelDest,
    /// List the real servers of a service.
    GetDest,
    /// Start a sync daemon.
    NewDaemon,
    /// Stop a sync daemon.
    DelDaemon,
    /// List the sync daemons.
    GetDaemon,
    /// Set the timeouts.
    SetConfig,
    /// Read the timeouts.
    GetConfig,
    /// The command of GET_INFO's reply.
    SetInfo,
    /// Read the version and connection table size.
    GetInfo,
    /// Zero counters.
    Zero,
    /// Remove every service.
    Flush,
    /// A command number this crate has no name for.
    Other(u8),
}

impl IpvsCmd {
    /// The kernel's number.
    pub fn raw(self) -> u8 {
        use IpvsCmd::*;
        match self {
            NewService => 1,
            SetService => 2,
            DelService => 3,
            GetService => 4,
            NewDest => 5,
            SetDest => 6,
            DelDest => 7,
            GetDest => 8,
            NewDaemon => 9,
            DelDaemon => 10,
            GetDaemon => 11,
            SetConfig => 12,
            GetConfig => 13,
            SetInfo => 14,
            GetInfo => 15,
            Zero => 16,
            Flush => 17,
            Other(n) => n,
        }
    }

    /// The value of a kernel number.
    pub fn from_raw(v: u8) -> IpvsCmd {
        use IpvsCmd::*;
        match v {
            1 => NewService,
            2 => SetService,
            3 => DelService,
            4 => GetService,
            5 => NewDest,
            6 => SetDest,
            7 => DelDest,
            8 => GetDest,
            9 => NewDaemon,
            10 => DelDaemon,
            11 => GetDaemon,
            12 => SetConfig,
            13 => GetConfig,
            14 => SetInfo,
            15 => GetInfo,
            16 => Zero,
            17 => Flush,
            n => Other(n),
        }
    }
}

// First-level attributes (IPVS_CMD_ATTR_*).
/// The attribute number `IPVS_CMD_ATTR_SERVICE`.
pub const IPVS_CMD_ATTR_SERVICE: u16 = 1;
/// The attribute number `IPVS_CMD_ATTR_DEST`.
pub const IPVS_CMD_ATTR_DEST: u16 = 2;
/// The attribute number `IPVS_CMD_ATTR_DAEMON`.
pub const IPVS_CMD_ATTR_DAEMON: u16 = 3;
/// The attribute number `IPVS_CMD_ATTR_TIMEOUT_TCP`.
pub const IPVS_CMD_ATTR_TIMEOUT_TCP: u16 = 4;
/// The attribute number `IPVS_CMD_ATTR_TIMEOUT_TCP_FIN`.
pub const IPVS_CMD_ATTR_TIMEOUT_TCP_FIN: u16 = 5;
/// The attribute number `IPVS_CMD_ATTR_TIMEOUT_UDP`.
pub const IPVS_CMD_ATTR_TIMEOUT_UDP: u16 = 6;

// GET_INFO replies (command SET_INFO) reuse the first level with these.
/// The attribute number `IPVS_INFO_ATTR_VERSION`.
pub const IPVS_INFO_ATTR_VERSION: u16 = 1;
/// The attribute number `IPVS_INFO_ATTR_CONN_TAB_SIZE`.
pub const IPVS_INFO_ATTR_CONN_TAB_SIZE: u16 = 2;

// Service attributes (IPVS_SVC_ATTR_*).
/// The attribute number `IPVS_SVC_ATTR_AF`.
pub const IPVS_SVC_ATTR_AF: u16 = 1;
/// The attribute number `IPVS_SVC_ATTR_PROTOCOL`.
pub const IPVS_SVC_ATTR_PROTOCOL: u16 = 2;
/// The attribute number `IPVS_SVC_ATTR_ADDR`.
pub const IPVS_SVC_ATTR_ADDR: u16 = 3;
/// The attribute number `IPVS_SVC_ATTR_PORT`.
pub const IPVS_SVC_ATTR_PORT: u16 = 4;
/// The attribute number `IPVS_SVC_ATTR_FWMARK`.
pub const IPVS_SVC_ATTR_FWMARK: u16 = 5;
/// The attribute number `IPVS_SVC_ATTR_SCHED_NAME`.
pub const IPVS_SVC_ATTR_SCHED_NAME: u16 = 6;
/// The attribute number `IPVS_SVC_ATTR_FLAGS`.
pub const IPVS_SVC_ATTR_FLAGS: u16 = 7;
/// The attribute number `IPVS_SVC_ATTR_TIMEOUT`.
pub const IPVS_SVC_ATTR_TIMEOUT: u16 = 8;
/// The attribute number `IPVS_SVC_ATTR_NETMASK`.
pub const IPVS_SVC_ATTR_NETMASK: u16 = 9;
/// The attribute number `IPVS_SVC_ATTR_STATS`.
pub const IPVS_SVC_ATTR_STATS: u16 = 10;
/// The attribute number `IPVS_SVC_ATTR_PE_NAME`.
pub const IPVS_SVC_ATTR_PE_NAME: u16 = 11;
/// The attribute number `IPVS_SVC_ATTR_STATS64`.
pub const IPVS_SVC_ATTR_STATS64: u16 = 12;

// Destination attributes (IPVS_DEST_ATTR_*).
/// The attribute number `IPVS_DEST_ATTR_ADDR`.
pub const IPVS_DEST_ATTR_ADDR: u16 = 1;
/// The attribute number `IPVS_DEST_ATTR_PORT`.
pub const IPVS_DEST_ATTR_PORT: u16 = 2;
/// The attribute number `IPVS_DEST_ATTR_FWD_METHOD`.
pub const IPVS_DEST_ATTR_FWD_METHOD: u16 = 3;
/// The attribute number `IPVS_DEST_ATTR_WEIGHT`.
pub const IPVS_DEST_ATTR_WEIGHT: u16 = 4;
/// The attribute number `IPVS_DEST_ATTR_U_THRESH`.
pub const IPVS_DEST_ATTR_U_THRESH: u16 = 5;
/// The attribute number `IPVS_DEST_ATTR_L_THRESH`.
pub const IPVS_DEST_ATTR_L_THRESH: u16 = 6;
/// The attribute number `IPVS_DEST_ATTR_ACTIVE_CONNS`.
pub const IPVS_DEST_ATTR_ACTIVE_CONNS: u16 = 7;
/// The attribute number `IPVS_DEST_ATTR_INACT_CONNS`.
pub const IPVS_DEST_ATTR_INACT_CONNS: u16 = 8;
/// The attribute number `IPVS_DEST_ATTR_PERSIST_CONNS`.
pub const IPVS_DEST_ATTR_PERSIST_CONNS: u16 = 9;
/// The attribute number `IPVS_DEST_ATTR_STATS`.
pub const IPVS_DEST_ATTR_STATS: u16 = 10;
/// The attribute number `IPVS_DEST_ATTR_ADDR_FAMILY`.
pub const IPVS_DEST_ATTR_ADDR_FAMILY: u16 = 11;
/// The attribute number `IPVS_DEST_ATTR_STATS64`.
pub const IPVS_DEST_ATTR_STATS64: u16 = 12;
/// The attribute number `IPVS_DEST_ATTR_TUN_TYPE`.
pub const IPVS_DEST_ATTR_TUN_TYPE: u16 = 13;
/// The attribute number `IPVS_DEST_ATTR_TUN_PORT`.
pub const IPVS_DEST_ATTR_TUN_PORT: u16 = 14;
/// The attribute number `IPVS_DEST_ATTR_TUN_FLAGS`.
pub const IPVS_DEST_ATTR_TUN_FLAGS: u16 = 15;

// Daemon attributes (IPVS_DAEMON_ATTR_*).
/// The attribute number `IPVS_DAEMON_ATTR_STATE`.
pub const IPVS_DAEMON_ATTR_STATE: u16 = 1;
/// The attribute number `IPVS_DAEMON_ATTR_MCAST_IFN`.
pub const IPVS_DAEMON_ATTR_MCAST_IFN: u16 = 2;
/// The attribute number `IPVS_DAEMON_ATTR_SYNC_ID`.
pub const IPVS_DAEMON_ATTR_SYNC_ID: u16 = 3;
/// The attribute number `IPVS_DAEMON_ATTR_SYNC_MAXLEN`.
pub const IPVS_DAEMON_ATTR_SYNC_MAXLEN: u16 = 4;
/// The attribute number `IPVS_DAEMON_ATTR_MCAST_GROUP`.
pub const IPVS_DAEMON_ATTR_MCAST_GROUP: u16 = 5;
/// The attribute number `IPVS_DAEMON_ATTR_MCAST_GROUP6`.
pub const IPVS_DAEMON_ATTR_MCAST_GROUP6: u16 = 6;
/// The attribute number `IPVS_DAEMON_ATTR_MCAST_PORT`.
pub const IPVS_DAEMON_ATTR_MCAST_PORT: u16 = 7;
/// The attribute number `IPVS_DAEMON_ATTR_MCAST_TTL`.
pub const IPVS_DAEMON_ATTR_MCAST_TTL: u16 = 8;

// Statistics attributes (IPVS_STATS_ATTR_*).
/// The attribute number `IPVS_STATS_ATTR_CONNS`.
pub const IPVS_STATS_ATTR_CONNS: u16 = 1;
/// The attribute number `IPVS_STATS_ATTR_INPKTS`.
pub const IPVS_STATS_ATTR_INPKTS: u16 = 2;
/// The attribute number `IPVS_STATS_ATTR_OUTPKTS`.
pub const IPVS_STATS_ATTR_OUTPKTS: u16 = 3;
/// The attribute number `IPVS_STATS_ATTR_INBYTES`.
pub const IPVS_STATS_ATTR_INBYTES: u16 = 4;
/// The attribute number `IPVS_STATS_ATTR_OUTBYTES`.
pub const IPVS_STATS_ATTR_OUTBYTES: u16 = 5;
/// The attribute number `IPVS_STATS_ATTR_CPS`.
pub const IPVS_STATS_ATTR_CPS: u16 = 6;
/// The attribute number `IPVS_STATS_ATTR_INPPS`.
pub const IPVS_STATS_ATTR_INPPS: u16 = 7;
/// The attribute number `IPVS_STATS_ATTR_OUTPPS`.
pub const IPVS_STATS_ATTR_OUTPPS: u16 = 8;
/// The attribute number `IPVS_STATS_ATTR_INBPS`.
pub const IPVS_STATS_ATTR_INBPS: u16 = 9;
/// The attribute number `IPVS_STATS_ATTR_OUTBPS`.
pub const IPVS_STATS_ATTR_OUTBPS: u16 = 10;

/// Strip the nested and byte-order flags from an attribute type.
fn kind_of<T: AsRef<[u8]> + ?Sized>(buf: &NlaBuffer<&T>) -> u16 {
    buf.kind() & netlink_packet_core::NLA_TYPE_MASK
}

fn parse_nested<A>(value: &[u8]) -> Result<Vec<A>, DecodeError>
where
    A: for<'a> Parseable<NlaBuffer<&'a [u8]>>,
{
    NlasIterator::new(value)
        .map(|nla| nla.and_then(|b| A::parse(&b)))
        .collect()
}

/// A string attribute carries a trailing NUL.
/// A name as C sends it, with its NUL: the bytes the text stands for
/// (see `crate::raw`: a name given in bytes that are not UTF-8 goes to
/// the kernel as those bytes).
fn emit_cstr(buffer: &mut [u8], s: &str) {
    let b = crate::raw::to_bytes(s);
    buffer[..b.len()].copy_from_slice(&b);
    buffer[b.len()] = 0;
}

/// A name attribute's text: its bytes up to the first NUL, as text (see
/// `crate::raw`).
fn parse_name(v: &[u8]) -> String {
    let end = v.iter().position(|&c| c == 0).unwrap_or(v.len());
    crate::raw::to_text(&v[..end]).into_owned()
}

fn nested_len<A: Nla>(v: &[A]) -> usize {
    v.buffer_len()
}

/// One statistics counter. In STATS the 64-bit ones are INBYTES/OUTBYTES
/// and the rest are 32-bit; in STATS64 all are 64-bit. We keep the width
/// we saw so that re-encoding gives the same bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatsAttr {
    /// A 32-bit counter: its attribute number and value.
    U32(u16, u32),
    /// A 64-bit counter: its attribute number and value.
    U64(u16, u64),
    /// An attribute this crate does not know, kept as it came.
    Other(DefaultNla),
}

impl Nla for StatsAttr {
    fn value_len(&self) -> usize {
        match self {
            StatsAttr::U32(..) => 4,
            StatsAttr::U64(..) => 8,
            StatsAttr::Other(n) => n.value_len(),
        }
    }
    fn kind(&self) -> u16 {
        match self {
            StatsAttr::U32(k, _) | StatsAttr::U64(k, _) => *k,
            StatsAttr::Other(n) => n.kind(),
        }
    }
    fn emit_value(&self, buffer: &mut [u8]) {
        match self {
            StatsAttr::U32(_, v) => emit_u32(buffer, *v).expect("sized by value_len"),
            StatsAttr::U64(_, v) => emit_u64(buffer, *v).expect("sized by value_len"),
            StatsAttr::Other(n) => n.emit_value(buffer),
        }
    }
}

impl<'a, T: AsRef<[u8]> + ?Sized> Parseable<NlaBuffer<&'a T>> for StatsAttr {
    fn parse(buf: &NlaBuffer<&'a T>) -> Result<Self, DecodeError> {
        let kind = kind_of(buf);
        let v = buf.value();
        Ok(match (kind, v.len()) {
            (IPVS_STATS_ATTR_CONNS..=IPVS_STATS_ATTR_OUTBPS, 4) => {
                StatsAttr::U32(kind, parse_u32(v)?)
            }
            (IPVS_STATS_ATTR_CONNS..=IPVS_STATS_ATTR_OUTBPS, 8) => {
                StatsAttr::U64(kind, parse_u64(v)?)
            }
            (IPVS_STATS_ATTR_CONNS..=IPVS_STATS_ATTR_OUTBPS, n) => {
                return Err(DecodeError::from(format!(
                    "IPVS stats attribute {kind} has length {n}"
                )))
            }
            _ => StatsAttr::Other(DefaultNla::parse(buf)?),
        })
    }
}

/// Service attributes (nested in IPVS_CMD_ATTR_SERVICE).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SvcAttr {
    /// `IPVS_SVC_ATTR_AF`.
    Af(u16),
    /// `IPVS_SVC_ATTR_PROTOCOL`.
    Protocol(u16),
    /// Always 16 bytes on the wire (`union nf_inet_addr`).
    Addr([u8; 16]),
    /// Host order here, network order on the wire.
    Port(u16),
    /// `IPVS_SVC_ATTR_FWMARK`.
    Fwmark(u32),
    /// `IPVS_SVC_ATTR_SCHED_NAME`.
    SchedName(String),
    /// `IPVS_SVC_ATTR_FLAGS`.
    Flags {
        /// The flags set.
        flags: u32,
        /// Which flags the message sets (the others are left).
        mask: u32,
    },
    /// `IPVS_SVC_ATTR_TIMEOUT`.
    Timeout(u32),
    /// The raw 32-bit word (see `ServiceConfig::netmask`).
    Netmask(u32),
    /// `IPVS_SVC_ATTR_STATS`.
    Stats(Vec<StatsAttr>),
    /// `IPVS_SVC_ATTR_PE_NAME`.
    PeName(String),
    /// `IPVS_SVC_ATTR_STATS64`.
    Stats64(Vec<StatsAttr>),
    /// An attribute this crate does not know, kept as it came.
    Other(DefaultNla),
}

impl Nla for SvcAttr {
    fn value_len(&self) -> usize {
        use SvcAttr::*;
        match self {
            Af(_) | Protocol(_) | Port(_) => 2,
            Addr(_) => 16,
            Fwmark(_) | Timeout(_) | Netmask(_) => 4,
            SchedName(s) | PeName(s) => crate::raw::byte_len(s) + 1,
            Flags { .. } => 8,
            Stats(v) | Stats64(v) => nested_len(v),
            Other(n) => n.value_len(),
        }
    }
    fn kind(&self) -> u16 {
        use SvcAttr::*;
        match self {
            Af(_) => IPVS_SVC_ATTR_AF,
            Protocol(_) => IPVS_SVC_ATTR_PROTOCOL,
            Addr(_) => IPVS_SVC_ATTR_ADDR,
            Port(_) => IPVS_SVC_ATTR_PORT,
            Fwmark(_) => IPVS_SVC_ATTR_FWMARK,
            SchedName(_) => IPVS_SVC_ATTR_SCHED_NAME,
            Flags { .. } => IPVS_SVC_ATTR_FLAGS,
            Timeout(_) => IPVS_SVC_ATTR_TIMEOUT,
            Netmask(_) => IPVS_SVC_ATTR_NETMASK,
            Stats(_) => IPVS_SVC_ATTR_STATS,
            PeName(_) => IPVS_SVC_ATTR_PE_NAME,
            Stats64(_) => IPVS_SVC_ATTR_STATS64,
            Other(n) => n.kind(),
        }
    }
    fn emit_value(&self, buffer: &mut [u8]) {
        use SvcAttr::*;
        match self {
            Af(v) | Protocol(v) => emit_u16(buffer, *v).expect("sized"),
            Port(v) => buffer[..2].copy_from_slice(&v.to_be_bytes()),
            Addr(a) => buffer[..16].copy_from_slice(a),
            Fwmark(v) | Timeout(v) | Netmask(v) => emit_u32(buffer, *v).expect("sized"),
            SchedName(s) | PeName(s) => emit_cstr(buffer, s),
            Flags { flags, mask } => {
                emit_u32(&mut buffer[..4], *flags).expect("sized");
                emit_u32(&mut buffer[4..8], *mask).expect("sized");
            }
            Stats(v) | Stats64(v) => v.as_slice().emit(buffer),
            Other(n) => n.emit_value(buffer),
        }
    }
}

fn fixed<const N: usize>(v: &[u8], what: &str) -> Result<[u8; N], DecodeError> {
    if v.len() < N {
        return Err(DecodeError::from(format!(
            "{what}: {} bytes, expected {N}",
            v.len()
        )));
    }
    let mut out = [0u8; N];
    out.copy_from_slice(&v[..N]);
    Ok(out)
}

/// Addresses may come as 4 or 16 bytes; keep them as the 16-byte union.
fn parse_addr(v: &[u8], what: &str) -> Result<[u8; 16], DecodeError> {
    let mut out = [0u8; 16];
    match v.len() {
        4 => out[..4].copy_from_slice(v),
        n if n >= 16 => out.copy_from_slice(&v[..16]),
        n => return Err(DecodeError::from(format!("{what}: address of {n} bytes"))),
    }
    Ok(out)
}

impl<'a, T: AsRef<[u8]> + ?Sized> Parseable<NlaBuffer<&'a T>> for SvcAttr {
    fn parse(buf: &NlaBuffer<&'a T>) -> Result<Self, DecodeError> {
        use SvcAttr::*;
        let v = buf.value();
        Ok(match kind_of(buf) {
            IPVS_SVC_ATTR_AF => Af(parse_u16(v)?),
            IPVS_SVC_ATTR_PROTOCOL => Protocol(parse_u16(v)?),
            IPVS_SVC_ATTR_ADDR => Addr(parse_addr(v, "service address")?),
            IPVS_SVC_ATTR_PORT => Port(u16::from_be_bytes(fixed(v, "service port")?)),
            IPVS_SVC_ATTR_FWMARK => Fwmark(parse_u32(v)?),
            IPVS_SVC_ATTR_SCHED_NAME => SchedName(parse_name(v)),
            IPVS_SVC_ATTR_FLAGS => {
                let b: [u8; 8] = fixed(v, "service flags")?;
                Flags {
                    flags: parse_u32(&b[..4])?,
                    mask: parse_u32(&b[4..])?,
                }
            }
            IPVS_SVC_ATTR_TIMEOUT => Timeout(parse_u32(v)?),
            IPVS_SVC_ATTR_NETMASK => Netmask(parse_u32(v)?),
            IPVS_SVC_ATTR_STATS => Stats(parse_nested(v)?),
            IPVS_SVC_ATTR_PE_NAME => PeName(parse_name(v)),
            IPVS_SVC_ATTR_STATS64 => Stats64(parse_nested(v)?),
            _ => Other(DefaultNla::parse(buf)?),
        })
    }
}

/// Destination attributes (nested in IPVS_CMD_ATTR_DEST).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DestAttr {
    /// `IPVS_DEST_ATTR_ADDR`.
    Addr([u8; 16]),
    /// Host order here, network order on the wire.
    Port(u16),
    /// `IPVS_DEST_ATTR_FWD_METHOD`.
    FwdMethod(u32),
    /// `IPVS_DEST_ATTR_WEIGHT`.
    Weight(u32),
    /// `IPVS_DEST_ATTR_U_THRESH`.
    UThresh(u32),
    /// `IPVS_DEST_ATTR_L_THRESH`.
    LThresh(u32),
    /// `IPVS_DEST_ATTR_ACTIVE_CONNS`.
    ActiveConns(u32),
    /// `IPVS_DEST_ATTR_INACT_CONNS`.
    InactConns(u32),
    /// `IPVS_DEST_ATTR_PERSIST_CONNS`.
    PersistConns(u32),
    /// `IPVS_DEST_ATTR_STATS`.
    Stats(Vec<StatsAttr>),
    /// `IPVS_DEST_ATTR_ADDR_FAMILY`.
    AddrFamily(u16),
    /// `IPVS_DEST_ATTR_STATS64`.
    Stats64(Vec<StatsAttr>),
    /// `IPVS_DEST_ATTR_TUN_TYPE`.
    TunType(u8),
    /// Host order here, network order on the wire.
    TunPort(u16),
    /// `IPVS_DEST_ATTR_TUN_FLAGS`.
    TunFlags(u16),
    /// An attribute this crate does not know, kept as it came.
    Other(DefaultNla),
}

impl Nla for DestAttr {
    fn value_len(&self) -> usize {
        use DestAttr::*;
        match self {
            Addr(_) => 16,
            Port(_) | AddrFamily(_) | TunPort(_) | TunFlags(_) => 2,
            TunType(_) => 1,
            FwdMethod(_) | Weight(_) | UThresh(_) | LThresh(_) | ActiveConns(_) | InactConns(_)
            | PersistConns(_) => 4,
            Stats(v) | Stats64(v) => nested_len(v),
            Other(n) => n.value_len(),
        }
    }
    fn kind(&self) -> u16 {
        use DestAttr::*;
        match self {
            Addr(_) => IPVS_DEST_ATTR_ADDR,
            Port(_) => IPVS_DEST_ATTR_PORT,
            FwdMethod(_) => IPVS_DEST_ATTR_FWD_METHOD,
            Weight(_) => IPVS_DEST_ATTR_WEIGHT,
            UThresh(_) => IPVS_DEST_ATTR_U_THRESH,
            LThresh(_) => IPVS_DEST_ATTR_L_THRESH,
            ActiveConns(_) => IPVS_DEST_ATTR_ACTIVE_CONNS,
            InactConns(_) => IPVS_DEST_ATTR_INACT_CONNS,
            PersistConns(_) => IPVS_DEST_ATTR_PERSIST_CONNS,
            Stats(_) => IPVS_DEST_ATTR_STATS,
            AddrFamily(_) => IPVS_DEST_ATTR_ADDR_FAMILY,
            Stats64(_) => IPVS_DEST_ATTR_STATS64,
            TunType(_) => IPVS_DEST_ATTR_TUN_TYPE,
            TunPort(_) => IPVS_DEST_ATTR_TUN_PORT,
            TunFlags(_) => IPVS_DEST_ATTR_TUN_FLAGS,
            Other(n) => n.kind(),
        }
    }
    fn emit_value(&self, buffer: &mut [u8]) {
        use DestAttr::*;
        match self {
            Addr(a) => buffer[..16].copy_from_slice(a),
            Port(v) | TunPort(v) => buffer[..2].copy_from_slice(&v.to_be_bytes()),
            AddrFamily(v) | TunFlags(v) => emit_u16(buffer, *v).expect("sized"),
            TunType(v) => buffer[0] = *v,
            FwdMethod(v) | Weight(v) | UThresh(v) | LThresh(v) | ActiveConns(v) | InactConns(v)
            | PersistConns(v) => emit_u32(buffer, *v).expect("sized"),
            Stats(v) | Stats64(v) => v.as_slice().emit(buffer),
            Other(n) => n.emit_value(buffer),
        }
    }
}

impl<'a, T: AsRef<[u8]> + ?Sized> Parseable<NlaBuffer<&'a T>> for DestAttr {
    fn parse(buf: &NlaBuffer<&'a T>) -> Result<Self, DecodeError> {
        use DestAttr::*;
        let v = buf.value();
        Ok(match kind_of(buf) {
            IPVS_DEST_ATTR_ADDR => Addr(parse_addr(v, "destination address")?),
            IPVS_DEST_ATTR_PORT => Port(u16::from_be_bytes(fixed(v, "destination port")?)),
            IPVS_DEST_ATTR_FWD_METHOD => FwdMethod(parse_u32(v)?),
            IPVS_DEST_ATTR_WEIGHT => Weight(parse_u32(v)?),
            IPVS_DEST_ATTR_U_THRESH => UThresh(parse_u32(v)?),
            IPVS_DEST_ATTR_L_THRESH => LThresh(parse_u32(v)?),
            IPVS_DEST_ATTR_ACTIVE_CONNS => ActiveConns(parse_u32(v)?),
            IPVS_DEST_ATTR_INACT_CONNS => InactConns(parse_u32(v)?),
            IPVS_DEST_ATTR_PERSIST_CONNS => PersistConns(parse_u32(v)?),
            IPVS_DEST_ATTR_STATS => Stats(parse_nested(v)?),
            IPVS_DEST_ATTR_ADDR_FAMILY => AddrFamily(parse_u16(v)?),
            IPVS_DEST_ATTR_STATS64 => Stats64(parse_nested(v)?),
            IPVS_DEST_ATTR_TUN_TYPE => TunType(parse_u8(v)?),
            IPVS_DEST_ATTR_TUN_PORT => TunPort(u16::from_be_bytes(fixed(v, "tunnel port")?)),
            IPVS_DEST_ATTR_TUN_FLAGS => TunFlags(parse_u16(v)?),
            _ => Other(DefaultNla::parse(buf)?),
        })
    }
}

/// Sync daemon attributes (nested in IPVS_CMD_ATTR_DAEMON).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DaemonAttr {
    /// `IPVS_DAEMON_ATTR_STATE`.
    State(u32),
    /// `IPVS_DAEMON_ATTR_MCAST_IFN`.
    McastIfn(String),
    /// `IPVS_DAEMON_ATTR_SYNC_ID`.
    SyncId(u32),
    /// `IPVS_DAEMON_ATTR_SYNC_MAXLEN`.
    SyncMaxlen(u16),
    /// IPv4 group, the four address bytes.
    McastGroup([u8; 4]),
    /// `IPVS_DAEMON_ATTR_MCAST_GROUP6`.
    McastGroup6([u8; 16]),
    /// `IPVS_DAEMON_ATTR_MCAST_PORT`.
    McastPort(u16),
    /// `IPVS_DAEMON_ATTR_MCAST_TTL`.
    McastTtl(u8),
    /// An attribute this crate does not know, kept as it came.
    Other(DefaultNla),
}

impl Nla for DaemonAttr {
    fn value_len(&self) -> usize {
        use DaemonAttr::*;
        match self {
            State(_) | SyncId(_) | McastGroup(_) => 4,
            McastIfn(s) => crate::raw::byte_len(s) + 1,
            SyncMaxlen(_) | McastPort(_) => 2,
            McastGroup6(_) => 16,
            McastTtl(_) => 1,
            Other(n) => n.value_len(),
        }
    }
    fn kind(&self) -> u16 {
        use DaemonAttr::*;
        match self {
            State(_) => IPVS_DAEMON_ATTR_STATE,
            McastIfn(_) => IPVS_DAEMON_ATTR_MCAST_IFN,
            SyncId(_) => IPVS_DAEMON_ATTR_SYNC_ID,
            SyncMaxlen(_) => IPVS_DAEMON_ATTR_SYNC_MAXLEN,
            McastGroup(_) => IPVS_DAEMON_ATTR_MCAST_GROUP,
            McastGroup6(_) => IPVS_DAEMON_ATTR_MCAST_GROUP6,
            McastPort(_) => IPVS_DAEMON_ATTR_MCAST_PORT,
            McastTtl(_) => IPVS_DAEMON_ATTR_MCAST_TTL,
            Other(n) => n.kind(),
        }
    }
    fn emit_value(&self, buffer: &mut [u8]) {
        use DaemonAttr::*;
        match self {
            State(v) | SyncId(v) => emit_u32(buffer, *v).expect("sized"),
            McastIfn(s) => emit_cstr(buffer, s),
            SyncMaxlen(v) | McastPort(v) => emit_u16(buffer, *v).expect("sized"),
            McastGroup(a) => buffer[..4].copy_from_slice(a),
            McastGroup6(a) => buffer[..16].copy_from_slice(a),
            McastTtl(v) => buffer[0] = *v,
            Other(n) => n.emit_value(buffer),
        }
    }
}

impl<'a, T: AsRef<[u8]> + ?Sized> Parseable<NlaBuffer<&'a T>> for DaemonAttr {
    fn parse(buf: &NlaBuffer<&'a T>) -> Result<Self, DecodeError> {
        use DaemonAttr::*;
        let v = buf.value();
        Ok(match kind_of(buf) {
            IPVS_DAEMON_ATTR_STATE => State(parse_u32(v)?),
            IPVS_DAEMON_ATTR_MCAST_IFN => McastIfn(parse_name(v)),
            IPVS_DAEMON_ATTR_SYNC_ID => SyncId(parse_u32(v)?),
            IPVS_DAEMON_ATTR_SYNC_MAXLEN => SyncMaxlen(parse_u16(v)?),
            IPVS_DAEMON_ATTR_MCAST_GROUP => McastGroup(fixed(v, "mcast group")?),
            IPVS_DAEMON_ATTR_MCAST_GROUP6 => McastGroup6(fixed(v, "mcast group6")?),
            IPVS_DAEMON_ATTR_MCAST_PORT => McastPort(parse_u16(v)?),
            IPVS_DAEMON_ATTR_MCAST_TTL => McastTtl(parse_u8(v)?),
            _ => Other(DefaultNla::parse(buf)?),
        })
    }
}

/// First-level attributes. In a GET_INFO reply (command SET_INFO) the
/// kernel reuses numbers 1 and 2 for the info attributes; the message
/// parser knows the command and picks the `Info*` variants there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CmdAttr {
    /// `IPVS_CMD_ATTR_SERVICE`.
    Service(Vec<SvcAttr>),
    /// `IPVS_CMD_ATTR_DEST`.
    Dest(Vec<DestAttr>),
    /// `IPVS_CMD_ATTR_DAEMON`.
    Daemon(Vec<DaemonAttr>),
    /// `IPVS_CMD_ATTR_TIMEOUT_TCP`.
    TimeoutTcp(u32),
    /// `IPVS_CMD_ATTR_TIMEOUT_TCP_FIN`.
    TimeoutTcpFin(u32),
    /// `IPVS_CMD_ATTR_TIMEOUT_UDP`.
    TimeoutUdp(u32),
    /// `IPVS_INFO_ATTR_VERSION`.
    InfoVersion(u32),
    /// `IPVS_INFO_ATTR_CONN_TAB_SIZE`.
    InfoConnTabSize(u32),
    /// An attribute this crate does not know, kept as it came.
    Other(DefaultNla),
}

impl Nla for CmdAttr {
    fn value_len(&self) -> usize {
        use CmdAttr::*;
        match self {
            Service(v) => nested_len(v),
            Dest(v) => nested_len(v),
            Daemon(v) => nested_len(v),
            TimeoutTcp(_) | TimeoutTcpFin(_) | TimeoutUdp(_) | InfoVersion(_)
            | InfoConnTabSize(_) => 4,
            Other(n) => n.value_len(),
        }
    }
    fn kind(&self) -> u16 {
        use CmdAttr::*;
        match self {
            Service(_) => IPVS_CMD_ATTR_SERVICE,
            Dest(_) => IPVS_CMD_ATTR_DEST,
            Daemon(_) => IPVS_CMD_ATTR_DAEMON,
            TimeoutTcp(_) => IPVS_CMD_ATTR_TIMEOUT_TCP,
            TimeoutTcpFin(_) => IPVS_CMD_ATTR_TIMEOUT_TCP_FIN,
            TimeoutUdp(_) => IPVS_CMD_ATTR_TIMEOUT_UDP,
            InfoVersion(_) => IPVS_INFO_ATTR_VERSION,
            InfoConnTabSize(_) => IPVS_INFO_ATTR_CONN_TAB_SIZE,
            Other(n) => n.kind(),
        }
    }
    fn emit_value(&self, buffer: &mut [u8]) {
        use CmdAttr::*;
        match self {
            Service(v) => v.as_slice().emit(buffer),
            Dest(v) => v.as_slice().emit(buffer),
            Daemon(v) => v.as_slice().emit(buffer),
            TimeoutTcp(v) | TimeoutTcpFin(v) | TimeoutUdp(v) | InfoVersion(v)
            | InfoConnTabSize(v) => emit_u32(buffer, *v).expect("sized"),
            Other(n) => n.emit_value(buffer),
        }
    }
}

impl CmdAttr {
    fn parse_for(cmd: IpvsCmd, buf: &NlaBuffer<&[u8]>) -> Result<Self, DecodeError> {
        use CmdAttr::*;
        let v = buf.value();
        if cmd == IpvsCmd::SetInfo || cmd == IpvsCmd::GetInfo {
            return Ok(match kind_of(buf) {
                IPVS_INFO_ATTR_VERSION => InfoVersion(parse_u32(v)?),
                IPVS_INFO_ATTR_CONN_TAB_SIZE => InfoConnTabSize(parse_u32(v)?),
                _ => Other(DefaultNla::parse(buf)?),
            });
        }
        Ok(match kind_of(buf) {
            IPVS_CMD_ATTR_SERVICE => Service(parse_nested(v)?),
            IPVS_CMD_ATTR_DEST => Dest(parse_nested(v)?),
            IPVS_CMD_ATTR_DAEMON => Daemon(parse_nested(v)?),
            IPVS_CMD_ATTR_TIMEOUT_TCP => TimeoutTcp(parse_u32(v)?),
            IPVS_CMD_ATTR_TIMEOUT_TCP_FIN => TimeoutTcpFin(parse_u32(v)?),
            IPVS_CMD_ATTR_TIMEOUT_UDP => TimeoutUdp(parse_u32(v)?),
            _ => Other(DefaultNla::parse(buf)?),
        })
    }
}

/// One IPVS generic-netlink message: a command and its attributes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IpvsMessage {
    /// The command.
    pub cmd: IpvsCmd,
    /// Its top-level attributes.
    pub attrs: Vec<CmdAttr>,
}

impl IpvsMessage {
    /// A message of this command with these attributes.
    pub fn new(cmd: IpvsCmd, attrs: Vec<CmdAttr>) -> Self {
        IpvsMessage { cmd, attrs }
    }
}

impl GenlFamily for IpvsMessage {
    fn family_name() -> &'static str {
        IPVS_GENL_NAME
    }
    fn command(&self) -> u8 {
        self.cmd.raw()
    }
    fn version(&self) -> u8 {
        IPVS_GENL_VERSION
    }
}

impl Emitable for IpvsMessage {
    fn buffer_len(&self) -> usize {
        self.attrs.as_slice().buffer_len()
    }
    fn emit(&self, buffer: &mut [u8]) {
        self.attrs.as_slice().emit(buffer)
    }
}

impl ParseableParametrized<[u8], GenlHeader> for IpvsMessage {
    fn parse_with_param(buf: &[u8], header: GenlHeader) -> Result<Self, DecodeError> {
        let cmd = IpvsCmd::from_raw(header.cmd);
        let attrs = NlasIterator::new(buf)
            .map(|nla| nla.and_then(|b| CmdAttr::parse_for(cmd, &b)))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(IpvsMessage { cmd, attrs })
    }
}
