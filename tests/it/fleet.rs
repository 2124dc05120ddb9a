//! Every node at once (issue 27), end to end in the test kernel: two nodes
//! of one cluster (network namespaces, each holding the table kube-proxy
//! would build for it, made by the reference ipvsadm from what
//! tests/kernel/k8s-cluster writes), an exporter in each, the project's
//! test API server, and Debian's real Prometheus scraping both with the
//! shipped alert rules. tests/kernel/ours/fleet drives one timeline (a
//! rollout, a drift planted on node-a, its repair) and prints Prometheus's
//! own answers; judged here: with no drift no alert; a change made on the
//! API server and applied to the tables within the grace fires nothing;
//! the drift fires `IPVSTableDrift` for node-a only, not before the grace
//! has passed, and it clears once repaired.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::bed::{available, repo, Work};
use crate::ours::{json, sections_in};

/// The exporters' `--grace`, in seconds (90 by default): long enough for
/// the script to apply the rollout to both tables once Prometheus has
/// seen it missing (13 s seen with the host at load 10, scrapes every
/// 5 s), short enough to keep the test cheap.
const GRACE: f64 = 20.0;

/// The drifted node and its exporter's address, as Prometheus labels it.
const NODE_A: &str = "node-a";
const INSTANCE_A: &str = "192.168.188.61:9893";

#[test]
fn fleet_prometheus_alerts_for_the_drifted_node_only() {
    if !available("fleet_prometheus_alerts_for_the_drifted_node_only") {
        return;
    }
    let t0 = std::time::Instant::now();
    let work = Work::new("fleet");
    let cluster = work.dir.join("cluster");
    for node in ["node-a", "node-b"] {
        let r = Command::new("python3")
            .arg(repo().join("tests/kernel/k8s-cluster"))
            .arg(cluster.join(node))
            .args(["8", "--node", node])
            .output()
            .expect("python3");
        assert!(r.status.success(), "k8s-cluster: {r:?}");
    }
    let py = work.dir.join("py");
    let r = Command::new(repo().join("tests/kernel/guest-python"))
        .arg(&py)
        .output()
        .unwrap();
    assert!(r.status.success(), "guest-python: {r:?}");
    let prometheus = work.dir.join("prometheus");
    std::fs::copy(host_prometheus(), &prometheus).expect("Debian's prometheus");
    let rules = repo().join("packaging/prometheus/ipvsadm-alerts.yml");
    let prepared = t0.elapsed();
    let s = sections_in(
        &work,
        "fleet",
        &[
            path(&cluster),
            path(&py),
            path(&prometheus),
            path(&rules),
            &GRACE.to_string(),
        ],
    );
    let all = || format!("{s:#?}");
    // Where the time went, for the log: the host's preparation, the boot
    // (the guest's uptime at each step) and all.
    eprintln!(
        "fleet: prepared in {prepared:.1?}, booted and ran in {:.1?}; in the guest:\n{}",
        t0.elapsed() - prepared,
        s["marks"]
    );
    for k in [
        "rollout-start",
        "rollout-applied",
        "drift-planted",
        "repaired",
        "whole-up",
        "whole-scrape",
        "whole-read",
    ] {
        eprintln!("fleet: {k}: {}", s[k].trim());
    }
    eprintln!(
        "fleet: samples: {}",
        s.keys().filter(|k| k.starts_with("sample-")).count()
    );
    assert!(!s.contains_key("timeout"), "no alert fired:\n{}", all());

    // The clean nodes: the only findings are the rollout's drained real
    // server (information, never drift), on each node.
    assert_eq!(
        keyed(&s["ready"], &["node", "code"]),
        set(&[&["node-a", "DRAINING"], &["node-b", "DRAINING"]]),
        "{}",
        all()
    );
    // Over the whole run: the rollout's new Service was seen missing on
    // both nodes but was never drift; the only drift ever is node-a's
    // missing real server.
    let findings = by_labels(&s["whole-findings"], &["node", "code"]);
    for node in ["node-a", "node-b"] {
        assert_eq!(findings[&vec![node.into(), "MISSING_SERVICE".into()]], 1.0);
    }
    let drift = by_labels(&s["whole-drift"], &["node", "code"]);
    assert!(drift.contains_key(&vec!["node-b".into(), "MISSING_SERVER".into()]));
    for (k, v) in &drift {
        let want = if *k == vec![NODE_A.to_string(), "MISSING_SERVER".into()] {
            1.0
        } else {
            0.0
        };
        assert_eq!(*v, want, "most drift of {k:?}");
    }
    // Every drift alert that was ever pending or firing: node-a's
    // MISSING_SERVER, nothing for node-b, nothing else. (Only this rule
    // is the subject here: on a loaded host a scrape of the emulated guest
    // can time out, and IPVSExporterDown then turns pending, rightly; it
    // needs 5 minutes to fire.)
    let keys = ["alertname", "alertstate", "node", "instance", "code"];
    let mut ever = keyed(&s["whole-alerts"], &keys);
    ever.retain(|a| a[0] == "IPVSTableDrift");
    let drift_a = |state: &str| -> Vec<String> {
        [
            "IPVSTableDrift",
            state,
            NODE_A,
            INSTANCE_A,
            "MISSING_SERVER",
        ]
        .map(String::from)
        .to_vec()
    };
    assert_eq!(
        ever,
        [drift_a("pending"), drift_a("firing")]
            .into_iter()
            .collect(),
        "{}",
        all()
    );

    samples_until_firing(&s, &keys);

    // Firing, as /api/v1/alerts tells it: one alert, node-a's.
    let alerts = json(s["alerts-firing"].trim());
    let alerts = alerts["data"]["alerts"].as_array().unwrap();
    assert_eq!(alerts.len(), 1, "{alerts:?}");
    assert_eq!(alerts[0]["state"], "firing");
    assert_eq!(alerts[0]["labels"]["node"], NODE_A);
    assert_eq!(alerts[0]["labels"]["instance"], INSTANCE_A);
    assert_eq!(alerts[0]["labels"]["severity"], "warning");
    // It became pending only once the finding had held past the grace.
    let at_active: Vec<&str> = s["at-active"].lines().collect();
    let held = by_labels(at_active[1], &["node"]);
    assert!(
        held[&vec![NODE_A.to_string()]] > GRACE,
        "pending at {}: {held:?}",
        at_active[0]
    );

    // Repaired: no alert, no drift, no missing real server.
    for answer in s["after-repair"].lines() {
        assert!(results(answer).is_empty(), "after repair: {answer}");
    }
}

/// The samples taken every two seconds from the drift's planting until
/// the alert fired: while node-a's finding was younger than the grace, no
/// drift and no alert, pending or firing; node-b never had the finding;
/// every alert sampled is node-a's; the last one fires.
fn samples_until_firing(s: &BTreeMap<String, String>, keys: &[&str]) {
    let mut young = 0;
    let mut last = BTreeSet::new();
    for i in 0.. {
        let name = format!("sample-{i}");
        let Some(body) = s.get(&name) else { break };
        let lines: Vec<&str> = body.lines().collect();
        let age = by_labels(lines[1], &["node"]);
        assert_eq!(age[&vec!["node-b".to_string()]], 0.0, "{name}: {body}");
        let a = age[&vec![NODE_A.to_string()]];
        let alerts = keyed(lines[3], keys);
        if a > 0.0 && a < GRACE {
            young += 1;
            assert!(results(lines[2]).is_empty(), "{name}: drift: {body}");
            assert!(alerts.is_empty(), "{name}: alert before the grace: {body}");
        }
        for alert in &alerts {
            assert_eq!(
                (alert[2].as_str(), alert[4].as_str()),
                (NODE_A, "MISSING_SERVER")
            );
        }
        last = alerts;
    }
    assert!(young > 0, "no sample while the finding was young: {s:#?}");
    assert!(
        last.iter().any(|a| a[1] == "firing"),
        "the last sample does not fire: {last:?}"
    );
}

/// Debian's prometheus, as installed on the host (a static Go binary,
/// which runs in the guest as it is).
fn host_prometheus() -> PathBuf {
    let out = Command::new("sh")
        .args(["-c", "command -v prometheus"])
        .output()
        .unwrap();
    let p = String::from_utf8(out.stdout).unwrap();
    assert!(!p.trim().is_empty(), "no prometheus (Debian's package)");
    PathBuf::from(p.trim())
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// An instant query's result vector.
fn results(answer: &str) -> Vec<Value> {
    let mut v: Value = serde_json::from_str(answer.trim())
        .unwrap_or_else(|e| panic!("not Prometheus's JSON ({e}): {answer}"));
    assert_eq!(v["status"], "success", "{answer}");
    match v["data"]["result"].take() {
        Value::Array(a) => a,
        other => panic!("no result vector: {other}"),
    }
}

/// Each result's values of `labels`, as a set.
fn keyed(answer: &str, labels: &[&str]) -> BTreeSet<Vec<String>> {
    results(answer)
        .iter()
        .map(|r| {
            labels
                .iter()
                .map(|l| r["metric"][l].as_str().unwrap_or("").to_string())
                .collect()
        })
        .collect()
}

/// Each result's value by its values of `labels`.
fn by_labels(answer: &str, labels: &[&str]) -> BTreeMap<Vec<String>, f64> {
    results(answer)
        .iter()
        .map(|r| {
            let k = labels
                .iter()
                .map(|l| r["metric"][l].as_str().unwrap_or("").to_string())
                .collect();
            (k, r["value"][1].as_str().unwrap().parse().unwrap())
        })
        .collect()
}

fn set(rows: &[&[&str]]) -> BTreeSet<Vec<String>> {
    rows.iter()
        .map(|r| r.iter().map(|x| x.to_string()).collect())
        .collect()
}
