//! The one integration-test crate: command-line behaviour that needs no
//! kernel, and the kernel tests (golden scenarios captured from the
//! reference ipvsadm, and differential runs of both tools) in the test VM or,
//! on a host with IPVS, in fresh network namespaces.

mod architecture;
mod bed;
mod check;
mod churn;
mod cli;
mod docs;
mod exporter;
// The exporter is in the binary only with the `kube` feature.
#[cfg(feature = "kube")]
mod fleet;
mod k8s;
mod kernel;
mod kubeapi;
mod manifests;
mod migrate;
mod ours;
mod package;
mod schema;
mod watch;
