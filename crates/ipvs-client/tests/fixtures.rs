//! Codec tests on real kernel bytes: tests/fixtures/nl/ (of this crate)
//! holds IPVS replies captured in the test kernel by the workspace's
//! tests/kernel/capture-fixtures (see its PROVENANCE). Each must decode to
//! the model of the table that the workspace's examples/capture-replies.rs
//! built, and encode back to the same bytes.

use std::fs;
use std::net::IpAddr;

use ipvs_client::convert::{
    daemon_from_attrs, dest_from_attrs, info_from_attrs, service_from_attrs, timeouts_from_attrs,
};
use ipvs_client::family::{CmdAttr, IpvsCmd, IpvsMessage};
use ipvs_client::model::svc_flags;
use ipvs_client::{Dest, Family, Forward, Protocol, Service, ServiceId, TunnelType};
use netlink_packet_core::{NetlinkMessage, NetlinkPayload};
use netlink_packet_generic::GenlMessage;

use std::path::{Path, PathBuf};

/// This crate's folder of captured replies.
fn nl_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/nl")
}

fn fixture(name: &str) -> Vec<u8> {
    fs::read(nl_dir().join(name)).unwrap()
}

fn decode(bytes: &[u8]) -> IpvsMessage {
    let nl = NetlinkMessage::<GenlMessage<IpvsMessage>>::deserialize(bytes).unwrap();
    match nl.payload {
        NetlinkPayload::InnerMessage(m) => m.payload,
        p => panic!("not an IPVS message: {p:?}"),
    }
}

/// The first first-level attribute of a message that `pick` accepts.
fn nested<T>(m: IpvsMessage, pick: impl Fn(&CmdAttr) -> Option<T>) -> T {
    m.attrs.iter().find_map(pick).expect("the nested attribute")
}

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

#[test]
fn every_fixture_encodes_back_to_its_bytes() {
    let mut n = 0;
    for e in fs::read_dir(nl_dir()).unwrap() {
        let path = e.unwrap().path();
        if path.extension().is_none_or(|x| x != "bin") {
            continue;
        }
        let bytes = fs::read(&path).unwrap();
        let mut nl = NetlinkMessage::<GenlMessage<IpvsMessage>>::deserialize(&bytes).unwrap();
        // The family id is the message type; keep what the kernel sent.
        if let NetlinkPayload::InnerMessage(m) = &mut nl.payload {
            m.set_resolved_family_id(nl.header.message_type);
        }
        let mut out = vec![0u8; nl.buffer_len()];
        nl.serialize(&mut out);
        assert_eq!(out, bytes, "{} does not encode back", path.display());
        n += 1;
    }
    assert!(n >= 10, "only {n} fixtures");
}

#[test]
fn info_and_timeouts() {
    let m = decode(&fixture("info-1.bin"));
    assert_eq!(m.cmd, IpvsCmd::SetInfo);
    let info = info_from_attrs(&m.attrs).unwrap();
    assert_eq!((info.version, info.conn_tab_size), (0x010201, 4096));
    let t = timeouts_from_attrs(&decode(&fixture("config-1.bin")).attrs);
    assert_eq!((t.tcp, t.tcp_fin, t.udp), (900, 120, 300));
}

fn service(name: &str) -> Service {
    let m = decode(&fixture(name));
    let attrs = nested(m, |a| match a {
        CmdAttr::Service(v) => Some(v.clone()),
        _ => None,
    });
    service_from_attrs(&attrs).unwrap()
}

#[test]
fn services() {
    let all: Vec<Service> = (1..=4)
        .map(|i| service(&format!("services-{i}.bin")))
        .collect();
    let find = |id: ServiceId| {
        all.iter()
            .find(|s| s.id == id)
            .unwrap_or_else(|| panic!("{id:?}"))
    };
    let tcp = find(ServiceId::Addr {
        protocol: Protocol::Tcp,
        addr: ip("10.96.0.1"),
        port: 443,
    });
    assert_eq!(tcp.config.scheduler, "wrr");
    assert_eq!(
        tcp.config.flags & svc_flags::PERSISTENT,
        svc_flags::PERSISTENT
    );
    assert_eq!(tcp.config.timeout, 600);
    assert_eq!(
        tcp.config.netmask_v4(),
        "255.255.255.0".parse::<std::net::Ipv4Addr>().unwrap()
    );
    let udp = find(ServiceId::Addr {
        protocol: Protocol::Udp,
        addr: ip("10.96.0.10"),
        port: 53,
    });
    assert_eq!(udp.config.scheduler, "sh");
    assert_eq!(
        udp.config.flags & (svc_flags::ONEPACKET | svc_flags::SCHED_SH_PORT),
        svc_flags::ONEPACKET | svc_flags::SCHED_SH_PORT
    );
    let fwm = find(ServiceId::Fwmark {
        family: Family::Inet6,
        mark: 7,
    });
    assert_eq!(
        (fwm.config.netmask, &*fwm.config.pe_name.text()),
        (64, "sip")
    );
    let v6 = find(ServiceId::Addr {
        protocol: Protocol::Tcp,
        addr: ip("fd00::1"),
        port: 80,
    });
    assert_eq!(v6.config.netmask, 128);
    assert_eq!(v6.stats, Default::default());
}

fn dests(name: &str, family: Family) -> Vec<Dest> {
    (1..=8)
        .map(|i| nl_dir().join(format!("{name}-{i}.bin")))
        .take_while(|p| p.exists())
        .map(|p| {
            let m = decode(&fs::read(p).unwrap());
            let attrs = nested(m, |a| match a {
                CmdAttr::Dest(v) => Some(v.clone()),
                _ => None,
            });
            dest_from_attrs(&attrs, family).unwrap()
        })
        .collect()
}

#[test]
fn real_servers() {
    let tcp = dests("dests-tcp", Family::Inet);
    assert_eq!(tcp.len(), 2);
    let masq = tcp.iter().find(|d| d.addr == ip("10.244.1.5")).unwrap();
    assert_eq!(masq.port, 6443);
    assert_eq!(masq.config.forward, Forward::Masq);
    assert_eq!(
        (
            masq.config.weight,
            masq.config.u_threshold,
            masq.config.l_threshold
        ),
        (3, 100, 10)
    );
    let gue = tcp.iter().find(|d| d.addr == ip("10.30.0.3")).unwrap();
    assert_eq!(gue.config.forward, Forward::Tunnel);
    assert_eq!(
        (
            gue.config.tun_type,
            gue.config.tun_port,
            gue.config.tun_flags
        ),
        (TunnelType::Gue, 6080, 1)
    );
    let fwm = dests("dests-fwm6", Family::Inet6);
    assert_eq!(fwm.len(), 1);
    assert_eq!(
        (fwm[0].addr, fwm[0].config.tun_type),
        (ip("fd00::5"), TunnelType::Gre)
    );
    let v6 = dests("dests-tcp6", Family::Inet6);
    let v4 = v6
        .iter()
        .find(|d| d.addr.is_ipv4())
        .expect("IPv4 server in IPv6 service");
    assert_eq!(
        (v4.addr, v4.port, v4.config.weight),
        (ip("10.30.0.9"), 80, 2)
    );
    assert!(v6.iter().any(|d| d.addr == ip("fd00::6") && d.port == 8080));
}

#[test]
fn daemons() {
    let ds: Vec<_> = (1..=2)
        .map(|i| {
            let m = decode(&fixture(&format!("daemons-{i}.bin")));
            let attrs = nested(m, |a| match a {
                CmdAttr::Daemon(v) => Some(v.clone()),
                _ => None,
            });
            daemon_from_attrs(&attrs).unwrap()
        })
        .collect();
    let master = ds.iter().find(|d| d.state == 1).unwrap();
    assert_eq!((master.mcast_ifn.as_str(), master.syncid), ("sync0", 7));
    assert_eq!(master.mcast_group, Some(ip("224.0.0.81")));
    let backup = ds.iter().find(|d| d.state == 2).unwrap();
    assert_eq!(
        (
            backup.syncid,
            backup.sync_maxlen,
            backup.mcast_port,
            backup.mcast_ttl
        ),
        (9, 1400, 8850, 3)
    );
    assert_eq!(backup.mcast_group, Some(ip("ff02::1:81")));
}

/// Per-real-server 64-bit counters are read in full (a deliberate
/// difference: the reference reads their low 32 bits). The kernel bytes
/// are taken from a fixture and the counters set above 2^32.
#[test]
fn real_server_counters_are_64_bit() {
    use ipvs_client::family::{DestAttr, StatsAttr};
    let m = decode(&fixture("dests-tcp-1.bin"));
    let mut attrs = nested(m, |a| match a {
        CmdAttr::Dest(v) => Some(v.clone()),
        _ => None,
    });
    for a in attrs.iter_mut() {
        if let DestAttr::Stats64(s) = a {
            for st in s.iter_mut() {
                if let StatsAttr::U64(k, v) = st {
                    *v = (1u64 << 40) + *k as u64;
                }
            }
        }
    }
    let d = dest_from_attrs(&attrs, Family::Inet).unwrap();
    assert_eq!(d.stats.inbytes, (1 << 40) + 4);
    assert_eq!(d.stats.conns, (1 << 40) + 1);
}
