//! `-L --watch` and `--changes`: without a kernel, every kind of event
//! line that `-j` prints follows docs/changes.schema.json and the text
//! lines say the same events; in the test kernel (tests/kernel/ours/watch),
//! every change made under `--changes` is told once and in order, and the
//! view in tmux shows rates while traffic runs, sorts, filters, marks and
//! drains, and leaves the terminal as it found it after `q` and Ctrl-C.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::time::Duration;

use std::collections::BTreeMap;

use serde_json::Value;

use ipvsadm::ipvs::{
    svc_flags, ConnCounts, Dest, DestConfig, Family, Forward, Protocol, Service, ServiceConfig,
    ServiceId, Stats, TunnelType,
};
use ipvsadm::watch::lines::{json_line, text};
use ipvsadm::watch::track::Tracker;
use ipvsadm::watch::Table;

use crate::bed::{available, repo};
use crate::ours::{json, sections, u64_of};
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

/// One event line of `--changes -j` as (event, service, server, detail):
/// the service and server as `address:port`, the detail the changes, or
/// whether a drain had connections.
fn event_of(v: &Value) -> (String, String, String, String) {
    let at = |x: &Value| match (x["address"].as_str(), x["port"].as_u64()) {
        (Some(a), Some(p)) => format!("{a}:{p}"),
        _ => String::new(),
    };
    let detail = match v["event"].as_str().unwrap() {
        "server-changed" | "service-changed" => v["changes"].to_string(),
        "drain-started" => {
            let n = u64_of(v, "active_conns") + u64_of(v, "inactive_conns");
            format!("conns>0:{}", n > 0)
        }
        _ => String::new(),
    };
    let name = v["event"].as_str().unwrap().to_string();
    (name, at(&v["service"]), at(&v["server"]), detail)
}

/// The service rows of a captured view: its words, by service address.
fn view_rows(pane: &str) -> BTreeMap<String, Vec<String>> {
    pane.lines()
        .filter_map(|l| {
            let words: Vec<String> = l.split_whitespace().map(str::to_string).collect();
            let i = words.iter().position(|w| w == "TCP")?;
            Some((words[i + 1].clone(), words[i..].to_vec()))
        })
        .collect()
}

#[test]
fn watch_tells_every_change_once_and_the_view_leaves_the_terminal_sane() {
    if !available("watch_tells_every_change_once_and_the_view_leaves_the_terminal_sane") {
        return;
    }
    let s = sections("watch", &[]);
    let schema = schema();
    let lines: Vec<Value> = s["changes-json"].lines().map(json).collect();
    for v in &lines {
        if let Err(e) = validate(&schema, v) {
            panic!("{v} does not follow docs/changes.schema.json: {e}");
        }
    }
    let got: Vec<_> = lines.iter().map(event_of).collect();
    let e = |n: &str, svc: &str, srv: &str, d: &str| {
        (
            n.to_string(),
            svc.to_string(),
            srv.to_string(),
            d.to_string(),
        )
    };
    let (s7, s8, s9, r2) = (
        "10.96.7.7:80",
        "10.96.7.8:80",
        "10.96.7.9:80",
        "10.250.0.2:8080",
    );
    let mut want = vec![
        e("watching", "", "", ""),
        e("service-added", s8, "", ""),
        e("server-added", s8, r2, ""),
        e("server-changed", s7, r2, r#"{"weight":{"new":0,"old":3}}"#),
        e("drain-started", s7, r2, "conns>0:true"),
        e("server-changed", s8, r2, r#"{"weight":{"new":0,"old":1}}"#),
        e("drained", s8, r2, ""),
        e(
            "service-changed",
            s8,
            "",
            r#"{"scheduler":{"new":"rr","old":"wrr"}}"#,
        ),
        e("server-removed", s8, r2, ""),
        e("service-removed", s8, "", ""),
        e("service-removed", s7, "", ""),
    ];
    // IPVS unloaded under the watchers (when the module could go): told
    // once, then the recovery.
    if s["rmmod"].trim() == "rc=0" {
        want.push(e("error", "", "", ""));
        want.push(e("recovered", "", "", ""));
    }
    want.push(e("service-added", s9, "", ""));
    assert_eq!(got, want, "{}", s["changes-json"]);
    // The text lines tell the same events, in the same order.
    let names: Vec<&str> = s["changes-text"]
        .lines()
        .map(|l| l.split(' ').nth(1).unwrap())
        .collect();
    let json_names: Vec<&str> = got.iter().map(|g| g.0.as_str()).collect();
    assert_eq!(names, json_names, "{}", s["changes-text"]);
    assert!(
        s["changes-text"]
            .contains(" server-changed TCP 10.96.7.7:80 -> 10.250.0.2:8080 weight 3->0\n"),
        "{}",
        s["changes-text"]
    );
    one_service(&s);
    view_while_traffic_runs(&s);
    terminal_back_to_normal(&s);
}

/// `--changes -t` of one service: its own changes only, from nothing to
/// nothing.
fn one_service(s: &BTreeMap<String, String>) {
    let got: Vec<_> = s["changes-one"]
        .lines()
        .map(|l| event_of(&json(l)).0)
        .collect();
    let mut want = vec![
        "watching",
        "service-added",
        "server-added",
        "server-changed",
        "drained",
        "service-changed",
        "server-removed",
        "service-removed",
    ];
    if s["rmmod"].trim() == "rc=0" {
        want.extend(["error", "recovered"]);
    }
    assert_eq!(got, want, "{}", s["changes-one"]);
    assert!(s["changes-one"].starts_with(r#"{"event":"watching","services":0,"#));
}

/// The view in tmux: rates while traffic runs, the sort, the filter, the
/// marks and drain state of a change, the pause.
fn view_while_traffic_runs(s: &BTreeMap<String, String>) {
    let pane = &s["view-traffic"];
    assert!(pane.starts_with("ipvsadm --watch 1s  refreshed "), "{pane}");
    assert!(pane.contains("q quit  p pause  s sort"), "{pane}");
    let busy = &view_rows(pane)["10.96.7.10:80"];
    // TCP ADDR SCHED ACTIVE.. INACTIVE.. CONN/S BYTES/S TREND
    let rate = |words: &[String], from_end: usize| words[words.len() - from_end].clone();
    let conns: f64 = rate(busy, 3).parse().unwrap_or_else(|_| panic!("{pane}"));
    assert!(conns > 0.0, "no conn/s while traffic runs:\n{pane}");
    assert_ne!(rate(busy, 2), "0", "no bytes/s while traffic runs:\n{pane}");
    let sorted = &s["view-sorted"];
    assert!(
        sorted.lines().next().unwrap().ends_with("sort: conn/s"),
        "{sorted}"
    );
    assert!(
        sorted
            .lines()
            .nth(2)
            .unwrap()
            .contains("TCP 10.96.7.10:80 rr"),
        "the busiest service first:\n{sorted}"
    );
    let filtered = &s["view-filtered"];
    assert!(
        filtered.lines().next().unwrap().ends_with("filter: 7.10"),
        "{filtered}"
    );
    assert_eq!(
        view_rows(filtered).into_keys().collect::<Vec<_>>(),
        ["10.96.7.10:80"]
    );
    let changed = &s["view-changed"];
    assert!(
        changed
            .lines()
            .any(|l| l.starts_with("~   -> 10.250.0.2:8080") && l.contains(" draining ")),
        "{changed}"
    );
    assert!(
        changed
            .lines()
            .any(|l| l.starts_with("+ TCP 10.96.7.8:80 rr")),
        "{changed}"
    );
    assert!(
        s["view-paused"].lines().next().unwrap().ends_with("PAUSED"),
        "{}",
        s["view-paused"]
    );
    // IPVS unloaded under the view (when the module could go): the error
    // at the bottom; then the keys' line again.
    if s["view-rmmod"].trim() == "rc=0" {
        let last = |p: &str| {
            p.lines()
                .rfind(|l| !l.trim().is_empty())
                .unwrap_or("")
                .to_string()
        };
        let error = &s["view-error"];
        assert!(last(error).starts_with("error: "), "{error}");
        assert!(last(error).ends_with(" (trying again)"), "{error}");
        let recovered = &s["view-recovered"];
        assert!(last(recovered).starts_with("q quit"), "{recovered}");
    }
}

/// After `q` and after Ctrl-C: the main screen, the cursor shown, the
/// shell's prompt, and the terminal's settings as they were.
fn terminal_back_to_normal(s: &BTreeMap<String, String>) {
    for state in ["after-q-state", "after-ctrl-c-state", "after-panic-state"] {
        assert_eq!(
            s[state].trim(),
            "0 1",
            "{state}: alternate screen, cursor flag"
        );
    }
    let last = |pane: &str| {
        pane.lines()
            .rfind(|l| !l.trim().is_empty())
            .unwrap_or("")
            .to_string()
    };
    assert!(
        !s["after-q"].contains("Prot LocalAddress"),
        "{}",
        s["after-q"]
    );
    assert_eq!(last(&s["after-q"]), "bash-5.2#", "{}", s["after-q"]);
    let after = &s["after-ctrl-c"];
    assert!(after.contains("\nSTTY-SAME-AFTER-Q\n"), "{after}");
    assert!(after.contains("\nSTTY-SAME-AFTER-C\n"), "{after}");
    assert_eq!(last(after), "bash-5.2#", "{after}");
    // The panic's message on the main screen, its status, the settings.
    let panic = &s["after-panic"];
    assert!(panic.contains("panicked at"), "{panic}");
    assert!(panic.contains("IPVSADM_TEST_WATCH_PANIC"), "{panic}");
    assert!(panic.contains("\nRC=101\n"), "{panic}");
    assert!(panic.contains("\nSTTY-SAME-AFTER-PANIC\n"), "{panic}");
    assert!(!panic.contains("Prot LocalAddress"), "{panic}");
    assert_eq!(last(panic), "bash-5.2#", "{panic}");
    assert!(
        s["view-again"].contains("TCP 10.96.7.10:80 rr"),
        "{}",
        s["view-again"]
    );
    // 33 services by address in a pane of 21 rows: End shows the last
    // one and not the first; Home the first and not the last.
    let (end, home) = (&s["view-end"], &s["view-home"]);
    assert!(
        end.lines().next().unwrap().ends_with("sort: address"),
        "{end}"
    );
    assert!(end.contains("TCP 10.96.9.30:80 rr"), "{end}");
    assert!(!end.contains("TCP 10.96.7.9:80 rr"), "{end}");
    assert!(home.contains("TCP 10.96.7.9:80 rr"), "{home}");
    assert!(!home.contains("TCP 10.96.9.30:80 rr"), "{home}");
}
