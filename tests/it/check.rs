//! `--check` in the test kernel: tests/kernel/check-node builds a node with
//! nothing loaded, a healthy kube-proxy node, broken variants of it one
//! problem at a time, and a second network namespace; here each report
//! is judged by its exit status and its JSON fields, the text table is
//! checked to name the same problems, and every document is validated
//! against docs/check.schema.json.

use std::fs;
use std::path::Path;

use serde_json::Value;

use crate::bed::{available, repo, run_in_kernel, Work};
use crate::schema::validate;

/// One case's outputs: exit status, JSON document, text table.
struct Case {
    name: String,
    rc: i32,
    doc: Value,
    text: String,
}

fn case(out: &Path, name: &str) -> Case {
    let read = |ext: &str| {
        fs::read_to_string(out.join(format!("{name}.{ext}")))
            .unwrap_or_else(|e| panic!("{name}.{ext}: {e}"))
    };
    let json = read("json");
    Case {
        name: name.into(),
        rc: read("rc").trim().parse().unwrap(),
        doc: serde_json::from_str(&json).unwrap_or_else(|e| panic!("{name}.json: {e}: {json}")),
        text: read("txt"),
    }
}

impl Case {
    fn check(&self) -> &Value {
        &self.doc["check"]
    }

    /// The findings that need attention, as (check, subject).
    fn attention(&self) -> Vec<(String, String)> {
        self.check()["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["status"] == "attention")
            .map(|f| {
                (
                    f["check"].as_str().unwrap().to_string(),
                    f["subject"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    }

    /// Needs attention for exactly these (check, subject) pairs, in the
    /// JSON and in the table, and exits 1.
    fn needs(&self, expected: &[(&str, &str)]) {
        let mut got = self.attention();
        got.sort();
        let mut want: Vec<(String, String)> = expected
            .iter()
            .map(|(c, s)| (c.to_string(), s.to_string()))
            .collect();
        want.sort();
        assert_eq!(got, want, "{}: {}", self.name, self.text);
        assert_eq!(self.rc, 1, "{}", self.name);
        assert_eq!(self.check()["status"], "attention", "{}", self.name);
        assert_eq!(self.check()["attention"], expected.len(), "{}", self.name);
        for (c, s) in expected {
            let cells = ["attention", *c, *s];
            assert!(
                self.table()
                    .iter()
                    .any(|row| row.len() > 3 && row[..3] == cells[..]),
                "{}: no table line for {c} {s}:\n{}",
                self.name,
                self.text
            );
        }
        let n = expected.len();
        let summary = if n == 1 {
            "1 item needs attention.".to_string()
        } else {
            format!("{n} items need attention.")
        };
        assert!(
            self.text.ends_with(&format!("{summary}\n")),
            "{}",
            self.text
        );
    }

    /// The table's rows (header included), cell by cell.
    fn table(&self) -> Vec<Vec<&str>> {
        self.text
            .lines()
            .filter(|l| l.starts_with("| "))
            .map(|l| {
                l.split('|')
                    .map(str::trim)
                    .filter(|c| !c.is_empty())
                    .collect()
            })
            .collect()
    }

    fn healthy(&self) {
        assert_eq!(
            self.attention(),
            Vec::<(String, String)>::new(),
            "{}",
            self.text
        );
        assert_eq!(self.rc, 0, "{}", self.name);
        assert_ne!(self.check()["status"], "attention");
        assert!(
            self.text.ends_with("\nNothing needs attention.\n"),
            "{}",
            self.text
        );
    }

    fn find<'a>(&'a self, list: &str, key: &str, value: &str) -> &'a Value {
        self.check()[list]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x[key] == value)
            .unwrap_or_else(|| panic!("{}: no {list} with {key} {value}", self.name))
    }
}

fn schema() -> Value {
    let text = fs::read_to_string(repo().join("docs/check.schema.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// On this host, whatever it has: a report that fits the schema, and an
/// exit status of 0 or 1 that agrees with it. Needs no test kernel.
#[test]
fn check_on_this_host_fits_schema() {
    let out = assert_cmd::Command::cargo_bin("ipvsadm")
        .unwrap()
        .args(["--check", "-j"])
        .output()
        .unwrap();
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    validate(&schema(), &doc).unwrap();
    let attention = doc["check"]["status"] == "attention";
    assert_eq!(out.status.code(), Some(i32::from(attention)));
}

/// A report that cannot be written is exit status 2, told as any failed
/// write of standard output is.
#[test]
fn check_write_failure_exits_2() {
    let full = fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_ipvsadm"))
        .arg("--check")
        .stdout(full)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "ipvsadm: write error: No space left on device\n"
    );
}

#[test]
fn check_healthy_and_broken_nodes() {
    if !available("check_healthy_and_broken_nodes") {
        return;
    }
    let work = Work::new("check");
    let out = work.dir.join("out");
    let ipvsadm = work.tools().join("ipvsadm");
    let script = repo().join("tests/kernel/check-node");
    let r = run_in_kernel(
        &work.dir,
        &[
            "bash",
            script.to_str().unwrap(),
            ipvsadm.to_str().unwrap(),
            out.to_str().unwrap(),
        ],
    );
    assert!(
        r.status.success() && r.stderr.is_empty(),
        "check-node: {}\n{}",
        r.status,
        String::from_utf8_lossy(&r.stderr)
    );
    let schema = schema();
    let names = [
        "bare",
        "healthy",
        "sysctls",
        "no-kube-ipvs0",
        "unbound-vip",
        "no-servers",
        "weight-zero",
        "no-sh-module",
        "healthy-again",
        "netns",
    ];
    let cases: Vec<Case> = names.iter().map(|n| case(&out, n)).collect();
    for c in &cases {
        validate(&schema, &c.doc).unwrap_or_else(|e| panic!("{}: {e}\n{}", c.name, c.doc));
        // The table and the findings say the same, line for line.
        let findings = c.check()["findings"].as_array().unwrap();
        let table = c.table();
        assert_eq!(table[0], ["status", "check", "subject", "detail"]);
        assert_eq!(findings.len(), table.len() - 1, "{}", c.text);
        for (f, row) in findings.iter().zip(&table[1..]) {
            let cells = ["status", "check", "subject", "detail"].map(|k| f[k].as_str().unwrap());
            assert_eq!(row[..], cells[..], "{}", c.name);
        }
    }
    let [bare, healthy, sysctls, no_kube_ipvs0, unbound, no_servers, weight_zero, no_sh, again, netns] =
        &cases[..]
    else {
        unreachable!()
    };

    // Nothing loaded: IPVS unavailable, modules installed but not loaded,
    // its sysctls absent; and the check loaded nothing.
    let before = fs::read_to_string(out.join("modules-before")).unwrap();
    let after = fs::read_to_string(out.join("modules-after")).unwrap();
    assert_eq!(before, after, "the check loaded a module");
    assert!(!after.lines().any(|m| m == "ip_vs"), "{after}");
    bare.needs(&[
        ("ipvs", "IPVS"),
        ("module", "ip_vs"),
        ("module", "ip_vs_rr"),
        ("module", "ip_vs_wrr"),
        ("module", "ip_vs_sh"),
        ("module", "nf_conntrack"),
        ("sysctl", "net.ipv4.vs.conntrack"),
        ("sysctl", "net.ipv4.vs.expire_nodest_conn"),
        ("sysctl", "net.ipv4.vs.expire_quiescent_template"),
        ("sysctl", "net.ipv4.ip_forward"),
    ]);
    assert_eq!(bare.check()["ipvs"]["available"], false);
    assert_eq!(bare.find("modules", "name", "ip_vs")["state"], "available");
    assert_eq!(
        bare.find("sysctls", "name", "net.ipv4.vs.conntrack")["value"],
        Value::Null
    );
    assert_eq!(bare.check()["interface"]["present"], false);
    assert_eq!(bare.check()["interface"]["status"], "info");

    for h in [healthy, again] {
        h.healthy();
        let c = h.check();
        assert_eq!(c["ipvs"]["available"], true);
        assert_eq!(c["ipvs"]["version"], "1.2.1");
        assert!(c["ipvs"]["conn_tab_size"].as_u64().unwrap() > 0);
        assert_eq!(
            (&c["ipvs"]["services"], &c["ipvs"]["servers"]),
            (&4.into(), &5.into())
        );
        for m in ["ip_vs", "ip_vs_rr", "ip_vs_wrr", "ip_vs_sh", "nf_conntrack"] {
            let m = h.find("modules", "name", m);
            assert_eq!(
                (&m["state"], &m["status"]),
                (&"loaded".into(), &"ok".into())
            );
        }
        assert_eq!(h.find("modules", "name", "ip_vs_twos")["state"], "missing");
        let s = h.find("sysctls", "name", "net.ipv4.vs.conntrack");
        assert_eq!((&s["value"], &s["status"]), (&1.into(), &"ok".into()));
        assert_eq!(c["strict_arp"], true);
        let i = &c["interface"];
        assert_eq!((&i["present"], &i["kind"]), (&true.into(), &"dummy".into()));
        assert_eq!(
            i["addresses"],
            serde_json::json!(["10.96.0.1", "10.96.0.10"])
        );
        let v = h.find("virtual_addresses", "address", "192.168.50.10");
        assert_eq!(
            (&v["status"], &v["interfaces"]),
            (&"info".into(), &serde_json::json!(["eth-node"]))
        );
        assert_eq!(
            h.find("virtual_addresses", "address", "10.96.0.1")["status"],
            "ok"
        );
        assert_eq!(c["virtual_addresses"].as_array().unwrap().len(), 3);
        assert_eq!(c["services_without_servers"], serde_json::json!([]));
        assert_eq!(c["weight_zero_servers"], serde_json::json!([]));
    }

    sysctls.needs(&[
        ("sysctl", "net.ipv4.vs.conntrack"),
        ("sysctl", "net.ipv4.vs.expire_nodest_conn"),
        ("sysctl", "net.ipv4.ip_forward"),
    ]);
    let s = sysctls.find("sysctls", "name", "net.ipv4.ip_forward");
    assert_eq!((&s["value"], &s["expected"]), (&0.into(), &1.into()));

    no_kube_ipvs0.needs(&[
        ("interface", "kube-ipvs0"),
        ("address", "10.96.0.1"),
        ("address", "10.96.0.10"),
    ]);
    assert_eq!(no_kube_ipvs0.check()["interface"]["present"], false);
    let v = no_kube_ipvs0.find("virtual_addresses", "address", "10.96.0.1");
    assert_eq!(v["interfaces"], serde_json::json!([]));

    unbound.needs(&[("address", "10.96.0.99")]);

    no_servers.needs(&[("service", "TCP 10.96.0.10:8080")]);
    let s = &no_servers.check()["services_without_servers"][0];
    assert_eq!(
        (&s["protocol"], &s["address"], &s["port"]),
        (&"tcp".into(), &"10.96.0.10".into(), &8080.into())
    );

    // Quiesced with one connection open to it.
    weight_zero.needs(&[("server", "192.168.50.10:6443")]);
    let w = &weight_zero.check()["weight_zero_servers"][0];
    assert_eq!(
        (&w["server"]["weight"], &w["service"]["port"]),
        (&0.into(), &443.into())
    );
    assert_eq!(w["server"]["active_conns"], 1, "{}", weight_zero.text);
    assert!(weight_zero
        .text
        .contains("weight 0 in TCP 10.96.0.1:443: 1 active, 0 inactive connections"));

    no_sh.needs(&[("module", "ip_vs_sh")]);
    assert_eq!(
        no_sh.find("modules", "name", "ip_vs_sh")["state"],
        "available"
    );

    // The namespace's own table and interfaces, not the host's.
    netns.healthy();
    let c = netns.check();
    assert_eq!(
        (&c["ipvs"]["services"], &c["ipvs"]["servers"]),
        (&1.into(), &1.into())
    );
    let vips = c["virtual_addresses"].as_array().unwrap();
    assert_eq!(vips.len(), 1);
    assert_eq!(vips[0]["address"], "10.96.0.10");
    assert_eq!(vips[0]["interfaces"], serde_json::json!(["kube-ipvs0"]));
}
