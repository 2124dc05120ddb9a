//! The exporter's own families in Prometheus's text format (0.0.4), pure.
//! The budget is fixed whatever the table's size: a handful of series a
//! code (9 codes), a kind (3 kinds) and a reading, plus at most
//! `MAX_FINDING_SERIES` findings named one by one; the count by code is
//! always exact, whatever the cap leaves out. No rate is a gauge here:
//! Prometheus computes rates from counters itself. The families of
//! `-L --metrics` (`format::metrics`) are added after these only when
//! asked for (`--table-metrics`, narrowed by its filters), without their
//! rate gauges; no name here is one of theirs.

use std::fmt::Write;

use super::drift::Summary;
use crate::format::metrics::label_value;

/// The most findings given a series of their own; the oldest are kept.
pub const MAX_FINDING_SERIES: usize = 100;

/// What one kind's watch has done, as the metrics tell it.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct KindView {
    pub kind: &'static str,
    pub objects: usize,
    pub listed: bool,
    pub restarts: u64,
    pub errors: u64,
    /// Seconds the kind's data may be behind the API server.
    pub age: f64,
}

/// The last reading of the table, and how it went.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ReadView {
    /// When it was taken, in seconds since the epoch (0 before the first).
    pub timestamp: f64,
    pub duration: f64,
    pub reads: u64,
    pub errors: u64,
}

/// Everything the exporter's families are made from.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Exposition<'a> {
    pub version: &'a str,
    pub kinds: Vec<KindView>,
    /// This node is among the Nodes (by name or by an address).
    pub node_found: bool,
    pub grace: f64,
    pub expected_services: usize,
    pub expected_virtual_services: usize,
    /// Virtual services in the table.
    pub virtual_services: usize,
    pub summary: Summary,
    pub read: ReadView,
    /// kube-proxy's mode and last sync, when its metrics port answered.
    pub kube_proxy: Option<(String, Option<f64>)>,
    /// Each code of kube-proxy's configuration that can need attention,
    /// with its lines in the check; `None` when it was not checked.
    pub proxy_config: Option<Vec<(&'static str, usize)>>,
}

/// One family's header.
fn family(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP ipvsadm_{name} {help}");
    let _ = writeln!(out, "# TYPE ipvsadm_{name} {kind}");
}

/// A sample; labels as `name="value"` pairs, values escaped.
fn sample(out: &mut String, name: &str, labels: &[(&str, &str)], value: impl std::fmt::Display) {
    let _ = write!(out, "ipvsadm_{name}");
    if !labels.is_empty() {
        out.push('{');
        for (i, (k, v)) in labels.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            let _ = write!(out, "{k}=\"{}\"", label_value(v));
        }
        out.push('}');
    }
    let _ = writeln!(out, " {value}");
}

/// The families, in a fixed order.
pub fn render(e: &Exposition) -> String {
    let mut out = String::with_capacity(8192);
    family(
        &mut out,
        "exporter_build_info",
        "gauge",
        "The exporter's version, as a label.",
    );
    sample(
        &mut out,
        "exporter_build_info",
        &[("version", e.version)],
        1,
    );
    kinds(&mut out, e);
    table(&mut out, e);
    findings(&mut out, e);
    kube_proxy(&mut out, e);
    proxy_config(&mut out, e);
    out
}

/// kube-proxy's ConfigMap against the node: one series a code, zero or
/// not, once it was checked.
fn proxy_config(out: &mut String, e: &Exposition) {
    family(
        out,
        "kube_proxy_config_checked",
        "gauge",
        "1 when kube-proxy's ConfigMap was read and held against the node, else 0.",
    );
    sample(
        out,
        "kube_proxy_config_checked",
        &[],
        u8::from(e.proxy_config.is_some()),
    );
    let Some(codes) = &e.proxy_config else {
        return;
    };
    family(
        out,
        "kube_proxy_config_findings",
        "gauge",
        "Lines of the check where the node disagrees with kube-proxy's ConfigMap, by code.",
    );
    for (code, n) in codes {
        sample(out, "kube_proxy_config_findings", &[("code", code)], n);
    }
}

fn kube_proxy(out: &mut String, e: &Exposition) {
    family(
        out,
        "kube_proxy_up",
        "gauge",
        "1 when kube-proxy's metrics port answered at the last reading, else 0.",
    );
    sample(out, "kube_proxy_up", &[], u8::from(e.kube_proxy.is_some()));
    let Some((mode, last_sync)) = &e.kube_proxy else {
        return;
    };
    family(
        out,
        "kube_proxy_mode",
        "gauge",
        "kube-proxy's mode (its /proxyMode), as a label.",
    );
    sample(out, "kube_proxy_mode", &[("mode", mode)], 1);
    if let Some(t) = last_sync {
        family(out, "kube_proxy_last_sync_timestamp_seconds", "gauge", "When kube-proxy last synced its rules (its kubeproxy_sync_proxy_rules_last_timestamp_seconds).");
        sample(
            out,
            "kube_proxy_last_sync_timestamp_seconds",
            &[],
            format!("{t:.3}"),
        );
    }
}

fn kinds(out: &mut String, e: &Exposition) {
    let each =
        |out: &mut String, name: &str, kind: &str, help: &str, v: &dyn Fn(&KindView) -> String| {
            family(out, name, kind, help);
            for k in &e.kinds {
                sample(out, name, &[("kind", k.kind)], v(k));
            }
        };
    each(
        out,
        "kubernetes_listed",
        "gauge",
        "1 once the kind's first list is in, else 0.",
        &|k| u8::from(k.listed).to_string(),
    );
    each(
        out,
        "kubernetes_objects",
        "gauge",
        "Objects of the kind kept (after kube-proxy's filters).",
        &|k| k.objects.to_string(),
    );
    each(
        out,
        "kubernetes_watch_restarts_total",
        "counter",
        "Lists made again after the first (after 410 Gone, say).",
        &|k| k.restarts.to_string(),
    );
    each(
        out,
        "kubernetes_watch_errors_total",
        "counter",
        "Errors the kind's watch met, each followed by a back-off and a retry.",
        &|k| k.errors.to_string(),
    );
    each(out, "kubernetes_data_age_seconds", "gauge", "How far the kind's data may be behind the API server: 0 while its watch works, else the time since it last did.", &|k| {
        format!("{:.3}", k.age)
    });
}

fn table(out: &mut String, e: &Exposition) {
    family(
        out,
        "kubernetes_node_found",
        "gauge",
        "1 when this node is among the Nodes, else 0 (nothing is judged).",
    );
    sample(out, "kubernetes_node_found", &[], u8::from(e.node_found));
    family(
        out,
        "kubernetes_expected_services",
        "gauge",
        "Services with a virtual service expected on this node.",
    );
    sample(
        out,
        "kubernetes_expected_services",
        &[],
        e.expected_services,
    );
    family(
        out,
        "kubernetes_expected_virtual_services",
        "gauge",
        "Virtual services kube-proxy would make on this node.",
    );
    sample(
        out,
        "kubernetes_expected_virtual_services",
        &[],
        e.expected_virtual_services,
    );
    family(
        out,
        "table_virtual_services",
        "gauge",
        "Virtual services in the table at the last reading.",
    );
    sample(out, "table_virtual_services", &[], e.virtual_services);
    family(
        out,
        "table_read_timestamp_seconds",
        "gauge",
        "When the table was last read, in seconds since the epoch.",
    );
    sample(
        out,
        "table_read_timestamp_seconds",
        &[],
        format!("{:.3}", e.read.timestamp),
    );
    family(
        out,
        "table_read_duration_seconds",
        "gauge",
        "How long the last reading of the table (and of the node's facts) took.",
    );
    sample(
        out,
        "table_read_duration_seconds",
        &[],
        format!("{:.6}", e.read.duration),
    );
    family(
        out,
        "table_reads_total",
        "counter",
        "Readings of the table.",
    );
    sample(out, "table_reads_total", &[], e.read.reads);
    family(
        out,
        "table_read_errors_total",
        "counter",
        "Readings of the table that failed.",
    );
    sample(out, "table_read_errors_total", &[], e.read.errors);
}

fn findings(out: &mut String, e: &Exposition) {
    family(
        out,
        "drift_grace_seconds",
        "gauge",
        "How long a finding must hold before it counts as drift (--grace).",
    );
    sample(out, "drift_grace_seconds", &[], e.grace);
    let by = &e.summary.by_code;
    family(
        out,
        "findings",
        "gauge",
        "Current findings of --check --k8s on this node, by code, however young.",
    );
    for (code, s) in by {
        sample(out, "findings", &[("code", code)], s.count);
    }
    family(
        out,
        "drift_findings",
        "gauge",
        "Findings that need attention and have held longer than the grace, by code.",
    );
    for (code, s) in by {
        sample(out, "drift_findings", &[("code", code)], s.drift);
    }
    family(
        out,
        "drift_oldest_finding_seconds",
        "gauge",
        "How long the oldest current finding of each code has held (0 when none).",
    );
    for (code, s) in by {
        sample(
            out,
            "drift_oldest_finding_seconds",
            &[("code", code)],
            format!("{:.3}", s.oldest),
        );
    }
    family(out, "finding_held_seconds", "gauge", "Each finding, oldest first, with how long it has held; at most 100 (the counts by code are exact).");
    for (f, age) in e.summary.held.iter().take(MAX_FINDING_SERIES) {
        let labels = [
            ("code", f.code),
            ("namespace", f.namespace.as_str()),
            ("service", f.service.as_str()),
            ("virtual_service", f.virtual_service.as_str()),
            ("real_server", f.real_server.as_str()),
        ];
        sample(out, "finding_held_seconds", &labels, format!("{age:.3}"));
    }
    family(
        out,
        "finding_series_dropped",
        "gauge",
        "Findings left without a series of their own by the cap.",
    );
    let dropped = e.summary.held.len().saturating_sub(MAX_FINDING_SERIES);
    sample(out, "finding_series_dropped", &[], dropped);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exporter::drift::{summarize, Observed};
    use std::time::Duration;

    fn exposition(findings: usize) -> String {
        let held = (0..findings)
            .map(|i| {
                let f = Observed {
                    code: "MISSING_SERVER",
                    attention: true,
                    namespace: "ns\"1".into(),
                    service: format!("svc-{i}"),
                    virtual_service: format!("TCP 10.96.0.{}:80", i % 250),
                    real_server: format!("-> 10.244.{}.{}:80", i / 250, i % 250),
                };
                (f, Duration::from_secs(i as u64))
            })
            .collect();
        let summary = summarize(
            &["MISSING_SERVER", "STALE_SERVER"],
            held,
            Duration::from_secs(90),
        );
        render(&Exposition {
            version: "0.1.0",
            kinds: vec![KindView {
                kind: "services",
                objects: 3,
                listed: true,
                ..KindView::default()
            }],
            summary,
            ..Exposition::default()
        })
    }

    fn series(text: &str) -> usize {
        text.lines().filter(|l| !l.starts_with('#')).count()
    }

    #[test]
    fn the_budget_holds_whatever_the_findings() {
        let few = exposition(3);
        let many = exposition(20_000);
        assert_eq!(series(&many), series(&few) + MAX_FINDING_SERIES - 3);
        assert!(many.contains("ipvsadm_findings{code=\"MISSING_SERVER\"} 20000\n"));
        assert!(many.contains("ipvsadm_drift_findings{code=\"MISSING_SERVER\"} 19909\n"));
        assert!(many.contains("ipvsadm_finding_series_dropped 19900\n"));
        assert!(many
            .contains("ipvsadm_drift_oldest_finding_seconds{code=\"MISSING_SERVER\"} 19999.000\n"));
        // The oldest are the ones kept, and label values are escaped.
        assert!(many.contains("namespace=\"ns\\\"1\",service=\"svc-19999\""));
        assert!(!many.contains("service=\"svc-19899\""));
        assert!(few.contains("ipvsadm_findings{code=\"STALE_SERVER\"} 0\n"));
    }
}
