//! Micro-benchmarks of the hot paths of a listing, natively (no kernel):
//! decoding real reply bytes (tests/fixtures/nl), sorting a kube-like
//! table as ipvsadm does, and formatting it. Run with `cargo bench`.

use std::net::{IpAddr, Ipv4Addr};

use ipvsadm::cli::Format;
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
        "{}/tests/fixtures/nl/{name}",
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
