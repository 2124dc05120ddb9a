//! Access to the test kernel: `tests/vm/run`, which boots the VM (or uses a
//! fresh network namespace on a host with IPVS). In CI the kernel tests must
//! run; elsewhere, when the test bed cannot be set up, they say SKIP loudly.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn in_ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false")
}

/// Whether the test bed is usable; sets it up once per test process.
pub fn available(test: &str) -> bool {
    static READY: OnceLock<Result<(), String>> = OnceLock::new();
    let r = READY.get_or_init(|| {
        if std::env::var("IPVS_TESTS").as_deref() == Ok("skip") {
            return Err("IPVS_TESTS=skip".into());
        }
        let out = Command::new(repo().join("tests/vm/setup"))
            .output()
            .map_err(|e| format!("cannot run tests/vm/setup: {e}"))?;
        if out.status.success() {
            Ok(())
        } else {
            Err(format!(
                "tests/vm/setup failed:\n{}",
                String::from_utf8_lossy(&out.stderr)
            ))
        }
    });
    match r {
        Ok(()) => true,
        Err(why) if in_ci() => panic!("kernel tests must run in CI, but: {why}"),
        Err(why) => {
            let msg = format!(
                "\n==================== SKIP ====================\n\
                 {test}: no test kernel ({why}).\n\
                 The kernel tests did NOT run.\n\
                 ==============================================\n"
            );
            eprintln!("{msg}");
            println!("{msg}");
            false
        }
    }
}

/// A private folder shared with the test kernel, holding our binary as
/// `ipvsadm` in `tools/` (with `ipvsadm-save` and `ipvsadm-restore` linked
/// to it, as the reference's folder holds Debian's scripts).
pub struct Work {
    pub dir: PathBuf,
}

impl Work {
    pub fn new(tag: &str) -> Work {
        let base = repo().join("target").join("kernel-tests");
        std::fs::create_dir_all(&base).unwrap();
        let dir = base.join(format!("{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("tools")).unwrap();
        std::fs::copy(env!("CARGO_BIN_EXE_ipvsadm"), dir.join("tools/ipvsadm")).unwrap();
        // As installed: ipvsadm-save and ipvsadm-restore are links to it.
        for name in ["ipvsadm-save", "ipvsadm-restore"] {
            std::os::unix::fs::symlink("ipvsadm", dir.join("tools").join(name)).unwrap();
        }
        Work { dir }
    }

    pub fn tools(&self) -> PathBuf {
        self.dir.join("tools")
    }
}

impl Drop for Work {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Run a command in a fresh test kernel with the repository and `work`
/// shared at their own paths.
pub fn run_in_kernel(work: &Path, args: &[&str]) -> Output {
    // Room for the longest suite (tens of thousands of refused -R lines
    // run by both tools) on a loaded 2-core host; a hang still ends.
    let out = Command::new(repo().join("tests/vm/run"))
        .args(["--timeout", "1800"])
        .arg("--share")
        .arg(repo())
        .arg("--share")
        .arg(work)
        .arg("--")
        .args(args)
        .output()
        .expect("run tests/vm/run");
    assert!(
        out.status.code() != Some(125) && out.status.code() != Some(124),
        "the test bed failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// A readable account of how `actual` differs from `expected`.
pub fn diff(what: &str, expected: &[u8], actual: &[u8]) -> String {
    let e = String::from_utf8_lossy(expected);
    let a = String::from_utf8_lossy(actual);
    let el: Vec<&str> = e.split_inclusive('\n').collect();
    let al: Vec<&str> = a.split_inclusive('\n').collect();
    let mut s = format!("--- {what}: expected (reference)\n+++ {what}: actual (ours)\n");
    for i in 0..el.len().max(al.len()) {
        match (el.get(i), al.get(i)) {
            (Some(x), Some(y)) if x == y => s.push_str(&format!(" {}", show(x))),
            (x, y) => {
                if let Some(x) = x {
                    s.push_str(&format!("-{}", show(x)));
                }
                if let Some(y) = y {
                    s.push_str(&format!("+{}", show(y)));
                }
            }
        }
    }
    s
}

/// A line with its end made visible: trailing blanks and a missing newline.
fn show(l: &str) -> String {
    let body = l.strip_suffix('\n');
    match body {
        Some(b) if b.ends_with(' ') => format!("{b}\u{00b7}$\n"),
        Some(b) => format!("{b}\n"),
        None => format!("{l}\\ no newline\n"),
    }
}
