//! `--exporter` (issue 27) against the project's own test API server
//! (tests/apiserver/serve), on this host (whatever its IPVS: the exporter
//! and the one-shot check judge the same table): `/check` is, byte for
//! byte, what `--check -j --k8s-api` says of the server at that moment,
//! after each change on the server, across a dropped watch and a `410
//! Gone` (no update lost: the stores equal the server's objects);
//! `/metrics` passes Prometheus's own checker and counts the restart;
//! readiness waits for every kind (a 403 keeps it unready and is told);
//! bad settings are one line and exit 2; SIGTERM ends it with 0.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::k8s::ours as ours_with_stdin;

fn ours(args: &[&str]) -> (String, String, i32) {
    ours_with_stdin(args, "")
}

#[cfg(not(feature = "kube"))]
#[test]
fn exporter_without_the_feature_is_a_clear_error() {
    let (out, err, rc) = ours(&["--exporter"]);
    assert_eq!(out, "");
    assert_eq!(
        err,
        "ipvsadm: --exporter: this ipvsadm was built without the API server's client \
         (cargo build --features kube)\n"
    );
    assert_eq!(rc, 2);
}

/// A GET over a plain socket: (status, body).
fn get(port: u16, path: &str) -> (u16, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = String::new();
    s.read_to_string(&mut raw).unwrap();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    (status, body.to_string())
}

/// The exporter, killed when dropped.
struct Exporter {
    child: Child,
    port: u16,
}

impl Exporter {
    fn start(args: &[&str]) -> Exporter {
        let mut child = Command::new(env!("CARGO_BIN_EXE_ipvsadm"))
            .arg("--exporter")
            .args(["--listen", "127.0.0.1:0"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stderr.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line
            .strip_prefix("ipvsadm: serving http://127.0.0.1:")
            .and_then(|r| r.strip_suffix("/metrics\n"))
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("exporter: {line:?}"));
        Exporter { child, port }
    }

    /// Poll `path` until `done` holds; how long it took.
    fn until(&self, path: &str, what: &str, done: impl Fn(u16, &str) -> bool) -> Duration {
        let t0 = Instant::now();
        loop {
            let (status, body) = get(self.port, path);
            if done(status, &body) {
                return t0.elapsed();
            }
            assert!(
                t0.elapsed() < BOUND,
                "{what}: not within {BOUND:?}; last {path}: {status} {body}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Exporter {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// How soon a change on the server must show: the watch's latency, plus
/// kube-runtime's back-off after a drop (at most 30 s, far less here),
/// plus `--read-interval`.
const BOUND: Duration = Duration::from_secs(40);

/// One value of a metric's sample, by its text before the value.
fn value(metrics: &str, series: &str) -> Option<f64> {
    metrics
        .lines()
        .find_map(|l| l.strip_prefix(series)?.strip_prefix(' ')?.parse().ok())
}

#[cfg(feature = "kube")]
#[test]
fn exporter_follows_the_server_across_a_drop_and_a_410() {
    use crate::kubeapi::server::served;

    let mut s = served("exporter", 40, &[]);
    let kubeconfig = s.kubeconfig.clone();
    let oneshot = || {
        let (out, err, rc) = crate::kubeapi::node_a_check(&kubeconfig);
        assert!(rc == 0 || rc == 1, "one-shot check: {rc} {err}");
        out
    };
    let e = Exporter::start(&[
        "--kubeconfig",
        &kubeconfig,
        "--node",
        "node-a",
        "--read-interval",
        "0.1",
        "--grace",
        "0",
    ]);
    e.until("/readyz", "ready", |st, _| st == 200);
    let (st, health) = get(e.port, "/healthz");
    assert_eq!((st, health.as_str()), (200, "ok\n"));
    let mut took = Vec::new();
    // The server applies a command line when it reads it: the one-shot
    // check is made until it sees the change (`seen`), then the
    // exporter's /check must come to the same document.
    let mut agree = |e: &Exporter, what: &str, seen: &dyn Fn(&str) -> bool| {
        let t0 = Instant::now();
        let want = loop {
            let doc = oneshot();
            if seen(&doc) {
                break doc;
            }
            assert!(t0.elapsed() < BOUND, "{what}: the server never applied it");
            std::thread::sleep(Duration::from_millis(100));
        };
        took.push(e.until("/check", what, |st, body| st == 200 && body == want));
    };
    let vs = |port: u16| format!("\"TCP 10.96.77.7:{port}\"");
    agree(&e, "the first list", &|_| true);

    // A Service and its EndpointSlice added.
    s.server
        .command(&format!("apply {}", service("extra", "10.96.77.7", 80)));
    s.server
        .command(&format!("apply {}", slice("extra", "10.244.7.7")));
    agree(&e, "an added Service", &|d| d.contains(&vs(80)));
    // The watches cut mid-stream, a change made while they come back.
    s.server.command("drop");
    s.server
        .command(&format!("apply {}", service("extra", "10.96.77.7", 81)));
    agree(&e, "a change across a dropped watch", &|d| {
        d.contains(&vs(81)) && !d.contains(&vs(80))
    });
    // Watches cut, a deletion made and the history compacted before they
    // come back (kube-runtime waits 0.8 s after an error): each comes
    // back to 410 Gone and lists again; the deletion is not lost.
    s.server.command("drop");
    s.server
        .command(&format!("delete {}", service("extra", "10.96.77.7", 81)));
    s.server
        .command(&format!("delete {}", slice("extra", "10.244.7.7")));
    s.server.command("compact");
    agree(&e, "a deletion across a 410", &|d| {
        !d.contains("10.96.77.7")
    });

    let (st, metrics) = get(e.port, "/metrics");
    assert_eq!(st, 200);
    let restarts: f64 = ["services", "endpointslices", "nodes"]
        .iter()
        .map(|k| {
            value(
                &metrics,
                &format!("ipvsadm_kubernetes_watch_restarts_total{{kind=\"{k}\"}}"),
            )
            .unwrap()
        })
        .sum();
    assert!(
        restarts >= 1.0,
        "no list made again after the 410:\n{metrics}"
    );
    assert_eq!(value(&metrics, "ipvsadm_kubernetes_node_found"), Some(1.0));
    let listed = serde_json::from_str::<serde_json::Value>(&oneshot()).unwrap();
    let missing = listed["check"]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "MISSING_SERVICE")
        .count() as f64;
    assert_eq!(
        value(&metrics, "ipvsadm_findings{code=\"MISSING_SERVICE\"}"),
        Some(missing)
    );
    // Grace 0: every finding that needs attention is drift.
    assert_eq!(
        value(&metrics, "ipvsadm_drift_findings{code=\"MISSING_SERVICE\"}"),
        Some(missing)
    );
    // kube-proxy's ConfigMap (the served fixture): checked, and each of
    // its codes counts the one-shot check's lines of it.
    assert_eq!(
        value(&metrics, "ipvsadm_kube_proxy_config_checked"),
        Some(1.0)
    );
    for code in [
        "KUBE_PROXY_CONFIG_INVALID",
        "KUBE_PROXY_CONFIG_MODE",
        "KUBE_PROXY_CONFIG_SCHEDULER",
        "KUBE_PROXY_CONFIG_TIMEOUT",
        "KUBE_PROXY_CONFIG_STRICT_ARP",
    ] {
        let lines = listed["check"]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["code"] == code)
            .count() as f64;
        let series = format!("ipvsadm_kube_proxy_config_findings{{code=\"{code}\"}}");
        assert_eq!(value(&metrics, &series), Some(lines), "{code}");
    }
    promtool_accepts(&metrics);
    eprintln!("changes shown after {took:?}");
}

/// Prometheus's own checker of the text format (Debian's promtool,
/// which .ci/run installs).
fn promtool_accepts(metrics: &str) {
    let mut p = Command::new("promtool")
        .args(["check", "metrics"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("promtool (Debian's prometheus package)");
    p.stdin
        .take()
        .unwrap()
        .write_all(metrics.as_bytes())
        .unwrap();
    let out = p.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "promtool check metrics: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A ClusterIP Service of namespace `shop`, as the API server gives it.
fn service(name: &str, ip: &str, port: u16) -> String {
    serde_json::json!({
        "apiVersion": "v1", "kind": "Service",
        "metadata": {"name": name, "namespace": "shop"},
        "spec": {"type": "ClusterIP", "clusterIP": ip, "clusterIPs": [ip],
                 "ports": [{"name": "http", "port": port, "protocol": "TCP",
                            "targetPort": 8080}]}
    })
    .to_string()
}

/// Its EndpointSlice, one ready endpoint.
fn slice(service: &str, addr: &str) -> String {
    serde_json::json!({
        "apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
        "addressType": "IPv4",
        "metadata": {"name": format!("{service}-1"), "namespace": "shop",
                     "labels": {"kubernetes.io/service-name": service}},
        "ports": [{"name": "http", "port": 8080, "protocol": "TCP"}],
        "endpoints": [{"addresses": [addr], "nodeName": "node-b",
                       "conditions": {"ready": true, "serving": true, "terminating": false}}]
    })
    .to_string()
}

/// A kind RBAC refuses: never ready, the error counted and told; the
/// process answers its health all the same. A taken port: one line, 2.
/// SIGTERM: exit 0.
#[cfg(feature = "kube")]
#[test]
fn exporter_readiness_errors_and_exit() {
    use crate::kubeapi::server::served;

    let s = served(
        "exporter-403",
        0,
        &["--forbid", "endpointslices.discovery.k8s.io"],
    );
    let mut e = Exporter::start(&["--kubeconfig", &s.kubeconfig, "--node", "node-a"]);
    e.until("/metrics", "the 403 counted", |_, m| {
        value(
            m,
            "ipvsadm_kubernetes_watch_errors_total{kind=\"endpointslices\"}",
        )
        .is_some_and(|n| n >= 1.0)
    });
    let (st, _) = get(e.port, "/readyz");
    assert_eq!(st, 503);
    let (st, _) = get(e.port, "/check");
    assert_eq!(st, 503);
    let (st, _) = get(e.port, "/healthz");
    assert_eq!(st, 200);
    let (_, m) = get(e.port, "/metrics");
    assert_eq!(
        value(&m, "ipvsadm_kubernetes_listed{kind=\"endpointslices\"}"),
        Some(0.0)
    );
    assert_eq!(
        value(&m, "ipvsadm_kubernetes_listed{kind=\"services\"}"),
        Some(1.0)
    );
    let (st, _) = get(e.port, "/nothing");
    assert_eq!(st, 404);

    // The same port again: taken.
    let taken = format!("127.0.0.1:{}", e.port);
    let (out, err, rc) = ours(&[
        "--exporter",
        "--kubeconfig",
        &s.kubeconfig,
        "--listen",
        &taken,
    ]);
    assert_eq!(
        (out.as_str(), err.as_str(), rc),
        (
            "",
            format!("ipvsadm: cannot listen on {taken}: Address already in use\n").as_str(),
            2
        )
    );

    // SIGTERM ends it cleanly.
    unsafe_free_kill(e.child.id());
    let status = e.child.wait().unwrap();
    assert_eq!(status.code(), Some(0));
}

/// `--table-metrics`' filters: accepted together and repeated, the page
/// still Prometheus's format, never a rate gauge; the table's families are
/// there exactly when this host has a table to read (this host has no
/// IPVS: the filtered families are held by `format::metrics`' tests and
/// measured in the VM by tests/bench/exporter-series). A bad filter's
/// message is `cli::parse`'s test's: on a host without IPVS, ipvsadm's
/// own order tells the missing IPVS first.
#[cfg(feature = "kube")]
#[test]
fn exporter_takes_the_table_filters() {
    use crate::kubeapi::server::served;

    let s = served("exporter-table", 3, &[]);
    let e = Exporter::start(&[
        "--kubeconfig",
        &s.kubeconfig,
        "--node",
        "node-a",
        "--table-namespace",
        "shop,kube-system",
        "--table-service",
        "default/kubernetes",
        "--table-virtual-service",
        "TCP 10.96.0.1:443",
        "--table-namespace",
        "load",
    ]);
    e.until("/readyz", "ready", |st, _| st == 200);
    let (st, m) = get(e.port, "/metrics");
    assert_eq!(st, 200);
    promtool_accepts(&m);
    assert!(!m.contains("_per_second"), "{m}");
    let table = m.contains("# TYPE ipvsadm_service_connections_total counter\n");
    assert_eq!(
        table,
        std::path::Path::new("/proc/net/ip_vs").exists(),
        "{m}"
    );
}

/// SIGTERM by the kill command, so that the test needs no unsafe.
fn unsafe_free_kill(pid: u32) {
    let ok = Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .unwrap();
    assert!(ok.success());
}

/// A stand-in for kube-proxy's metrics port: `/proxyMode` answers `mode`,
/// `/metrics` has the last sync's gauge as kube-proxy writes it (Go's
/// float format), 12 seconds ago. Stopped when dropped.
struct FakeKubeProxy {
    child: Child,
    port: u16,
}

impl FakeKubeProxy {
    fn start(mode: &str) -> FakeKubeProxy {
        const SERVER: &str = r##"
import sys, time
from http.server import BaseHTTPRequestHandler, HTTPServer
mode = sys.argv[1]
class H(BaseHTTPRequestHandler):
    def log_message(self, *a): pass
    def do_GET(self):
        if self.path == "/proxyMode":
            body = mode
        elif self.path == "/metrics":
            t = "%.9e" % (time.time() - 12)
            t = t.replace("e+0", "e+")
            body = ("# HELP kubeproxy_sync_proxy_rules_last_timestamp_seconds [ALPHA] The last time proxy rules were successfully synced\n"
                    "# TYPE kubeproxy_sync_proxy_rules_last_timestamp_seconds gauge\n"
                    "kubeproxy_sync_proxy_rules_last_timestamp_seconds " + t + "\n")
        else:
            self.send_error(404); return
        b = body.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(b)))
        self.end_headers()
        self.wfile.write(b)
s = HTTPServer(("127.0.0.1", 0), H)
print(s.server_address[1], flush=True)
s.serve_forever()
"##;
        let mut child = Command::new("python3")
            .args(["-c", SERVER, mode])
            .stdout(Stdio::piped())
            .spawn()
            .expect("python3");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line.trim().parse().unwrap();
        FakeKubeProxy { child, port }
    }

    fn at(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }
}

impl Drop for FakeKubeProxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The kubernetes check's lines with this code, in the check's JSON.
fn coded(doc: &str, code: &str) -> Vec<serde_json::Value> {
    let v: serde_json::Value = serde_json::from_str(doc).unwrap();
    v["check"]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == code)
        .cloned()
        .collect()
}

/// kube-proxy's own view beside ours: its mode and last sync in the
/// check and in the exporter's metrics; another mode needs attention; a
/// port that does not answer adds nothing.
#[cfg(feature = "kube")]
#[test]
fn kube_proxys_mode_and_last_sync_are_told() {
    use crate::kubeapi::server::served;

    let s = served("exporter-kube-proxy", 0, &[]);
    let check = |at: &str| {
        ours(&[
            "--check",
            "-j",
            "--k8s",
            &s.dump,
            "--node",
            "node-a",
            "--kube-proxy-metrics",
            at,
        ])
        .0
    };
    let ipvs = FakeKubeProxy::start("ipvs");
    let lines = coded(&check(&ipvs.at()), "KUBE_PROXY");
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!(lines[0]["status"], "info");
    let detail = lines[0]["detail"].as_str().unwrap();
    let want = format!("(its metrics at {})", ipvs.at());
    assert!(
        detail.starts_with("mode ipvs, last synced 1") && detail.ends_with(&want),
        "{detail}"
    );

    let nft = FakeKubeProxy::start("nftables");
    let lines = coded(&check(&nft.at()), "KUBE_PROXY_NOT_IPVS");
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!(lines[0]["status"], "attention");

    // Nobody on the port: nothing said.
    let gone = format!("127.0.0.1:{}", nft.port);
    drop(nft);
    let doc = check(&gone);
    assert!(coded(&doc, "KUBE_PROXY").is_empty() && coded(&doc, "KUBE_PROXY_NOT_IPVS").is_empty());

    // The exporter: the same line in /check, and the metrics.
    let e = Exporter::start(&[
        "--kubeconfig",
        &s.kubeconfig,
        "--node",
        "node-a",
        "--kube-proxy-metrics",
        &ipvs.at(),
    ]);
    e.until("/readyz", "ready", |st, _| st == 200);
    let (_, doc) = get(e.port, "/check");
    assert_eq!(coded(&doc, "KUBE_PROXY").len(), 1);
    let (_, m) = get(e.port, "/metrics");
    assert_eq!(value(&m, "ipvsadm_kube_proxy_up"), Some(1.0));
    assert_eq!(
        value(&m, "ipvsadm_kube_proxy_mode{mode=\"ipvs\"}"),
        Some(1.0)
    );
    let synced = value(&m, "ipvsadm_kube_proxy_last_sync_timestamp_seconds").unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs_f64();
    assert!((now - synced - 12.0).abs() < 5.0, "{now} {synced}");
    promtool_accepts(&m);
}
