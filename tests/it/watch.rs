//! `-L --watch` and `--changes` without a kernel: every kind of event line
//! that `-j` prints follows docs/changes.schema.json, and the text lines
//! say the same events. (The kernel test is `ours::watch_*`.)

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::time::Duration;

use serde_json::Value;

use ipvsadm::ipvs::{
    svc_flags, ConnCounts, Dest, DestConfig, Family, Forward, Protocol, Service, ServiceConfig,
    ServiceId, Stats, TunnelType,
};
use ipvsadm::watch::lines::{json_line, text};
use ipvsadm::watch::track::Tracker;
use ipvsadm::watch::Table;

use crate::bed::repo;
use crate::schema::validate;

fn schema() -> Value {
    let text = std::fs::read_to_string(repo().join("docs/changes.schema.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn service(id: ServiceId, persistent: bool) -> Service {
    let mut config = ServiceConfig {
        scheduler: "wrr".into(),
        ..ServiceConfig::default()
    };
    if persistent {
        config.flags = svc_flags::PERSISTENT | svc_flags::HASHED;
        config.timeout = 300;
        config.pe_name = "sip".into();
    }
    Service {
        id,
        config,
        stats: Stats::default(),
    }
}

fn server(addr: IpAddr, forward: Forward, weight: u32, active: u32) -> Dest {
    Dest {
        addr,
        port: 8080,
        config: DestConfig {
            forward,
            weight,
            tun_type: TunnelType::Gue,
            tun_port: 6080,
            ..DestConfig::default()
        },
        conns: ConnCounts {
            active,
            inactive: 1,
            persistent: 0,
        },
        stats: Stats::default(),
    }
}

/// Listings that make every kind of event, and the events, 2 s apart.
fn every_event() -> Vec<ipvsadm::watch::diff::Event> {
    let v4 = |n| IpAddr::V4(Ipv4Addr::new(10, 250, 0, n));
    let v6 = IpAddr::V6(Ipv6Addr::new(0xfd50, 0, 0, 0, 0, 0, 0, 2));
    let tcp = ServiceId::Addr {
        protocol: Protocol::Tcp,
        addr: IpAddr::V4(Ipv4Addr::new(10, 96, 0, 1)),
        port: 80,
    };
    let mark = ServiceId::Fwmark {
        family: Family::Inet6,
        mark: 5,
    };
    let t0: Table = vec![(
        service(tcp, false),
        vec![server(v4(2), Forward::Masq, 3, 4)],
    )];
    let t1: Table = vec![
        (service(tcp, true), vec![server(v4(2), Forward::Masq, 0, 4)]),
        (service(mark, true), vec![server(v6, Forward::Tunnel, 1, 0)]),
    ];
    let mut t2 = t1.clone();
    t2[0].1[0].conns = ConnCounts::default();
    t2[1].1.clear();
    let t3: Table = vec![t2[0].clone()];
    let mut tracker = Tracker::new();
    let mut events = Vec::new();
    for (i, t) in [t0, t1, t2.clone()].into_iter().enumerate() {
        events.extend(tracker.update(t, Duration::from_secs(2 * i as u64)));
    }
    events.extend(tracker.failed("Protocol not available".into()));
    events.extend(tracker.update(t3.clone(), Duration::from_secs(8)));
    let mut stuck = t3;
    stuck[0].1[0].conns.active = 2;
    events.extend(tracker.update(stuck.clone(), Duration::from_secs(10)));
    events.extend(tracker.update(stuck, Duration::from_secs(80)));
    events
}

#[test]
fn every_event_line_follows_the_schema() {
    let schema = schema();
    let events = every_event();
    let mut seen = Vec::new();
    for e in &events {
        let line = json_line(e, "2026-12-06T07:20:01.123Z");
        let doc: Value = serde_json::from_str(&line).unwrap();
        if let Err(why) = validate(&schema, &doc) {
            panic!("{line} does not follow docs/changes.schema.json: {why}");
        }
        seen.push(doc["event"].as_str().unwrap().to_string());
        let t = text(e, "T");
        assert!(
            t.starts_with(&format!("T {} ", doc["event"].as_str().unwrap()))
                || t == "T recovered\n",
            "{t}"
        );
    }
    let want = [
        "watching",
        "service-changed",
        "server-changed",
        "service-added",
        "server-added",
        "drain-started",
        "server-removed",
        "drained",
        "error",
        "recovered",
        "service-removed",
        // Connections back on a drained server drain again silently, and
        // are stuck a minute later.
        "drain-stuck",
    ];
    assert_eq!(seen, want);
}

#[test]
fn the_schema_refuses_what_is_not_an_event() {
    let schema = schema();
    let bad = [
        r#"{"time":"t","event":"watching"}"#,
        r#"{"time":"t","event":"bogus"}"#,
        r#"{"time":"t","event":"recovered","extra":1}"#,
        r#"{"time":"t","event":"drained","service":{"family":"inet","protocol":"tcp","address":"1.2.3.4","port":80,"fwmark":null}}"#,
    ];
    for doc in bad {
        let v: Value = serde_json::from_str(doc).unwrap();
        assert!(validate(&schema, &v).is_err(), "{doc}");
    }
}
