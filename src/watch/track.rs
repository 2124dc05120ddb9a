//! What the watch keeps from one refresh to the next, and what a view
//! shows of each: the rows of services and real servers with their rates
//! (connections and bytes per second from the 64-bit counters between two
//! listings), the change of their connection counts, a trend of each
//! service's connections per second, marks for rows that appeared,
//! vanished (kept a few refreshes) or changed weight, and drain states.
//! Rates are measured over `RATE_WINDOW` at least. Pure: listings and
//! times in, events and rows out.

use std::collections::{HashMap, VecDeque};
use std::time::Duration;

use super::diff::{diff, DestKey, Event};
use super::drain::{self, Drain, DrainState, Told};
use super::Table;
use crate::ipvs::{Dest, Service, ServiceId, Stats};

/// Refreshes a mark (and a vanished row) is kept for.
pub const MARK_REFRESHES: u8 = 3;
/// Points of a service's trend: the last this many refreshes.
pub const TREND_POINTS: usize = 60;
/// The shortest time a rate is measured over: the kernel folds its
/// counters into what a listing reads every 2 seconds, so that a shorter
/// span would see them move by bursts (a listing every second would read
/// 0 and double by turns).
pub const RATE_WINDOW: Duration = Duration::from_secs(4);

/// What stands out about a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    New,
    Gone,
    Reweighted,
}

/// Per second, between the last two listings.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Rates {
    pub conns: f64,
    /// Bytes in and out.
    pub bytes: f64,
}

impl Rates {
    /// From the counters of two listings `secs` apart; a counter that went
    /// back (zeroed by `-Z`) counts nothing.
    pub fn between(old: &Stats, new: &Stats, secs: f64) -> Rates {
        if secs <= 0.0 {
            return Rates::default();
        }
        let per_sec = |a: u64, b: u64| b.checked_sub(a).map_or(0.0, |d| d as f64 / secs);
        Rates {
            conns: per_sec(old.conns, new.conns),
            bytes: per_sec(old.inbytes, new.inbytes) + per_sec(old.outbytes, new.outbytes),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ServerRow {
    pub dest: Dest,
    pub mark: Option<Mark>,
    pub rates: Rates,
    pub active_change: i64,
    pub inactive_change: i64,
    pub drain: Option<DrainState>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ServiceRow {
    pub svc: Service,
    pub mark: Option<Mark>,
    pub rates: Rates,
    /// Connections per second at each of the last refreshes, oldest first.
    pub trend: Vec<f64>,
    pub servers: Vec<ServerRow>,
}

type RowKey = (ServiceId, Option<DestKey>);

/// The watch's memory between refreshes.
#[derive(Default)]
pub struct Tracker {
    last: Option<(Table, Duration)>,
    drains: HashMap<(ServiceId, DestKey), Drain>,
    trends: HashMap<ServiceId, VecDeque<f64>>,
    /// Each row's counters at the refreshes of the last `RATE_WINDOW`.
    samples: HashMap<RowKey, VecDeque<(Duration, Stats)>>,
    marks: HashMap<RowKey, (Mark, u8)>,
    gone_services: Vec<(ServiceRow, u8)>,
    gone_servers: Vec<(ServiceId, ServerRow, u8)>,
    failing: Option<String>,
    /// The rows of the last refresh, in the kernel's order, vanished ones
    /// after the others.
    pub rows: Vec<ServiceRow>,
}

impl Tracker {
    pub fn new() -> Tracker {
        Tracker::default()
    }

    /// A listing taken at `now` (any fixed origin): its events.
    pub fn update(&mut self, table: Table, now: Duration) -> Vec<Event> {
        let mut events = Vec::new();
        if self.failing.take().is_some() {
            events.push(Event::Recovered);
        }
        match &self.last {
            None => events.push(Event::Watching {
                services: table.len(),
            }),
            Some((old, _)) => events.extend(diff(old, &table)),
        }
        self.age();
        self.mark(&events);
        events.extend(self.drains(&table, now));
        self.rows = self.rows_of(&table, now);
        self.last = Some((table, now));
        events
    }

    /// A listing that failed with this message: told when a run of
    /// failures begins (the view shows the latest message).
    pub fn failed(&mut self, message: String) -> Vec<Event> {
        let first = self.failing.is_none();
        self.failing = Some(message.clone());
        if first {
            vec![Event::Error(message)]
        } else {
            Vec::new()
        }
    }

    /// Whether the last listing failed.
    pub fn failing(&self) -> Option<&str> {
        self.failing.as_deref()
    }

    /// One refresh older: marks and vanished rows fade.
    fn age(&mut self) {
        self.marks.retain(|_, (_, left)| {
            *left -= 1;
            *left > 0
        });
        self.gone_services.retain_mut(|(_, left)| {
            *left -= 1;
            *left > 0
        });
        self.gone_servers.retain_mut(|(_, _, left)| {
            *left -= 1;
            *left > 0
        });
    }

    /// Marks from this refresh's events; vanished rows kept as they were.
    fn mark(&mut self, events: &[Event]) {
        for e in events {
            let (key, mark) = match e {
                Event::ServiceAdded(s) => ((s.id, None), Mark::New),
                Event::ServerAdded(id, d) => ((*id, Some(DestKey::of(d))), Mark::New),
                Event::ServerChanged(id, k, c) if c.iter().any(|c| c.field == "weight") => {
                    ((*id, Some(*k)), Mark::Reweighted)
                }
                Event::ServiceRemoved(id) => {
                    self.keep_gone_service(id);
                    continue;
                }
                Event::ServerRemoved(id, k) => {
                    self.keep_gone_server(id, k);
                    continue;
                }
                _ => continue,
            };
            self.marks.insert(key, (mark, MARK_REFRESHES));
        }
    }

    fn keep_gone_service(&mut self, id: &ServiceId) {
        if let Some(row) = self
            .rows
            .iter()
            .find(|r| r.svc.id == *id && r.mark != Some(Mark::Gone))
        {
            let mut row = row.clone();
            row.mark = Some(Mark::Gone);
            row.rates = Rates::default();
            for s in &mut row.servers {
                s.mark = Some(Mark::Gone);
                s.rates = Rates::default();
            }
            self.gone_services.push((row, MARK_REFRESHES));
        }
    }

    fn keep_gone_server(&mut self, id: &ServiceId, key: &DestKey) {
        let row = self.rows.iter().find(|r| r.svc.id == *id);
        let server = row.and_then(|r| r.servers.iter().find(|s| DestKey::of(&s.dest) == *key));
        if let Some(s) = server.filter(|s| s.mark != Some(Mark::Gone)) {
            let mut s = s.clone();
            s.mark = Some(Mark::Gone);
            s.rates = Rates::default();
            s.drain = None;
            self.gone_servers.push((*id, s, MARK_REFRESHES));
        }
    }

    /// Each server's drain stepped; the drains told.
    fn drains(&mut self, table: &Table, now: Duration) -> Vec<Event> {
        let serving: HashMap<(ServiceId, DestKey), bool> = match &self.last {
            Some((old, _)) => old
                .iter()
                .flat_map(|(s, ds)| {
                    ds.iter()
                        .map(move |d| ((s.id, DestKey::of(d)), d.config.weight > 0))
                })
                .collect(),
            None => HashMap::new(),
        };
        let mut drains = HashMap::new();
        let mut events = Vec::new();
        for (svc, dests) in table {
            for d in dests {
                let key = (svc.id, DestKey::of(d));
                let was_serving = serving.get(&key).copied().unwrap_or(false);
                let prev = self.drains.get(&key).copied();
                let (next, told) = drain::step(prev, d.config.weight, &d.conns, now, was_serving);
                if let Some(next) = next {
                    drains.insert(key, next);
                }
                events.extend(told.map(|t| match t {
                    Told::Started => Event::DrainStarted(svc.id, key.1, d.conns),
                    Told::Stuck => Event::DrainStuck(svc.id, key.1, d.conns),
                    Told::Drained => Event::Drained(svc.id, key.1),
                }));
            }
        }
        self.drains = drains;
        events
    }

    /// The rows of a listing taken at `now`, the vanished ones kept.
    fn rows_of(&mut self, table: &Table, now: Duration) -> Vec<ServiceRow> {
        let old: HashMap<ServiceId, &[Dest]> = match &self.last {
            Some((t, _)) => t.iter().map(|(s, d)| (s.id, &d[..])).collect(),
            None => HashMap::new(),
        };
        let (mut samples, mut kept) = (std::mem::take(&mut self.samples), HashMap::new());
        let mut rate = |key: RowKey, stats: &Stats| {
            let mut seen = samples.remove(&key).unwrap_or_default();
            let r = rate_of(&mut seen, stats, now);
            kept.insert(key, seen);
            r
        };
        let mut trends = HashMap::new();
        let mut rows = Vec::with_capacity(table.len() + self.gone_services.len());
        for (svc, dests) in table {
            let rates = rate((svc.id, None), &svc.stats);
            let mut trend = self.trends.remove(&svc.id).unwrap_or_default();
            if let Some(r) = rates {
                trend.push_back(r.conns);
            }
            while trend.len() > TREND_POINTS {
                trend.pop_front();
            }
            let mut servers: Vec<ServerRow> = dests
                .iter()
                .map(|d| {
                    let r = rate((svc.id, Some(DestKey::of(d))), &d.stats);
                    self.server_row(svc.id, d, old.get(&svc.id).copied(), r)
                })
                .collect();
            let gone = self.gone_servers.iter().filter(|(id, ..)| *id == svc.id);
            servers.extend(gone.map(|(_, row, _)| row.clone()));
            rows.push(ServiceRow {
                svc: svc.clone(),
                mark: self.marks.get(&(svc.id, None)).map(|m| m.0),
                rates: rates.unwrap_or_default(),
                trend: trend.iter().copied().collect(),
                servers,
            });
            trends.insert(svc.id, trend);
        }
        self.trends = trends;
        self.samples = kept;
        rows.extend(self.gone_services.iter().map(|(row, _)| row.clone()));
        rows
    }

    fn server_row(
        &self,
        id: ServiceId,
        d: &Dest,
        old: Option<&[Dest]>,
        r: Option<Rates>,
    ) -> ServerRow {
        let key = DestKey::of(d);
        let was = old.and_then(|ds| ds.iter().find(|o| DestKey::of(o) == key));
        let change = |f: fn(&Dest) -> u32| was.map_or(0, |o| i64::from(f(d)) - i64::from(f(o)));
        ServerRow {
            dest: d.clone(),
            mark: self.marks.get(&(id, Some(key))).map(|m| m.0),
            rates: r.unwrap_or_default(),
            active_change: change(|d| d.conns.active),
            inactive_change: change(|d| d.conns.inactive),
            drain: self.drains.get(&(id, key)).map(|d| d.state),
        }
    }
}

/// A row's rates at `now` against the newest of its samples at least
/// `RATE_WINDOW` old (or the oldest, early on); `None` for a row first
/// seen. The sample is kept, and those no longer needed dropped.
fn rate_of(seen: &mut VecDeque<(Duration, Stats)>, stats: &Stats, now: Duration) -> Option<Rates> {
    while seen.len() >= 2 && now.saturating_sub(seen[1].0) >= RATE_WINDOW {
        seen.pop_front();
    }
    let r = seen
        .front()
        .map(|(at, old)| Rates::between(old, stats, now.saturating_sub(*at).as_secs_f64()));
    seen.push_back((now, *stats));
    r
}

#[cfg(test)]
mod tests;
