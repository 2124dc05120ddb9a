//! `--k8s` (ours, issue 15): the node's IPVS table against the cluster's
//! objects. `input` reads what kubectl writes; `expect` is the table
//! kube-proxy's IPVS proxier would build on this node, a pure function of
//! those objects and the node; `compare` judges the live table against it
//! into findings with stable codes, pure too; `report` makes them lines of
//! the node check's report, `view` the `-L --k8s` listing. For the way
//! out of IPVS mode (issue 20): `owner` (whose each virtual service is),
//! `migrate` (what a switch of kube-proxy's mode would do) and `cleanup`
//! (kube-proxy's part, to remove alone). `api` (only with the `kube`
//! feature) lists the same objects from the API server for `--k8s-api`;
//! without it a person runs kubectl where they can and brings the file
//! to the node.

#[cfg(feature = "kube")]
pub mod api;
pub mod cleanup;
pub mod compare;
pub mod expect;
pub mod input;
mod item;
pub mod kubeproxy;
#[cfg(feature = "kube")]
pub mod live;
pub mod migrate;
pub mod nodeport;
pub mod owner;
pub mod proxyconfig;
pub mod report;
pub mod view;

#[cfg(test)]
mod compare_tests;
#[cfg(test)]
mod migrate_tests;
#[cfg(test)]
mod tests;
