//! `--k8s` (ours, issue 15): the node's IPVS table against the cluster's
//! objects. `input` reads what kubectl writes; `expect` is the table
//! kube-proxy's IPVS proxier would build on this node, a pure function of
//! those objects and the node. No API server is asked: a person runs
//! kubectl where they can and brings the file to the node.

pub mod expect;
pub mod input;

#[cfg(test)]
mod tests;
