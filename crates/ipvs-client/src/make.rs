//! Services and real servers made in one call, with the settings
//! kube-proxy gives them: round robin, no persistence, a whole-address
//! netmask (32 bits for IPv4, 128 for IPv6); masquerading real servers
//! of weight 1. Every field stays public to change afterwards.

use std::net::IpAddr;

use crate::client::Client;
use crate::model::{
    svc_flags, ConnCounts, Daemon, DaemonState, Dest, DestConfig, Family, Forward, Protocol,
    Service, ServiceConfig, ServiceId, ShortName, Stats,
};
use crate::scheduler::Scheduler;
use crate::Error;

impl ServiceConfig {
    /// kube-proxy's configuration of a service of this family: round
    /// robin, not persistent, the netmask of a whole address.
    pub fn for_family(family: Family) -> ServiceConfig {
        ServiceConfig {
            scheduler: Scheduler::RoundRobin.name(),
            flags: 0,
            timeout: 0,
            netmask: match family {
                Family::Inet => u32::MAX,
                Family::Inet6 => 128,
            },
            pe_name: ShortName::default(),
        }
    }
}

impl Service {
    /// A service with kube-proxy's configuration (`ServiceConfig::for_family`).
    pub fn new(id: ServiceId) -> Service {
        Service {
            id,
            config: ServiceConfig::for_family(id.family()),
            stats: Stats::default(),
        }
    }

    /// A TCP service of `addr`:`port`.
    pub fn tcp(addr: IpAddr, port: u16) -> Service {
        Self::addr(Protocol::Tcp, addr, port)
    }

    /// A UDP service of `addr`:`port`.
    pub fn udp(addr: IpAddr, port: u16) -> Service {
        Self::addr(Protocol::Udp, addr, port)
    }

    /// An SCTP service of `addr`:`port`.
    pub fn sctp(addr: IpAddr, port: u16) -> Service {
        Self::addr(Protocol::Sctp, addr, port)
    }

    fn addr(protocol: Protocol, addr: IpAddr, port: u16) -> Service {
        Self::new(ServiceId::Addr {
            protocol,
            addr,
            port,
        })
    }

    /// A service of the packets of this family carrying firewall mark
    /// `mark` (non-zero).
    pub fn fwmark(family: Family, mark: u32) -> Service {
        Self::new(ServiceId::Fwmark { family, mark })
    }

    /// The same service with this scheduler.
    pub fn with_scheduler(mut self, s: Scheduler) -> Service {
        self.config.set_scheduler(s);
        self
    }

    /// The same service, persistent: a client keeps its real server
    /// for `timeout` seconds after its last connection (kube-proxy's
    /// `sessionAffinity: ClientIP`).
    pub fn persistent(mut self, timeout: u32) -> Service {
        self.config.flags |= svc_flags::PERSISTENT;
        self.config.timeout = timeout;
        self
    }
}

impl Dest {
    /// A masquerading (NAT) real server of weight 1, as kube-proxy adds
    /// its endpoints.
    pub fn new(addr: IpAddr, port: u16) -> Dest {
        Dest {
            addr,
            port,
            config: DestConfig {
                forward: Forward::Masq,
                ..DestConfig::default()
            },
            conns: ConnCounts::default(),
            stats: Stats::default(),
        }
    }

    /// The same server with this weight (0: it takes no new connections).
    pub fn with_weight(mut self, weight: u32) -> Dest {
        self.config.weight = weight;
        self
    }

    /// The same server reached this way.
    pub fn with_forward(mut self, forward: Forward) -> Dest {
        self.config.forward = forward;
        self
    }
}

impl Daemon {
    /// A sync daemon in this state, on interface `ifname`, with sync id
    /// `syncid`; the kernel's defaults for the rest.
    pub fn new(state: DaemonState, ifname: &str, syncid: u32) -> Daemon {
        Daemon {
            state: state.raw(),
            mcast_ifn: ifname.to_string(),
            syncid,
            ..Daemon::default()
        }
    }
}

impl Client {
    /// Add a service (`Service::new` and friends make one).
    pub fn new_service(&mut self, svc: &Service) -> Result<(), Error> {
        self.add_service(&svc.id, &svc.config)
    }

    /// Give a service the configuration `svc` has.
    pub fn update_service(&mut self, svc: &Service) -> Result<(), Error> {
        self.edit_service(&svc.id, &svc.config)
    }

    /// Remove a service and its real servers.
    pub fn remove_service(&mut self, svc: &Service) -> Result<(), Error> {
        self.del_service(&svc.id, &svc.config)
    }

    /// Add a real server to a service.
    pub fn new_dest(&mut self, svc: &Service, d: &Dest) -> Result<(), Error> {
        self.add_dest(&svc.id, &svc.config, &d.addr, d.port, &d.config)
    }

    /// Give a real server the configuration `d` has.
    pub fn update_dest(&mut self, svc: &Service, d: &Dest) -> Result<(), Error> {
        self.edit_dest(&svc.id, &svc.config, &d.addr, d.port, &d.config)
    }

    /// Remove a real server from a service.
    pub fn remove_dest(&mut self, svc: &Service, d: &Dest) -> Result<(), Error> {
        self.del_dest(&svc.id, &svc.config, &d.addr, d.port, &d.config)
    }

    /// Drain a real server: weight 0, so that it takes no new connections
    /// while the ones it has run on (what kube-proxy does to a
    /// terminating endpoint before it removes it).
    pub fn drain(&mut self, svc: &Service, d: &Dest) -> Result<(), Error> {
        self.update_dest(svc, &d.clone().with_weight(0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kube_proxy_defaults() {
        let v4 = Service::tcp("10.96.0.1".parse().unwrap(), 443);
        assert_eq!(v4.config.scheduler, "rr");
        assert_eq!((v4.config.flags, v4.config.netmask), (0, u32::MAX));
        let v6 = Service::udp("fd00::a".parse().unwrap(), 53).persistent(10800);
        assert_eq!(v6.config.netmask, 128);
        assert_eq!(v6.config.flags, svc_flags::PERSISTENT);
        assert_eq!(v6.config.timeout, 10800);
        let d = Dest::new("10.244.1.2".parse().unwrap(), 8080);
        assert_eq!((d.config.forward, d.config.weight), (Forward::Masq, 1));
        let f = Service::fwmark(Family::Inet, 7).with_scheduler(Scheduler::SourceHashing);
        assert_eq!(
            (f.id.fwmark(), f.config.scheduler()),
            (7, Scheduler::SourceHashing)
        );
    }
}
