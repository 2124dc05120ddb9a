//! Add a TCP virtual service with two real servers, as kube-proxy makes
//! a Service with two endpoints: round robin, masquerading, weight 1.
//!
//!     cargo run -p ipvs-client --example add_service 10.96.0.1:80 10.244.1.2:8080 10.244.2.3:8080

use ipvs_client::{Dest, Service};

mod common;

const USAGE: &str = "add_service VIP:PORT REAL:PORT REAL:PORT";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let vip = common::endpoint(args.next(), USAGE);
    let reals = [
        common::endpoint(args.next(), USAGE),
        common::endpoint(args.next(), USAGE),
    ];
    let mut ipvs = common::client()?;
    let svc = Service::tcp(vip.ip(), vip.port());
    ipvs.new_service(&svc)?;
    for real in reals {
        ipvs.new_dest(&svc, &Dest::new(real.ip(), real.port()))?;
    }
    println!("added {vip} with 2 real servers");
    Ok(())
}
