//! The listings of services and real servers, in text (ipvsadm's
//! `list_all`, `list_service` and `print_service_entry`, their fetching
//! halves: the formatting is `format`'s), in JSON (ours, `-j`) and in
//! Prometheus's text format (ours, `--metrics`); the listing each refresh
//! of `--watch` takes (ours, `watch_table`).
//!
//! A text listing that prints no counters is fetched by the library's
//! one decision of the fastest path (`ipvs::listing`, `Client::walk`;
//! `Client::dests_defs_into` for one service): the services and real
//! servers over getsockopt alone where the kernel's answers prove that
//! prints what netlink would, else the services from the netlink dump and
//! each IPv4 service's real servers over getsockopt where the answer is
//! proved whole, else netlink. The bytes printed are the same on every
//! path. What stays here is ipvsadm's side: which formats may take the
//! faster paths (`sockopt_may_serve`: none that prints counters; `-S`
//! wants tunnel details), the order, the text held until the library
//! settles the path, and the error texts. `-j`, `--metrics` and the
//! counters' listings take netlink alone: they print every counter in
//! full and the tunnel's details.

use super::kernel::Kernel;
use super::Flow;
use crate::format::errors::{ipvs_strerror, Op};
use crate::format::Format;
use crate::format::{self, json, metrics, sort, Names};

use crate::ipvs::client::TableError;
use crate::ipvs::{Dest, Error, Service, ServiceDef, ServiceId, Stats};
use crate::ipvs::{ListOptions, ListReport, Route, Visit, Widen};
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
    let mut services = k.client.services().map_err(|e| services_failed(e, io))?;
    if !format.nosort {
        sort::sort_services(&mut services);
    }
    Ok(services)
}

/// The error ipvsadm prints when the dump of services fails.
fn services_failed(e: Error, io: &mut Streams) -> Flow {
    io.err(&format!("{}\n", ipvs_strerror(Op::GetServices, e.errno())));
    Flow::Exit(1)
}

/// The error ipvsadm prints when a dump of real servers fails, after the
/// text gathered so far.
fn dests_failed(k: &mut Kernel, e: Error, io: &mut Streams) -> Flow {
    flush_text(k, io);
    io.err(&format!("{}\n", ipvs_strerror(Op::GetDests, e.errno())));
    Flow::Exit(1)
}

/// The one service `-t`/`-u`/`-f` names (`list_service`'s fetching half).
fn named_service(k: &mut Kernel, id: &ServiceId, io: &mut Streams) -> Result<Service, Flow> {
    k.client.service(id).map_err(|e| {
        io.err(&format!("{}\n", ipvs_strerror(Op::GetService, e.errno())));
        Flow::Exit(1)
    })
}

/// The real servers of one service over netlink, with their counters,
/// sorted unless `--nosort`, in the listing's reused vector; give it back
/// with `k.dests = ...` when done.
fn sorted_dests(
    k: &mut Kernel,
    svc: &Service,
    format: &Format,
    io: &mut Streams,
) -> Result<Vec<Dest>, Flow> {
    let mut dests = std::mem::take(&mut k.dests);
    if let Err(e) = k.client.dests_into(&svc.id, &mut dests) {
        return Err(dests_failed(k, e, io));
    }
    if !format.nosort {
        sort::sort_dests(&mut dests);
    }
    Ok(dests)
}

/// `print_service_entry`'s fetching half over netlink: the real servers
/// of one service, sorted unless `--nosort`, then the pure formatter.
fn service_entry(
    k: &mut Kernel,
    svc: &Service,
    format: &Format,
    names: &Names,
    io: &mut Streams,
) -> Result<(), Flow> {
    let dests = sorted_dests(k, svc, format, io)?;
    format::service_entry_bytes(&mut k.text, &mut k.scratch, svc, &dests, format, names);
    if k.text.len() >= TEXT_BATCH {
        flush_text(k, io);
    }
    k.dests = dests;
    Ok(())
}

/// How much text a listing gathers before it writes: one write per few
/// hundred services rather than one per service.
const TEXT_BATCH: usize = 64 * 1024;

/// Write out the text a listing has gathered; done before anything goes
/// to standard error, and when a listing ends.
fn flush_text(k: &mut Kernel, io: &mut Streams) {
    io.out_bytes(&k.text);
    k.text.clear();
}

/// `list_all`'s printing half as the library's walk hands it the table
/// (`Client::walk`): the title once the services are settled, each
/// service entry gathered as text (written out in batches once settled,
/// held until the walk returns otherwise).
struct Printer<'a, 'io> {
    text: &'a mut Vec<u8>,
    scratch: &'a mut String,
    io: &'a mut Streams<'io>,
    format: &'a Format,
    names: &'a Names<'a>,
    settled: bool,
}

impl Visit for Printer<'_, '_> {
    fn services(&mut self, defs: &[ServiceDef], settled: bool) -> Vec<u32> {
        self.settled = settled;
        if settled {
            self.io.out(&format::title(self.format));
        } else {
            self.text.clear();
        }
        // The order as positions: the services stay where the listing put
        // them, and are copied out one at a time.
        if self.format.nosort {
            (0..defs.len() as u32).collect()
        } else {
            sort::service_order(defs)
        }
    }

    fn service(&mut self, def: &ServiceDef, dests: &mut Vec<Dest>) {
        if !self.format.nosort {
            sort::sort_dests(dests);
        }
        let svc = def.with_stats(Stats::default());
        format::service_entry_bytes(
            self.text,
            self.scratch,
            &svc,
            dests,
            self.format,
            self.names,
        );
        if self.settled && self.text.len() >= TEXT_BATCH {
            self.io.out_bytes(self.text);
            self.text.clear();
        }
    }

    fn restart(&mut self) {
        self.text.clear();
    }
}

/// `list_all`. A listing that prints no counters holds the services
/// without them (half the memory, for the tens of thousands of services
/// it keeps until they are sorted) and takes the library's fastest path
/// (`Client::walk`); one that prints counters takes netlink alone.
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
    let mut report = ListReport::default();
    let printed = if format.stats || format.rate {
        sorted_services(k, format, io).and_then(|services| {
            io.out(&format::title(format));
            services.iter().try_for_each(|svc| {
                report.netlink += 1;
                service_entry(k, svc, format, &names, io)
            })
        })
    } else {
        let mut printer = Printer {
            text: &mut k.text,
            scratch: &mut k.scratch,
            io,
            format,
            names: &names,
            settled: false,
        };
        let walked = k
            .client
            .walk(&list_options(format, path.route), &mut printer, &mut report);
        match walked {
            Ok(()) => {
                if report.alone {
                    io.out(&format::title(format));
                }
                Ok(())
            }
            Err(TableError::Services(e)) => Err(services_failed(e, io)),
            Err(TableError::Dests(e)) => Err(dests_failed(k, e, io)),
        }
    };
    flush_text(k, io);
    tell(&report, path, io);
    match printed {
        Ok(()) => Flow::Result(0),
        Err(f) => f,
    }
}

/// The counted knobs' line on standard error (`ListPath`): `list path:
/// getsockopt N netlink M`, and ` alone` after it when the services came
/// over getsockopt too.
fn tell(report: &ListReport, path: ListPath, io: &mut Streams) {
    if path.counted {
        io.err(&format!(
            "list path: getsockopt {} netlink {}{}\n",
            report.sockopt,
            report.netlink,
            if report.alone { " alone" } else { "" }
        ));
    }
}

/// A test-only knob, `IPVSADM_LIST_PATH`: `netlink`, `hybrid` or
/// `sockopt` (the default, also when unset or anything else) chooses how
/// far the library's listing may go from netlink (`Route`: netlink alone,
/// the path before issue 17; services over netlink and real servers over
/// getsockopt where it may, issue 17; the services too over getsockopt
/// where that is proved to print the same, issue 29); `counted` is
/// `sockopt` and `counted-hybrid` is `hybrid` that then tell on standard
/// error how many services went each way (`tell`), so that a test can
/// see which path was taken.
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
/// `-S` is judged per service (`list_options`).
fn sockopt_may_serve(f: &Format) -> bool {
    !(f.stats || f.rate || f.exact || f.tun_info || f.json)
}

/// What a text listing in this format asks of the library's listing: as
/// far from netlink as the knob allows where the format may take
/// getsockopt's answers (`sockopt_may_serve`), netlink alone otherwise;
/// and a tunnel's details for `-S`, which prints them (its services with
/// a tunnelling real server then come over netlink).
fn list_options(format: &Format, route: Route) -> ListOptions {
    ListOptions {
        route: if sockopt_may_serve(format) {
            route
        } else {
            Route::Netlink
        },
        tunnel_details: format.rule,
    }
}

/// `list_service`.
pub(super) fn list_service(
    k: &mut Kernel,
    id: &ServiceId,
    format: &Format,
    resolver: &dyn Resolver,
    io: &mut Streams,
) -> Flow {
    // The netlink answer first, so that a service that is gone gets
    // ipvsadm's error text from netlink.
    let svc = match named_service(k, id, io) {
        Ok(s) => s,
        Err(f) => return f,
    };
    io.out(&format::title(format));
    let names = Names::new(resolver);
    let path = ListPath::from_env();
    let mut report = ListReport::default();
    let mut dests = std::mem::take(&mut k.dests);
    let opts = list_options(format, path.route);
    let printed = match k
        .client
        .dests_defs_into(&svc.id, &opts, &mut dests, &mut report)
    {
        Ok(()) => {
            if !format.nosort {
                sort::sort_dests(&mut dests);
            }
            format::service_entry_bytes(&mut k.text, &mut k.scratch, &svc, &dests, format, &names);
            Ok(())
        }
        Err(e) => Err(dests_failed(k, e, io)),
    };
    k.dests = dests;
    flush_text(k, io);
    tell(&report, path, io);
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
        let dests = match sorted_dests(k, svc, format, io) {
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
        let d = sorted_dests(k, &svc, format, io)?;
        table.push((svc, d));
    }
    Ok(table)
}

/// Ours: one listing of `--watch` and `--changes`: the table (or the one
/// service named: none when it is gone), each service with its real
/// servers and their 64-bit counters, in the kernel's order. The whole
/// table comes from the library's widening reader (`Client::
/// table_widened`: netlink's first, then getsockopt's where it is proved
/// whole, its 32-bit counters made whole from `memory`); one service over
/// netlink. A service that vanishes between the two dumps is left out,
/// not an error.
pub(super) fn watch_table(
    k: &mut Kernel,
    one: Option<&ServiceId>,
    memory: &mut Widen,
) -> Result<Table, Error> {
    // ESRCH: no such service. (ENOENT is no IPVS family any more: an
    // error, told.)
    let gone = |e: &Error| e.errno() == libc::ESRCH;
    let services = match one {
        None => match k.client.table_widened(memory) {
            Ok(table) => return Ok(table),
            // The services' dump failed: that error is the one to tell.
            Err(TableError::Services(e)) => return Err(e),
            // A service gone between the dumps: the table service by
            // service, leaving it out.
            Err(TableError::Dests(_)) => k.client.services()?,
        },
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
