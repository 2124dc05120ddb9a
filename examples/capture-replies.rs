//! Captures raw kernel replies of the IPVS family as byte fixtures for the
//! codec tests (crates/ipvs-client/tests/fixtures/nl/). Run inside the test kernel by
//! tests/kernel/capture-fixtures, which first creates the interface the
//! sync daemons need. It builds a table with every kind of service and real
//! server and writes each reply message of GET_INFO, GET_CONFIG, the
//! GET_SERVICE dump and the GET_DEST dump of every service to OUTDIR as
//! NAME-N.bin (netlink header included); then it empties the table, starts
//! two daemons and does the same for the GET_DAEMON dump.
//!
//! usage: capture-replies OUTDIR

use std::net::IpAddr;

use ipvsadm::ipvs::family::{CmdAttr, IpvsCmd, IpvsMessage};
use ipvsadm::ipvs::model::{svc_flags, tun_flags};
use ipvsadm::ipvs::{
    convert, Client, Daemon, DestConfig, Family, Forward, Protocol, ServiceConfig, ServiceId,
    TunnelType,
};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = std::env::args()
        .nth(1)
        .ok_or("usage: capture-replies OUTDIR")?;
    std::fs::create_dir_all(&out)?;
    let mut c = Client::connect()?;
    let ip = |s: &str| -> IpAddr { s.parse().unwrap() };

    let tcp = ServiceId::Addr {
        protocol: Protocol::Tcp,
        addr: ip("10.96.0.1"),
        port: 443,
    };
    let persistent = ServiceConfig {
        scheduler: "wrr".into(),
        flags: svc_flags::PERSISTENT,
        timeout: 600,
        netmask: ServiceConfig::raw_netmask_v4("255.255.255.0".parse()?),
        pe_name: Default::default(),
    };
    c.add_service(&tcp, &persistent)?;
    let masq = DestConfig {
        forward: Forward::Masq,
        weight: 3,
        u_threshold: 100,
        l_threshold: 10,
        ..Default::default()
    };
    c.add_dest(&tcp, &persistent, &ip("10.244.1.5"), 6443, &masq)?;
    let gue = DestConfig {
        forward: Forward::Tunnel,
        weight: 0,
        tun_type: TunnelType::Gue,
        tun_port: 6080,
        tun_flags: tun_flags::CSUM,
        ..Default::default()
    };
    c.add_dest(&tcp, &persistent, &ip("10.30.0.3"), 443, &gue)?;

    let udp = ServiceId::Addr {
        protocol: Protocol::Udp,
        addr: ip("10.96.0.10"),
        port: 53,
    };
    let ops = ServiceConfig {
        scheduler: "sh".into(),
        flags: svc_flags::ONEPACKET | svc_flags::SCHED_SH_PORT,
        netmask: u32::MAX,
        ..Default::default()
    };
    c.add_service(&udp, &ops)?;
    c.add_dest(&udp, &ops, &ip("10.244.2.7"), 53, &DestConfig::default())?;

    let fwm6 = ServiceId::Fwmark {
        family: Family::Inet6,
        mark: 7,
    };
    let v6cfg = ServiceConfig {
        scheduler: "rr".into(),
        flags: svc_flags::PERSISTENT,
        timeout: 60,
        netmask: 64,
        pe_name: "sip".into(),
    };
    c.add_service(&fwm6, &v6cfg)?;
    let gre = DestConfig {
        forward: Forward::Tunnel,
        tun_type: TunnelType::Gre,
        tun_flags: tun_flags::NOCSUM,
        ..Default::default()
    };
    c.add_dest(&fwm6, &v6cfg, &ip("fd00::5"), 0, &gre)?;
    // An IPv4 server in an IPv6 service: the kernel takes it by ipip
    // tunnel (it answers EINVAL for gre here).
    let ipip = DestConfig {
        forward: Forward::Tunnel,
        weight: 2,
        ..Default::default()
    };
    let tcp6 = ServiceId::Addr {
        protocol: Protocol::Tcp,
        addr: ip("fd00::1"),
        port: 80,
    };
    let plain6 = ServiceConfig {
        scheduler: "rr".into(),
        netmask: 128,
        ..Default::default()
    };
    c.add_service(&tcp6, &plain6)?;
    c.add_dest(&tcp6, &plain6, &ip("10.30.0.9"), 80, &ipip)?;
    c.add_dest(&tcp6, &plain6, &ip("fd00::6"), 8080, &masq)?;

    save(
        &mut c,
        &out,
        "info",
        false,
        IpvsMessage::new(IpvsCmd::GetInfo, vec![]),
    )?;
    save(
        &mut c,
        &out,
        "config",
        false,
        IpvsMessage::new(IpvsCmd::GetConfig, vec![]),
    )?;
    save(
        &mut c,
        &out,
        "services",
        true,
        IpvsMessage::new(IpvsCmd::GetService, vec![]),
    )?;
    for (name, id) in [
        ("dests-tcp", tcp),
        ("dests-udp", udp),
        ("dests-fwm6", fwm6),
        ("dests-tcp6", tcp6),
    ] {
        let msg = IpvsMessage::new(
            IpvsCmd::GetDest,
            vec![CmdAttr::Service(convert::service_id_attrs(&id))],
        );
        save(&mut c, &out, name, true, msg)?;
    }
    // Daemons last, on an empty table: the kernel refuses a master sync
    // daemon beside a real server of another family than its service
    // (EINVAL either way round).
    c.flush()?;
    c.start_daemon(&Daemon {
        state: 1,
        mcast_ifn: "sync0".into(),
        syncid: 7,
        ..Default::default()
    })?;
    c.start_daemon(&Daemon {
        state: 2,
        mcast_ifn: "sync0".into(),
        syncid: 9,
        sync_maxlen: 1400,
        mcast_group: Some(ip("ff02::1:81")),
        mcast_port: 8850,
        mcast_ttl: 3,
    })?;
    save(
        &mut c,
        &out,
        "daemons",
        true,
        IpvsMessage::new(IpvsCmd::GetDaemon, vec![]),
    )?;
    Ok(())
}

/// Write each reply message to the request `msg` as OUT/NAME-N.bin.
fn save(
    c: &mut Client,
    out: &str,
    name: &str,
    dump: bool,
    msg: IpvsMessage,
) -> Result<(), ipvsadm::ipvs::Error> {
    let mut n = 0;
    c.transact_raw(
        &msg,
        dump,
        &mut |bytes| {
            n += 1;
            std::fs::write(format!("{out}/{name}-{n}.bin"), bytes).map_err(ipvsadm::ipvs::Error::Io)
        },
        &mut || {},
    )
}
