//! `--k8s` in the test kernel: a node built from a cluster that
//! tests/kernel/k8s-cluster generates (its objects and, written apart from
//! src/k8s/, the table kube-proxy would build for node-a), by the
//! reference ipvsadm and by ours in turns, must pass `--check --k8s` with
//! no finding that needs attention; each planted drift must be found with
//! its code and nothing else; `-L --k8s` must be the reference's listing,
//! byte for byte, with every line named. Also the reader's errors and
//! arguments, which need no kernel.

use std::collections::{BTreeMap, BTreeSet};
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

/// kube-proxy's ConfigMap in the variants the kernel script holds the
/// node against: the fixture (kubectl's shape, kubeadm's `config.conf`)
/// with its `config.conf` edited as a person edits it.
fn config_maps(dir: &std::path::Path) {
    fs::create_dir_all(dir).unwrap();
    let fixture = repo().join("tests/fixtures/k8s/kube-proxy-configmap.json");
    let map: Value = serde_json::from_str(&fs::read_to_string(fixture).unwrap()).unwrap();
    let conf = map["data"]["config.conf"].as_str().unwrap().to_string();
    assert!(conf.contains("\nmode: ipvs\n") && conf.contains("strictARP: true"));
    let timeouts = conf
        .replace("  tcpTimeout: 0s", "  tcpTimeout: 15m0s")
        .replace("  udpTimeout: 0s", "  udpTimeout: 5m");
    let narrow = "nodePortAddresses:\n- 192.168.188.0/24\n- 198.18.0.0/24\n- 172.17.0.0/16\n\
                  - 10.244.235.192/32\n- 127.0.0.0/8\n";
    for (name, text) in [
        ("agree", timeouts.clone()),
        (
            "iptables",
            conf.replace("\nmode: ipvs\n", "\nmode: iptables\n"),
        ),
        (
            "invalid",
            conf.replace("  tcpTimeout: 0s", "  tcpTimeout: 15 minutes"),
        ),
        ("narrow", conf.replace("nodePortAddresses: null\n", narrow)),
    ] {
        let mut m = map.clone();
        m["data"]["config.conf"] = Value::String(text);
        fs::write(dir.join(format!("{name}.json")), m.to_string()).unwrap();
    }
}

/// The node against kube-proxy's ConfigMap (issue 27): each disagreement
/// with its code, the node's table otherwise judged as without it.
fn config_judged(s: &BTreeMap<String, String>, drained: &[(String, String)]) {
    let config = |name: &str| -> (Vec<(String, String)>, Value, i32) {
        let (doc, rc) = doc_and_rc(&s[&format!("check-config-{name}")]);
        validate(&schema("check.schema.json"), &doc).unwrap_or_else(|e| panic!("{name}: {e}"));
        let all = codes(&doc);
        let (ours, rest): (Vec<_>, Vec<_>) = all
            .into_iter()
            .partition(|(c, _)| c.starts_with("KUBE_PROXY_CONFIG"));
        assert_eq!(rest, drained, "{name}: {doc:#}");
        (ours, doc, rc)
    };
    let line = |doc: &Value, code: &str| -> String {
        doc["check"]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["code"] == code)
            .map(|f| f["detail"].as_str().unwrap().to_string())
            .unwrap_or_else(|| panic!("no {code}: {doc:#}"))
    };
    let (c, doc, rc) = config("agrees");
    assert_eq!(
        (c, rc),
        (vec![pair("KUBE_PROXY_CONFIG", "kube-proxy's ConfigMap")], 0)
    );
    assert_eq!(
        line(&doc, "KUBE_PROXY_CONFIG"),
        "mode ipvs, scheduler rr, strictARP on: the node agrees"
    );
    let (c, doc, rc) = config("arp");
    assert_eq!(
        (c, rc),
        (vec![pair("KUBE_PROXY_CONFIG_STRICT_ARP", "strictARP")], 1)
    );
    assert!(
        line(&doc, "KUBE_PROXY_CONFIG_STRICT_ARP").ends_with("arp_ignore is 1 and arp_announce 0")
    );
    let (c, doc, rc) = config("timeout");
    assert_eq!(
        (c, rc),
        (vec![pair("KUBE_PROXY_CONFIG_TIMEOUT", "timeouts")], 1)
    );
    // `--set 600 0 0` leaves udp's as it was (300 s): only tcp's differs.
    assert!(line(&doc, "KUBE_PROXY_CONFIG_TIMEOUT")
        .starts_with("tcpTimeout 900 s, the kernel's tcp 600 s (kube-proxy sets them"));
    let (c, doc, rc) = config("scheduler");
    let sched = pair("KUBE_PROXY_CONFIG_SCHEDULER", "scheduler");
    assert_eq!((c, rc), (vec![sched.clone(), sched], 1));
    let lines: Vec<&str> = doc["check"]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "KUBE_PROXY_CONFIG_SCHEDULER")
        .map(|f| f["detail"].as_str().unwrap())
        .collect();
    assert!(lines[0].starts_with("1 of kube-proxy's "), "{lines:?}");
    assert!(lines[0]
        .ends_with(" virtual services use lc, its configuration says rr: UDP 10.96.0.10:53"));
    assert!(lines[1]
        .ends_with(" virtual services use wrr, its configuration says rr: TCP 10.96.0.10:9153"));
    let (c, doc, rc) = config("mode");
    assert_eq!((c, rc), (vec![pair("KUBE_PROXY_CONFIG_MODE", "mode")], 1));
    assert!(line(&doc, "KUBE_PROXY_CONFIG_MODE")
        .starts_with("kube-proxy's configuration says mode iptables, yet "));
    let (c, doc, rc) = config("invalid");
    assert_eq!(
        (c, rc),
        (
            vec![pair("KUBE_PROXY_CONFIG_INVALID", "kube-proxy's ConfigMap")],
            1
        )
    );
    assert_eq!(
        line(&doc, "KUBE_PROXY_CONFIG_INVALID"),
        "config.conf: ipvs.tcpTimeout: invalid duration \"15 minutes\""
    );
    // nodePortAddresses narrow as --nodeport-addresses does: the node
    // ports kube-proxy would serve on the new address are not missed.
    let (c, _, rc) = config("narrow");
    assert_eq!(
        (c, rc),
        (vec![pair("KUBE_PROXY_CONFIG", "kube-proxy's ConfigMap")], 0)
    );
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

/// How many virtual services the check's first line says it expected.
fn expected_count(doc: &Value) -> usize {
    let line = doc["check"]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["check"] == "kubernetes" && f["code"].is_null())
        .unwrap_or_else(|| panic!("no node line: {doc:#}"));
    let detail = line["detail"].as_str().unwrap();
    let (before, _) = detail
        .split_once(" virtual services expected")
        .unwrap_or_else(|| panic!("{detail}"));
    before.rsplit(' ').next().unwrap().parse().unwrap()
}

/// The first service of the listing's JSON on this address.
fn service_at<'a>(list: &'a Value, addr: &str) -> &'a Value {
    let services = list["services"].as_array().unwrap();
    let found = services.iter().find(|v| v["address"] == addr);
    found.unwrap_or_else(|| panic!("no service on {addr}"))
}

/// A service of the listing's JSON as the check names it (`TCP 1.2.3.4:80`).
fn rule_of(svc: &Value) -> String {
    let proto = svc["protocol"].as_str().unwrap().to_uppercase();
    let addr = svc["address"].as_str().unwrap();
    let port = &svc["port"];
    if addr.contains(':') {
        format!("{proto} [{addr}]:{port}")
    } else {
        format!("{proto} {addr}:{port}")
    }
}

/// The services a `--cleanup-kube-proxy` dry run would delete, as the
/// check names them.
fn deleted(dry_run: &str) -> BTreeSet<String> {
    let text = dry_run.strip_suffix("rc=0\n").expect("dry run exit 0");
    text.lines()
        .map(|l| {
            let rest = l.strip_prefix("-D ").unwrap_or_else(|| panic!("{l}"));
            let (opt, at) = rest.split_once(' ').unwrap();
            let proto = match opt {
                "-t" => "TCP",
                "-u" => "UDP",
                "--sctp-service" => "SCTP",
                _ => panic!("{l}"),
            };
            format!("{proto} {at}")
        })
        .collect()
}

/// For every virtual service of one node state, the check's verdict, the
/// view's label and the owner agree, and the cleanup takes what the owner
/// gives kube-proxy for certain: named by a Service (view) exactly when
/// the owner says "Service ..." for certain and the cleanup deletes it;
/// otherwise kube-proxy's only as a leftover the check calls
/// ORPHAN_SERVICE. The check's count is the named ones plus the missed.
/// The services named, in the check's words.
fn agree(s: &BTreeMap<String, String>, name: &str) -> BTreeSet<String> {
    let (check, _) = doc_and_rc(&s[&format!("check-{name}")]);
    let (list, rc) = doc_and_rc(&s[&format!("owner-{name}")]);
    assert_eq!(rc, 0, "{name}");
    validate(&schema("ipvsadm.schema.json"), &list).unwrap();
    let found = codes(&check);
    let with = |code: &str| -> BTreeSet<String> {
        found
            .iter()
            .filter(|(c, _)| c == code)
            .map(|(_, r)| r.clone())
            .collect()
    };
    let (orphans, missing) = (with("ORPHAN_SERVICE"), with("MISSING_SERVICE"));
    let removed = deleted(&s[&format!("cleanup-{name}")]);
    let mut named = BTreeSet::new();
    let mut listed = BTreeSet::new();
    for svc in list["services"].as_array().unwrap() {
        let rule = rule_of(svc);
        let evidence = &svc["owner_evidence"];
        let first = evidence["reasons"][0].as_str().unwrap();
        let certain = svc["owner"] == "kube-proxy" && evidence["certainty"] == "certain";
        let by_service = certain && first.starts_with("Service ");
        assert_eq!(!svc["kubernetes"].is_null(), by_service, "{name}: {svc}");
        assert_eq!(removed.contains(&rule), certain, "{name}: {svc}");
        if by_service {
            for server in svc["servers"].as_array().unwrap() {
                assert!(server["kubernetes"].is_object(), "{name}: {server}");
            }
            named.insert(rule.clone());
        } else {
            assert_eq!(
                orphans.contains(&rule),
                svc["owner"] == "kube-proxy",
                "{name}: {svc}"
            );
        }
        listed.insert(rule);
    }
    assert!(orphans.is_subset(&listed), "{name}: {orphans:?}");
    assert!(missing.is_disjoint(&listed), "{name}: {missing:?}");
    assert_eq!(
        expected_count(&check),
        named.len() + missing.len(),
        "{name}"
    );
    named
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
    let maps = work.dir.join("configmap");
    config_maps(&maps);
    let s = sections_in(
        &work,
        "k8s",
        &[
            dir.to_str().unwrap(),
            big.to_str().unwrap(),
            maps.to_str().unwrap(),
        ],
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
    // The seed's shape: node ports on every host address but kube-ipvs0's
    // and the link-local ones, loopback included (node-a runs 1.20); the
    // check expects every virtual service of the table, and check, view,
    // owner and cleanup agree on each.
    assert!(s["host-addrs"].contains(" fe80::"), "{}", s["host-addrs"]);
    let rules = fs::read_to_string(dir.join("table.rules")).unwrap();
    let (doc, _) = doc_and_rc(&s["check-clean"]);
    assert_eq!(expected_count(&doc), rules.matches("-A ").count());
    let named = agree(&s, "clean");
    assert_eq!(named.len(), rules.matches("-A ").count());
    for at in [
        "127.0.0.1",
        "192.168.188.61",
        "198.18.0.61",
        "172.17.0.1",
        "10.244.235.192",
        "[::1]",
        "[fd00:188::61]",
    ] {
        assert!(named.contains(&format!("TCP {at}:30080")), "{at}");
    }
    assert!(!named.iter().any(|r| r.contains("fe80:")), "{named:?}");
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
        (
            "loopback-node-port-deleted",
            "MISSING_SERVICE",
            "TCP 127.0.0.1:30080",
            1,
        ),
        (
            "outside-narrowing",
            "ORPHAN_SERVICE",
            "TCP 192.168.99.1:30080",
            1,
        ),
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

    // A new host address: a node port of each NodePort Service missed on
    // it; narrowed away, clean; a node port on it anyway, an orphan, and
    // check, view, owner and cleanup agree on every service throughout.
    let (doc, rc) = doc_and_rc(&s["check-new-address"]);
    let mut want = vec![
        pair("MISSING_SERVICE", "TCP 192.168.99.1:30080"),
        pair("MISSING_SERVICE", "TCP 192.168.99.1:31443"),
    ];
    want.extend(drained.clone());
    assert_eq!((codes(&doc), rc), (want, 1), "{doc:#}");
    let (doc, rc) = doc_and_rc(&s["check-secondary-address"]);
    assert_eq!((codes(&doc), rc), (drained.clone(), 0), "{doc:#}");
    let (doc, rc) = doc_and_rc(&s["check-narrowed"]);
    assert_eq!((codes(&doc), rc), (drained.clone(), 0), "{doc:#}");
    assert_eq!(agree(&s, "narrowed"), named);
    assert_eq!(agree(&s, "outside-narrowing"), named);
    let (list, _) = doc_and_rc(&s["owner-outside-narrowing"]);
    let stray = service_at(&list, "192.168.99.1");
    assert!(stray["kubernetes"].is_null());
    assert_eq!(stray["owner_evidence"]["certainty"], "likely");
    assert_eq!(
        stray["owner_evidence"]["reasons"][2],
        "no Service: a leftover"
    );

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
    // Every real server is a pod but the API server's endpoint, and the
    // node ports on lo, docker0 and tunl0 are their Services'.
    for (line, label) in &named {
        if line.starts_with("-> ") && !line.starts_with("-> 192.168.188.61:6443") {
            assert!(label.starts_with("pod "), "{line}: {label}");
        }
    }
    for (line, label) in [
        (
            "TCP  127.0.0.1:30080 rr persistent 600",
            "shop/web:http (NodePort, node port)",
        ),
        (
            "TCP  [::1]:30080 rr persistent 600",
            "shop/web:http (NodePort, node port)",
        ),
        (
            "TCP  172.17.0.1:31443 rr",
            "shop/lb (LoadBalancer, node port)",
        ),
        (
            "TCP  10.244.235.192:30080 rr persistent 600",
            "shop/web:http (NodePort, node port)",
        ),
    ] {
        assert_eq!(
            named.get(line).map(String::as_str),
            Some(label),
            "{line}\n{view}"
        );
    }

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
    let lb = service_at(&doc, "203.0.113.50");
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

    config_judged(&s, &drained);

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
