//! ipvsadm-rs: a drop-in rewrite of ipvsadm 1.31. The library holds the
//! IPVS generic-netlink family and model (`ipvs`), the command line
//! (`cli`), the pure formatters (`format`), the executor that joins them
//! (`exec`) and the output streams every command prints through
//! (`streams`).

pub mod change;
pub mod check;
pub mod check_report;
pub mod cli;
pub mod cstd;
pub mod exec;
pub mod format;
pub mod ipvs;
pub mod netns;
pub mod reconcile;
pub mod resolve;
pub mod streams;

#[cfg(test)]
pub(crate) mod test_util;
