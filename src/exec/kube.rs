//! `--k8s` (ours): the cluster's objects read, this node found, and the
//! table kube-proxy would build here joined to the live one, for
//! `--check` (findings of check `kubernetes`) and for `-L` (the listing
//! with what each line is). The reading, the expectation, the comparison
//! and the view are `k8s`'s and pure; this file only fetches and wires.

use std::io::BufRead;
use std::net::IpAddr;

use super::kernel::{self, check_version};
use super::list::table;
use super::Flow;
use crate::check::{self, facts};
use crate::cli::{Command, KubeArgs, ListTarget};
use crate::format::{self, json, Format, Names};
use crate::ipvs::{Dest, Service, ServiceId};
use crate::k8s::compare::{compare, Live};
use crate::k8s::expect::{expected, this_node, ExpectedService, ThisNode};
use crate::k8s::input::{read_files, Cluster};
use crate::k8s::{report, view};
use crate::resolve::Resolver;
use crate::streams::Streams;

/// The exit status of a file that cannot be read or of a node not found,
/// as for any other bad argument.
const BAD_INPUT: i32 = 2;

/// `--check --k8s` or `-L --k8s`; `None` for any other command.
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
    match command {
        Command::Check { format } => Some(run_check(format, kube, program, stdin, io)),
        Command::List { target, format } => {
            let one = match target {
                ListTarget::All => None,
                ListTarget::Service(id) => Some(id),
                // The parser refuses --k8s with the other listings.
                _ => return None,
            };
            Some(run_list(one, format, kube, program, stdin, names, io))
        }
        _ => None,
    }
}

/// The cluster, or the reader's error told (file, line, column).
fn cluster(
    kube: &KubeArgs,
    program: &str,
    stdin: &mut dyn BufRead,
    io: &mut Streams,
) -> Result<Cluster, i32> {
    read_files(&kube.files, stdin).map_err(|e| {
        io.err(&format!("{program}: {e}\n"));
        BAD_INPUT
    })
}

/// This node: the one `--node` names, or the one with an address of
/// this host.
fn node(
    cluster: &Cluster,
    kube: &KubeArgs,
    host: &[IpAddr],
    program: &str,
    io: &mut Streams,
) -> Result<ThisNode, i32> {
    this_node(cluster, kube.node.as_deref(), host).ok_or_else(|| {
        let why = match &kube.node {
            Some(n) => format!("no Node named {n} in the cluster's objects"),
            None => "no Node in the cluster's objects has an address of this host \
                     (name it with --node)"
                .to_string(),
        };
        io.err(&format!("{program}: {why}\n"));
        BAD_INPUT
    })
}

fn run_check(
    format: &Format,
    kube: &KubeArgs,
    program: &str,
    stdin: &mut dyn BufRead,
    io: &mut Streams,
) -> i32 {
    let cluster = match cluster(kube, program, stdin, io) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let facts = facts::gather();
    let mut report = check::eval::evaluate(&facts);
    let host: Vec<IpAddr> = match &facts.net {
        Ok(net) => net.addrs.iter().map(|a| a.addr).collect(),
        Err(_) => Vec::new(),
    };
    let node = match node(&cluster, kube, &host, program, io) {
        Ok(n) => n,
        Err(code) => return code,
    };
    let expected = expected(&cluster, &node);
    let services: &[(Service, Vec<Dest>)] = match &facts.ipvs {
        facts::Ipvs::Present { services, .. } => services,
        _ => &[],
    };
    let live = Live {
        services,
        kube_ipvs0: &report.interface.addresses,
        host: &host,
    };
    let findings = compare(&expected, &live);
    // What the cluster explains is judged by its rules, not twice.
    let explained = view::Explained::new(&expected);
    let judged = |id: &ServiceId| explained.get(id).is_some();
    report.without_servers.retain(|s| !judged(&s.id));
    report.weight_zero.retain(|w| !judged(&w.service.id));
    report.coded = report::coded(&node, &expected, &findings);
    check::print(&report, format, io)
}

/// The table kube-proxy would build here, from the files and this host's
/// addresses.
fn expectation(
    kube: &KubeArgs,
    program: &str,
    stdin: &mut dyn BufRead,
    io: &mut Streams,
) -> Result<Vec<ExpectedService>, i32> {
    let cluster = cluster(kube, program, stdin, io)?;
    let host: Vec<IpAddr> = match check::rtnl::dump() {
        Ok((_, addrs)) => addrs.iter().map(|a| a.addr).collect(),
        // Without the host's addresses only --node can find it.
        Err(_) => Vec::new(),
    };
    let node = node(&cluster, kube, &host, program, io)?;
    Ok(expected(&cluster, &node))
}

fn run_list(
    one: Option<&ServiceId>,
    format: &Format,
    kube: &KubeArgs,
    program: &str,
    stdin: &mut dyn BufRead,
    names: &dyn Resolver,
    io: &mut Streams,
) -> i32 {
    let expected = match expectation(kube, program, stdin, io) {
        Ok(e) => e,
        Err(code) => return code,
    };
    let expected = view::Explained::new(&expected);
    let mut k = match kernel::open(io) {
        Ok(k) => k,
        Err(code) => return code,
    };
    check_version(&k.info, io);
    let table = match table(&mut k, one, format, io) {
        Ok(t) => t,
        Err(Flow::Result(r) | Flow::Exit(r)) => return r,
    };
    if format.json {
        io.out(&json::list_open(&k.info));
        for (i, (svc, dests)) in table.iter().enumerate() {
            let mut v = json::service(svc, dests);
            view::add_json(&mut v, svc, dests, &expected);
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
        .map(|(svc, dests)| {
            let mut text = String::new();
            format::service_entry(&mut text, svc, dests, format, &names);
            (text, view::labels(svc, dests, &expected))
        })
        .collect();
    io.out(&view::annotate(&head, &entries));
    0
}
