//! `--cleanup-kube-proxy` (issue 20): which part of the node is
//! kube-proxy's to remove, and its texts. The services to delete (a
//! likely one only when asked), kube-ipvs0's addresses that only they use
//! (or that are a Service's address, when the cluster is given), and
//! whether kube-ipvs0 itself goes (nothing else left on it); then the
//! dry run's `-D` lines and the backup, an `-R` file of what goes. Pure:
//! the executor makes the changes.

use std::collections::HashSet;
use std::net::IpAddr;

use super::expect::{AddressKind, ExpectedService};
use super::owner::{Owner, Ownership};
use crate::format::{self, Format, Names};
use crate::ipvs::{Dest, Service, ServiceId};

/// What goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// Indices into the table, in its order.
    pub services: Vec<usize>,
    /// Services only likely kube-proxy's, left alone.
    pub kept_likely: Vec<usize>,
    /// Addresses to take off kube-ipvs0.
    pub addresses: Vec<IpAddr>,
    /// kube-ipvs0 is deleted once its addresses are gone: nothing else was
    /// on it.
    pub delete_interface: bool,
}

fn addr_of(s: &Service) -> Option<IpAddr> {
    match s.id {
        ServiceId::Addr { addr, .. } => Some(addr),
        ServiceId::Fwmark { .. } => None,
    }
}

/// The Services' own addresses (ClusterIPs, external and load-balancer
/// IPs): kube-proxy binds them to kube-ipvs0 even where no virtual
/// service is left.
pub fn service_addrs(expected: &[ExpectedService]) -> HashSet<IpAddr> {
    expected
        .iter()
        .filter(|e| e.kind != AddressKind::NodePort)
        .filter_map(|e| match e.id {
            ServiceId::Addr { addr, .. } => Some(addr),
            ServiceId::Fwmark { .. } => None,
        })
        .collect()
}

/// The plan. `cluster_addrs` are the Services' own addresses (ClusterIPs,
/// external and load-balancer IPs) when the cluster was given: kube-proxy
/// binds them to kube-ipvs0 even where no virtual service is left.
pub fn plan(
    table: &[(Service, Vec<Dest>)],
    owners: &[Ownership],
    kube_ipvs0: Option<&[IpAddr]>,
    include_likely: bool,
    cluster_addrs: &HashSet<IpAddr>,
) -> Plan {
    let (mut services, mut kept_likely) = (Vec::new(), Vec::new());
    for (i, o) in owners.iter().enumerate() {
        match o.owner {
            Owner::KubeProxy => services.push(i),
            Owner::LikelyKubeProxy if include_likely => services.push(i),
            Owner::LikelyKubeProxy => kept_likely.push(i),
            Owner::Other => {}
        }
    }
    let removed: HashSet<usize> = services.iter().copied().collect();
    let kept_addrs: HashSet<IpAddr> = (0..table.len())
        .filter(|i| !removed.contains(i))
        .filter_map(|i| addr_of(&table[i].0))
        .collect();
    let removed_addrs: HashSet<IpAddr> = services
        .iter()
        .filter_map(|&i| addr_of(&table[i].0))
        .collect();
    let bound = kube_ipvs0.unwrap_or(&[]);
    let addresses: Vec<IpAddr> = bound
        .iter()
        .filter(|a| removed_addrs.contains(a) || cluster_addrs.contains(a))
        .filter(|a| !kept_addrs.contains(a))
        .copied()
        .collect();
    let delete_interface = kube_ipvs0.is_some() && addresses.len() == bound.len();
    Plan {
        services,
        kept_likely,
        addresses,
        delete_interface,
    }
}

const RULES: Format = crate::format::RULES_NUMERIC;

/// `-D -t 10.96.0.1:443`: the line of `-R` that deletes a service.
pub fn delete_line(s: &Service, names: &Names) -> String {
    format!("-D {}\n", format::service_name(s, &RULES, names))
}

/// The `-R` file that puts the removed services back, as `-S -n` writes
/// them.
pub fn backup(table: &[(Service, Vec<Dest>)], plan: &Plan, names: &Names) -> String {
    let mut out = String::new();
    for &i in &plan.services {
        let (s, d) = &table[i];
        format::service_entry(&mut out, s, d, &RULES, names);
    }
    out
}
