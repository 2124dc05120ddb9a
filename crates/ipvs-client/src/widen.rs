//! The table with its 64-bit traffic counters, read again and again (a
//! view refreshed every few seconds) at the speed of the getsockopt
//! interface, whose answers carry connections and packets in 32 bits only
//! (`sockopt::stats_at`). The first reading is netlink's, whole; each
//! later one takes the services and real servers over getsockopt alone
//! where `listing`'s proof holds (IPv4 services only, no persistence
//! engine possible, the table unchanged from the first GET_INFO to the
//! last check), and makes each cut counter whole again from the same
//! object's counter in the reading before: the kernel's counters only
//! grow, so the new value is the old one plus the growth of the low 32
//! bits. Where that proof fails (an IPv6 service, a persistence engine's
//! module loaded), the services come from netlink's dump, their counters
//! whole, and each IPv4 service's real servers over getsockopt where the
//! answer is proved whole (`sockopt::judge`), widened the same way: the
//! hybrid path of `listing`.
//!
//! That holds while no counter grows by 2^31 or more between two
//! readings. `MAX_GAP` bounds the time between them: 2^31 packets in 5
//! seconds is 430 million a second through one virtual service, some ten
//! times what IPVS forwards on a whole node. A counter whose low bits grew
//! by 2^31 or more, or went down, is no growth at all: the object was
//! deleted and made again (its counters restarted) or the reading is
//! stale. That object, and any the reading before did not have, is read
//! again over netlink, whole; so are tunnelling real servers (the
//! getsockopt answer has no tunnel details) and, when the proof fails,
//! the whole table.
//!
//! Rates (`cps`, `inpps`, ... `outbps`) are the 32-bit interface's on the
//! getsockopt path: the kernel's estimates, which the callers of this
//! (ipvsadm-rs's `--watch`) do not print; they work out rates from the
//! counters.

use std::collections::HashMap;
use std::net::IpAddr;
use std::ops::Range;
use std::time::{Duration, Instant};

use super::client::{Client, TableError};
use super::listing::{lacks_tunnel, ListOptions, ListReport, Proof};
use super::model::*;

/// The longest time between two readings for which a counter's low 32
/// bits are trusted to have grown by less than 2^31 (see the module's
/// doc); after a longer pause the reading is netlink's.
pub const MAX_GAP: Duration = Duration::from_secs(5);

/// One service of the last reading with its counters, whole, and where
/// its real servers' are in `Widen::dests`.
#[derive(Debug)]
struct Seen {
    id: ServiceId,
    stats: Stats,
    dests: Range<usize>,
}

/// A real server of the last reading: address, port, counters.
type SeenDest = (IpAddr, u16, Stats);

/// The counters of the last reading, whole, and when it was taken: what
/// the next one widens its 32-bit counters from. Kept in the kernel's
/// order, which a table at rest keeps from one reading to the next, so
/// that the next one finds each service at the same position; a map of
/// positions is made only when one is not there.
#[derive(Debug, Default)]
pub struct Widen {
    at: Option<Instant>,
    seen: Vec<Seen>,
    /// Every real server of the last reading, service after service (one
    /// vector, not one a service: a reading of 10,000 services would
    /// otherwise make and free 10,000).
    dests: Vec<SeenDest>,
    index: Option<HashMap<ServiceId, usize>>,
    /// How the last reading went (see `WidenReport`).
    pub report: WidenReport,
}

/// How a reading went: whether the services came over getsockopt, and how
/// many services had their real servers read over netlink (the first
/// reading, or one after a pause, is netlink's whole and counts none).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct WidenReport {
    /// The services and real servers came over getsockopt (else the
    /// services came from netlink's dump).
    pub sockopt: bool,
    /// Services whose real servers were read over netlink (new,
    /// restarted, tunnelling, IPv6, or with real servers of the other
    /// family).
    pub netlink: usize,
}

/// A counter of 64 bits again from its low 32 (`now`) and the whole value
/// of the reading before; None when the low bits grew by 2^31 or more, or
/// went down (see the module's doc).
pub fn widen(before: u64, now: u64) -> Option<u64> {
    let grew = (now as u32).wrapping_sub(before as u32);
    (grew < 1 << 31).then(|| before.wrapping_add(u64::from(grew)))
}

/// `Stats` widened field by field: connections and packets from their
/// low 32 bits, bytes as they are (64 bits in this interface too), but
/// only when they did not go down either; the rates as they are.
fn widen_stats(before: &Stats, now: &Stats) -> Option<Stats> {
    if now.inbytes < before.inbytes || now.outbytes < before.outbytes {
        return None;
    }
    Some(Stats {
        conns: widen(before.conns, now.conns)?,
        inpkts: widen(before.inpkts, now.inpkts)?,
        outpkts: widen(before.outpkts, now.outpkts)?,
        ..*now
    })
}

impl Widen {
    /// An empty memory: the next reading is netlink's.
    pub fn new() -> Widen {
        Widen::default()
    }

    /// Whether the next reading may widen: there was one, recently.
    fn fresh(&self) -> bool {
        self.at.is_some_and(|t| t.elapsed() <= MAX_GAP)
    }

    /// Remember a reading, whole, as the next one's base.
    fn keep(&mut self, table: &[(Service, Vec<Dest>)], at: Instant) {
        self.seen.clear();
        self.dests.clear();
        self.index = None;
        for (s, dests) in table {
            let start = self.dests.len();
            self.dests
                .extend(dests.iter().map(|d| (d.addr, d.port, d.stats)));
            self.seen.push(Seen {
                id: s.id,
                stats: s.stats,
                dests: start..self.dests.len(),
            });
        }
        self.at = Some(at);
    }

    /// The last reading's entry of service `id`, which the new one has at
    /// position `at`.
    fn find(&mut self, at: usize, id: &ServiceId) -> Option<&Seen> {
        if self.seen.get(at).is_some_and(|s| s.id == *id) {
            return self.seen.get(at);
        }
        let seen = &self.seen;
        let index = self
            .index
            .get_or_insert_with(|| seen.iter().enumerate().map(|(i, s)| (s.id, i)).collect());
        index.get(id).and_then(|&i| self.seen.get(i))
    }

    /// The last reading's real servers of service `id` (see `find`).
    fn find_dests(&mut self, at: usize, id: &ServiceId) -> Option<&[SeenDest]> {
        let range = self.find(at, id)?.dests.clone();
        self.dests.get(range)
    }

    /// One service's counters and its real servers' widened from the
    /// reading before (the service at position `at` of the new one);
    /// None when any of them cannot be (see the module's doc).
    fn widen_service(
        &mut self,
        at: usize,
        id: &ServiceId,
        stats: &Stats,
        dests: &mut [Dest],
    ) -> Option<Stats> {
        let s = widen_stats(&self.find(at, id)?.stats, stats)?;
        self.widen_dests(at, id, dests)?;
        Some(s)
    }

    /// The real servers' counters of one service widened (see
    /// `widen_service`), the service's own being netlink's, whole.
    fn widen_dests(&mut self, at: usize, id: &ServiceId, dests: &mut [Dest]) -> Option<()> {
        let seen = self.find_dests(at, id)?;
        for (j, d) in dests.iter_mut().enumerate() {
            let same = |e: &&SeenDest| e.0 == d.addr && e.1 == d.port;
            let before = match seen.get(j).filter(same) {
                Some(e) => e,
                None => seen.iter().find(same)?,
            };
            d.stats = widen_stats(&before.2, &d.stats)?;
        }
        Some(())
    }
}

impl Client {
    /// Every service, in the kernel's order, each with its real servers,
    /// with every counter whole, as `table` gives them; after a first
    /// reading by `table`, each later one within `MAX_GAP` is taken over
    /// getsockopt where the module's doc says it holds, its counters
    /// widened from `memory`'s. `memory.report` says which way it went.
    pub fn table_widened(
        &mut self,
        memory: &mut Widen,
    ) -> Result<Vec<(Service, Vec<Dest>)>, TableError> {
        let at = Instant::now();
        memory.report = WidenReport::default();
        let table = if !memory.fresh() {
            self.table()?
        } else if let Some(t) = self.widened(memory) {
            t
        } else {
            self.hybrid_widened(memory)?
        };
        memory.keep(&table, at);
        Ok(table)
    }

    /// The hybrid reading of `table_widened`, where getsockopt alone is not
    /// proved (an IPv6 service, say): the services from netlink's dump,
    /// their counters whole; each IPv4 service's real servers over
    /// getsockopt where the answer is proved whole (`sockopt::judge`)
    /// and every counter widens, else over netlink.
    fn hybrid_widened(
        &mut self,
        memory: &mut Widen,
    ) -> Result<Vec<(Service, Vec<Dest>)>, TableError> {
        memory.report = WidenReport::default();
        let services = self.services().map_err(TableError::Services)?;
        let mut table = Vec::with_capacity(services.len());
        // The listing's brake: on a table where getsockopt seldom serves
        // (real servers of both families), it is soon not asked.
        let mut tries = ListReport::default();
        for (i, svc) in services.into_iter().enumerate() {
            let mut dests = Vec::new();
            let v4 = svc.id.family() == Family::Inet;
            let tried = v4 && tries.worth_trying();
            let fast = tried
                && self.sockopt().is_some_and(|so| {
                    matches!(so.dests_with_stats_into(&svc.id, &mut dests), Ok(true))
                })
                && !lacks_tunnel(&ListOptions::default(), &dests)
                && memory.widen_dests(i, &svc.id, &mut dests).is_some();
            match (tried, fast) {
                (_, true) => tries.sockopt += 1,
                (true, false) => tries.missed += 1,
                _ => {}
            }
            if !fast {
                memory.report.netlink += 1;
                self.dests_into(&svc.id, &mut dests)
                    .map_err(TableError::Dests)?;
            }
            table.push((svc, dests));
        }
        Ok(table)
    }

    /// The getsockopt reading of `table_widened`; None when `listing`'s
    /// proof does not hold (the caller reads netlink's table then).
    fn widened(&mut self, memory: &mut Widen) -> Option<Vec<(Service, Vec<Dest>)>> {
        let proof = Proof::open()?;
        let t = self.sockopt()?.table_with_stats(Some(proof.want)).ok()??;
        let mut table = Vec::with_capacity(t.defs.len());
        for (i, def) in t.defs.iter().enumerate() {
            let mut dests = Vec::new();
            let whole = self.sockopt().is_some_and(|so| {
                matches!(
                    so.counted_dests_with_stats(&def.id, t.num_dests[i], &mut dests),
                    Ok(true)
                )
            }) && !lacks_tunnel(&ListOptions::default(), &dests);
            let widened = whole
                .then(|| memory.widen_service(i, &def.id, &t.stats[i], &mut dests))
                .flatten();
            let entry = match widened {
                Some(stats) => (def.with_stats(stats), dests),
                None => {
                    // A service gone meanwhile: the table changed.
                    memory.report.netlink += 1;
                    let svc = self.service(&def.id).ok()?;
                    self.dests_into(&def.id, &mut dests).ok()?;
                    (svc, dests)
                }
            };
            table.push(entry);
        }
        let held = proof.held(self, &t);
        memory.report.sockopt = held;
        held.then_some(table)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_widen_across_a_wrap_but_not_back() {
        assert_eq!(widen(5, 9), Some(9));
        // 2^32 + 10 was read whole; the low bits now say 20.
        assert_eq!(widen((1 << 32) + 10, 20), Some((1 << 32) + 20));
        // Past the wrap of the low bits: 0xffff_fff0 then 0x10.
        assert_eq!(widen(0x1_ffff_fff0, 0x10), Some(0x2_0000_0010));
        // Down (made again), or up by 2^31 or more: not a growth.
        assert_eq!(widen(100, 99), None);
        assert_eq!(widen(0, 1 << 31), None);
        assert_eq!(widen(0, (1 << 31) - 1), Some((1 << 31) - 1));
    }

    #[test]
    fn stats_widen_only_when_every_counter_grew() {
        let before = Stats {
            conns: (1 << 32) + 7,
            inpkts: 3 << 32,
            outpkts: 1,
            inbytes: 1 << 40,
            outbytes: 5,
            ..Stats::default()
        };
        let now = Stats {
            conns: 8,
            inpkts: 2,
            outpkts: 1,
            inbytes: (1 << 40) + 1,
            outbytes: 5,
            cps: 4,
            ..Stats::default()
        };
        let w = widen_stats(&before, &now).unwrap();
        assert_eq!(
            (w.conns, w.inpkts, w.outpkts),
            ((1 << 32) + 8, (3 << 32) + 2, 1)
        );
        assert_eq!((w.inbytes, w.cps), ((1 << 40) + 1, 4));
        let fewer_bytes = Stats { outbytes: 4, ..now };
        assert_eq!(widen_stats(&before, &fewer_bytes), None);
    }

    #[test]
    fn a_service_widens_only_from_a_reading_that_had_it_all() {
        let mut m = Widen::new();
        let svc = Service::tcp("10.96.0.1".parse().unwrap(), 80);
        let d = Dest::new("10.244.0.2".parse().unwrap(), 8080);
        let whole = |n: u64| Stats {
            conns: n,
            ..Stats::default()
        };
        let table = vec![(
            Service {
                stats: whole((1 << 32) + 1),
                ..svc.clone()
            },
            vec![Dest {
                stats: whole(1 << 33),
                ..d.clone()
            }],
        )];
        assert!(!m.fresh());
        m.keep(&table, Instant::now());
        assert!(m.fresh());
        let mut dests = vec![Dest {
            stats: whole(3),
            ..d.clone()
        }];
        let s = m.widen_service(0, &svc.id, &whole(2), &mut dests).unwrap();
        assert_eq!(
            (s.conns, dests[0].stats.conns),
            ((1 << 32) + 2, (1 << 33) + 3)
        );
        // A real server the last reading did not have: netlink's.
        let mut other = vec![Dest::new("10.244.0.3".parse().unwrap(), 8080)];
        assert_eq!(m.widen_service(0, &svc.id, &whole(2), &mut other), None);
        let unknown = Service::tcp("10.96.0.2".parse().unwrap(), 80);
        assert_eq!(m.widen_service(0, &unknown.id, &whole(2), &mut []), None);
        // Found where the kernel's order moved it, too.
        let s = m.widen_service(5, &svc.id, &whole(3), &mut []).unwrap();
        assert_eq!(s.conns, (1 << 32) + 3);
    }
}
