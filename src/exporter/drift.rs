//! Rollouts are not drift: kube-proxy applies the API's changes after a
//! delay, so a finding counts as drift only once it has held longer than
//! the grace period. `Tracker` remembers when each finding was first seen
//! and forgets it once it is gone; `summarize` counts them by code (all,
//! and those past the grace) with the age of each code's oldest, and keeps
//! the findings themselves oldest first for the capped per-finding series.
//! Pure: the time is an argument.

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

/// One finding as the exporter tells it apart from the others: its code,
/// the Service it concerns (empty when none), the virtual service and the
/// real server (empty when the finding is the service's).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Observed {
    pub code: &'static str,
    /// Whether the code needs attention; information (a drain, an
    /// expected empty service) is never drift.
    pub attention: bool,
    pub namespace: String,
    pub service: String,
    pub virtual_service: String,
    pub real_server: String,
}

/// When each current finding was first seen.
#[derive(Debug, Default)]
pub struct Tracker {
    first: HashMap<Observed, Instant>,
}

impl Tracker {
    /// Take the findings of a new reading: those seen before keep their
    /// first time, new ones start now, those gone are forgotten (a finding
    /// that comes back starts again). Each with how long it has held.
    pub fn observe(&mut self, now: Instant, findings: Vec<Observed>) -> Vec<(Observed, Duration)> {
        let mut first = HashMap::with_capacity(findings.len());
        let mut held = Vec::with_capacity(findings.len());
        for f in findings {
            let since = self.first.get(&f).copied().unwrap_or(now);
            held.push((f.clone(), now.saturating_duration_since(since)));
            first.insert(f, since);
        }
        self.first = first;
        held
    }
}

/// One code's findings.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct CodeSummary {
    /// Every current finding of the code.
    pub count: usize,
    /// Those held past the grace, when the code needs attention.
    pub drift: usize,
    /// How long the oldest has held, in seconds (0 when none).
    pub oldest: f64,
}

/// The findings by code, and each finding with its age, oldest first.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summary {
    pub by_code: BTreeMap<&'static str, CodeSummary>,
    pub held: Vec<(Observed, f64)>,
}

/// Count `held` by code; every code of `codes` is present, zero or not.
pub fn summarize(
    codes: &[&'static str],
    held: Vec<(Observed, Duration)>,
    grace: Duration,
) -> Summary {
    let mut by_code: BTreeMap<&'static str, CodeSummary> =
        codes.iter().map(|c| (*c, CodeSummary::default())).collect();
    for (f, age) in &held {
        let s = by_code.entry(f.code).or_default();
        s.count += 1;
        if f.attention && *age > grace {
            s.drift += 1;
        }
        s.oldest = s.oldest.max(age.as_secs_f64());
    }
    let mut held: Vec<(Observed, f64)> = held
        .into_iter()
        .map(|(f, d)| (f, d.as_secs_f64()))
        .collect();
    // Oldest first; among equals, in a stable order so that the series
    // kept under the cap do not change from one scrape to the next.
    held.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Summary { by_code, held }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(code: &'static str, vs: &str) -> Observed {
        Observed {
            code,
            attention: code != "DRAINING",
            namespace: "default".into(),
            service: "web".into(),
            virtual_service: vs.into(),
            real_server: String::new(),
        }
    }

    #[test]
    fn a_finding_keeps_its_first_time_until_it_is_gone() {
        let t0 = Instant::now();
        let mut t = Tracker::default();
        let a = f("MISSING_SERVICE", "TCP 10.96.0.10:80");
        let held = t.observe(t0, vec![a.clone()]);
        assert_eq!(held[0].1, Duration::ZERO);
        let held = t.observe(t0 + Duration::from_secs(30), vec![a.clone()]);
        assert_eq!(held[0].1, Duration::from_secs(30));
        // Gone once, then back: it starts again.
        t.observe(t0 + Duration::from_secs(31), vec![]);
        let held = t.observe(t0 + Duration::from_secs(40), vec![a]);
        assert_eq!(held[0].1, Duration::ZERO);
    }

    #[test]
    fn drift_counts_only_attention_past_the_grace() {
        let grace = Duration::from_secs(90);
        let held = vec![
            (
                f("MISSING_SERVER", "TCP 10.96.0.10:80"),
                Duration::from_secs(91),
            ),
            (
                f("MISSING_SERVER", "TCP 10.96.0.11:80"),
                Duration::from_secs(90),
            ),
            (f("DRAINING", "TCP 10.96.0.12:80"), Duration::from_secs(500)),
        ];
        let s = summarize(&["MISSING_SERVER", "DRAINING", "STALE_SERVER"], held, grace);
        let m = s.by_code["MISSING_SERVER"];
        assert_eq!((m.count, m.drift, m.oldest), (2, 1, 91.0));
        let d = s.by_code["DRAINING"];
        assert_eq!((d.count, d.drift, d.oldest), (1, 0, 500.0));
        assert_eq!(s.by_code["STALE_SERVER"], CodeSummary::default());
        let ages: Vec<f64> = s.held.iter().map(|h| h.1).collect();
        assert_eq!(ages, [500.0, 91.0, 90.0]);
    }
}
