//! `--k8s` (ours, issue 15): the node's IPVS table against the cluster's
//! objects. `input` reads what kubectl writes. No API server is asked: a
//! person runs kubectl where they can and brings the file to the node.

pub mod input;

#[cfg(test)]
mod tests;
