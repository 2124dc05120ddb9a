//! The events between two listings of the table: services and real
//! servers that appeared, vanished or changed (the fields that changed,
//! old and new). Connection counts and counters are no change. Pure.

use std::collections::HashMap;
use std::net::IpAddr;

use serde_json::{json, Value};

use super::Table;
use crate::format::json;
use crate::ipvs::{ConnCounts, Dest, Service, ServiceId};

/// What names a real server within its service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DestKey {
    pub addr: IpAddr,
    pub port: u16,
}

impl DestKey {
    pub fn of(d: &Dest) -> DestKey {
        DestKey {
            addr: d.addr,
            port: d.port,
        }
    }
}

/// One field that changed, its old and new value as the listing's JSON
/// writes it.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub field: &'static str,
    pub old: Value,
    pub new: Value,
}

/// One event of a refresh.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// The first listing: watching begins, with this many services.
    Watching {
        services: usize,
    },
    ServiceAdded(Service),
    ServiceRemoved(ServiceId),
    ServiceChanged(ServiceId, Vec<Change>),
    ServerAdded(ServiceId, Dest),
    ServerRemoved(ServiceId, DestKey),
    ServerChanged(ServiceId, DestKey, Vec<Change>),
    /// A real server set to weight 0 with connections left.
    DrainStarted(ServiceId, DestKey, ConnCounts),
    /// Its connections not falling for a while.
    DrainStuck(ServiceId, DestKey, ConnCounts),
    /// A real server at weight 0 with no connection left.
    Drained(ServiceId, DestKey),
    /// A listing failed: the kernel's message.
    Error(String),
    /// A listing worked again after errors.
    Recovered,
}

impl Event {
    /// The virtual service the event is about, if one.
    pub fn service(&self) -> Option<&ServiceId> {
        match self {
            Event::ServiceAdded(s) => Some(&s.id),
            Event::ServiceRemoved(id)
            | Event::ServiceChanged(id, _)
            | Event::ServerAdded(id, _)
            | Event::ServerRemoved(id, _)
            | Event::ServerChanged(id, ..)
            | Event::DrainStarted(id, ..)
            | Event::DrainStuck(id, ..)
            | Event::Drained(id, _) => Some(id),
            Event::Watching { .. } | Event::Error(_) | Event::Recovered => None,
        }
    }

    /// The event's name, in lines and JSON.
    pub fn name(&self) -> &'static str {
        match self {
            Event::Watching { .. } => "watching",
            Event::ServiceAdded(_) => "service-added",
            Event::ServiceRemoved(_) => "service-removed",
            Event::ServiceChanged(..) => "service-changed",
            Event::ServerAdded(..) => "server-added",
            Event::ServerRemoved(..) => "server-removed",
            Event::ServerChanged(..) => "server-changed",
            Event::DrainStarted(..) => "drain-started",
            Event::DrainStuck(..) => "drain-stuck",
            Event::Drained(..) => "drained",
            Event::Error(_) => "error",
            Event::Recovered => "recovered",
        }
    }
}

/// A service's configuration as named fields, as the listing's JSON
/// writes them.
pub fn service_fields(svc: &Service) -> Vec<(&'static str, Value)> {
    let persistent = svc.config.flags & crate::ipvs::svc_flags::PERSISTENT != 0;
    let pe = &svc.config.pe_name;
    vec![
        ("scheduler", json!(svc.config.scheduler.text())),
        ("flags", json!(json::service_flags(svc))),
        (
            "timeout",
            json!(if persistent { svc.config.timeout } else { 0 }),
        ),
        (
            "netmask",
            if persistent {
                json::netmask(svc)
            } else {
                Value::Null
            },
        ),
        (
            "pe",
            if pe.is_empty() {
                Value::Null
            } else {
                json!(pe.text())
            },
        ),
    ]
}

/// A real server's configuration as named fields.
pub fn server_fields(d: &Dest) -> Vec<(&'static str, Value)> {
    vec![
        ("forward", json!(json::forward(d.config.forward))),
        ("weight", json!(d.config.weight)),
        ("u_threshold", json!(d.config.u_threshold)),
        ("l_threshold", json!(d.config.l_threshold)),
        ("tunnel", json::tunnel(d)),
    ]
}

/// The fields that differ, in the order given.
fn changes(old: Vec<(&'static str, Value)>, new: Vec<(&'static str, Value)>) -> Vec<Change> {
    old.into_iter()
        .zip(new)
        .filter(|((_, a), (_, b))| a != b)
        .map(|((field, old), (_, new))| Change { field, old, new })
        .collect()
}

fn service_changes(old: &Service, new: &Service) -> Vec<Change> {
    if old.config == new.config {
        return Vec::new();
    }
    changes(service_fields(old), service_fields(new))
}

fn server_changes(old: &Dest, new: &Dest) -> Vec<Change> {
    if old.config == new.config {
        return Vec::new();
    }
    changes(server_fields(old), server_fields(new))
}

/// The events from `old` to `new`: vanished services first (in the old
/// order), then service by service in the new order: the service added
/// or changed, its vanished servers, its new or changed ones.
pub fn diff(old: &Table, new: &Table) -> Vec<Event> {
    let mut events = Vec::new();
    let before: HashMap<ServiceId, usize> = old
        .iter()
        .enumerate()
        .map(|(i, (s, _))| (s.id, i))
        .collect();
    let now: HashMap<ServiceId, usize> = new
        .iter()
        .enumerate()
        .map(|(i, (s, _))| (s.id, i))
        .collect();
    for (svc, _) in old.iter().filter(|(s, _)| !now.contains_key(&s.id)) {
        events.push(Event::ServiceRemoved(svc.id));
    }
    for (svc, dests) in new {
        match before.get(&svc.id).map(|&i| &old[i]) {
            None => {
                events.push(Event::ServiceAdded(svc.clone()));
                let added = dests.iter().map(|d| Event::ServerAdded(svc.id, d.clone()));
                events.extend(added);
            }
            Some((was, was_dests)) => {
                let changed = service_changes(was, svc);
                if !changed.is_empty() {
                    events.push(Event::ServiceChanged(svc.id, changed));
                }
                server_events(svc.id, was_dests, dests, &mut events);
            }
        }
    }
    events
}

/// The servers of one service that vanished, appeared or changed.
fn server_events(id: ServiceId, old: &[Dest], new: &[Dest], events: &mut Vec<Event>) {
    let before: HashMap<DestKey, &Dest> = old.iter().map(|d| (DestKey::of(d), d)).collect();
    let now: HashMap<DestKey, &Dest> = new.iter().map(|d| (DestKey::of(d), d)).collect();
    for d in old.iter().filter(|d| !now.contains_key(&DestKey::of(d))) {
        events.push(Event::ServerRemoved(id, DestKey::of(d)));
    }
    for d in new {
        let key = DestKey::of(d);
        match before.get(&key) {
            None => events.push(Event::ServerAdded(id, d.clone())),
            Some(was) => {
                let changed = server_changes(was, d);
                if !changed.is_empty() {
                    events.push(Event::ServerChanged(id, key, changed));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::watch::fixture::{dest, svc, tcp};

    #[test]
    fn the_same_table_has_no_event() {
        let t = vec![(svc(tcp(1, 80)), vec![dest(2, 1), dest(3, 1)])];
        assert!(diff(&t, &t).is_empty());
        assert!(diff(&Vec::new(), &Vec::new()).is_empty());
    }

    #[test]
    fn counters_and_connections_are_no_change() {
        let old = vec![(svc(tcp(1, 80)), vec![dest(2, 1)])];
        let mut new = old.clone();
        new[0].0.stats.conns = 99;
        new[0].1[0].conns.active = 7;
        new[0].1[0].stats.inbytes = 1 << 40;
        assert!(diff(&old, &new).is_empty());
    }

    #[test]
    fn a_new_service_comes_with_its_servers() {
        let new = vec![(svc(tcp(1, 80)), vec![dest(2, 1), dest(3, 2)])];
        let e = diff(&Vec::new(), &new);
        let names: Vec<_> = e.iter().map(Event::name).collect();
        assert_eq!(names, ["service-added", "server-added", "server-added"]);
        assert_eq!(e[2], Event::ServerAdded(tcp(1, 80), dest(3, 2)));
    }

    #[test]
    fn a_vanished_service_is_one_event() {
        let old = vec![
            (svc(tcp(1, 80)), vec![dest(2, 1)]),
            (svc(tcp(1, 443)), vec![dest(2, 1)]),
        ];
        let e = diff(&old, &old[1..].to_vec());
        assert_eq!(e, [Event::ServiceRemoved(tcp(1, 80))]);
    }

    #[test]
    fn a_reweight_names_the_field_old_and_new() {
        let old = vec![(svc(tcp(1, 80)), vec![dest(2, 3), dest(3, 1)])];
        let mut new = old.clone();
        new[0].1[0].config.weight = 0;
        let e = diff(&old, &new);
        let key = DestKey::of(&dest(2, 0));
        let change = Change {
            field: "weight",
            old: json!(3),
            new: json!(0),
        };
        assert_eq!(e, [Event::ServerChanged(tcp(1, 80), key, vec![change])]);
    }

    #[test]
    fn a_service_change_names_each_field() {
        let old = vec![(svc(tcp(1, 80)), vec![])];
        let mut new = old.clone();
        new[0].0.config.scheduler = "wrr".into();
        new[0].0.config.flags |= crate::ipvs::svc_flags::PERSISTENT;
        new[0].0.config.timeout = 300;
        let Event::ServiceChanged(_, c) = &diff(&old, &new)[0] else {
            panic!("no change")
        };
        let fields: Vec<_> = c.iter().map(|c| c.field).collect();
        assert_eq!(fields, ["scheduler", "flags", "timeout", "netmask"]);
        assert_eq!((&c[0].old, &c[0].new), (&json!("rr"), &json!("wrr")));
        assert_eq!(c[2].new, json!(300));
    }

    #[test]
    fn servers_come_and_go_in_order() {
        let old = vec![(svc(tcp(1, 80)), vec![dest(2, 1), dest(3, 1)])];
        let new = vec![(svc(tcp(1, 80)), vec![dest(3, 1), dest(4, 1)])];
        let e = diff(&old, &new);
        assert_eq!(
            e,
            [
                Event::ServerRemoved(tcp(1, 80), DestKey::of(&dest(2, 1))),
                Event::ServerAdded(tcp(1, 80), dest(4, 1)),
            ]
        );
    }

    #[test]
    fn removals_come_first_then_the_new_order() {
        let old = vec![(svc(tcp(1, 80)), vec![]), (svc(tcp(1, 81)), vec![])];
        let new = vec![
            (svc(tcp(1, 82)), vec![]),
            (svc(tcp(1, 81)), vec![dest(9, 1)]),
        ];
        let names: Vec<_> = diff(&old, &new).iter().map(Event::name).collect();
        assert_eq!(names, ["service-removed", "service-added", "server-added"]);
    }
}
