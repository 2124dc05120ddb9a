//! The ipvs-client side of tests/bench/peer, beside moby/ipvs's
//! (tests/bench/moby/main.go): the same table of N IPv4 TCP services with
//! two masquerading real servers each, made and listed through the
//! library's public API only.
//!
//!     bench-peer create N        new_service, then new_dest twice, per service
//!     bench-peer create-batch N  the same changes through Client::apply
//!     bench-peer list N          Client::table_defs (the fastest proved path: for
//!                                this table getsockopt alone, no counters)
//!     bench-peer list-netlink N  Client::table (netlink dumps, with counters)
//!
//! It prints the counts it saw, so that the run can check the table.

use std::net::{IpAddr, Ipv4Addr};

use ipvs_client::{Change, Client, Dest, Service};

/// The i-th address after `base`.
fn nth(base: [u8; 4], i: usize) -> IpAddr {
    IpAddr::V4(Ipv4Addr::from(u32::from_be_bytes(base) + i as u32))
}

/// The same table as the Go side's: each service with its two servers.
fn table(n: usize) -> impl Iterator<Item = (Service, [Dest; 2])> {
    (0..n).map(|i| {
        let dest = |k| Dest::new(nth([10, 128, 0, 0], 2 * i + k), 8080);
        (Service::tcp(nth([10, 96, 0, 0], i), 80), [dest(0), dest(1)])
    })
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(op), Some(Ok(n))) = (args.first(), args.get(1).map(|a| a.parse::<usize>())) else {
        eprintln!("usage: bench-peer create|create-batch|list|list-netlink N");
        std::process::exit(2)
    };
    let mut ipvs = Client::connect()?;
    match op.as_str() {
        "create" => {
            for (svc, dests) in table(n) {
                ipvs.new_service(&svc)?;
                for d in &dests {
                    ipvs.new_dest(&svc, d)?;
                }
            }
            println!("created {n}");
        }
        "create-batch" => {
            let changes: Vec<Change> = table(n)
                .flat_map(|(svc, dests)| {
                    let adds = dests.map(|d| Change::AddDest(svc.clone(), d));
                    std::iter::once(Change::AddService(svc)).chain(adds)
                })
                .collect();
            let failures = ipvs.apply(&changes);
            if let Some(f) = failures.first() {
                return Err(format!("{} changes failed, the first {f:?}", failures.len()).into());
            }
            println!("created {n}");
        }
        "list" => {
            let t = ipvs.table_defs()?;
            let dests: usize = t.iter().map(|(_, d)| d.len()).sum();
            println!("{} services {dests} real servers", t.len());
        }
        "list-netlink" => {
            let t = ipvs.table()?;
            let dests: usize = t.iter().map(|(_, d)| d.len()).sum();
            println!("{} services {dests} real servers", t.len());
        }
        _ => {
            eprintln!("unknown operation {op}");
            std::process::exit(2)
        }
    }
    Ok(())
}
