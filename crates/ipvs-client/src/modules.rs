//! What the kernel's list of loaded modules (`/proc/modules`) proves
//! about the IPVS table, for the listing that reads services over
//! getsockopt alone (`listing`): how many services there are in every
//! namespace and of every family, and that no persistence engine can be
//! set. Neither is in the getsockopt answers: `IP_VS_SO_GET_INFO` counts
//! the IPv4 services of one namespace only (`ipvs->num_services`; Linux
//! 6.1's `ip_vs_add_service` counts IPv6 ones in `num_services6`, which
//! no interface reports), and a service entry has no engine's name.
//!
//! The count comes from the references on the `ip_vs` module (Linux 6.1,
//! `net/netfilter/ipvs`): every service holds one from
//! `ip_vs_add_service` to `__ip_vs_del_service` (`ip_vs_use_count_inc`
//! and `_dec`, whatever its family, namespace or scheduler, "none"
//! included); every scheduler module holds two, one taken when it was
//! linked against `ip_vs` (`ref_module` in `kernel/module/main.c`, which
//! also puts it in the "used by" column) and one by
//! `register_ip_vs_scheduler`. A persistence engine (`register_ip_vs_pe`),
//! the ftp helper (`register_ip_vs_app`, once per namespace), a sync
//! daemon (`start_sync_thread`) and a request in flight (a netlink dump,
//! a socket option call, a service being added) hold more. So when every
//! module using `ip_vs` is a scheduler, the references less two for each
//! are at least the number of services, and exactly that on a table at
//! rest with no sync daemon. A module using `ip_vs` that is not a
//! scheduler (a persistence engine among them) makes the count unknown.
//!
//! And a service can have a persistence engine only while the engine's
//! module is loaded (`ip_vs_pe_getbyname` finds registered engines only,
//! and the service holds a reference on the engine's module until it is
//! deleted or edited): an engine module registers with
//! `register_ip_vs_pe`, a symbol of `ip_vs`, so it is in `ip_vs`'s "used
//! by" column; and when `ip_vs` is a module none can be built in
//! (`IP_VS_PE_SIP` is inside `if IP_VS` in `net/netfilter/ipvs/Kconfig`: a
//! tristate under a module is at most a module).

/// The scheduler modules of Linux's `net/netfilter/ipvs`: each holds
/// exactly two references on `ip_vs` (see the file's doc).
const SCHEDULERS: &[&str] = &[
    "ip_vs_rr",
    "ip_vs_wrr",
    "ip_vs_lc",
    "ip_vs_wlc",
    "ip_vs_lblc",
    "ip_vs_lblcr",
    "ip_vs_dh",
    "ip_vs_sh",
    "ip_vs_sed",
    "ip_vs_nq",
    "ip_vs_fo",
    "ip_vs_ovf",
    "ip_vs_mh",
    "ip_vs_twos",
];

/// The references on `ip_vs` that are not its schedulers', read from the
/// text of `/proc/modules`: at least the number of services of every
/// family in every namespace, exactly that on a table at rest (see the
/// file's doc). None when it proves nothing: `ip_vs` is not a loaded,
/// live module (built in, or coming or going), or a module that is not a
/// scheduler uses it (a persistence engine, the ftp helper, one we do not
/// know), or the line is not one we can read.
pub fn services_counted(modules: &str) -> Option<u64> {
    let line = modules.lines().find(|l| l.starts_with("ip_vs "))?;
    // name size refcount users state address [taints]
    let mut f = line.split_ascii_whitespace();
    let (_name, _size) = (f.next()?, f.next()?);
    let refs: u64 = f.next()?.parse().ok()?;
    let users = f.next()?;
    if f.next()? != "Live" {
        return None;
    }
    let mut schedulers = 0;
    if users != "-" {
        // "a,b," (each name followed by a comma); "[permanent]," too,
        // which is no scheduler.
        for user in users.split(',').filter(|u| !u.is_empty()) {
            if !SCHEDULERS.contains(&user) {
                return None;
            }
            schedulers += 1;
        }
    }
    refs.checked_sub(2 * schedulers)
}

/// `services_counted` of this host's `/proc/modules`; None when it cannot
/// be read.
pub fn services_loaded() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/modules").ok()?;
    services_counted(&text)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Lines as the test kernel (Linux 6.1) printed them: after `modprobe
    // ip_vs`; then with 3 IPv4 services (rr, wrr, rr); then one IPv6 and
    // one IPv4 with the scheduler "none" more; then a `--pe sip` service.
    const RESTING: &str = "ip_vs 188416 0 - Live 0xffffffffc0342000 (E)\n";
    const THREE: &str = "nf_nat 57344 0 - Live 0x0000000000000000\n\
        ip_vs_wrr 16384 1 - Live 0xffffffffc02df000 (E)\n\
        ip_vs_rr 16384 2 - Live 0xffffffffc020e000 (E)\n\
        ip_vs 188416 7 ip_vs_wrr,ip_vs_rr, Live 0xffffffffc0342000 (E)\n";
    const FIVE: &str = "ip_vs 188416 9 ip_vs_wrr,ip_vs_rr, Live 0xffffffffc0342000 (E)\n";
    const SIP: &str =
        "ip_vs 188416 12 ip_vs_pe_sip,ip_vs_wrr,ip_vs_rr, Live 0xffffffffc0342000 (E)\n";

    #[test]
    fn services_are_the_references_less_the_schedulers() {
        assert_eq!(services_counted(RESTING), Some(0));
        assert_eq!(services_counted(THREE), Some(3));
        assert_eq!(services_counted(FIVE), Some(5));
    }

    #[test]
    fn anything_but_a_scheduler_using_ip_vs_proves_nothing() {
        assert_eq!(services_counted(SIP), None);
        let ftp = "ip_vs 188416 9 ip_vs_ftp,ip_vs_rr, Live 0x0 (E)\n";
        assert_eq!(services_counted(ftp), None);
        let own = "ip_vs 188416 9 my_sched,ip_vs_rr, Live 0x0\n";
        assert_eq!(services_counted(own), None);
        let permanent = "ip_vs 188416 9 [permanent], Live 0x0\n";
        assert_eq!(services_counted(permanent), None);
    }

    #[test]
    fn no_live_module_proves_nothing() {
        // Built in (no line), a module on its way in or out, a line cut.
        assert_eq!(services_counted("nf_nat 57344 0 - Live 0x0\n"), None);
        assert_eq!(services_counted("ip_vs 188416 0 - Unloading 0x0\n"), None);
        assert_eq!(services_counted("ip_vs 188416 0 - Loading 0x0\n"), None);
        assert_eq!(services_counted("ip_vs 188416 x - Live 0x0\n"), None);
        assert_eq!(services_counted("ip_vs 188416 3"), None);
        // A prefix of the name is another module.
        assert_eq!(services_counted("ip_vs_rr 16384 2 - Live 0x0\n"), None);
        // Fewer references than its schedulers hold: not the kernel we know.
        assert_eq!(
            services_counted("ip_vs 1 3 ip_vs_rr,ip_vs_wrr, Live 0x0\n"),
            None
        );
    }
}
