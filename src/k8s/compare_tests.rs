//! Unit tests of the comparison: a node built exactly as the fixture
//! cluster expects gives no finding; then drift is planted one kind at a
//! time, and each is found with its code and nothing else. Beside them,
//! what reads the same expectation: `-L --k8s`'s view and the exporter's
//! table filters.

use std::net::IpAddr;

use super::compare::{compare, Code, Live};
use super::expect::{expected, this_node, AddressKind, ExpectedService};
use super::nodeport::Host;
use super::tests::{node, read, LIST};
use crate::cli::NodePortAddresses;
use crate::ipvs::{svc_flags, Dest, DestConfig, Service, ServiceConfig, ServiceId, Stats};

/// The node's table as kube-proxy builds it: every expected virtual
/// service, its servers in use at weight 1 (the drained ones gone).
fn built(table: &[ExpectedService]) -> Vec<(Service, Vec<Dest>)> {
    table
        .iter()
        .map(|e| {
            let config = ServiceConfig {
                scheduler: e.scheduler.into(),
                flags: if e.persistence.is_some() {
                    svc_flags::PERSISTENT
                } else {
                    0
                },
                timeout: e.persistence.unwrap_or(0),
                ..ServiceConfig::default()
            };
            let dests = e.servers.iter().filter(|x| x.weight > 0);
            let dests = dests.map(|x| dest(x.addr, x.port, 1)).collect();
            let stats = Stats::default();
            (
                Service {
                    id: e.id,
                    config,
                    stats,
                },
                dests,
            )
        })
        .collect()
}

/// A virtual service with the default configuration and no server.
fn bare(id: ServiceId) -> (Service, Vec<Dest>) {
    let config = ServiceConfig::default();
    (
        Service {
            id,
            config,
            stats: Stats::default(),
        },
        vec![],
    )
}

/// A virtual service no Service of the fixture explains: TCP 10.99.0.1:80.
fn stranger() -> (Service, Vec<Dest>) {
    bare(ServiceId::Addr {
        protocol: crate::ipvs::Protocol::Tcp,
        addr: "10.99.0.1".parse().unwrap(),
        port: 80,
    })
}

fn dest(addr: IpAddr, port: u16, weight: u32) -> Dest {
    Dest {
        addr,
        port,
        config: DestConfig {
            weight,
            ..DestConfig::default()
        },
        conns: Default::default(),
        stats: Stats::default(),
    }
}

/// The fixture cluster on node-a, and the node as kube-proxy left it:
/// its table, the virtual addresses on kube-ipvs0, the host's addresses.
struct Node {
    expected: Vec<ExpectedService>,
    table: Vec<(Service, Vec<Dest>)>,
    kube_ipvs0: Vec<IpAddr>,
    host: Vec<IpAddr>,
}

fn node_a() -> Node {
    let c = read(&[LIST]);
    let this = node(&c, "node-a");
    let expected = expected(&c, &this);
    let mut kube_ipvs0: Vec<IpAddr> = Vec::new();
    for e in expected.iter().filter(|e| e.kind != AddressKind::NodePort) {
        if let ServiceId::Addr { addr, .. } = e.id {
            if !kube_ipvs0.contains(&addr) {
                kube_ipvs0.push(addr);
            }
        }
    }
    let mut host = this.addresses.clone();
    host.extend(&kube_ipvs0);
    Node {
        table: built(&expected),
        expected,
        kube_ipvs0,
        host,
    }
}

impl Node {
    fn codes(&self) -> Vec<(Code, String, Option<String>)> {
        let live = Live {
            services: &self.table,
            kube_ipvs0: &self.kube_ipvs0,
            host: &self.host,
        };
        compare(&self.expected, &live)
            .into_iter()
            .map(|f| (f.code, f.rule, f.server))
            .collect()
    }

    fn service(&mut self, rule: &str) -> &mut (Service, Vec<Dest>) {
        let at = self
            .table
            .iter()
            .position(|(s, _)| super::compare::Rule(&s.id).to_string() == rule);
        &mut self.table[at.unwrap_or_else(|| panic!("no {rule}"))]
    }
}

fn one(code: Code, rule: &str, server: Option<&str>) -> Vec<(Code, String, Option<String>)> {
    vec![(code, rule.to_string(), server.map(String::from))]
}

const DNS: &str = "UDP 10.96.0.10:53";

#[test]
fn a_node_as_kube_proxy_builds_it_is_clean() {
    assert_eq!(node_a().codes(), vec![]);
}

#[test]
fn a_deleted_real_server_is_missing() {
    let mut n = node_a();
    n.service(DNS).1.remove(0);
    assert_eq!(
        n.codes(),
        one(Code::MissingServer, DNS, Some("-> 10.244.1.5:53"))
    );
}

#[test]
fn an_extra_real_server_is_stale_and_at_weight_0_draining() {
    let mut n = node_a();
    let extra: IpAddr = "10.244.3.3".parse().unwrap();
    n.service(DNS).1.push(dest(extra, 53, 1));
    assert_eq!(
        n.codes(),
        one(Code::StaleServer, DNS, Some("-> 10.244.3.3:53"))
    );
    n.service(DNS).1.last_mut().unwrap().config.weight = 0;
    assert_eq!(
        n.codes(),
        one(Code::Draining, DNS, Some("-> 10.244.3.3:53"))
    );
    assert!(!Code::Draining.needs_attention());
}

#[test]
fn a_ready_endpoint_at_weight_0() {
    let mut n = node_a();
    n.service(DNS).1[1].config.weight = 0;
    assert_eq!(
        n.codes(),
        one(Code::ZeroWeightReady, DNS, Some("-> 10.244.2.7:53"))
    );
}

#[test]
fn a_terminating_endpoint_drained_or_still_in_use() {
    let web = "TCP 10.96.10.20:80";
    let mut n = node_a();
    let addr: IpAddr = "10.244.2.9".parse().unwrap();
    n.service(web).1.push(dest(addr, 8080, 0));
    assert_eq!(
        n.codes(),
        one(Code::Draining, web, Some("-> 10.244.2.9:8080"))
    );
    n.service(web).1.last_mut().unwrap().config.weight = 1;
    assert_eq!(
        n.codes(),
        one(Code::StaleServer, web, Some("-> 10.244.2.9:8080"))
    );
}

#[test]
fn a_service_without_its_virtual_service() {
    let mut n = node_a();
    n.table
        .retain(|(s, _)| super::compare::Rule(&s.id).to_string() != DNS);
    assert_eq!(n.codes(), one(Code::MissingService, DNS, None));
}

#[test]
fn a_virtual_service_and_its_address_left_behind() {
    let mut n = node_a();
    let gone: IpAddr = "10.96.99.9".parse().unwrap();
    let id = ServiceId::Addr {
        protocol: crate::ipvs::Protocol::Tcp,
        addr: gone,
        port: 80,
    };
    n.table.push(bare(id));
    n.kube_ipvs0.push(gone);
    assert_eq!(
        n.codes(),
        one(Code::OrphanService, "TCP 10.96.99.9:80", None)
    );
    // The virtual service deleted, the address left bound.
    n.table.pop();
    assert_eq!(n.codes(), one(Code::OrphanAddress, "10.96.99.9", None));
}

#[test]
fn node_ports_on_host_addresses_kube_proxy_would_not_use_are_orphans() {
    let mut n = node_a();
    let other: IpAddr = "172.17.0.1".parse().unwrap();
    n.host.push(other);
    let np = |port| ServiceId::Addr {
        protocol: crate::ipvs::Protocol::Tcp,
        addr: other,
        port,
    };
    // The expectation (made without this address) has no node port here:
    // even a node port of the cluster's is no Service's on it.
    n.table.push(bare(np(30080)));
    assert_eq!(
        n.codes(),
        one(Code::OrphanService, "TCP 172.17.0.1:30080", None)
    );
    // Someone else's rule, not in the node port range: not ours to judge.
    n.table.pop();
    n.table.push(bare(np(8080)));
    assert_eq!(n.codes(), vec![]);
}

#[test]
fn a_node_port_on_every_address_of_the_host_each_missed_alone() {
    let c = read(&[LIST]);
    let mut addrs = node(&c, "node-a").addresses;
    addrs.push("172.17.0.1".parse().unwrap());
    let host = Host {
        addrs: &addrs,
        kube_ipvs0: &[],
        secondary: &[],
    };
    let this = this_node(&c, Some("node-a"), &host, &NodePortAddresses::default()).unwrap();
    let expected = expected(&c, &this);
    let on_docker: Vec<&ExpectedService> = expected
        .iter()
        .filter(|e| matches!(e.id, ServiceId::Addr { addr, .. } if addr == addrs[3]))
        .collect();
    assert_eq!(on_docker.len(), 2, "shop/web and shop/lb");
    let mut table = built(&expected);
    let at = table.iter().position(|(s, _)| s.id == on_docker[0].id);
    table.remove(at.unwrap());
    let live = Live {
        services: &table,
        kube_ipvs0: &[],
        host: &addrs,
    };
    let got: Vec<(Code, String)> = compare(&expected, &live)
        .into_iter()
        .filter(|f| f.code.needs_attention())
        .map(|f| (f.code, f.rule))
        .collect();
    assert_eq!(
        got,
        [(Code::MissingService, "TCP 172.17.0.1:30080".to_string())]
    );
}

#[test]
fn affinity_removed_or_its_timeout_changed() {
    let web = "TCP 10.96.10.20:80";
    let mut n = node_a();
    n.service(web).0.config.flags = 0;
    assert_eq!(n.codes(), one(Code::AffinityMismatch, web, None));
    n.service(web).0.config.flags = svc_flags::PERSISTENT;
    n.service(web).0.config.timeout = 10800;
    assert_eq!(n.codes(), one(Code::AffinityMismatch, web, None));
}

#[test]
fn a_local_policy_with_no_local_endpoint() {
    // Older proxiers leave it empty; newer ones use the cluster's.
    let lb = "TCP 203.0.113.50:443";
    let mut n = node_a();
    n.service(lb).1.clear();
    assert_eq!(n.codes(), one(Code::ExpectedEmpty, lb, None));
    assert!(!Code::ExpectedEmpty.needs_attention());
}

/// `-L --k8s`'s labels and JSON over the same built table: every line of
/// a clean node named, a stranger marked, lines padded to one column.
#[test]
fn the_view_names_every_line_and_marks_strangers() {
    use super::view::{add_json, annotate, labels, Explained, NO_ENDPOINT, NO_SERVICE};
    let c = read(&[LIST]);
    let expected_table = expected(&c, &node(&c, "node-a"));
    let table = Explained::new(&expected_table);
    let mut live = built(&expected_table);
    for (s, d) in &live {
        let l = labels(s, d, &table);
        assert_eq!(l.len(), d.len() + 1);
        assert!(
            l.iter().all(|x| x != NO_SERVICE && x != NO_ENDPOINT),
            "{l:?}"
        );
    }
    let first = &expected_table[0];
    let want = format!("{}/{}", first.service.namespace, first.service.name);
    assert!(labels(&live[0].0, &[], &table)[0].starts_with(&want));
    // A stranger: a service nothing explains, and a server no endpoint is.
    let stranger = stranger();
    assert_eq!(labels(&stranger.0, &[], &table), [NO_SERVICE]);
    live[0].1.push(dest("10.9.9.9".parse().unwrap(), 1, 1));
    let l = labels(&live[0].0, &live[0].1, &table);
    assert_eq!(l.last().map(String::as_str), Some(NO_ENDPOINT));
    // Padding: every label starts in one column, two spaces at least.
    let entries = vec![
        (
            "TCP  a rr\n  -> b\n".to_string(),
            vec!["S".to_string(), "E".to_string()],
        ),
        ("UDP  longer line\n".to_string(), vec!["T".to_string()]),
    ];
    assert_eq!(
        annotate("head\n", &entries),
        "head\nTCP  a rr         S\n  -> b            E\nUDP  longer line  T\n"
    );
    // JSON: an object where explained, null where not.
    let (s, d) = &live[0];
    let mut v = crate::format::json::service(s, d);
    add_json(&mut v, s, d, &table);
    assert_eq!(
        v["kubernetes"]["namespace"],
        first.service.namespace.as_str()
    );
    let servers = v["servers"].as_array().unwrap();
    assert!(servers[0]["kubernetes"].is_object());
    assert!(servers.last().unwrap()["kubernetes"].is_null());
    let mut v = crate::format::json::service(&stranger.0, &[]);
    add_json(&mut v, &stranger.0, &[], &table);
    assert!(v["kubernetes"].is_null());
}

/// Two firewall marks of one number, IPv4 and IPv6, are two rules: a
/// migration finding names one of them, never both at once.
#[test]
fn rules_tell_the_families_of_a_firewall_mark_apart() {
    use crate::ipvs::Family;
    let v4 = ServiceId::Fwmark {
        family: Family::Inet,
        mark: 7,
    };
    let v6 = ServiceId::Fwmark {
        family: Family::Inet6,
        mark: 7,
    };
    assert_eq!(super::compare::Rule(&v4).to_string(), "FWM 7");
    assert_eq!(super::compare::Rule(&v6).to_string(), "FWM 7 IPv6");
    let tcp6 = ServiceId::Addr {
        protocol: crate::ipvs::Protocol::Tcp,
        addr: "fd00::1".parse().unwrap(),
        port: 80,
    };
    assert_eq!(super::compare::Rule(&tcp6).to_string(), "TCP [fd00::1]:80");
}

/// The exporter's filters of `--table-metrics` on the fixture's node-a:
/// whose each virtual service is comes from the expectation
/// (`Explained::owner`), so a namespace or a Service reaches every one of
/// its addresses and ports, and a stranger only by its own name.
#[test]
fn the_table_filters_follow_the_expectations_owners() {
    use super::view::Explained;
    use crate::format::metrics::Selection;
    let c = read(&[LIST]);
    let expected_table = expected(&c, &node(&c, "node-a"));
    let explained = Explained::new(&expected_table);
    let mut live = built(&expected_table);
    live.push(stranger());
    let kept = |select: &Selection| -> Vec<String> {
        live.iter()
            .filter(|(s, _)| select.keeps(&s.id, explained.owner(&s.id)))
            .map(|(s, _)| super::compare::Rule(&s.id).to_string())
            .collect()
    };
    let mut ns = Selection::default();
    ns.add_namespaces("kube-system").unwrap();
    let dns = [
        "UDP 10.96.0.10:53",
        "TCP 10.96.0.10:53",
        "TCP 10.96.0.10:9153",
    ];
    assert_eq!(kept(&ns), dns);
    let mut web = Selection::default();
    web.add_services("shop/web").unwrap();
    assert_eq!(kept(&web).len(), 6, "{:?}", kept(&web));
    assert!(kept(&web).contains(&"TCP 192.168.50.10:30080".to_string()));
    let mut stranger = Selection::default();
    stranger.add_namespaces("kube-system,default").unwrap();
    assert_eq!(kept(&stranger).len(), 4);
    stranger.add_virtual_services("TCP 10.99.0.1:80").unwrap();
    assert_eq!(kept(&stranger).last().unwrap(), "TCP 10.99.0.1:80");
    assert_eq!(kept(&Selection::default()).len(), live.len());
}
