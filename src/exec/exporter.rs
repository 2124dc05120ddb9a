//! `--exporter` (issue 27), wired: a current-thread runtime drives the
//! watches of `k8s::live` and the HTTP server of `exporter::serve`; a page
//! that needs the table takes the last reading when it is younger than
//! `--read-interval`, else makes a new one on a plain thread (the node
//! check's facts, the table among them, judged as `--check --k8s` judges
//! them), one at a time. The drift's ages and the series are `exporter`'s.

use std::net::IpAddr;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use tokio::net::TcpListener;
use tokio::signal::unix::{signal, SignalKind};

use super::kube::{judge, proxy_config_lines, table_of};
use super::snapshot::{expectation_of, NodeNet, BAD_INPUT};
use crate::check::{self, facts};
use crate::check_report::Report;
use crate::cli::{ExporterArgs, KubeArgs};
use crate::exporter::drift::{summarize, Observed, Summary, Tracker};
use crate::exporter::serve::{serve, Page, Site, JSON_TYPE, METRICS_TYPE};
use crate::exporter::text::{self, Exposition, KindView, ReadView};
use crate::format;
use crate::format::metrics::{Rates, Selection};
use crate::k8s::api::{innermost, Source};
use crate::k8s::compare::{Code, Finding};
use crate::k8s::expect::{ExpectedService, ThisNode};
use crate::k8s::live::{self, Live, KINDS};
use crate::k8s::view::Explained;
use crate::k8s::{proxyconfig, report};
use crate::streams::Streams;

/// Run until SIGTERM or SIGINT; 2 when the API client or the listening
/// socket cannot be set up.
pub(super) fn run(args: &ExporterArgs, kube: &KubeArgs, program: &str, io: &mut Streams) -> i32 {
    let program = program.rsplit('/').next().unwrap_or(program).to_string();
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => return fail(io, &program, &format!("cannot start the runtime: {e}")),
    };
    // The downward API's NODE_NAME names the Node when --node does not.
    let mut kube = kube.clone();
    if kube.node.is_none() {
        kube.node = std::env::var("NODE_NAME").ok().filter(|n| !n.is_empty());
    }
    runtime.block_on(async {
        let source = Source {
            kubeconfig: kube.api.as_ref().and_then(|a| a.kubeconfig.as_deref()),
            context: kube.api.as_ref().and_then(|a| a.context.as_deref()),
            node: kube.node.as_deref(),
        };
        let (live, watches) = match live::start(&source).await {
            Ok(x) => x,
            Err(why) => return fail(io, &program, &why),
        };
        let listener = match TcpListener::bind(args.listen).await {
            Ok(l) => l,
            Err(e) => {
                let why = format!("cannot listen on {}: {}", args.listen, innermost(&e));
                return fail(io, &program, &why);
            }
        };
        let at = listener.local_addr().map_or(args.listen, |a| a);
        io.err(&format!("{program}: serving http://{at}/metrics\n"));
        io.flush();
        let site = Arc::new(Node::new(live, args.clone(), kube.clone()));
        let (mut term, mut int) = match (
            signal(SignalKind::terminate()),
            signal(SignalKind::interrupt()),
        ) {
            (Ok(t), Ok(i)) => (t, i),
            _ => return fail(io, &program, "cannot catch SIGTERM and SIGINT"),
        };
        tokio::select! {
            _ = watches => {}
            _ = serve(listener, site) => {}
            _ = term.recv() => {}
            _ = int.recv() => {}
        }
        0
    })
}

fn fail(io: &mut Streams, program: &str, why: &str) -> i32 {
    io.err(&format!("{program}: {why}\n"));
    BAD_INPUT
}

/// The site of one node: the stores, the last reading and the drift.
struct Node {
    live: Live,
    args: ExporterArgs,
    kube: KubeArgs,
    start: Instant,
    /// The last reading; the lock is held while a new one is made, so
    /// that concurrent scrapes wait for one reading instead of making
    /// their own.
    reading: tokio::sync::Mutex<Option<Arc<Reading>>>,
    state: Arc<Mutex<State>>,
}

/// What outlives one reading.
#[derive(Default)]
struct State {
    tracker: Tracker,
    reads: u64,
    errors: u64,
    /// The last expectation and what it was made from: the stores'
    /// generation and this host's addresses. Made again only when either
    /// moved, so a quiet cluster costs a reading no copy of its objects.
    expectation: Option<(u64, Vec<IpAddr>, Arc<Expectation>)>,
}

/// This node and its expected table, or why there is none.
type Expectation = Result<(ThisNode, Vec<ExpectedService>), String>;

/// One reading of the node, judged.
struct Reading {
    taken: Instant,
    at: SystemTime,
    took: Duration,
    /// `--check --k8s`'s report, made a JSON document when `/check` asks
    /// (none when the reading itself failed).
    report: Option<Report>,
    /// `-L --metrics`'s families, with `--table-metrics`.
    table_metrics: Option<String>,
    node_found: bool,
    /// kube-proxy's mode and last sync, when its metrics port answered.
    kube_proxy: Option<(String, Option<f64>)>,
    /// kube-proxy's configuration's codes with their lines, when it was
    /// checked.
    proxy_config: Option<Vec<(&'static str, usize)>>,
    expected_services: usize,
    expected_virtual_services: usize,
    virtual_services: usize,
    summary: Summary,
    reads: u64,
    errors: u64,
}

impl Node {
    fn new(live: Live, args: ExporterArgs, kube: KubeArgs) -> Node {
        Node {
            live,
            args,
            kube,
            start: Instant::now(),
            reading: tokio::sync::Mutex::new(None),
            state: Arc::default(),
        }
    }

    /// The last reading when young enough, else a new one.
    async fn reading(&self) -> Arc<Reading> {
        let mut last = self.reading.lock().await;
        if let Some(r) = last.as_ref() {
            if r.taken.elapsed() < self.args.read_interval {
                return r.clone();
            }
        }
        let live = self.live.clone();
        let kube = self.kube.clone();
        let state = self.state.clone();
        let args = self.args.clone();
        let made = tokio::task::spawn_blocking(move || read(&live, &kube, &args, &state)).await;
        let r = match made {
            Ok(r) => Arc::new(r),
            // The reading panicked: nothing to serve but the old one.
            Err(_) => match last.as_ref() {
                Some(r) => return r.clone(),
                None => Arc::new(read_failed()),
            },
        };
        *last = Some(r.clone());
        r
    }

    fn metrics(&self, r: &Reading) -> String {
        let health = &self.live.health;
        let cluster_counts = self.live.counts();
        let kinds = KINDS
            .iter()
            .enumerate()
            .map(|(i, kind)| {
                let k = &health.kinds[i];
                KindView {
                    kind,
                    objects: cluster_counts[i],
                    listed: k.listed.load(Ordering::Relaxed),
                    restarts: k.restarts.load(Ordering::Relaxed),
                    errors: k.errors.load(Ordering::Relaxed),
                    age: k.age(self.start),
                }
            })
            .collect();
        let e = Exposition {
            version: env!("CARGO_PKG_VERSION"),
            kinds,
            node_found: r.node_found,
            grace: self.args.grace.as_secs_f64(),
            expected_services: r.expected_services,
            expected_virtual_services: r.expected_virtual_services,
            virtual_services: r.virtual_services,
            summary: r.summary.clone(),
            kube_proxy: r.kube_proxy.clone(),
            proxy_config: r.proxy_config.clone(),
            read: ReadView {
                timestamp: epoch(r.at),
                duration: r.took.as_secs_f64(),
                reads: r.reads,
                errors: r.errors,
            },
        };
        let mut out = text::render(&e);
        if let Some(t) = &r.table_metrics {
            out.push_str(t);
        }
        out
    }
}

impl Site for Node {
    fn page(
        self: Arc<Self>,
        path: String,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = Page> + Send>> {
        Box::pin(async move {
            let ready = self.live.health.ready();
            match path.as_str() {
                "/healthz" => Page::text(200, "ok\n"),
                "/readyz" if ready => Page::text(200, "ok\n"),
                "/readyz" => Page::text(503, "the API server's objects are not all listed yet\n"),
                "/metrics" => {
                    let r = self.reading().await;
                    Page {
                        status: 200,
                        content_type: METRICS_TYPE,
                        body: self.metrics(&r),
                    }
                }
                "/check" if !ready => {
                    Page::text(503, "the API server's objects are not all listed yet\n")
                }
                "/check" => match &self.reading().await.report {
                    Some(report) => Page {
                        status: 200,
                        content_type: JSON_TYPE,
                        body: format::check::document(report),
                    },
                    None => Page::text(500, "the node could not be read\n"),
                },
                "/" => Page::text(
                    200,
                    "ipvsadm --exporter: /metrics, /check, /healthz, /readyz\n",
                ),
                _ => Page::text(404, "not found\n"),
            }
        })
    }
}

/// A new reading: the node's facts, this node and its expected table from
/// the stores, the check's report with `--k8s`'s findings, their ages.
fn read(live: &Live, kube: &KubeArgs, args: &ExporterArgs, state: &Mutex<State>) -> Reading {
    let (at, t0) = (SystemTime::now(), Instant::now());
    let facts = facts::gather(args.table_metrics);
    let took = t0.elapsed();
    let failed = matches!(facts.ipvs, facts::Ipvs::Failed(_));
    let net = NodeNet::from_facts(&facts);
    let mut report = check::eval::evaluate(&facts);
    let mut st = state.lock().unwrap_or_else(|p| p.into_inner());
    let expectation = expectation(&mut st, live, &net, kube);
    let expectation = expectation.as_ref().as_ref().ok();
    let findings = match expectation {
        Some(e) => judge(&facts, &net, e, &mut report),
        None => Vec::new(),
    };
    // Asked with the lock held: one reading at a time anyway.
    let kube_proxy = super::kubeproxy::ask(kube.kube_proxy_metrics);
    let mut proxy_config = None;
    if let Some((_, expected)) = expectation {
        report.coded.extend(
            kube_proxy
                .as_ref()
                .map(|k| crate::k8s::kubeproxy::coded(k, epoch(SystemTime::now()))),
        );
        let lines = proxy_config_lines(live.proxy_config().as_ref(), &facts, expected);
        proxy_config = config_codes(&lines);
        report.coded.extend(lines);
    }
    st.reads += 1;
    st.errors += u64::from(failed);
    let held = st
        .tracker
        .observe(Instant::now(), findings.iter().map(observed).collect());
    let codes: Vec<&'static str> = Code::ALL.iter().map(|c| c.as_str()).collect();
    let (expected_services, expected_virtual_services) = match expectation {
        Some((_, e)) => (
            report::services_of(e),
            e.iter().filter(|x| x.certain).count(),
        ),
        None => (0, 0),
    };
    let table_metrics = match (&facts.ipvs, args.table_metrics) {
        (facts::Ipvs::Present { info, services }, true) => {
            let expected = expectation.map_or(&[][..], |(_, e)| e.as_slice());
            Some(table_families(info, services, expected, &args.table_select))
        }
        _ => None,
    };
    Reading {
        taken: Instant::now(),
        at,
        took,
        report: Some(report),
        table_metrics,
        node_found: expectation.is_some(),
        kube_proxy: kube_proxy.map(|k| (k.mode, k.last_sync)),
        proxy_config,
        expected_services,
        expected_virtual_services,
        virtual_services: table_of(&facts).len(),
        summary: summarize(&codes, held, args.grace),
        reads: st.reads,
        errors: st.errors,
    }
}

/// `--table-metrics`: `-L --metrics`'s families of the virtual services
/// the filters keep, without the rate gauges. Whose a virtual service is
/// comes from the expectation, as `-L --k8s` tells it.
fn table_families(
    info: &crate::ipvs::Info,
    table: &[(crate::ipvs::Service, Vec<crate::ipvs::Dest>)],
    expected: &[ExpectedService],
    select: &Selection,
) -> String {
    let explained = Explained::new(expected);
    let keep = |s: &crate::ipvs::Service| select.keeps(&s.id, explained.owner(&s.id));
    format::metrics::render_kept(info, table, Rates::Left, &keep)
}

/// The expectation of the last reading when neither the objects nor this
/// host's addresses moved since; else made again from the stores.
fn expectation(st: &mut State, live: &Live, net: &NodeNet, kube: &KubeArgs) -> Arc<Expectation> {
    let generation = live.health.generation.load(Ordering::Relaxed);
    let mut addrs = net.listed.clone();
    addrs.extend(net.kube_ipvs0_addrs());
    addrs.extend(net.secondary.iter().copied());
    if let Some((g, a, e)) = &st.expectation {
        if *g == generation && *a == addrs {
            return e.clone();
        }
    }
    // Read after the generation: a change in between makes the next
    // reading start again, never one that misses it.
    let e = Arc::new(expectation_of(&live.cluster(), net, kube));
    st.expectation = Some((generation, addrs, e.clone()));
    e
}

/// Seconds since the epoch.
fn epoch(t: SystemTime) -> f64 {
    t.duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}

/// A reading that could not be made at all.
fn read_failed() -> Reading {
    Reading {
        taken: Instant::now(),
        at: SystemTime::now(),
        took: Duration::ZERO,
        report: None,
        table_metrics: None,
        node_found: false,
        kube_proxy: None,
        proxy_config: None,
        expected_services: 0,
        expected_virtual_services: 0,
        virtual_services: 0,
        summary: Summary::default(),
        reads: 0,
        errors: 1,
    }
}

/// Each code of kube-proxy's configuration that can need attention, with
/// its lines; `None` when it was not checked (no ConfigMap to be had).
fn config_codes(lines: &[crate::check_report::Coded]) -> Option<Vec<(&'static str, usize)>> {
    let checked = lines
        .iter()
        .any(|l| l.code.is_some_and(|c| c != proxyconfig::CONFIG_UNAVAILABLE));
    let count = |code| lines.iter().filter(|l| l.code == Some(code)).count();
    checked.then(|| proxyconfig::ATTENTION.map(|c| (c, count(c))).to_vec())
}

/// A finding as the drift tracks it.
fn observed(f: &Finding) -> Observed {
    let (namespace, service) = match &f.service {
        Some(s) => (s.namespace.clone(), s.name.clone()),
        None => (String::new(), String::new()),
    };
    Observed {
        code: f.code.as_str(),
        attention: f.code.needs_attention(),
        namespace,
        service,
        virtual_service: f.rule.clone(),
        real_server: f
            .server
            .as_deref()
            .map(|s| s.trim_start_matches("-> ").to_string())
            .unwrap_or_default(),
    }
}
