//! The older getsockopt interface of IPVS (`IP_VS_SO_GET_INFO`,
//! `IP_VS_SO_GET_SERVICES`, `IP_VS_SO_GET_DESTS`; `include/uapi/linux/ip_vs.h`,
//! answered by `do_ip_vs_get_ctl` in `net/netfilter/ipvs/ip_vs_ctl.c`) as a
//! faster way to the same real servers a netlink GET_DEST dump gives: one
//! system call per service instead of a dump. It is only ever a short cut:
//! it knows IPv4 alone, no tunnel type, port or flags and 32-bit counters,
//! so the caller decides per service whether its answer may stand, and any
//! error here means "ask netlink" (see `listing`).
//!
//! The buffer accounting lives in pure functions over byte slices so that
//! short writes, shrinking and growing tables and zeroed tails are tested
//! without a kernel.

use std::net::{IpAddr, Ipv4Addr};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};

use super::model::*;

/// `IP_VS_BASE_CTL`: 64 + 1024 + 64.
const BASE_CTL: libc::c_int = 64 + 1024 + 64;
const SO_GET_INFO: libc::c_int = BASE_CTL + 1;
const SO_GET_SERVICES: libc::c_int = BASE_CTL + 2;
const SO_GET_SERVICE: libc::c_int = BASE_CTL + 3;
const SO_GET_DESTS: libc::c_int = BASE_CTL + 4;

/// `sizeof(struct ip_vs_getinfo)`.
const INFO_LEN: usize = 12;
/// `offsetof(struct ip_vs_get_services, entrytable)`.
const SERVICES_HEAD: usize = 8;
/// `sizeof(struct ip_vs_service_entry)`.
const SERVICE_ENTRY: usize = 104;
/// `offsetof(struct ip_vs_get_dests, entrytable)`.
const DESTS_HEAD: usize = 24;
/// `sizeof(struct ip_vs_dest_entry)`.
const DEST_ENTRY: usize = 96;
/// `IP_VS_CONN_F_INACTIVE`: `__ip_vs_update_dest` sets it in every real
/// server's `conn_flags`, so a written entry always carries it and a
/// zeroed one never does.
const CONN_F_INACTIVE: u32 = 0x0100;

fn u16_ne(b: &[u8], at: usize) -> u16 {
    u16::from_ne_bytes([b[at], b[at + 1]])
}

fn u32_ne(b: &[u8], at: usize) -> u32 {
    u32::from_ne_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

fn ipv4_at(b: &[u8], at: usize) -> Ipv4Addr {
    Ipv4Addr::new(b[at], b[at + 1], b[at + 2], b[at + 3])
}

/// `struct_size(get, entrytable, n)` for GET_SERVICES: the one length
/// `do_ip_vs_get_ctl` accepts (any other logs "IPVS: length: ... != ...").
pub fn services_len(n: usize) -> usize {
    SERVICES_HEAD + n * SERVICE_ENTRY
}

/// As `services_len`, for GET_DESTS.
pub fn dests_len(n: usize) -> usize {
    DESTS_HEAD + n * DEST_ENTRY
}

/// The written entries of a GET_SERVICES answer, in the kernel's order.
/// The kernel writes no count back (`__ip_vs_get_service_entries` stops
/// at the number asked for, or at the table's end and leaves the rest),
/// so the buffer must be zero-filled before the call: an entry is written
/// when its scheduler name is not empty (`ip_vs_copy_service` always
/// writes one, "none" at the least).
fn service_entries(buf: &[u8]) -> impl Iterator<Item = &[u8]> {
    buf.get(SERVICES_HEAD..)
        .unwrap_or_default()
        .chunks_exact(SERVICE_ENTRY)
        .take_while(|e| e[16] != 0)
}

/// The service a service entry names.
fn entry_id(e: &[u8]) -> ServiceId {
    let fwmark = u32_ne(e, 12);
    if fwmark != 0 {
        ServiceId::Fwmark {
            family: Family::Inet,
            mark: fwmark,
        }
    } else {
        ServiceId::Addr {
            protocol: Protocol::from_raw(u16_ne(e, 0)),
            addr: IpAddr::V4(ipv4_at(e, 4)),
            // __be16: the bytes in network order.
            port: u16::from_be_bytes([e[8], e[9]]),
        }
    }
}

/// The leading bytes of a service entry that hold all but its counters:
/// key, scheduler's name, flags, timeout, netmask and `num_dests`
/// (`ip_vs_copy_service`).
const ENTRY_DEF: usize = 48;

/// A service entry as the model's service without counters. Every field
/// is the one the netlink dump carries (`ip_vs_copy_service` against
/// `ip_vs_genl_fill_service`: the same scheduler name, "none" without
/// one; the whole `svc->flags`, which netlink sends with a mask of all
/// ones; timeout in seconds; the netmask's bytes) but the persistence
/// engine's name, which this interface does not have: the caller proves
/// there is none (`ipvs::modules`).
pub fn entry_def(e: &[u8]) -> ServiceDef {
    let name = &e[16..32];
    let end = name.iter().position(|&c| c == 0).unwrap_or(name.len());
    ServiceDef {
        id: entry_id(e),
        config: ServiceConfig {
            scheduler: ShortName::from_bytes(&name[..end]),
            flags: u32_ne(e, 32),
            timeout: u32_ne(e, 36),
            netmask: u32_ne(e, 40),
            pe_name: ShortName::default(),
        },
    }
}

/// The IPv4 services of this namespace as GET_SERVICES listed them, in
/// the kernel's order (that of the netlink dump, which walks the same two
/// hash tables: `ip_vs_genl_dump_services`), each with its `num_dests`;
/// and the entries' leading bytes, to tell whether a later answer is the
/// same table (`Sockopt::same_table`).
#[derive(Debug, Default)]
pub struct Table {
    /// The services, without counters.
    pub defs: Vec<ServiceDef>,
    /// How many real servers the kernel says each has, in the same order.
    pub num_dests: Vec<u32>,
    /// Each one's counters as this interface has them (`stats_at`),
    /// when asked for (`Sockopt::table_with_stats`); else empty.
    pub stats: Vec<Stats>,
    keys: Vec<[u8; ENTRY_DEF]>,
}

impl Table {
    /// The table a GET_SERVICES answer holds, with each service's
    /// counters when `stats` is set (else `stats` stays empty).
    fn of(buf: &[u8], stats: bool) -> Table {
        let mut t = Table::default();
        for e in service_entries(buf) {
            t.defs.push(entry_def(e));
            t.num_dests.push(u32_ne(e, 44));
            if stats {
                t.stats.push(stats_at(e, ENTRY_DEF));
            }
            t.keys
                .push(e[..ENTRY_DEF].try_into().unwrap_or([0; ENTRY_DEF]));
        }
        t
    }

    /// Whether a GET_SERVICES answer lists these services in this order,
    /// each as it was (all but the counters).
    fn same_as(&self, buf: &[u8]) -> bool {
        let mut written = service_entries(buf);
        self.keys
            .iter()
            .all(|k| written.next().is_some_and(|e| e[..ENTRY_DEF] == k[..]))
            && written.next().is_none()
    }
}

/// The `struct ip_vs_stats_user` at `at` of an entry: connections and
/// packets cut to their low 32 bits (`ip_vs_export_stats_user` copies the
/// kernel's 64-bit counters into 32-bit fields), bytes whole, the rate
/// estimates in 32 bits. `listing::Widen` makes 64-bit counters of them
/// again from an earlier reading.
pub fn stats_at(e: &[u8], at: usize) -> Stats {
    let u64_ne = |i: usize| {
        let mut b = [0u8; 8];
        b.copy_from_slice(&e[at + i..at + i + 8]);
        u64::from_ne_bytes(b)
    };
    let u32_at = |i: usize| u64::from(u32_ne(e, at + i));
    Stats {
        conns: u32_at(0),
        inpkts: u32_at(4),
        outpkts: u32_at(8),
        // Eight-byte aligned after the three 32-bit counters.
        inbytes: u64_ne(16),
        outbytes: u64_ne(24),
        cps: u32_at(32),
        inpps: u32_at(36),
        outpps: u32_at(40),
        inbps: u32_at(44),
        outbps: u32_at(48),
    }
}

/// Where a real-server entry's counters start (`struct ip_vs_dest_entry`:
/// after nine 32-bit fields, aligned to eight bytes).
const DEST_STATS: usize = 40;

/// How many real-server entries a GET_DESTS answer holds in a buffer
/// zero-filled before the call (`__ip_vs_get_dest_entries` writes them
/// from the first on and writes no count back).
pub fn written_dests(buf: &[u8]) -> usize {
    let mut n = 0;
    let mut at = DESTS_HEAD;
    while at + DEST_ENTRY <= buf.len() && u32_ne(buf, at + 8) & CONN_F_INACTIVE != 0 {
        n += 1;
        at += DEST_ENTRY;
    }
    n
}

/// The `i`th real-server entry of a GET_DESTS answer. The tunnel's type,
/// port and flags are not in this interface (they read as ipip, 0, 0) and
/// only the counters' low 32 bits are: a caller printing either must not
/// use this.
pub fn dest_at(buf: &[u8], i: usize) -> Dest {
    let e = &buf[DESTS_HEAD + i * DEST_ENTRY..DESTS_HEAD + (i + 1) * DEST_ENTRY];
    Dest {
        addr: IpAddr::V4(ipv4_at(e, 0)),
        port: u16::from_be_bytes([e[4], e[5]]),
        config: DestConfig {
            forward: Forward::from_flags(u32_ne(e, 8)),
            weight: u32_ne(e, 12),
            u_threshold: u32_ne(e, 16),
            l_threshold: u32_ne(e, 20),
            ..DestConfig::default()
        },
        conns: ConnCounts {
            active: u32_ne(e, 24),
            inactive: u32_ne(e, 28),
            persistent: u32_ne(e, 32),
        },
        stats: Stats::default(),
    }
}

/// The service's key as GET_SERVICE and GET_DESTS read it (protocol,
/// address, port, fwmark: the same first 16 bytes in both structures)
/// into `buf`; false, and nothing written, for an IPv6 service.
fn service_key(id: &ServiceId, buf: &mut [u8]) -> bool {
    let (protocol, addr, port) = match id {
        ServiceId::Addr {
            protocol,
            addr: IpAddr::V4(a),
            port,
        } => (protocol.raw(), a.octets(), *port),
        ServiceId::Fwmark {
            family: Family::Inet,
            ..
        } => (0, [0; 4], 0),
        _ => return false,
    };
    buf[0..2].copy_from_slice(&protocol.to_ne_bytes());
    buf[4..8].copy_from_slice(&addr);
    buf[8..10].copy_from_slice(&port.to_be_bytes());
    buf[12..16].copy_from_slice(&id.fwmark().to_ne_bytes());
    true
}

/// getsockopt(IPPROTO_IP, cmd) on the whole of `buf`, which holds the
/// request on the way in and the answer on the way out.
fn getsockopt(fd: &OwnedFd, cmd: libc::c_int, buf: &mut [u8]) -> std::io::Result<()> {
    let mut optlen = buf.len() as libc::socklen_t;
    // SAFETY: the buffer is live and `optlen` bytes long, and the kernel
    // writes at most `optlen` bytes into it.
    let r = unsafe {
        libc::getsockopt(
            fd.as_raw_fd(),
            libc::IPPROTO_IP,
            cmd,
            buf.as_mut_ptr().cast(),
            &mut optlen,
        )
    };
    if r < 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(())
}

/// What a GET_DESTS answer with room for `room` entries, of which it
/// wrote `written`, is worth, given the service's `num_dests` from
/// GET_SERVICE asked right after (`after`, real servers of every family).
#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    /// The written servers are the service's whole list.
    Whole,
    /// The buffer was full, and the service may have more: ask again with
    /// room for this many.
    Again(usize),
    /// Not a list the kernel had whole: ask netlink.
    Netlink,
}

/// Judge a GET_DESTS answer (see `Verdict`). GET_DESTS writes only real
/// servers of the service's own family and nothing tells how many it
/// skipped, so a list stands only when GET_SERVICE, asked right after,
/// counts exactly the entries written. Every call is atomic (each holds
/// `__ip_vs_mutex`), so that means the kernel had exactly the written
/// servers right after GET_DESTS, unless the table changed twice between
/// the two calls. Fewer written than counted: real servers of the other
/// family, or a change meanwhile; more: a change meanwhile. A full buffer
/// may have been cut short: asked again with room for all and one more,
/// unless the count says the service now has fewer than were written (a
/// change meanwhile).
pub fn judge(room: usize, written: usize, after: u32) -> Verdict {
    let after = after as usize;
    if written < room {
        if written == after {
            Verdict::Whole
        } else {
            Verdict::Netlink
        }
    } else if after >= room {
        Verdict::Again(after + 1)
    } else {
        Verdict::Netlink
    }
}

/// How many entries GET_DESTS first has room for: a kube-proxy service has
/// a few real servers; one with more is asked again with room for all.
const FIRST_ROOM: usize = 8;

/// A plain `AF_INET` datagram socket for the IPVS socket options (the
/// kernel asks for CAP_NET_ADMIN, not CAP_NET_RAW), with the buffer its
/// answers are read into.
pub struct Sockopt {
    fd: OwnedFd,
    buf: Vec<u8>,
}

impl Sockopt {
    /// Open the socket the getsockopt interface is asked through (any
    /// IPv4 datagram socket).
    pub fn open() -> std::io::Result<Sockopt> {
        // SAFETY: socket() takes plain integers and returns a new fd or -1.
        let fd = unsafe { libc::socket(libc::AF_INET, libc::SOCK_DGRAM | libc::SOCK_CLOEXEC, 0) };
        if fd < 0 {
            return Err(std::io::Error::last_os_error());
        }
        // SAFETY: fd is a fresh descriptor that nothing else owns.
        let fd = unsafe { OwnedFd::from_raw_fd(fd) };
        Ok(Sockopt {
            fd,
            buf: Vec::new(),
        })
    }

    /// getsockopt(IPPROTO_IP, cmd) on the first `len` bytes of the buffer,
    /// which hold the request's header on the way in.
    fn get(&mut self, cmd: libc::c_int, len: usize) -> std::io::Result<()> {
        getsockopt(&self.fd, cmd, &mut self.buf[..len])
    }

    /// A zero-filled buffer of `len` bytes.
    fn zeroed(&mut self, len: usize) {
        self.buf.clear();
        self.buf.resize(len, 0);
    }

    /// IP_VS_SO_GET_INFO's `num_services`: the IPv4 services only (the
    /// kernel counts no other family for this interface).
    pub fn num_services(&mut self) -> std::io::Result<usize> {
        self.zeroed(INFO_LEN);
        self.get(SO_GET_INFO, INFO_LEN)?;
        Ok(u32_ne(&self.buf, 8) as usize)
    }

    /// The IPv4 services of this namespace (see `Table`): GET_INFO's
    /// count, then GET_SERVICES with room for one more; None when the
    /// count is not `want` (if given: asked before the larger call) or
    /// the answer does not hold exactly that many (the table changed
    /// between the two calls).
    pub fn table(&mut self, want: Option<usize>) -> std::io::Result<Option<Table>> {
        self.services_table(want, false)
    }

    /// `table`, each service with its counters as this interface has
    /// them (`stats_at`).
    pub fn table_with_stats(&mut self, want: Option<usize>) -> std::io::Result<Option<Table>> {
        self.services_table(want, true)
    }

    fn services_table(
        &mut self,
        want: Option<usize>,
        stats: bool,
    ) -> std::io::Result<Option<Table>> {
        let n = self.num_services()?;
        if want.is_some_and(|w| w != n) {
            return Ok(None);
        }
        let len = services_len(n + 1);
        self.zeroed(len);
        self.buf[..4].copy_from_slice(&(n as u32 + 1).to_ne_bytes());
        self.get(SO_GET_SERVICES, len)?;
        let t = Table::of(&self.buf, stats);
        self.buf = Vec::new();
        Ok((t.defs.len() == n).then_some(t))
    }

    /// Whether the table is still `t`: GET_INFO counts as many services
    /// and GET_SERVICES, with room for one more, lists the same ones in
    /// the same order, each as it was (all but the counters).
    pub fn same_table(&mut self, t: &Table) -> std::io::Result<bool> {
        let n = t.defs.len();
        if self.num_services()? != n {
            return Ok(false);
        }
        let len = services_len(n + 1);
        self.zeroed(len);
        self.buf[..4].copy_from_slice(&(n as u32 + 1).to_ne_bytes());
        self.get(SO_GET_SERVICES, len)?;
        let same = t.same_as(&self.buf);
        self.buf = Vec::new();
        Ok(same)
    }

    /// The real servers of one IPv4 service into `out` (cleared first),
    /// given the `num_dests` GET_SERVICES counted: GET_DESTS with room for
    /// one more than that. `__ip_vs_get_dest_entries` stops early only at
    /// the room's end, so an answer shorter than the room is the whole
    /// list of the service's own family at that moment (under
    /// `__ip_vs_mutex`, as every call of `do_ip_vs_get_ctl`); it stands
    /// (true) when it holds exactly `num_dests`, i.e. no real server of
    /// the other family was skipped, unless the service changed since
    /// GET_SERVICES (which the caller asks again at the end:
    /// `same_table`). False, for the caller to ask netlink, otherwise.
    pub fn counted_dests_into(
        &mut self,
        id: &ServiceId,
        num_dests: u32,
        out: &mut Vec<Dest>,
    ) -> std::io::Result<bool> {
        self.counted_dests(id, num_dests, false, out)
    }

    /// `counted_dests_into`, each real server with its counters as this
    /// interface has them (`stats_at`: 32 bits for connections and
    /// packets).
    pub fn counted_dests_with_stats(
        &mut self,
        id: &ServiceId,
        num_dests: u32,
        out: &mut Vec<Dest>,
    ) -> std::io::Result<bool> {
        self.counted_dests(id, num_dests, true, out)
    }

    #[inline]
    fn counted_dests(
        &mut self,
        id: &ServiceId,
        num_dests: u32,
        stats: bool,
        out: &mut Vec<Dest>,
    ) -> std::io::Result<bool> {
        out.clear();
        let room = num_dests as usize + 1;
        let len = dests_len(room);
        self.zeroed(len);
        if !service_key(id, &mut self.buf) {
            return Ok(false);
        }
        self.buf[16..20].copy_from_slice(&(room as u32).to_ne_bytes());
        self.get(SO_GET_DESTS, len)?;
        let written = written_dests(&self.buf);
        if written != num_dests as usize {
            return Ok(false);
        }
        self.written_into(written, stats, out);
        Ok(true)
    }

    /// The `written` real servers of the GET_DESTS answer in the buffer
    /// into `out`, with their counters when `stats` is set.
    fn written_into(&self, written: usize, stats: bool, out: &mut Vec<Dest>) {
        out.extend((0..written).map(|i| dest_at(&self.buf, i)));
        if stats {
            for (i, d) in out.iter_mut().enumerate() {
                d.stats = stats_at(&self.buf, DESTS_HEAD + i * DEST_ENTRY + DEST_STATS);
            }
        }
    }

    /// IP_VS_SO_GET_SERVICE's `num_dests` for one service (real servers of
    /// every family); `Ok(None)` for an IPv6 service (this interface knows
    /// none), an error (ESRCH) for one the kernel does not have.
    pub fn num_dests(&mut self, id: &ServiceId) -> std::io::Result<Option<u32>> {
        let mut e = [0u8; SERVICE_ENTRY];
        if !service_key(id, &mut e) {
            return Ok(None);
        }
        getsockopt(&self.fd, SO_GET_SERVICE, &mut e)?;
        Ok(Some(u32_ne(&e, 44)))
    }

    /// The real servers of one IPv4 service into `out` (cleared first):
    /// true when GET_DESTS wrote the service's whole list (see `judge`);
    /// false, for the caller to ask netlink, otherwise, and for an IPv6
    /// service, which this interface does not know.
    pub fn dests_into(&mut self, id: &ServiceId, out: &mut Vec<Dest>) -> std::io::Result<bool> {
        self.judged_dests(id, false, out)
    }

    /// `dests_into`, each real server with its counters as this interface
    /// has them (`stats_at`: 32 bits for connections and packets).
    pub fn dests_with_stats_into(
        &mut self,
        id: &ServiceId,
        out: &mut Vec<Dest>,
    ) -> std::io::Result<bool> {
        self.judged_dests(id, true, out)
    }

    #[inline]
    fn judged_dests(
        &mut self,
        id: &ServiceId,
        stats: bool,
        out: &mut Vec<Dest>,
    ) -> std::io::Result<bool> {
        out.clear();
        let mut room = FIRST_ROOM;
        // At most once again: a service that outgrows the second buffer
        // too is changing under us.
        for _ in 0..2 {
            let len = dests_len(room);
            self.zeroed(len);
            if !service_key(id, &mut self.buf) {
                return Ok(false);
            }
            self.buf[16..20].copy_from_slice(&(room as u32).to_ne_bytes());
            self.get(SO_GET_DESTS, len)?;
            let written = written_dests(&self.buf);
            let Some(after) = self.num_dests(id)? else {
                return Ok(false);
            };
            match judge(room, written, after) {
                Verdict::Whole => {
                    self.written_into(written, stats, out);
                    return Ok(true);
                }
                Verdict::Again(more) => room = more,
                Verdict::Netlink => return Ok(false),
            }
        }
        Ok(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn svc_entry(buf: &mut [u8], i: usize, addr: [u8; 4], port: u16, fwmark: u32, n: u32) {
        let e = &mut buf[SERVICES_HEAD + i * SERVICE_ENTRY..][..SERVICE_ENTRY];
        e[0..2].copy_from_slice(&6u16.to_ne_bytes());
        e[4..8].copy_from_slice(&addr);
        e[8..10].copy_from_slice(&port.to_be_bytes());
        e[12..16].copy_from_slice(&fwmark.to_ne_bytes());
        e[16..18].copy_from_slice(b"rr");
        e[44..48].copy_from_slice(&n.to_ne_bytes());
    }

    fn dest_entry(buf: &mut [u8], i: usize, last: u8, flags: u32) {
        let e = &mut buf[DESTS_HEAD + i * DEST_ENTRY..][..DEST_ENTRY];
        e[0..4].copy_from_slice(&[10, 0, 0, last]);
        e[4..6].copy_from_slice(&80u16.to_be_bytes());
        e[8..12].copy_from_slice(&flags.to_ne_bytes());
        e[12..16].copy_from_slice(&7u32.to_ne_bytes());
        e[24..28].copy_from_slice(&3u32.to_ne_bytes());
    }

    fn tcp(addr: [u8; 4], port: u16) -> ServiceId {
        ServiceId::Addr {
            protocol: Protocol::Tcp,
            addr: IpAddr::V4(addr.into()),
            port,
        }
    }

    #[test]
    fn sizes_are_the_kernels() {
        // struct_size() of the two flexible arrays on x86-64.
        assert_eq!(services_len(0), 8);
        assert_eq!(services_len(2), 8 + 2 * 104);
        assert_eq!(dests_len(3), 24 + 3 * 96);
    }

    #[test]
    fn services_stop_at_the_zeroed_tail() {
        let mut buf = vec![0; services_len(4)];
        svc_entry(&mut buf, 0, [10, 96, 0, 1], 443, 0, 2);
        svc_entry(&mut buf, 1, [0; 4], 0, 5, 0);
        let t = Table::of(&buf, false);
        let fw = ServiceId::Fwmark {
            family: Family::Inet,
            mark: 5,
        };
        let ids: Vec<_> = t.defs.iter().map(|d| d.id).collect();
        assert_eq!(ids, [tcp([10, 96, 0, 1], 443), fw]);
        assert_eq!(t.num_dests, [2, 0]);
        // A short buffer (not a whole entry at the end) is no entry.
        assert_eq!(Table::of(&buf[..services_len(1) + 50], false).defs.len(), 1);
        assert!(Table::of(&buf[..4], false).defs.is_empty());
    }

    #[test]
    fn entries_read_as_the_netlink_dump_reads_them() {
        let mut buf = vec![0; services_len(3)];
        svc_entry(&mut buf, 0, [10, 96, 0, 1], 443, 0, 2);
        svc_entry(&mut buf, 1, [0; 4], 0, 5, 0);
        let e = &mut buf[SERVICES_HEAD..][..SERVICE_ENTRY];
        e[32..36].copy_from_slice(&0x19u32.to_ne_bytes());
        e[36..40].copy_from_slice(&300u32.to_ne_bytes());
        e[40..44].copy_from_slice(&[255, 255, 255, 0]);
        // Counters as `struct ip_vs_stats_user` lays them out: three
        // 32-bit, two 64-bit from byte 16 of it, five 32-bit rates.
        let st = &mut buf[SERVICES_HEAD + ENTRY_DEF..][..52];
        st[0..4].copy_from_slice(&7u32.to_ne_bytes());
        st[8..12].copy_from_slice(&u32::MAX.to_ne_bytes());
        st[24..32].copy_from_slice(&(5u64 << 40).to_ne_bytes());
        st[48..52].copy_from_slice(&9u32.to_ne_bytes());
        let t = Table::of(&buf, true);
        assert_eq!(t.num_dests, [2, 0]);
        let s = t.stats[0];
        assert_eq!((s.conns, s.inpkts, s.outpkts), (7, 0, u32::MAX as u64));
        assert_eq!((s.inbytes, s.outbytes, s.outbps), (0, 5 << 40, 9));
        assert_eq!(t.stats[1], Stats::default());
        let d = t.defs[0];
        assert_eq!(d.id, tcp([10, 96, 0, 1], 443));
        assert_eq!(d.config.scheduler, ShortName::from_bytes(b"rr"));
        assert_eq!((d.config.flags, d.config.timeout), (0x19, 300));
        assert_eq!(d.config.netmask_v4(), Ipv4Addr::new(255, 255, 255, 0));
        assert!(d.config.pe_name.is_empty());
        assert_eq!(t.defs[1].id.fwmark(), 5);
        // The same answer is the same table, counters aside.
        let mut later = buf.clone();
        later[SERVICES_HEAD + 48] = 9;
        assert!(t.same_as(&later));
        // Not when a service has another real server count, or is gone,
        // or another one came.
        let mut more = buf.clone();
        more[SERVICES_HEAD + 44] = 3;
        assert!(!t.same_as(&more));
        assert!(!t.same_as(&buf[..services_len(1)]));
        let mut added = buf.clone();
        svc_entry(&mut added, 2, [10, 96, 0, 2], 80, 0, 0);
        assert!(!t.same_as(&added));
    }

    #[test]
    fn dests_count_only_written_entries() {
        let mut buf = vec![0; dests_len(3)];
        assert_eq!(written_dests(&buf), 0);
        dest_entry(&mut buf, 0, 1, CONN_F_INACTIVE | 3);
        dest_entry(&mut buf, 1, 2, CONN_F_INACTIVE);
        assert_eq!(written_dests(&buf), 2);
        let d = dest_at(&buf, 0);
        assert_eq!(d.addr, IpAddr::V4([10, 0, 0, 1].into()));
        assert_eq!(d.port, 80);
        assert_eq!(d.config.forward, Forward::Route);
        assert_eq!(d.config.weight, 7);
        assert_eq!(d.conns.active, 3);
        assert_eq!(dest_at(&buf, 1).config.forward, Forward::Masq);
        // A full buffer counts every entry; a cut one only whole entries.
        dest_entry(&mut buf, 2, 3, CONN_F_INACTIVE);
        assert_eq!(written_dests(&buf), 3);
        assert_eq!(written_dests(&buf[..dests_len(2) + 95]), 2);
    }

    #[test]
    fn a_list_stands_only_when_the_count_after_agrees() {
        // Room for 8: what was written is all there is.
        assert_eq!(judge(8, 2, 2), Verdict::Whole);
        assert_eq!(judge(8, 0, 0), Verdict::Whole);
        assert_eq!(judge(8, 7, 7), Verdict::Whole);
        // Fewer written than counted: another family's real servers, or
        // one added meanwhile.
        assert_eq!(judge(8, 2, 3), Verdict::Netlink);
        // More written than counted: one removed meanwhile.
        assert_eq!(judge(8, 2, 1), Verdict::Netlink);
        // A full buffer: asked again with room for every one counted and
        // one more, unless the service now counts fewer than were written.
        assert_eq!(judge(8, 8, 8), Verdict::Again(9));
        assert_eq!(judge(8, 8, 40), Verdict::Again(41));
        assert_eq!(judge(8, 8, 7), Verdict::Netlink);
        assert_eq!(judge(41, 41, 41), Verdict::Again(42));
    }

    #[test]
    fn the_key_is_ipv4_only() {
        let mut b = [0xffu8; 20];
        assert!(service_key(&tcp([10, 96, 0, 1], 443), &mut b));
        assert_eq!(&b[0..2], &6u16.to_ne_bytes());
        assert_eq!(&b[4..8], &[10, 96, 0, 1]);
        assert_eq!(&b[8..10], &443u16.to_be_bytes());
        assert_eq!(&b[12..16], &0u32.to_ne_bytes());
        let fw = ServiceId::Fwmark {
            family: Family::Inet,
            mark: 9,
        };
        assert!(service_key(&fw, &mut b));
        assert_eq!(&b[12..16], &9u32.to_ne_bytes());
        let mut untouched = [0xffu8; 20];
        let fw6 = ServiceId::Fwmark {
            family: Family::Inet6,
            mark: 9,
        };
        let v6 = ServiceId::Addr {
            protocol: Protocol::Tcp,
            addr: "fd00::1".parse().unwrap(),
            port: 80,
        };
        assert!(!service_key(&fw6, &mut untouched));
        assert!(!service_key(&v6, &mut untouched));
        assert_eq!(untouched, [0xff; 20]);
    }
}
