//! `--check` (ours): the node check's report as a table for people
//! (comfy-table, in a plain-ASCII style that reads the same in any log)
//! and as a JSON document for programs, whose shape is in
//! docs/check.schema.json. Pure: report in, text out. The table's rows are
//! also the document's `findings`, so both say the same thing.

use comfy_table::{presets, ContentArrangement, Table};
use serde_json::{json, Value};

use super::{endpoint, json};
use crate::check_report::{ModuleState, Report, Status, KUBE_IPVS0};
use crate::ipvs::{Family, Service};

/// One line of the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub status: Status,
    pub check: &'static str,
    /// The stable code of a coded finding (`MISSING_SERVICE`).
    pub code: Option<&'static str>,
    pub subject: String,
    pub detail: String,
}

fn row(
    status: Status,
    check: &'static str,
    subject: impl Into<String>,
    detail: impl Into<String>,
) -> Row {
    Row {
        status,
        check,
        code: None,
        subject: subject.into(),
        detail: detail.into(),
    }
}

/// A service as ipvsadm's numeric listing names it (`super::service_text`).
pub fn service_label(s: &Service) -> String {
    super::service_text(&s.id)
}

fn module_detail(state: ModuleState) -> &'static str {
    match state {
        ModuleState::Loaded => "loaded",
        ModuleState::BuiltIn => "built in",
        ModuleState::Available => "installed, not loaded",
        ModuleState::Missing => "not installed",
        ModuleState::Unknown => "unknown (/proc/modules unreadable)",
    }
}

/// `1 service`, `2 services`.
fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

fn value(v: Option<i64>) -> String {
    v.map_or_else(|| "absent".to_string(), |v| v.to_string())
}

/// The report, line by line, in the order of the table.
pub fn rows(r: &Report) -> Vec<Row> {
    let mut v = Vec::new();
    if let Some(rel) = &r.release {
        v.push(row(Status::Info, "kernel", "release", rel.clone()));
    }
    let counts = format!(
        "{}, {}",
        count(r.ipvs.services, "service", "services"),
        count(r.ipvs.servers, "server", "servers")
    );
    v.push(match (&r.ipvs.info, &r.ipvs.error) {
        (Some(i), _) => {
            let (a, b, c) = i.version_triple();
            row(
                r.ipvs.status,
                "ipvs",
                "IPVS",
                format!(
                    "version {a}.{b}.{c}, connection table {}, {counts}",
                    i.conn_tab_size
                ),
            )
        }
        (None, e) => row(
            r.ipvs.status,
            "ipvs",
            "IPVS",
            format!("unavailable: {}", e.as_deref().unwrap_or("unknown")),
        ),
    });
    for m in r.modules.iter().filter(|m| m.required) {
        v.push(row(
            m.status,
            "module",
            m.name.clone(),
            module_detail(m.state),
        ));
    }
    // The other schedulers in one line, grouped by state.
    let others: Vec<_> = r.modules.iter().filter(|m| !m.required).collect();
    if !others.is_empty() {
        let mut parts = Vec::new();
        for state in [
            ModuleState::Loaded,
            ModuleState::BuiltIn,
            ModuleState::Available,
            ModuleState::Missing,
            ModuleState::Unknown,
        ] {
            let names: Vec<&str> = others
                .iter()
                .filter(|m| m.state == state)
                .map(|m| m.name.trim_start_matches("ip_vs_"))
                .collect();
            if !names.is_empty() {
                parts.push(format!("{}: {}", module_detail(state), names.join(" ")));
            }
        }
        let status = others
            .iter()
            .map(|m| m.status)
            .max()
            .unwrap_or(Status::Info);
        v.push(row(status, "module", "other schedulers", parts.join("; ")));
    }
    for s in &r.sysctls {
        let detail = match s.expected {
            Some(e) if s.value != Some(e) => {
                format!("{} (kube-proxy sets {e})", value(s.value))
            }
            _ => value(s.value),
        };
        v.push(row(s.status, "sysctl", s.name.clone(), detail));
    }
    v.push(row(
        Status::Info,
        "sysctl",
        "strict ARP",
        match r.strict_arp {
            Some(true) => "on (arp_ignore 1, arp_announce 2)",
            Some(false) => "off (wants arp_ignore 1, arp_announce 2)",
            None => "unknown",
        },
    ));
    let i = &r.interface;
    let detail = match (&i.error, i.present, &i.kind) {
        (Some(e), _, _) => format!("cannot list interfaces: {e}"),
        (None, false, _) if i.status == Status::Attention => "missing".to_string(),
        (None, false, _) => "missing (kube-proxy creates it)".to_string(),
        (None, true, k) if k.as_deref() == Some("dummy") => {
            format!(
                "dummy, {}",
                count(i.addresses.len(), "address", "addresses")
            )
        }
        (None, true, k) => format!("kind {}, not dummy", k.as_deref().unwrap_or("none")),
    };
    v.push(row(i.status, "interface", KUBE_IPVS0, detail));
    if !r.vips.is_empty() {
        let on = r.vips.iter().filter(|x| x.status == Status::Ok).count();
        v.push(row(
            Status::Ok,
            "address",
            "virtual addresses",
            format!("{on} of {} bound to {KUBE_IPVS0}", r.vips.len()),
        ));
    }
    for x in r.vips.iter().filter(|x| x.status != Status::Ok) {
        let detail = if x.interfaces.is_empty() {
            "bound to no interface".to_string()
        } else {
            format!("bound to {}", x.interfaces.join(", "))
        };
        v.push(row(x.status, "address", x.addr.to_string(), detail));
    }
    for s in &r.without_servers {
        v.push(row(
            Status::Attention,
            "service",
            service_label(s),
            "no real server",
        ));
    }
    for w in &r.weight_zero {
        v.push(row(
            Status::Attention,
            "server",
            endpoint(&w.dest.addr, w.dest.port),
            format!(
                "weight 0 in {}: {} active, {} inactive connections",
                service_label(&w.service),
                w.dest.conns.active,
                w.dest.conns.inactive
            ),
        ));
    }
    if r.ipvs.services > 0 && r.without_servers.is_empty() && r.weight_zero.is_empty() {
        // With --k8s, the services it judges are left to it.
        let which = if r.coded.is_empty() {
            "every"
        } else {
            "every other"
        };
        v.push(row(
            Status::Ok,
            "service",
            "real servers",
            format!("{which} service has servers, none at weight 0"),
        ));
    }
    v.extend(r.coded.iter().map(|c| Row {
        status: c.status,
        check: c.check,
        code: c.code,
        subject: c.subject.clone(),
        detail: c.detail.clone(),
    }));
    v
}

/// The closing line under the table.
pub fn summary(r: &Report) -> String {
    match r.attention() {
        0 => "Nothing needs attention.\n".to_string(),
        1 => "1 item needs attention.\n".to_string(),
        n => format!("{n} items need attention.\n"),
    }
}

/// The table for people, with its summary line.
pub fn human(r: &Report) -> String {
    let mut t = Table::new();
    t.load_preset(presets::ASCII_FULL_CONDENSED)
        // No wrapping: the same lines whatever the terminal.
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(["status", "check", "subject", "detail"]);
    for x in rows(r) {
        // A coded finding's code leads its detail, where a person's eye
        // and grep both find it.
        let detail = match x.code {
            Some(c) => format!("{c}: {}", x.detail),
            None => x.detail,
        };
        t.add_row([
            x.status.name().to_string(),
            x.check.to_string(),
            x.subject,
            detail,
        ]);
    }
    format!("{t}\n{}", summary(r))
}

/// The JSON document: `{"schema_version":1,"check":{...}}` on one line.
pub fn document(r: &Report) -> String {
    let ipvs = match &r.ipvs.info {
        Some(i) => {
            let mut v = json::info(i);
            v["available"] = json!(true);
            v
        }
        None => json!({
            "available": false, "version": null, "version_code": null, "conn_tab_size": null,
        }),
    };
    let mut ipvs = ipvs;
    ipvs["status"] = json!(r.ipvs.status.name());
    ipvs["services"] = json!(r.ipvs.services);
    ipvs["servers"] = json!(r.ipvs.servers);
    ipvs["error"] = json!(r.ipvs.error);
    let modules: Vec<Value> = r
        .modules
        .iter()
        .map(|m| {
            json!({
                "name": m.name, "required": m.required,
                "state": m.state.name(), "status": m.status.name(),
            })
        })
        .collect();
    let sysctls: Vec<Value> = r
        .sysctls
        .iter()
        .map(|s| {
            json!({
                "name": s.name, "value": s.value, "expected": s.expected,
                "status": s.status.name(),
            })
        })
        .collect();
    let i = &r.interface;
    let vips: Vec<Value> = r
        .vips
        .iter()
        .map(|x| {
            json!({
                "address": x.addr.to_string(),
                "family": json::family(Family::of(&x.addr)),
                "interfaces": x.interfaces,
                "status": x.status.name(),
            })
        })
        .collect();
    let findings: Vec<Value> = rows(r)
        .into_iter()
        .map(|x| {
            json!({
                "status": x.status.name(), "check": x.check, "code": x.code,
                "subject": x.subject, "detail": x.detail,
            })
        })
        .collect();
    let check = json!({
        "status": r.status().name(),
        "attention": r.attention(),
        "kernel_release": r.release,
        "ipvs": ipvs,
        "modules": modules,
        "sysctls": sysctls,
        "strict_arp": r.strict_arp,
        "interface": {
            "name": KUBE_IPVS0,
            "present": i.present,
            "kind": i.kind,
            "addresses": i.addresses.iter().map(|a| a.to_string()).collect::<Vec<_>>(),
            "status": i.status.name(),
            "error": i.error,
        },
        "virtual_addresses": vips,
        "services_without_servers": r
            .without_servers
            .iter()
            .map(|s| json::service(s, &[]))
            .collect::<Vec<_>>(),
        "weight_zero_servers": r
            .weight_zero
            .iter()
            .map(|w| json!({ "service": json::service(&w.service, &[]), "server": json::dest(&w.dest) }))
            .collect::<Vec<_>>(),
        "findings": findings,
    });
    let mut s = json!({ "schema_version": json::SCHEMA_VERSION, "check": check }).to_string();
    s.push('\n');
    s
}
