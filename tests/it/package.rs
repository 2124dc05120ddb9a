//! The Debian package (packaging/deb/): `packaging/deb/check` builds it
//! around the binary under test and checks its files and control fields,
//! lintian, and (as root, on a host without Debian's ipvsadm) a real
//! install, the unit, and a purge that leaves nothing behind.

use std::process::Command;

use crate::bed::repo;

#[test]
fn debian_package_builds_installs_and_purges() {
    let out = Command::new(repo().join("packaging/deb/check"))
        .arg(env!("CARGO_BIN_EXE_ipvsadm"))
        .output()
        .expect("run packaging/deb/check");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    // The SKIP banners go to the test's output, where they are seen.
    println!("{stdout}");
    assert!(
        out.status.success() && stdout.ends_with("=== end\n"),
        "packaging/deb/check failed ({}):\n{stdout}\n{stderr}",
        out.status
    );
    for check in ["ok: dpkg-deb -c", "ok: dpkg-deb -I", "ok: built"] {
        assert!(stdout.contains(check), "{check} missing:\n{stdout}");
    }
    // Whenever the install ran, every step of it ran, through the purge.
    if stdout.contains("ok: installed") {
        assert!(stdout.contains("ok: purged: nothing left"), "{stdout}");
        assert!(stdout.contains("ok: completions"), "{stdout}");
    }
}
