//! What needs no kernel: `-h` and `-v` (which, unlike the reference, work
//! on a host without IPVS) byte for byte against the reference's captured
//! text, and the reference's "Can't initialize ipvs" failure otherwise;
//! a failed write of what they print (ours: told, exit 2).

use assert_cmd::Command;

use crate::bed::repo;

fn golden(scenario: &str, step: &str, ext: &str) -> Vec<u8> {
    std::fs::read(repo().join(format!("tests/golden/{scenario}/{step}.{ext}"))).unwrap()
}

fn host_has_ipvs() -> bool {
    std::path::Path::new("/proc/net/ip_vs").exists()
}

#[test]
fn version_matches_reference_without_kernel() {
    let out = Command::cargo_bin("ipvsadm")
        .unwrap()
        .arg("-v")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(out.stdout, golden("help", "001", "out"));
}

#[test]
fn help_matches_reference_without_kernel() {
    // The reference prints its usage with the name it was called by; the
    // golden run called it as `ipvsadm`.
    let out = Command::cargo_bin("ipvsadm")
        .unwrap()
        .arg("-h")
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let ours = text.replace(env!("CARGO_BIN_EXE_ipvsadm"), "ipvsadm");
    assert_eq!(out.status.code(), Some(0));
    // ipvsadm's text byte for byte, then the block of our own options.
    let mut want = golden("help", "002", "out");
    want.extend_from_slice(ipvsadm::cli::usage::ours().as_bytes());
    assert_eq!(ours.as_bytes(), want);
    assert!(
        ours.contains("\n  --json         -j                   "),
        "{ours}"
    );
}

#[test]
fn no_ipvs_fails_like_reference() {
    if host_has_ipvs() {
        eprintln!("SKIP no_ipvs_fails_like_reference: this host has IPVS");
        return;
    }
    let out = Command::cargo_bin("ipvsadm")
        .unwrap()
        .arg("-Ln")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.ends_with(
            "Can't initialize ipvs: Protocol not available\n\
             Are you sure that IP Virtual Server is built in the kernel or as module?\n"
        ),
        "{err}"
    );
}

/// Ours: standard output that cannot be written (here /dev/full) is told
/// once on standard error and the status is 2; the reference ignores it
/// and exits 0 (the kernel test `write_errors_are_told` shows both).
#[test]
fn a_failed_write_is_told_with_status_2() {
    for arg in ["-h", "-v"] {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_ipvsadm"))
            .arg(arg)
            .stdout(full)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{arg}");
        assert_eq!(
            String::from_utf8_lossy(&out.stderr),
            "ipvsadm: write error: No space left on device\n",
            "{arg}"
        );
    }
}
