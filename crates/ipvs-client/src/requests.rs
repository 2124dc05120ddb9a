//! The request messages of every IPVS change, as libipvs builds them, as
//! pure functions: the client sends them one at a time or many per send.

use std::net::IpAddr;

use super::convert::*;
use super::family::{CmdAttr, IpvsCmd, IpvsMessage};
use super::model::*;

fn service_msg(cmd: IpvsCmd, id: &ServiceId, cfg: &ServiceConfig) -> IpvsMessage {
    IpvsMessage::new(cmd, vec![CmdAttr::Service(service_attrs(id, cfg))])
}

/// NEW_SERVICE.
pub fn add_service(id: &ServiceId, cfg: &ServiceConfig) -> IpvsMessage {
    service_msg(IpvsCmd::NewService, id, cfg)
}

/// SET_SERVICE.
pub fn edit_service(id: &ServiceId, cfg: &ServiceConfig) -> IpvsMessage {
    service_msg(IpvsCmd::SetService, id, cfg)
}

/// DEL_SERVICE.
pub fn del_service(id: &ServiceId, cfg: &ServiceConfig) -> IpvsMessage {
    service_msg(IpvsCmd::DelService, id, cfg)
}

/// Zero one service's counters, or every service's with `None`.
pub fn zero(svc: Option<(&ServiceId, &ServiceConfig)>) -> IpvsMessage {
    let attrs = match svc {
        Some((id, cfg)) => vec![CmdAttr::Service(service_attrs(id, cfg))],
        None => vec![],
    };
    IpvsMessage::new(IpvsCmd::Zero, attrs)
}

/// FLUSH: every service removed.
pub fn flush() -> IpvsMessage {
    IpvsMessage::new(IpvsCmd::Flush, vec![])
}

fn dest_msg(
    cmd: IpvsCmd,
    id: &ServiceId,
    cfg: &ServiceConfig,
    addr: &IpAddr,
    port: u16,
    dcfg: &DestConfig,
) -> IpvsMessage {
    IpvsMessage::new(
        cmd,
        vec![
            CmdAttr::Service(service_attrs(id, cfg)),
            CmdAttr::Dest(dest_attrs(addr, port, dcfg)),
        ],
    )
}

/// NEW_DEST.
pub fn add_dest(
    id: &ServiceId,
    cfg: &ServiceConfig,
    addr: &IpAddr,
    port: u16,
    dcfg: &DestConfig,
) -> IpvsMessage {
    dest_msg(IpvsCmd::NewDest, id, cfg, addr, port, dcfg)
}

/// SET_DEST.
pub fn edit_dest(
    id: &ServiceId,
    cfg: &ServiceConfig,
    addr: &IpAddr,
    port: u16,
    dcfg: &DestConfig,
) -> IpvsMessage {
    dest_msg(IpvsCmd::SetDest, id, cfg, addr, port, dcfg)
}

/// DEL_DEST.
pub fn del_dest(
    id: &ServiceId,
    cfg: &ServiceConfig,
    addr: &IpAddr,
    port: u16,
    dcfg: &DestConfig,
) -> IpvsMessage {
    dest_msg(IpvsCmd::DelDest, id, cfg, addr, port, dcfg)
}

/// SET_CONFIG with the three timeouts.
pub fn set_timeouts(t: &Timeouts) -> IpvsMessage {
    IpvsMessage::new(
        IpvsCmd::SetConfig,
        vec![
            CmdAttr::TimeoutTcp(t.tcp),
            CmdAttr::TimeoutTcpFin(t.tcp_fin),
            CmdAttr::TimeoutUdp(t.udp),
        ],
    )
}

/// NEW_DAEMON.
pub fn start_daemon(d: &Daemon) -> IpvsMessage {
    IpvsMessage::new(IpvsCmd::NewDaemon, vec![CmdAttr::Daemon(daemon_attrs(d))])
}

/// Stopping sends only state, interface and sync id, as libipvs does.
pub fn stop_daemon(d: &Daemon) -> IpvsMessage {
    let attrs = daemon_attrs(d).into_iter().take(3).collect();
    IpvsMessage::new(IpvsCmd::DelDaemon, vec![CmdAttr::Daemon(attrs)])
}

/// A change to one service or one real server, borrowed from whatever
/// asks for it: the requests a restore sends for nearly every line. The
/// client encodes these straight into a batch (`Client::batch_push_change`)
/// with the bytes `message` would give, without building the message.
#[derive(Debug, Clone, Copy)]
pub enum Change<'a> {
    /// NEW_SERVICE, SET_SERVICE or DEL_SERVICE.
    Service {
        /// The command.
        cmd: IpvsCmd,
        /// The service.
        id: &'a ServiceId,
        /// Its configuration.
        cfg: &'a ServiceConfig,
    },
    /// NEW_DEST, SET_DEST or DEL_DEST.
    Dest {
        /// The command.
        cmd: IpvsCmd,
        /// The service.
        id: &'a ServiceId,
        /// Its configuration.
        cfg: &'a ServiceConfig,
        /// The real server's address.
        addr: &'a IpAddr,
        /// The real server's port.
        port: u16,
        /// The real server's configuration.
        dest: &'a DestConfig,
    },
}

impl<'a> Change<'a> {
    /// A change of a service.
    pub fn service(cmd: IpvsCmd, id: &'a ServiceId, cfg: &'a ServiceConfig) -> Self {
        Change::Service { cmd, id, cfg }
    }

    /// A change of a real server (`addr`, `port`) of a service.
    pub fn dest(
        cmd: IpvsCmd,
        (id, cfg): (&'a ServiceId, &'a ServiceConfig),
        (addr, port): (&'a IpAddr, u16),
        dest: &'a DestConfig,
    ) -> Self {
        Change::Dest {
            cmd,
            id,
            cfg,
            addr,
            port,
            dest,
        }
    }

    /// The same request as a typed message.
    pub fn message(&self) -> IpvsMessage {
        match *self {
            Change::Service { cmd, id, cfg } => service_msg(cmd, id, cfg),
            Change::Dest {
                cmd,
                id,
                cfg,
                addr,
                port,
                dest,
            } => dest_msg(cmd, id, cfg, addr, port, dest),
        }
    }
}
