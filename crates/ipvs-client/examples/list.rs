//! List the IPVS table: every virtual service with its real servers and
//! their counters (`Client::table`, netlink); with the argument `defs`,
//! the same without traffic counters by the fastest path the kernel's
//! answers prove right (`Client::table_defs`). `IPVS_NETNS=/var/run/netns/NAME`
//! lists another namespace's.
//!
//!     cargo run -p ipvs-client --example list [defs]

use ipvs_client::{Dest, Forward, ServiceConfig, ServiceId};

mod common;

/// One service's line: what it is and its scheduler.
fn service_line(id: &ServiceId, config: &ServiceConfig) -> String {
    let what = match *id {
        ServiceId::Addr {
            protocol,
            addr,
            port,
        } => format!("{protocol:?} {}", std::net::SocketAddr::new(addr, port)),
        ServiceId::Fwmark { family, mark } => format!("fwmark {mark} {family:?}"),
    };
    format!("{what} {}", config.scheduler())
}

/// A real server's line.
fn print_dest(d: &Dest) {
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

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut ipvs = common::client()?;
    if std::env::args().nth(1).as_deref() == Some("defs") {
        for (svc, dests) in ipvs.table_defs()? {
            println!("{}", service_line(&svc.id, &svc.config));
            dests.iter().for_each(print_dest);
        }
        return Ok(());
    }
    for (svc, dests) in ipvs.table()? {
        let line = service_line(&svc.id, &svc.config);
        println!("{line} conns {}", svc.stats.conns);
        dests.iter().for_each(print_dest);
    }
    Ok(())
}
