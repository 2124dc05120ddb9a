//! The node check's rules: facts in, a report out, each item with its
//! status. Pure: no system access, so every rule is unit-tested with
//! synthetic facts. The rules follow what kube-proxy's IPVS mode needs and
//! what it sets itself; the manual (`--check`) and README.md state them.

use std::collections::BTreeMap;

use super::facts::{Facts, Ipvs};
use crate::check_report::{
    InterfaceItem, IpvsItem, ModuleItem, ModuleState, Report, Status, SysctlItem, VipItem,
    WeightZero, KUBE_IPVS0,
};
use crate::ipvs::{Dest, Protocol, Service, ServiceId};

/// Modules kube-proxy's IPVS mode needs: IPVS, the schedulers it uses
/// most (rr is its default) and connection tracking.
pub const REQUIRED_MODULES: &[&str] =
    &["ip_vs", "ip_vs_rr", "ip_vs_wrr", "ip_vs_sh", "nf_conntrack"];

/// The other schedulers, reported for information.
pub const OTHER_SCHEDULERS: &[&str] = &[
    "ip_vs_lc",
    "ip_vs_wlc",
    "ip_vs_lblc",
    "ip_vs_lblcr",
    "ip_vs_dh",
    "ip_vs_sed",
    "ip_vs_nq",
    "ip_vs_fo",
    "ip_vs_ovf",
    "ip_vs_mh",
    "ip_vs_twos",
];

/// The sysctls kube-proxy sets to these values in IPVS mode; any other
/// value needs attention.
pub const EXPECTED_SYSCTLS: &[(&str, i64)] = &[
    ("net.ipv4.vs.conntrack", 1),
    ("net.ipv4.vs.expire_nodest_conn", 1),
    ("net.ipv4.vs.expire_quiescent_template", 1),
    ("net.ipv4.ip_forward", 1),
];

/// Judge the facts.
pub fn evaluate(f: &Facts) -> Report {
    let services: &[(Service, Vec<Dest>)] = match &f.ipvs {
        Ipvs::Present { services, .. } => services,
        _ => &[],
    };
    Report {
        release: f.release.clone(),
        ipvs: ipvs(f, services),
        modules: modules(f),
        sysctls: sysctls(f),
        strict_arp: strict_arp(f),
        interface: interface(f, services),
        vips: vips(f, services),
        without_servers: services
            .iter()
            .filter(|(_, d)| d.is_empty())
            .map(|(s, _)| s.clone())
            .collect(),
        weight_zero: services
            .iter()
            .flat_map(|(s, ds)| {
                ds.iter()
                    .filter(|d| d.config.weight == 0)
                    .map(|d| WeightZero {
                        service: s.clone(),
                        dest: d.clone(),
                    })
            })
            .collect(),
        coded: Vec::new(),
    }
}

fn ipvs(f: &Facts, services: &[(Service, Vec<Dest>)]) -> IpvsItem {
    let (status, info, error) = match &f.ipvs {
        Ipvs::Absent => (
            Status::Attention,
            None,
            Some("ip_vs is neither loaded nor built in".to_string()),
        ),
        Ipvs::Failed(e) => (Status::Attention, None, Some(e.clone())),
        Ipvs::Present { info, .. } => (Status::Ok, Some(*info), None),
    };
    IpvsItem {
        status,
        info,
        services: services.len(),
        servers: services.iter().map(|(_, d)| d.len()).sum(),
        error,
    }
}

fn module_state(f: &Facts, name: &str) -> ModuleState {
    let m = &f.modules;
    if m.loaded.contains(name) {
        ModuleState::Loaded
    } else if m.builtin.contains(name) {
        ModuleState::BuiltIn
    } else if m.error.is_some() {
        ModuleState::Unknown
    } else if m.available.contains(name) {
        ModuleState::Available
    } else {
        ModuleState::Missing
    }
}

fn modules(f: &Facts) -> Vec<ModuleItem> {
    let required = REQUIRED_MODULES.iter().map(|n| (n, true));
    let others = OTHER_SCHEDULERS.iter().map(|n| (n, false));
    required
        .chain(others)
        .map(|(name, required)| {
            let state = module_state(f, name);
            let status = match (required, state) {
                (false, _) => Status::Info,
                (true, ModuleState::Loaded | ModuleState::BuiltIn) => Status::Ok,
                (true, _) => Status::Attention,
            };
            ModuleItem {
                name: name.to_string(),
                required,
                state,
                status,
            }
        })
        .collect()
}

fn sysctl_value(f: &Facts, name: &str) -> Option<i64> {
    f.sysctls
        .get(name)
        .and_then(|v| v.as_deref())
        .and_then(|v| v.trim().parse().ok())
}

fn sysctls(f: &Facts) -> Vec<SysctlItem> {
    super::facts::SYSCTLS
        .iter()
        .map(|name| {
            let value = sysctl_value(f, name);
            let expected = EXPECTED_SYSCTLS
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| *v);
            let status = match expected {
                None => Status::Info,
                Some(e) if value == Some(e) => Status::Ok,
                Some(_) => Status::Attention,
            };
            SysctlItem {
                name: name.to_string(),
                value,
                expected,
                status,
            }
        })
        .collect()
}

fn strict_arp(f: &Facts) -> Option<bool> {
    let ignore = sysctl_value(f, "net.ipv4.conf.all.arp_ignore")?;
    let announce = sysctl_value(f, "net.ipv4.conf.all.arp_announce")?;
    Some(ignore == 1 && announce == 2)
}

fn interface(f: &Facts, services: &[(Service, Vec<Dest>)]) -> InterfaceItem {
    let net = match &f.net {
        Ok(n) => n,
        Err(e) => {
            return InterfaceItem {
                status: Status::Attention,
                present: false,
                kind: None,
                addresses: vec![],
                error: Some(e.clone()),
            }
        }
    };
    match net.links.iter().find(|l| l.name == KUBE_IPVS0) {
        Some(l) => InterfaceItem {
            status: if l.kind.as_deref() == Some("dummy") {
                Status::Ok
            } else {
                Status::Attention
            },
            present: true,
            kind: l.kind.clone(),
            addresses: net
                .addrs
                .iter()
                .filter(|a| a.index == l.index)
                .map(|a| a.addr)
                .collect(),
            error: None,
        },
        // kube-proxy creates it when it starts: missing is only a
        // problem once there are services to bind.
        None => InterfaceItem {
            status: if services.is_empty() {
                Status::Info
            } else {
                Status::Attention
            },
            present: false,
            kind: None,
            addresses: vec![],
            error: None,
        },
    }
}

/// The distinct virtual addresses of TCP, UDP and SCTP services (fwmark
/// services have none), in the order first seen, with the interfaces
/// each is bound to. With no interface list, nothing can be said.
fn vips(f: &Facts, services: &[(Service, Vec<Dest>)]) -> Vec<VipItem> {
    let Ok(net) = &f.net else { return vec![] };
    let names: BTreeMap<u32, &str> = net
        .links
        .iter()
        .map(|l| (l.index, l.name.as_str()))
        .collect();
    let mut seen = Vec::new();
    for (s, _) in services {
        if let ServiceId::Addr { protocol, addr, .. } = s.id {
            let transport = matches!(protocol, Protocol::Tcp | Protocol::Udp | Protocol::Sctp);
            if transport && !seen.contains(&addr) {
                seen.push(addr);
            }
        }
    }
    seen.into_iter()
        .map(|addr| {
            let mut interfaces: Vec<String> = net
                .addrs
                .iter()
                .filter(|a| a.addr == addr)
                .map(|a| {
                    names
                        .get(&a.index)
                        .map(|n| n.to_string())
                        .unwrap_or_else(|| format!("#{}", a.index))
                })
                .collect();
            interfaces.dedup();
            // Bound elsewhere (a NodePort on the node's own address, say)
            // is fine, but worth a line; bound nowhere, the node will not
            // take the traffic as local.
            let status = if interfaces.iter().any(|n| n == KUBE_IPVS0) {
                Status::Ok
            } else if interfaces.is_empty() {
                Status::Attention
            } else {
                Status::Info
            };
            VipItem {
                addr,
                interfaces,
                status,
            }
        })
        .collect()
}

#[cfg(test)]
pub mod tests {
    use super::super::facts::{Modules, Net};
    use super::super::rtnl::{Addr, Link};
    use super::*;
    use crate::ipvs::{ConnCounts, DestConfig, Family, Info, ServiceConfig, Stats};

    pub fn service(proto: Protocol, addr: &str, port: u16) -> Service {
        Service {
            id: ServiceId::Addr {
                protocol: proto,
                addr: addr.parse().unwrap(),
                port,
            },
            config: ServiceConfig {
                scheduler: "rr".into(),
                ..Default::default()
            },
            stats: Stats::default(),
        }
    }

    pub fn dest(addr: &str, port: u16, weight: u32, active: u32, inactive: u32) -> Dest {
        Dest {
            addr: addr.parse().unwrap(),
            port,
            config: DestConfig {
                weight,
                ..Default::default()
            },
            conns: ConnCounts {
                active,
                inactive,
                persistent: 0,
            },
            stats: Stats::default(),
        }
    }

    /// A node as kube-proxy leaves it: everything in place.
    pub fn healthy() -> Facts {
        let all = |names: &[&str]| names.iter().map(|s| s.to_string()).collect();
        Facts {
            release: Some("6.1.0-56-amd64".into()),
            modules: Modules {
                loaded: all(&["ip_vs", "ip_vs_rr", "ip_vs_wrr", "ip_vs_sh", "nf_conntrack"]),
                builtin: all(&["ip_vs_lc"]),
                available: all(&["ip_vs_wlc", "ip_vs_mh"]),
                error: None,
            },
            sysctls: [
                ("net.ipv4.vs.conntrack", "1"),
                ("net.ipv4.vs.conn_reuse_mode", "0"),
                ("net.ipv4.vs.expire_nodest_conn", "1"),
                ("net.ipv4.vs.expire_quiescent_template", "1"),
                ("net.ipv4.ip_forward", "1"),
                ("net.ipv4.conf.all.arp_ignore", "1"),
                ("net.ipv4.conf.all.arp_announce", "2"),
            ]
            .iter()
            .map(|(n, v)| (n.to_string(), Some(v.to_string())))
            .collect(),
            ipvs: Ipvs::Present {
                info: Info {
                    version: 0x010201,
                    conn_tab_size: 4096,
                },
                services: vec![
                    (
                        service(Protocol::Tcp, "10.96.0.1", 443),
                        vec![dest("192.168.1.10", 6443, 1, 3, 1)],
                    ),
                    (
                        service(Protocol::Udp, "10.96.0.10", 53),
                        vec![dest("10.244.0.2", 53, 1, 0, 0)],
                    ),
                    (
                        service(Protocol::Tcp, "192.168.1.10", 30080),
                        vec![dest("10.244.0.3", 80, 1, 0, 0)],
                    ),
                    (
                        Service {
                            id: ServiceId::Fwmark {
                                family: Family::Inet,
                                mark: 7,
                            },
                            config: ServiceConfig::default(),
                            stats: Stats::default(),
                        },
                        vec![dest("10.244.0.4", 0, 1, 0, 0)],
                    ),
                ],
            },
            net: Ok(Net {
                links: [
                    (1, "lo", None),
                    (2, "eth0", None),
                    (5, KUBE_IPVS0, Some("dummy")),
                ]
                .into_iter()
                .map(|(index, name, kind)| Link {
                    index,
                    name: name.into(),
                    kind: kind.map(String::from),
                })
                .collect(),
                addrs: [
                    (1, "127.0.0.1"),
                    (2, "192.168.1.10"),
                    (5, "10.96.0.1"),
                    (5, "10.96.0.10"),
                ]
                .into_iter()
                .map(|(index, a)| Addr {
                    index,
                    addr: a.parse().unwrap(),
                    prefix: 32,
                    secondary: false,
                })
                .collect(),
            }),
        }
    }

    fn services(f: &mut Facts) -> &mut Vec<(Service, Vec<Dest>)> {
        match &mut f.ipvs {
            Ipvs::Present { services, .. } => services,
            _ => panic!("no table"),
        }
    }

    fn set(f: &mut Facts, name: &str, v: Option<&str>) {
        f.sysctls.insert(name.into(), v.map(String::from));
    }

    fn module<'a>(r: &'a Report, name: &str) -> &'a ModuleItem {
        r.modules.iter().find(|m| m.name == name).unwrap()
    }

    fn sysctl<'a>(r: &'a Report, name: &str) -> &'a SysctlItem {
        r.sysctls.iter().find(|m| m.name == name).unwrap()
    }

    #[test]
    fn healthy_node_needs_nothing() {
        let r = evaluate(&healthy());
        assert_eq!(r.status(), Status::Info);
        assert_eq!((r.attention(), r.exit_status()), (0, 0));
        assert_eq!((r.ipvs.services, r.ipvs.servers), (4, 4));
        assert_eq!(module(&r, "ip_vs").state, ModuleState::Loaded);
        assert_eq!(module(&r, "ip_vs_lc").state, ModuleState::BuiltIn);
        assert_eq!(module(&r, "ip_vs_wlc").state, ModuleState::Available);
        assert_eq!(module(&r, "ip_vs_twos").state, ModuleState::Missing);
        assert_eq!(module(&r, "ip_vs_twos").status, Status::Info);
        assert_eq!(r.strict_arp, Some(true));
        assert_eq!(
            sysctl(&r, "net.ipv4.vs.conn_reuse_mode").status,
            Status::Info
        );
        assert_eq!(sysctl(&r, "net.ipv4.vs.conntrack").status, Status::Ok);
        assert!(r.interface.present);
        assert_eq!(r.interface.addresses.len(), 2);
        // Three distinct addresses: two on kube-ipvs0, a NodePort on eth0;
        // the fwmark service has none.
        let v: Vec<_> = r
            .vips
            .iter()
            .map(|v| (v.addr.to_string(), v.interfaces.join(","), v.status))
            .collect();
        assert_eq!(
            v,
            [
                ("10.96.0.1".into(), "kube-ipvs0".into(), Status::Ok),
                ("10.96.0.10".into(), "kube-ipvs0".into(), Status::Ok),
                ("192.168.1.10".into(), "eth0".into(), Status::Info),
            ]
        );
    }

    #[test]
    fn wrong_sysctls_need_attention() {
        let mut f = healthy();
        set(&mut f, "net.ipv4.vs.conntrack", Some("0"));
        set(&mut f, "net.ipv4.ip_forward", None);
        set(&mut f, "net.ipv4.vs.expire_nodest_conn", Some("junk"));
        set(&mut f, "net.ipv4.conf.all.arp_announce", Some("0"));
        let r = evaluate(&f);
        assert_eq!(sysctl(&r, "net.ipv4.vs.conntrack").value, Some(0));
        assert_eq!(
            sysctl(&r, "net.ipv4.vs.conntrack").status,
            Status::Attention
        );
        assert_eq!(sysctl(&r, "net.ipv4.ip_forward").value, None);
        assert_eq!(sysctl(&r, "net.ipv4.ip_forward").status, Status::Attention);
        assert_eq!(
            sysctl(&r, "net.ipv4.vs.expire_nodest_conn").status,
            Status::Attention
        );
        assert_eq!(r.strict_arp, Some(false));
        assert_eq!((r.attention(), r.exit_status()), (3, 1));
    }

    #[test]
    fn modules_not_loaded_need_attention() {
        let mut f = healthy();
        f.modules.loaded.remove("ip_vs_sh");
        f.modules.loaded.remove("nf_conntrack");
        f.modules.builtin.insert("nf_conntrack".into());
        f.modules.available.insert("ip_vs_sh".into());
        let r = evaluate(&f);
        assert_eq!(module(&r, "ip_vs_sh").state, ModuleState::Available);
        assert_eq!(module(&r, "ip_vs_sh").status, Status::Attention);
        assert_eq!(module(&r, "nf_conntrack").state, ModuleState::BuiltIn);
        assert_eq!(module(&r, "nf_conntrack").status, Status::Ok);
        assert_eq!(r.attention(), 1);
        f.modules.error = Some("/proc/modules: denied".into());
        f.modules.loaded.clear();
        let r = evaluate(&f);
        assert_eq!(module(&r, "ip_vs_rr").state, ModuleState::Unknown);
        assert_eq!(module(&r, "nf_conntrack").state, ModuleState::BuiltIn);
        assert_eq!(r.attention(), 4);
    }

    #[test]
    fn no_ipvs_needs_attention() {
        let mut f = healthy();
        f.ipvs = Ipvs::Absent;
        let r = evaluate(&f);
        assert_eq!(r.ipvs.status, Status::Attention);
        assert!(r.ipvs.error.as_deref().unwrap().contains("ip_vs"));
        assert_eq!(r.ipvs.services, 0);
        assert!(r.vips.is_empty());
        assert_eq!(r.exit_status(), 1);
        f.ipvs = Ipvs::Failed("netlink socket: denied".into());
        assert_eq!(
            evaluate(&f).ipvs.error.as_deref(),
            Some("netlink socket: denied")
        );
    }

    #[test]
    fn kube_ipvs0_missing_or_not_dummy() {
        let mut f = healthy();
        let Ok(net) = &mut f.net else { panic!() };
        net.links[2].kind = Some("bridge".into());
        let r = evaluate(&f);
        assert_eq!(r.interface.status, Status::Attention);
        assert_eq!(r.interface.kind.as_deref(), Some("bridge"));
        // Gone with its addresses: missing, and the VIPs are unbound.
        let Ok(net) = &mut f.net else { panic!() };
        net.links.remove(2);
        net.addrs.retain(|a| a.index != 5);
        let r = evaluate(&f);
        assert!(!r.interface.present);
        assert_eq!(r.interface.status, Status::Attention);
        let unbound: Vec<_> = r
            .vips
            .iter()
            .filter(|v| v.status == Status::Attention)
            .map(|v| v.addr.to_string())
            .collect();
        assert_eq!(unbound, ["10.96.0.1", "10.96.0.10"]);
        assert_eq!(r.attention(), 3);
        // Before kube-proxy has run (no services), missing is information.
        services(&mut f).clear();
        let r = evaluate(&f);
        assert_eq!(r.interface.status, Status::Info);
        assert_eq!(r.exit_status(), 0);
    }

    #[test]
    fn no_interface_list() {
        let mut f = healthy();
        f.net = Err("rtnetlink: denied".into());
        let r = evaluate(&f);
        assert_eq!(r.interface.status, Status::Attention);
        assert_eq!(r.interface.error.as_deref(), Some("rtnetlink: denied"));
        assert!(r.vips.is_empty());
    }

    #[test]
    fn unbound_vip_sctp_and_other_protocols() {
        let mut f = healthy();
        let s = services(&mut f);
        s.push((
            service(Protocol::Sctp, "10.96.0.20", 9),
            vec![dest("10.244.0.5", 9, 1, 0, 0)],
        ));
        s.push((
            service(Protocol::Other(33), "10.96.0.30", 9),
            vec![dest("10.244.0.5", 9, 1, 0, 0)],
        ));
        let r = evaluate(&f);
        let v = r
            .vips
            .iter()
            .find(|v| v.addr.to_string() == "10.96.0.20")
            .unwrap();
        assert_eq!((v.status, v.interfaces.len()), (Status::Attention, 0));
        assert!(!r.vips.iter().any(|v| v.addr.to_string() == "10.96.0.30"));
        assert_eq!(r.attention(), 1);
    }

    #[test]
    fn empty_services_and_weight_zero() {
        let mut f = healthy();
        let s = services(&mut f);
        s[1].1.clear();
        s[0].1.push(dest("192.168.1.11", 6443, 0, 2, 5));
        let r = evaluate(&f);
        assert_eq!(r.without_servers.len(), 1);
        assert_eq!(r.without_servers[0].id.port(), 53);
        assert_eq!(r.weight_zero.len(), 1);
        let w = &r.weight_zero[0];
        assert_eq!((w.dest.conns.active, w.dest.conns.inactive), (2, 5));
        assert_eq!(w.service.id.port(), 443);
        assert_eq!((r.attention(), r.exit_status()), (2, 1));
    }
}
