//! The node check's report (`--check`): each item judged with its status.
//! Below both `check` (whose rules fill it in) and `format::check` (which
//! prints it), so that neither reaches into the other; it knows only the
//! IPVS model.

use std::net::IpAddr;

use crate::ipvs::{Dest, Info, Service};

/// How much an item matters. Ordered: the report's status is its worst.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    Ok,
    Info,
    Attention,
}

impl Status {
    pub fn name(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Info => "info",
            Status::Attention => "attention",
        }
    }
}

/// The interface kube-proxy binds virtual addresses to.
pub const KUBE_IPVS0: &str = "kube-ipvs0";

/// Where a module stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModuleState {
    Loaded,
    BuiltIn,
    /// Installed for the running kernel, not loaded.
    Available,
    Missing,
    /// /proc/modules could not be read.
    Unknown,
}

impl ModuleState {
    pub fn name(self) -> &'static str {
        match self {
            ModuleState::Loaded => "loaded",
            ModuleState::BuiltIn => "builtin",
            ModuleState::Available => "available",
            ModuleState::Missing => "missing",
            ModuleState::Unknown => "unknown",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModuleItem {
    pub name: String,
    pub required: bool,
    pub state: ModuleState,
    pub status: Status,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SysctlItem {
    pub name: String,
    /// The value, `None` when absent or not a number.
    pub value: Option<i64>,
    /// What kube-proxy sets, for those it must be.
    pub expected: Option<i64>,
    pub status: Status,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IpvsItem {
    pub status: Status,
    pub info: Option<Info>,
    pub services: usize,
    pub servers: usize,
    /// Why it is unavailable, when it is.
    pub error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InterfaceItem {
    pub status: Status,
    pub present: bool,
    pub kind: Option<String>,
    /// Its addresses.
    pub addresses: Vec<IpAddr>,
    /// Why interfaces could not be listed.
    pub error: Option<String>,
}

/// A virtual address of a TCP, UDP or SCTP service, and where it is bound.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VipItem {
    pub addr: IpAddr,
    pub interfaces: Vec<String>,
    pub status: Status,
}

/// A real server at weight 0, with its service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WeightZero {
    pub service: Service,
    pub dest: Dest,
}

/// Everything judged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub release: Option<String>,
    pub ipvs: IpvsItem,
    pub modules: Vec<ModuleItem>,
    pub sysctls: Vec<SysctlItem>,
    /// arp_ignore = 1 and arp_announce = 2 in conf/all (kube-proxy's
    /// strictARP); `None` when either could not be read.
    pub strict_arp: Option<bool>,
    pub interface: InterfaceItem,
    pub vips: Vec<VipItem>,
    pub without_servers: Vec<Service>,
    pub weight_zero: Vec<WeightZero>,
    /// Findings of the checks that judge the node against something
    /// brought in (`kubernetes`, from `--k8s`), after the node's own.
    pub coded: Vec<Coded>,
}

/// A finding with a stable code, which scripts match on
/// (`findings[].code` in the JSON document).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coded {
    pub status: Status,
    /// The check it belongs to: `kubernetes`.
    pub check: &'static str,
    /// `None` for a line that only says what was looked at.
    pub code: Option<&'static str>,
    /// The rule: `TCP 10.96.0.10:53`, `TCP 10.96.0.10:53 -> 10.244.1.5:53`.
    pub subject: String,
    pub detail: String,
}

impl Report {
    /// Every status in the report.
    fn statuses(&self) -> Vec<Status> {
        let mut v = vec![self.ipvs.status, self.interface.status];
        v.extend(self.modules.iter().map(|m| m.status));
        v.extend(self.sysctls.iter().map(|s| s.status));
        v.extend(self.vips.iter().map(|s| s.status));
        v.extend(self.without_servers.iter().map(|_| Status::Attention));
        v.extend(self.weight_zero.iter().map(|_| Status::Attention));
        v.extend(self.coded.iter().map(|c| c.status));
        v
    }

    /// The worst status.
    pub fn status(&self) -> Status {
        self.statuses().into_iter().max().unwrap_or(Status::Ok)
    }

    /// How many items need attention.
    pub fn attention(&self) -> usize {
        self.statuses()
            .into_iter()
            .filter(|s| *s == Status::Attention)
            .count()
    }

    /// The exit status: 0 when nothing needs attention, 1 when something does.
    pub fn exit_status(&self) -> i32 {
        i32::from(self.status() == Status::Attention)
    }
}
