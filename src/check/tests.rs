//! The report's text for judged facts: `eval` and `format::check`
//! together, tested here so that the formatter needs nothing of the
//! rules.

use super::eval::evaluate;
use super::eval::tests::{dest, healthy};
use super::facts::Ipvs;
use crate::check_report::{Report, Status};
use crate::format::check::*;
use crate::ipvs::ServiceId;
use serde_json::{json, Value};

fn broken() -> Report {
    let mut f = healthy();
    f.sysctls
        .insert("net.ipv4.vs.conntrack".into(), Some("0".into()));
    if let Ipvs::Present { services, .. } = &mut f.ipvs {
        services[1].1.clear();
        services[0].1.push(dest("192.168.1.11", 6443, 0, 2, 5));
    }
    if let Ok(net) = &mut f.net {
        net.addrs.retain(|a| a.addr.to_string() != "10.96.0.1");
    }
    evaluate(&f)
}

fn find<'a>(rows: &'a [Row], subject: &str) -> &'a Row {
    rows.iter()
        .find(|r| r.subject == subject)
        .unwrap_or_else(|| panic!("no row {subject}"))
}

#[test]
fn healthy_rows() {
    let r = evaluate(&healthy());
    let rows = rows(&r);
    let ipvs = find(&rows, "IPVS");
    assert_eq!(ipvs.status, Status::Ok);
    assert_eq!(
        ipvs.detail,
        "version 1.2.1, connection table 4096, 4 services, 4 servers"
    );
    assert_eq!(find(&rows, "ip_vs_rr").detail, "loaded");
    assert_eq!(
        find(&rows, "other schedulers").detail,
        "built in: lc; installed, not loaded: wlc mh; not installed: lblc lblcr dh sed nq fo ovf twos"
    );
    assert_eq!(find(&rows, "kube-ipvs0").detail, "dummy, 2 addresses");
    assert_eq!(
        find(&rows, "virtual addresses").detail,
        "2 of 3 bound to kube-ipvs0"
    );
    assert_eq!(find(&rows, "192.168.1.10").status, Status::Info);
    assert_eq!(
        find(&rows, "strict ARP").detail,
        "on (arp_ignore 1, arp_announce 2)"
    );
    assert_eq!(find(&rows, "real servers").status, Status::Ok);
    assert!(rows.iter().all(|r| r.status != Status::Attention));
    let text = human(&r);
    assert!(text.ends_with("+\nNothing needs attention.\n"), "{text}");
}

#[test]
fn broken_rows() {
    let r = broken();
    let rows = rows(&r);
    for (subject, detail) in [
        ("net.ipv4.vs.conntrack", "0 (kube-proxy sets 1)"),
        ("10.96.0.1", "bound to no interface"),
        ("UDP 10.96.0.10:53", "no real server"),
    ] {
        let x = find(&rows, subject);
        assert_eq!((x.status, x.detail.as_str()), (Status::Attention, detail));
    }
    let w = find(&rows, "192.168.1.11:6443");
    assert_eq!(
        w.detail,
        "weight 0 in TCP 10.96.0.1:443: 2 active, 5 inactive connections"
    );
    assert!(!rows.iter().any(|r| r.subject == "real servers"));
    assert!(human(&r).ends_with("4 items need attention.\n"));
}

#[test]
fn table_is_plain_ascii_and_aligned() {
    let text = human(&broken());
    let lines: Vec<&str> = text.lines().collect();
    assert!(text.is_ascii());
    assert!(lines[0].starts_with("+-") && lines[2].starts_with("+="));
    assert!(lines[1].starts_with("| status "));
    // Every line of the table is as wide as the first.
    let n = lines.len() - 1;
    assert!(lines[..n].iter().all(|l| l.len() == lines[0].len()));
}

#[test]
fn labels() {
    let f = healthy();
    let Ipvs::Present { services, .. } = &f.ipvs else {
        panic!()
    };
    assert_eq!(service_label(&services[0].0), "TCP 10.96.0.1:443");
    assert_eq!(service_label(&services[3].0), "FWM 7");
    let mut s = services[0].0.clone();
    s.id = ServiceId::Addr {
        protocol: crate::ipvs::Protocol::Sctp,
        addr: "fd00::1".parse().unwrap(),
        port: 9,
    };
    assert_eq!(service_label(&s), "SCTP [fd00::1]:9");
}

#[test]
fn document_fields() {
    let doc: Value = serde_json::from_str(&document(&broken())).unwrap();
    assert_eq!(doc["schema_version"], 1);
    let c = &doc["check"];
    assert_eq!(c["status"], "attention");
    assert_eq!(c["attention"], 4);
    assert_eq!(c["ipvs"]["version"], "1.2.1");
    assert_eq!(c["ipvs"]["available"], true);
    assert_eq!(c["ipvs"]["services"], 4);
    let m = &c["modules"][0];
    assert_eq!(
        (&m["name"], &m["state"], &m["status"]),
        (&json!("ip_vs"), &json!("loaded"), &json!("ok"))
    );
    let s = &c["sysctls"][0];
    assert_eq!(
        (&s["value"], &s["expected"], &s["status"]),
        (&json!(0), &json!(1), &json!("attention"))
    );
    assert_eq!(c["sysctls"][1]["expected"], Value::Null);
    assert_eq!(c["strict_arp"], true);
    assert_eq!(c["interface"]["addresses"], json!(["10.96.0.10"]));
    assert_eq!(c["virtual_addresses"][0]["interfaces"], json!([]));
    assert_eq!(c["virtual_addresses"][0]["status"], "attention");
    assert_eq!(c["services_without_servers"][0]["port"], 53);
    let w = &c["weight_zero_servers"][0];
    assert_eq!(
        (&w["server"]["active_conns"], &w["server"]["inactive_conns"]),
        (&json!(2), &json!(5))
    );
    assert_eq!(w["service"]["address"], "10.96.0.1");
    let attention = c["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["status"] == "attention")
        .count();
    assert_eq!(attention, 4);
}

#[test]
fn document_without_ipvs() {
    let mut f = healthy();
    f.ipvs = Ipvs::Absent;
    let doc: Value = serde_json::from_str(&document(&evaluate(&f))).unwrap();
    let i = &doc["check"]["ipvs"];
    assert_eq!(
        (&i["available"], &i["version"]),
        (&json!(false), &Value::Null)
    );
    assert_eq!(i["status"], "attention");
    assert!(i["error"].as_str().unwrap().contains("ip_vs"));
}
