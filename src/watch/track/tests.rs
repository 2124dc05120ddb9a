//! The tracker over sequences of listings: events, rates, marks, drains.

use std::time::Duration;

use super::*;
use crate::watch::fixture::{dest, svc, tcp, with_conns};

fn at(secs: u64) -> Duration {
    Duration::from_secs(secs)
}

fn names(e: &[Event]) -> Vec<&'static str> {
    e.iter().map(Event::name).collect()
}

#[test]
fn the_first_listing_is_watching_and_no_change() {
    let mut t = Tracker::new();
    let e = t.update(vec![(svc(tcp(1, 80)), vec![dest(2, 0)])], at(0));
    assert_eq!(e, [Event::Watching { services: 1 }]);
    assert_eq!(t.rows.len(), 1);
    assert_eq!(t.rows[0].mark, None);
    // Seen at weight 0 with nothing left: drained, untold.
    assert_eq!(t.rows[0].servers[0].drain, Some(DrainState::Drained));
}

#[test]
fn rates_come_from_counters_between_listings() {
    let mut t = Tracker::new();
    let mut s = svc(tcp(1, 80));
    let mut d = dest(2, 1);
    t.update(vec![(s.clone(), vec![d.clone()])], at(0));
    s.stats.conns = 10;
    s.stats.inbytes = 1000;
    s.stats.outbytes = 3000;
    d.stats.conns = 10;
    d.conns.active = 4;
    t.update(vec![(s.clone(), vec![d.clone()])], at(2));
    let row = &t.rows[0];
    assert_eq!(
        row.rates,
        Rates {
            conns: 5.0,
            bytes: 2000.0
        }
    );
    assert_eq!(row.servers[0].rates.conns, 5.0);
    assert_eq!(row.servers[0].active_change, 4);
    assert_eq!(row.trend, [5.0]);
    // Zeroed counters count nothing, rather than a huge rate.
    s.stats = Stats::default();
    t.update(vec![(s, vec![d])], at(4));
    assert_eq!(t.rows[0].rates, Rates::default());
    assert_eq!(t.rows[0].trend, [5.0, 0.0]);
}

#[test]
fn rates_span_the_kernels_two_second_folds() {
    // Listed every second, counters that move every other second by 10:
    // 5 a second throughout, not 10 and 0 by turns.
    let mut t = Tracker::new();
    let mut s = svc(tcp(1, 80));
    let mut seen = Vec::new();
    for i in 0..12u64 {
        s.stats.conns = i / 2 * 10;
        t.update(vec![(s.clone(), vec![])], at(i));
        seen.push(t.rows[0].rates.conns);
    }
    assert_eq!(seen[4..], [5.0; 8]);
    assert!(seen[2..4].iter().all(|r| *r > 0.0), "{seen:?}");
}

#[test]
fn the_trend_keeps_the_last_points() {
    let mut t = Tracker::new();
    let mut s = svc(tcp(1, 80));
    for i in 0..(TREND_POINTS as u64 + 10) {
        s.stats.conns = i * i;
        t.update(vec![(s.clone(), vec![])], at(i));
    }
    let trend = &t.rows[0].trend;
    assert_eq!(trend.len(), TREND_POINTS);
    // Over the last 4 s: (i² - (i-4)²) / 4.
    let i = TREND_POINTS as f64 + 9.0;
    assert_eq!(*trend.last().unwrap(), 2.0 * i - 4.0);
}

#[test]
fn new_rows_are_marked_for_a_few_refreshes() {
    let mut t = Tracker::new();
    t.update(vec![], at(0));
    let table = vec![(svc(tcp(1, 80)), vec![dest(2, 1)])];
    t.update(table.clone(), at(1));
    assert_eq!(t.rows[0].mark, Some(Mark::New));
    assert_eq!(t.rows[0].servers[0].mark, Some(Mark::New));
    for i in 2..(1 + MARK_REFRESHES as u64) {
        t.update(table.clone(), at(i));
        assert_eq!(t.rows[0].mark, Some(Mark::New), "refresh {i}");
    }
    t.update(table, at(10));
    assert_eq!(t.rows[0].mark, None);
}

#[test]
fn vanished_rows_stay_dimmed_then_go() {
    let mut t = Tracker::new();
    let both = vec![
        (svc(tcp(1, 80)), vec![dest(2, 1), dest(3, 1)]),
        (svc(tcp(1, 81)), vec![dest(2, 1)]),
    ];
    t.update(both, at(0));
    let less = vec![(svc(tcp(1, 80)), vec![dest(3, 1)])];
    let e = t.update(less.clone(), at(1));
    assert_eq!(names(&e), ["service-removed", "server-removed"]);
    assert_eq!(t.rows.len(), 2);
    assert_eq!(t.rows[1].svc.id, tcp(1, 81));
    assert_eq!(t.rows[1].mark, Some(Mark::Gone));
    let gone: Vec<_> = t.rows[0].servers.iter().map(|s| s.mark).collect();
    assert_eq!(gone, [None, Some(Mark::Gone)]);
    for i in 2..(1 + MARK_REFRESHES as u64) {
        assert!(t.update(less.clone(), at(i)).is_empty());
        assert_eq!(t.rows.len(), 2, "refresh {i}");
    }
    t.update(less, at(9));
    assert_eq!(t.rows.len(), 1);
    assert_eq!(t.rows[0].servers.len(), 1);
}

#[test]
fn a_drain_is_told_started_then_drained() {
    let mut t = Tracker::new();
    let id = tcp(1, 80);
    let table = |w, a, i| vec![(svc(id), vec![with_conns(dest(2, w), a, i)])];
    t.update(table(3, 5, 5), at(0));
    let e = t.update(table(0, 5, 5), at(2));
    assert_eq!(names(&e), ["server-changed", "drain-started"]);
    assert_eq!(t.rows[0].servers[0].mark, Some(Mark::Reweighted));
    assert_eq!(t.rows[0].servers[0].drain, Some(DrainState::Draining));
    assert!(t.update(table(0, 2, 3), at(4)).is_empty());
    let e = t.update(table(0, 2, 3), at(64));
    assert_eq!(names(&e), ["drain-stuck"]);
    assert_eq!(t.rows[0].servers[0].drain, Some(DrainState::Stuck));
    let e = t.update(table(0, 0, 0), at(66));
    let key = DestKey::of(&dest(2, 0));
    assert_eq!(e, [Event::Drained(id, key)]);
    assert_eq!(t.rows[0].servers[0].drain, Some(DrainState::Drained));
    let e = t.update(table(1, 0, 0), at(68));
    assert_eq!(names(&e), ["server-changed"]);
    assert_eq!(t.rows[0].servers[0].drain, None);
}

#[test]
fn a_run_of_errors_is_told_once_then_the_recovery() {
    let mut t = Tracker::new();
    t.update(vec![(svc(tcp(1, 80)), vec![])], at(0));
    assert_eq!(t.failed("gone".into()), [Event::Error("gone".into())]);
    assert!(t.failed("gone".into()).is_empty());
    assert_eq!(t.failing(), Some("gone"));
    assert!(t.failed("other".into()).is_empty());
    assert_eq!(t.failing(), Some("other"));
    let e = t.update(vec![], at(4));
    assert_eq!(names(&e), ["recovered", "service-removed"]);
    assert_eq!(t.failing(), None);
}
