//! The way out of IPVS mode in the test kernel (tests/kernel/ours/migrate):
//! whose each service is, with and without the cluster's objects; what
//! each switch of kube-proxy's mode would do; and `--cleanup-kube-proxy`,
//! whose dry run changes nothing, whose `--apply` leaves every other
//! owner's service byte-identical in the reference's `-Sn` and writes a
//! backup the reference's `-R` takes back, and which stops clearly when
//! the kernel refuses midway.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::process::Command;

use serde_json::Value;

use crate::bed::{available, repo, Work};
use crate::ours::sections_in;
use crate::schema::validate;

/// The other owners' services, as the migrate script makes them.
const FOREIGN: &[&str] = &[
    "-t 192.168.188.61:80",
    "-f 100",
    "-t [2001:db8::10]:443",
    "-t 203.0.113.80:443",
    "-t 172.16.5.5:30500",
];

/// kube-proxy's node ports on the host's addresses (node-a's own, lo's,
/// docker0's and tunl0's, as on the seed's node): only likely its without
/// the cluster's objects.
const NODE_PORTS: &[&str] = &[
    "-t 127.0.0.1:30080",
    "-t 192.168.188.61:30080",
    "-t 198.18.0.61:30080",
    "-t 172.17.0.1:30080",
    "-t 10.244.235.192:30080",
    "-t [fd00:188::61]:30080",
    "-t [::1]:30080",
    "-t 127.0.0.1:31443",
    "-t 192.168.188.61:31443",
    "-t 198.18.0.61:31443",
    "-t 172.17.0.1:31443",
    "-t 10.244.235.192:31443",
];

/// The service a `-Sn` line belongs to: `-t 10.96.0.1:443`, `-f 100`.
fn key(line: &str) -> String {
    line.split(' ')
        .skip(1)
        .take(2)
        .collect::<Vec<_>>()
        .join(" ")
}

fn keys(sn: &str) -> BTreeSet<String> {
    sn.lines()
        .filter(|l| l.starts_with("-A "))
        .map(key)
        .collect()
}

/// The lines of `sn` whose service is in `set` (or not in it).
fn lines_of(sn: &str, set: &[&str], inside: bool) -> String {
    sn.lines()
        .filter(|l| set.contains(&key(l).as_str()) == inside)
        .map(|l| format!("{l}\n"))
        .collect()
}

fn sorted(text: &str) -> Vec<&str> {
    let mut v: Vec<&str> = text.lines().collect();
    v.sort_unstable();
    v
}

/// A service's key from the listing JSON.
fn json_key(s: &Value) -> String {
    if let Some(mark) = s["fwmark"].as_u64() {
        return format!("-f {mark}");
    }
    let a = s["address"].as_str().unwrap();
    let a = if a.contains(':') {
        format!("[{a}]")
    } else {
        a.to_string()
    };
    let flag = match s["protocol"].as_str().unwrap() {
        "tcp" => "-t",
        "udp" => "-u",
        _ => "--sctp-service",
    };
    format!("{flag} {a}:{}", s["port"])
}

/// (code, subject) of the findings of check `migration`.
fn codes(doc: &Value) -> BTreeSet<(String, String)> {
    doc["check"]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["check"] == "migration" && !f["code"].is_null())
        .map(|f| {
            (
                f["code"].as_str().unwrap().into(),
                f["subject"].as_str().unwrap().into(),
            )
        })
        .collect()
}

fn subjects(c: &BTreeSet<(String, String)>, code: &str) -> BTreeSet<String> {
    c.iter()
        .filter(|(x, _)| x == code)
        .map(|(_, s)| s.clone())
        .collect()
}

fn set(v: &[&str]) -> BTreeSet<String> {
    v.iter().map(|s| s.to_string()).collect()
}

#[test]
fn a_safe_way_out_of_ipvs_mode() {
    if !available("a_safe_way_out_of_ipvs_mode") {
        return;
    }
    let work = Work::new("migrate");
    let dir = work.dir.join("cluster");
    let big = work.dir.join("big");
    for (d, n) in [(&dir, "40"), (&big, "10000")] {
        let r = Command::new("python3")
            .arg(repo().join("tests/kernel/k8s-cluster"))
            .arg(d)
            .arg(n)
            .output()
            .unwrap();
        assert!(r.status.success(), "{r:?}");
    }
    let s = sections_in(
        &work,
        "migrate",
        &[dir.to_str().unwrap(), big.to_str().unwrap()],
    );
    let before = &s["before"];
    let all = keys(before);
    let kube: BTreeSet<String> = all
        .iter()
        .filter(|k| !FOREIGN.contains(&k.as_str()))
        .cloned()
        .collect();
    let rules = fs::read_to_string(dir.join("table.rules")).unwrap();
    assert_eq!(kube, keys(&rules), "the node holds the generated table");
    assert_eq!(all.len(), kube.len() + FOREIGN.len());

    ownership(&s, &kube);
    migration(&s, &kube);
    cleanup(&s, before, &kube);

    // At 10,000 Services more: the others alone left, the backup where it
    // goes by default, and the reference's -R of it gives the table back.
    assert_eq!(
        s["big-rc"],
        "0\n",
        "{}",
        &s["big-err"][..s["big-err"].len().min(2000)]
    );
    assert_eq!(keys(&s["big-after"]), set(FOREIGN));
    let backup = s["big-backup"].trim();
    assert!(
        backup.starts_with("/var/lib/ipvsadm/kube-proxy-") && backup.ends_with(".rules"),
        "{backup}"
    );
    assert!(s["big-err"].starts_with(&format!("ipvsadm: saved what is removed in {backup} ")));
    let sums: Vec<&str> = s["big-restored"].lines().collect();
    assert_eq!(sums[0], sums[1], "the restored table differs");
    assert!(sums[2].parse::<usize>().unwrap() > 30_000, "{sums:?}");
}

/// Whose each service is: with the cluster every kube-proxy service is
/// certain; without it the node ports are only likely.
fn ownership(s: &BTreeMap<String, String>, kube: &BTreeSet<String>) {
    let schema: Value =
        serde_json::from_str(&fs::read_to_string(repo().join("docs/ipvsadm.schema.json")).unwrap())
            .unwrap();
    for (name, with_file) in [("owner-nofile", false), ("owner-file", true)] {
        assert_eq!(
            s[&format!("{name}-rc")],
            "0\n",
            "{}",
            s[&format!("{name}-err")]
        );
        let doc: Value = serde_json::from_str(&s[&format!("{name}-out")]).unwrap();
        validate(&schema, &doc).unwrap_or_else(|e| panic!("{name}: {}", &e[..e.len().min(300)]));
        for svc in doc["services"].as_array().unwrap() {
            let k = json_key(svc);
            let (owner, certainty) = if FOREIGN.contains(&k.as_str()) {
                ("other", "certain")
            } else if !with_file && NODE_PORTS.contains(&k.as_str()) {
                ("kube-proxy", "likely")
            } else {
                ("kube-proxy", "certain")
            };
            assert_eq!(svc["owner"], owner, "{name} {k}: {svc}");
            assert_eq!(svc["owner_evidence"]["certainty"], certainty, "{name} {k}");
            assert!(kube.contains(&k) == (owner == "kube-proxy"), "{k}");
        }
    }
    let text = &s["owner-text-out"];
    assert!(
        text.contains("  other: a firewall-mark service: kube-proxy makes none\n"),
        "{text}"
    );
    assert!(text.contains("  kube-proxy: address on kube-ipvs0; every real server masqueraded\n"));
    assert!(text.contains(
        "  other: real server 10.2.0.5:443 tunnelled: kube-proxy masquerades every one\n"
    ));
    let one = &s["owner-one-out"];
    assert_eq!(one.lines().count(), 5, "{one}");
    assert!(one.lines().nth(2).unwrap().ends_with("  other: real server 192.168.188.70:80 routed directly: kube-proxy masquerades every one"), "{one}");
    // -S --owner: each part alone, the reference's own lines.
    assert_eq!(s["save-other-out"], lines_of(&s["before"], FOREIGN, true));
    assert_eq!(s["save-kube-out"], lines_of(&s["before"], FOREIGN, false));
}

/// `--check --migrate`: each code where it belongs, none where not.
fn migration(s: &BTreeMap<String, String>, kube: &BTreeSet<String>) {
    let schema: Value =
        serde_json::from_str(&fs::read_to_string(repo().join("docs/check.schema.json")).unwrap())
            .unwrap();
    let doc = |name: &str| -> (Value, String) {
        let d: Value = serde_json::from_str(&s[&format!("{name}-out")])
            .unwrap_or_else(|e| panic!("{name}: {e}: {}", s[&format!("{name}-err")]));
        validate(&schema, &d).unwrap_or_else(|e| panic!("{name}: {e}"));
        (d, s[&format!("{name}-rc")].clone())
    };
    let rule = |k: &str| -> String {
        let (flag, rest) = k.split_once(' ').unwrap();
        match flag {
            "-f" => format!("FWM {rest}"),
            "-t" => format!("TCP {rest}"),
            "-u" => format!("UDP {rest}"),
            _ => format!("SCTP {rest}"),
        }
    };
    let foreign: BTreeSet<String> = FOREIGN.iter().map(|k| rule(k)).collect();
    let likely: BTreeSet<String> = NODE_PORTS.iter().map(|k| rule(k)).collect();

    let (d, rc) = doc("nft-nofile");
    let c = codes(&d);
    assert_eq!(subjects(&c, "FOREIGN_AT_RISK"), foreign, "{d:#}");
    assert_eq!(
        subjects(&c, "FOREIGN_ADDRESS_AT_RISK"),
        set(&["10.96.250.250"])
    );
    assert_eq!(subjects(&c, "UNCERTAIN_OWNER"), likely);
    assert_eq!(c.len(), foreign.len() + 1 + likely.len());
    assert_eq!(rc, "1\n");
    let (d, _) = doc("nft-file");
    let c = codes(&d);
    assert_eq!(subjects(&c, "FOREIGN_AT_RISK"), foreign);
    assert!(subjects(&c, "UNCERTAIN_OWNER").is_empty(), "{d:#}");
    let (d, rc) = doc("ipt-file");
    let c = codes(&d);
    let mut leftover: BTreeSet<String> = kube.iter().map(|k| rule(k)).collect();
    leftover.insert("kube-ipvs0".into());
    assert_eq!(subjects(&c, "LEFTOVER_AFTER_SWITCH"), leftover, "{d:#}");
    assert_eq!(c.len(), leftover.len());
    assert_eq!(rc, "1\n");
    // Only kube-proxy's: nothing at risk. Only others': nothing left over.
    let (d, _) = doc("only-kube");
    assert!(subjects(&codes(&d), "FOREIGN_AT_RISK").is_empty(), "{d:#}");
    assert!(
        subjects(&codes(&d), "FOREIGN_ADDRESS_AT_RISK").is_empty(),
        "{d:#}"
    );
    let (d, _) = doc("only-other");
    assert!(
        subjects(&codes(&d), "LEFTOVER_AFTER_SWITCH").is_empty(),
        "{d:#}"
    );
}

/// `--cleanup-kube-proxy`.
fn cleanup(s: &BTreeMap<String, String>, before: &str, kube: &BTreeSet<String>) {
    let others = lines_of(before, FOREIGN, true);
    // Dry run: the -D lines of kube-proxy's services, nothing changed.
    assert_eq!(s["dry-rc"], "0\n");
    assert_eq!(&s["dry-after"], before);
    let dry: BTreeSet<String> = s["dry-out"]
        .lines()
        .map(|l| l.strip_prefix("-D ").unwrap().to_string())
        .collect();
    assert_eq!(&dry, kube);
    assert!(
        s["dry-err"].contains("would remove 10.96.0.1 from kube-ipvs0\n"),
        "{}",
        s["dry-err"]
    );
    assert!(!s["dry-err"].contains("10.96.250.250"));
    assert!(!s["dry-err"].contains("would delete kube-ipvs0"));
    // --apply: the other owners' services byte-identical, kube-ipvs0 keeps
    // the foreign address alone.
    assert_eq!(s["apply-rc"], "0\n", "{}", s["apply-err"]);
    assert_eq!(s["apply-after"], others);
    assert_eq!(s["apply-addrs"], "10.96.250.250/32\n");
    assert_eq!(s["apply-out"], s["dry-out"]);
    assert!(s["apply-err"].starts_with("ipvsadm: saved what is removed in /tmp/bk.rules"));
    // An existing backup: refused, nothing changed.
    assert_eq!(s["again-rc"], "2\n");
    assert_eq!(s["again-out"], "");
    assert!(
        s["again-err"].starts_with("ipvsadm: cannot write the backup /tmp/bk.rules: File exists"),
        "{}",
        s["again-err"]
    );
    assert_eq!(sorted(&s["again-after"]), sorted(before));
    // The backup restored by the reference: the table as it was.
    assert_eq!(sorted(&s["restored"]), sorted(before));
    // A full flush, then the reference's -R of -S --owner=other.
    assert_eq!(sorted(&s["flushed-restored"]), sorted(&others));
    // Without the cluster: the likely ones stay.
    assert_eq!(s["likely-rc"], "0\n", "{}", s["likely-err"]);
    let mut kept: Vec<&str> = FOREIGN.to_vec();
    kept.extend_from_slice(NODE_PORTS);
    assert_eq!(keys(&s["likely-after"]), set(&kept));
    assert!(
        s["likely-err"].contains(
            "kept -t 198.18.0.61:31443 (only likely kube-proxy's; --include-likely removes it)\n"
        ),
        "{}",
        s["likely-err"]
    );
    // A narrower node port range: 31443 is no node port then.
    let text = &s["range-out"];
    assert!(
        text.contains(
            " other: 198.18.0.61 is neither on kube-ipvs0 nor a node port of this host\n"
        ),
        "{text}"
    );
    assert!(
        text.contains(" kube-proxy (likely): node port 30080 on an address of this host;"),
        "{text}"
    );
    // All of kube-proxy's and nothing else: kube-ipvs0 goes.
    assert_eq!(s["all-gone-rc"], "0\n", "{}", s["all-gone-err"]);
    assert_eq!(s["all-gone-link"], "absent\n");
    // Midway: told, exit 1, the other owners untouched.
    assert_eq!(s["midway-rc"], "1\n", "{}", s["midway-err"]);
    let err = &s["midway-err"];
    assert!(
        err.contains("-D -t 10.96.20.10:9187: No such service\n"),
        "{err}"
    );
    assert!(err.contains("\nstopped: "), "{err}");
    assert_eq!(
        keys(&lines_of(&s["midway-after"], FOREIGN, true)),
        set(FOREIGN)
    );
    assert_eq!(lines_of(&s["midway-after"], FOREIGN, true), others);
}
