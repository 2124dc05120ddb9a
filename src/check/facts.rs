//! What the node check reads from the system, and nothing else: loaded
//! modules (/proc/modules), built-in and installed ones (modules.builtin
//! and modules.dep of the running kernel), sysctls under /proc/sys (which
//! follow the process's network namespace), interfaces and addresses
//! (rtnetlink), and the IPVS table. Judging these is `eval`'s job.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::rtnl::{self, Addr, Link};
use crate::ipvs::client::TableError;
use crate::ipvs::{Client, Dest, Error, Info, Service, Stats};

/// The sysctls the check reports, by their dotted names.
pub const SYSCTLS: &[&str] = &[
    "net.ipv4.vs.conntrack",
    "net.ipv4.vs.conn_reuse_mode",
    "net.ipv4.vs.expire_nodest_conn",
    "net.ipv4.vs.expire_quiescent_template",
    "net.ipv4.ip_forward",
    "net.ipv4.conf.all.arp_ignore",
    "net.ipv4.conf.all.arp_announce",
];

/// Everything the check looked at.
#[derive(Debug, Clone)]
pub struct Facts {
    /// The running kernel's release (/proc/sys/kernel/osrelease).
    pub release: Option<String>,
    pub modules: Modules,
    /// Each of `SYSCTLS` with its value as read (trimmed), `None` when
    /// absent or unreadable.
    pub sysctls: BTreeMap<String, Option<String>>,
    pub ipvs: Ipvs,
    /// Interfaces and addresses, or why they could not be listed.
    pub net: Result<Net, String>,
}

/// Module names as the kernel spells them (`-` made `_`).
#[derive(Debug, Clone, Default)]
pub struct Modules {
    pub loaded: BTreeSet<String>,
    pub builtin: BTreeSet<String>,
    /// Installed for the running kernel (in modules.dep).
    pub available: BTreeSet<String>,
    /// Why /proc/modules could not be read, if it could not.
    pub error: Option<String>,
}

/// The IPVS side of the node.
#[derive(Debug, Clone, Default)]
pub enum Ipvs {
    /// ip_vs is neither loaded nor built in: not asked, as asking for the
    /// generic-netlink family would make the kernel load the module.
    #[default]
    Absent,
    /// Asking failed.
    Failed(String),
    /// The table, each service with its real servers.
    Present {
        info: Info,
        services: Vec<(Service, Vec<Dest>)>,
    },
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Net {
    pub links: Vec<Link>,
    pub addrs: Vec<Addr>,
}

/// A module's name from a path or name: `kernel/net/.../ip_vs_rr.ko.xz`
/// and `ip-vs-rr` both give `ip_vs_rr`.
pub fn module_name(path: &str) -> String {
    let base = path.rsplit('/').next().unwrap_or(path);
    let stem = match base.find(".ko") {
        Some(i) => &base[..i],
        None => base,
    };
    stem.replace('-', "_")
}

/// The first word of each line of /proc/modules.
pub fn parse_proc_modules(text: &str) -> BTreeSet<String> {
    text.lines()
        .filter_map(|l| l.split_whitespace().next())
        .map(module_name)
        .collect()
}

/// The modules named in modules.builtin (one path a line).
pub fn parse_builtin(text: &str) -> BTreeSet<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(module_name)
        .collect()
}

/// The modules installed, from modules.dep (`path: deps...` lines).
pub fn parse_dep(text: &str) -> BTreeSet<String> {
    text.lines()
        .filter_map(|l| l.split(':').next())
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(module_name)
        .collect()
}

fn read(path: &str) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))
}

fn sysctl_path(name: &str) -> String {
    format!("/proc/sys/{}", name.replace('.', "/"))
}

/// Read everything from the running system. Changes nothing and loads no
/// module. `counters`: whether the table must carry its traffic counters
/// (only `--exporter --table-metrics` prints them); without, it is read
/// by the library's fastest listing (`Client::table_defs`: getsockopt
/// alone where the kernel's answers prove it whole), which has every
/// connection count the check reads.
pub fn gather(counters: bool) -> Facts {
    let release = read("/proc/sys/kernel/osrelease")
        .ok()
        .map(|s| s.trim().to_string());
    let mut modules = Modules::default();
    match read("/proc/modules") {
        Ok(t) => modules.loaded = parse_proc_modules(&t),
        Err(e) => modules.error = Some(e),
    }
    if let Some(r) = &release {
        // Missing files only mean nothing is known to be built in or
        // installed: the modules are then reported missing.
        if let Ok(t) = read(&format!("/lib/modules/{r}/modules.builtin")) {
            modules.builtin = parse_builtin(&t);
        }
        if let Ok(t) = read(&format!("/lib/modules/{r}/modules.dep")) {
            modules.available = parse_dep(&t);
        }
    }
    let sysctls = SYSCTLS
        .iter()
        .map(|n| {
            let v = read(&sysctl_path(n)).ok().map(|s| s.trim().to_string());
            (n.to_string(), v)
        })
        .collect();
    let ipvs_there = modules.loaded.contains("ip_vs")
        || modules.builtin.contains("ip_vs")
        || Path::new("/proc/net/ip_vs").exists();
    let ipvs = if ipvs_there {
        match ipvs_table(counters) {
            Ok((info, services)) => Ipvs::Present { info, services },
            Err(e) => Ipvs::Failed(describe(&e)),
        }
    } else {
        Ipvs::Absent
    };
    let net = rtnl::dump()
        .map(|(links, addrs)| Net { links, addrs })
        .map_err(|e| describe(&e));
    Facts {
        release,
        modules,
        sysctls,
        ipvs,
        net,
    }
}

/// An error in words: a kernel errno as strerror says it (a non-root
/// user gets "Operation not permitted", not a number).
fn describe(e: &Error) -> String {
    match e {
        Error::Kernel(n) => std::io::Error::from_raw_os_error(*n).to_string(),
        e => e.to_string(),
    }
}

type Table = (Info, Vec<(Service, Vec<Dest>)>);

fn ipvs_table(counters: bool) -> Result<Table, Error> {
    let mut c = Client::connect()?;
    let info = c.info()?;
    let services = if counters {
        c.table()
    } else {
        c.table_defs().map(|t| {
            t.into_iter()
                .map(|(def, dests)| (def.with_stats(Stats::default()), dests))
                .collect()
        })
    };
    Ok((info, services.map_err(TableError::into_error)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_names() {
        assert_eq!(module_name("kernel/net/netfilter/ipvs/ip_vs.ko"), "ip_vs");
        assert_eq!(module_name("kernel/net/ipvs/ip_vs_rr.ko.xz"), "ip_vs_rr");
        assert_eq!(module_name("ip-vs-sh"), "ip_vs_sh");
    }

    #[test]
    fn parse_module_lists() {
        let pm = "ip_vs 188416 0 - Live 0xffffffffc0332000 (E)\n\
                  nf_conntrack 188416 1 ip_vs, Live 0x0 (E)\n";
        let l = parse_proc_modules(pm);
        assert!(l.contains("ip_vs") && l.contains("nf_conntrack") && l.len() == 2);
        let b = parse_builtin("kernel/drivers/net/dummy.ko\n\nkernel/net/ipv4/tcp_cubic.ko\n");
        assert_eq!(b.into_iter().collect::<Vec<_>>(), ["dummy", "tcp_cubic"]);
        let d = parse_dep(
            "kernel/net/netfilter/ipvs/ip_vs_rr.ko: kernel/net/netfilter/ipvs/ip_vs.ko\n\
             kernel/net/netfilter/ipvs/ip_vs.ko: kernel/net/netfilter/nf_conntrack.ko\n",
        );
        assert_eq!(d.into_iter().collect::<Vec<_>>(), ["ip_vs", "ip_vs_rr"]);
    }

    #[test]
    fn errors_in_words() {
        assert_eq!(
            describe(&Error::Kernel(libc::EPERM)),
            "Operation not permitted (os error 1)"
        );
        assert_eq!(
            describe(&Error::FamilyNotFound),
            "the IPVS generic netlink family is not available"
        );
    }

    #[test]
    fn sysctl_paths() {
        assert_eq!(
            sysctl_path("net.ipv4.conf.all.arp_ignore"),
            "/proc/sys/net/ipv4/conf/all/arp_ignore"
        );
    }
}
