//! Ours: `-L --metrics`, the table in Prometheus's text exposition format
//! (version 0.0.4), for node_exporter's textfile collector or any scraper
//! of that format. A pure function from the model to text: no kernel, no
//! command line.
//!
//! Every name starts with `ipvsadm_`. The kernel's running totals are
//! counters (`_total`, exact 64-bit values); its rate estimates, the
//! connection counts of a real server and its weight are gauges. Labels are
//! named as node_exporter's ipvs collector names them (`local_address`,
//! `local_port`, `remote_address`, `remote_port`, `proto`, `local_mark`)
//! with the values it gives them (`proto` is `TCP`, `UDP`, `SCTP` or `FWM`;
//! a firewall-mark service has an empty `local_address`, `local_port` 0
//! and its mark in `local_mark`, which is empty otherwise), so queries and
//! dashboards written for it carry over. One label is added, `family`
//! (`inet` or `inet6`): an IPv4 and an IPv6 service on the same firewall
//! mark are two services, and without it they would be one series.
//!
//! The exporter (`--exporter --table-metrics`) writes the same families
//! of the services its filters keep (`Selection`), without the rate
//! gauges (`render_kept`, `Rates::Left`): the same names, help and labels,
//! so a query reads both alike; `-L --metrics` stays as it was.

use std::fmt::Write;

use crate::ipvs::{Dest, Info, Service, ServiceId, Stats};

/// The prefix of every metric name.
pub const PREFIX: &str = "ipvsadm_";

/// A metric of each service and each real server, from its `Stats`.
struct StatMetric {
    /// The name after `ipvsadm_service_` or `ipvsadm_backend_`.
    name: &'static str,
    kind: &'static str,
    help: &'static str,
    value: fn(&Stats) -> u64,
}

const STATS: [StatMetric; 10] = [
    StatMetric {
        name: "connections_total",
        kind: "counter",
        help: "Connections scheduled since the entry was made (or zeroed).",
        value: |s| s.conns,
    },
    StatMetric {
        name: "incoming_packets_total",
        kind: "counter",
        help: "Packets received from clients.",
        value: |s| s.inpkts,
    },
    StatMetric {
        name: "outgoing_packets_total",
        kind: "counter",
        help: "Packets sent to clients.",
        value: |s| s.outpkts,
    },
    StatMetric {
        name: "incoming_bytes_total",
        kind: "counter",
        help: "Bytes received from clients.",
        value: |s| s.inbytes,
    },
    StatMetric {
        name: "outgoing_bytes_total",
        kind: "counter",
        help: "Bytes sent to clients.",
        value: |s| s.outbytes,
    },
    StatMetric {
        name: "connections_per_second",
        kind: "gauge",
        help: "Connections a second, as the kernel estimates it.",
        value: |s| s.cps,
    },
    StatMetric {
        name: "incoming_packets_per_second",
        kind: "gauge",
        help: "Packets a second from clients, as the kernel estimates it.",
        value: |s| s.inpps,
    },
    StatMetric {
        name: "outgoing_packets_per_second",
        kind: "gauge",
        help: "Packets a second to clients, as the kernel estimates it.",
        value: |s| s.outpps,
    },
    StatMetric {
        name: "incoming_bytes_per_second",
        kind: "gauge",
        help: "Bytes a second from clients, as the kernel estimates it.",
        value: |s| s.inbps,
    },
    StatMetric {
        name: "outgoing_bytes_per_second",
        kind: "gauge",
        help: "Bytes a second to clients, as the kernel estimates it.",
        value: |s| s.outbps,
    },
];

/// A gauge of a real server beyond its `Stats`: name (after
/// `ipvsadm_backend_`), help, value.
type BackendGauge = (&'static str, &'static str, fn(&Dest) -> u64);

const BACKEND: [BackendGauge; 4] = [
    (
        "connections_active",
        "Active connections (established TCP) to the real server.",
        |d| d.conns.active.into(),
    ),
    (
        "connections_inactive",
        "Inactive connections (other states) to the real server.",
        |d| d.conns.inactive.into(),
    ),
    (
        "connections_persistent",
        "Persistence templates pointing at the real server.",
        |d| d.conns.persistent.into(),
    ),
    ("weight", "Weight of the real server (0: quiesced).", |d| {
        d.config.weight.into()
    }),
];

/// The text of a label value: `\`, `"` and line feeds escaped.
pub fn label_value(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

/// The text of a HELP line's docstring: `\` and line feeds escaped.
fn help_text(s: &str) -> String {
    s.replace('\\', "\\\\").replace('\n', "\\n")
}

/// The labels of a service, in node_exporter's names and values, without
/// the braces: `local_address="10.0.0.1",local_port="80",...`.
fn service_labels(id: &ServiceId) -> String {
    let (address, port, proto, mark) = match id {
        ServiceId::Addr {
            protocol,
            addr,
            port,
        } => (
            addr.to_string(),
            *port,
            super::protocol_upper(*protocol),
            String::new(),
        ),
        ServiceId::Fwmark { mark, .. } => (String::new(), 0, "FWM".to_string(), mark.to_string()),
    };
    let family = match id.family() {
        crate::ipvs::Family::Inet => "inet",
        crate::ipvs::Family::Inet6 => "inet6",
    };
    format!(
        "local_address=\"{}\",local_port=\"{port}\",proto=\"{}\",local_mark=\"{}\",family=\"{family}\"",
        label_value(&address),
        label_value(&proto),
        label_value(&mark)
    )
}

/// The labels of a real server of the service whose labels are `svc`.
fn backend_labels(svc: &str, d: &Dest) -> String {
    format!(
        "{svc},remote_address=\"{}\",remote_port=\"{}\"",
        label_value(&d.addr.to_string()),
        d.port
    )
}

fn family_head(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {PREFIX}{name} {}", help_text(help));
    let _ = writeln!(out, "# TYPE {PREFIX}{name} {kind}");
}

/// The table (each service with its real servers, in listing order) as a
/// Prometheus text exposition: every metric's HELP and TYPE, then its
/// samples. Metrics of services and real servers are written even when
/// there are none, so a scraper always sees every name.
pub fn render(info: &Info, table: &[(Service, Vec<Dest>)]) -> String {
    render_kept(info, table, Rates::Kept, &|_| true)
}

/// Whether the kernel's rate estimates are written beside the counters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rates {
    /// `-L --metrics`: every family, as it has always been.
    Kept,
    /// The exporter: counters only; Prometheus computes the rates from
    /// them (`rate()`), over the window a query picks.
    Left,
}

/// `render` of the services `keep` accepts (the header's families count
/// the whole table), with or without the rate gauges. The families kept
/// have `render`'s names, types, help and labels, so a query or a
/// dashboard reads both alike.
pub fn render_kept(
    info: &Info,
    table: &[(Service, Vec<Dest>)],
    rates: Rates,
    keep: &dyn Fn(&Service) -> bool,
) -> String {
    let mut out = String::new();
    let (a, b, c) = info.version_triple();
    family_head(
        &mut out,
        "ipvs_info",
        "gauge",
        "IPVS in the kernel; its version in the label.",
    );
    let _ = writeln!(out, "{PREFIX}ipvs_info{{version=\"{a}.{b}.{c}\"}} 1");
    family_head(
        &mut out,
        "connection_table_size",
        "gauge",
        "Size of the kernel's connection hash table.",
    );
    let _ = writeln!(out, "{PREFIX}connection_table_size {}", info.conn_tab_size);
    family_head(&mut out, "services", "gauge", "Virtual services listed.");
    let _ = writeln!(out, "{PREFIX}services {}", table.len());

    let kept: Vec<(&Service, &[Dest], String)> = table
        .iter()
        .filter(|(s, _)| keep(s))
        .map(|(s, d)| (s, d.as_slice(), service_labels(&s.id)))
        .collect();
    let stats = STATS
        .iter()
        .filter(|m| rates == Rates::Kept || m.kind == "counter");
    for m in stats.clone() {
        let name = format!("service_{}", m.name);
        family_head(
            &mut out,
            &name,
            m.kind,
            &format!("Virtual service: {}", m.help),
        );
        for (svc, _, l) in &kept {
            let _ = writeln!(out, "{PREFIX}{name}{{{l}}} {}", (m.value)(&svc.stats));
        }
    }
    for m in stats {
        let name = format!("backend_{}", m.name);
        family_head(&mut out, &name, m.kind, &format!("Real server: {}", m.help));
        backend_samples(&mut out, &name, &kept, |d| (m.value)(&d.stats));
    }
    for (short, help, value) in &BACKEND {
        let name = format!("backend_{short}");
        family_head(&mut out, &name, "gauge", help);
        backend_samples(&mut out, &name, &kept, value);
    }
    out
}

/// Which virtual services the exporter writes the families of
/// (`--table-namespace`, `--table-service`, `--table-virtual-service`): one
/// a filter names, whichever filter; every one when none is given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    pub namespaces: Vec<String>,
    /// Services as (namespace, name).
    pub services: Vec<(String, String)>,
    pub virtual_services: Vec<ServiceId>,
}

impl Selection {
    /// No filter given: every virtual service.
    pub fn is_empty(&self) -> bool {
        self.namespaces.is_empty() && self.services.is_empty() && self.virtual_services.is_empty()
    }

    /// Whether the virtual service `id`, whose Service is `owner` (namespace,
    /// name; none when no Service explains it), is kept. One that no
    /// Service owns is kept only when named itself.
    pub fn keeps(&self, id: &ServiceId, owner: Option<(&str, &str)>) -> bool {
        if self.is_empty() || self.virtual_services.contains(id) {
            return true;
        }
        owner.is_some_and(|(ns, name)| {
            self.namespaces.iter().any(|n| n == ns)
                || self.services.iter().any(|(n, s)| n == ns && s == name)
        })
    }

    /// `--table-namespace`'s value, a comma-separated list, added.
    pub fn add_namespaces(&mut self, list: &str) -> Result<(), String> {
        for ns in items(list, "--table-namespace", "a namespace")? {
            self.namespaces.push(ns.to_string());
        }
        Ok(())
    }

    /// `--table-service`'s value, `NAMESPACE/NAME,...`, added.
    pub fn add_services(&mut self, list: &str) -> Result<(), String> {
        for s in items(list, "--table-service", "namespace/name")? {
            match s.split_once('/') {
                Some((ns, name)) if !ns.is_empty() && !name.is_empty() && !name.contains('/') => {
                    self.services.push((ns.to_string(), name.to_string()))
                }
                _ => return Err(format!("--table-service takes namespace/name, not `{s}'")),
            }
        }
        Ok(())
    }

    /// `--table-virtual-service`'s value added: virtual services as the
    /// check names them (`TCP 10.96.0.1:443`, `UDP [fd00::10]:53`, `FWM 7`,
    /// `FWM 7 IPv6`), comma-separated.
    pub fn add_virtual_services(&mut self, list: &str) -> Result<(), String> {
        for v in items(list, "--table-virtual-service", "a virtual service")? {
            let id = virtual_service(v).ok_or_else(|| {
                format!(
                    "--table-virtual-service takes PROTOCOL ADDRESS:PORT or FWM MARK, not `{v}'"
                )
            })?;
            self.virtual_services.push(id);
        }
        Ok(())
    }
}

/// The items of a comma-separated list, trimmed; none of them empty.
fn items<'a>(list: &'a str, option: &str, what: &str) -> Result<Vec<&'a str>, String> {
    let items: Vec<&str> = list.split(',').map(str::trim).collect();
    if items.iter().any(|i| i.is_empty()) {
        return Err(format!(
            "{option} takes {what} (or a comma-separated list), not `{list}'"
        ));
    }
    Ok(items)
}

/// A virtual service as `format::service_text` writes it (the protocol in
/// either case, any spaces between the words); none when it is not one.
fn virtual_service(text: &str) -> Option<ServiceId> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let (proto, rest) = words.split_first()?;
    let protocol = match proto.to_ascii_uppercase().as_str() {
        "TCP" => crate::ipvs::Protocol::Tcp,
        "UDP" => crate::ipvs::Protocol::Udp,
        "SCTP" => crate::ipvs::Protocol::Sctp,
        "FWM" => {
            let family = match rest.get(1).map(|f| f.to_ascii_lowercase()) {
                None => crate::ipvs::Family::Inet,
                Some(f) if f == "ipv6" && rest.len() == 2 => crate::ipvs::Family::Inet6,
                Some(_) => return None,
            };
            let mark: u32 = rest.first()?.parse().ok().filter(|m| *m != 0)?;
            return Some(ServiceId::Fwmark { family, mark });
        }
        _ => return None,
    };
    let [at] = rest else { return None };
    let at: std::net::SocketAddr = at.parse().ok()?;
    Some(ServiceId::Addr {
        protocol,
        addr: at.ip(),
        port: at.port(),
    })
}

/// One sample of metric `name` for every real server of the services
/// `kept`, each with its service's labels, in the table's order.
fn backend_samples(
    out: &mut String,
    name: &str,
    kept: &[(&Service, &[Dest], String)],
    value: impl Fn(&Dest) -> u64,
) {
    for (_, dests, l) in kept {
        for d in *dests {
            let _ = writeln!(
                out,
                "{PREFIX}{name}{{{}}} {}",
                backend_labels(l, d),
                value(d)
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ipvs::{
        ConnCounts, DestConfig, Family, Forward, Protocol, ServiceConfig, TunnelType,
    };
    use std::net::IpAddr;

    fn stats(base: u64) -> Stats {
        Stats {
            conns: base,
            inpkts: base + 1,
            outpkts: base + 2,
            inbytes: base + 3,
            outbytes: base + 4,
            cps: 5,
            inpps: 6,
            outpps: 7,
            inbps: 8,
            outbps: 9,
        }
    }

    fn service(id: ServiceId, base: u64) -> Service {
        Service {
            id,
            config: ServiceConfig {
                scheduler: "rr".into(),
                flags: 0,
                timeout: 0,
                netmask: u32::MAX,
                pe_name: "".into(),
            },
            stats: stats(base),
        }
    }

    fn dest(addr: &str, port: u16, weight: u32, base: u64) -> Dest {
        Dest {
            addr: addr.parse().unwrap(),
            port,
            config: DestConfig {
                forward: Forward::Masq,
                weight,
                u_threshold: 0,
                l_threshold: 0,
                tun_type: TunnelType::Ipip,
                tun_port: 0,
                tun_flags: 0,
            },
            conns: ConnCounts {
                active: 3,
                inactive: 4,
                persistent: 1,
            },
            stats: stats(base),
        }
    }

    fn info() -> Info {
        Info {
            version: 0x010201,
            conn_tab_size: 4096,
        }
    }

    /// The sample lines of one metric.
    fn samples<'a>(text: &'a str, name: &str) -> Vec<&'a str> {
        text.lines()
            .filter(|l| {
                l.strip_prefix(name)
                    .is_some_and(|r| r.starts_with('{') || r.starts_with(' '))
            })
            .collect()
    }

    #[test]
    fn label_values_are_escaped() {
        assert_eq!(label_value(r#"a\b"c"#), r#"a\\b\"c"#);
        assert_eq!(label_value("line\nnext"), "line\\nnext");
        assert_eq!(label_value("plain 10.0.0.1"), "plain 10.0.0.1");
        assert_eq!(help_text("x\\y\nz"), "x\\\\y\\nz");
    }

    #[test]
    fn exact_counters_ipv6_and_fwmark() {
        let big = u64::MAX - 10;
        let v6: IpAddr = "fd96::7".parse().unwrap();
        let table = vec![
            (
                service(
                    ServiceId::Addr {
                        protocol: Protocol::Tcp,
                        addr: "10.96.0.1".parse().unwrap(),
                        port: 443,
                    },
                    big,
                ),
                vec![dest("10.244.0.5", 6443, 2, 1 << 40)],
            ),
            (
                service(
                    ServiceId::Addr {
                        protocol: Protocol::Udp,
                        addr: v6,
                        port: 53,
                    },
                    7,
                ),
                vec![dest("fd50::2", 53, 1, 0)],
            ),
            (
                service(
                    ServiceId::Fwmark {
                        family: Family::Inet,
                        mark: 4294967295,
                    },
                    0,
                ),
                vec![],
            ),
        ];
        let text = render(&info(), &table);
        assert_eq!(
            samples(&text, "ipvsadm_service_connections_total"),
            [
                format!("ipvsadm_service_connections_total{{local_address=\"10.96.0.1\",local_port=\"443\",proto=\"TCP\",local_mark=\"\",family=\"inet\"}} {big}"),
                "ipvsadm_service_connections_total{local_address=\"fd96::7\",local_port=\"53\",proto=\"UDP\",local_mark=\"\",family=\"inet6\"} 7".to_string(),
                "ipvsadm_service_connections_total{local_address=\"\",local_port=\"0\",proto=\"FWM\",local_mark=\"4294967295\",family=\"inet\"} 0".to_string(),
            ]
        );
        assert_eq!(
            samples(&text, "ipvsadm_backend_incoming_bytes_total"),
            [
                format!("ipvsadm_backend_incoming_bytes_total{{local_address=\"10.96.0.1\",local_port=\"443\",proto=\"TCP\",local_mark=\"\",family=\"inet\",remote_address=\"10.244.0.5\",remote_port=\"6443\"}} {}", (1u64 << 40) + 3),
                "ipvsadm_backend_incoming_bytes_total{local_address=\"fd96::7\",local_port=\"53\",proto=\"UDP\",local_mark=\"\",family=\"inet6\",remote_address=\"fd50::2\",remote_port=\"53\"} 3".to_string(),
            ]
        );
        assert_eq!(samples(&text, "ipvsadm_backend_weight").len(), 2);
        assert!(samples(&text, "ipvsadm_backend_weight")[0].ends_with("} 2"));
        assert!(samples(&text, "ipvsadm_backend_connections_persistent")[0].ends_with("} 1"));
        assert_eq!(
            samples(&text, "ipvsadm_ipvs_info"),
            ["ipvsadm_ipvs_info{version=\"1.2.1\"} 1"]
        );
        assert_eq!(
            samples(&text, "ipvsadm_connection_table_size"),
            ["ipvsadm_connection_table_size 4096"]
        );
    }

    #[test]
    fn every_family_has_help_and_type_once_before_its_samples() {
        let table = vec![(
            service(
                ServiceId::Addr {
                    protocol: Protocol::Sctp,
                    addr: "10.0.0.1".parse().unwrap(),
                    port: 80,
                },
                1,
            ),
            vec![dest("10.0.0.2", 80, 1, 1)],
        )];
        let text = render(&info(), &table);
        let mut seen = std::collections::BTreeSet::new();
        let mut current = String::new();
        for line in text.lines() {
            if let Some(rest) = line.strip_prefix("# HELP ") {
                let name = rest.split(' ').next().unwrap().to_string();
                assert!(seen.insert(name.clone()), "{name} twice");
                current = name;
            } else if let Some(rest) = line.strip_prefix("# TYPE ") {
                let (name, kind) = rest.split_once(' ').unwrap();
                assert_eq!(name, current);
                assert_eq!(kind == "counter", name.ends_with("_total"), "{line}");
            } else {
                assert!(line.starts_with(&current), "{line} outside {current}");
                assert!(line.starts_with(PREFIX));
            }
        }
        assert_eq!(seen.len(), 3 + 10 + 10 + 4);
        assert!(text.contains("proto=\"SCTP\""));
        // An empty table still names every metric.
        let empty = render(&info(), &[]);
        assert_eq!(empty.matches("# TYPE ").count(), seen.len());
        assert!(empty.contains("ipvsadm_services 0\n"));
    }

    fn tcp(addr: &str, port: u16) -> ServiceId {
        ServiceId::Addr {
            protocol: Protocol::Tcp,
            addr: addr.parse().unwrap(),
            port,
        }
    }

    /// A Service's namespace and name, or none.
    type Owner = Option<(&'static str, &'static str)>;

    /// Four services: two of namespace `a` (Services `a/one`, `a/two`),
    /// one of `b/one`, one no Service owns; two real servers each.
    fn owned_table() -> (Vec<(Service, Vec<Dest>)>, Vec<Owner>) {
        let ids = [
            tcp("10.96.0.1", 443),
            tcp("10.96.0.2", 80),
            tcp("10.96.0.3", 80),
            tcp("192.168.0.9", 8080),
        ];
        let table = ids
            .iter()
            .enumerate()
            .map(|(i, id)| {
                let base = 100 * i as u64;
                let dests = vec![
                    dest(&format!("10.244.{i}.1"), 8080, 1, base + 10),
                    dest(&format!("10.244.{i}.2"), 8080, 0, base + 20),
                ];
                (service(*id, base), dests)
            })
            .collect();
        let owners = vec![
            Some(("a", "one")),
            Some(("a", "two")),
            Some(("b", "one")),
            None,
        ];
        (table, owners)
    }

    /// The `local_address` values of a metric's samples.
    fn addresses(text: &str, name: &str) -> Vec<String> {
        samples(text, name)
            .iter()
            .map(|l| l.split('"').nth(1).unwrap().to_string())
            .collect()
    }

    fn selected(sel: &Selection) -> String {
        let (table, owners) = owned_table();
        let owner = |s: &Service| owners[table.iter().position(|(t, _)| t.id == s.id).unwrap()];
        render_kept(&info(), &table, Rates::Left, &|s| {
            sel.keeps(&s.id, owner(s))
        })
    }

    #[test]
    fn without_rates_every_kept_line_is_one_of_the_listings() {
        let (table, _) = owned_table();
        let all = render(&info(), &table);
        let counters = render_kept(&info(), &table, Rates::Left, &|_| true);
        let listing: std::collections::HashSet<&str> = all.lines().collect();
        for line in counters.lines() {
            assert!(listing.contains(line), "{line} not in -L --metrics");
            assert!(!line.contains("per_second"), "{line}");
        }
        let families: Vec<&str> = counters
            .lines()
            .filter(|l| l.starts_with("# TYPE"))
            .collect();
        // 3 of the table, 5 counters a service, 5 counters and 4 gauges a
        // real server: no gauge of a rate the counters give.
        assert_eq!(families.len(), 3 + 5 + 5 + 4);
        let series = counters.lines().filter(|l| !l.starts_with('#')).count();
        assert_eq!(series, 3 + 5 * 4 + 9 * 8);
        let gauges: Vec<&str> = families
            .iter()
            .filter(|l| l.ends_with(" gauge"))
            .copied()
            .collect();
        assert_eq!(gauges.len(), 3 + 4, "{gauges:?}");
        // The listing itself keeps its rates.
        assert_eq!(all.matches("_per_second ").count(), 2 * 5 * 2);
    }

    #[test]
    fn filters_keep_what_they_name_and_count_the_whole_table() {
        let mut by_ns = Selection::default();
        by_ns.add_namespaces("a").unwrap();
        let text = selected(&by_ns);
        let want = ["10.96.0.1", "10.96.0.2"];
        assert_eq!(addresses(&text, "ipvsadm_service_connections_total"), want);
        assert_eq!(
            addresses(&text, "ipvsadm_backend_weight"),
            ["10.96.0.1", "10.96.0.1", "10.96.0.2", "10.96.0.2"]
        );
        assert!(text.contains("ipvsadm_services 4\n"));

        let mut by_service = Selection::default();
        by_service.add_services("b/one, a/two").unwrap();
        assert_eq!(
            addresses(
                &selected(&by_service),
                "ipvsadm_service_incoming_bytes_total"
            ),
            ["10.96.0.2", "10.96.0.3"]
        );

        // No Service owns 192.168.0.9:8080: only its own name selects it.
        let mut by_vs = Selection::default();
        by_vs
            .add_virtual_services("tcp   192.168.0.9:8080")
            .unwrap();
        by_vs.add_namespaces("b").unwrap();
        assert_eq!(
            addresses(&selected(&by_vs), "ipvsadm_backend_connections_total").len(),
            4
        );
        assert_eq!(
            addresses(&selected(&by_vs), "ipvsadm_service_connections_total"),
            ["10.96.0.3", "192.168.0.9"]
        );
        let mut none = Selection::default();
        none.add_namespaces("c,d").unwrap();
        let empty = selected(&none);
        assert!(samples(&empty, "ipvsadm_service_connections_total").is_empty());
        // Every family is still named, as for an empty table.
        assert_eq!(empty.matches("# TYPE ").count(), 3 + 5 + 5 + 4);
        // No filter: everything.
        assert_eq!(
            addresses(
                &selected(&Selection::default()),
                "ipvsadm_service_connections_total"
            )
            .len(),
            4
        );
    }

    #[test]
    fn filter_values_are_read_as_the_check_writes_them() {
        let mut s = Selection::default();
        s.add_virtual_services(
            "TCP 10.96.0.1:443,UDP [fd00::10]:53,sctp 10.0.0.1:9,FWM 7,FWM 7 IPv6",
        )
        .unwrap();
        let texts: Vec<String> = s
            .virtual_services
            .iter()
            .map(crate::format::service_text)
            .collect();
        assert_eq!(
            texts,
            [
                "TCP 10.96.0.1:443",
                "UDP [fd00::10]:53",
                "SCTP 10.0.0.1:9",
                "FWM 7",
                "FWM 7 IPv6"
            ]
        );
        for bad in [
            "10.96.0.1:443",
            "TCP 10.96.0.1",
            "ICMP 10.0.0.1:1",
            "FWM 0",
            "FWM 7 IPv5",
            "TCP 1.2.3.4:1 x",
            "",
        ] {
            let err = s.add_virtual_services(bad).unwrap_err();
            assert!(
                err.starts_with("--table-virtual-service takes "),
                "{bad}: {err}"
            );
        }
        s.add_services("kube-system/kube-dns").unwrap();
        assert_eq!(
            s.services,
            [("kube-system".to_string(), "kube-dns".to_string())]
        );
        for bad in ["kube-dns", "/x", "x/", "a/b/c", "a/b,,c/d"] {
            assert!(s.add_services(bad).is_err(), "{bad}");
        }
        assert!(s.add_namespaces("a,").is_err());
        assert_eq!(
            s.add_namespaces("").unwrap_err(),
            "--table-namespace takes a namespace (or a comma-separated list), not `'"
        );
    }
}
