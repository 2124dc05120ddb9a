//! kube-proxy's own view beside ours (issue 27): what its metrics port
//! said (`/proxyMode`, and `kubeproxy_sync_proxy_rules_last_timestamp_seconds`
//! of `/metrics`) and the line of the check's report it makes. Pure: the
//! reading is `exec`'s; the time is an argument.

use crate::check_report::{Coded, Status};

use super::report::CHECK;

/// The codes of the lines below.
pub const KUBE_PROXY: &str = "KUBE_PROXY";
pub const KUBE_PROXY_NOT_IPVS: &str = "KUBE_PROXY_NOT_IPVS";

/// The metric kube-proxy sets after each sync of its rules.
const LAST_SYNC: &str = "kubeproxy_sync_proxy_rules_last_timestamp_seconds";

/// What kube-proxy's metrics port said; `None` when it did not answer.
#[derive(Debug, Clone, PartialEq)]
pub struct KubeProxy {
    /// Where it was asked, as `127.0.0.1:10249`.
    pub at: String,
    /// `/proxyMode`'s answer: `ipvs`, `iptables`, `nftables`, ...
    pub mode: String,
    /// When it last synced its rules, in seconds since the epoch.
    pub last_sync: Option<f64>,
}

/// The last sync's time from kube-proxy's `/metrics` (Prometheus's text
/// format: the sample line of that name, without labels).
pub fn last_sync(metrics: &str) -> Option<f64> {
    metrics.lines().find_map(|l| {
        let v = l.strip_prefix(LAST_SYNC)?.strip_prefix(' ')?;
        let v: f64 = v.split_whitespace().next()?.parse().ok()?;
        v.is_finite().then_some(v)
    })
}

/// `/proxyMode`'s answer, when it is one word.
pub fn mode(answer: &str) -> Option<String> {
    let m = answer.trim();
    let word = !m.is_empty() && m.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    word.then(|| m.to_string())
}

/// The check's line: kube-proxy's mode and how long ago it last synced;
/// attention when it runs in another mode than IPVS, whose table it then
/// does not keep.
pub fn coded(k: &KubeProxy, now: f64) -> Coded {
    let synced = match k.last_sync {
        Some(t) if t > 0.0 => format!("last synced {:.0} s ago", (now - t).max(0.0)),
        _ => "no sync yet".to_string(),
    };
    let ipvs = k.mode == "ipvs";
    let detail = if ipvs {
        format!("mode ipvs, {synced} (its metrics at {})", k.at)
    } else {
        format!(
            "kube-proxy runs in {} mode, {synced} (its metrics at {}): \
             this table is not its to keep (see --check --migrate)",
            k.mode, k.at
        )
    };
    Coded {
        status: if ipvs {
            Status::Info
        } else {
            Status::Attention
        },
        check: CHECK,
        code: Some(if ipvs {
            KUBE_PROXY
        } else {
            KUBE_PROXY_NOT_IPVS
        }),
        subject: "kube-proxy".to_string(),
        detail,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_sync_is_read_from_kube_proxys_metrics() {
        let m = "# HELP kubeproxy_sync_proxy_rules_last_timestamp_seconds [ALPHA] The last time proxy rules were successfully synced\n\
                 # TYPE kubeproxy_sync_proxy_rules_last_timestamp_seconds gauge\n\
                 kubeproxy_sync_proxy_rules_last_timestamp_seconds 1.7966528e+09\n\
                 kubeproxy_sync_proxy_rules_last_timestamp_seconds_x 5\n";
        assert_eq!(last_sync(m), Some(1.7966528e9));
        assert_eq!(
            last_sync("kubeproxy_sync_proxy_rules_last_timestamp_seconds NaN\n"),
            None
        );
        assert_eq!(last_sync(""), None);
        assert_eq!(mode("ipvs"), Some("ipvs".into()));
        assert_eq!(mode("<html>"), None);
    }

    #[test]
    fn another_mode_needs_attention() {
        let k = KubeProxy {
            at: "127.0.0.1:10249".into(),
            mode: "ipvs".into(),
            last_sync: Some(1000.0),
        };
        let c = coded(&k, 1012.4);
        assert_eq!((c.status, c.code), (Status::Info, Some(KUBE_PROXY)));
        assert_eq!(
            c.detail,
            "mode ipvs, last synced 12 s ago (its metrics at 127.0.0.1:10249)"
        );
        let n = coded(
            &KubeProxy {
                mode: "nftables".into(),
                last_sync: None,
                ..k
            },
            0.0,
        );
        assert_eq!(
            (n.status, n.code),
            (Status::Attention, Some(KUBE_PROXY_NOT_IPVS))
        );
        assert!(
            n.detail.contains("runs in nftables mode, no sync yet"),
            "{}",
            n.detail
        );
    }
}
