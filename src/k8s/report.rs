//! `--check --k8s`: the comparison's findings as lines of the node
//! check's report (check `kubernetes`, each with its stable code), led by
//! one line that says what was compared. Pure.

use super::compare::Finding;
use super::expect::{ExpectedService, ThisNode};
use super::view::service_name;
use crate::check_report::{Coded, Status};

/// The check's name in the report.
pub const CHECK: &str = "kubernetes";

/// The report's lines for this node's comparison.
pub fn coded(node: &ThisNode, expected: &[ExpectedService], findings: &[Finding]) -> Vec<Coded> {
    let attention = findings.iter().filter(|f| f.code.needs_attention()).count();
    let verdict = match attention {
        0 => "the table matches".to_string(),
        1 => "1 finding needs attention".to_string(),
        n => format!("{n} findings need attention"),
    };
    // The line that says what was compared is ok when the table matches,
    // information otherwise (the findings below carry the attention).
    let mut v = vec![Coded {
        status: if attention == 0 {
            Status::Ok
        } else {
            Status::Info
        },
        check: CHECK,
        code: None,
        subject: format!("node {}", node.name),
        detail: format!(
            "{} Services, {} virtual services expected{}: {verdict}",
            services_of(expected),
            expected.iter().filter(|e| e.certain).count(),
            maybe(expected)
        ),
    }];
    v.extend(findings.iter().map(line));
    v
}

/// How many Services the expected virtual services belong to.
pub fn services_of(expected: &[ExpectedService]) -> usize {
    let mut services: Vec<(&str, &str)> = expected
        .iter()
        .map(|e| (e.service.namespace.as_str(), e.service.name.as_str()))
        .collect();
    services.sort_unstable();
    services.dedup();
    services.len()
}

/// The node ports only some kube-proxy versions make, told apart when the
/// Node says no version.
fn maybe(expected: &[ExpectedService]) -> String {
    match expected.iter().filter(|e| !e.certain).count() {
        0 => String::new(),
        n => format!(" (and {n} node ports that only some kube-proxy versions make: the Node says no version)"),
    }
}

fn line(f: &Finding) -> Coded {
    let subject = match &f.server {
        Some(s) => format!("{} {s}", f.rule),
        None => f.rule.clone(),
    };
    let detail = match &f.service {
        Some(s) => format!("{} ({}): {}", service_name(s), s.type_, f.detail),
        None => f.detail.clone(),
    };
    Coded {
        status: if f.code.needs_attention() {
            Status::Attention
        } else {
            Status::Info
        },
        check: CHECK,
        code: Some(f.code.as_str()),
        subject,
        detail,
    }
}
