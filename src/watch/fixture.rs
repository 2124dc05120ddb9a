//! Tables for the watch module's tests: services and real servers named
//! by a last address byte and a port or weight.

use std::net::{IpAddr, Ipv4Addr};

use crate::ipvs::{ConnCounts, Dest, DestConfig, Forward, Protocol, Service, ServiceConfig};
use crate::ipvs::{ServiceId, Stats};

/// TCP service 10.96.0.N:PORT.
pub fn tcp(n: u8, port: u16) -> ServiceId {
    ServiceId::Addr {
        protocol: Protocol::Tcp,
        addr: IpAddr::V4(Ipv4Addr::new(10, 96, 0, n)),
        port,
    }
}

/// A round-robin service.
pub fn svc(id: ServiceId) -> Service {
    Service {
        id,
        config: ServiceConfig {
            scheduler: "rr".into(),
            ..ServiceConfig::default()
        },
        stats: Stats::default(),
    }
}

/// Real server 10.250.0.N:8080, masqueraded, at this weight.
pub fn dest(n: u8, weight: u32) -> Dest {
    Dest {
        addr: IpAddr::V4(Ipv4Addr::new(10, 250, 0, n)),
        port: 8080,
        config: DestConfig {
            forward: Forward::Masq,
            weight,
            ..DestConfig::default()
        },
        conns: ConnCounts::default(),
        stats: Stats::default(),
    }
}

/// The same server with these active and inactive connections.
pub fn with_conns(mut d: Dest, active: u32, inactive: u32) -> Dest {
    d.conns.active = active;
    d.conns.inactive = inactive;
    d
}
