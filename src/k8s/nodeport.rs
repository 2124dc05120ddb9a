//! Which of this host's addresses kube-proxy's IPVS proxier serves a node
//! port on: facts read from its node port code across versions, applied
//! to this host's addresses (as the node check reads them), kube-ipvs0's
//! and `--nodeport-addresses` (kube-proxy's flag and `nodePortAddresses`).
//! Pure.
//!
//! Mirrored: `NewNodePortAddresses`, `MatchAll` and `GetNodeIPs`
//! (pkg/proxy/util/nodeport_addresses.go, 1.27 on) and `GetNodeAddresses`
//! (pkg/proxy/util/utils.go before); the proxier's node IP list
//! (`syncProxyRules` in pkg/proxy/ipvs/proxier.go) with `NodeIPs` or
//! `GetAllLocalAddressesExcept` and `isValidForSet`
//! (pkg/proxy/ipvs/netlink_linux.go); the `primary` keyword as
//! cmd/kube-proxy/app/server.go resolves it (`localhost` and `all`, of
//! the newest versions, are CIDRs: `cli::nodeport`). The rules:
//! - Per family, the CIDRs of that family; none, or a zero one
//!   (`0.0.0.0/0`, `::/0`), is every address ("match all").
//! - Match all: every address on an interface other than kube-ipvs0,
//!   IPv6 link-local ones left out.
//! - CIDRs: every address of the host inside one of them, kube-ipvs0's
//!   and link-local ones included (the interface list is not filtered).
//! - Loopback addresses: used by 1.21 and older (the local routing table's
//!   sources: `127.0.0.1`, `::1`), never since 1.22 (PRs 101023 and
//!   101429: localhost node ports never worked in IPVS mode).
//! - 1.21 and older, matching all, took IPv4 addresses from the local
//!   routes' preferred source, which for a secondary address is the
//!   primary one of its subnet: secondary IPv4 addresses get none there.
//! - `primary`: the Node's first address of each family (InternalIPs
//!   before ExternalIPs), as a `/32` or `/128`, unless loopback; a family
//!   without one matches all.
//!
//! Where the Node says no version, what only one generation uses is
//! optional: neither missed nor an orphan.

use std::collections::HashSet;
use std::net::IpAddr;

use k8s_openapi::api::core::v1::Node;

use crate::cli::nodeport::network;
use crate::cli::NodePortAddresses;

/// How the node's proxier finds node addresses, by its version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Proxier {
    /// Kubernetes 1.21 and older: loopback addresses have node ports,
    /// secondary IPv4 ones none (when matching all).
    Before122,
    /// 1.22 and newer: the other way round.
    Since122,
    /// The Node says no version: a node port only one of them makes may
    /// be there or not.
    Unknown,
}

impl Proxier {
    /// From the Node's `status.nodeInfo`: `kubeProxyVersion` (deprecated,
    /// empty on newer nodes), else `kubeletVersion`, which kube-proxy
    /// follows within the version skew Kubernetes allows.
    pub fn of(node: &Node) -> Proxier {
        let info = node.status.as_ref().and_then(|s| s.node_info.as_ref());
        let version = info.and_then(|i| {
            [&i.kube_proxy_version, &i.kubelet_version]
                .into_iter()
                .find_map(|v| minor_of(v))
        });
        match version {
            Some(minor) if minor < 22 => Proxier::Before122,
            Some(_) => Proxier::Since122,
            None => Proxier::Unknown,
        }
    }

    /// Whether an address gets node ports, from whether the older and
    /// the newer proxier would use it: `Some(certain)`, or `None`.
    fn uses(self, old: bool, new: bool) -> Option<bool> {
        match (self, old, new) {
            (Proxier::Before122, true, _) | (Proxier::Since122, _, true) => Some(true),
            (Proxier::Unknown, true, true) => Some(true),
            (Proxier::Unknown, true, false) | (Proxier::Unknown, false, true) => Some(false),
            _ => None,
        }
    }
}

/// The minor version of `v1.MINOR...` (`v1.20.15`, `v1.28.3+k3s1`).
fn minor_of(v: &str) -> Option<u32> {
    let rest = v.strip_prefix('v').unwrap_or(v).strip_prefix("1.")?;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// An address node ports are expected on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NodePortAddr {
    pub addr: IpAddr,
    /// False when only one generation of the proxier uses it and the
    /// Node says no version: kube-proxy may or may not use it.
    pub certain: bool,
}

/// This host's addresses as node ports need them.
#[derive(Debug, Clone, Copy)]
pub struct Host<'a> {
    /// Every address of the host, kube-ipvs0's included.
    pub addrs: &'a [IpAddr],
    /// The addresses on kube-ipvs0.
    pub kube_ipvs0: &'a [IpAddr],
    /// The secondary IPv4 addresses (`IFA_F_SECONDARY`).
    pub secondary: &'a [IpAddr],
}

/// The addresses kube-proxy would serve node ports on, IPv4 first, each
/// once, in the host's order. `node_addrs` are the Node's InternalIP and
/// ExternalIP addresses, in that order (for `primary`).
pub fn addresses(
    want: &NodePortAddresses,
    proxier: Proxier,
    host: &Host,
    node_addrs: &[IpAddr],
) -> Vec<NodePortAddr> {
    let mut cidrs = want.cidrs.clone();
    if want.primary {
        cidrs.extend(primary(node_addrs));
    }
    // A set: kube-ipvs0 has an address per Service.
    let on_kube_ipvs0: HashSet<&IpAddr> = host.kube_ipvs0.iter().collect();
    let mut out: Vec<NodePortAddr> = Vec::new();
    for v6 in [false, true] {
        let family: Vec<(IpAddr, u8)> = cidrs
            .iter()
            .copied()
            .filter(|c| c.0.is_ipv6() == v6)
            .collect();
        let match_all = family.is_empty() || family.iter().any(|c| c.1 == 0);
        for &a in host.addrs.iter().filter(|a| a.is_ipv6() == v6) {
            let chosen = if match_all {
                !(on_kube_ipvs0.contains(&a) || (v6 && link_local_v6(a)))
            } else {
                family.iter().any(|&(net, len)| network(a, len) == net)
            };
            if !chosen || out.iter().any(|x| x.addr == a) {
                continue;
            }
            // The older proxier's sources of local routes: loopback ones
            // in, a secondary address hidden behind its subnet's primary
            // one; the newer one's interface addresses: loopback ones out.
            let old = !(match_all && host.secondary.contains(&a));
            let Some(certain) = proxier.uses(old, !a.is_loopback()) else {
                continue;
            };
            out.push(NodePortAddr { addr: a, certain });
        }
    }
    out
}

/// `primary`: the Node's first address of each family, unless loopback.
fn primary(node_addrs: &[IpAddr]) -> Vec<(IpAddr, u8)> {
    let first = |v6: bool| node_addrs.iter().copied().find(|a| a.is_ipv6() == v6);
    [first(false), first(true)]
        .into_iter()
        .flatten()
        .filter(|a| !a.is_loopback())
        .map(|a| (a, if a.is_ipv6() { 128 } else { 32 }))
        .collect()
}

/// `fe80::/10`, Go's `IsLinkLocalUnicast` for IPv6.
fn link_local_v6(a: IpAddr) -> bool {
    match a {
        IpAddr::V6(v) => v.segments()[0] & 0xffc0 == 0xfe80,
        IpAddr::V4(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ips(list: &[&str]) -> Vec<IpAddr> {
        list.iter().map(|s| s.parse().unwrap()).collect()
    }

    /// The seed's node: lo, eth0, docker0, tunl0, kube-ipvs0's ClusterIPs,
    /// and IPv6 on lo and eth0 (one link-local).
    const HOST: &[&str] = &[
        "127.0.0.1",
        "192.168.188.61",
        "172.17.0.1",
        "10.244.235.192",
        "10.96.0.1",
        "10.96.0.10",
        "::1",
        "fe80::5054:ff:fe12:3456",
        "fd00:188::61",
    ];
    const KUBE_IPVS0: &[&str] = &["10.96.0.1", "10.96.0.10"];

    fn pick(want: &NodePortAddresses, proxier: Proxier) -> Vec<(String, bool)> {
        let (addrs, kube) = (ips(HOST), ips(KUBE_IPVS0));
        let host = Host {
            addrs: &addrs,
            kube_ipvs0: &kube,
            secondary: &[],
        };
        let node = ips(&["192.168.188.61", "fd00:188::61", "198.18.0.61"]);
        addresses(want, proxier, &host, &node)
            .into_iter()
            .map(|a| (a.addr.to_string(), a.certain))
            .collect()
    }

    fn sure(list: &[&str]) -> Vec<(String, bool)> {
        list.iter().map(|s| (s.to_string(), true)).collect()
    }

    #[test]
    fn every_address_but_kube_ipvs0_and_link_local_loopback_by_version() {
        let all = NodePortAddresses::default();
        assert_eq!(
            pick(&all, Proxier::Before122),
            sure(&[
                "127.0.0.1",
                "192.168.188.61",
                "172.17.0.1",
                "10.244.235.192",
                "::1",
                "fd00:188::61"
            ])
        );
        assert_eq!(
            pick(&all, Proxier::Since122),
            sure(&[
                "192.168.188.61",
                "172.17.0.1",
                "10.244.235.192",
                "fd00:188::61"
            ])
        );
        let unknown = pick(&all, Proxier::Unknown);
        assert_eq!(unknown[0], ("127.0.0.1".to_string(), false));
        assert_eq!(unknown[4], ("::1".to_string(), false));
        assert_eq!(unknown.iter().filter(|x| x.1).count(), 4);
    }

    #[test]
    fn cidrs_narrow_per_family_and_see_every_interface() {
        let c = |s: &str| NodePortAddresses::parse_flag(s).unwrap();
        // IPv4 narrowed; IPv6 has no CIDR, so it matches all.
        assert_eq!(
            pick(&c("192.168.188.0/24,10.96.0.0/16"), Proxier::Since122),
            sure(&["192.168.188.61", "10.96.0.1", "10.96.0.10", "fd00:188::61"])
        );
        // A zero CIDR among others matches all of its family.
        assert_eq!(
            pick(
                &c("192.168.188.0/24,0.0.0.0/0,fe80::/10"),
                Proxier::Since122
            ),
            sure(&[
                "192.168.188.61",
                "172.17.0.1",
                "10.244.235.192",
                "fe80::5054:ff:fe12:3456"
            ])
        );
        // Loopback named explicitly: only the older proxier uses it.
        assert_eq!(
            pick(&c("127.0.0.0/8,::1/128"), Proxier::Before122)[..2],
            sure(&["127.0.0.1", "::1"])[..]
        );
        assert!(pick(&c("127.0.0.0/8,::1/128"), Proxier::Since122).is_empty());
    }

    #[test]
    fn the_newest_keywords_localhost_and_all() {
        let c = |s: &str| NodePortAddresses::parse_flag(s).unwrap();
        // localhost: the loopback addresses, which only 1.21 and older use.
        assert!(pick(&c("localhost"), Proxier::Since122).is_empty());
        assert_eq!(
            pick(&c("localhost"), Proxier::Before122),
            sure(&["127.0.0.1", "::1"])
        );
        // all: every address, whatever else is named beside it.
        assert_eq!(
            pick(&c("primary,all"), Proxier::Since122),
            pick(&NodePortAddresses::default(), Proxier::Since122)
        );
        // primary with a CIDR: both.
        assert_eq!(
            pick(&c("primary,172.17.0.0/16"), Proxier::Since122),
            sure(&["192.168.188.61", "172.17.0.1", "fd00:188::61"])
        );
    }

    #[test]
    fn primary_is_the_nodes_first_address_of_each_family() {
        assert_eq!(
            pick(
                &NodePortAddresses::parse_flag("primary").unwrap(),
                Proxier::Since122
            ),
            sure(&["192.168.188.61", "fd00:188::61"])
        );
        // No IPv6 address on the Node: IPv6 matches all; a loopback first
        // address is no primary one, so IPv4 matches all too.
        let (addrs, kube) = (ips(HOST), ips(KUBE_IPVS0));
        let host = Host {
            addrs: &addrs,
            kube_ipvs0: &kube,
            secondary: &[],
        };
        let on = |node: &[&str]| -> Vec<String> {
            let got = addresses(
                &NodePortAddresses::parse_flag("primary").unwrap(),
                Proxier::Before122,
                &host,
                &ips(node),
            );
            got.iter().map(|a| a.addr.to_string()).collect()
        };
        assert_eq!(on(&["172.17.0.1"]), ["172.17.0.1", "::1", "fd00:188::61"]);
        assert_eq!(on(&["127.0.0.1", "172.17.0.1"]).len(), 6);
    }

    #[test]
    fn a_secondary_ipv4_address_only_since_1_22_unless_named() {
        let addrs = ips(&["192.168.188.61", "192.168.188.62", "fd00::1", "fd00::2"]);
        let secondary = ips(&["192.168.188.62", "fd00::2"]);
        let host = Host {
            addrs: &addrs,
            kube_ipvs0: &[],
            secondary: &secondary[..1],
        };
        let got = |want: &NodePortAddresses, p: Proxier| -> Vec<(String, bool)> {
            let got = addresses(want, p, &host, &[]);
            got.iter()
                .map(|a| (a.addr.to_string(), a.certain))
                .collect()
        };
        let all = NodePortAddresses::default();
        assert_eq!(
            got(&all, Proxier::Before122),
            sure(&["192.168.188.61", "fd00::1", "fd00::2"])
        );
        assert_eq!(got(&all, Proxier::Since122).len(), 4);
        assert_eq!(
            got(&all, Proxier::Unknown)[1],
            ("192.168.188.62".to_string(), false)
        );
        let named = NodePortAddresses::parse_flag("192.168.188.0/24").unwrap();
        assert_eq!(got(&named, Proxier::Before122).len(), 4);
    }

    #[test]
    fn the_version_from_kube_proxy_else_the_kubelet() {
        let node = |proxy: &str, kubelet: &str| -> Node {
            serde_json::from_value(serde_json::json!({"status": {"nodeInfo": {
                "kubeProxyVersion": proxy, "kubeletVersion": kubelet}}}))
            .unwrap()
        };
        assert_eq!(Proxier::of(&node("v1.20.15", "")), Proxier::Before122);
        assert_eq!(Proxier::of(&node("", "v1.22.0-rc.0")), Proxier::Since122);
        assert_eq!(Proxier::of(&node("", "v1.33.1+k3s1")), Proxier::Since122);
        assert_eq!(Proxier::of(&node("v1.21.3", "v1.30.0")), Proxier::Before122);
        assert_eq!(Proxier::of(&node("", "")), Proxier::Unknown);
        assert_eq!(Proxier::of(&node("2.0", "")), Proxier::Unknown);
        assert_eq!(Proxier::of(&Node::default()), Proxier::Unknown);
    }
}
