//! The benchmark's floor: the kernel work of a restore and of a listing,
//! done by a minimal loop with no parsing of text and no formatting, so
//! that tests/bench/run can show how close ipvsadm-rs comes to the kernel's
//! own cost.
//!
//! usage: bench-floor encode TABLE OUT   (untimed: table text to requests)
//!        bench-floor restore OUT        (send them, 128 KiB per send,
//!                                        acknowledgement on each send's last)
//!        bench-floor list               (dump services, then the real
//!                                        servers of each; discard)
//!        bench-floor list-hybrid        (dump services, then each IPv4
//!                                        service's real servers by
//!                                        IP_VS_SO_GET_DESTS checked by
//!                                        GET_SERVICE, the others by
//!                                        netlink: what `-Ln` does now)
//!        bench-floor list-sockopt       (getsockopt alone, IPv4 alone, one
//!                                        GET_DESTS a service: the kernel's
//!                                        physical floor)

use std::io::Write;

use ipvsadm::cli::parse::parse;
use ipvsadm::cli::Command;
use ipvsadm::ipvs::batch::Batch;
use ipvsadm::ipvs::family::{CmdAttr, IpvsCmd, IpvsMessage, SvcAttr};
use ipvsadm::ipvs::sockopt::Sockopt;
use ipvsadm::ipvs::{requests, Client, Dest, Family};
use ipvsadm::resolve::System;
use netlink_packet_core::{NetlinkMessage, NlasIterator, Parseable};
use netlink_packet_generic::GenlMessage;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("encode") => encode(&args[2], &args[3]),
        Some("restore") => restore(&args[2]),
        Some("list") => list(),
        Some("list-hybrid") => list_hybrid(),
        Some("list-sockopt") => list_sockopt(),
        _ => Err(
            "usage: bench-floor encode TABLE OUT | restore OUT | list | list-hybrid | list-sockopt"
                .into(),
        ),
    }
}

/// The table's lines as netlink request messages, one after another.
fn encode(table: &str, out: &str) -> Result<(), Box<dyn std::error::Error>> {
    let text = std::fs::read_to_string(table)?;
    let mut f = std::io::BufWriter::new(std::fs::File::create(out)?);
    for line in text.lines() {
        let argv: Vec<String> = std::iter::once("ipvsadm".to_string())
            .chain(line.split_whitespace().map(String::from))
            .collect();
        let msg = match parse(&argv, &System::new()) {
            Ok(Command::AddService(s)) => requests::add_service(&s.id, &s.config),
            Ok(Command::AddDest(s, d)) => {
                requests::add_dest(&s.id, &s.config, &d.addr, d.port, &d.config)
            }
            _ => continue,
        };
        let mut genl = GenlMessage::from_payload(msg);
        genl.finalize();
        let mut nl = NetlinkMessage::from(genl);
        nl.finalize();
        let mut buf = vec![0u8; nl.buffer_len()];
        nl.serialize(&mut buf);
        f.write_all(&buf)?;
    }
    Ok(())
}

/// Send the encoded requests in batches and read the answers.
fn restore(file: &str) -> Result<(), Box<dyn std::error::Error>> {
    let bytes = std::fs::read(file)?;
    let mut c = Client::connect()?;
    let mut batch = Batch::default();
    let mut off = 0;
    let mut failed = 0;
    while off < bytes.len() {
        let len = u32::from_ne_bytes(bytes[off..off + 4].try_into()?) as usize;
        c.batch_push_encoded(&mut batch, &bytes[off..off + len], 0);
        off += len;
        if batch.is_full() || off >= bytes.len() {
            failed += c.batch_flush(&mut batch).len();
        }
    }
    if failed > 0 {
        eprintln!("{failed} requests failed");
    }
    Ok(())
}

/// Dump every service, then each one's real servers, decoding only the
/// attributes that name a service.
fn list() -> Result<(), Box<dyn std::error::Error>> {
    let mut c = Client::connect()?;
    let mut ids: Vec<Vec<SvcAttr>> = Vec::new();
    c.transact_raw(
        &IpvsMessage::new(IpvsCmd::GetService, vec![]),
        true,
        &mut |bytes| {
            // netlink header 16 + genl header 4, then the attributes.
            for nla in NlasIterator::new(&bytes[20..]).flatten() {
                if nla.kind() & 0x3fff == 1 {
                    let mut id = Vec::new();
                    for a in NlasIterator::new(nla.value()).flatten() {
                        if matches!(a.kind(), 1..=5) {
                            id.push(SvcAttr::parse(&a)?);
                        }
                    }
                    ids.push(id);
                }
            }
            Ok(())
        },
        &mut || {},
    )?;
    let mut n = 0usize;
    for id in ids {
        let msg = IpvsMessage::new(IpvsCmd::GetDest, vec![CmdAttr::Service(id)]);
        c.transact_raw(
            &msg,
            true,
            &mut |b| {
                n += b.len();
                Ok(())
            },
            &mut || {},
        )?;
    }
    std::hint::black_box(n);
    Ok(())
}

/// The netlink service dump, then each IPv4 service's real servers over
/// getsockopt when GET_SERVICE right after counts what GET_DESTS wrote,
/// netlink for the rest (the path of `exec::list`, without sorting or
/// text).
fn list_hybrid() -> Result<(), Box<dyn std::error::Error>> {
    let mut c = Client::connect()?;
    let mut so = Sockopt::open()?;
    let defs = c.service_defs()?;
    let mut dests: Vec<Dest> = Vec::new();
    let mut n = 0usize;
    for d in &defs {
        let fast = d.id.family() == Family::Inet && so.dests_into(&d.id, &mut dests)?;
        if !fast {
            c.dests_into(&d.id, &mut dests)?;
        }
        n += dests.len();
    }
    std::hint::black_box(n);
    Ok(())
}

/// GET_INFO, GET_SERVICES, then one GET_DESTS of each IPv4 service with
/// room for one more than its count: all the getsockopt interface can
/// list, IPv6 left out, in the fewest calls (the kernel's physical floor;
/// the listing over getsockopt alone, `exec::list`'s `alone`, adds the
/// check after: GET_INFO and GET_SERVICES again, and /proc/modules read
/// twice).
fn list_sockopt() -> Result<(), Box<dyn std::error::Error>> {
    let mut so = Sockopt::open()?;
    let table = so
        .table(None)?
        .ok_or("the table changed under GET_SERVICES")?;
    let mut dests: Vec<Dest> = Vec::new();
    let mut n = 0usize;
    for (d, &count) in table.defs.iter().zip(&table.num_dests) {
        so.counted_dests_into(&d.id, count, &mut dests)?;
        n += dests.len();
    }
    std::hint::black_box(n);
    Ok(())
}
