//! Unit tests of the way out of IPVS mode: ownership from kube-proxy's
//! marks, the findings of each switch, and the cleanup's plan.

use std::collections::HashSet;
use std::net::IpAddr;

use super::cleanup::plan;
use super::migrate::{findings, kube_chains, kube_ipsets, Outside};
use super::owner::{judge, Context, Owner, Ownership, NODE_PORTS};
use super::view::Explained;
use crate::cli::MigrationTarget;
use crate::ipvs::{
    Dest, DestConfig, Family, Forward, Protocol, Service, ServiceConfig, ServiceId, Stats,
};

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

fn tcp(addr: &str, port: u16) -> Service {
    Service {
        id: ServiceId::Addr {
            protocol: Protocol::Tcp,
            addr: ip(addr),
            port,
        },
        config: ServiceConfig::default(),
        stats: Stats::default(),
    }
}

fn server(addr: &str, forward: Forward) -> Dest {
    Dest {
        addr: ip(addr),
        port: 80,
        config: DestConfig {
            forward,
            weight: 1,
            ..DestConfig::default()
        },
        conns: Default::default(),
        stats: Stats::default(),
    }
}

struct Node {
    kube_ipvs0: HashSet<IpAddr>,
    host: HashSet<IpAddr>,
}

impl Node {
    fn new() -> Node {
        Node {
            kube_ipvs0: [ip("10.96.0.1"), ip("10.96.0.99")].into(),
            host: [ip("192.168.1.10"), ip("10.96.0.1"), ip("10.96.0.99")].into(),
        }
    }

    fn owner(&self, s: &Service, d: &[Dest]) -> Owner {
        self.judge(s, d, NODE_PORTS).owner
    }

    fn judge(&self, s: &Service, d: &[Dest], range: std::ops::RangeInclusive<u16>) -> Ownership {
        self.judge_with(s, d, range, None)
    }

    fn judge_with(
        &self,
        s: &Service,
        d: &[Dest],
        range: std::ops::RangeInclusive<u16>,
        expected: Option<&Explained>,
    ) -> Ownership {
        let ctx = Context {
            kube_ipvs0: &self.kube_ipvs0,
            host: &self.host,
            node_ports: range,
            expected,
        };
        judge(s, d, &ctx)
    }
}

#[test]
fn ownership_from_kube_proxys_marks() {
    let n = Node::new();
    let masq = [server("10.244.0.5", Forward::Masq)];
    assert_eq!(n.owner(&tcp("10.96.0.1", 443), &masq), Owner::KubeProxy);
    assert_eq!(n.owner(&tcp("10.96.0.1", 443), &[]), Owner::KubeProxy);
    assert_eq!(
        n.owner(&tcp("192.168.1.10", 30080), &masq),
        Owner::LikelyKubeProxy
    );
    // Out of the node port range, or not a host address: someone else's.
    assert_eq!(n.owner(&tcp("192.168.1.10", 8080), &masq), Owner::Other);
    assert_eq!(n.owner(&tcp("172.16.0.1", 30080), &masq), Owner::Other);
    let narrow = n.judge(&tcp("192.168.1.10", 31000), &masq, 30000..=30100);
    assert_eq!(narrow.owner, Owner::Other);
    // Direct routing, tunnels and firewall marks are never kube-proxy's,
    // even on kube-ipvs0.
    let dr = [
        server("10.244.0.5", Forward::Masq),
        server("10.0.0.9", Forward::Route),
    ];
    let o = n.judge(&tcp("10.96.0.1", 443), &dr, NODE_PORTS);
    assert_eq!(o.owner, Owner::Other);
    assert!(
        o.evidence[0].contains("10.0.0.9:80 routed directly"),
        "{o:?}"
    );
    let tun = [server("10.0.0.9", Forward::Tunnel)];
    assert_eq!(n.owner(&tcp("10.96.0.1", 443), &tun), Owner::Other);
    let mut fwm = tcp("10.96.0.1", 443);
    fwm.id = ServiceId::Fwmark {
        family: Family::Inet,
        mark: 7,
    };
    assert_eq!(n.owner(&fwm, &masq), Owner::Other);
    // With the cluster's objects, a node port no Service explains stays
    // only likely kube-proxy's, told as a leftover (the check's orphan).
    let none = Explained::new(&[]);
    let o = n.judge_with(&tcp("192.168.1.10", 30080), &masq, NODE_PORTS, Some(&none));
    assert_eq!(o.owner, Owner::LikelyKubeProxy);
    assert_eq!(o.evidence.last().unwrap(), "no Service: a leftover");
}

/// A node with one service of each owner and a foreign address.
type Mixed = (Vec<(Service, Vec<Dest>)>, Vec<Ownership>, Vec<IpAddr>);

fn mixed() -> Mixed {
    let n = Node::new();
    let masq = vec![server("10.244.0.5", Forward::Masq)];
    let table = vec![
        (tcp("10.96.0.1", 443), masq.clone()),
        (tcp("192.168.1.10", 30080), masq.clone()),
        (
            tcp("192.168.1.10", 80),
            vec![server("192.168.1.20", Forward::Route)],
        ),
    ];
    let owners = table
        .iter()
        .map(|(s, d)| n.judge(s, d, NODE_PORTS))
        .collect();
    (table, owners, vec![ip("10.96.0.1"), ip("10.96.0.99")])
}

fn codes(target: MigrationTarget) -> Vec<(String, String)> {
    let (table, owners, bound) = mixed();
    findings(target, &table, &owners, &bound, &Outside::default())
        .into_iter()
        .filter_map(|c| c.code.map(|x| (x.to_string(), c.subject)))
        .collect()
}

fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn what_each_switch_would_do() {
    assert_eq!(
        codes(MigrationTarget::Nftables),
        pairs(&[
            ("UNCERTAIN_OWNER", "TCP 192.168.1.10:30080"),
            ("FOREIGN_AT_RISK", "TCP 192.168.1.10:80"),
            ("FOREIGN_ADDRESS_AT_RISK", "10.96.0.99"),
        ])
    );
    assert_eq!(
        codes(MigrationTarget::Iptables),
        pairs(&[
            ("LEFTOVER_AFTER_SWITCH", "TCP 10.96.0.1:443"),
            ("UNCERTAIN_OWNER", "TCP 192.168.1.10:30080"),
            ("LEFTOVER_AFTER_SWITCH", "kube-ipvs0"),
        ])
    );
    // No kube-proxy service at all: nothing is left over.
    let (table, owners, bound) = mixed();
    let only_other = findings(
        MigrationTarget::Iptables,
        &table[2..],
        &owners[2..],
        &bound,
        &Outside::default(),
    );
    assert!(
        only_other.iter().all(|c| c.code.is_none()),
        "{only_other:?}"
    );
}

#[test]
fn ipsets_and_chains_are_read() {
    let sets = "KUBE-CLUSTER-IP\nKUBE-LOOP-BACK\nmy-set\n";
    assert_eq!(kube_ipsets(sets), ["KUBE-CLUSTER-IP", "KUBE-LOOP-BACK"]);
    let save = "*nat\n:PREROUTING ACCEPT [0:0]\n:KUBE-SERVICES - [0:0]\n-A PREROUTING -j KUBE-SERVICES\n*filter\n:KUBE-FIREWALL - [0:0]\n:KUBE-SERVICES - [0:0]\nCOMMIT\n";
    assert_eq!(kube_chains(save), ["KUBE-SERVICES", "KUBE-FIREWALL"]);
}

#[test]
fn the_cleanup_takes_kube_proxys_part_alone() {
    let (table, owners, bound) = mixed();
    let none = HashSet::new();
    let p = plan(&table, &owners, Some(&bound), false, &none);
    assert_eq!(p.services, [0]);
    assert_eq!(p.kept_likely, [1]);
    assert_eq!(p.addresses, [ip("10.96.0.1")]);
    assert!(!p.delete_interface, "a foreign address stays on it");
    let p = plan(&table, &owners, Some(&bound), true, &none);
    assert_eq!(p.services, [0, 1]);
    // The cluster names 10.96.0.99 as a Service's address: it goes, and
    // kube-ipvs0 with it.
    let cluster: HashSet<IpAddr> = [ip("10.96.0.99")].into();
    let p = plan(&table, &owners, Some(&bound), true, &cluster);
    assert_eq!(p.addresses, [ip("10.96.0.1"), ip("10.96.0.99")]);
    assert!(p.delete_interface);
    // No kube-ipvs0: nothing to take off or delete.
    let p = plan(&table, &owners, None, true, &none);
    assert!(p.addresses.is_empty() && !p.delete_interface);
}
