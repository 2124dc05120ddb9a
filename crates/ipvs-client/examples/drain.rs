//! Drain a real server of a TCP service: weight 0, so that it takes no
//! new connections while its open ones finish; then say how many it
//! still has.
//!
//!     cargo run -p ipvs-client --example drain 10.96.0.1:80 10.244.1.2:8080

use ipvs_client::{Protocol, ServiceId};

mod common;

const USAGE: &str = "drain VIP:PORT REAL:PORT";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let vip = common::endpoint(args.next(), USAGE);
    let real = common::endpoint(args.next(), USAGE);
    let mut ipvs = common::client()?;
    let id = ServiceId::Addr {
        protocol: Protocol::Tcp,
        addr: vip.ip(),
        port: vip.port(),
    };
    // The service as the kernel has it (its configuration goes with the
    // request), and the server among its own.
    let svc = ipvs.service(&id)?;
    let dests = ipvs.dests(&id)?;
    let Some(dest) = dests
        .iter()
        .find(|d| d.addr == real.ip() && d.port == real.port())
    else {
        eprintln!("{real} is no real server of {vip}");
        std::process::exit(1)
    };
    ipvs.drain(&svc, dest)?;
    println!(
        "drained {real}: {} active, {} inactive connections left",
        dest.conns.active, dest.conns.inactive
    );
    Ok(())
}
