//! Drain states of real servers at weight 0: draining while connections
//! are left and falling, stuck when they have not fallen for a minute,
//! drained when none are left. Pure: one step per refresh, from the
//! server's previous drain (if any), its weight and connections, and the
//! time of the refresh.

use std::time::Duration;

use crate::ipvs::ConnCounts;

/// How long connections may stay without falling before a drain is stuck.
pub const STUCK_AFTER: Duration = Duration::from_secs(60);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DrainState {
    Draining,
    Stuck,
    Drained,
}

impl DrainState {
    pub fn name(self) -> &'static str {
        match self {
            DrainState::Draining => "draining",
            DrainState::Stuck => "stuck",
            DrainState::Drained => "drained",
        }
    }
}

/// A drain in progress (or done): its state, the connections last seen
/// and when they last fell (or the drain began).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Drain {
    pub state: DrainState,
    pub conns: u64,
    pub since: Duration,
}

/// What a step tells: a drain began, got stuck, or is over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Told {
    Started,
    Stuck,
    Drained,
}

/// Connections a drain waits for: active and inactive.
fn total(c: &ConnCounts) -> u64 {
    u64::from(c.active) + u64::from(c.inactive)
}

/// One refresh of one server. `was_serving`: it was listed at the last
/// refresh with a weight above 0 (a drain then begins and is told; a
/// server first seen at weight 0 is tracked silently).
pub fn step(
    prev: Option<Drain>,
    weight: u32,
    conns: &ConnCounts,
    now: Duration,
    was_serving: bool,
) -> (Option<Drain>, Option<Told>) {
    if weight > 0 {
        return (None, None);
    }
    let n = total(conns);
    let Some(d) = prev else {
        let (state, told) = if n > 0 {
            (DrainState::Draining, Told::Started)
        } else {
            (DrainState::Drained, Told::Drained)
        };
        let d = Drain {
            state,
            conns: n,
            since: now,
        };
        return (Some(d), was_serving.then_some(told));
    };
    let next = |state, since| Drain {
        state,
        conns: n,
        since,
    };
    if n == 0 {
        let told = (d.state != DrainState::Drained).then_some(Told::Drained);
        return (Some(next(DrainState::Drained, now)), told);
    }
    if n < d.conns || d.state == DrainState::Drained {
        return (Some(next(DrainState::Draining, now)), None);
    }
    if d.state == DrainState::Draining && now.saturating_sub(d.since) >= STUCK_AFTER {
        return (Some(next(DrainState::Stuck, d.since)), Some(Told::Stuck));
    }
    (Some(next(d.state, d.since)), None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(active: u32, inactive: u32) -> ConnCounts {
        ConnCounts {
            active,
            inactive,
            persistent: 0,
        }
    }
    fn s(secs: u64) -> Duration {
        Duration::from_secs(secs)
    }

    #[test]
    fn a_serving_server_has_no_drain() {
        assert_eq!(step(None, 1, &c(5, 5), s(0), true), (None, None));
        let d = Some(Drain {
            state: DrainState::Draining,
            conns: 3,
            since: s(0),
        });
        // Reweighted up: the drain is over, silently.
        assert_eq!(step(d, 2, &c(3, 0), s(1), false), (None, None));
    }

    #[test]
    fn weight_zero_with_connections_starts_a_drain() {
        let (d, told) = step(None, 0, &c(2, 3), s(10), true);
        assert_eq!(told, Some(Told::Started));
        assert_eq!(d.unwrap().state, DrainState::Draining);
        assert_eq!(d.unwrap().conns, 5);
    }

    #[test]
    fn weight_zero_without_connections_is_drained_at_once() {
        let (d, told) = step(None, 0, &c(0, 0), s(10), true);
        assert_eq!(
            (d.unwrap().state, told),
            (DrainState::Drained, Some(Told::Drained))
        );
    }

    #[test]
    fn a_server_first_seen_at_weight_zero_is_tracked_silently() {
        let (d, told) = step(None, 0, &c(4, 0), s(0), false);
        assert_eq!((d.unwrap().state, told), (DrainState::Draining, None));
    }

    #[test]
    fn falling_connections_keep_draining_until_none() {
        let mut d = step(None, 0, &c(4, 4), s(0), true).0;
        for (t, n) in [(2, 6), (4, 3), (70, 1)] {
            let (next, told) = step(d, 0, &c(n, 0), s(t), false);
            assert_eq!(
                (next.unwrap().state, told),
                (DrainState::Draining, None),
                "at {t}"
            );
            d = next;
        }
        let (next, told) = step(d, 0, &c(0, 0), s(72), false);
        assert_eq!(
            (next.unwrap().state, told),
            (DrainState::Drained, Some(Told::Drained))
        );
        // Told once.
        assert_eq!(step(next, 0, &c(0, 0), s(74), false).1, None);
    }

    #[test]
    fn a_minute_without_a_fall_is_stuck_told_once() {
        let mut d = step(None, 0, &c(3, 0), s(0), true).0;
        d = step(d, 0, &c(3, 0), s(30), false).0;
        assert_eq!(d.unwrap().state, DrainState::Draining);
        let (d2, told) = step(d, 0, &c(4, 0), s(60), false);
        assert_eq!(
            (d2.unwrap().state, told),
            (DrainState::Stuck, Some(Told::Stuck))
        );
        let (d3, told) = step(d2, 0, &c(4, 0), s(90), false);
        assert_eq!((d3.unwrap().state, told), (DrainState::Stuck, None));
        // A fall unsticks it, silently.
        let (d4, told) = step(d3, 0, &c(2, 0), s(92), false);
        assert_eq!((d4.unwrap().state, told), (DrainState::Draining, None));
    }

    #[test]
    fn connections_back_on_a_drained_server_drain_again() {
        let d = step(None, 0, &c(0, 0), s(0), true).0;
        let (d, told) = step(d, 0, &c(1, 0), s(2), false);
        assert_eq!((d.unwrap().state, told), (DrainState::Draining, None));
    }
}
