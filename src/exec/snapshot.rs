//! What the `--k8s` family of commands starts from, shared by `kube.rs`
//! (`--check`, `-L`, `-S` with `--k8s` or `--owner`) and `migrate.rs`
//! (`--cleanup-kube-proxy`): where the cluster comes from (`Input`), this
//! host's addresses and kube-ipvs0's (`NodeNet`), the expectation read
//! from the cluster, and the table (`Snapshot`). Below both, so that
//! neither imports the other.

use std::collections::HashSet;
use std::io::BufRead;
use std::net::IpAddr;

use super::kernel::{self, check_version};
use super::list::table;
use super::Flow;
use crate::check::facts::Facts;
use crate::check::rtnl::{self, Addr};
use crate::check_report::KUBE_IPVS0;
use crate::cli::nodeport::NodePortAddresses;
use crate::cli::KubeArgs;
use crate::format::Format;
use crate::ipvs::{Dest, Error, Service, ServiceId};
use crate::k8s::expect::{expected, this_node, ExpectedService, ThisNode};
use crate::k8s::input::{Cluster, ProxyConfigMap};
use crate::k8s::nodeport::Host;
use crate::k8s::proxyconfig::of_map;
use crate::streams::Streams;

/// The exit status of a file that cannot be read or of a node not found,
/// as for any other bad argument.
pub(super) const BAD_INPUT: i32 = 2;

/// The node and the table kube-proxy would build on it, when `--k8s` was
/// given.
type Expectation = Option<(ThisNode, Vec<ExpectedService>)>;

/// Where the cluster comes from, and how to tell a failure.
pub(super) struct Input<'a> {
    pub(super) kube: &'a KubeArgs,
    pub(super) program: &'a str,
    pub(super) stdin: &'a mut dyn BufRead,
    /// kube-proxy's ConfigMap as the cluster's objects had it, once
    /// `expectation` has read them.
    pub(super) proxy_config: Option<ProxyConfigMap>,
}

impl Input<'_> {
    /// A message of ours on standard error; the status for it.
    pub(super) fn fail(&self, io: &mut Streams, why: &str) -> i32 {
        io.err(&format!("{}: {why}\n", self.program));
        BAD_INPUT
    }

    /// The cluster and this node's expected table when `--k8s` was given
    /// (`None` without it), or the error told.
    /// The one expectation `--check`, `-L`, `-S`, `--owner`, `--migrate`
    /// and `--cleanup-kube-proxy` all judge by.
    pub(super) fn expectation(
        &mut self,
        net: &NodeNet,
        io: &mut Streams,
    ) -> Result<Expectation, i32> {
        if !self.kube.has_cluster() {
            return Ok(None);
        }
        let cluster = super::cluster::read(self.kube, self.stdin).map_err(|e| self.fail(io, &e))?;
        self.proxy_config = cluster.proxy_config.clone();
        expectation_of(&cluster, net, self.kube)
            .map(Some)
            .map_err(|why| self.fail(io, &why))
    }
}

/// This node (the one `--node` names, or the one with an address of this
/// host) and the table kube-proxy would build on it; or why not.
pub(super) fn expectation_of(
    cluster: &Cluster,
    net: &NodeNet,
    kube: &KubeArgs,
) -> Result<(ThisNode, Vec<ExpectedService>), String> {
    let kube_ipvs0: Vec<IpAddr> = net.kube_ipvs0_addrs().collect();
    let host = Host {
        addrs: &net.listed,
        kube_ipvs0: &kube_ipvs0,
        secondary: &net.secondary,
    };
    // `--nodeport-addresses` wins over kube-proxy's ConfigMap.
    let configured = match &cluster.proxy_config {
        Some(map) if kube.nodeport_addresses == NodePortAddresses::default() => {
            of_map(map).ok().map(|c| c.node_ports)
        }
        _ => None,
    };
    let want = configured.as_ref().unwrap_or(&kube.nodeport_addresses);
    let node =
        this_node(cluster, kube.node.as_deref(), &host, want).ok_or_else(|| match &kube.node {
            Some(n) => format!("no Node named {n} in the cluster's objects"),
            None => "no Node in the cluster's objects has an address of this host \
                 (name it with --node)"
                .to_string(),
        })?;
    let table = expected(cluster, &node);
    Ok((node, table))
}

/// This host's addresses, and kube-ipvs0 with its addresses if it exists.
#[derive(Debug, Clone, Default)]
pub(super) struct NodeNet {
    pub(super) host: HashSet<IpAddr>,
    /// The same addresses in the order the kernel lists them (for a
    /// stable order of the expectation).
    pub(super) listed: Vec<IpAddr>,
    /// The secondary IPv4 addresses among them.
    pub(super) secondary: Vec<IpAddr>,
    /// kube-ipvs0's index and addresses.
    pub(super) kube_ipvs0: Option<(u32, Vec<Addr>)>,
}

impl NodeNet {
    /// Read over rtnetlink now.
    pub(super) fn read() -> Result<NodeNet, Error> {
        let (links, addrs) = rtnl::dump()?;
        Ok(Self::of(&links, &addrs))
    }

    /// From what the node check read.
    pub(super) fn from_facts(f: &Facts) -> NodeNet {
        match &f.net {
            Ok(net) => Self::of(&net.links, &net.addrs),
            Err(_) => NodeNet::default(),
        }
    }

    fn of(links: &[rtnl::Link], addrs: &[Addr]) -> NodeNet {
        let kube = links.iter().find(|l| l.name == KUBE_IPVS0).map(|l| {
            let on: Vec<Addr> = addrs
                .iter()
                .filter(|a| a.index == l.index)
                .cloned()
                .collect();
            (l.index, on)
        });
        NodeNet {
            host: set(addrs.iter().map(|a| a.addr)),
            listed: addrs.iter().map(|a| a.addr).collect(),
            secondary: addrs
                .iter()
                .filter(|a| a.secondary)
                .map(|a| a.addr)
                .collect(),
            kube_ipvs0: kube,
        }
    }

    pub(super) fn kube_ipvs0_addrs(&self) -> impl Iterator<Item = IpAddr> + '_ {
        self.kube_ipvs0
            .iter()
            .flat_map(|(_, v)| v.iter().map(|a| a.addr))
    }
}

/// What `-L`, `-S` and `--cleanup-kube-proxy` work on: this host's
/// addresses and kube-ipvs0's, the expectation when `--k8s` was given
/// (both read before the kernel is asked), and the table.
pub(super) struct Snapshot {
    pub(super) net: NodeNet,
    pub(super) expected: Option<Vec<ExpectedService>>,
    pub(super) k: kernel::Kernel,
    pub(super) table: Vec<(Service, Vec<Dest>)>,
}

/// This host's addresses and kube-ipvs0's, read now, and the expectation
/// when `--k8s` was given.
pub(super) fn net_and_expectation(
    input: &mut Input,
    io: &mut Streams,
) -> Result<(NodeNet, Option<Vec<ExpectedService>>), i32> {
    // Without the host's addresses only --node can find it, and nothing is
    // on kube-ipvs0.
    let net = NodeNet::read().unwrap_or_default();
    let expected = input.expectation(&net, io)?.map(|(_, e)| e);
    Ok((net, expected))
}

pub(super) fn snapshot(
    one: Option<&ServiceId>,
    format: &Format,
    input: &mut Input,
    io: &mut Streams,
) -> Result<Snapshot, i32> {
    let (net, expected) = net_and_expectation(input, io)?;
    let mut k = kernel::open(io)?;
    check_version(&k.info, io);
    let table = table(&mut k, one, format, io).map_err(|f| match f {
        Flow::Result(r) | Flow::Exit(r) => r,
    })?;
    Ok(Snapshot {
        net,
        expected,
        k,
        table,
    })
}

/// Addresses as a set, for lookups.
pub(super) fn set(v: impl IntoIterator<Item = IpAddr>) -> HashSet<IpAddr> {
    v.into_iter().collect()
}
