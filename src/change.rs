//! From a checked `Command` to the kernel change it makes, with the
//! libipvs function whose error texts apply (ipvsadm's `process_options`
//! switch, its change half). Shared by the executor (`exec`, one change
//! or a `-R` batch) and the features that make changes
//! (`reconcile`), so that none of them reaches into another.

use crate::cli::{Command, DestArg, SvcArg};
use crate::format::errors::Op;
use crate::ipvs::family::{IpvsCmd, IpvsMessage};
use crate::ipvs::requests::{self, Change};

/// The change to one service or real server a command makes (nearly every
/// line of a restore), with the libipvs function whose error texts apply;
/// encoded without building its message. Other changes go by `change_of`.
pub fn quick_change(cmd: &Command) -> Option<(Op, Change<'_>)> {
    fn service(cmd: IpvsCmd, s: &SvcArg) -> Change<'_> {
        Change::service(cmd, &s.id, &s.config)
    }
    fn dest<'a>(cmd: IpvsCmd, s: &'a SvcArg, d: &'a DestArg) -> Change<'a> {
        Change::dest(cmd, (&s.id, &s.config), (&d.addr, d.port), &d.config)
    }
    Some(match cmd {
        Command::AddService(s) => (Op::AddService, service(IpvsCmd::NewService, s)),
        Command::EditService(s) => (Op::EditService, service(IpvsCmd::SetService, s)),
        Command::DelService(s) => (Op::DelService, service(IpvsCmd::DelService, s)),
        Command::AddDest(s, d) => (Op::AddDest, dest(IpvsCmd::NewDest, s, d)),
        Command::EditDest(s, d) => (Op::EditDest, dest(IpvsCmd::SetDest, s, d)),
        Command::DelDest(s, d) => (Op::DelDest, dest(IpvsCmd::DelDest, s, d)),
        _ => return None,
    })
}

/// The kernel request a command makes, with the libipvs function whose
/// error texts apply; `None` for commands that list or read.
pub fn change_of(cmd: &Command) -> Option<(Op, IpvsMessage)> {
    if let Some((op, change)) = quick_change(cmd) {
        return Some((op, change.message()));
    }
    Some(match cmd {
        Command::Flush => (Op::Flush, requests::flush()),
        Command::Zero(s) => (
            Op::Zero,
            requests::zero(s.as_ref().map(|s| (&s.id, &s.config))),
        ),
        Command::SetTimeout(t) => (Op::SetTimeout, requests::set_timeouts(t)),
        Command::StartDaemon(d) => (Op::StartDaemon, requests::start_daemon(d)),
        Command::StopDaemon(d) => (Op::StopDaemon, requests::stop_daemon(d)),
        _ => return None,
    })
}
