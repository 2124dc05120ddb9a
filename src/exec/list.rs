//! The listings of services and real servers, in text (ipvsadm's
//! `list_all`, `list_service` and `print_service_entry`, their fetching
//! halves: the formatting is `format`'s), in JSON (ours, `-j`) and in
//! Prometheus's text format (ours, `--metrics`).

use super::kernel::Kernel;
use super::Flow;
use crate::format::errors::{ipvs_strerror, Op};
use crate::format::Format;
use crate::format::{self, json, metrics, sort, Names};
use crate::ipvs::{Dest, Error, Service, ServiceId, Stats};
use crate::resolve::Resolver;
use crate::streams::Streams;

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
    let mut services = dump.map_err(|e| {
        io.err(&format!("{}\n", ipvs_strerror(Op::GetServices, e.errno())));
        Flow::Exit(1)
    })?;
    if !format.nosort {
        sort(&mut services);
    }
    Ok(services)
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
fn sorted_dests(
    k: &mut Kernel,
    svc: &Service,
    format: &Format,
    io: &mut Streams,
) -> Result<Vec<Dest>, Flow> {
    let mut dests = std::mem::take(&mut k.dests);
    if let Err(e) = k.client.dests_into(&svc.id, &mut dests) {
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
) -> Result<(), Flow> {
    let dests = sorted_dests(k, svc, format, io)?;
    k.text.clear();
    format::service_entry(&mut k.text, svc, &dests, format, names);
    io.out(&k.text);
    k.dests = dests;
    Ok(())
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
    let printed = if format.stats || format.rate {
        sorted_services(k, format, io).and_then(|services| {
            io.out(&format::title(format));
            services
                .iter()
                .try_for_each(|svc| service_entry(k, svc, format, &names, io))
        })
    } else {
        let dump = k.client.service_defs();
        sorted(dump, sort::sort_service_defs, format, io).and_then(|defs| {
            io.out(&format::title(format));
            defs.iter().try_for_each(|d| {
                let svc = d.with_stats(Stats::default());
                service_entry(k, &svc, format, &names, io)
            })
        })
    };
    match printed {
        Ok(()) => Flow::Result(0),
        Err(f) => f,
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
    let svc = match named_service(k, id, io) {
        Ok(s) => s,
        Err(f) => return f,
    };
    io.out(&format::title(format));
    let names = Names::new(resolver);
    match service_entry(k, &svc, format, &names, io) {
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
        k.text.clear();
        if i > 0 {
            k.text.push(',');
        }
        k.text.push_str(&json::service(svc, &dests).to_string());
        io.out(&k.text);
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
    let services = match listed_services(k, one, format, io) {
        Ok(s) => s,
        Err(f) => return f,
    };
    let mut table = Vec::with_capacity(services.len());
    for svc in services {
        match sorted_dests(k, &svc, format, io) {
            Ok(d) => table.push((svc, d)),
            Err(f) => return f,
        }
    }
    out(io, &metrics::render(&k.info, &table))
}
