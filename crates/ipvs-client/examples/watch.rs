//! Watch the table: list it every INTERVAL milliseconds, ROUNDS times,
//! and print what changed between two listings (services and real
//! servers that came or went, weights that changed).
//!
//!     cargo run -p ipvs-client --example watch 1000 60

use std::collections::BTreeMap;
use std::io::Write;
use std::net::SocketAddr;

use ipvs_client::{Dest, ServiceId, Table};

mod common;

/// What is compared: each service's servers and their weights.
type View = BTreeMap<String, BTreeMap<SocketAddr, u32>>;

fn view(table: &Table) -> View {
    let name = |id: &ServiceId| match id {
        ServiceId::Addr {
            protocol,
            addr,
            port,
        } => format!("{protocol:?} {}", SocketAddr::new(*addr, *port)),
        ServiceId::Fwmark { family, mark } => format!("fwmark {mark} {family:?}"),
    };
    let servers = |ds: &[Dest]| {
        ds.iter()
            .map(|d| (SocketAddr::new(d.addr, d.port), d.config.weight))
            .collect()
    };
    table
        .iter()
        .map(|(s, ds)| (name(&s.id), servers(ds)))
        .collect()
}

fn changes(old: &View, new: &View, out: &mut impl Write) -> std::io::Result<()> {
    let empty = BTreeMap::new();
    for (svc, servers) in new {
        let before = old.get(svc);
        if before.is_none() {
            writeln!(out, "+ {svc}")?;
        }
        let before = before.unwrap_or(&empty);
        for (real, w) in servers {
            match before.get(real) {
                None => writeln!(out, "+ {svc} -> {real} weight {w}")?,
                Some(was) if was != w => writeln!(out, "~ {svc} -> {real} weight {was} -> {w}")?,
                Some(_) => {}
            }
        }
        for real in before.keys().filter(|r| !servers.contains_key(*r)) {
            writeln!(out, "- {svc} -> {real}")?;
        }
    }
    for svc in old.keys().filter(|s| !new.contains_key(*s)) {
        writeln!(out, "- {svc}")?;
    }
    out.flush()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1).map(|a| a.parse::<u64>());
    let (Some(Ok(interval)), Some(Ok(rounds))) = (args.next(), args.next()) else {
        eprintln!("usage: watch INTERVAL_MS ROUNDS");
        std::process::exit(2)
    };
    let mut ipvs = common::client()?;
    let mut last = view(&ipvs.table()?);
    println!("watching {} services", last.len());
    let mut out = std::io::stdout().lock();
    for _ in 0..rounds {
        std::thread::sleep(std::time::Duration::from_millis(interval));
        let now = view(&ipvs.table()?);
        changes(&last, &now, &mut out)?;
        last = now;
    }
    Ok(())
}
