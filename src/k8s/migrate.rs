//! `--check --migrate=nftables|iptables` (issue 20): what switching
//! kube-proxy out of IPVS mode would do to this node, as lines of check
//! `migration` with stable codes. The facts are kube-proxy's, read from
//! `cmd/kube-proxy/app/server_linux.go` (`platformCleanup`) and
//! `pkg/proxy/ipvs/cleanup.go`: started in nftables mode it flushes the
//! whole IPVS table and deletes kube-ipvs0 with every address on it; in
//! iptables mode it removes nothing of IPVS mode. Pure.

use std::collections::HashSet;
use std::net::IpAddr;

use super::compare::Rule;
use super::owner::{label, Owner, Ownership};
use crate::check_report::{Coded, Status, KUBE_IPVS0};
use crate::cli::MigrationTarget;
use crate::ipvs::{Dest, Service, ServiceId};

/// The check's name in the report.
pub const CHECK: &str = "migration";

/// kube-proxy's IPVS-mode leftovers outside IPVS, where the tools to read
/// them are installed: `None` when they are not.
#[derive(Debug, Clone, Default)]
pub struct Outside {
    pub ipsets: Option<Vec<String>>,
    pub chains: Option<Vec<String>>,
}

/// The names of kube-proxy's ipsets in `ipset list -n`'s output.
pub fn kube_ipsets(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| l.starts_with("KUBE-"))
        .map(str::to_string)
        .collect()
}

/// The `KUBE-` chains declared in `iptables-save`'s output (`:NAME ...`),
/// each once.
pub fn kube_chains(text: &str) -> Vec<String> {
    let mut seen = HashSet::new();
    text.lines()
        .filter_map(|l| l.strip_prefix(':'))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| c.starts_with("KUBE-"))
        .filter(|c| seen.insert(c.to_string()))
        .map(str::to_string)
        .collect()
}

fn line(status: Status, code: Option<&'static str>, subject: String, detail: String) -> Coded {
    Coded {
        status,
        check: CHECK,
        code,
        subject,
        detail,
    }
}

/// The report's lines for a switch to `target`.
pub fn findings(
    target: MigrationTarget,
    table: &[(Service, Vec<Dest>)],
    owners: &[Ownership],
    kube_ipvs0: &[IpAddr],
    outside: &Outside,
) -> Vec<Coded> {
    let kube: Vec<usize> = (0..table.len())
        .filter(|&i| owners[i].owner.is_kube_proxy())
        .collect();
    let mut v = vec![summary(target, table.len(), kube.len())];
    for (i, (s, _)) in table.iter().enumerate() {
        let o = &owners[i];
        let rule = Rule(&s.id).to_string();
        match (target, o.owner) {
            (MigrationTarget::Nftables, Owner::Other) => v.push(line(
                Status::Attention,
                Some("FOREIGN_AT_RISK"),
                rule,
                format!(
                    "{}; kube-proxy's nftables start-up deletes it: keep it with \
                     `ipvsadm -S -n --owner=other > FILE` before the switch and \
                     `ipvsadm -R < FILE` after",
                    label(o)
                ),
            )),
            (MigrationTarget::Iptables, Owner::KubeProxy) => v.push(line(
                Status::Attention,
                Some("LEFTOVER_AFTER_SWITCH"),
                rule,
                format!("{}; {}", label(o), LEFTOVER),
            )),
            (_, Owner::LikelyKubeProxy) => v.push(line(
                Status::Info,
                Some("UNCERTAIN_OWNER"),
                rule,
                format!(
                    "{}; give the cluster's objects with --k8s to be sure",
                    label(o)
                ),
            )),
            _ => {}
        }
    }
    addresses(target, table, owners, kube_ipvs0, &mut v);
    outside_lines(outside, &mut v);
    v
}

const LEFTOVER: &str = "kube-proxy in iptables mode leaves it behind, catching traffic: \
                        remove kube-proxy's part with `ipvsadm --cleanup-kube-proxy --apply` \
                        after the switch";

fn summary(target: MigrationTarget, all: usize, kube: usize) -> Coded {
    let what = match target {
        MigrationTarget::Nftables => {
            "kube-proxy in nftables mode flushes the whole IPVS table and deletes kube-ipvs0"
        }
        MigrationTarget::Iptables => "kube-proxy in iptables mode removes nothing of IPVS mode",
    };
    let name = match target {
        MigrationTarget::Nftables => "to nftables",
        MigrationTarget::Iptables => "to iptables",
    };
    line(
        Status::Info,
        None,
        name.into(),
        format!(
            "{what}; {kube} of {all} virtual services are kube-proxy's, {} another owner's",
            all - kube
        ),
    )
}

/// kube-ipvs0's addresses: those no kube-proxy service uses are at risk
/// in nftables mode (the interface goes); the interface itself is a
/// leftover in iptables mode.
fn addresses(
    target: MigrationTarget,
    table: &[(Service, Vec<Dest>)],
    owners: &[Ownership],
    kube_ipvs0: &[IpAddr],
    v: &mut Vec<Coded>,
) {
    let used: HashSet<IpAddr> = table
        .iter()
        .zip(owners)
        .filter(|(_, o)| o.owner.is_kube_proxy())
        .filter_map(|((s, _), _)| match s.id {
            ServiceId::Addr { addr, .. } => Some(addr),
            ServiceId::Fwmark { .. } => None,
        })
        .collect();
    match target {
        MigrationTarget::Nftables => {
            for a in kube_ipvs0.iter().filter(|a| !used.contains(a)) {
                v.push(line(
                    Status::Attention,
                    Some("FOREIGN_ADDRESS_AT_RISK"),
                    a.to_string(),
                    format!(
                        "on {KUBE_IPVS0}, used by no kube-proxy service: it goes with \
                         the interface when kube-proxy starts in nftables mode; bind it \
                         to another interface before the switch"
                    ),
                ));
            }
        }
        MigrationTarget::Iptables if kube_ipvs0.iter().any(|a| used.contains(a)) => {
            v.push(line(
                Status::Attention,
                Some("LEFTOVER_AFTER_SWITCH"),
                KUBE_IPVS0.into(),
                format!(
                    "{} addresses stay bound; {LEFTOVER}",
                    kube_ipvs0.iter().filter(|a| used.contains(a)).count()
                ),
            ));
        }
        MigrationTarget::Iptables => {}
    }
}

fn outside_lines(o: &Outside, v: &mut Vec<Coded>) {
    let mut list = |what: &str, names: &Option<Vec<String>>| {
        let Some(names) = names else { return };
        let detail = if names.is_empty() {
            "none".to_string()
        } else {
            format!(
                "{} (read only; kube-proxy's own cleanup removes them)",
                names.join(" ")
            )
        };
        v.push(line(Status::Info, None, what.into(), detail));
    };
    list("kube-proxy's ipsets", &o.ipsets);
    list("KUBE- chains", &o.chains);
}
