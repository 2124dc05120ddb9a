//! Between the model and the family's attributes: what libipvs puts in a
//! request for a service or a real server, and how a reply's attributes
//! become a `Service`, `Dest`, `Info`, `Timeouts` or `Daemon`. A reply that
//! lacks an attribute the kernel always sends is malformed: an error.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use netlink_packet_core::{NlaBuffer, NlasIterator, Parseable, NLA_TYPE_MASK};

use super::family::*;
use super::family::{CmdAttr, DaemonAttr, DestAttr, StatsAttr, SvcAttr};
use super::model::*;
use crate::Error;

/// The 16-byte `union nf_inet_addr` for an address.
pub fn addr_bytes(addr: &IpAddr) -> [u8; 16] {
    let mut out = [0u8; 16];
    match addr {
        IpAddr::V4(a) => out[..4].copy_from_slice(&a.octets()),
        IpAddr::V6(a) => out.copy_from_slice(&a.octets()),
    }
    out
}

/// Read an address of the given family out of the 16-byte union.
pub fn addr_from_bytes(family: Family, b: &[u8; 16]) -> IpAddr {
    match family {
        Family::Inet => IpAddr::V4(Ipv4Addr::new(b[0], b[1], b[2], b[3])),
        Family::Inet6 => IpAddr::V6(Ipv6Addr::from(*b)),
    }
}

/// The identity part of a service: what GET_DEST and GET_SERVICE need.
pub fn service_id_attrs(id: &ServiceId) -> Vec<SvcAttr> {
    // Room for a whole service's attributes (`service_attrs`), so that
    // building them allocates once.
    let mut v = Vec::with_capacity(9);
    v.push(SvcAttr::Af(id.family().raw()));
    match id {
        ServiceId::Fwmark { mark, .. } => v.push(SvcAttr::Fwmark(*mark)),
        ServiceId::Addr {
            protocol,
            addr,
            port,
        } => {
            v.push(SvcAttr::Protocol(protocol.raw()));
            v.push(SvcAttr::Addr(addr_bytes(addr)));
            v.push(SvcAttr::Port(*port));
        }
    }
    v
}

/// A whole service, as libipvs's `ipvs_nl_fill_service_attr` sends it:
/// identity, scheduler, pe (when set), flags with a full mask, timeout and
/// netmask.
pub fn service_attrs(id: &ServiceId, cfg: &ServiceConfig) -> Vec<SvcAttr> {
    let mut v = service_id_attrs(id);
    v.push(SvcAttr::SchedName(cfg.scheduler.to_string()));
    if !cfg.pe_name.is_empty() {
        v.push(SvcAttr::PeName(cfg.pe_name.to_string()));
    }
    v.push(SvcAttr::Flags {
        flags: cfg.flags,
        mask: u32::MAX,
    });
    v.push(SvcAttr::Timeout(cfg.timeout));
    v.push(SvcAttr::Netmask(cfg.netmask));
    v
}

/// A real server as libipvs's `ipvs_nl_fill_dest_attr` sends it.
pub fn dest_attrs(addr: &IpAddr, port: u16, cfg: &DestConfig) -> Vec<DestAttr> {
    vec![
        DestAttr::AddrFamily(Family::of(addr).raw()),
        DestAttr::Addr(addr_bytes(addr)),
        DestAttr::Port(port),
        DestAttr::FwdMethod(cfg.forward.raw() & Forward::MASK),
        DestAttr::Weight(cfg.weight),
        DestAttr::TunType(cfg.tun_type.raw()),
        DestAttr::TunPort(cfg.tun_port),
        DestAttr::TunFlags(cfg.tun_flags),
        DestAttr::UThresh(cfg.u_threshold),
        DestAttr::LThresh(cfg.l_threshold),
    ]
}

/// The counters of a STATS or STATS64 nest.
pub fn stats_from_attrs(attrs: &[StatsAttr]) -> Stats {
    let mut s = Stats::default();
    for a in attrs {
        let (k, v) = match a {
            StatsAttr::U32(k, v) => (*k, *v as u64),
            StatsAttr::U64(k, v) => (*k, *v),
            StatsAttr::Other(_) => continue,
        };
        match k {
            IPVS_STATS_ATTR_CONNS => s.conns = v,
            IPVS_STATS_ATTR_INPKTS => s.inpkts = v,
            IPVS_STATS_ATTR_OUTPKTS => s.outpkts = v,
            IPVS_STATS_ATTR_INBYTES => s.inbytes = v,
            IPVS_STATS_ATTR_OUTBYTES => s.outbytes = v,
            IPVS_STATS_ATTR_CPS => s.cps = v,
            IPVS_STATS_ATTR_INPPS => s.inpps = v,
            IPVS_STATS_ATTR_OUTPPS => s.outpps = v,
            IPVS_STATS_ATTR_INBPS => s.inbps = v,
            IPVS_STATS_ATTR_OUTBPS => s.outbps = v,
            _ => {}
        }
    }
    s
}

/// The 64-bit form of stats, as the kernel sends them in STATS64.
pub fn stats64_attrs(s: &Stats) -> Vec<StatsAttr> {
    [
        (IPVS_STATS_ATTR_CONNS, s.conns),
        (IPVS_STATS_ATTR_INPKTS, s.inpkts),
        (IPVS_STATS_ATTR_OUTPKTS, s.outpkts),
        (IPVS_STATS_ATTR_INBYTES, s.inbytes),
        (IPVS_STATS_ATTR_OUTBYTES, s.outbytes),
        (IPVS_STATS_ATTR_CPS, s.cps),
        (IPVS_STATS_ATTR_INPPS, s.inpps),
        (IPVS_STATS_ATTR_OUTPPS, s.outpps),
        (IPVS_STATS_ATTR_INBPS, s.inbps),
        (IPVS_STATS_ATTR_OUTBPS, s.outbps),
    ]
    .into_iter()
    .map(|(k, v)| StatsAttr::U64(k, v))
    .collect()
}

fn malformed(what: &str) -> Error {
    Error::Malformed(format!("kernel reply without {what}"))
}

/// Gathers a service's attributes one at a time, so that a reply can be
/// read in place (see `service_from_bytes`) or from decoded attributes.
#[derive(Default)]
struct SvcBuilder {
    af: Option<u16>,
    protocol: Option<u16>,
    addr: Option<[u8; 16]>,
    port: Option<u16>,
    fwmark: Option<u32>,
    sched: Option<ShortName>,
    flags: Option<u32>,
    timeout: Option<u32>,
    netmask: Option<u32>,
    pe: ShortName,
    stats: Option<Stats>,
    stats64: Option<Stats>,
}

impl SvcBuilder {
    fn apply(&mut self, a: SvcAttr) {
        match a {
            SvcAttr::Af(v) => self.af = Some(v),
            SvcAttr::Protocol(v) => self.protocol = Some(v),
            SvcAttr::Addr(v) => self.addr = Some(v),
            SvcAttr::Port(v) => self.port = Some(v),
            SvcAttr::Fwmark(v) => self.fwmark = Some(v),
            SvcAttr::SchedName(v) => self.sched = Some(ShortName::truncated(&v)),
            SvcAttr::Flags { flags: f, mask } => self.flags = Some(f & mask),
            SvcAttr::Timeout(v) => self.timeout = Some(v),
            SvcAttr::Netmask(v) => self.netmask = Some(v),
            SvcAttr::Stats(v) => self.stats = Some(stats_from_attrs(&v)),
            SvcAttr::PeName(v) => self.pe = ShortName::truncated(&v),
            SvcAttr::Stats64(v) => self.stats64 = Some(stats_from_attrs(&v)),
            SvcAttr::Other(_) => {}
        }
    }

    fn finish(self) -> Result<Service, Error> {
        let stats = self.stats64.or(self.stats).unwrap_or_default();
        Ok(self.finish_def()?.with_stats(stats))
    }

    fn finish_def(self) -> Result<ServiceDef, Error> {
        let af = self.af.ok_or_else(|| malformed("service family"))?;
        let family = Family::from_raw(af)
            .ok_or_else(|| Error::Malformed(format!("service of address family {af}")))?;
        let id = match (self.fwmark, self.protocol, self.addr, self.port) {
            (Some(mark), _, _, _) => ServiceId::Fwmark { family, mark },
            (None, Some(p), Some(a), Some(port)) => ServiceId::Addr {
                protocol: Protocol::from_raw(p),
                addr: addr_from_bytes(family, &a),
                port,
            },
            _ => return Err(malformed("service address or fwmark")),
        };
        Ok(ServiceDef {
            id,
            config: ServiceConfig {
                scheduler: self.sched.ok_or_else(|| malformed("scheduler name"))?,
                flags: self.flags.ok_or_else(|| malformed("service flags"))?,
                timeout: self.timeout.ok_or_else(|| malformed("service timeout"))?,
                netmask: self.netmask.ok_or_else(|| malformed("service netmask"))?,
                pe_name: self.pe,
            },
        })
    }
}

/// A service from the attributes nested in IPVS_CMD_ATTR_SERVICE.
pub fn service_from_attrs(attrs: &[SvcAttr]) -> Result<Service, Error> {
    let mut b = SvcBuilder::default();
    for a in attrs {
        b.apply(a.clone());
    }
    b.finish()
}

/// Walk the attributes of a nested value in place: `each` gets the type
/// (flags stripped), the value, and the whole attribute for a full parse.
/// The listing's hot path: NlasIterator's checked buffers cost more than
/// the reading itself.
fn each_nla<'a>(
    buf: &'a [u8],
    mut each: impl FnMut(u16, &'a [u8], &'a [u8]) -> Result<(), Error>,
) -> Result<(), Error> {
    let mut off = 0;
    while off < buf.len() {
        let head = buf
            .get(off..off + 4)
            .ok_or_else(|| Error::Malformed("truncated netlink attribute".into()))?;
        let len = u16::from_ne_bytes([head[0], head[1]]) as usize;
        let kind = u16::from_ne_bytes([head[2], head[3]]) & NLA_TYPE_MASK;
        if len < 4 || off + len > buf.len() {
            return Err(Error::Malformed(format!(
                "netlink attribute of {len} bytes at {off} of {}",
                buf.len()
            )));
        }
        let attr = &buf[off..off + len];
        each(kind, &attr[4..], attr)?;
        // Attributes are padded to 4 bytes; the last one's padding may be
        // cut off.
        off += (len + 3) & !3;
    }
    Ok(())
}

fn ne_u16(v: &[u8]) -> u16 {
    u16::from_ne_bytes([v[0], v[1]])
}

fn ne_u32(v: &[u8]) -> u32 {
    u32::from_ne_bytes([v[0], v[1], v[2], v[3]])
}

/// Statistics read in place from a nested STATS or STATS64 attribute.
fn stats_from_bytes(value: &[u8]) -> Result<Stats, Error> {
    let mut s = Stats::default();
    each_nla(value, |kind, v, _| {
        let n = match v.len() {
            4 => ne_u32(v) as u64,
            8 => u64::from_ne_bytes([v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]]),
            _ => return Ok(()),
        };
        match kind {
            IPVS_STATS_ATTR_CONNS => s.conns = n,
            IPVS_STATS_ATTR_INPKTS => s.inpkts = n,
            IPVS_STATS_ATTR_OUTPKTS => s.outpkts = n,
            IPVS_STATS_ATTR_INBYTES => s.inbytes = n,
            IPVS_STATS_ATTR_OUTBYTES => s.outbytes = n,
            IPVS_STATS_ATTR_CPS => s.cps = n,
            IPVS_STATS_ATTR_INPPS => s.inpps = n,
            IPVS_STATS_ATTR_OUTPPS => s.outpps = n,
            IPVS_STATS_ATTR_INBPS => s.inbps = n,
            IPVS_STATS_ATTR_OUTBPS => s.outbps = n,
            _ => {}
        }
        Ok(())
    })?;
    Ok(s)
}

/// The statistics of an entry: STATS64 when the kernel sent it, else
/// STATS. Only the one used is decoded (each is ten attributes, and a
/// listing reads two per line).
fn chosen_stats(stats: Option<&[u8]>, stats64: Option<&[u8]>) -> Result<Stats, Error> {
    match stats64.or(stats) {
        Some(v) => stats_from_bytes(v),
        None => Ok(Stats::default()),
    }
}

/// A service read in place from the value of IPVS_CMD_ATTR_SERVICE (the
/// listing's hot path: no attribute vectors are built). Fixed-size
/// attributes of the expected length are read directly; anything else
/// goes through the full parser, which also reports bad lengths.
pub fn service_from_bytes(value: &[u8]) -> Result<Service, Error> {
    let (b, stats, stats64) = service_walk(value)?;
    Ok(b.finish_def()?.with_stats(chosen_stats(stats, stats64)?))
}

/// `service_from_bytes` without the counters, which are not even read.
pub fn service_def_from_bytes(value: &[u8]) -> Result<ServiceDef, Error> {
    service_walk(value)?.0.finish_def()
}

/// The attributes of a service, with its two counter sets left as found.
type ServiceWalk<'a> = (SvcBuilder, Option<&'a [u8]>, Option<&'a [u8]>);

fn service_walk(value: &[u8]) -> Result<ServiceWalk<'_>, Error> {
    let mut b = SvcBuilder::default();
    let (mut stats, mut stats64) = (None, None);
    each_nla(value, |kind, v, attr| {
        match (kind, v.len()) {
            (IPVS_SVC_ATTR_STATS, _) => stats = Some(v),
            (IPVS_SVC_ATTR_STATS64, _) => stats64 = Some(v),
            (IPVS_SVC_ATTR_AF, 2) => b.af = Some(ne_u16(v)),
            (IPVS_SVC_ATTR_PROTOCOL, 2) => b.protocol = Some(ne_u16(v)),
            (IPVS_SVC_ATTR_ADDR, 16) => b.addr = v.try_into().ok(),
            (IPVS_SVC_ATTR_PORT, 2) => b.port = Some(u16::from_be_bytes([v[0], v[1]])),
            (IPVS_SVC_ATTR_FWMARK, 4) => b.fwmark = Some(ne_u32(v)),
            (IPVS_SVC_ATTR_FLAGS, 8) => b.flags = Some(ne_u32(v) & ne_u32(&v[4..])),
            (IPVS_SVC_ATTR_TIMEOUT, 4) => b.timeout = Some(ne_u32(v)),
            (IPVS_SVC_ATTR_NETMASK, 4) => b.netmask = Some(ne_u32(v)),
            (IPVS_SVC_ATTR_SCHED_NAME, _) => b.sched = Some(short_name(v)?),
            (IPVS_SVC_ATTR_PE_NAME, _) => b.pe = short_name(v)?,
            _ => b.apply(SvcAttr::parse(&NlaBuffer::new(attr))?),
        }
        Ok(())
    })?;
    Ok((b, stats, stats64))
}

/// A name attribute read as libipvs copies it into its 16-byte field
/// (`strncpy`): up to the first NUL, at most 16 bytes.
fn short_name(v: &[u8]) -> Result<ShortName, Error> {
    let end = v.iter().position(|&c| c == 0).unwrap_or(v.len());
    Ok(ShortName::from_bytes(&v[..end]))
}

/// Gathers a real server's attributes one at a time.
struct DestBuilder {
    addr: Option<[u8; 16]>,
    port: Option<u16>,
    fwd: Option<u32>,
    weight: Option<u32>,
    u_th: Option<u32>,
    l_th: Option<u32>,
    active: Option<u32>,
    inact: Option<u32>,
    persist: Option<u32>,
    family: Family,
    family_error: Option<u16>,
    stats: Option<Stats>,
    stats64: Option<Stats>,
    cfg: DestConfig,
}

impl DestBuilder {
    fn new(svc_family: Family) -> Self {
        DestBuilder {
            addr: None,
            port: None,
            fwd: None,
            weight: None,
            u_th: None,
            l_th: None,
            active: None,
            inact: None,
            persist: None,
            family: svc_family,
            family_error: None,
            stats: None,
            stats64: None,
            cfg: DestConfig::default(),
        }
    }

    fn set_family(&mut self, af: u16) {
        match Family::from_raw(af) {
            Some(f) => self.family = f,
            None => self.family_error = Some(af),
        }
    }

    fn apply(&mut self, a: &DestAttr) {
        match a {
            DestAttr::Addr(v) => self.addr = Some(*v),
            DestAttr::Port(v) => self.port = Some(*v),
            DestAttr::FwdMethod(v) => self.fwd = Some(*v),
            DestAttr::Weight(v) => self.weight = Some(*v),
            DestAttr::UThresh(v) => self.u_th = Some(*v),
            DestAttr::LThresh(v) => self.l_th = Some(*v),
            DestAttr::ActiveConns(v) => self.active = Some(*v),
            DestAttr::InactConns(v) => self.inact = Some(*v),
            DestAttr::PersistConns(v) => self.persist = Some(*v),
            DestAttr::Stats(v) => self.stats = Some(stats_from_attrs(v)),
            DestAttr::AddrFamily(v) => self.set_family(*v),
            DestAttr::Stats64(v) => self.stats64 = Some(stats_from_attrs(v)),
            DestAttr::TunType(v) => self.cfg.tun_type = TunnelType::from_raw(*v),
            DestAttr::TunPort(v) => self.cfg.tun_port = *v,
            DestAttr::TunFlags(v) => self.cfg.tun_flags = *v,
            DestAttr::Other(_) => {}
        }
    }

    fn finish(self) -> Result<Dest, Error> {
        if let Some(v) = self.family_error {
            return Err(Error::Malformed(format!(
                "real server of address family {v}"
            )));
        }
        let mut cfg = self.cfg;
        let addr = self.addr.ok_or_else(|| malformed("real server address"))?;
        cfg.forward = Forward::from_flags(self.fwd.ok_or_else(|| malformed("forwarding method"))?);
        cfg.weight = self.weight.ok_or_else(|| malformed("weight"))?;
        cfg.u_threshold = self.u_th.ok_or_else(|| malformed("upper threshold"))?;
        cfg.l_threshold = self.l_th.ok_or_else(|| malformed("lower threshold"))?;
        Ok(Dest {
            addr: addr_from_bytes(self.family, &addr),
            port: self.port.ok_or_else(|| malformed("real server port"))?,
            config: cfg,
            conns: ConnCounts {
                active: self.active.ok_or_else(|| malformed("active connections"))?,
                inactive: self
                    .inact
                    .ok_or_else(|| malformed("inactive connections"))?,
                persistent: self
                    .persist
                    .ok_or_else(|| malformed("persistent connections"))?,
            },
            stats: self.stats64.or(self.stats).unwrap_or_default(),
        })
    }
}

/// A real server from the attributes nested in IPVS_CMD_ATTR_DEST. Its
/// family defaults to the service's when the kernel does not say.
pub fn dest_from_attrs(attrs: &[DestAttr], svc_family: Family) -> Result<Dest, Error> {
    let mut b = DestBuilder::new(svc_family);
    for a in attrs {
        b.apply(a);
    }
    b.finish()
}

/// A real server read in place from the value of IPVS_CMD_ATTR_DEST, as
/// `service_from_bytes` reads a service.
pub fn dest_from_bytes(value: &[u8], svc_family: Family) -> Result<Dest, Error> {
    let mut b = DestBuilder::new(svc_family);
    let (mut stats, mut stats64) = (None, None);
    each_nla(value, |kind, v, attr| {
        match (kind, v.len()) {
            (IPVS_DEST_ATTR_STATS, _) => stats = Some(v),
            (IPVS_DEST_ATTR_STATS64, _) => stats64 = Some(v),
            (IPVS_DEST_ATTR_ADDR, 16) => b.addr = v.try_into().ok(),
            (IPVS_DEST_ATTR_PORT, 2) => b.port = Some(u16::from_be_bytes([v[0], v[1]])),
            (IPVS_DEST_ATTR_FWD_METHOD, 4) => b.fwd = Some(ne_u32(v)),
            (IPVS_DEST_ATTR_WEIGHT, 4) => b.weight = Some(ne_u32(v)),
            (IPVS_DEST_ATTR_U_THRESH, 4) => b.u_th = Some(ne_u32(v)),
            (IPVS_DEST_ATTR_L_THRESH, 4) => b.l_th = Some(ne_u32(v)),
            (IPVS_DEST_ATTR_ACTIVE_CONNS, 4) => b.active = Some(ne_u32(v)),
            (IPVS_DEST_ATTR_INACT_CONNS, 4) => b.inact = Some(ne_u32(v)),
            (IPVS_DEST_ATTR_PERSIST_CONNS, 4) => b.persist = Some(ne_u32(v)),
            // Sent for every real server by kernels since 5.2 (tunnels)
            // and 4.x (family): kept off the generic parser too.
            (IPVS_DEST_ATTR_ADDR_FAMILY, 2) => b.set_family(ne_u16(v)),
            (IPVS_DEST_ATTR_TUN_TYPE, 1) => b.cfg.tun_type = TunnelType::from_raw(v[0]),
            (IPVS_DEST_ATTR_TUN_PORT, 2) => b.cfg.tun_port = u16::from_be_bytes([v[0], v[1]]),
            (IPVS_DEST_ATTR_TUN_FLAGS, 2) => b.cfg.tun_flags = ne_u16(v),
            _ => b.apply(&DestAttr::parse(&NlaBuffer::new(attr))?),
        }
        Ok(())
    })?;
    b.stats = None;
    b.stats64 = Some(chosen_stats(stats, stats64)?);
    b.finish()
}

/// The value of the first-level attribute `kind` in one reply message
/// (netlink and generic-netlink headers included), found in place.
pub fn top_level_attr(message: &[u8], kind: u16) -> Result<Option<&[u8]>, Error> {
    const HEADERS: usize = 16 + 4;
    if message.len() < HEADERS {
        return Err(Error::Malformed("short IPVS message".into()));
    }
    for nla in NlasIterator::new(&message[HEADERS..]) {
        let nla = nla?;
        if nla.kind() & NLA_TYPE_MASK == kind {
            let len = nla.value_length();
            let rest: &[u8] = nla.into_inner();
            return Ok(Some(&rest[4..4 + len]));
        }
    }
    Ok(None)
}

/// A sync daemon from its nested attributes.
pub fn daemon_from_attrs(attrs: &[DaemonAttr]) -> Result<Daemon, Error> {
    let mut d = Daemon::default();
    let (mut state, mut ifn, mut syncid) = (None, None, None);
    for a in attrs {
        match a {
            DaemonAttr::State(v) => state = Some(*v),
            DaemonAttr::McastIfn(v) => ifn = Some(v.clone()),
            DaemonAttr::SyncId(v) => syncid = Some(*v),
            DaemonAttr::SyncMaxlen(v) => d.sync_maxlen = *v,
            DaemonAttr::McastGroup(v) => d.mcast_group = Some(IpAddr::V4(Ipv4Addr::from(*v))),
            DaemonAttr::McastGroup6(v) => {
                // libipvs prefers the IPv4 group when both are present.
                if !matches!(d.mcast_group, Some(IpAddr::V4(_))) {
                    d.mcast_group = Some(IpAddr::V6(Ipv6Addr::from(*v)))
                }
            }
            DaemonAttr::McastPort(v) => d.mcast_port = *v,
            DaemonAttr::McastTtl(v) => d.mcast_ttl = *v,
            DaemonAttr::Other(_) => {}
        }
    }
    d.state = state.ok_or_else(|| malformed("daemon state"))?;
    d.mcast_ifn = ifn.ok_or_else(|| malformed("daemon interface"))?;
    d.syncid = syncid.ok_or_else(|| malformed("daemon sync id"))?;
    Ok(d)
}

/// The attributes of NEW_DAEMON, as libipvs's `ipvs_start_daemon` sends them.
pub fn daemon_attrs(d: &Daemon) -> Vec<DaemonAttr> {
    let mut v = vec![
        DaemonAttr::State(d.state),
        DaemonAttr::McastIfn(d.mcast_ifn.clone()),
        DaemonAttr::SyncId(d.syncid),
    ];
    if d.sync_maxlen != 0 {
        v.push(DaemonAttr::SyncMaxlen(d.sync_maxlen));
    }
    if d.mcast_port != 0 {
        v.push(DaemonAttr::McastPort(d.mcast_port));
    }
    if d.mcast_ttl != 0 {
        v.push(DaemonAttr::McastTtl(d.mcast_ttl));
    }
    match d.mcast_group {
        Some(IpAddr::V6(a)) => v.push(DaemonAttr::McastGroup6(a.octets())),
        Some(IpAddr::V4(a)) => v.push(DaemonAttr::McastGroup(a.octets())),
        None => {}
    }
    v
}

/// What a GET_INFO reply carries.
pub fn info_from_attrs(attrs: &[CmdAttr]) -> Result<Info, Error> {
    let (mut version, mut size) = (None, None);
    for a in attrs {
        match a {
            CmdAttr::InfoVersion(v) => version = Some(*v),
            CmdAttr::InfoConnTabSize(v) => size = Some(*v),
            _ => {}
        }
    }
    Ok(Info {
        version: version.ok_or_else(|| malformed("IPVS version"))?,
        conn_tab_size: size.ok_or_else(|| malformed("connection table size"))?,
    })
}

/// The timeouts a GET_CONFIG reply carries (0 for one it lacks).
pub fn timeouts_from_attrs(attrs: &[CmdAttr]) -> Timeouts {
    let mut t = Timeouts::default();
    for a in attrs {
        match a {
            CmdAttr::TimeoutTcp(v) => t.tcp = *v,
            CmdAttr::TimeoutTcpFin(v) => t.tcp_fin = *v,
            CmdAttr::TimeoutUdp(v) => t.udp = *v,
            _ => {}
        }
    }
    t
}

#[cfg(test)]
mod tests {
    //! Property: a service or real server put into attributes, encoded to
    //! bytes, decoded and read back is the same model. Random models come
    //! from a small deterministic generator (xorshift), many rounds.
    use super::*;
    use crate::test_rng::Rng;
    use netlink_packet_core::{Emitable, NlasIterator, Parseable};

    /// Models' pieces drawn from the shared generator.
    trait Draw {
        fn addr(&mut self, v6: bool) -> IpAddr;
        fn name(&mut self) -> String;
    }

    impl Draw for Rng {
        fn addr(&mut self, v6: bool) -> IpAddr {
            if v6 {
                IpAddr::V6(Ipv6Addr::from(
                    ((self.next() as u128) << 64) | self.next() as u128,
                ))
            } else {
                IpAddr::V4(Ipv4Addr::from(self.next() as u32))
            }
        }
        fn name(&mut self) -> String {
            let n = self.next() % 15;
            (0..n)
                .map(|_| (b'a' + (self.next() % 26) as u8) as char)
                .collect()
        }
    }

    fn roundtrip<A>(attrs: &[A]) -> Vec<A>
    where
        A: netlink_packet_core::Nla + for<'a> Parseable<netlink_packet_core::NlaBuffer<&'a [u8]>>,
    {
        let mut buf = vec![0u8; attrs.buffer_len()];
        attrs.emit(&mut buf);
        NlasIterator::new(&buf[..])
            .map(|b| A::parse(&b.unwrap()).unwrap())
            .collect()
    }

    fn random_stats(r: &mut Rng) -> Stats {
        Stats {
            conns: r.next(),
            inpkts: r.next(),
            outpkts: r.next(),
            inbytes: r.next(),
            outbytes: r.next(),
            cps: r.next(),
            inpps: r.next(),
            outpps: r.next(),
            inbps: r.next(),
            outbps: r.next(),
        }
    }

    #[test]
    fn name_attributes_read_as_libipvs_copies_them() {
        assert_eq!(short_name(b"rr\0").unwrap(), "rr");
        // Up to the first NUL, whatever follows it.
        assert_eq!(short_name(b"mh\0\0junk\0").unwrap(), "mh");
        // No NUL at all: the whole value, cut to the 16-byte field.
        assert_eq!(short_name(b"sip").unwrap(), "sip");
        assert_eq!(
            short_name(b"a-very-long-scheduler\0").unwrap(),
            "a-very-long-sche"
        );
        // Bytes that are not UTF-8 are kept as they are.
        assert_eq!(short_name(b"\xff\xfe\0").unwrap().as_bytes(), b"\xff\xfe");
    }

    #[test]
    fn services_survive_encoding() {
        let mut r = Rng(0x9e37_79b9_7f4a_7c15);
        for _ in 0..2000 {
            let v6 = r.next() % 2 == 0;
            let family = if v6 { Family::Inet6 } else { Family::Inet };
            let id = if r.next() % 3 == 0 {
                ServiceId::Fwmark {
                    family,
                    mark: (r.next() as u32).max(1),
                }
            } else {
                ServiceId::Addr {
                    protocol: r.pick(&[Protocol::Tcp, Protocol::Udp, Protocol::Sctp]),
                    addr: r.addr(v6),
                    port: r.next() as u16,
                }
            };
            let cfg = ServiceConfig {
                scheduler: r.name().as_str().into(),
                flags: r.next() as u32,
                timeout: r.next() as u32,
                netmask: r.next() as u32,
                pe_name: r.name().as_str().into(),
            };
            let stats = random_stats(&mut r);
            let mut attrs = service_attrs(&id, &cfg);
            attrs.push(SvcAttr::Stats64(stats64_attrs(&stats)));
            let back = service_from_attrs(&roundtrip(&attrs)).unwrap();
            assert_eq!(
                back,
                Service {
                    id,
                    config: cfg,
                    stats
                }
            );
        }
    }

    #[test]
    fn real_servers_survive_encoding() {
        let mut r = Rng(0x0123_4567_89ab_cdef);
        for _ in 0..2000 {
            let v6 = r.next() % 2 == 0;
            let addr = r.addr(v6);
            let port = r.next() as u16;
            let cfg = DestConfig {
                forward: r.pick(&[
                    Forward::Masq,
                    Forward::Local,
                    Forward::Tunnel,
                    Forward::Route,
                ]),
                weight: r.next() as u32,
                u_threshold: r.next() as u32,
                l_threshold: r.next() as u32,
                tun_type: r.pick(&[TunnelType::Ipip, TunnelType::Gue, TunnelType::Gre]),
                tun_port: r.next() as u16,
                tun_flags: r.next() as u16 & 3,
            };
            let conns = ConnCounts {
                active: r.next() as u32,
                inactive: r.next() as u32,
                persistent: r.next() as u32,
            };
            let stats = random_stats(&mut r);
            let mut attrs = dest_attrs(&addr, port, &cfg);
            attrs.push(DestAttr::ActiveConns(conns.active));
            attrs.push(DestAttr::InactConns(conns.inactive));
            attrs.push(DestAttr::PersistConns(conns.persistent));
            attrs.push(DestAttr::Stats64(stats64_attrs(&stats)));
            // The service's family must not matter when the server says its own.
            let back = dest_from_attrs(&roundtrip(&attrs), Family::Inet6).unwrap();
            assert_eq!(
                back,
                Dest {
                    addr,
                    port,
                    config: cfg,
                    conns,
                    stats
                }
            );
        }
    }

    #[test]
    fn daemons_survive_encoding() {
        let mut r = Rng(42);
        for _ in 0..500 {
            let d = Daemon {
                state: r.pick(&[1, 2]),
                mcast_ifn: r.name(),
                syncid: r.next() as u32,
                sync_maxlen: r.next() as u16,
                mcast_group: match r.next() % 3 {
                    0 => None,
                    1 => Some(r.addr(false)),
                    _ => Some(r.addr(true)),
                },
                mcast_port: r.next() as u16,
                mcast_ttl: r.next() as u8,
            };
            let back = daemon_from_attrs(&roundtrip(&daemon_attrs(&d))).unwrap();
            // Zero values are not sent, and read back as zero.
            assert_eq!(back, d);
        }
    }

    #[test]
    fn missing_attributes_are_errors_not_panics() {
        let id = ServiceId::Addr {
            protocol: Protocol::Tcp,
            addr: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 80,
        };
        let full = service_attrs(&id, &ServiceConfig::default());
        for i in 0..full.len() {
            let mut v = full.clone();
            v.remove(i);
            // Only the pe name (absent here anyway) is optional.
            assert!(service_from_attrs(&v).is_err(), "without attribute {i}");
        }
    }
}
