//! `exporter-series CLUSTER NODE [SETTING...]`: how many series and bytes
//! `--exporter`'s table families add to `/metrics` on this host's real
//! table, for each SETTING (one option of the exporter's, as
//! `--table-metrics` or `--table-namespace=kube-system`), and what `-L
//! --metrics` writes of the same table. The exporter itself needs an API
//! server, which the test VM cannot reach: this reads the table as the
//! exporter reads it (the node check's facts), the cluster from a kubectl
//! dump (`--k8s`'s reader), and writes the families with the exporter's
//! own functions. Run by `tests/bench/exporter-series` in the test VM.
//!
//! Prints `SETTING<TAB>series<TAB>bytes` a line (series: lines that are
//! not comments), after a line with the table's services and real servers.

use std::net::IpAddr;
use std::process::ExitCode;

use ipvsadm::check::facts::{self, Ipvs};
use ipvsadm::cli::{parse::parse_invocation, Command, NodePortAddresses};
use ipvsadm::format::metrics::{render, render_kept, Rates};
use ipvsadm::k8s::expect::{expected, this_node};
use ipvsadm::k8s::input::read_files;
use ipvsadm::k8s::nodeport::Host;
use ipvsadm::k8s::view::Explained;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(why) => {
            eprintln!("exporter-series: {why}");
            ExitCode::from(2)
        }
    }
}

fn count(text: &str) -> (usize, usize) {
    let series = text.lines().filter(|l| !l.starts_with('#')).count();
    (series, text.len())
}

fn run(args: &[String]) -> Result<(), String> {
    let [cluster, node, settings @ ..] = args else {
        return Err("usage: exporter-series CLUSTER NODE [SETTING...]".into());
    };
    let cluster = read_files(std::slice::from_ref(cluster), &mut std::io::empty())
        .map_err(|e| format!("{e:?}"))?;
    let facts = facts::gather(true);
    let Ipvs::Present { info, services } = &facts.ipvs else {
        return Err(format!("no IPVS table: {:?}", facts.ipvs));
    };
    let net = facts.net.clone().map_err(|e| e.to_string())?;
    let kube_ipvs0 = net.links.iter().find(|l| l.name == "kube-ipvs0");
    let addrs: Vec<IpAddr> = net.addrs.iter().map(|a| a.addr).collect();
    let on_kube: Vec<IpAddr> = net
        .addrs
        .iter()
        .filter(|a| kube_ipvs0.is_some_and(|l| l.index == a.index))
        .map(|a| a.addr)
        .collect();
    let secondary: Vec<IpAddr> = net
        .addrs
        .iter()
        .filter(|a| a.secondary)
        .map(|a| a.addr)
        .collect();
    let host = Host {
        addrs: &addrs,
        kube_ipvs0: &on_kube,
        secondary: &secondary,
    };
    let this = this_node(&cluster, Some(node), &host, &NodePortAddresses::default())
        .ok_or_else(|| format!("no Node {node}"))?;
    let table = expected(&cluster, &this);
    let explained = Explained::new(&table);
    let servers: usize = services.iter().map(|(_, d)| d.len()).sum();
    println!("table\t{} services\t{servers} real servers", services.len());
    let (series, bytes) = count(&render(info, services));
    println!("-L --metrics\t{series}\t{bytes}");
    for setting in settings {
        let argv = ["ipvsadm", "--exporter", setting.as_str()].map(String::from);
        let resolver = ipvsadm::resolve::System::new();
        let parsed = parse_invocation(&argv, &resolver).map_err(|e| format!("{e:?}"))?;
        let Command::Exporter(exporter) = parsed.command else {
            return Err(format!("{setting}: not an exporter's option"));
        };
        let select = &exporter.table_select;
        let keep = |s: &ipvsadm::ipvs::Service| select.keeps(&s.id, explained.owner(&s.id));
        let text = render_kept(info, services, Rates::Left, &keep);
        let (series, bytes) = count(&text);
        println!("{setting}\t{series}\t{bytes}");
    }
    Ok(())
}
