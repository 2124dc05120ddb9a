//! List the IPVS table: every virtual service with its real servers and
//! their counters. `IPVS_NETNS=/var/run/netns/NAME` lists another
//! namespace's.
//!
//!     cargo run -p ipvs-client --example list

use ipvs_client::{Forward, ServiceId};

mod common;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut ipvs = common::client()?;
    for (svc, dests) in ipvs.table()? {
        let what = match svc.id {
            ServiceId::Addr {
                protocol,
                addr,
                port,
            } => format!("{protocol:?} {}", std::net::SocketAddr::new(addr, port)),
            ServiceId::Fwmark { family, mark } => format!("fwmark {mark} {family:?}"),
        };
        println!(
            "{what} {} conns {}",
            svc.config.scheduler(),
            svc.stats.conns
        );
        for d in dests {
            let how = match d.config.forward {
                Forward::Masq => "masq",
                Forward::Route => "route",
                Forward::Tunnel => "tunnel",
                _ => "other",
            };
            println!(
                "  -> {} {how} weight {} active {} inactive {}",
                std::net::SocketAddr::new(d.addr, d.port),
                d.config.weight,
                d.conns.active,
                d.conns.inactive
            );
        }
    }
    Ok(())
}
