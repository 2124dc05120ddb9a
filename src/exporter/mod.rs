//! `--exporter` (issue 27): one node's drift from the cluster, served to
//! Prometheus. `drift` remembers since when each finding has held and
//! sums them by code against the grace period, pure; `text` writes the
//! exporter's own families in Prometheus's text format within a fixed
//! budget of series, pure; `serve` (only with the `kube` feature) is the
//! HTTP server that hands each request to a `Site`. What the findings are,
//! and where the objects come from, is `k8s`'s; the wiring is
//! `exec::exporter`'s.

pub mod drift;
#[cfg(feature = "kube")]
pub mod serve;
pub mod text;
