//! The table kube-proxy's IPVS proxier would build on one node: a pure
//! function from the cluster's objects and this node (its name and
//! addresses) to the expected virtual services and real servers, each
//! naming the Service and endpoint it comes from. The rules are facts read
//! from kube-proxy (`pkg/proxy/ipvs/proxier.go`, its endpoint
//! categorisation and its EndpointSlice cache); which of this host's
//! addresses carry node ports is `nodeport`'s. Where versions differ the
//! expectation carries what a comparison must accept from either.

use std::collections::HashMap;
use std::net::IpAddr;

use k8s_openapi::api::core::v1::{Node, Service, ServicePort};

use super::input::Cluster;
use super::nodeport::{self, Host, NodePortAddr, Proxier};
use crate::cli::NodePortAddresses;
use crate::ipvs::{Protocol, ServiceId};

/// kube-proxy's default scheduler.
pub const SCHEDULER: &str = "rr";

/// The session affinity timeout the API server defaults to (seconds).
pub const DEFAULT_AFFINITY_TIMEOUT: u32 = 10800;

/// This node, as the expectation needs it.
#[derive(Debug, Clone)]
pub struct ThisNode {
    pub name: String,
    /// The Node's InternalIP and ExternalIP addresses.
    pub addresses: Vec<IpAddr>,
    /// Its `topology.kubernetes.io/zone` label: the zone topology hints
    /// name.
    pub zone: Option<String>,
    /// Its kube-proxy's generation, from the Node's version.
    pub proxier: Proxier,
    /// Where node ports are expected: the addresses of this host its
    /// kube-proxy would use (`nodeport::addresses`).
    pub node_ports: Vec<NodePortAddr>,
}

/// Which of a Service's addresses a virtual service is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddressKind {
    ClusterIp,
    ExternalIp,
    LoadBalancer,
    NodePort,
}

/// The Service port a virtual service serves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceRef {
    pub namespace: String,
    pub name: String,
    /// Empty for an unnamed port.
    pub port_name: String,
    /// `ClusterIP`, `NodePort` or `LoadBalancer`.
    pub type_: String,
}

/// The endpoint a real server is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointRef {
    /// The Pod (namespace, name) of `targetRef`, when it names one.
    pub pod: Option<(String, String)>,
    pub node: Option<String>,
    pub ready: bool,
    pub serving: bool,
    pub terminating: bool,
}

/// A real server kube-proxy would have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpectedServer {
    pub addr: IpAddr,
    pub port: u16,
    /// 1 for an endpoint in use; 0 for a terminating one that is not,
    /// which kube-proxy drains at weight 0 and deletes once its
    /// connections are gone (so it may also be absent).
    pub weight: u32,
    pub endpoint: EndpointRef,
}

/// A virtual service kube-proxy would have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpectedService {
    pub id: ServiceId,
    pub scheduler: &'static str,
    /// Session affinity `ClientIP`: persistent with this timeout.
    pub persistence: Option<u32>,
    pub service: ServiceRef,
    pub kind: AddressKind,
    /// Weight 1 first, then the draining ones at weight 0.
    pub servers: Vec<ExpectedServer>,
    /// A Local traffic policy applies to this address.
    pub local: bool,
    /// False for a node port on a loopback address when the proxier's
    /// version is unknown: it may be there or not, and its absence is no
    /// finding.
    pub certain: bool,
    /// Local, with no local endpoint: the proxier since Kubernetes 1.22
    /// (PR 97081) then uses the cluster's endpoints, older ones none; an
    /// empty virtual service is explained either way.
    pub no_local_endpoint: bool,
}

/// One endpoint of one Service port, from the EndpointSlices.
#[derive(Debug, Clone)]
struct Ep {
    addr: IpAddr,
    port: u16,
    local: bool,
    endpoint: EndpointRef,
    /// Its topology hints: the zones (`hints.forZones`) and nodes
    /// (`hints.forNodes`) that should use it.
    zones: Vec<String>,
    nodes: Vec<String>,
}

/// The Service label that hands a Service to another proxy: kube-proxy
/// watches neither the Service nor its EndpointSlices.
const SERVICE_PROXY_NAME: &str = "service.kubernetes.io/service-proxy-name";
/// The EndpointSlice label naming its Service.
const SERVICE_NAME: &str = "kubernetes.io/service-name";
/// Set on the EndpointSlices of headless Services, which kube-proxy skips.
const HEADLESS: &str = "service.kubernetes.io/headless";
/// The Node label topology hints name zones by.
const ZONE: &str = "topology.kubernetes.io/zone";

/// A Node's InternalIP addresses, then its ExternalIP ones (the order
/// kube-proxy picks its primary addresses in: `GetNodeHostIPs`).
pub fn node_addresses(node: &Node) -> Vec<IpAddr> {
    let addrs = node.status.as_ref().and_then(|s| s.addresses.as_ref());
    let mut out = Vec::new();
    for kind in ["InternalIP", "ExternalIP"] {
        let of_kind = addrs.into_iter().flatten().filter(|a| a.type_ == kind);
        out.extend(of_kind.filter_map(|a| a.address.parse::<IpAddr>().ok()));
    }
    out
}

/// This node: the one named, or the Node one of whose InternalIP or
/// ExternalIP addresses is an address of this host; its node ports on the
/// host's addresses `want` narrows to.
pub fn this_node(
    cluster: &Cluster,
    name: Option<&str>,
    host: &Host,
    want: &NodePortAddresses,
) -> Option<ThisNode> {
    let node = cluster.nodes.iter().find(|n| {
        let n_name = n.metadata.name.as_deref();
        match name {
            Some(name) => n_name == Some(name),
            None => node_addresses(n).iter().any(|a| host.addrs.contains(a)),
        }
    })?;
    let addresses = node_addresses(node);
    let proxier = Proxier::of(node);
    Some(ThisNode {
        name: node.metadata.name.clone().unwrap_or_default(),
        node_ports: nodeport::addresses(want, proxier, host, &addresses),
        addresses,
        proxier,
        zone: node
            .metadata
            .labels
            .as_ref()
            .and_then(|l| l.get(ZONE))
            .filter(|z| !z.is_empty())
            .cloned(),
    })
}

/// The expected table, in the order of the Services and their ports.
pub fn expected(cluster: &Cluster, node: &ThisNode) -> Vec<ExpectedService> {
    let endpoints = endpoints(cluster, node);
    let mut out = Vec::new();
    for svc in &cluster.services {
        service(svc, node, &endpoints, &mut out);
    }
    out
}

/// The key an endpoint list is found under: namespace, Service name,
/// whether IPv6, port name, protocol.
type EpKey = (String, String, bool, String, Protocol);

fn protocol(p: Option<&str>) -> Option<Protocol> {
    // The API defaults a missing protocol to TCP.
    match p.unwrap_or("TCP") {
        "TCP" => Some(Protocol::Tcp),
        "UDP" => Some(Protocol::Udp),
        "SCTP" => Some(Protocol::Sctp),
        _ => None,
    }
}

/// Every usable endpoint, by Service port. As kube-proxy's EndpointSlice
/// cache: the first address of each endpoint only; unset `ready` and
/// `serving` are true, unset `terminating` false; a port without a number
/// is skipped; an address:port seen in an earlier slice is kept once.
fn endpoints(cluster: &Cluster, node: &ThisNode) -> HashMap<EpKey, Vec<Ep>> {
    let mut out: HashMap<EpKey, Vec<Ep>> = HashMap::new();
    for slice in &cluster.slices {
        let labels = slice.metadata.labels.as_ref();
        let label = |k: &str| labels.and_then(|l| l.get(k));
        if label(SERVICE_PROXY_NAME).is_some() || label(HEADLESS).is_some() {
            continue;
        }
        let (Some(svc_name), Some(ns)) = (label(SERVICE_NAME), &slice.metadata.namespace) else {
            continue;
        };
        let v6 = match slice.address_type.as_str() {
            "IPv4" => false,
            "IPv6" => true,
            // FQDN slices: kube-proxy has no use for them.
            _ => continue,
        };
        for port in slice.ports.iter().flatten() {
            let (Some(proto), Some(number)) = (
                protocol(port.protocol.as_deref()),
                port.port.and_then(|p| u16::try_from(p).ok()),
            ) else {
                continue;
            };
            let key = (
                ns.clone(),
                svc_name.clone(),
                v6,
                port.name.clone().unwrap_or_default(),
                proto,
            );
            let list = out.entry(key).or_default();
            for e in slice.endpoints.iter().flatten() {
                let Some(addr) = e.addresses.first().and_then(|a| a.parse::<IpAddr>().ok()) else {
                    continue;
                };
                if addr.is_ipv6() != v6 || list.iter().any(|x| x.addr == addr && x.port == number) {
                    continue;
                }
                let c = e.conditions.as_ref();
                let hints = e.hints.as_ref();
                let pod = e
                    .target_ref
                    .as_ref()
                    .filter(|r| r.kind.as_deref() == Some("Pod"));
                list.push(Ep {
                    addr,
                    port: number,
                    local: e.node_name.as_deref() == Some(node.name.as_str()),
                    endpoint: EndpointRef {
                        pod: pod.map(|r| {
                            (
                                r.namespace.clone().unwrap_or_else(|| ns.clone()),
                                r.name.clone().unwrap_or_default(),
                            )
                        }),
                        node: e.node_name.clone(),
                        ready: c.and_then(|c| c.ready).unwrap_or(true),
                        serving: c.and_then(|c| c.serving).unwrap_or(true),
                        terminating: c.and_then(|c| c.terminating).unwrap_or(false),
                    },
                    zones: hints
                        .and_then(|h| h.for_zones.as_ref())
                        .into_iter()
                        .flatten()
                        .map(|z| z.name.clone())
                        .collect(),
                    nodes: hints
                        .and_then(|h| h.for_nodes.as_ref())
                        .into_iter()
                        .flatten()
                        .map(|n| n.name.clone())
                        .collect(),
                });
            }
        }
    }
    out
}

/// What kube-proxy takes from a Service for its rules.
struct Policy {
    internal_local: bool,
    external_local: bool,
    /// LoadBalancer, NodePort, or ClusterIP with external IPs.
    externally_accessible: bool,
    persistence: Option<u32>,
}

fn service(
    svc: &Service,
    node: &ThisNode,
    endpoints: &HashMap<EpKey, Vec<Ep>>,
    out: &mut Vec<ExpectedService>,
) {
    let (Some(spec), Some(ns), Some(name)) = (
        svc.spec.as_ref(),
        svc.metadata.namespace.as_ref(),
        svc.metadata.name.as_ref(),
    ) else {
        return;
    };
    let labels = svc.metadata.labels.as_ref();
    if labels.is_some_and(|l| l.contains_key(SERVICE_PROXY_NAME)) {
        return;
    }
    let type_ = spec.type_.as_deref().unwrap_or("ClusterIP");
    if type_ == "ExternalName" {
        return;
    }
    // Dual-stack: `clusterIPs` (its first is `clusterIP`); headless
    // ("None") and unset get nothing.
    let cluster_ips: Vec<IpAddr> = match &spec.cluster_ips {
        Some(ips) if !ips.is_empty() => ips.iter().filter_map(|a| a.parse().ok()).collect(),
        _ => spec
            .cluster_ip
            .iter()
            .filter_map(|a| a.parse().ok())
            .collect(),
    };
    let external_ips: Vec<IpAddr> = spec
        .external_ips
        .iter()
        .flatten()
        .filter_map(|a| a.parse().ok())
        .collect();
    // Ingress addresses with `ipMode: Proxy` reach the node as the load
    // balancer's own traffic: kube-proxy makes no rule for them.
    let lb_ips: Vec<IpAddr> = svc
        .status
        .as_ref()
        .and_then(|s| s.load_balancer.as_ref())
        .and_then(|l| l.ingress.as_ref())
        .into_iter()
        .flatten()
        .filter(|i| i.ip_mode.as_deref() != Some("Proxy"))
        .filter_map(|i| i.ip.as_deref()?.parse().ok())
        .collect();
    let externally_accessible =
        type_ == "LoadBalancer" || type_ == "NodePort" || !external_ips.is_empty();
    let policy = Policy {
        internal_local: spec.internal_traffic_policy.as_deref() == Some("Local"),
        external_local: externally_accessible
            && spec.external_traffic_policy.as_deref() == Some("Local"),
        externally_accessible,
        persistence: (spec.session_affinity.as_deref() == Some("ClientIP")).then(|| {
            spec.session_affinity_config
                .as_ref()
                .and_then(|c| c.client_ip.as_ref())
                .and_then(|c| c.timeout_seconds)
                .and_then(|t| u32::try_from(t).ok())
                .unwrap_or(DEFAULT_AFFINITY_TIMEOUT)
        }),
    };
    for cluster_ip in &cluster_ips {
        let v6 = cluster_ip.is_ipv6();
        let same = |a: &&IpAddr| a.is_ipv6() == v6;
        for port in spec.ports.iter().flatten() {
            let Some(proto) = protocol(port.protocol.as_deref()) else {
                continue;
            };
            let sref = ServiceRef {
                namespace: ns.clone(),
                name: name.clone(),
                port_name: port.name.clone().unwrap_or_default(),
                type_: type_.to_string(),
            };
            let key = (ns.clone(), name.clone(), v6, sref.port_name.clone(), proto);
            let eps = endpoints.get(&key).map_or(&[][..], Vec::as_slice);
            let mut add = |addr: IpAddr, number: u16, kind: AddressKind, certain: bool| {
                let local = match kind {
                    AddressKind::ClusterIp => policy.internal_local,
                    _ => policy.external_local,
                };
                let (servers, no_local_endpoint) = servers(eps, &policy, local, node);
                out.push(ExpectedService {
                    id: ServiceId::Addr {
                        protocol: proto,
                        addr,
                        port: number,
                    },
                    scheduler: SCHEDULER,
                    persistence: policy.persistence,
                    service: sref.clone(),
                    kind,
                    servers,
                    local,
                    no_local_endpoint,
                    certain,
                });
            };
            let Ok(number) = u16::try_from(port.port) else {
                continue;
            };
            add(*cluster_ip, number, AddressKind::ClusterIp, true);
            for a in external_ips.iter().filter(same) {
                add(*a, number, AddressKind::ExternalIp, true);
            }
            for a in lb_ips.iter().filter(same) {
                add(*a, number, AddressKind::LoadBalancer, true);
            }
            if let Some(np) = node_port(port) {
                for a in node.node_ports.iter().filter(|a| same(&&a.addr)) {
                    add(a.addr, np, AddressKind::NodePort, a.certain);
                }
            }
        }
    }
}

fn node_port(port: &ServicePort) -> Option<u16> {
    port.node_port
        .and_then(|p| u16::try_from(p).ok())
        .filter(|&p| p != 0)
}

/// The real servers of one virtual service, as kube-proxy categorises
/// endpoints: the cluster's are the ready ones this node's topology
/// allows (see `Topology`) or, when there are none, the serving
/// terminating ones (and none at all when every policy that applies to
/// the Service is Local); the local ones likewise among this node's,
/// whatever the hints. A Local address uses the local ones, or the
/// cluster's when there are none. Terminating endpoints not in use are
/// drained (weight 0). Also tells whether a Local address found no local
/// endpoint.
fn servers(
    eps: &[Ep],
    policy: &Policy,
    local: bool,
    node: &ThisNode,
) -> (Vec<ExpectedServer>, bool) {
    let ready = |e: &&Ep| e.endpoint.ready;
    let fallback = |e: &&Ep| e.endpoint.serving && e.endpoint.terminating;
    let pick = |pool: &dyn Fn(&&Ep) -> bool| -> Vec<&Ep> {
        let r: Vec<&Ep> = eps.iter().filter(pool).filter(ready).collect();
        if r.is_empty() {
            eps.iter().filter(fallback).filter(pool).collect()
        } else {
            r
        }
    };
    let uses_cluster =
        !policy.internal_local || (policy.externally_accessible && !policy.external_local);
    let cluster = if uses_cluster {
        let topology = Topology::of(eps, node);
        let r: Vec<&Ep> = eps
            .iter()
            .filter(ready)
            .filter(|e| topology.allows(e, node))
            .collect();
        // No ready endpoint anywhere (the topology never leaves a node
        // with none when there is one): the serving terminating ones,
        // hints or not.
        if r.is_empty() {
            eps.iter().filter(fallback).collect()
        } else {
            r
        }
    } else {
        vec![]
    };
    let local_eps = pick(&|e| e.local);
    let (used, no_local) = match (local, local_eps.is_empty()) {
        (true, false) => (local_eps, false),
        (true, true) => (cluster, true),
        (false, _) => (cluster, false),
    };
    let mut out: Vec<ExpectedServer> = used.iter().map(|e| server(e, 1)).collect();
    let draining = eps.iter().filter(|e| {
        e.endpoint.terminating && !used.iter().any(|u| u.addr == e.addr && u.port == e.port)
    });
    out.extend(draining.map(|e| server(e, 0)));
    (out, no_local)
}

/// Which of a Service port's ready endpoints this node's proxier uses for
/// the cluster's traffic, from their topology hints (kube-proxy's
/// `topologyModeFromHints`): this node's, when every ready endpoint has a
/// node hint and one names this node (`trafficDistribution:
/// PreferSameNode`; the PreferSameTrafficDistribution gate, on by
/// default since Kubernetes 1.34, is taken as on); else this zone's,
/// when every ready endpoint has a zone hint and one names this node's
/// zone (`PreferClose`, `PreferSameZone`, topology mode Auto); else all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Topology {
    All,
    SameNode,
    SameZone,
}

impl Topology {
    fn of(eps: &[Ep], node: &ThisNode) -> Topology {
        let ready: Vec<&Ep> = eps.iter().filter(|e| e.endpoint.ready).collect();
        if ready.is_empty() {
            return Topology::All;
        }
        let all_and_one = |hints: fn(&Ep) -> &Vec<String>, mine: Option<&str>| {
            ready.iter().all(|e| !hints(e).is_empty())
                && mine.is_some_and(|m| ready.iter().any(|e| hints(e).iter().any(|h| h == m)))
        };
        if all_and_one(|e| &e.nodes, Some(node.name.as_str())) {
            Topology::SameNode
        } else if all_and_one(|e| &e.zones, node.zone.as_deref()) {
            Topology::SameZone
        } else {
            Topology::All
        }
    }

    fn allows(self, e: &Ep, node: &ThisNode) -> bool {
        match self {
            Topology::All => true,
            Topology::SameNode => e.nodes.contains(&node.name),
            Topology::SameZone => node.zone.as_ref().is_some_and(|z| e.zones.contains(z)),
        }
    }
}

fn server(e: &Ep, weight: u32) -> ExpectedServer {
    ExpectedServer {
        addr: e.addr,
        port: e.port,
        weight,
        endpoint: e.endpoint.clone(),
    }
}
