//! `--k8s`, `--owner` and `--migrate` (ours): the cluster's objects read,
//! this node found, and the live table joined to what kube-proxy would
//! build here, for `--check` (findings of checks `kubernetes` and
//! `migration`), for `-L` (the listing with what each line is and whose)
//! and for `-S --owner=...`. The reading, the expectation, the comparison,
//! ownership and the view are `k8s`'s and pure; this file only fetches
//! and wires (`migrate.rs` has `--cleanup-kube-proxy`; what both start
//! from is `snapshot.rs`'s).

use std::io::BufRead;
use std::net::IpAddr;

use super::kernel::{self, check_version};
use super::migrate::{self, Owners};
use super::snapshot::{net_and_expectation, snapshot, Input, NodeNet, Snapshot};
use super::Flow;
use crate::check::{self, facts};
use crate::check_report;
use crate::cli::{Command, KubeArgs, ListTarget, OwnerFilter};
use crate::format::{self, json, Format, Names};
use crate::ipvs::{Client, Dest, Service, ServiceId};
use crate::k8s::compare::{compare, Finding, Live, Rule};
use crate::k8s::expect::{ExpectedService, ThisNode};
use crate::k8s::input::ProxyConfigMap;
use crate::k8s::{owner, proxyconfig, report, view};
use crate::resolve::Resolver;
use crate::streams::Streams;
use crate::watch::Labels;

/// The command, when one of these options changes what it does; `None`
/// for the plain command.
pub(super) fn run(
    command: &Command,
    kube: &KubeArgs,
    program: &str,
    stdin: &mut dyn BufRead,
    names: &dyn Resolver,
    io: &mut Streams,
) -> Option<i32> {
    // Our messages name the program as its write errors do: by its name.
    let program = program.rsplit('/').next().unwrap_or(program);
    let mut input = Input {
        kube,
        program,
        stdin,
        proxy_config: None,
    };
    let plain = !kube.has_cluster() && kube.owner.is_none();
    match command {
        // The plain check is `check::run`'s.
        Command::Check { .. } if !kube.has_cluster() && kube.migrate.is_none() => None,
        Command::Check { format } => Some(run_check(format, &mut input, io)),
        Command::CleanupKubeProxy => Some(migrate::cleanup(&mut input, names, io)),
        Command::List { .. } | Command::Save { .. } if plain => None,
        Command::List { target, format } => {
            let one = match target {
                ListTarget::All => None,
                ListTarget::Service(id) => Some(id),
                // The parser refuses these options with the other listings.
                _ => return None,
            };
            Some(if format.watch.is_some() {
                run_watch(one, format, &mut input, io)
            } else {
                run_list(one, format, &mut input, names, io)
            })
        }
        Command::Save { format } => Some(run_save(format, &mut input, names, io)),
        _ => None,
    }
}

/// The table as the node check read it (none when IPVS is absent or the
/// reading failed).
pub(super) fn table_of(facts: &facts::Facts) -> &[(Service, Vec<Dest>)] {
    match &facts.ipvs {
        facts::Ipvs::Present { services, .. } => services,
        _ => &[],
    }
}

/// `--k8s`'s part of the node check: the live table judged against the
/// expectation, the findings made lines of `report` (what the cluster
/// explains is judged by its rules, not twice). The findings.
pub(super) fn judge(
    facts: &facts::Facts,
    net: &NodeNet,
    (node, expected): &(ThisNode, Vec<ExpectedService>),
    report: &mut check_report::Report,
) -> Vec<Finding> {
    let explained = view::Explained::new(expected);
    let live = Live {
        services: table_of(facts),
        kube_ipvs0: &report.interface.addresses,
        host: &net.listed,
    };
    let findings = compare(expected, &live);
    let judged = |id: &ServiceId| explained.get(id).is_some();
    report.without_servers.retain(|s| !judged(&s.id));
    report.weight_zero.retain(|w| !judged(&w.service.id));
    report.coded = report::coded(node, expected, &findings);
    findings
}

/// kube-proxy's configuration held against the node, when the cluster's
/// objects had its ConfigMap (or the API server was asked for it):
/// the schedulers of the virtual services the cluster explains, the
/// kernel's timeouts (asked only when the configuration sets one), the
/// ARP sysctls.
pub(super) fn proxy_config_lines(
    map: Option<&ProxyConfigMap>,
    facts: &facts::Facts,
    expected: &[ExpectedService],
) -> Vec<check_report::Coded> {
    let Some(map) = map else {
        return Vec::new();
    };
    let config = proxyconfig::of_map(map);
    let explained = view::Explained::new(expected);
    let services = table_of(facts)
        .iter()
        .filter(|(s, _)| explained.get(&s.id).is_some())
        .map(|(s, _)| (Rule(&s.id).to_string(), s.config.scheduler.to_string()))
        .collect();
    let present = matches!(facts.ipvs, facts::Ipvs::Present { .. });
    let timeouts = match &config {
        Ok(c) if present && c.ipvs() && c.timeouts != [0; 3] => Client::connect()
            .and_then(|mut k| k.timeouts())
            .ok()
            .map(|t| [t.tcp, t.tcp_fin, t.udp].map(u64::from)),
        _ => None,
    };
    let sysctl = |name: &str| {
        let v = facts.sysctls.get(name)?.as_deref()?;
        v.trim().parse::<i64>().ok()
    };
    let arp = sysctl("net.ipv4.conf.all.arp_ignore").zip(sysctl("net.ipv4.conf.all.arp_announce"));
    proxyconfig::coded(
        &config,
        &proxyconfig::NodeView {
            services,
            timeouts,
            arp,
        },
    )
}

/// kube-proxy's line of the check, when its metrics port answers.
pub(super) fn kube_proxy_line(kube: &KubeArgs) -> Option<check_report::Coded> {
    let k = super::kubeproxy::ask(kube.kube_proxy_metrics)?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64());
    Some(crate::k8s::kubeproxy::coded(&k, now))
}

fn run_check(format: &Format, input: &mut Input, io: &mut Streams) -> i32 {
    // The files first: a bad one is told before anything is looked at.
    let facts = facts::gather(false);
    let net = NodeNet::from_facts(&facts);
    let expectation = match input.expectation(&net, io) {
        Ok(e) => e,
        Err(code) => return code,
    };
    let mut report = check::eval::evaluate(&facts);
    let services = table_of(&facts);
    if let Some(e) = &expectation {
        judge(&facts, &net, e, &mut report);
        report.coded.extend(kube_proxy_line(input.kube));
        let map = input.proxy_config.as_ref();
        report.coded.extend(proxy_config_lines(map, &facts, &e.1));
    }
    let explained = expectation.as_ref().map(|(_, e)| view::Explained::new(e));
    if let Some(target) = input.kube.migrate {
        let owners = Owners::new(&net, input.kube, explained.as_ref());
        let kube_ipvs0: Vec<IpAddr> = net.kube_ipvs0_addrs().collect();
        let judged: Vec<owner::Ownership> =
            services.iter().map(|(s, d)| owners.judge(s, d)).collect();
        let outside = migrate::outside();
        report.coded.extend(crate::k8s::migrate::findings(
            target,
            services,
            &judged,
            &kube_ipvs0,
            &outside,
        ));
    }
    check::print(&report, format, io)
}

fn run_list(
    one: Option<&ServiceId>,
    format: &Format,
    input: &mut Input,
    names: &dyn Resolver,
    io: &mut Streams,
) -> i32 {
    let Snapshot {
        net,
        expected,
        k,
        mut table,
    } = match snapshot(one, format, input, io) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let explained = expected.as_deref().map(view::Explained::new);
    let owners = Owners::new(&net, input.kube, explained.as_ref());
    let show_owner = input.kube.owner.is_some();
    let judged = narrow(&mut table, &owners, input.kube.owner.flatten());
    if format.json {
        io.out(&json::list_open(&k.info));
        for (i, (svc, dests)) in table.iter().enumerate() {
            let mut v = json::service(svc, dests);
            if let Some(e) = &explained {
                view::add_json(&mut v, svc, dests, e);
            }
            if show_owner {
                owner::add_json(&mut v, &judged[i]);
            }
            io.out(if i > 0 { "," } else { "" });
            io.out(&v.to_string());
        }
        io.out(json::LIST_CLOSE);
        return 0;
    }
    // As ipvsadm: the header for the whole table, the title for both.
    let mut head = String::new();
    if one.is_none() {
        head.push_str(&format::header(&k.info));
    }
    head.push_str(&format::title(format));
    let names = Names::new(names);
    let entries: Vec<(String, Vec<String>)> = table
        .iter()
        .enumerate()
        .map(|(i, (svc, dests))| {
            let mut text = String::new();
            format::service_entry(&mut text, svc, dests, format, &names);
            let mut labels = match &explained {
                Some(e) => view::labels(svc, dests, e),
                None => Vec::new(),
            };
            if show_owner {
                let o = owner::label(&judged[i]);
                match labels.first_mut() {
                    Some(l) => *l = format!("{l}; {o}"),
                    None => labels.push(o),
                }
            }
            (text, labels)
        })
        .collect();
    io.out(&view::annotate(&head, &entries));
    0
}

/// `-L --watch --k8s` (or `--changes`): the live view or the change
/// lines, each service named by the Service it serves.
fn run_watch(one: Option<&ServiceId>, format: &Format, input: &mut Input, io: &mut Streams) -> i32 {
    let labels = match net_and_expectation(input, io) {
        Ok((_, Some(expected))) => k8s_labels(&expected),
        Ok((_, None)) => Labels::default(),
        Err(code) => return code,
    };
    let mut k = match kernel::open(io) {
        Ok(k) => k,
        Err(code) => return code,
    };
    check_version(&k.info, io);
    match super::watch::watch(&mut k, one, format, labels, io) {
        Flow::Result(r) | Flow::Exit(r) => r,
    }
}

/// The live view's labels: each expected virtual service's Service, as
/// `-L --k8s` names it; `no Service` for the others.
fn k8s_labels(expected: &[ExpectedService]) -> Labels {
    let mut l = Labels {
        key: "kubernetes",
        unknown: Some((view::NO_SERVICE.to_string(), serde_json::Value::Null)),
        ..Labels::default()
    };
    for e in expected {
        l.text
            .entry(e.id)
            .or_insert_with(|| view::service_text(Some(e)));
        l.json
            .entry(e.id)
            .or_insert_with(|| view::service_json(Some(e)));
    }
    l
}

/// Judge every service; keep only `filter`'s (kube-proxy's likely ones
/// with its certain ones). The ownerships of the services kept.
fn narrow(
    table: &mut Vec<(Service, Vec<Dest>)>,
    owners: &Owners,
    filter: Option<OwnerFilter>,
) -> Vec<owner::Ownership> {
    let keep = |o: &owner::Ownership| match filter {
        Some(f) => o.owner.is_kube_proxy() == (f == OwnerFilter::KubeProxy),
        None => true,
    };
    let (kept, judged): (Vec<_>, Vec<_>) = std::mem::take(table)
        .into_iter()
        .map(|(s, d)| {
            let o = owners.judge(&s, &d);
            ((s, d), o)
        })
        .filter(|(_, o)| keep(o))
        .unzip();
    *table = kept;
    judged
}

/// `-S --owner=...`: the rules of that owner's services only, as `-S`
/// writes them, so that `-R` takes them back.
fn run_save(format: &Format, input: &mut Input, names: &dyn Resolver, io: &mut Streams) -> i32 {
    let Snapshot {
        net,
        expected,
        mut table,
        ..
    } = match snapshot(None, format, input, io) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let explained = expected.as_deref().map(view::Explained::new);
    let owners = Owners::new(&net, input.kube, explained.as_ref());
    narrow(&mut table, &owners, input.kube.owner.flatten());
    let names = Names::new(names);
    let mut text = String::new();
    for (svc, dests) in &table {
        format::service_entry(&mut text, svc, dests, format, &names);
    }
    io.out(&text);
    0
}
