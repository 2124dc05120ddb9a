//! The listings of services and real servers, in text (ipvsadm's
//! `list_all`, `list_service` and `print_service_entry`, their fetching
//! halves: the formatting is `format`'s), in JSON (ours, `-j`) and in
//! Prometheus's text format (ours, `--metrics`); the listing each refresh
//! of `--watch` takes (ours, `watch_table`).
//!
//! A text listing of the whole table takes, where the format allows, its
//! services and real servers from the older getsockopt interface alone
//! (`ipvs::sockopt`) when the kernel's own answers prove that prints what
//! netlink would (`alone`: every service of the kernel is an IPv4 one of
//! this namespace, no persistence engine can be set, the table the same
//! after as before); else its services from the one netlink dump and
//! each IPv4 service's real servers over getsockopt (one system call
//! instead of a dump per service, and one more that checks it). The
//! bytes printed are the same on every path. A text listing of one
//! service (`-t`/`-u`/`-f`) takes the second way. `-j` and `--metrics`
//! never take either: they print every counter in full and the tunnel's
//! details.

use super::kernel::Kernel;
use super::Flow;
use crate::format::errors::{ipvs_strerror, Op};
use crate::format::Format;
use crate::format::{self, json, metrics, sort, Names};

use crate::ipvs::modules;
use crate::ipvs::sockopt::Sockopt;
use crate::ipvs::{Dest, Error, Family, Forward, Service, ServiceId, Stats};
use crate::resolve::Resolver;
use crate::streams::Streams;
use crate::watch::Table;

/// Print a listing's whole text; the listing succeeded.
pub(super) fn out(io: &mut Streams, text: &str) -> Flow {
    io.out(text);
    Flow::Result(0)
}

/// The services, sorted unless `--nosort` (`list_all`'s fetching half).
fn sorted_services(
    k: &mut Kernel,
    format: &Format,
    io: &mut Streams,
) -> Result<Vec<Service>, Flow> {
    sorted(k.client.services(), sort::sort_services, format, io)
}

/// A dump of services, or the error ipvsadm prints for it; sorted unless
/// `--nosort`.
fn sorted<T>(
    dump: Result<Vec<T>, Error>,
    sort: fn(&mut [T]),
    format: &Format,
    io: &mut Streams,
) -> Result<Vec<T>, Flow> {
    let mut services = dumped(dump, io)?;
    if !format.nosort {
        sort(&mut services);
    }
    Ok(services)
}

/// A dump of services, or the error ipvsadm prints for it.
fn dumped<T>(dump: Result<Vec<T>, Error>, io: &mut Streams) -> Result<Vec<T>, Flow> {
    dump.map_err(|e| {
        io.err(&format!("{}\n", ipvs_strerror(Op::GetServices, e.errno())));
        Flow::Exit(1)
    })
}

/// The one service `-t`/`-u`/`-f` names (`list_service`'s fetching half).
fn named_service(k: &mut Kernel, id: &ServiceId, io: &mut Streams) -> Result<Service, Flow> {
    k.client.service(id).map_err(|e| {
        io.err(&format!("{}\n", ipvs_strerror(Op::GetService, e.errno())));
        Flow::Exit(1)
    })
}

/// The real servers of one service, sorted unless `--nosort`, in the
/// listing's reused vector; give it back with `k.dests = ...` when done.
/// `fast` says the listing may take them over getsockopt (`k.sockopt`
/// open); `tally` counts which way each service went.
fn sorted_dests(
    k: &mut Kernel,
    svc: &Service,
    format: &Format,
    io: &mut Streams,
    fast: bool,
    tally: &mut Tally,
) -> Result<Vec<Dest>, Flow> {
    let mut dests = std::mem::take(&mut k.dests);
    let v4 = svc.id.family() == Family::Inet;
    if let (true, Some(so)) = (fast && v4 && tally.worth_trying(), k.sockopt.as_mut()) {
        // Any getsockopt failure (the service gone meanwhile: ESRCH) goes
        // to netlink without a word: its answer, or its error text, is the
        // one ipvsadm would have given.
        let served = matches!(so.dests_into(&svc.id, &mut dests), Ok(true))
            && !tunnel_in_rules(format, &dests);
        if served {
            tally.sockopt += 1;
            if !format.nosort {
                sort::sort_dests(&mut dests);
            }
            return Ok(dests);
        }
        tally.missed += 1;
    }
    tally.netlink += 1;
    if let Err(e) = k.client.dests_into(&svc.id, &mut dests) {
        flush_text(k, io);
        io.err(&format!("{}\n", ipvs_strerror(Op::GetDests, e.errno())));
        return Err(Flow::Exit(1));
    }
    if !format.nosort {
        sort::sort_dests(&mut dests);
    }
    Ok(dests)
}

/// `print_service_entry`'s fetching half: the real servers of one service,
/// sorted unless `--nosort`, then the pure formatter.
fn service_entry(
    k: &mut Kernel,
    svc: &Service,
    format: &Format,
    names: &Names,
    io: &mut Streams,
    fast: bool,
    tally: &mut Tally,
) -> Result<(), Flow> {
    let dests = sorted_dests(k, svc, format, io, fast, tally)?;
    format::service_entry_bytes(&mut k.text, &mut k.scratch, svc, &dests, format, names);
    if k.text.len() >= TEXT_BATCH {
        flush_text(k, io);
    }
    k.dests = dests;
    Ok(())
}

/// How much text `service_entry` gathers before it writes: one write per
/// few hundred services rather than one per service.
const TEXT_BATCH: usize = 64 * 1024;

/// Write out the text `service_entry` has gathered; done before anything
/// goes to standard error, and when a listing ends.
fn flush_text(k: &mut Kernel, io: &mut Streams) {
    io.out_bytes(&k.text);
    k.text.clear();
}

/// `list_all`. A listing that prints no counters holds the services
/// without them: half the memory, for the tens of thousands of services
/// it keeps until they are sorted.
pub(super) fn list_all(
    k: &mut Kernel,
    format: &Format,
    resolver: &dyn Resolver,
    io: &mut Streams,
) -> Flow {
    if !format.rule {
        io.out(&format::header(&k.info));
    }
    let names = Names::new(resolver);
    let path = ListPath::from_env();
    let mut tally = Tally::default();
    let printed = if format.stats || format.rate {
        sorted_services(k, format, io).and_then(|services| {
            io.out(&format::title(format));
            services
                .iter()
                .try_for_each(|svc| service_entry(k, svc, format, &names, io, false, &mut tally))
        })
    } else {
        let fast = short_cut(k, format, path.route);
        if fast && path.route == Route::Sockopt && alone(k, format, &names, &mut tally) {
            io.out(&format::title(format));
            flush_text(k, io);
            tally.tell(path, io);
            return Flow::Result(0);
        }
        dumped(k.client.service_defs(), io).and_then(|defs| {
            // The order as positions: the services stay where the dump put
            // them, and are copied out one at a time.
            let order = if format.nosort {
                (0..defs.len() as u32).collect()
            } else {
                sort::service_order(&defs)
            };
            io.out(&format::title(format));
            order.iter().try_for_each(|&i| {
                let svc = defs[i as usize].with_stats(Stats::default());
                service_entry(k, &svc, format, &names, io, fast, &mut tally)
            })
        })
    };
    flush_text(k, io);
    tally.tell(path, io);
    match printed {
        Ok(()) => Flow::Result(0),
        Err(f) => f,
    }
}

/// The third path (issue 29): a text listing of the whole table over
/// getsockopt alone, no netlink dump, where that provably prints what the
/// netlink dump would. The services come from GET_SERVICES, which lists
/// the IPv4 services of this namespace and no persistence engine's name,
/// so the listing stands only when the module list proves that these are
/// all the services there are (of every family, in every namespace) and
/// that none can have an engine (`ipvs::modules`): its count of services
/// equals GET_INFO's before the listing and after it. Each service's real
/// servers come from GET_DESTS with room for one more than GET_SERVICES
/// counted (`Sockopt::counted_dests_into`), or from netlink when the
/// answer holds another number (real servers of the other family, or a
/// change) or `-S` would print a tunnel's details. The text is held until
/// GET_SERVICES, asked again after the last GET_DESTS, lists the same
/// services, each as it was with as many real servers, and the module
/// list still counts them all: a table changed under the listing sends
/// it to the hybrid path, and nothing is printed twice. False, and
/// nothing printed or kept, when the path does not hold.
fn alone(k: &mut Kernel, format: &Format, names: &Names, tally: &mut Tally) -> bool {
    // A table with IPv6 services, or a persistence engine loaded, costs
    // one file read and one system call before the hybrid path.
    let Some(counted) = modules::services_loaded() else {
        return false;
    };
    let Some(so) = k.sockopt.as_mut() else {
        return false;
    };
    // GET_INFO's count first: a table that is not all IPv4 of this
    // namespace costs no GET_SERVICES.
    let Ok(want) = usize::try_from(counted) else {
        return false;
    };
    let table = match so.table(Some(want)) {
        Ok(Some(t)) => t,
        _ => return false,
    };
    let order = if format.nosort {
        (0..table.defs.len() as u32).collect()
    } else {
        sort::service_order(&table.defs)
    };
    let mut by = Tally::default();
    k.text.clear();
    for &i in &order {
        let i = i as usize;
        let svc = table.defs[i].with_stats(Stats::default());
        let Some(dests) = counted_dests(k, &svc, table.num_dests[i], format, &mut by) else {
            k.text.clear();
            return false;
        };
        format::service_entry_bytes(&mut k.text, &mut k.scratch, &svc, &dests, format, names);
        k.dests = dests;
    }
    let held = k
        .sockopt
        .as_mut()
        .is_some_and(|so| matches!(so.same_table(&table), Ok(true)))
        && modules::services_loaded() == Some(counted);
    if !held {
        k.text.clear();
        return false;
    }
    *tally = Tally { alone: true, ..by };
    true
}

/// The real servers of one service of the third path (`alone`), sorted
/// unless `--nosort`: over getsockopt when its answer holds the
/// `num_dests` GET_SERVICES counted and the format needs nothing it lacks,
/// else over netlink; None when netlink fails too (the service is gone:
/// the table changed).
fn counted_dests(
    k: &mut Kernel,
    svc: &Service,
    num_dests: u32,
    format: &Format,
    tally: &mut Tally,
) -> Option<Vec<Dest>> {
    let mut dests = std::mem::take(&mut k.dests);
    let so = k.sockopt.as_mut()?;
    // A table whose services nearly all have real servers of both
    // families would waste a GET_DESTS on each: past a few, netlink
    // alone, as in the hybrid path (`Tally::worth_trying`).
    let tried = tally.worth_trying();
    let served = tried
        && matches!(
            so.counted_dests_into(&svc.id, num_dests, &mut dests),
            Ok(true)
        )
        && !tunnel_in_rules(format, &dests);
    if served {
        tally.sockopt += 1;
    } else {
        tally.missed += usize::from(tried);
        tally.netlink += 1;
        k.client.dests_into(&svc.id, &mut dests).ok()?;
    }
    if !format.nosort {
        sort::sort_dests(&mut dests);
    }
    Some(dests)
}

/// Whether `-S` would print a tunnel's type, port and flags for these
/// real servers: not in getsockopt's entries.
fn tunnel_in_rules(format: &Format, dests: &[Dest]) -> bool {
    format.rule && dests.iter().any(|d| d.config.forward == Forward::Tunnel)
}

/// How many services' real servers came over each interface, and how
/// many getsockopt tries were wasted (real servers of the other family,
/// a tunnel in `-S`, a change meanwhile: netlink then answered too);
/// `alone` when the services too came over getsockopt (the third path).
#[derive(Default)]
struct Tally {
    sockopt: usize,
    netlink: usize,
    missed: usize,
    alone: bool,
}

/// How many wasted getsockopt tries a listing allows before it weighs
/// them against the ones that served.
const MISSES_FREE: usize = 16;

/// How many wasted tries one that served pays for: a wasted try costs one
/// system call on top of the netlink dump, one that served saves a whole
/// dump, several times as much (about 2.5 against 18 microseconds a
/// service in the test VM).
const MISSES_PER_SERVED: usize = 4;

impl Tally {
    /// Whether the next service's real servers are worth asking over
    /// getsockopt: on a table where most services have real servers of
    /// both families (or tunnels, for `-S`), every try is wasted, and the
    /// listing would be slower than the netlink path alone. Past a few
    /// misses, tries go on only while the ones that served outweigh them.
    fn worth_trying(&self) -> bool {
        self.missed <= MISSES_FREE + MISSES_PER_SERVED * self.sockopt
    }

    /// The counted knobs' line on standard error (`ListPath`): `list
    /// path: getsockopt N netlink M`, and ` alone` after it when the
    /// services came over getsockopt too.
    fn tell(&self, path: ListPath, io: &mut Streams) {
        if path.counted {
            io.err(&format!(
                "list path: getsockopt {} netlink {}{}\n",
                self.sockopt,
                self.netlink,
                if self.alone { " alone" } else { "" }
            ));
        }
    }
}

/// How far a text listing may go from netlink: `Netlink` takes every
/// real server from netlink (the path before issue 17); `Hybrid` the
/// services from the netlink dump and the real servers over getsockopt
/// where it may (issue 17); `Sockopt` the services too over getsockopt
/// where that is proved to print the same (`alone`, issue 29), else as
/// `Hybrid`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Route {
    Netlink,
    Hybrid,
    Sockopt,
}

/// A test-only knob, `IPVSADM_LIST_PATH`: `netlink`, `hybrid` or
/// `sockopt` (the default, also when unset or anything else) chooses the
/// `Route`; `counted` is `sockopt` and `counted-hybrid` is `hybrid` that
/// then tell on standard error how many services went each way
/// (`Tally::tell`), so that a test can see which path was taken.
#[derive(Clone, Copy, PartialEq, Eq)]
struct ListPath {
    route: Route,
    counted: bool,
}

impl ListPath {
    fn from_env() -> ListPath {
        let v = std::env::var_os("IPVSADM_LIST_PATH").unwrap_or_default();
        let (route, counted) = match v.to_str().unwrap_or_default() {
            "netlink" => (Route::Netlink, false),
            "hybrid" => (Route::Hybrid, false),
            "counted-hybrid" => (Route::Hybrid, true),
            "counted" => (Route::Sockopt, true),
            _ => (Route::Sockopt, false),
        };
        ListPath { route, counted }
    }
}

/// Whether a listing in this format may print real servers read over
/// getsockopt: not when it prints counters (32-bit there, in full over
/// netlink: `--stats`, `--rate`, `--exact`, and `-j`, whose real servers
/// always carry their counters, rates and tunnel details: a packet
/// counter or a rate past 2^32 would come out cut, and nothing in the
/// 32-bit answer tells that it was) or tunnel details (`--tun-info`);
/// `-S` is judged per service (`sorted_dests`).
fn sockopt_may_serve(f: &Format) -> bool {
    !(f.stats || f.rate || f.exact || f.tun_info || f.json)
}

/// Whether a text listing may take real servers over getsockopt: the
/// path allows it, the format does (`sockopt_may_serve`), and the socket
/// opens (once a run; netlink for every service when it cannot).
fn short_cut(k: &mut Kernel, format: &Format, route: Route) -> bool {
    if route == Route::Netlink || !sockopt_may_serve(format) {
        return false;
    }
    if k.sockopt.is_none() {
        k.sockopt = Sockopt::open().ok();
    }
    k.sockopt.is_some()
}

/// `list_service`.
pub(super) fn list_service(
    k: &mut Kernel,
    id: &ServiceId,
    format: &Format,
    resolver: &dyn Resolver,
    io: &mut Streams,
) -> Flow {
    let svc = match named_service(k, id, io) {
        Ok(s) => s,
        Err(f) => return f,
    };
    io.out(&format::title(format));
    let names = Names::new(resolver);
    let path = ListPath::from_env();
    // Asked after the netlink answer, so that a service that is gone still
    // gets ipvsadm's error text from netlink.
    let fast = short_cut(k, format, path.route);
    let mut tally = Tally::default();
    let printed = service_entry(k, &svc, format, &names, io, fast, &mut tally);
    flush_text(k, io);
    tally.tell(path, io);
    match printed {
        Ok(()) => Flow::Result(0),
        Err(f) => f,
    }
}

/// Ours: `-L -j` of the table, or of the one service named: one JSON
/// document (see `format::json`), streamed service by service, in the
/// text listing's order.
pub(super) fn list_json(
    k: &mut Kernel,
    one: Option<&ServiceId>,
    format: &Format,
    io: &mut Streams,
) -> Flow {
    let services = match listed_services(k, one, format, io) {
        Ok(s) => s,
        Err(f) => return f,
    };
    io.out(&json::list_open(&k.info));
    for (i, svc) in services.iter().enumerate() {
        let dests = match sorted_dests(k, svc, format, io, false, &mut Tally::default()) {
            Ok(d) => d,
            Err(f) => return f,
        };
        k.scratch.clear();
        if i > 0 {
            k.scratch.push(',');
        }
        k.scratch.push_str(&json::service(svc, &dests).to_string());
        io.out(&k.scratch);
        k.dests = dests;
    }
    io.out(json::LIST_CLOSE);
    Flow::Result(0)
}

/// The services `-j` and `--metrics` list: the table's, or the one named.
fn listed_services(
    k: &mut Kernel,
    one: Option<&ServiceId>,
    format: &Format,
    io: &mut Streams,
) -> Result<Vec<Service>, Flow> {
    match one {
        None => sorted_services(k, format, io),
        Some(id) => named_service(k, id, io).map(|s| vec![s]),
    }
}

/// Ours: `-L --metrics` of the table or one service (see
/// `format::metrics`): every service is fetched first, as the format
/// groups the samples of a metric together.
pub(super) fn list_metrics(
    k: &mut Kernel,
    one: Option<&ServiceId>,
    format: &Format,
    io: &mut Streams,
) -> Flow {
    match table(k, one, format, io) {
        Ok(table) => out(io, &metrics::render(&k.info, &table)),
        Err(f) => f,
    }
}

/// The table, or the one service named, each service with its real
/// servers, in the text listing's order (`--metrics`, `--k8s`).
pub(super) fn table(
    k: &mut Kernel,
    one: Option<&ServiceId>,
    format: &Format,
    io: &mut Streams,
) -> Result<Vec<(Service, Vec<Dest>)>, Flow> {
    let services = listed_services(k, one, format, io)?;
    let mut table = Vec::with_capacity(services.len());
    for svc in services {
        let d = sorted_dests(k, &svc, format, io, false, &mut Tally::default())?;
        table.push((svc, d));
    }
    Ok(table)
}

/// Ours: one listing of `--watch` and `--changes`: the table (or the one
/// service named: none when it is gone), each service with its real
/// servers over netlink, which alone has their 64-bit counters; in the
/// kernel's order. A service that vanishes between the two dumps is left
/// out, not an error.
pub(super) fn watch_table(k: &mut Kernel, one: Option<&ServiceId>) -> Result<Table, Error> {
    // ESRCH: no such service. (ENOENT is no IPVS family any more: an
    // error, told.)
    let gone = |e: &Error| e.errno() == libc::ESRCH;
    let services = match one {
        None => k.client.services()?,
        Some(id) => match k.client.service(id) {
            Ok(s) => vec![s],
            Err(e) if gone(&e) => Vec::new(),
            Err(e) => return Err(e),
        },
    };
    let mut table = Vec::with_capacity(services.len());
    for svc in services {
        let mut dests = Vec::new();
        match k.client.dests_into(&svc.id, &mut dests) {
            Ok(()) => table.push((svc, dests)),
            Err(e) if gone(&e) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(table)
}
