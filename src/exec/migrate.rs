//! The way out of IPVS mode (ours, issue 20): this host's addresses and
//! kube-ipvs0's read for ownership (`NodeNet`, `Owners`), kube-proxy's
//! ipsets and chains read where the tools are installed, and
//! `--cleanup-kube-proxy`: the plan (`k8s::cleanup`, pure), the backup
//! written whole before the first change, then the deletions, stopped at
//! the first kernel error with what was removed and what was not.

use std::collections::HashSet;
use std::fs;
use std::io::Write;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::process::Command as Process;

use super::snapshot::{set, snapshot, Input, NodeNet, Snapshot};
use crate::check::rtnl;
use crate::check_report::KUBE_IPVS0;
use crate::cli::KubeArgs;
use crate::format::errors::{ipvs_strerror, strerror, Op};
use crate::format::{Format, Names};
use crate::ipvs::{Dest, Error, Service};
use crate::k8s::cleanup::{backup, delete_line, plan, service_addrs, Plan};
use crate::k8s::migrate::{kube_chains, kube_ipsets, Outside};
use crate::k8s::owner::{judge, Context, Ownership, NODE_PORTS};
use crate::k8s::view::Explained;
use crate::resolve::Resolver;
use crate::streams::Streams;

/// Everything ownership is judged from, held for a whole table.
pub(super) struct Owners<'a> {
    kube_ipvs0: HashSet<IpAddr>,
    host: HashSet<IpAddr>,
    range: (u16, u16),
    explained: Option<&'a Explained<'a>>,
}

impl<'a> Owners<'a> {
    pub(super) fn new(
        net: &NodeNet,
        kube: &KubeArgs,
        explained: Option<&'a Explained<'a>>,
    ) -> Self {
        Owners {
            kube_ipvs0: set(net.kube_ipvs0_addrs()),
            host: net.host.clone(),
            range: kube
                .nodeport_range
                .unwrap_or((*NODE_PORTS.start(), *NODE_PORTS.end())),
            explained,
        }
    }

    pub(super) fn judge(&self, svc: &Service, dests: &[Dest]) -> Ownership {
        let ctx = Context {
            kube_ipvs0: &self.kube_ipvs0,
            host: &self.host,
            node_ports: self.range.0..=self.range.1,
            expected: self.explained,
        };
        judge(svc, dests, &ctx)
    }
}

/// kube-proxy's ipsets and `KUBE-` chains, where `ipset` and
/// `iptables-save` are installed; read only.
pub(super) fn outside() -> Outside {
    let run = |cmd: &str, args: &[&str]| -> Option<String> {
        let out = Process::new(cmd).args(args).output().ok()?;
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
    };
    Outside {
        ipsets: run("ipset", &["list", "-n"]).map(|t| kube_ipsets(&t)),
        chains: run("iptables-save", &[]).map(|t| kube_chains(&t)),
    }
}

/// `--cleanup-kube-proxy`: the dry run, or with `--apply` the backup and
/// the changes.
pub(super) fn cleanup(input: &mut Input, names: &dyn Resolver, io: &mut Streams) -> i32 {
    let Snapshot {
        net,
        expected,
        mut k,
        table,
    } = match snapshot(None, &Format::default(), input, io) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let expected = expected.as_deref();
    let explained = expected.map(Explained::new);
    let owners = Owners::new(&net, input.kube, explained.as_ref());
    let judged: Vec<Ownership> = table.iter().map(|(s, d)| owners.judge(s, d)).collect();
    let bound: Option<Vec<IpAddr>> = net
        .kube_ipvs0
        .as_ref()
        .map(|(_, v)| v.iter().map(|a| a.addr).collect());
    let p = plan(
        &table,
        &judged,
        bound.as_deref(),
        input.kube.include_likely,
        &service_addrs(expected.unwrap_or(&[])),
    );
    let names = Names::new(names);
    if !input.kube.apply {
        dry_run(&table, &p, &names, io);
        return 0;
    }
    let file = match write_backup(input, &backup(&table, &p, &names)) {
        Ok(f) => f,
        Err(why) => return input.fail(io, &why),
    };
    io.err(&format!(
        "{}: saved what is removed in {} (ipvsadm -R < FILE puts it back)\n",
        input.program,
        file.display()
    ));
    kept_likely(&table, &p, "kept", &names, io);
    pause_for_tests();
    apply(&mut k.client, &table, &p, &net, &names, io)
}

/// Tests only (debug builds): `IPVSADM_TEST_CLEANUP_PAUSE=SECONDS` waits
/// between the backup and the first change, so that a test can change the
/// table underneath at a known moment.
fn pause_for_tests() {
    #[cfg(debug_assertions)]
    if let Some(s) = std::env::var("IPVSADM_TEST_CLEANUP_PAUSE")
        .ok()
        .and_then(|v| v.parse::<f64>().ok())
    {
        std::thread::sleep(std::time::Duration::from_secs_f64(s));
    }
}

/// What `--apply` would do: the `-D` lines on standard output (an `-R`
/// input), the rest on standard error.
fn dry_run(table: &[(Service, Vec<Dest>)], p: &Plan, names: &Names, io: &mut Streams) {
    for &i in &p.services {
        io.out(&delete_line(&table[i].0, names));
    }
    for a in &p.addresses {
        io.err(&format!("would remove {a} from {KUBE_IPVS0}\n"));
    }
    if p.delete_interface {
        io.err(&format!("would delete {KUBE_IPVS0}\n"));
    }
    kept_likely(table, p, "would keep", names, io);
    io.err(&format!(
        "dry run: {} services and {} addresses would be removed; nothing was changed (--apply makes the changes)\n",
        p.services.len(),
        p.addresses.len()
    ));
}

/// The services left alone as only likely kube-proxy's, told.
fn kept_likely(
    table: &[(Service, Vec<Dest>)],
    p: &Plan,
    verb: &str,
    names: &Names,
    io: &mut Streams,
) {
    for &i in &p.kept_likely {
        let line = delete_line(&table[i].0, names);
        io.err(&format!(
            "{verb} {} (only likely kube-proxy's; --include-likely removes it)\n",
            line.trim_end().trim_start_matches("-D ")
        ));
    }
}

/// The default backup: under /var/lib/ipvsadm, named by the time.
fn default_backup() -> PathBuf {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    PathBuf::from(format!("/var/lib/ipvsadm/kube-proxy-{now}.rules"))
}

/// Write the backup whole or not at all, never over an existing file: a
/// temporary file in the same folder, synced, then linked to its name
/// (which fails if the name exists) and unlinked.
fn write_backup(input: &Input, text: &str) -> Result<PathBuf, String> {
    let path = input
        .kube
        .backup
        .as_ref()
        .map_or_else(default_backup, PathBuf::from);
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if input.kube.backup.is_none() {
        fs::create_dir_all(dir).map_err(|e| format!("{}: {}", dir.display(), os(&e)))?;
    }
    let tmp = dir.join(format!(".ipvsadm-backup.{}", std::process::id()));
    let result = (|| {
        let mut f = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
        fs::hard_link(&tmp, &path)
    })();
    let _ = fs::remove_file(&tmp);
    result
        .map(|()| path.clone())
        .map_err(|e| format!("cannot write the backup {}: {}", path.display(), os(&e)))
}

fn os(e: &std::io::Error) -> String {
    e.raw_os_error().map_or_else(|| e.to_string(), strerror)
}

/// Delete the planned services, then the addresses, then kube-ipvs0; the
/// first failure stops it, told with what was done and what was not.
fn apply(
    client: &mut crate::ipvs::Client,
    table: &[(Service, Vec<Dest>)],
    p: &Plan,
    net: &NodeNet,
    names: &Names,
    io: &mut Streams,
) -> i32 {
    for (n, &i) in p.services.iter().enumerate() {
        let s = &table[i].0;
        let line = delete_line(s, names);
        if let Err(e) = client.del_service(&s.id, &s.config) {
            io.err(&format!(
                "{}: {}",
                line.trim_end(),
                ipvs_strerror(Op::DelService, e.errno())
            ));
            io.err("\n");
            return stopped(p, n, 0, table, names, io);
        }
        io.out(&line);
    }
    let on = net
        .kube_ipvs0
        .as_ref()
        .map(|(_, v)| v.as_slice())
        .unwrap_or(&[]);
    for (n, a) in p.addresses.iter().enumerate() {
        let Some(addr) = on.iter().find(|x| x.addr == *a) else {
            continue;
        };
        if let Err(e) = rtnl::del_addr(addr) {
            io.err(&format!(
                "removing {a} from {KUBE_IPVS0}: {}\n",
                describe(&e)
            ));
            return stopped(p, p.services.len(), n, table, names, io);
        }
        io.err(&format!("removed {a} from {KUBE_IPVS0}\n"));
    }
    if let (true, Some((index, _))) = (p.delete_interface, &net.kube_ipvs0) {
        if let Err(e) = rtnl::del_link(*index) {
            io.err(&format!("deleting {KUBE_IPVS0}: {}\n", describe(&e)));
            return 1;
        }
        io.err(&format!("deleted {KUBE_IPVS0}\n"));
    }
    0
}

fn describe(e: &Error) -> String {
    match e {
        Error::Kernel(n) => strerror(*n),
        e => e.to_string(),
    }
}

/// The report of a cleanup stopped midway: what was removed, what was
/// not; exit status 1.
fn stopped(
    p: &Plan,
    services_done: usize,
    addrs_done: usize,
    table: &[(Service, Vec<Dest>)],
    names: &Names,
    io: &mut Streams,
) -> i32 {
    io.err(&format!(
        "stopped: {services_done} of {} services and {addrs_done} of {} addresses were removed; not removed:\n",
        p.services.len(),
        p.addresses.len()
    ));
    for &i in &p.services[services_done..] {
        io.err(&format!("  {}", delete_line(&table[i].0, names)));
    }
    for a in &p.addresses[addrs_done..] {
        io.err(&format!("  {a} on {KUBE_IPVS0}\n"));
    }
    1
}
