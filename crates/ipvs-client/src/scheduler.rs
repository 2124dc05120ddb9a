//! Schedulers by name: the ones the kernel ships as variants, any other
//! name kept (a scheduler module of one's own).

use crate::model::{ServiceConfig, ShortName};

/// How a virtual service picks a real server for a new connection. The
/// kernel knows a scheduler by its module's name (`ip_vs_NAME`); each of
/// Linux's is a variant, and `Other` keeps any other name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scheduler {
    /// `rr`: round robin (kube-proxy's default).
    RoundRobin,
    /// `wrr`: weighted round robin.
    WeightedRoundRobin,
    /// `lc`: least connections.
    LeastConnection,
    /// `wlc`: weighted least connections (ipvsadm's default).
    WeightedLeastConnection,
    /// `lblc`: locality-based least connections.
    LocalityBasedLeastConnection,
    /// `lblcr`: locality-based least connections with replication.
    LocalityBasedLeastConnectionReplication,
    /// `dh`: destination hashing.
    DestinationHashing,
    /// `sh`: source hashing (flags `SCHED_SH_FALLBACK`, `SCHED_SH_PORT`).
    SourceHashing,
    /// `sed`: shortest expected delay.
    ShortestExpectedDelay,
    /// `nq`: never queue.
    NeverQueue,
    /// `fo`: weighted failover.
    WeightedFailover,
    /// `ovf`: weighted overflow.
    WeightedOverflow,
    /// `mh`: Maglev hashing (flags `SCHED_MH_FALLBACK`, `SCHED_MH_PORT`).
    MaglevHashing,
    /// `twos`: weighted random twos choice.
    TwoRandomChoices,
    /// Any other name, as the kernel holds it (at most 16 bytes).
    Other(ShortName),
}

/// Each named variant and its module's name.
const NAMES: [(Scheduler, &str); 14] = [
    (Scheduler::RoundRobin, "rr"),
    (Scheduler::WeightedRoundRobin, "wrr"),
    (Scheduler::LeastConnection, "lc"),
    (Scheduler::WeightedLeastConnection, "wlc"),
    (Scheduler::LocalityBasedLeastConnection, "lblc"),
    (Scheduler::LocalityBasedLeastConnectionReplication, "lblcr"),
    (Scheduler::DestinationHashing, "dh"),
    (Scheduler::SourceHashing, "sh"),
    (Scheduler::ShortestExpectedDelay, "sed"),
    (Scheduler::NeverQueue, "nq"),
    (Scheduler::WeightedFailover, "fo"),
    (Scheduler::WeightedOverflow, "ovf"),
    (Scheduler::MaglevHashing, "mh"),
    (Scheduler::TwoRandomChoices, "twos"),
];

impl Scheduler {
    /// The scheduler of a name: a variant for Linux's own, `Other` for
    /// any other (cut to 16 bytes, as the kernel's field).
    pub fn from_name(name: &str) -> Scheduler {
        NAMES
            .iter()
            .find(|(_, n)| *n == name)
            .map(|(s, _)| *s)
            .unwrap_or_else(|| Scheduler::Other(ShortName::from(name)))
    }

    /// The name the kernel knows it by.
    pub fn name(&self) -> ShortName {
        match self {
            Scheduler::Other(n) => *n,
            known => NAMES
                .iter()
                .find(|(s, _)| s == known)
                .map(|(_, n)| ShortName::from(*n))
                .unwrap_or_default(),
        }
    }
}

impl From<&str> for Scheduler {
    fn from(name: &str) -> Scheduler {
        Scheduler::from_name(name)
    }
}

impl std::fmt::Display for Scheduler {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(&self.name(), f)
    }
}

impl ServiceConfig {
    /// The scheduler, typed.
    pub fn scheduler(&self) -> Scheduler {
        Scheduler::from_name(&self.scheduler.text())
    }

    /// Use this scheduler.
    pub fn set_scheduler(&mut self, s: Scheduler) {
        self.scheduler = s.name();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_known_name_round_trips_and_others_are_kept() {
        for (s, n) in NAMES {
            assert_eq!(Scheduler::from_name(n), s);
            assert_eq!(s.name(), n);
        }
        let mine = Scheduler::from_name("my_sched");
        assert_eq!(mine, Scheduler::Other(ShortName::from("my_sched")));
        assert_eq!(mine.to_string(), "my_sched");
        let mut cfg = ServiceConfig::default();
        cfg.set_scheduler(Scheduler::MaglevHashing);
        assert_eq!(cfg.scheduler, "mh");
        assert_eq!(cfg.scheduler(), Scheduler::MaglevHashing);
    }
}
