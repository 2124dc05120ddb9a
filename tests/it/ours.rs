//! Kernel tests of the options ipvsadm 1.31 lacks (`-j`, `--netns`,
//! `-R --validate`, `-R --reconcile`), each checked against the reference
//! wherever it has an answer: JSON read back into the model must print as
//! the reference's listings; a namespace entered with `--netns` must hold
//! what the reference sees there through `ip netns exec`; a reconciled
//! table must be the one the reference restores from the same input.
//! Also the deliberate difference on a failed write of standard output
//! (told, exit 2, where the reference exits 0) and a closed pipe (SIGPIPE
//! for both); hostile `-R` input and arguments that are not UTF-8, run by
//! both tools, whose messages, exit statuses and tables must be the same;
//! `-R` when the kernel refuses many lines; packaging/deb/ipvsadm-rules,
//! the script of ipvsadm.service, whose start must give the table the
//! reference restores from the same rules file; `-L --metrics`, read by
//! promtool, whose counters must be the reference's `--stats --exact`;
//! and the text listings' two paths to the real servers (netlink, the
//! getsockopt short cut) against each other and the reference, still and
//! under churn.
//! Scripts in tests/kernel/ours/ print sections headed "=== NAME".

use std::collections::BTreeMap;
use std::net::IpAddr;

use serde_json::Value;

use ipvsadm::cli::Format;
use ipvsadm::format::{self, Names};
use ipvsadm::ipvs::{
    ConnCounts, Dest, DestConfig, Family, Forward, Info, Protocol, Service, ServiceConfig,
    ServiceId, Stats, TunnelType,
};
use ipvsadm::resolve::Table;

use crate::bed::{available, diff, repo, run_in_kernel, Work};
use crate::churn;

/// Run a script of tests/kernel/ours/ in a fresh test kernel; its sections.
pub(crate) fn sections(script: &str, extra: &[&str]) -> BTreeMap<String, String> {
    sections_with(script, extra, &[])
}

/// As `sections`, with these examples of ours (`examples/NAME.rs`, built
/// by `cargo test`) beside our binary in the tools folder.
fn sections_with(script: &str, extra: &[&str], examples: &[&str]) -> BTreeMap<String, String> {
    let work = Work::new(&format!("ours-{script}"));
    let bin = std::path::Path::new(env!("CARGO_BIN_EXE_ipvsadm"));
    for name in examples {
        let built = bin.parent().unwrap().join("examples").join(name);
        std::fs::copy(&built, work.tools().join(name))
            .unwrap_or_else(|e| panic!("example {name} not built ({e}): {}", built.display()));
    }
    sections_in(&work, script, extra)
}

/// `sections`, with `work` shared (files put there first are the script's).
pub(crate) fn sections_in(work: &Work, script: &str, extra: &[&str]) -> BTreeMap<String, String> {
    let path = repo().join("tests/kernel/ours").join(script);
    let tools = work.tools();
    let mut args = vec!["bash", path.to_str().unwrap(), tools.to_str().unwrap()];
    args.extend_from_slice(extra);
    let out = run_in_kernel(&work.dir, &args);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        text.contains("=== end\n"),
        "{script} did not finish: {out:?}\n{text}"
    );
    let mut map = BTreeMap::new();
    let mut name = String::from("preamble");
    let mut body = String::new();
    for line in text.split_inclusive('\n') {
        if let Some(n) = line.strip_prefix("=== ") {
            map.insert(std::mem::take(&mut name), std::mem::take(&mut body));
            name = n.trim_end().to_string();
        } else {
            body.push_str(line);
        }
    }
    map.insert(name, body);
    map
}

pub(crate) fn json(s: &str) -> Value {
    serde_json::from_str(s).unwrap_or_else(|e| panic!("not JSON ({e}): {s}"))
}

pub(crate) fn u64_of(v: &Value, k: &str) -> u64 {
    v[k].as_u64()
        .unwrap_or_else(|| panic!("{k} missing in {v}"))
}

fn stats_of(v: &Value) -> Stats {
    let (s, r) = (&v["stats"], &v["rates"]);
    Stats {
        conns: u64_of(s, "conns"),
        inpkts: u64_of(s, "inpkts"),
        outpkts: u64_of(s, "outpkts"),
        inbytes: u64_of(s, "inbytes"),
        outbytes: u64_of(s, "outbytes"),
        cps: u64_of(r, "cps"),
        inpps: u64_of(r, "inpps"),
        outpps: u64_of(r, "outpps"),
        inbps: u64_of(r, "inbps"),
        outbps: u64_of(r, "outbps"),
    }
}

fn addr(v: &Value) -> IpAddr {
    v.as_str().unwrap().parse().unwrap()
}

/// A service of the JSON document back in the model.
fn service_of(v: &Value) -> (Service, Vec<Dest>) {
    let family = match v["family"].as_str().unwrap() {
        "inet" => Family::Inet,
        "inet6" => Family::Inet6,
        f => panic!("family {f}"),
    };
    let id = match v["fwmark"].as_u64() {
        Some(mark) => ServiceId::Fwmark {
            family,
            mark: mark as u32,
        },
        None => ServiceId::Addr {
            protocol: match v["protocol"].as_str().unwrap() {
                "tcp" => Protocol::Tcp,
                "udp" => Protocol::Udp,
                "sctp" => Protocol::Sctp,
                p => Protocol::Other(p.parse().unwrap()),
            },
            addr: addr(&v["address"]),
            port: u64_of(v, "port") as u16,
        },
    };
    let persistence = &v["persistence"];
    let (timeout, netmask) = if persistence.is_null() {
        // Not shown by any listing; the kernel's defaults.
        (
            0,
            if family == Family::Inet {
                u32::MAX
            } else {
                128
            },
        )
    } else {
        let nm = match &persistence["netmask"] {
            Value::String(s) => ServiceConfig::raw_netmask_v4(s.parse().unwrap()),
            n => n.as_u64().unwrap() as u32,
        };
        (u64_of(persistence, "timeout") as u32, nm)
    };
    let svc = Service {
        id,
        config: ServiceConfig {
            scheduler: v["scheduler"].as_str().unwrap().into(),
            flags: u64_of(v, "flags_value") as u32,
            timeout,
            netmask,
            pe_name: v["pe"].as_str().unwrap_or("").into(),
        },
        stats: stats_of(v),
    };
    let dests = v["servers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let tunnel = &d["tunnel"];
            let forward = match d["forward"].as_str().unwrap() {
                "masq" => Forward::Masq,
                "local" => Forward::Local,
                "tunnel" => Forward::Tunnel,
                "route" => Forward::Route,
                "bypass" => Forward::Bypass,
                f => Forward::Other(f.parse().unwrap()),
            };
            let (tun_type, tun_port, tun_flags) = if tunnel.is_null() {
                (TunnelType::Ipip, 0, 0)
            } else {
                (
                    match tunnel["type"].as_str().unwrap() {
                        "ipip" => TunnelType::Ipip,
                        "gue" => TunnelType::Gue,
                        "gre" => TunnelType::Gre,
                        t => TunnelType::Other(t.parse().unwrap()),
                    },
                    u64_of(tunnel, "port") as u16,
                    match tunnel["checksum"].as_str().unwrap() {
                        "nocsum" => 0,
                        "csum" => 1,
                        "remcsum" => 2,
                        c => c.parse().unwrap(),
                    },
                )
            };
            Dest {
                addr: addr(&d["address"]),
                port: u64_of(d, "port") as u16,
                config: DestConfig {
                    forward,
                    weight: u64_of(d, "weight") as u32,
                    u_threshold: u64_of(d, "u_threshold") as u32,
                    l_threshold: u64_of(d, "l_threshold") as u32,
                    tun_type,
                    tun_port,
                    tun_flags,
                },
                conns: ConnCounts {
                    active: u64_of(d, "active_conns") as u32,
                    inactive: u64_of(d, "inactive_conns") as u32,
                    persistent: u64_of(d, "persistent_conns") as u32,
                },
                stats: stats_of(d),
            }
        })
        .collect();
    (svc, dests)
}

/// A listing document printed by our text formatters (`-L` of the
/// table: with its header line; of one service: without).
fn as_text(doc: &Value, f: &Format) -> String {
    as_text_with(doc, f, true)
}

fn as_text_with(doc: &Value, f: &Format, header: bool) -> String {
    let info = Info {
        version: u64_of(&doc["ipvs"], "version_code") as u32,
        conn_tab_size: u64_of(&doc["ipvs"], "conn_tab_size") as u32,
    };
    let empty = Table::default();
    let names = Names::new(&empty);
    let mut s = if f.rule || !header {
        String::new()
    } else {
        format::header(&info)
    };
    s.push_str(&format::title(f));
    for v in doc["services"].as_array().unwrap() {
        let (svc, dests) = service_of(v);
        format::service_entry(&mut s, &svc, &dests, f, &names);
    }
    s
}

fn numeric() -> Format {
    Format {
        numeric: true,
        ..Default::default()
    }
}

/// The schema of the listing documents, as committed under docs/.
fn listing_schema() -> Value {
    json(&std::fs::read_to_string(repo().join("docs/ipvsadm.schema.json")).unwrap())
}

/// json-table's last sections: `-c` and `-Lnc` of both tools on 3,000
/// connections made through the sync protocol (issue 29, item 3: ours
/// reads the proc file in chunks).
fn bulk_conn_bytes_are_the_references(s: &BTreeMap<String, String>) {
    // The suite's own traffic left a few connections beside the 3,000.
    let lines: usize = s["bulk-conn-lines"].trim().parse().unwrap_or(0);
    assert!(lines >= 3002, "{}", s["closed-pipe"]);
    // The two tools read the table one after the other: a connection's
    // seconds left may tick between them, so the expiry column (the
    // second) is left out of the comparison, and nothing else.
    let masked = |text: &str| -> Vec<String> {
        text.lines()
            .map(|l| match l.split_once(' ') {
                Some((proto, rest)) if proto.len() == 3 && !l.starts_with("Pro") => {
                    let rest = rest.trim_start();
                    let after = rest.find(' ').map_or("", |i| rest[i..].trim_start());
                    format!("{proto} EXPIRES {after}")
                }
                _ => l.to_string(),
            })
            .collect()
    };
    for (r, o) in [
        ("ref-bulk-c", "ours-bulk-c"),
        ("ref-bulk-nc", "ours-bulk-nc"),
    ] {
        assert!(s[r].lines().count() >= 3002, "{r}: {}", s[r]);
        let (want, got) = (masked(&s[r]), masked(&s[o]));
        assert!(want == got, "{o} differs from {r}");
    }
}

#[test]
fn json_holds_everything_the_reference_lists() {
    if !available("json_holds_everything_the_reference_lists") {
        return;
    }
    let s = sections_with("json-table", &[], &["conn-sync"]);
    bulk_conn_bytes_are_the_references(&s);
    let schema = listing_schema();
    for name in [
        "json",
        "json-one",
        "json-nosort",
        "json-timeout",
        "json-daemon",
        "json-conn",
    ] {
        let doc = json(&s[name]);
        assert!(s[name].ends_with("}\n") && s[name].lines().count() == 1);
        if let Err(e) = crate::schema::validate(&schema, &doc) {
            panic!("{name} does not follow docs/ipvsadm.schema.json: {e}\n{doc}");
        }
        assert_eq!(doc["schema_version"], 1);
    }
    let doc = json(&s["json"]);
    assert_eq!(doc["services"].as_array().unwrap().len(), 7, "{doc}");
    // Each reference listing, printed from the JSON by our formatters.
    // Connection counts move as connections close, so a listing may match
    // the reference's run just before the JSON or just after it.
    let either = |want: &[&str], f: Format| {
        let got = as_text(&doc, &f);
        if !want.iter().any(|w| s[*w] == got) {
            panic!("{}", diff(want[0], s[want[0]].as_bytes(), got.as_bytes()));
        }
    };
    either(
        &["ref-Sn"],
        Format {
            rule: true,
            ..numeric()
        },
    );
    either(
        &["ref-stats", "ref-stats-after"],
        Format {
            stats: true,
            exact: true,
            ..numeric()
        },
    );
    either(
        &["ref-thresholds", "ref-thresholds-after"],
        Format {
            thresholds: true,
            ..numeric()
        },
    );
    either(
        &["ref-tun"],
        Format {
            tun_info: true,
            ..numeric()
        },
    );
    either(
        &["ref-pconn"],
        Format {
            persistent_conn: true,
            ..numeric()
        },
    );
    // Traffic went through: the counters are real, and exact.
    let first = &doc["services"][0];
    assert!(first["stats"]["conns"].as_u64().unwrap() >= 5, "{first}");
    // One service, and the kernel's order.
    let one = json(&s["json-one"]);
    assert_eq!(one["services"].as_array().unwrap().len(), 1);
    let one_text = as_text_with(
        &one,
        &Format {
            stats: true,
            exact: true,
            ..numeric()
        },
        false,
    );
    assert_eq!(one_text, s["ref-one"]);
    let nosort = as_text(
        &json(&s["json-nosort"]),
        &Format {
            nosort: true,
            ..numeric()
        },
    );
    assert_eq!(nosort, s["ref-nosort"]);
    // Timeouts, daemons and connections, against the reference's text.
    let t = &json(&s["json-timeout"])["timeouts"];
    assert_eq!(
        format!(
            "Timeout (tcp tcpfin udp): {} {} {}\n",
            t["tcp"], t["tcp_fin"], t["udp"]
        ),
        s["ref-timeout"]
    );
    let d = &json(&s["json-daemon"])["daemons"][0];
    assert_eq!(
        format!(
            "{} sync daemon (mcast={}, syncid={}",
            d["state"].as_str().unwrap(),
            d["mcast_interface"].as_str().unwrap(),
            d["syncid"]
        ),
        s["ref-daemon"]
            .split(&[',', ')'][..])
            .take(2)
            .collect::<Vec<_>>()
            .join(",")
    );
    let conns = json(&s["json-conn"]);
    let conns = conns["connections"].as_array().unwrap();
    let ref_lines: Vec<&str> = s["ref-conn"].lines().skip(2).collect();
    assert_eq!(conns.len(), ref_lines.len(), "{}", s["ref-conn"]);
    assert!(!conns.is_empty(), "no connection entries to compare");
    for (c, line) in conns.iter().zip(&ref_lines) {
        let w: Vec<&str> = line.split_whitespace().collect();
        let ep = |e: &Value| {
            let a = e["address"].as_str().unwrap();
            if a.contains(':') {
                format!("[{a}]:{}", e["port"])
            } else {
                format!("{a}:{}", e["port"])
            }
        };
        assert_eq!(c["protocol"].as_str().unwrap().to_uppercase(), w[0]);
        assert_eq!(c["state"].as_str().unwrap(), w[2]);
        assert_eq!(ep(&c["client"]), w[3]);
        assert_eq!(ep(&c["virtual"]), w[4]);
        assert_eq!(ep(&c["server"]), w[5]);
    }
    assert_eq!(s["json-rc"], s["ref-rc"]);
    // Same boot: what a failed write of standard output becomes.
    write_errors_are_told(&s);
}

/// Ours (a deliberate difference): standard output that cannot be written
/// is told, exit 2, on every output path; the reference exits 0 with a
/// truncated listing. A closed pipe kills both with SIGPIPE.
fn write_errors_are_told(s: &BTreeMap<String, String>) {
    let told = "rc=2 ipvsadm: write error: No space left on device";
    let mut seen = 0;
    for line in s["full"].lines() {
        let (who, rest) = line.split_once(": ").unwrap();
        if who.starts_with("ref ") {
            assert_eq!(rest, "rc=0 ", "{line}");
        } else if who.starts_with("ours ipvsadm-save") {
            assert_eq!(rest, told.replace("ipvsadm:", "ipvsadm-save:"), "{line}");
        } else {
            assert_eq!(rest, told, "{line}");
        }
        seen += 1;
    }
    // 10 commands both tools know, 8 of ours alone.
    assert_eq!(seen, 2 * 10 + 8, "{}", s["full"]);
    // The plan could not be printed; the change was made all the same.
    assert!(s["after-reconcile"].contains("TCP  10.9.9.9:80 rr\n"));
    // A disk that fills up: both files are cut short at the same size;
    // only ours says so.
    assert_eq!(
        s["small-disk"],
        "ours rc=2 bytes=4096 ipvsadm: write error: No space left on device\n\
         ref rc=0 bytes=4096 \n"
    );
    assert!(s["small-disk-whole"].trim().parse::<usize>().unwrap() > 4096);
    assert_eq!(
        s["closed-pipe"],
        "ours -Ln: 141\nref -Ln: 141\nours -Sn: 141\nref -Sn: 141\n\
         ours -Ln -j: 141\nours ipvsadm-save -n: 141\nref ipvsadm-save -n: 141\n"
    );
}

#[test]
fn netns_runs_the_command_in_that_namespace() {
    if !available("netns_runs_the_command_in_that_namespace") {
        return;
    }
    let s = sections_with("netns", &[], LIB_EXAMPLES);
    assert_eq!(s["add"], "rc=0\nrc=0\nrc=0\n");
    // The root namespace holds only what the reference put there.
    assert_eq!(s["root-ref"], "-A -t 10.0.0.9:80 -s rr\n");
    assert!(s["inside-ref"].contains("-A -t 10.0.0.1:80 -s rr\n"));
    assert!(s["inside-ref"].contains("-a -t 10.0.0.1:80 -r 10.0.0.2:8080 -m -w 2\n"));
    assert!(s["inside-ref"].contains("-A -u 10.0.0.1:53 -s wlc\n"));
    assert_eq!(s["inside-ours"], s["inside-ref"]);
    assert_eq!(s["inside-ours-list"], s["inside-ref-list"]);
    assert_eq!(s["by-pid"], s["inside-ref"]);
    let doc = json(&s["json"]);
    assert_eq!(doc["services"].as_array().unwrap().len(), 2);
    assert_eq!(
        s["missing"],
        "Cannot open network namespace \"nosuch\": No such file or directory\nrc=2\n"
    );
    assert_eq!(
        s["not-a-namespace"],
        "setting the network namespace \"/etc/passwd\" failed: Invalid argument\nrc=2\n"
    );
    // Nothing blocks on a FIFO (timeout 10 would end it with 124).
    assert_eq!(
        s["fifo"],
        "setting the network namespace \"/tmp/fifo\" failed: Invalid argument\nrc=2\n"
    );
    assert_eq!(
        s["directory"],
        "setting the network namespace \"/tmp\" failed: Invalid argument\nrc=2\n"
    );
    assert_eq!(s["twice"], "multiple 'netns' options specified\nrc=2\n");
    assert!(
        s["in-restore"].starts_with("The '--netns' option is not allowed in a restore line\n"),
        "{}",
        s["in-restore"]
    );
    assert!(
        s["unprivileged"]
            .starts_with("setting the network namespace \"t1\" failed: Operation not permitted\n")
            && s["unprivileged"].ends_with("rc=2\n"),
        "{}",
        s["unprivileged"]
    );
    lib_examples_match_the_reference(&s);
}

/// The IPVS library's examples (crates/ipvs-client/examples), built by
/// `cargo test` of the workspace.
const LIB_EXAMPLES: &[&str] = &["add_service", "apply", "drain", "list", "watch"];

/// A listing's lines as a set: two namespaces hash their services in
/// different orders.
fn line_set(text: &str) -> std::collections::BTreeSet<&str> {
    text.lines().collect()
}

/// The library's examples, run in namespace `lib` (opened there by
/// `Client::connect_in`), made the table the reference made in `libref`
/// with its own commands, as the reference lists both; the example's
/// listing holds what the reference's does; the watcher saw each change.
fn lib_examples_match_the_reference(s: &BTreeMap<String, String>) {
    assert_eq!(
        s["lib-add"],
        "added 10.1.0.1:80 with 2 real servers\nrc=0\n"
    );
    for step in ["add", "drain", "apply"] {
        let (got, want) = (
            &s[&format!("lib-{step}-ref")],
            &s[&format!("lib-{step}-want")],
        );
        assert!(want.contains("-A -t 10.1.0.1:80 -s rr\n"), "{step}: {want}");
        assert_eq!(line_set(got), line_set(want), "after {step}");
    }
    // Each real server of the reference's -Ln, as the example lists it.
    let ours = line_set(&s["lib-list"]);
    let mut servers = 0;
    let rows = s["lib-list-ref"].lines().filter(|l| l.starts_with("  -> "));
    // The first is the title ("  -> RemoteAddress:Port ...").
    for line in rows.skip(1) {
        let w: Vec<&str> = line.split_whitespace().collect();
        let (addr, fwd, weight, active, inactive) = (w[1], w[2], w[3], w[4], w[5]);
        let shown = format!(
            "  -> {addr} {} weight {weight} active {active} inactive {inactive}",
            fwd.to_lowercase()
        );
        assert!(ours.contains(shown.as_str()), "{shown} not in {ours:?}");
        servers += 1;
    }
    assert_eq!(servers, 2, "{}", s["lib-list-ref"]);
    assert!(ours.contains("Tcp 10.1.0.1:80 rr conns 0"), "{ours:?}");
    // The fastest proved path (`table_defs`) lists the same, but for the
    // services' traffic counters, which it does not carry.
    let counted: Vec<String> = s["lib-list"]
        .lines()
        .map(|l| l.split(" conns ").next().unwrap_or(l).to_string())
        .collect();
    let defs: Vec<&str> = s["lib-list-defs"].lines().collect();
    assert_eq!(defs, counted, "{}", s["lib-list-defs"]);
    assert_eq!(
        s["lib-drain"],
        "drained 10.1.1.2:8080: 0 active, 0 inactive connections left\nrc=0\n"
    );
    // The fewest changes: a new service with its server, a new server, a
    // removed one (the drained server is kept at weight 0); then none.
    assert!(
        s["lib-apply"].ends_with("4 changes, 0 failed\nrc=0\n"),
        "{}",
        s["lib-apply"]
    );
    assert_eq!(s["lib-apply-again"], "0 changes, 0 failed\nrc=0\n");
    let watch = &s["lib-watch"];
    for seen in [
        "watching 1 services",
        "~ Tcp 10.1.0.1:80 -> 10.1.1.2:8080 weight 1 -> 0",
        "+ Tcp 10.1.0.2:80",
        "+ Tcp 10.1.0.2:80 -> 10.1.1.4:8080 weight 1",
        "+ Tcp 10.1.0.1:80 -> 10.1.1.3:8080 weight 2",
        "- Tcp 10.1.0.1:80 -> 10.1.1.1:8080",
    ] {
        assert!(watch.lines().any(|l| l == seen), "{seen:?} not in {watch}");
    }
    // Nothing of it reached the root namespace.
    assert_eq!(s["lib-root"], "-A -t 10.0.0.9:80 -s rr\n");
}

#[test]
fn restore_validate_and_reconcile() {
    if !available("restore_validate_and_reconcile") {
        return;
    }
    let s = sections("restore-modes", &[repo().to_str().unwrap()]);
    // Validation: every bad line, numbered, as the reference words it
    // (line 6 is ours: the reference does not know --netns), and the
    // module never loaded.
    assert_eq!(s["validate-modules-after"], s["validate-modules-before"]);
    let ours: Vec<&str> = s["validate"]
        .lines()
        .filter(|l| !l.starts_with("line 6:"))
        .collect();
    let reference: Vec<&str> = s["validate-ref"]
        .lines()
        .filter(|l| !l.starts_with("line 6:"))
        .collect();
    assert_eq!(ours.last(), Some(&"rc=1"), "{}", s["validate"]);
    assert_eq!(ours[..ours.len() - 1], reference[..], "{}", s["validate"]);
    assert!(
        s["validate"].contains("line 6: The '--netns' option is not allowed in a restore line\n")
    );
    assert_eq!(s["validate-good"], "rc=0\n");
    // Reconcile from empty: the reference's table from the same input.
    assert!(s["reconcile-from-empty"].ends_with("rc=0\n"));
    assert!(!s["table-a-ref"].is_empty());
    assert_eq!(s["table-a-ours"], s["table-a-ref"]);
    assert_eq!(
        s["reconcile-again"], "rc=0\n",
        "an unchanged table needs no change"
    );
    // A plan only, then the changes themselves.
    let plan = &s["plan-b"];
    assert_eq!(
        plan,
        "-A -t 10.96.200.1:80 -s rr -p 120\n\
         -a -t 10.96.200.1:80 -r 10.244.200.1:80 -m -w 1 -x 20 -y 10\n\
         -E -t 10.96.0.20:80 -s wrr\n\
         -a -t 10.96.0.20:80 -r 10.244.9.9:80 -m -w 1\n\
         -e -t 10.96.0.21:1080 -r 10.244.0.5:8080 -m -w 7\n\
         -d -t 10.96.0.22:2080 -r 10.244.0.9:8081\n\
         -D -t 10.96.0.23:3080\n\
         rc=0\n",
        "{plan}"
    );
    assert_eq!(s["table-still-a"], "same\n");
    assert_eq!(s["reconcile-b"], *plan);
    assert_eq!(s["table-b-ours"], s["table-b-ref"]);
    assert!(s["thresholds-b"].contains("10.244.200.1:80"));
    assert!(s["thresholds-b"].contains(" 20 "), "{}", s["thresholds-b"]);
    // A bad line: reported, nothing changed.
    assert!(
        s["reconcile-bad"].contains("line ")
            && s["reconcile-bad"].ends_with("nothing was changed\nrc=1\n"),
        "{}",
        s["reconcile-bad"]
    );
    assert_eq!(s["table-still-b"], "same\n");
    // A kernel refusal: reported with ipvsadm's message, the rest applied.
    assert!(
        s["reconcile-refused"].starts_with(
            "-A -t 10.96.201.1:80 -s nosuchsched\n-A -t 10.96.201.1:80 -s nosuchsched: "
        ) && s["reconcile-refused"].ends_with("rc=1\n"),
        "{}",
        s["reconcile-refused"]
    );
    assert_eq!(s["after-refused"], "same\n");
}

/// The `key=value` lines of a section.
fn keys(section: &str) -> BTreeMap<&str, &str> {
    section.lines().filter_map(|l| l.split_once('=')).collect()
}

#[test]
fn restore_when_the_kernel_refuses_lines() {
    if !available("restore_when_the_kernel_refuses_lines") {
        return;
    }
    let s = sections_with("restore-errors", &[], &["batch-probe"]);
    // Every kernel error -R can meet, N times, alone and between good
    // lines: ours prints what the reference prints, in its order, exits
    // as it does and leaves the same table.
    let mut cases: Vec<(String, usize)> = Vec::new();
    for n in [1, 300, 2000, 20000] {
        for kind in [
            "service-exists",
            "edit-no-service",
            "delete-no-service",
            "server-no-service",
            "server-exists",
            "edit-no-server",
            "delete-no-server",
            "interleaved",
        ] {
            cases.push((format!("{kind}-{n}"), n));
        }
    }
    cases.push(("no-scheduler-1".into(), 1));
    cases.push(("no-scheduler-300".into(), 300));
    cases.push(("table-onto-itself".into(), 20000));
    for (name, n) in &cases {
        let body = s
            .get(name)
            .unwrap_or_else(|| panic!("no section {name}: {s:?}"));
        assert!(
            body.contains(&format!("refused={n} rc=255\n")),
            "{name}: the reference should refuse {n} lines:\n{body}"
        );
        assert!(body.ends_with("same\n"), "{name}:\n{body}");
    }
    // Two restores at once: both end, with every real server of both.
    for who in ["ref", "ours"] {
        assert!(
            s["concurrent"].contains(&format!("{who}: services=5000 servers=30000 timeout=no\n")),
            "{}",
            s["concurrent"]
        );
    }
    // A reconcile beside another writer ends each time, loses no answer,
    // and converges once the writer stops.
    let r = &s["reconcile-beside-a-writer"];
    assert_eq!(r.matches(" lost=0\n").count(), 3, "{r}");
    assert!(!r.contains("rc=124"), "{r}");
    assert!(r.ends_with("final: rc=0\nconverged\n"), "{r}");
    // The overrun provoked on purpose: the answers the kernel kept are
    // exactly the first ones, the rest are reported unknown, the socket
    // still works, and batches bounded as the client bounds them lose
    // nothing. The kernel charges an answer at most half of REPLY_COST.
    let p = keys(&s["probe"]);
    let num = |k: &str| -> usize {
        p.get(k)
            .unwrap_or_else(|| panic!("probe: no {k}: {p:?}"))
            .parse()
            .unwrap()
    };
    // As root the buffer is raised past rmem_max: a batch is then cut by
    // its 128 KiB (some 900 changes), not by the answers it may draw.
    assert!(num("default_rcvbuf") >= 8 << 20, "{p:?}");
    assert!(num("default_limit") >= 4096, "{p:?}");
    assert!(num("refused") > 0 && num("unknown") > 0, "{p:?}");
    assert_eq!(num("refused") + num("unknown"), 2000, "{p:?}");
    assert_eq!((p["order"], p["after"]), ("ok", "ok"), "{p:?}");
    assert_eq!(num("limit_after_loss"), 1, "{p:?}");
    assert!(num("cost") * 2 <= ipvsadm::ipvs::batch::REPLY_COST, "{p:?}");
    assert_eq!((num("bounded_refused"), num("bounded_unknown")), (2000, 0));
}

/// xorshift64, for inputs that are the same from run to run.
fn xorshift(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

/// Random bytes for `-R`: uniform (junk1); valid lines and then a line of
/// random bytes (junk2); words that look like ipvsadm's, NUL bytes, bytes
/// that are not UTF-8 and separators, mixed (junk3).
fn junk_inputs(dir: &std::path::Path) {
    let mut r = 0x2545_f491_4f6c_dd1d_u64;
    let uniform: Vec<u8> = (0..1 << 20).map(|_| xorshift(&mut r) as u8).collect();
    let mut lines = Vec::new();
    for i in 0..100 {
        lines.extend_from_slice(format!("-A -t 10.96.1.{i}:80 -s rr\n").as_bytes());
    }
    lines.extend((0..200).map(|_| xorshift(&mut r) as u8));
    lines.push(b'\n');
    let pieces: &[&[u8]] = &[
        b"-A",
        b"-a",
        b"-t",
        b"-r",
        b"10.96.0.1:80",
        b"-s",
        b"rr",
        b"\0",
        b"\xc3",
        b"\xff",
        b"ipvsadm",
        b"#",
        b" ",
        b" ",
        b"\t",
        b"\r",
        b"\n",
        b"\n",
    ];
    let mut mixed = Vec::new();
    while mixed.len() < 1 << 16 {
        let p = pieces[(xorshift(&mut r) % pieces.len() as u64) as usize];
        mixed.extend_from_slice(p);
    }
    std::fs::create_dir_all(dir).unwrap();
    for (name, bytes) in [("junk1", uniform), ("junk2", lines), ("junk3", mixed)] {
        std::fs::write(dir.join(name), bytes).unwrap();
    }
}

#[test]
fn hostile_input_and_raw_bytes_as_the_reference() {
    if !available("hostile_input_and_raw_bytes_as_the_reference") {
        return;
    }
    let work = Work::new("ours-hostile-input");
    let inputs = work.dir.join("inputs");
    junk_inputs(&inputs);
    let s = sections_in(&work, "hostile-input", &[inputs.to_str().unwrap()]);
    let mut compared = 0;
    for (name, ours) in &s {
        let Some(case) = name.strip_suffix(" ours") else {
            continue;
        };
        let reference = &s[&format!("{case} ref")];
        assert!(
            ours == reference,
            "{case}:\n{}",
            diff(case, reference.as_bytes(), ours.as_bytes())
        );
        // Every run ended by itself.
        assert!(!ours.contains("rc=124 "), "{case}: timed out\n{ours}");
        compared += 1;
    }
    assert_eq!(compared, 4 + 3 + 2 * 19, "{s:?}");
    // The reference's answer to 8 MB of NUL bytes: its usage hint, 255.
    assert!(s["nul ref"].starts_with("rc=255 "), "{}", s["nul ref"]);
    // A million blank lines between two good lines: both applied.
    assert!(s["blank ours"].contains("-a -t 10.96.0.1:80 -r 10.244.0.1:80 -m -w 1"));
    // Ours only: validation and reconcile of the big inputs end, refusing
    // line 1 with the reference's message and changing nothing.
    for case in [
        "nul validate",
        "nul reconcile",
        "word validate",
        "word reconcile",
    ] {
        let v = &s[case];
        assert!(v.starts_with("rc=1 "), "{case}: {v}");
    }
}

#[test]
fn service_script_start_reload_stop_save() {
    if !available("service_script_start_reload_stop_save") {
        return;
    }
    // Debian's own conffiles, from Debian's package, shared with the VM.
    let work = Work::new("ours-package-service");
    let debian = work.dir.join("debian");
    let got = std::process::Command::new(repo().join("packaging/deb/debian-ipvsadm"))
        .arg("--conffiles")
        .arg(&debian)
        .output()
        .expect("run packaging/deb/debian-ipvsadm");
    assert!(got.status.success(), "debian-ipvsadm: {got:?}");
    let s = sections_in(
        &work,
        "package-service",
        &[repo().to_str().unwrap(), debian.to_str().unwrap()],
    );
    // start: the reference's -R of the same file, comments removed; both
    // sync daemons on IFACE with SYNCID. A second start changes nothing.
    assert!(s["start"].ends_with("rc=0\n"), "{}", s["start"]);
    assert!(s["start-table-ref"].lines().count() > 500);
    assert_eq!(s["start-table-ours"], s["start-table-ref"]);
    let daemons = &s["start-daemons"];
    assert!(
        daemons.starts_with("master sync daemon (mcast=lo, syncid=7,")
            && daemons.contains("\nbackup sync daemon (mcast=lo, syncid=7,"),
        "{daemons}"
    );
    assert_eq!(s["start-again"], "rc=0\n");
    assert_eq!(s["reload-unchanged"], "rc=0\n");
    // reload after an edit: only what changed, then nothing.
    assert_eq!(
        s["reload"],
        "-A -t 10.96.200.1:80 -s wrr\n\
         -a -t 10.96.200.1:80 -r 10.244.200.1:80 -m -w 3\n\
         -e -t 10.96.0.21:1080 -r 10.244.0.5:8080 -m -w 7\n\
         -D -t 10.96.0.23:3080\n\
         rc=0\n"
    );
    assert_eq!(s["reload-again"], "rc=0\n");
    assert_eq!(s["reload-table-ours"], s["reload-table-ref"]);
    // stop: the daemons go, the table stays; stop and restart repeat safely.
    assert_eq!(s["stop"], "rc=0\n");
    assert_eq!(s["stop-daemons"], "");
    assert_eq!(s["stop-again"], "rc=0\n");
    assert_eq!(s["stop-table"], "same\n");
    assert_eq!(s["restart"], "rc=0\n");
    assert_eq!(s["restart-table"], "same\n");
    assert_eq!(s["restart-daemons"], *daemons);
    // save: Debian's header line, then what the reference's ipvsadm-save -n
    // writes, with the live change; mode 644, no temporary file left.
    assert_eq!(s["save"], "rc=0\n");
    assert!(s["save-ref"].contains("-A -t 10.96.200.1:80 -s rr\n"));
    assert_eq!(
        s["save-file"],
        format!("# ipvsadm.rules\n{}", s["save-ref"])
    );
    assert_eq!(s["save-mode"], "644\n");
    assert_eq!(s["save-left"], "ipvsadm.rules\n");
    assert!(
        s["save-fails"].ends_with("rc=1\nunchanged\nipvsadm.rules\n"),
        "{}",
        s["save-fails"]
    );
    // No rules file: an error, never an emptied table.
    assert!(
        s["missing-rules"].ends_with("rc=1\nsame\n"),
        "{}",
        s["missing-rules"]
    );
    assert_eq!(s["auto-false"], "rc=0\n0\n");
    // Debian's settings file as a host has it, and a kept rules file of
    // 1,000 services: the reference's table of that file, no daemon.
    assert!(
        s["debian-start"].ends_with("rc=0\n"),
        "{}",
        s["debian-start"]
    );
    assert!(s["debian-table-ref"].lines().count() > 2000);
    assert_eq!(s["debian-table-ours"], s["debian-table-ref"]);
    assert_eq!(s["debian-daemons"], "");
}

/// The counters of a reference `-Ln --stats --exact` listing, by service
/// (`TCP 10.96.7.7:80`, `FWM 5 IPv6`) and by server (`SERVICE -> ADDR`):
/// conns, inpkts, outpkts, inbytes, outbytes.
fn ref_counters(listing: &str) -> BTreeMap<String, Vec<u64>> {
    let mut map = BTreeMap::new();
    let mut service = String::new();
    for line in listing.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        if words.len() < 6 || words[0] == "Prot" || words[0] == "IP" {
            continue;
        }
        let (key, nums) = words.split_at(words.len() - 5);
        let nums: Vec<u64> = nums.iter().map(|n| n.parse().unwrap()).collect();
        if key[0] == "->" {
            map.insert(format!("{service} -> {}", key[1]), nums);
        } else {
            service = key.join(" ");
            map.insert(service.clone(), nums);
        }
    }
    map
}

/// Weight, active and inactive connections of each server of a reference
/// `-Ln` listing, keyed as `ref_counters` keys them.
fn ref_servers(listing: &str) -> BTreeMap<String, Vec<u64>> {
    let mut map = BTreeMap::new();
    let mut service = String::new();
    for line in listing.lines().skip(3) {
        let words: Vec<&str> = line.split_whitespace().collect();
        if words.is_empty() {
            continue;
        }
        if words[0] == "->" {
            let nums = words[3..6].iter().map(|n| n.parse().unwrap()).collect();
            map.insert(format!("{service} -> {}", words[1]), nums);
        } else {
            // The scheduler and flags follow the service's name.
            let n = if words[0] == "FWM" && words.get(2) == Some(&"IPv6") {
                3
            } else {
                2
            };
            service = words[..n].join(" ");
        }
    }
    map
}

/// The samples of a metrics text: (name, labels, value).
fn samples(text: &str) -> Vec<(String, BTreeMap<String, String>, u64)> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with("rc="))
        .map(|l| {
            let (series, value) = l.rsplit_once(' ').unwrap();
            let (name, labels) = match series.split_once('{') {
                Some((n, rest)) => (n, rest.strip_suffix('}').unwrap()),
                None => (series, ""),
            };
            let labels = labels
                .split(',')
                .filter(|p| !p.is_empty())
                .map(|p| {
                    let (k, v) = p.split_once('=').unwrap();
                    (k.to_string(), v.trim_matches('"').to_string())
                })
                .collect();
            (name.to_string(), labels, value.parse().unwrap())
        })
        .collect()
}

/// The key `ref_counters` gives the service or server these labels name.
fn key_of(l: &BTreeMap<String, String>) -> String {
    let ep = |a: &str, p: &str| {
        if a.contains(':') {
            format!("[{a}]:{p}")
        } else {
            format!("{a}:{p}")
        }
    };
    let mut key = if l["proto"] == "FWM" {
        let v6 = if l["family"] == "inet6" { " IPv6" } else { "" };
        format!("FWM {}{v6}", l["local_mark"])
    } else {
        format!(
            "{} {}",
            l["proto"],
            ep(&l["local_address"], &l["local_port"])
        )
    };
    if let Some(r) = l.get("remote_address") {
        key = format!("{key} -> {}", ep(r, &l["remote_port"]));
    }
    key
}

/// A metrics text as `ref_counters` and `ref_servers` give the reference's.
type ByKey = BTreeMap<String, Vec<u64>>;
fn metric_maps(text: &str) -> (ByKey, ByKey) {
    const COUNTERS: [&str; 5] = [
        "connections_total",
        "incoming_packets_total",
        "outgoing_packets_total",
        "incoming_bytes_total",
        "outgoing_bytes_total",
    ];
    const SERVER: [&str; 3] = [
        "backend_weight",
        "backend_connections_active",
        "backend_connections_inactive",
    ];
    let (mut counters, mut servers) = (ByKey::new(), ByKey::new());
    for (name, labels, value) in samples(text) {
        let name = name.strip_prefix("ipvsadm_").unwrap();
        let short = name
            .strip_prefix("service_")
            .or_else(|| name.strip_prefix("backend_"));
        if let Some(i) = short.and_then(|s| COUNTERS.iter().position(|c| *c == s)) {
            counters.entry(key_of(&labels)).or_insert(vec![0; 5])[i] = value;
        }
        if let Some(i) = SERVER.iter().position(|c| *c == name) {
            servers.entry(key_of(&labels)).or_insert(vec![0; 3])[i] = value;
        }
    }
    (counters, servers)
}

/// `promtool check metrics` on `text`; false (said loudly) where promtool
/// is missing outside CI.
fn promtool_accepts(text: &str) -> bool {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let child = Command::new("promtool")
        .args(["check", "metrics"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) => {
            let ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false");
            assert!(
                !ci,
                "promtool must run in CI (apt-get install prometheus): {e}"
            );
            println!(
                "\n==================== SKIP ====================\n\
                 promtool is not installed (apt-get install prometheus):\n\
                 the metrics were NOT checked by Prometheus's parser.\n\
                 ==============================================\n"
            );
            return false;
        }
    };
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "promtool check metrics: {}{}\n{text}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    true
}

#[test]
fn metrics_after_traffic_hold_the_reference_counters() {
    if !available("metrics_after_traffic_hold_the_reference_counters") {
        return;
    }
    let s = sections_with("metrics", &[], &["widen-check"]);
    for name in ["metrics", "metrics-n", "metrics-one", "metrics-netns"] {
        let text = s[name]
            .strip_suffix("rc=0\n")
            .unwrap_or_else(|| panic!("{name}: {}", s[name]));
        promtool_accepts(text);
    }
    // Every counter the reference lists, for every service and server,
    // exact; traffic went through (the counters are not zero).
    let (counters, servers) = metric_maps(&s["metrics"]);
    let want = ref_counters(&s["ref-stats"]);
    assert!(
        counters == want || counters == ref_counters(&s["ref-stats-after"]),
        "{}",
        diff(
            "counters",
            format!("{want:#?}").as_bytes(),
            format!("{counters:#?}").as_bytes()
        )
    );
    assert_eq!(want.len(), 6 + 5, "{want:?}");
    assert!(want["TCP 10.96.7.7:80"][0] >= 7, "{want:?}");
    assert!(
        want["TCP [fd96::7]:80 -> [fd50::2]:8080"][4] > 0,
        "{want:?}"
    );
    let want = ref_servers(&s["ref-list"]);
    assert!(
        servers == want || servers == ref_servers(&s["ref-list-after"]),
        "{want:?}\n{servers:?}"
    );
    // -n and listing options change nothing but the rates, which move.
    assert_eq!(metric_maps(&s["metrics-n"]).0, counters);
    // One service: the reference's listing of it.
    let (one, _) = metric_maps(&s["metrics-one"]);
    assert_eq!(one, ref_counters(&s["ref-one"]));
    assert!(s["metrics-one"].contains("ipvsadm_services 1\n"));
    let fwmark = samples(&s["metrics-fwmark"]);
    assert!(fwmark.iter().any(|(n, l, _)| n == "ipvsadm_backend_weight"
        && l["local_mark"] == "5"
        && l["family"] == "inet"
        && l["local_address"].is_empty()));
    assert!(fwmark
        .iter()
        .all(|(_, l, _)| l.get("family").is_none_or(|f| f == "inet")));
    // The persistent service's template is counted.
    assert!(s["metrics"].lines().any(|l| l
        .starts_with("ipvsadm_backend_connections_persistent{local_address=\"10.96.7.8\"")
        && !l.ends_with(" 0")));
    assert_eq!(s["metrics-missing"], "No such service\nrc=1\n");
    for name in ["metrics-json", "metrics-conn"] {
        assert_eq!(s[name], "options conflicts in the list command\nrc=2\n");
    }
    // Another namespace: only its table.
    let (netns, servers) = metric_maps(&s["metrics-netns"]);
    assert_eq!(
        netns.keys().collect::<Vec<_>>(),
        ["TCP 10.1.2.3:443", "TCP 10.1.2.3:443 -> 10.1.2.4:8443"]
    );
    assert_eq!(servers["TCP 10.1.2.3:443 -> 10.1.2.4:8443"], [5, 0, 0]);
    assert!(s["metrics"].contains("ipvsadm_ipvs_info{version=\"1.2.1\"} 1\n"));
    assert!(s["metrics"].contains("ipvsadm_connection_table_size 4096\n"));
    // The widening reader of `--watch`: netlink's reading first, then the
    // hybrid one (the two IPv6 services' real servers from netlink), then
    // on the IPv4 table getsockopt's alone; every service, real server and
    // counter as netlink lists them.
    assert_eq!(
        s["widen-hybrid"],
        "first sockopt=false netlink=0\nsecond sockopt=false netlink=2\nservices=6 same=true\nrc=0\n"
    );
    assert_eq!(
        s["widen"],
        "first sockopt=false netlink=0\nsecond sockopt=true netlink=0\nservices=4 same=true\nrc=0\n"
    );
}

/// The reference's listing `STATE/OPTS/ref` (which must name `holds` and
/// succeed) and ours' by every path list-paths ran there print the same
/// bytes.
fn paths_alike(s: &BTreeMap<String, String>, state: &str, opts: &str, holds: &str) {
    let want = &s[&format!("{state}/{opts}/ref")];
    assert!(want.contains(holds) && want.ends_with("rc=0\n"), "{want}");
    for (path, got) in ours_by_path(s, &format!("{state}/{opts}/"), "") {
        assert_eq!(got, want, "{state} {opts} over {path}");
    }
}

/// Ours' sections `{before}{path}{after}` for each of our paths that
/// list-paths ran: netlink and the default (sockopt) always, the forced
/// hybrid path only where the default takes getsockopt alone (where it
/// falls back, the default is the hybrid path, and says so in its tally).
fn ours_by_path<'a>(
    s: &'a BTreeMap<String, String>,
    before: &str,
    after: &str,
) -> Vec<(&'static str, &'a String)> {
    let mut found = Vec::new();
    for path in PATHS {
        let name = format!("{before}{path}{after}");
        match s.get(&name) {
            Some(got) => found.push((path, got)),
            None => assert_eq!(path, "hybrid", "{name} missing"),
        }
    }
    found
}

/// Our three paths of a text listing in list-paths: every real server
/// over netlink; the netlink service dump and real servers over
/// getsockopt; getsockopt alone where that is proved to hold (the
/// default).
const PATHS: [&str; 3] = ["netlink", "hybrid", "sockopt"];

/// The getsockopt paths of the text listings (issues 17 and 29): on the
/// same kernel state, the netlink path, the hybrid one, getsockopt alone
/// and the reference print the same bytes for every listing, and
/// getsockopt alone is taken where it is proved to hold and only there
/// (each fall-back condition once: a pe sip service, an IPv6 one,
/// services in another namespace, a table changing). Then a churn: no
/// torn line, no failure, no block the kernel never had.
#[test]
fn listing_paths_print_the_references_bytes() {
    if !available("listing_paths_print_the_references_bytes") {
        return;
    }
    let s = sections("list-paths", &[]);
    let mut compared = 0;
    for (name, want) in &s {
        let Some((state, opts)) = name.split_once("/ref ") else {
            continue;
        };
        if state.starts_with("one-gone/") {
            assert!(!want.ends_with("rc=0\n"), "{name}: {want}");
        } else {
            assert!(want.ends_with("rc=0\n"), "{name}: {want}");
        }
        for (path, got) in ours_by_path(&s, &format!("{state}/"), &format!(" {opts}")) {
            let what = format!("{path} {opts} in {state}");
            assert!(
                got == want,
                "{}",
                diff(&what, want.as_bytes(), got.as_bytes())
            );
        }
        compared += 1;
    }
    // 12 formats in three tables (with pe sip, without, mixed), 3 in the
    // one with a single IPv6 service; 5 formats of each of 8 IPv4
    // services, 2 missing ones, 2 of the table without pe sip and 4 of
    // the mixed table, one at a time.
    assert_eq!(compared, 3 * 12 + 3 + 5 * (8 + 2 + 2 + 4));
    sockopt_alone_where_proved(&s);
    // Where the default falls back (pe sip, IPv6): every IPv4 service's
    // real servers over getsockopt; -S sends those with tunnels to
    // netlink; counters and tunnel details always go over netlink; IPv6
    // services, and an IPv4 one with an IPv6 real server, by netlink.
    for (section, sockopt, netlink) in [
        ("v4/1/scount -Ln", 8, 0),
        ("v4/3/scount -Sn", 6, 2),
        ("v4/4/scount -Ln --thresholds", 8, 0),
        ("v4/5/scount -Ln --persistent-conn", 8, 0),
        ("v4/8/scount -Ln --tun-info", 0, 8),
        ("v4/9/scount -Ln --stats", 0, 8),
        ("v4/10/scount -Ln --exact", 0, 8),
        ("mixed/1/scount -Ln", 8, 4),
        ("mixed/3/scount -Sn", 6, 6),
    ] {
        let want = format!("list path: getsockopt {sockopt} netlink {netlink}\n");
        assert_eq!(s[section], want, "{section}");
    }
    // One service: an IPv4 one over getsockopt, unless it prints
    // counters; an IPv6 one, or an IPv4 one with an IPv6 real server,
    // over netlink.
    for (j, svc) in (1..).zip([
        "-t 10.96.0.1:443",
        "-u 10.96.0.10:53",
        "--sctp-service 10.96.0.11:3868",
        "-f 40000",
        "-t 10.96.0.20:80",
        "-u 10.96.0.12:5060",
        "-t 10.96.0.30:8080",
        "-t 192.168.188.61:30080",
    ]) {
        for opts in ["-Ln", "-L", "-Ln --thresholds", "-Ln --persistent-conn"] {
            let section = format!("one-v4/{j}/scount {opts} {svc}");
            assert_eq!(
                s[&section], "list path: getsockopt 1 netlink 0\n",
                "{section}"
            );
        }
        let section = format!("one-v4/{j}/scount -Ln --stats {svc}");
        assert_eq!(
            s[&section], "list path: getsockopt 0 netlink 1\n",
            "{section}"
        );
    }
    for (j, svc) in (1..).zip([
        "-t [fd00:10:96::1]:443",
        "-f 7 -6",
        "-t 10.96.0.40:80",
        "-u [fd00:10:96::a]:53",
    ]) {
        let section = format!("one-mixed/{j}/scount -Ln {svc}");
        assert_eq!(
            s[&section], "list path: getsockopt 0 netlink 1\n",
            "{section}"
        );
    }
    for (state, formats) in [
        (
            "big",
            &[
                "-Ln",
                "-Sn",
                "-Ln --nosort",
                "-Ln --thresholds",
                "-Ln --persistent-conn",
            ][..],
        ),
        ("big50k", &["-Ln", "-Sn", "-Ln --nosort"][..]),
    ] {
        for opts in formats {
            paths_alike(&s, state, opts, "");
        }
    }
    // 3,000 services beside the first two tables' 12 (8 IPv4 ones over
    // getsockopt, the other 4 over netlink in -Ln; -Sn sends 2 more,
    // those with tunnels, to netlink: "v4/3" and "mixed/3" above), every
    // 16th IPv6 (netlink), the rest IPv4 with two IPv4 real servers each
    // (getsockopt in both formats): the hybrid path.
    let (n, v6) = (3000, (0..3000).filter(|i| i % 16 == 15).count());
    for (opts, sockopt, netlink) in [("-Ln", 8, 4), ("-Sn", 6, 6)] {
        let want = format!(
            "list path: getsockopt {} netlink {}\n",
            n - v6 + sockopt,
            v6 + netlink
        );
        assert_eq!(s[&format!("big/scount {opts}")], want, "big {opts}");
    }
    // 50,000 IPv4 services alone in the kernel: getsockopt alone, every
    // service, by default.
    for opts in ["-Ln", "-Sn"] {
        assert_eq!(
            s[&format!("big50k/scount {opts}")],
            "list path: getsockopt 50000 netlink 0 alone\n"
        );
    }
    // Another namespace's services (the module list counts every
    // namespace's): the hybrid path.
    for opts in ["-Ln", "-Sn"] {
        paths_alike(&s, "netns", opts, "10.99.0.1:80");
    }
    assert_eq!(s["netns/-Ln/scount"], "list path: getsockopt 2 netlink 0\n");
    assert_eq!(s["netns/-Sn/scount"], "list path: getsockopt 1 netlink 1\n");
    // 7, 8, 9 and 30 real servers, alone in the kernel: every one over
    // getsockopt alone by default (room for all at once); the hybrid
    // path asks again past the first buffer's 8.
    for opts in ["-Ln", "-Sn", "-Ln --persistent-conn"] {
        paths_alike(&s, "many", opts, "10.248.30.30:8080");
        let c = |k: &str| s[&format!("many/{opts}/{k}")].clone();
        assert_eq!(c("count"), "list path: getsockopt 4 netlink 0\n", "{opts}");
        assert_eq!(
            c("scount"),
            "list path: getsockopt 4 netlink 0 alone\n",
            "{opts}"
        );
    }
    assert_eq!(s["many/one/sockopt"], s["many/one/ref"]);
    assert_eq!(s["many/one/count"], "list path: getsockopt 1 netlink 0\n");
    churn_holds(&s);
    // Seconds each part took in the test kernel (for the suite's budget).
    println!("list-paths timing: {}", s["timing"].trim_end());
}

/// Which path the default (`IPVSADM_LIST_PATH=counted`) took in list-paths'
/// small tables: getsockopt alone (its tally ends in " alone") only in the
/// table of IPv4 services without pe sip, for every format that prints
/// no counters or tunnel details; -S takes the services with tunnels from
/// netlink there; the forced hybrid path beside it never alone, service
/// for service as the default where that falls back. Where a pe sip
/// service is (its module loaded) or an IPv6 service, the hybrid path.
fn sockopt_alone_where_proved(s: &BTreeMap<String, String>) {
    let formats = [
        "-Ln",
        "-L",
        "-Sn",
        "-Ln --thresholds",
        "-Ln --persistent-conn",
        "-Ln --nosort",
        "-Ln --persistent-conn --nosort",
        "-Ln --tun-info",
        "-Ln --stats",
        "-Ln --exact",
        "-Ln --thresholds --nosort",
        "-S",
    ];
    for (i, opts) in (1..).zip(formats) {
        for state in ["v4", "v4v6", "mixed"] {
            if state == "v4v6" && i > 3 {
                continue;
            }
            let scount = &s[&format!("{state}/{i}/scount {opts}")];
            assert!(!scount.ends_with(" alone\n"), "{state} {opts}: {scount}");
        }
        let (want, hybrid) = match opts {
            "-Ln --tun-info" | "-Ln --stats" | "-Ln --exact" => {
                ("getsockopt 0 netlink 7", "getsockopt 0 netlink 7")
            }
            "-Sn" | "-S" => ("getsockopt 5 netlink 2 alone", "getsockopt 5 netlink 2"),
            _ => ("getsockopt 7 netlink 0 alone", "getsockopt 7 netlink 0"),
        };
        let got = &s[&format!("v4alone/{i}/scount {opts}")];
        assert_eq!(got, &format!("list path: {want}\n"), "v4alone {opts}");
        let got = &s[&format!("v4alone/{i}/count {opts}")];
        assert_eq!(got, &format!("list path: {hybrid}\n"), "v4alone {opts}");
    }
    // The IPv6 service alone makes the difference.
    assert_eq!(
        s["v4v6/1/scount -Ln"],
        "list path: getsockopt 7 netlink 1\n"
    );
    for j in 1..=2 {
        for opts in ["-Ln", "-L", "-Ln --thresholds", "-Ln --persistent-conn"] {
            let svc = ["-t 10.96.0.1:443", "-f 40000"][j - 1];
            let got = &s[&format!("one-v4alone/{j}/scount {opts} {svc}")];
            assert_eq!(got, "list path: getsockopt 1 netlink 0\n", "{opts} {svc}");
        }
    }
}

/// The churn section of list-paths: rounds of five listings (netlink and
/// the default path, getsockopt alone between the writer's IPv4-only
/// batches and the hybrid path's short cut after the others, `-Ln` and
/// `-Sn`, and the reference's `-Sn`) while a
/// writer changes the table: no torn line, no failure, nothing on
/// standard error but the tally; the short cut really taken; every
/// service block of every `-Sn` listing made of what the table held; and
/// every block the short cut served one the kernel had, by the writer's
/// log replayed (`churn::History`).
///
/// The netlink path (ours and the reference's alike) is not held to the
/// last rule: the kernel's GET_DEST dump is no snapshot. A dump ends with
/// one more call of `ip_vs_genl_dump_dests`, which skips the real servers
/// it has already sent by their count, and a real server added meanwhile
/// goes to the head of the list, so one already sent is sent again (seen:
/// the same `-a` line twice in one block, from both tools).
fn churn_holds(s: &BTreeMap<String, String>) {
    let rounds = CHURN_ROUNDS;
    let churn: BTreeMap<&str, usize> = s["churn"]
        .split_whitespace()
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap();
            (k, v.parse().unwrap())
        })
        .collect();
    let want = [("bad", 0), ("fail", 0), ("noise", 0)];
    for (k, v) in [("runs", 5 * rounds), ("counted", 2 * rounds)]
        .into_iter()
        .chain(want)
    {
        assert_eq!(churn[k], v, "{k} in {churn:?}");
    }
    // The short cut steps aside for the whole listing when GET_SERVICES
    // and the dump disagree (the table changed between the two), and for
    // a service whose count moved; under this churn it still served at
    // least one service in 100 and 106 of 112 counted runs measured (151
    // of 160 with 80 rounds; 60 of 60 in 20 rounds of issue 29's three
    // counted runs; 96 of 96 in 48 rounds of two): more than half is a
    // wide margin that still fails when it is seldom taken.
    assert!(
        churn["fast"] * 2 > churn["counted"],
        "the short cut was seldom taken under churn: {churn:?}"
    );
    // Getsockopt alone (issue 29) holds between the writer's IPv4-only
    // batches and not after the others (IPv6 services, pe sip): taken in
    // some of the default runs (16 of 40 in 20 rounds measured, 24 of 96
    // in 48; its blocks held to the kernel's states with the rest).
    assert!(churn["alone"] > 0, "getsockopt alone never held: {churn:?}");
    let history = churn::History::replay(&s["churn/log"]);
    // The model is the kernel's: the table the log leaves is the one the
    // reference lists once the writer has stopped.
    let last: BTreeMap<_, _> = churn::blocks(&s["churn/final"])
        .into_iter()
        .map(|b| (b.svc, b.servers.into_iter().collect()))
        .collect();
    assert_eq!(last, history.now, "the model is not the kernel's");
    let (mut held, mut not_snapshots) = (0, Vec::new());
    for path in ["netlink", "counted", "ref"] {
        let mut outputs = std::collections::HashSet::new();
        for k in 1..=rounds {
            let name = format!("churn/{k}/{path}");
            let mut listing = s[&name].as_str();
            // The counted runs end with their tally.
            let mut tally = None;
            if path.starts_with("counted") {
                let trimmed = listing.trim_end();
                let (text, last) = trimmed.rsplit_once('\n').unwrap_or(("", trimmed));
                let nums: Vec<usize> = last
                    .trim_end_matches(" alone")
                    .strip_prefix("list path: getsockopt ")
                    .and_then(|t| t.split_once(" netlink "))
                    .map(|(a, b)| vec![a.parse().unwrap(), b.parse().unwrap()])
                    .unwrap_or_else(|| panic!("{name}: no tally: {last:?}"));
                listing = text;
                tally = Some((nums[0], nums[1]));
            }
            let blocks = churn::blocks(listing);
            for b in &blocks {
                if let Some(why) = history.stray(b) {
                    panic!("{name}: {why}:\n{listing}");
                }
            }
            // Blocks only netlink can list (IPv6, tunnels) are netlink's;
            // the short cut served all the others but `aside` of them,
            // which it left to netlink (their count moved, or the table
            // changed between GET_SERVICES and the dump). So at most
            // `aside` of those may be blocks the kernel never had; when
            // `aside` is 0, none.
            let netlink_only = blocks.iter().filter(|b| b.netlink_only()).count();
            let aside = tally.map(|(sockopt, netlink)| {
                assert_eq!(sockopt + netlink, blocks.len(), "{name}: tally");
                netlink - netlink_only
            });
            let mut foreign = Vec::new();
            for b in blocks.iter().filter(|b| !history.had(b)) {
                if !b.netlink_only() {
                    foreign.push(format!("{b:?}"));
                }
                not_snapshots.push(format!("{name}: {b:?}"));
            }
            if let Some(aside) = aside {
                assert!(
                    foreign.len() <= aside,
                    "{name}: the short cut served blocks the kernel never had \
                     ({aside} left to netlink):\n{}\n{listing}",
                    foreign.join("\n")
                );
                if aside == 0 {
                    held += blocks.len() - netlink_only;
                }
            }
            outputs.insert(listing);
        }
        // The listings ran while the table changed, and saw it: most of
        // them differ.
        assert!(
            outputs.len() * 2 > rounds,
            "{path}: {} tables",
            outputs.len()
        );
    }
    let states: usize = history.states.values().map(|s| s.len()).sum();
    println!(
        "churn: {churn:?}; {} services, {states} states; {} log lines; \
         {held} blocks of the short cut held; netlink blocks the kernel never had: {}\n{}",
        history.states.len(),
        s["churn/log"].lines().count(),
        not_snapshots.len(),
        not_snapshots.join("\n")
    );
    // The counted runs that left no block aside held 243 blocks to the
    // rule in a run measured (178 with thrice the IPv4 tunnels; 505 in 48
    // rounds of the default's -Sn since issue 29, getsockopt alone among
    // them): more than 100 says the rule was really applied.
    assert!(held > 100, "only {held} blocks held to the kernel's states");
}

/// The rounds of the churn (`churns` in list-paths).
const CHURN_ROUNDS: usize = 24;
