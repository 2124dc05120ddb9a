//! `--k8s` in the test kernel: a node built from a cluster that
//! tests/kernel/k8s-cluster generates (its objects and, written apart from
//! src/k8s/, the table kube-proxy would build for node-a), by the
//! reference ipvsadm and by ours in turns, must pass `--check --k8s` with
//! no finding that needs attention; each planted drift must be found with
//! its code and nothing else; `-L --k8s` must be the reference's listing,
//! byte for byte, with every line named. Also the reader's errors and
//! arguments, which need no kernel.

use std::collections::BTreeMap;
use std::fs;
use std::process::Command;

use serde_json::Value;

use crate::bed::{available, repo, Work};
use crate::ours::sections_in;
use crate::schema::validate;

fn schema(name: &str) -> Value {
    let text = fs::read_to_string(repo().join("docs").join(name)).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// Generate the cluster with `n` more Services (and its `local-gone`
/// variant) into `dir`.
fn generate(dir: &std::path::Path, n: usize) {
    let gen = repo().join("tests/kernel/k8s-cluster");
    for (out, extra) in [
        (dir.to_path_buf(), None),
        (dir.join("local-gone"), Some("local-gone")),
    ] {
        let mut c = Command::new("python3");
        c.arg(&gen).arg(&out).arg(n.to_string());
        if let Some(v) = extra {
            c.args(["--variant", v]);
        }
        let r = c.output().expect("python3");
        assert!(r.status.success(), "k8s-cluster: {r:?}");
    }
}

/// A section's JSON document and the exit status after it.
fn doc_and_rc(text: &str) -> (Value, i32) {
    let (json, rc) = text.trim_end().rsplit_once("\nrc=").expect("rc line");
    let doc = serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}: {json}"));
    (doc, rc.parse().unwrap())
}

/// The coded findings of check `kubernetes`: (code, subject).
fn codes(doc: &Value) -> Vec<(String, String)> {
    doc["check"]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["check"] == "kubernetes" && !f["code"].is_null())
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap().to_string();
            (s("code"), s("subject"))
        })
        .collect()
}

fn pair(code: &str, subject: &str) -> (String, String) {
    (code.to_string(), subject.to_string())
}

/// Each line of `ours` is the reference's line, then (for the lines of
/// the entries) padding and a label, all labels starting in one column;
/// the labels by line of the reference.
fn labels(reference: &str, ours: &str) -> BTreeMap<String, String> {
    let (r, o): (Vec<&str>, Vec<&str>) = (reference.lines().collect(), ours.lines().collect());
    assert_eq!(r.len(), o.len(), "{ours}");
    let mut column = None;
    let mut out = BTreeMap::new();
    for (r, o) in r.iter().zip(&o) {
        assert!(o.starts_with(r), "{o:?} is not {r:?} labelled");
        let rest = &o[r.len()..];
        if rest.is_empty() {
            continue;
        }
        let label = rest.trim_start();
        let at = o.len() - label.len();
        assert!(rest.len() - label.len() >= 2, "{o:?}");
        assert_eq!(*column.get_or_insert(at), at, "{o:?}");
        out.insert(r.trim().to_string(), label.to_string());
    }
    out
}

#[test]
fn k8s_node_from_a_generated_cluster() {
    if !available("k8s_node_from_a_generated_cluster") {
        return;
    }
    let work = Work::new("k8s");
    let dir = work.dir.join("cluster");
    generate(&dir, 40);
    let big = work.dir.join("big");
    generate(&big, 10_000);
    let s = sections_in(
        &work,
        "k8s",
        &[dir.to_str().unwrap(), big.to_str().unwrap()],
    );
    let check = schema("check.schema.json");

    // Clean, whoever built the table: nothing needs attention, and only
    // the drained server of the rollout is reported (information).
    let drained = vec![pair("DRAINING", "TCP 10.96.10.50:80 -> 10.244.2.40:8080")];
    for name in ["check-clean-ref", "check-clean-ours", "check-clean-again"] {
        let (doc, rc) = doc_and_rc(&s[name]);
        validate(&check, &doc).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(codes(&doc), drained, "{name}: {doc:#}");
        assert_eq!(rc, 0, "{name}: {doc:#}");
        assert_eq!(doc["check"]["attention"], 0, "{name}");
    }
    let text = &s["check-text"];
    assert!(text.contains("| kubernetes | node node-a "), "{text}");
    assert!(
        text.contains("DRAINING: shop/rolling:http (ClusterIP): weight 0, pod shop/rolling-old-3 (terminating)"),
        "{text}"
    );
    assert!(text.ends_with("Nothing needs attention.\nrc=0\n"), "{text}");

    // Drift, one kind at a time: its code, nothing else.
    let drifts = [
        (
            "deleted-server",
            "MISSING_SERVER",
            "TCP 10.96.0.10:53 -> 10.244.1.2:53",
            1,
        ),
        (
            "extra-server",
            "STALE_SERVER",
            "TCP 10.96.10.20:80 -> 10.244.9.9:8080",
            1,
        ),
        (
            "zero-weight-ready",
            "ZERO_WEIGHT_READY",
            "UDP 10.96.0.10:53 -> 10.244.0.2:53",
            1,
        ),
        (
            "missing-service",
            "MISSING_SERVICE",
            "TCP 10.96.0.10:9153",
            1,
        ),
        ("left-behind", "ORPHAN_SERVICE", "TCP 10.96.200.1:80", 1),
        ("address-left-behind", "ORPHAN_ADDRESS", "10.96.200.1", 1),
        (
            "affinity-removed",
            "AFFINITY_MISMATCH",
            "TCP 10.96.20.10:5432",
            1,
        ),
        ("local-gone", "EXPECTED_EMPTY", "TCP 10.96.10.40:6379", 0),
    ];
    for (name, code, subject, want_rc) in drifts {
        let (doc, rc) = doc_and_rc(&s[&format!("check-{name}")]);
        validate(&check, &doc).unwrap_or_else(|e| panic!("{name}: {e}"));
        let mut want = drained.clone();
        want.push(pair(code, subject));
        let mut got = codes(&doc);
        got.sort();
        want.sort();
        assert_eq!(got, want, "{name}: {doc:#}");
        assert_eq!(rc, want_rc, "{name}");
    }

    // The view: the reference's listing, every line named.
    let view = s["k8s-list"]
        .strip_suffix("rc=0\n")
        .expect("-Ln --k8s exit 0");
    let named = labels(&s["ref-list"], view);
    for (line, label) in &named {
        assert!(
            label != "no Service" && label != "no endpoint",
            "{line}: {label}"
        );
    }
    let want = [
        (
            "TCP  10.96.0.1:443 rr",
            "default/kubernetes:https (ClusterIP, cluster IP)",
        ),
        (
            "TCP  198.51.100.7:80 rr persistent 600",
            "shop/web:http (NodePort, external IP)",
        ),
        (
            "TCP  203.0.113.50:443 rr",
            "shop/lb (LoadBalancer, load balancer)",
        ),
        (
            "TCP  192.168.188.61:30080 rr persistent 600",
            "shop/web:http (NodePort, node port)",
        ),
        (
            "TCP  [fd00:96::14]:80 rr persistent 600",
            "shop/web:http (NodePort, cluster IP)",
        ),
        (
            "SCTP 10.96.30.5:3868 rr",
            "telco/sig:sctp (ClusterIP, cluster IP)",
        ),
        (
            "UDP  10.96.0.10:53 rr",
            "kube-system/kube-dns:dns (ClusterIP, cluster IP)",
        ),
    ];
    for (line, label) in want {
        assert_eq!(
            named.get(line).map(String::as_str),
            Some(label),
            "{line}\n{view}"
        );
    }
    let servers: Vec<&String> = named
        .iter()
        .filter(|(l, _)| l.starts_with("-> 10.244.2.40:8080"))
        .map(|(_, v)| v)
        .collect();
    assert_eq!(servers, ["pod shop/rolling-old-3 on node-c, terminating"]);
    assert!(named
        .iter()
        .any(|(l, v)| l.starts_with("-> 10.244.0.40:8080")
            && v == "pod shop/rolling-old-1 on node-a, serving, terminating"));
    assert!(named
        .iter()
        .any(|(l, v)| l.starts_with("-> 192.168.188.61:6443") && v == "endpoint, ready"));

    // One service, the cluster from standard input.
    let one = s["k8s-one"]
        .strip_suffix("rc=0\n")
        .expect("-t --k8s exit 0");
    let named = labels(&s["ref-one"], one);
    assert_eq!(
        named["TCP  10.96.10.20:80 rr persistent 600"],
        "shop/web:http (NodePort, cluster IP)"
    );
    assert_eq!(named.len(), 3, "{one}");

    // JSON: the schema, and every service and server explained.
    let (doc, rc) = doc_and_rc(&s["k8s-json"]);
    assert_eq!(rc, 0);
    validate(&schema("ipvsadm.schema.json"), &doc).unwrap();
    for svc in doc["services"].as_array().unwrap() {
        assert!(svc["kubernetes"].is_object(), "{svc}");
        for server in svc["servers"].as_array().unwrap() {
            assert!(server["kubernetes"].is_object(), "{server}");
        }
    }
    let lb = doc["services"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["address"] == "203.0.113.50")
        .unwrap();
    assert_eq!(lb["kubernetes"]["address_kind"], "load_balancer");
    assert_eq!(lb["servers"][0]["kubernetes"]["node"], "node-b");

    // 10,000 Services more: clean, every line named; then the same
    // cluster against an empty table, every rule and address missed.
    let (doc, rc) = doc_and_rc(&s["check-big-clean"]);
    assert_eq!((codes(&doc), rc), (drained.clone(), 0));
    let view = s["big-list"]
        .strip_suffix("rc=0\n")
        .expect("big -Ln --k8s exit 0");
    let named = labels(&s["big-ref"], view);
    assert!(named.len() > 30_000, "{}", named.len());
    assert!(named
        .values()
        .all(|l| l != "no Service" && l != "no endpoint"));
    let (doc, rc) = doc_and_rc(&s["check-big-empty"]);
    let rules = fs::read_to_string(big.join("table.rules")).unwrap();
    let addrs = fs::read_to_string(big.join("kube-ipvs0")).unwrap();
    let got = codes(&doc);
    let count = |c: &str| got.iter().filter(|(x, _)| x == c).count();
    assert_eq!(count("MISSING_SERVICE"), rules.matches("-A ").count());
    assert_eq!(count("ORPHAN_ADDRESS"), addrs.lines().count());
    assert_eq!(
        got.len(),
        count("MISSING_SERVICE") + count("ORPHAN_ADDRESS")
    );
    assert_eq!(rc, 1);

    // --changes -j --k8s: each event about a service carries its Service.
    let changes = schema("changes.schema.json");
    let events: Vec<Value> = s["k8s-changes"]
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    for e in &events {
        validate(&changes, e).unwrap_or_else(|err| panic!("{err}: {e}"));
    }
    let reweighted = events
        .iter()
        .find(|e| e["event"] == "server-changed")
        .unwrap_or_else(|| panic!("{}", s["k8s-changes"]));
    assert_eq!(reweighted["service"]["address"], "10.96.0.10");
    assert_eq!(reweighted["kubernetes"]["name"], "kube-dns");
    assert_eq!(reweighted["kubernetes"]["port_name"], "dns");
    let added = events
        .iter()
        .find(|e| e["event"] == "service-added")
        .unwrap();
    assert_eq!(added["service"]["address"], "10.96.200.9");
    assert!(added["kubernetes"].is_null(), "{added}");

    assert!(s["k8s-stats"].ends_with("rc=0\n"), "{}", s["k8s-stats"]);
    assert!(s["k8s-stats"].contains("  shop/lb (LoadBalancer, node port)\n"));
    assert_eq!(
        s["k8s-no-node"],
        "ipvsadm: no Node named node-z in the cluster's objects\nrc=2\n"
    );
}

/// Run ours with these arguments and standard input; (stdout, stderr, status).
pub(crate) fn ours(args: &[&str], stdin: &str) -> (String, String, i32) {
    let out = assert_cmd::Command::cargo_bin("ipvsadm")
        .unwrap()
        .args(args)
        .write_stdin(stdin)
        .output()
        .unwrap();
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (
        text(&out.stdout),
        text(&out.stderr),
        out.status.code().unwrap_or(-1),
    )
}

/// The cluster file is read before anything else is done: a bad one is
/// told with its name and place, exit 2, with or without IPVS.
#[test]
fn k8s_input_errors_are_told_with_the_place() {
    let fixture = repo().join("tests/fixtures/k8s/cluster-list.json");
    let fixture = fixture.to_str().unwrap();
    for cmd in [&["--check"][..], &["-Ln"][..]] {
        let run = |extra: &[&str], stdin: &str| {
            let mut args = cmd.to_vec();
            args.extend_from_slice(extra);
            ours(&args, stdin)
        };
        assert_eq!(
            run(&["--k8s", "/nonexistent.json"], ""),
            (
                String::new(),
                "ipvsadm: /nonexistent.json: No such file or directory\n".into(),
                2
            )
        );
        assert_eq!(
            run(&["--k8s", "-"], "{\"kind\": \"List\", \"items\": [\n{"),
            (
                String::new(),
                "ipvsadm: standard input: line 2 column 1: EOF while parsing an object\n".into(),
                2
            )
        );
        let (out, err, rc) = run(&["--k8s", "-"], "[1, 2]");
        assert!(
            out.is_empty() && err.starts_with("ipvsadm: standard input: line 1 column "),
            "{err}"
        );
        assert_eq!(rc, 2);
        assert_eq!(
            run(&["--k8s", fixture, "--node", "node-z"], ""),
            (
                String::new(),
                "ipvsadm: no Node named node-z in the cluster's objects\n".into(),
                2
            )
        );
    }
}
