//! ipvsadm-rs: a drop-in rewrite of ipvsadm 1.31. The modules, which way
//! their imports go and what each must never import are mapped in
//! ARCHITECTURE.md (held by `tests/it/architecture.rs`): from the bottom,
//! the C library's readers (`cstd`), the IPVS client (`ipvs`: the library
//! crate `ipvs-client`, re-exported),
//! name lookups (`resolve`), the pure formatters (`format`), the output
//! streams (`streams`), the command line (`cli`), the change a command
//! makes (`change`), the features (`check`, `reconcile`, `k8s`, `watch`)
//! and the executor that joins them (`exec`).

pub mod change;
pub mod check;
pub mod check_report;
pub mod cli;
pub mod cstd;
pub mod exec;
pub mod exporter;
pub mod format;
/// The IPVS client, a library of its own (`crates/ipvs-client`), under
/// the name this crate has always used for it.
pub use ipvs_client as ipvs;
pub mod k8s;
pub mod netns;
pub mod raw;
pub mod reconcile;
pub mod resolve;
pub mod streams;
pub mod watch;

#[cfg(test)]
pub(crate) mod test_util;
