//! Make the table a desired one with the fewest changes: services that
//! are not wanted go, wanted ones come or are changed, and a kept service
//! is never left without real servers. Each argument is a TCP service
//! and its real servers; a server's weight may follow a `*`.
//!
//!     cargo run -p ipvs-client --example apply 10.96.0.1:80=10.244.1.2:8080,10.244.2.3:8080*3

use ipvs_client::{Change, Dest, Service, Table};

mod common;

const USAGE: &str = "apply VIP:PORT=REAL:PORT[*WEIGHT],... ...";

/// One argument: a service with its servers.
fn wanted(arg: &str) -> (Service, Vec<Dest>) {
    let (vip, reals) = arg.split_once('=').unwrap_or((arg, ""));
    let vip = common::endpoint(Some(vip.to_string()), USAGE);
    let dests = reals
        .split(',')
        .filter(|r| !r.is_empty())
        .map(|r| {
            let (addr, weight) = r.split_once('*').unwrap_or((r, "1"));
            let real = common::endpoint(Some(addr.to_string()), USAGE);
            let weight = weight.parse().unwrap_or_else(|_| {
                eprintln!("usage: {USAGE}");
                std::process::exit(2)
            });
            Dest::new(real.ip(), real.port()).with_weight(weight)
        })
        .collect();
    (Service::tcp(vip.ip(), vip.port()), dests)
}

fn describe(c: &Change) -> String {
    let at = |s: &Service| format!("{:?}", s.id);
    match c {
        Change::AddService(s) => format!("add service {}", at(s)),
        Change::EditService(s) => format!("edit service {}", at(s)),
        Change::DelService(s) => format!("remove service {}", at(s)),
        Change::AddDest(s, d) => format!("add {}:{} to {}", d.addr, d.port, at(s)),
        Change::EditDest(s, d) => format!("edit {}:{} of {}", d.addr, d.port, at(s)),
        Change::DelDest(s, d) => format!("remove {}:{} from {}", d.addr, d.port, at(s)),
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let want: Table = std::env::args().skip(1).map(|a| wanted(&a)).collect();
    let mut ipvs = common::client()?;
    let (changes, failures) = ipvs.reconcile(&want)?;
    for c in &changes {
        println!("{}", describe(c));
    }
    for f in &failures {
        eprintln!("failed: {}: {:?}", describe(&changes[f.index]), f.refusal);
    }
    println!("{} changes, {} failed", changes.len(), failures.len());
    std::process::exit(i32::from(!failures.is_empty()))
}
