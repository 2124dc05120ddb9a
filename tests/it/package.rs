//! The Debian package (packaging/deb/): `packaging/deb/check` builds it
//! around the binary under test and checks its files and control fields,
//! lintian, and (as root, on a host without Debian's ipvsadm) a real
//! install, the unit, and a purge that leaves nothing behind;
//! `check-replace` puts it in place of Debian's own package and back, on
//! edited and unedited files; `check-settings` holds the service script
//! to Debian's init script's reading of /etc/default/ipvsadm.

use std::process::Command;

use crate::bed::repo;

#[test]
fn debian_package_builds_installs_and_purges() {
    let stdout = run_check("check", &[env!("CARGO_BIN_EXE_ipvsadm")]);
    for check in ["ok: dpkg-deb -c", "ok: dpkg-deb -I", "ok: built"] {
        assert!(stdout.contains(check), "{check} missing:\n{stdout}");
    }
    // Whenever the install ran, every step of it ran, through the purge.
    if stdout.contains("ok: installed") {
        assert!(stdout.contains("ok: purged: nothing left"), "{stdout}");
        assert!(stdout.contains("ok: completions"), "{stdout}");
    }
}

/// Runs a check script of packaging/deb/ and returns its standard output,
/// failing unless it ended with its "=== end" line.
fn run_check(script: &str, args: &[&str]) -> String {
    let out = Command::new(repo().join("packaging/deb").join(script))
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("run packaging/deb/{script}: {e}"));
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!("{stdout}");
    assert!(
        out.status.success() && stdout.ends_with("=== end\n"),
        "packaging/deb/{script} failed ({}):\n{stdout}\n{stderr}",
        out.status
    );
    stdout
}

#[test]
fn debian_package_replaces_debians_own_and_back() {
    let stdout = run_check("check-replace", &[env!("CARGO_BIN_EXE_ipvsadm")]);
    if stdout.contains("SKIP") {
        return;
    }
    // Every round ran both ways.
    for round in [
        "apt, files edited",
        "dpkg, files edited",
        "tty, files edited",
        "apt, files pristine",
    ] {
        for way in ["ours in place", "the way back"] {
            let line = format!("ok: {round}: {way} without a question");
            assert!(stdout.contains(&line), "{line} missing:\n{stdout}");
        }
    }
}

#[test]
fn service_script_reads_settings_as_debians_init_script() {
    let stdout = run_check("check-settings", &[]);
    assert_eq!(stdout.matches("ok: settings ").count(), 12, "{stdout}");
    // The cases that start daemons and load rules did so on both sides.
    assert!(
        stdout.contains("<--mcast-interface> <eth0> <--syncid> <7>"),
        "{stdout}"
    );
    assert!(
        stdout.contains("<--mcast-interface> <bond0> <--syncid> <12>"),
        "{stdout}"
    );
    assert!(stdout.contains("load "), "{stdout}");
}

#[test]
fn debian_package_boots_with_systemd_and_goes_back() {
    // A real Debian 12 system booted under the test bed's kernel: the
    // table restored at boot, reload, stop, and Debian's package again.
    let stdout = run_check("check-boot", &[env!("CARGO_BIN_EXE_ipvsadm")]);
    for step in [
        "ok: ours in place of Debian's, the files kept",
        "ok: after boot: ipvsadm active, the table is the rules file's",
        "ok: systemctl reload ipvsadm: exactly the four changes",
        "ok: systemctl stop ipvsadm: the daemon stopped, the table kept",
        "ok: the way back: Debian's package again, the files byte-identical",
    ] {
        assert!(stdout.contains(step), "{step} missing:\n{stdout}");
    }
}
