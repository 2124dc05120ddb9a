//! A listing of the table without its traffic counters by the fastest
//! path the kernel's own answers prove right, and the one decision of
//! which path that is (ipvsadm-rs's `-L` takes it through `Client::walk`):
//!
//! 1. *getsockopt alone*: the services from `IP_VS_SO_GET_SERVICES`, each
//!    one's real servers from `IP_VS_SO_GET_DESTS`, no netlink dump. It
//!    stands only when GET_INFO's count of IPv4 services equals the
//!    count of every service the module list proves (`modules`: every
//!    service of the kernel is then an IPv4 one of this namespace, and no
//!    persistence engine can be set, which this interface would not
//!    show), each answer holds exactly the real servers GET_SERVICES
//!    counted (else that service's come from netlink), and GET_INFO,
//!    GET_SERVICES and the module list, asked again after the last
//!    GET_DESTS, say the same. Else what was handed over is taken back
//!    (`Visit::restart`) and the second path runs.
//! 2. *hybrid*: the services from the netlink dump, each IPv4 service's
//!    real servers over getsockopt where a GET_SERVICE asked right after
//!    counts the entries written (`sockopt::judge`), else over netlink.
//! 3. *netlink*: every dump over netlink; also whenever getsockopt fails.
//!
//! None of them carries traffic counters (the getsockopt ones are 32-bit
//! and cut without a sign): `Client::table` has them, over netlink.
//! Connection counts (active, inactive, persistent) are in every path.

use super::client::{Client, TableError};
use super::model::*;
use super::modules;
use super::sockopt;
use crate::Error;

/// How far a listing may go from netlink (`ListOptions::route`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Route {
    /// Every dump over netlink (real servers with their traffic
    /// counters, services without them).
    Netlink,
    /// Services over netlink, IPv4 real servers over getsockopt where
    /// the answer is proved whole.
    Hybrid,
    /// Services and real servers over getsockopt alone where the table
    /// is proved to hold nothing else, else as `Hybrid`: the fastest.
    #[default]
    Sockopt,
}

/// What a listing must carry and how far it may go from netlink.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListOptions {
    /// The furthest path allowed (default: the fastest, `Route::Sockopt`).
    pub route: Route,
    /// Whether a tunnelling real server must carry its tunnel's type,
    /// port and flags (default: yes). The getsockopt interface has none
    /// of them (they read as the defaults), so with this set a service
    /// with such a server has its real servers read over netlink.
    pub tunnel_details: bool,
}

impl Default for ListOptions {
    fn default() -> ListOptions {
        ListOptions {
            route: Route::Sockopt,
            tunnel_details: true,
        }
    }
}

/// Which way a listing went: how many services had their real servers
/// over each interface, how many getsockopt tries were wasted (netlink
/// answered then too: real servers of the other family, a tunnel, a
/// change meanwhile), and whether the services too came over getsockopt
/// (path 1 of the module's doc).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ListReport {
    /// Services whose real servers came over getsockopt.
    pub sockopt: usize,
    /// Services whose real servers came over netlink.
    pub netlink: usize,
    /// getsockopt tries that did not stand.
    pub missed: usize,
    /// The services came over getsockopt alone.
    pub alone: bool,
}

/// How many wasted getsockopt tries a listing allows before it weighs
/// them against the ones that served.
const MISSES_FREE: usize = 16;

/// How many wasted tries one that served pays for: a wasted try costs one
/// system call on top of the netlink dump, one that served saves a whole
/// dump, several times as much (about 2.5 against 18 microseconds a
/// service in the test VM).
const MISSES_PER_SERVED: usize = 4;

impl ListReport {
    /// Whether the next service's real servers are worth asking over
    /// getsockopt: on a table where most services have real servers of
    /// both families (or tunnels, when their details are wanted), every
    /// try is wasted, and the listing would be slower than netlink alone.
    /// Past a few misses, tries go on only while the ones that served
    /// outweigh them.
    pub(crate) fn worth_trying(&self) -> bool {
        self.missed <= MISSES_FREE + MISSES_PER_SERVED * self.sockopt
    }
}

/// Path 1's proof (the module's doc), shared with `widen`: opened before
/// the getsockopt table is read, checked once after its last GET_DESTS.
pub(crate) struct Proof {
    /// The services the loaded modules count, of every family.
    counted: u64,
    /// The same count: how many IPv4 services GET_SERVICES must list.
    pub(crate) want: usize,
}

impl Proof {
    /// The count of services, where no service can have a persistence
    /// engine; None otherwise, or when `/proc/modules` cannot be read.
    pub(crate) fn open() -> Option<Proof> {
        let counted = modules::services_loaded()?;
        let want = usize::try_from(counted).ok()?;
        Some(Proof { counted, want })
    }

    /// Whether `table`, read after `open`, is the kernel's still: GET_INFO
    /// and GET_SERVICES give the same services, and the modules count as
    /// many as before.
    pub(crate) fn held(&self, client: &mut Client, table: &sockopt::Table) -> bool {
        client
            .sockopt()
            .is_some_and(|so| matches!(so.same_table(table), Ok(true)))
            && modules::services_loaded() == Some(self.counted)
    }
}

/// What receives a listing (`Client::walk`), service by service.
pub trait Visit {
    /// The services are known, in the kernel's order: the positions in
    /// `defs` to walk them in (the default: as they are). `settled`:
    /// false on the getsockopt path, where everything handed over until
    /// the walk returns may still be taken back (`restart`); true when
    /// nothing will be.
    fn services(&mut self, defs: &[ServiceDef], settled: bool) -> Vec<u32> {
        let _ = settled;
        (0..defs.len() as u32).collect()
    }

    /// One service with its real servers, in the kernel's order (the
    /// vector is the walk's, reused: reorder it or take it at will).
    fn service(&mut self, def: &ServiceDef, dests: &mut Vec<Dest>);

    /// Forget every service handed over since the last unsettled
    /// `services`: the table was not proved unchanged, and the walk
    /// starts again on the hybrid path.
    fn restart(&mut self);
}

/// The collecting visitor of `Client::table_defs`.
#[derive(Default)]
struct Collect(Vec<(ServiceDef, Vec<Dest>)>);

impl Visit for Collect {
    fn service(&mut self, def: &ServiceDef, dests: &mut Vec<Dest>) {
        self.0.push((*def, std::mem::take(dests)));
    }

    fn restart(&mut self) {
        self.0.clear();
    }
}

/// Whether the listing must not use this getsockopt answer: a tunnel
/// whose details it must carry (the widening reader, `widen`, always
/// carries them: `ListOptions::default()`).
pub(crate) fn lacks_tunnel(opts: &ListOptions, dests: &[Dest]) -> bool {
    opts.tunnel_details && dests.iter().any(|d| d.config.forward == Forward::Tunnel)
}

impl Client {
    /// Every service, in the kernel's order, each with its real servers,
    /// without traffic counters (their `stats` are zero; connection
    /// counts are there), by the fastest path proved to give what the
    /// netlink dumps would (see the module's doc; tunnel details
    /// included). Many times faster than `table` on a large table of
    /// IPv4 services: a system call per service instead of a dump.
    pub fn table_defs(&mut self) -> Result<Vec<(ServiceDef, Vec<Dest>)>, TableError> {
        let mut all = Collect::default();
        self.walk(
            &ListOptions::default(),
            &mut all,
            &mut ListReport::default(),
        )?;
        Ok(all.0)
    }

    /// The listing of `table_defs` handed to `visit` service by service,
    /// in the order it asks for, by the fastest path `opts` allows;
    /// `report` (reset first) says which way it went, as far as it got
    /// when the walk fails. Fails when the netlink dump of the services
    /// does, or that of a service's real servers on the settled paths
    /// (the services handed over until then stand).
    pub fn walk(
        &mut self,
        opts: &ListOptions,
        visit: &mut dyn Visit,
        report: &mut ListReport,
    ) -> Result<(), TableError> {
        *report = ListReport::default();
        let fast = opts.route != Route::Netlink && self.sockopt().is_some();
        if fast && opts.route == Route::Sockopt {
            if let Some(r) = self.alone(opts, visit) {
                *report = r;
                return Ok(());
            }
        }
        let defs = self.service_defs().map_err(TableError::Services)?;
        let mut dests = Vec::new();
        for i in visit.services(&defs, true) {
            let def = &defs[i as usize];
            self.hybrid_dests(&def.id, fast, opts, &mut dests, report)
                .map_err(TableError::Dests)?;
            visit.service(def, &mut dests);
        }
        Ok(())
    }

    /// The real servers of one service into `out` (cleared first), in
    /// the kernel's order: over getsockopt where `opts` allows and the
    /// answer is proved whole (an IPv4 service; a GET_SERVICE right after
    /// counts as many), without traffic counters then; else over netlink,
    /// with them. `report` counts which way.
    pub fn dests_defs_into(
        &mut self,
        id: &ServiceId,
        opts: &ListOptions,
        out: &mut Vec<Dest>,
        report: &mut ListReport,
    ) -> Result<(), Error> {
        let fast = opts.route != Route::Netlink && self.sockopt().is_some();
        self.hybrid_dests(id, fast, opts, out, report)
    }

    /// One service's real servers on the hybrid path (`fast`: getsockopt
    /// may serve).
    fn hybrid_dests(
        &mut self,
        id: &ServiceId,
        fast: bool,
        opts: &ListOptions,
        out: &mut Vec<Dest>,
        report: &mut ListReport,
    ) -> Result<(), Error> {
        let v4 = id.family() == Family::Inet;
        if fast && v4 && report.worth_trying() {
            if let Some(so) = self.sockopt() {
                // Any getsockopt failure (the service gone meanwhile:
                // ESRCH) goes to netlink without a word: its answer, or
                // its error, is the one to give.
                let served = matches!(so.dests_into(id, out), Ok(true)) && !lacks_tunnel(opts, out);
                if served {
                    report.sockopt += 1;
                    return Ok(());
                }
                report.missed += 1;
            }
        }
        report.netlink += 1;
        self.dests_into(id, out)
    }

    /// Path 1 of the module's doc: the whole listing over getsockopt, the
    /// services handed to `visit` unsettled; its report, or None (and
    /// whatever was handed over taken back) when the path does not hold.
    fn alone(&mut self, opts: &ListOptions, visit: &mut dyn Visit) -> Option<ListReport> {
        // A table with IPv6 services, or a persistence engine loaded,
        // costs one file read and one system call before the hybrid path.
        let proof = Proof::open()?;
        // GET_INFO's count first: a table that is not all IPv4 of this
        // namespace costs no GET_SERVICES.
        let table = match self.sockopt()?.table(Some(proof.want)) {
            Ok(Some(t)) => t,
            _ => return None,
        };
        let mut by = ListReport::default();
        let mut dests = Vec::new();
        for i in visit.services(&table.defs, false) {
            let i = i as usize;
            let def = &table.defs[i];
            if !self.counted_dests(&def.id, table.num_dests[i], opts, &mut dests, &mut by) {
                visit.restart();
                return None;
            }
            visit.service(def, &mut dests);
        }
        if !proof.held(self, &table) {
            visit.restart();
            return None;
        }
        Some(ListReport { alone: true, ..by })
    }

    /// The real servers of one service of path 1 into `out`: over
    /// getsockopt when its answer holds the `num_dests` GET_SERVICES
    /// counted and `opts` needs nothing it lacks, else over netlink;
    /// false when netlink fails too (the service is gone: the table
    /// changed).
    fn counted_dests(
        &mut self,
        id: &ServiceId,
        num_dests: u32,
        opts: &ListOptions,
        out: &mut Vec<Dest>,
        by: &mut ListReport,
    ) -> bool {
        // A table whose services nearly all have real servers of both
        // families would waste a GET_DESTS on each: past a few, netlink
        // alone, as on the hybrid path.
        let tried = by.worth_trying();
        let served = tried
            && self
                .sockopt()
                .is_some_and(|so| matches!(so.counted_dests_into(id, num_dests, out), Ok(true)))
            && !lacks_tunnel(opts, out);
        if served {
            by.sockopt += 1;
            return true;
        }
        by.missed += usize::from(tried);
        by.netlink += 1;
        self.dests_into(id, out).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tries_stop_when_misses_outweigh_the_served() {
        let mut r = ListReport {
            missed: MISSES_FREE,
            ..ListReport::default()
        };
        assert!(r.worth_trying());
        r.missed += 1;
        assert!(!r.worth_trying());
        r.sockopt = 1;
        assert!(r.worth_trying());
        r.missed += MISSES_PER_SERVED;
        assert!(!r.worth_trying());
    }

    #[test]
    fn the_defaults_are_the_fastest_path_with_whole_data() {
        let o = ListOptions::default();
        assert_eq!(o.route, Route::Sockopt);
        assert!(o.tunnel_details);
        let tun = Dest {
            config: DestConfig {
                forward: Forward::Tunnel,
                ..DestConfig::default()
            },
            ..Dest::new("10.0.0.1".parse().unwrap(), 80)
        };
        assert!(lacks_tunnel(&o, std::slice::from_ref(&tun)));
        let rules_only = ListOptions {
            tunnel_details: false,
            ..o
        };
        assert!(!lacks_tunnel(&rules_only, &[tun]));
        assert!(!lacks_tunnel(
            &o,
            &[Dest::new("10.0.0.1".parse().unwrap(), 80)]
        ));
    }

    #[test]
    fn a_restart_forgets_what_was_collected() {
        let mut c = Collect::default();
        let def = Service::tcp("10.96.0.1".parse().unwrap(), 80);
        let def = ServiceDef {
            id: def.id,
            config: def.config,
        };
        let mut d = vec![Dest::new("10.0.0.1".parse().unwrap(), 80)];
        assert_eq!(c.services(&[def, def], false), [0, 1]);
        c.service(&def, &mut d);
        assert_eq!(c.0.len(), 1);
        assert!(d.is_empty(), "the walk's vector is taken");
        c.restart();
        assert!(c.0.is_empty());
    }
}
