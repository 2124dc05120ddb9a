//! Event lines in text and JSON.

use std::net::{IpAddr, Ipv6Addr};
use std::time::Duration;

use serde_json::{json, Value};

use super::*;
use crate::ipvs::{Family, Protocol};
use crate::watch::fixture::{dest, svc, tcp};

const T: &str = "2026-12-06T07:20:01.123Z";

fn weight_3_to_0() -> Vec<Change> {
    vec![Change {
        field: "weight",
        old: json!(3),
        new: json!(0),
    }]
}

#[test]
fn timestamps_are_utc_rfc3339_with_milliseconds() {
    assert_eq!(timestamp(Duration::ZERO), "1970-01-01T00:00:00.000Z");
    assert_eq!(
        timestamp(Duration::from_millis(1_796_541_601_123)),
        "2026-12-06T07:20:01.123Z"
    );
    // A leap day, and the last millisecond of a year.
    assert_eq!(
        timestamp(Duration::from_secs(951_782_400)),
        "2000-02-29T00:00:00.000Z"
    );
    assert_eq!(
        timestamp(Duration::from_millis(1_704_067_199_999)),
        "2023-12-31T23:59:59.999Z"
    );
}

#[test]
fn services_are_named_as_the_listing_names_them() {
    assert_eq!(service_text(&tcp(1, 80)), "TCP 10.96.0.1:80");
    let v6 = ServiceId::Addr {
        protocol: Protocol::Udp,
        addr: IpAddr::V6(Ipv6Addr::new(0xfd96, 0, 0, 0, 0, 0, 0, 7)),
        port: 53,
    };
    assert_eq!(service_text(&v6), "UDP [fd96::7]:53");
    let fw = |family| ServiceId::Fwmark { family, mark: 5 };
    assert_eq!(service_text(&fw(Family::Inet)), "FWM 5");
    assert_eq!(service_text(&fw(Family::Inet6)), "FWM 5 IPv6");
}

#[test]
fn text_lines() {
    let k = DestKey::of(&dest(2, 1));
    let reweight = weight_3_to_0();
    let conns = ConnCounts {
        active: 2,
        inactive: 5,
        persistent: 0,
    };
    let cases = [
        (Event::Watching { services: 3 }, "watching 3 services"),
        (
            Event::ServiceAdded(svc(tcp(1, 80))),
            "service-added TCP 10.96.0.1:80 scheduler=rr",
        ),
        (
            Event::ServiceRemoved(tcp(1, 80)),
            "service-removed TCP 10.96.0.1:80",
        ),
        (
            Event::ServerAdded(tcp(1, 80), dest(2, 3)),
            "server-added TCP 10.96.0.1:80 -> 10.250.0.2:8080 forward=masq weight=3",
        ),
        (
            Event::ServerChanged(tcp(1, 80), k, reweight),
            "server-changed TCP 10.96.0.1:80 -> 10.250.0.2:8080 weight 3->0",
        ),
        (
            Event::DrainStarted(tcp(1, 80), k, conns),
            "drain-started TCP 10.96.0.1:80 -> 10.250.0.2:8080 active=2 inactive=5",
        ),
        (
            Event::Drained(tcp(1, 80), k),
            "drained TCP 10.96.0.1:80 -> 10.250.0.2:8080",
        ),
        (
            Event::Error("No such process".into()),
            "error No such process",
        ),
        (Event::Recovered, "recovered"),
    ];
    for (e, want) in cases {
        assert_eq!(text(&e, T), format!("{T} {want}\n"));
    }
}

#[test]
fn json_lines_carry_identity_and_changes() {
    let k = DestKey::of(&dest(2, 1));
    let c = weight_3_to_0();
    let line = json_line(&Event::ServerChanged(tcp(1, 80), k, c), T);
    assert!(line.ends_with("}\n") && !line[..line.len() - 1].contains('\n'));
    let v: Value = serde_json::from_str(&line).unwrap();
    assert_eq!(
        v,
        json!({
            "time": T,
            "event": "server-changed",
            "service": {"family": "inet", "protocol": "tcp", "address": "10.96.0.1", "port": 80, "fwmark": null},
            "server": {"family": "inet", "address": "10.250.0.2", "port": 8080},
            "changes": {"weight": {"old": 3, "new": 0}},
        })
    );
    let v: Value =
        serde_json::from_str(&json_line(&Event::ServerAdded(tcp(1, 80), dest(2, 3)), T)).unwrap();
    assert_eq!(v["config"]["weight"], 3);
    assert_eq!(v["config"]["forward"], "masq");
    assert_eq!(v["config"]["tunnel"], Value::Null);
    let v: Value = serde_json::from_str(&json_line(&Event::Watching { services: 2 }, T)).unwrap();
    assert_eq!(v, json!({"time": T, "event": "watching", "services": 2}));
}

/// With labels (`--k8s`): the text line names the Service, the JSON line
/// carries its object; events about no service are left alone.
#[test]
fn labelled_lines_name_the_service() {
    let mut labels = crate::watch::Labels {
        key: "kubernetes",
        unknown: Some(("no Service".into(), Value::Null)),
        ..Default::default()
    };
    labels
        .text
        .insert(tcp(1, 80), "shop/web:http (ClusterIP, cluster IP)".into());
    labels
        .json
        .insert(tcp(1, 80), json!({"namespace": "shop", "name": "web"}));
    let e = Event::ServiceChanged(tcp(1, 80), weight_3_to_0());
    assert_eq!(
        text_labelled(&e, T, &labels),
        format!(
            "{}  (shop/web:http (ClusterIP, cluster IP))\n",
            text(&e, T).trim_end()
        )
    );
    let v: Value = serde_json::from_str(&json_line_labelled(&e, T, &labels)).unwrap();
    assert_eq!(v["kubernetes"]["name"], "web");
    let other = Event::ServiceRemoved(tcp(1, 443));
    let v: Value = serde_json::from_str(&json_line_labelled(&other, T, &labels)).unwrap();
    assert!(v["kubernetes"].is_null() && v.get("kubernetes").is_some());
    assert!(text_labelled(&other, T, &labels).ends_with("  (no Service)\n"));
    let w = Event::Watching { services: 2 };
    assert_eq!(text_labelled(&w, T, &labels), text(&w, T));
    assert_eq!(json_line_labelled(&w, T, &labels), json_line(&w, T));
}
