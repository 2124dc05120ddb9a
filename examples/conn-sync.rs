//! Makes IPVS connections in bulk for the connection-table benchmark
//! (tests/bench/conn) and the `-c` kernel test: a sender of IPVS sync
//! messages, version 1, to a backup sync daemon
//! (`ipvsadm --start-daemon backup --mcast-interface IF`), which creates
//! each connection it is told of with the timeout the message gives.
//! Under emulation this is far cheaper per connection than real TCP
//! handshakes. Our own code; the format is facts read from the kernel's
//! `net/netfilter/ipvs/ip_vs_sync.c` (`struct ip_vs_sync_mesg`,
//! `struct ip_vs_sync_v4`, `ip_vs_process_message`).
//!
//! usage: conn-sync COUNT SRC_ADDR [TIMEOUT_SECS] [FIRST]
//!
//! Sends COUNT TCP connections in ESTABLISHED state, client
//! 10.16.0.0 + i (i = FIRST.., port 1024 + i % 60000) to virtual 10.0.0.1:80,
//! server 10.0.1.1:80 (masquerading), from a UDP socket bound to SRC_ADDR
//! (an address of the daemon's interface: the kernel routes multicast out
//! of the interface that owns the source address, and loops a copy back to
//! the daemon) to the sync group 224.0.0.81:8848. The backup daemon's
//! socket buffer is small: the caller raises net.core.rmem_max and
//! net.ipv4.vs.sync_sock_size before starting the daemon, and the sender
//! pauses between messages; resending the same range is harmless (the
//! backup updates a connection it already has).

use std::net::{Ipv4Addr, UdpSocket};
use std::time::Duration;

/// `ip_vs_sync_mesg` (v1): reserved 0, syncid, size, nr_conns, version 1, spare.
const HEADER: usize = 8;
/// `ip_vs_sync_v4` without options.
const CONN: usize = 36;
/// `nr_conns` is one byte.
const PER_MESSAGE: usize = 255;
const TCP: u8 = 6;
/// `IP_VS_TCP_S_ESTABLISHED`.
const ESTABLISHED: u16 = 1;

fn push_conn(m: &mut Vec<u8>, i: u32, timeout: u32) {
    let caddr = u32::from(Ipv4Addr::new(10, 16, 0, 0)) + i;
    let cport = 1024 + (i % 60000) as u16;
    m.push(0); // type: IPv4, no options
    m.push(TCP);
    m.extend_from_slice(&(CONN as u16).to_be_bytes()); // version 0, size
    m.extend_from_slice(&0u32.to_be_bytes()); // flags: masquerading
    m.extend_from_slice(&ESTABLISHED.to_be_bytes());
    m.extend_from_slice(&cport.to_be_bytes());
    m.extend_from_slice(&80u16.to_be_bytes()); // vport
    m.extend_from_slice(&80u16.to_be_bytes()); // dport
    m.extend_from_slice(&0u32.to_be_bytes()); // fwmark
    m.extend_from_slice(&timeout.to_be_bytes());
    m.extend_from_slice(&caddr.to_be_bytes());
    m.extend_from_slice(&u32::from(Ipv4Addr::new(10, 0, 0, 1)).to_be_bytes());
    m.extend_from_slice(&u32::from(Ipv4Addr::new(10, 0, 1, 1)).to_be_bytes());
}

/// One message of the connections `first..first + n`.
fn message(first: u32, n: usize, timeout: u32) -> Vec<u8> {
    let size = HEADER + n * CONN;
    let mut m = Vec::with_capacity(size);
    m.push(0); // reserved: 0 marks version 1
    m.push(0); // syncid: a backup started without --syncid takes any
    m.extend_from_slice(&(size as u16).to_be_bytes());
    m.push(n as u8);
    m.push(1); // SYNC_PROTO_VER
    m.extend_from_slice(&0u16.to_be_bytes());
    for k in 0..n as u32 {
        push_conn(&mut m, first + k, timeout);
    }
    m
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(count), Some(src)) = (
        args.first().and_then(|a| a.parse::<u32>().ok()),
        args.get(1).and_then(|a| a.parse::<Ipv4Addr>().ok()),
    ) else {
        eprintln!("usage: conn-sync COUNT SRC_ADDR [TIMEOUT_SECS] [FIRST]");
        std::process::exit(2);
    };
    let timeout = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(86_400);
    let first = args.get(3).and_then(|a| a.parse().ok()).unwrap_or(0u32);
    let pause_us = std::env::var("CONN_SYNC_PAUSE_US")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(500u64);
    let sock = UdpSocket::bind((src, 0)).unwrap_or_else(|e| {
        eprintln!("conn-sync: bind {src}: {e}");
        std::process::exit(1);
    });
    sock.set_multicast_loop_v4(true).ok();
    let mut sent = 0u32;
    while sent < count {
        let n = PER_MESSAGE.min((count - sent) as usize);
        let m = message(first + sent, n, timeout);
        if let Err(e) = sock.send_to(&m, (Ipv4Addr::new(224, 0, 0, 81), 8848)) {
            eprintln!("conn-sync: send: {e}");
            std::process::exit(1);
        }
        sent += n as u32;
        std::thread::sleep(Duration::from_micros(pause_us));
    }
}
