//! A desired table turned into the fewest changes to the live one, and
//! those changes applied batched: what a controller (a kube-proxy, a
//! keepalived) does on every sync. The plan is pure; it never flushes,
//! and its order never leaves a kept service without real servers.
//! What counts as "the same" service or server is a `Compare`: by
//! default the configuration the kernel was given (`Configured`).

use std::collections::{HashMap, HashSet};
use std::net::IpAddr;

use crate::batch::{Batch, Refusal};
use crate::client::Client;
use crate::family::IpvsCmd;
use crate::model::{svc_flags, Dest, Forward, Service, ServiceId};
use crate::requests;

/// A whole table: every virtual service with its real servers, as
/// `Client::table` lists it and as a desired table is given.
pub type Table = Vec<(Service, Vec<Dest>)>;

/// One change to the live table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Add this service (NEW_SERVICE).
    AddService(Service),
    /// Give this service this configuration (SET_SERVICE).
    EditService(Service),
    /// Remove this service and its real servers (DEL_SERVICE).
    DelService(Service),
    /// Add this real server to the service (NEW_DEST).
    AddDest(Service, Dest),
    /// Give this real server this configuration (SET_DEST).
    EditDest(Service, Dest),
    /// Remove this real server from the service (DEL_DEST).
    DelDest(Service, Dest),
}

impl Change {
    /// The request that makes the change.
    pub fn request(&self) -> requests::Change<'_> {
        let (cmd, s, d) = match self {
            Change::AddService(s) => (IpvsCmd::NewService, s, None),
            Change::EditService(s) => (IpvsCmd::SetService, s, None),
            Change::DelService(s) => (IpvsCmd::DelService, s, None),
            Change::AddDest(s, d) => (IpvsCmd::NewDest, s, Some(d)),
            Change::EditDest(s, d) => (IpvsCmd::SetDest, s, Some(d)),
            Change::DelDest(s, d) => (IpvsCmd::DelDest, s, Some(d)),
        };
        match d {
            None => requests::Change::service(cmd, &s.id, &s.config),
            Some(d) => {
                requests::Change::dest(cmd, (&s.id, &s.config), (&d.addr, d.port), &d.config)
            }
        }
    }

    /// The service the change is made to.
    pub fn service(&self) -> &Service {
        match self {
            Change::AddService(s) | Change::EditService(s) | Change::DelService(s) => s,
            Change::AddDest(s, _) | Change::EditDest(s, _) | Change::DelDest(s, _) => s,
        }
    }
}

/// What a plan compares: each service of a table, with its real
/// servers, seen as values that are equal when no change is needed.
/// The view of a desired service and of the live one with the same
/// identity are compared, and each real server's with the live one of
/// the same address and port.
pub trait Compare {
    /// A service as compared.
    type Service: PartialEq;
    /// A real server as compared.
    type Dest: PartialEq;
    /// The service and each of `dests`, in order.
    fn view(&self, service: &Service, dests: &[Dest]) -> (Self::Service, Vec<Self::Dest>);
}

/// The default comparison: what a program configures. A service's
/// scheduler, flags (less HASHED, which the kernel sets), persistence
/// engine, and its timeout and netmask when it is persistent; a real
/// server's forwarding method, weight and thresholds, and its tunnel
/// settings when it tunnels. Counters never count.
#[derive(Debug, Clone, Copy, Default)]
pub struct Configured;

impl Compare for Configured {
    type Service = (
        crate::model::ShortName,
        u32,
        u32,
        u32,
        crate::model::ShortName,
    );
    type Dest = (
        Forward,
        u32,
        u32,
        u32,
        Option<(crate::model::TunnelType, u16, u16)>,
    );

    fn view(&self, service: &Service, dests: &[Dest]) -> (Self::Service, Vec<Self::Dest>) {
        let c = &service.config;
        let persistent = c.flags & svc_flags::PERSISTENT != 0;
        let (timeout, netmask) = if persistent {
            (c.timeout, c.netmask)
        } else {
            (0, 0)
        };
        let svc = (
            c.scheduler,
            c.flags & !svc_flags::HASHED,
            timeout,
            netmask,
            c.pe_name,
        );
        let dests = dests
            .iter()
            .map(|d| {
                let c = &d.config;
                let tunnel =
                    (c.forward == Forward::Tunnel).then_some((c.tun_type, c.tun_port, c.tun_flags));
                (c.forward, c.weight, c.u_threshold, c.l_threshold, tunnel)
            })
            .collect();
        (svc, dests)
    }
}

/// The fewest changes that turn `live` into `want` (compared as
/// `Configured` compares), in an order that never leaves a kept service
/// without servers: see `plan_by`.
pub fn plan(want: &[(Service, Vec<Dest>)], live: &[(Service, Vec<Dest>)]) -> Vec<Change> {
    plan_by(want, live, &Configured)
}

/// The fewest changes that turn `live` into `want`, services and servers
/// compared by `cmp`, in an order that never leaves a kept service
/// without servers: new services with their servers first, then edits of
/// services, then new and edited servers of kept services, then removals
/// of servers, then removals of services (whose servers go with them).
/// Services are matched by identity, servers by address and port.
pub fn plan_by<C: Compare>(
    want: &[(Service, Vec<Dest>)],
    live: &[(Service, Vec<Dest>)],
    cmp: &C,
) -> Vec<Change> {
    let live_index: HashMap<ServiceId, usize> = live
        .iter()
        .enumerate()
        .map(|(i, (s, _))| (s.id, i))
        .collect();
    let wanted: HashSet<ServiceId> = want.iter().map(|(s, _)| s.id).collect();
    let (mut adds, mut edits, mut dest_adds, mut dest_dels, mut dels) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let key = |d: &Dest| (d.addr, d.port);
    for (svc, dests) in want {
        let Some(&li) = live_index.get(&svc.id) else {
            adds.push(Change::AddService(svc.clone()));
            adds.extend(
                dests
                    .iter()
                    .map(|d| Change::AddDest(svc.clone(), d.clone())),
            );
            continue;
        };
        let (lsvc, ldests) = &live[li];
        let (want_head, want_lines) = cmp.view(svc, dests);
        let (live_head, live_lines) = cmp.view(lsvc, ldests);
        if want_head != live_head {
            edits.push(Change::EditService(svc.clone()));
        }
        let live_by: HashMap<(IpAddr, u16), usize> = ldests
            .iter()
            .enumerate()
            .map(|(i, d)| (key(d), i))
            .collect();
        for (d, line) in dests.iter().zip(&want_lines) {
            match live_by.get(&key(d)) {
                None => dest_adds.push(Change::AddDest(svc.clone(), d.clone())),
                Some(&i) if live_lines[i] != *line => {
                    dest_adds.push(Change::EditDest(svc.clone(), d.clone()))
                }
                Some(_) => {}
            }
        }
        let want_keys: HashSet<(IpAddr, u16)> = dests.iter().map(key).collect();
        for d in ldests.iter().filter(|d| !want_keys.contains(&key(d))) {
            dest_dels.push(Change::DelDest(lsvc.clone(), d.clone()));
        }
    }
    for (s, _) in live.iter().filter(|(s, _)| !wanted.contains(&s.id)) {
        dels.push(Change::DelService(s.clone()));
    }
    let mut all = adds;
    all.extend(edits);
    all.extend(dest_adds);
    all.extend(dest_dels);
    all.extend(dels);
    all
}

/// A change the kernel did not make: its index in the list applied, and
/// why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Failure {
    /// The change's index in the slice given to `Client::apply`.
    pub index: usize,
    /// The kernel's errno, or that its answer was lost.
    pub refusal: Refusal,
}

impl Client {
    /// Make `changes`, in order, batched many to a datagram: every one is
    /// tried (a refused change does not stop the next), and every one the
    /// kernel refused, or whose answer was lost, is in the result, in
    /// order. An empty result: all were made.
    pub fn apply(&mut self, changes: &[Change]) -> Vec<Failure> {
        let mut batch = Batch::default();
        let mut failures = Vec::new();
        for (i, c) in changes.iter().enumerate() {
            self.batch_push_change(&mut batch, &c.request(), i);
            if batch.is_full() || i + 1 == changes.len() {
                failures.extend(
                    self.batch_flush(&mut batch)
                        .into_iter()
                        .map(|(index, refusal)| Failure { index, refusal }),
                );
            }
        }
        failures
    }

    /// Make the live table `want`'s with the fewest changes (`plan`), and
    /// make them: the changes planned and the ones that failed.
    pub fn reconcile(
        &mut self,
        want: &[(Service, Vec<Dest>)],
    ) -> Result<(Vec<Change>, Vec<Failure>), crate::Error> {
        let live = self.table().map_err(|e| e.into_error())?;
        let changes = plan(want, &live);
        let failures = self.apply(&changes);
        Ok((changes, failures))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DestConfig, Protocol, ServiceConfig, ShortName, Stats};

    fn svc(port: u16, sched: &str) -> Service {
        Service {
            id: ServiceId::Addr {
                protocol: Protocol::Tcp,
                addr: "10.96.0.1".parse().unwrap(),
                port,
            },
            config: ServiceConfig {
                scheduler: ShortName::from(sched),
                ..ServiceConfig::default()
            },
            stats: Stats::default(),
        }
    }

    fn dest(last: u8, weight: u32) -> Dest {
        Dest {
            addr: IpAddr::from([10, 244, 0, last]),
            port: 8080,
            config: DestConfig {
                forward: Forward::Masq,
                weight,
                ..DestConfig::default()
            },
            conns: Default::default(),
            stats: Stats::default(),
        }
    }

    /// As the kernel lists it: HASHED set, counters running.
    fn listed(mut t: Table) -> Table {
        for (s, ds) in &mut t {
            s.config.flags |= svc_flags::HASHED;
            s.stats.conns = 9;
            for d in ds {
                d.stats.inpkts = 3;
                d.conns.active = 1;
            }
        }
        t
    }

    fn names(changes: &[Change]) -> Vec<String> {
        changes
            .iter()
            .map(|c| {
                let (what, s, d) = match c {
                    Change::AddService(s) => ("add", s, None),
                    Change::EditService(s) => ("edit", s, None),
                    Change::DelService(s) => ("del", s, None),
                    Change::AddDest(s, d) => ("add", s, Some(d)),
                    Change::EditDest(s, d) => ("edit", s, Some(d)),
                    Change::DelDest(s, d) => ("del", s, Some(d)),
                };
                match d {
                    Some(d) => format!("{what} {}/{}", s.id.port(), d.addr),
                    None => format!("{what} {}", s.id.port()),
                }
            })
            .collect()
    }

    #[test]
    fn a_listed_table_equals_its_wish() {
        let want = vec![(svc(80, "rr"), vec![dest(1, 1), dest(2, 1)])];
        assert!(plan(&want, &listed(want.clone())).is_empty());
    }

    #[test]
    fn changes_come_in_an_order_that_never_empties_a_service() {
        let live = listed(vec![
            (svc(80, "rr"), vec![dest(1, 1), dest(2, 1)]),
            (svc(443, "rr"), vec![dest(3, 1)]),
        ]);
        let want = vec![
            (svc(80, "wrr"), vec![dest(2, 5), dest(4, 1)]),
            (svc(53, "rr"), vec![dest(5, 1)]),
        ];
        assert_eq!(
            names(&plan(&want, &live)),
            [
                "add 53",
                "add 53/10.244.0.5",
                "edit 80",
                "edit 80/10.244.0.2",
                "add 80/10.244.0.4",
                "del 80/10.244.0.1",
                "del 443",
            ]
        );
    }

    #[test]
    fn what_is_not_configured_is_not_compared() {
        // Not persistent: timeout and netmask do not count; not
        // tunnelling: the tunnel's settings do not count.
        let mut s = svc(80, "rr");
        s.config.timeout = 300;
        let mut d = dest(1, 1);
        d.config.tun_port = 6080;
        let want = vec![(s, vec![d])];
        assert!(plan(&want, &listed(vec![(svc(80, "rr"), vec![dest(1, 1)])])).is_empty());
        let mut p = svc(80, "rr");
        p.config.flags |= svc_flags::PERSISTENT;
        p.config.timeout = 300;
        let live = listed(vec![(svc(80, "rr"), vec![])]);
        assert_eq!(names(&plan(&[(p, vec![])], &live)), ["edit 80"]);
    }

    #[test]
    fn each_change_is_the_request_it_names() {
        let s = svc(80, "rr");
        let d = dest(1, 1);
        let cmds: Vec<IpvsCmd> = [
            Change::AddService(s.clone()),
            Change::EditService(s.clone()),
            Change::DelService(s.clone()),
            Change::AddDest(s.clone(), d.clone()),
            Change::EditDest(s.clone(), d.clone()),
            Change::DelDest(s.clone(), d.clone()),
        ]
        .iter()
        .map(|c| match c.request() {
            requests::Change::Service { cmd, .. } | requests::Change::Dest { cmd, .. } => cmd,
        })
        .collect();
        assert_eq!(
            cmds,
            [
                IpvsCmd::NewService,
                IpvsCmd::SetService,
                IpvsCmd::DelService,
                IpvsCmd::NewDest,
                IpvsCmd::SetDest,
                IpvsCmd::DelDest,
            ]
        );
    }
}
