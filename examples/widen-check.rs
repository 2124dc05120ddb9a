//! Holds the library's widening reader (`Client::table_widened`) to
//! netlink in the test kernel: after traffic has stopped, one reading to
//! remember (netlink's), one widened (getsockopt's, where the table is
//! all IPv4 with no persistence engine), then netlink's table; prints
//! which way the second reading went and whether every service and real
//! server, with its connections, packets and bytes, is the same in both.
//! Run by tests/kernel/ours/metrics, asserted by tests/it/ours.rs.
//!
//! usage: widen-check

use ipvsadm::ipvs::{Client, Dest, Service, Stats, Widen};

/// What a reading must agree on: identity, configuration, connection
/// counts and the counters (not the rate estimates, which move).
fn key(table: &[(Service, Vec<Dest>)]) -> Vec<String> {
    let counters = |s: &Stats| (s.conns, s.inpkts, s.outpkts, s.inbytes, s.outbytes);
    let mut out = Vec::new();
    for (s, dests) in table {
        out.push(format!(
            "{:?} {:?} {:?}",
            s.id,
            s.config,
            counters(&s.stats)
        ));
        for d in dests {
            out.push(format!(
                "  {} {} {:?} {:?} {:?}",
                d.addr,
                d.port,
                d.config,
                d.conns,
                counters(&d.stats)
            ));
        }
    }
    out
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut c = Client::connect()?;
    let mut memory = Widen::new();
    c.table_widened(&mut memory)?;
    let first = memory.report;
    let widened = c.table_widened(&mut memory)?;
    let second = memory.report;
    let netlink = c.table()?;
    let (a, b) = (key(&widened), key(&netlink));
    println!("first sockopt={} netlink={}", first.sockopt, first.netlink);
    println!(
        "second sockopt={} netlink={}",
        second.sockopt, second.netlink
    );
    println!("services={} same={}", widened.len(), a == b);
    if a != b {
        for (x, y) in a.iter().zip(&b).filter(|(x, y)| x != y) {
            println!("widened {x}\nnetlink {y}");
        }
    }
    Ok(())
}
