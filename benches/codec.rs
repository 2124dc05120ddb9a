//! Micro-benchmarks of the hot paths of a listing and a restore, natively
//! (no kernel): decoding real reply bytes (crates/ipvs-client/tests/fixtures/nl), sorting a
//! kube-like table as ipvsadm does, formatting it, and reading `-R` lines
//! into commands. Run with `cargo bench`.

use std::net::{IpAddr, Ipv4Addr};

use ipvsadm::cli::parse::parse_invocation;
use ipvsadm::cli::quick::parse_common;
use ipvsadm::cli::stream::ConfigStream;
use ipvsadm::format::Format;
use ipvsadm::format::{service_entry, sort, Names};
use ipvsadm::ipvs::convert::{dest_from_bytes, service_from_bytes, top_level_attr};
use ipvsadm::ipvs::family::{IPVS_CMD_ATTR_DEST, IPVS_CMD_ATTR_SERVICE};
use ipvsadm::ipvs::{
    ConnCounts, Dest, DestConfig, Family, Forward, Protocol, Service, ServiceConfig, ServiceId,
    Stats,
};
use ipvsadm::resolve::Table;

fn main() {
    divan::main();
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/crates/ipvs-client/tests/fixtures/nl/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

#[divan::bench]
fn decode_service(b: divan::Bencher) {
    let bytes = fixture("services-1.bin");
    b.bench(|| {
        let v = top_level_attr(divan::black_box(&bytes), IPVS_CMD_ATTR_SERVICE)
            .unwrap()
            .unwrap();
        service_from_bytes(v).unwrap()
    });
}

#[divan::bench]
fn decode_dest(b: divan::Bencher) {
    let bytes = fixture("dests-tcp-1.bin");
    b.bench(|| {
        let v = top_level_attr(divan::black_box(&bytes), IPVS_CMD_ATTR_DEST)
            .unwrap()
            .unwrap();
        dest_from_bytes(v, Family::Inet).unwrap()
    });
}

/// 10,000 services with 2 real servers each, addresses like a node's.
fn table() -> Vec<(Service, Vec<Dest>)> {
    (0..10_000u32)
        .map(|i| {
            let addr = if i % 10 == 9 {
                IpAddr::V4(Ipv4Addr::new(192, 168, 188, 61))
            } else {
                IpAddr::V4(Ipv4Addr::from(0x0a60_0000 + i * 7919 % 0x000f_ffff))
            };
            let svc = Service {
                id: ServiceId::Addr {
                    protocol: if i % 8 == 7 {
                        Protocol::Udp
                    } else {
                        Protocol::Tcp
                    },
                    addr,
                    port: if i % 10 == 9 {
                        30000 + i as u16 % 30000
                    } else {
                        80
                    },
                },
                config: ServiceConfig {
                    scheduler: "rr".into(),
                    ..Default::default()
                },
                stats: Stats::default(),
            };
            let dests = (0..2)
                .map(|k| Dest {
                    addr: IpAddr::V4(Ipv4Addr::from(0x0af4_0000 + 2 * i + k)),
                    port: 8080,
                    config: DestConfig {
                        forward: Forward::Masq,
                        ..Default::default()
                    },
                    conns: ConnCounts::default(),
                    stats: Stats::default(),
                })
                .collect();
            (svc, dests)
        })
        .collect()
}

#[divan::bench(sample_count = 10)]
fn sort_10k_services(b: divan::Bencher) {
    let services: Vec<Service> = table().into_iter().map(|(s, _)| s).collect();
    b.with_inputs(|| services.clone())
        .bench_local_values(|mut v| {
            sort::sort_services(&mut v);
            v
        });
}

#[divan::bench(sample_count = 10)]
fn format_10k_services_numeric(b: divan::Bencher) {
    let t = table();
    let names = Table::default();
    let f = Format {
        numeric: true,
        ..Default::default()
    };
    b.bench_local(|| {
        let names = Names::new(&names);
        let mut out = String::with_capacity(1 << 20);
        for (s, d) in &t {
            service_entry(&mut out, s, d, &f, &names);
        }
        out
    });
}

/// 3,000 lines of `-R` input (1,000 services with 2 real servers each, as
/// tests/bench/table writes them).
fn restore_text() -> String {
    let mut text = String::new();
    for i in 0..1_000u32 {
        let (p, vip) = if i % 8 == 7 {
            ("-u", format!("10.96.{}.{}:53", i / 255, i % 255 + 1))
        } else {
            (
                "-t",
                format!("10.96.{}.{}:{}", i / 255, i % 255 + 1, 80 + i % 5),
            )
        };
        text.push_str(&format!("-A {p} {vip} -s rr\n"));
        for e in 0..2 {
            let r = 2 * i + e;
            text.push_str(&format!(
                "-a {p} {vip} -r 10.244.{}.{}:8080 -m -w 1\n",
                r / 250,
                r % 250 + 2
            ));
        }
    }
    text
}

/// The restore input split and parsed into commands as a restore reads
/// it: one argument vector reused from line to line, each line through
/// the short cut (`cli::quick`) or, with `popt`, through the full parser.
fn parse_lines(text: &str, popt: bool) -> usize {
    let names = Table::default();
    let mut stream = ConfigStream::new(divan::black_box(text.as_bytes()));
    let mut words = vec!["ipvsadm".to_string()];
    let mut n = 0;
    while let Ok(Some(end)) = stream.next_line_into(&mut words, 1) {
        let argv = &words[..end];
        n += usize::from(if popt {
            parse_invocation(argv, &names).is_ok()
        } else {
            parse_common(argv).is_some()
        });
    }
    assert_eq!(n, 3_000);
    n
}

#[divan::bench(sample_count = 20)]
fn parse_3k_restore_lines(b: divan::Bencher) {
    let text = restore_text();
    b.bench_local(|| parse_lines(&text, false));
}

#[divan::bench(sample_count = 20)]
fn parse_3k_restore_lines_popt(b: divan::Bencher) {
    let text = restore_text();
    b.bench_local(|| parse_lines(&text, true));
}

/// Hostile `-R` inputs of 10 MB each: one word and then a valid line, NUL
/// bytes, one line of two-byte words, and blank lines.
fn hostile_input(kind: &str) -> Vec<u8> {
    const SIZE: usize = 10 << 20;
    let mut v = match kind {
        "word" => vec![b'x'; SIZE],
        "nul" => vec![0; SIZE],
        "line" => b"x ".repeat(SIZE / 2),
        "blank" => vec![b'\n'; SIZE],
        _ => unreachable!(),
    };
    v.extend_from_slice(b"\n-A -t 10.96.0.1:80 -s rr\n");
    v
}

/// A hostile input read and parsed as `-R` reads it: every line split by
/// the reader and given to the full parser. Linear in the input's length.
#[divan::bench(args = ["word", "nul", "line", "blank"], sample_count = 3, sample_size = 1)]
fn read_10mb_hostile(b: divan::Bencher, kind: &str) {
    let input = hostile_input(kind);
    let names = Table::default();
    b.bench_local(|| {
        let mut stream = ConfigStream::new(divan::black_box(&input[..]));
        let mut words = vec!["ipvsadm".to_string()];
        let mut lines = 0;
        while let Ok(Some(end)) = stream.next_line_into(&mut words, 1) {
            if end > 1 {
                let _ = parse_invocation(&words[..end], &names);
            }
            lines += 1;
        }
        lines
    });
}
