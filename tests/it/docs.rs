//! The generated manual pages and shell completions: the committed files
//! must be what `ipvsadm::cli::docs::render_all` makes now (regenerate with
//! `cargo run --example gen-docs`), and each must pass its own checker
//! (`bash -n`, `zsh -n`, `fish -n`, `man --warnings`). A missing checker
//! fails in CI and is skipped loudly elsewhere.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::bed::{diff, repo};

fn in_ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false")
}

/// Whether `program` can be run; when it cannot, fail in CI and say SKIP
/// loudly elsewhere.
fn checker(test: &str, program: &str, package: &str) -> bool {
    let found = Command::new(program)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if found {
        return true;
    }
    let why = format!("{program} is not installed (apt-get install {package})");
    assert!(!in_ci(), "{test} must run in CI, but {why}");
    let msg = format!(
        "\n==================== SKIP ====================\n\
         {test}: {why}.\n\
         This check did NOT run.\n\
         ==============================================\n"
    );
    eprintln!("{msg}");
    println!("{msg}");
    false
}

/// A fresh folder for this test process under Cargo's temporary folder.
fn temp_dir(tag: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("docs-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Writes every generated file under `dir`, as the example does.
fn generate_into(dir: &Path) -> Vec<&'static str> {
    let mut paths = Vec::new();
    for (path, text) in ipvsadm::cli::docs::render_all() {
        let file = dir.join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, text).unwrap();
        paths.push(path);
    }
    paths
}

#[test]
fn docs_committed_files_are_current() {
    let dir = temp_dir("current");
    let mut stale = Vec::new();
    let mut report = String::new();
    for path in generate_into(&dir) {
        let fresh = std::fs::read(dir.join(path)).unwrap();
        match std::fs::read(repo().join(path)) {
            Ok(committed) if committed == fresh => {}
            Ok(committed) => {
                stale.push(path);
                report.push_str(&diff(path, &committed, &fresh));
            }
            Err(e) => {
                stale.push(path);
                report.push_str(&format!("{path}: cannot read the committed file: {e}\n"));
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        stale.is_empty(),
        "stale generated files: {}\n(expected = committed, actual = generated now)\n{report}\n\
         Run `cargo run --example gen-docs` and commit the result.",
        stale.join(", ")
    );
}

/// Runs `program args... file` and fails unless it succeeds with nothing
/// on standard error.
fn check_quiet(program: &str, args: &[&str], file: &Path) {
    let out = Command::new(program)
        .args(args)
        .arg(file)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {program}: {e}"));
    assert!(
        out.status.success() && out.stderr.is_empty(),
        "{program} {} {} failed ({}):\n{}",
        args.join(" "),
        file.display(),
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn docs_bash_completion_parses() {
    if checker("docs_bash_completion_parses", "bash", "bash") {
        check_quiet("bash", &["-n"], &repo().join("completions/ipvsadm.bash"));
    }
}

#[test]
fn docs_zsh_completion_parses() {
    if checker("docs_zsh_completion_parses", "zsh", "zsh") {
        check_quiet("zsh", &["-n"], &repo().join("completions/_ipvsadm"));
    }
}

#[test]
fn docs_fish_completion_parses() {
    if checker("docs_fish_completion_parses", "fish", "fish") {
        check_quiet("fish", &["-n"], &repo().join("completions/ipvsadm.fish"));
    }
}

#[test]
fn docs_man_pages_have_no_warnings() {
    if !checker(
        "docs_man_pages_have_no_warnings",
        "man",
        "man-db groff-base",
    ) {
        return;
    }
    for page in ["ipvsadm.8", "ipvsadm-save.8", "ipvsadm-restore.8"] {
        let file = repo().join("man").join(page);
        // man prints warnings on standard error but still exits 0.
        let out = Command::new("man")
            .args(["--warnings", "-l"])
            .arg(&file)
            .env("MANWIDTH", "80")
            .env("LC_ALL", "C.UTF-8")
            .output()
            .expect("run man");
        assert!(
            out.status.success() && out.stderr.is_empty(),
            "man --warnings -l {}: {}\n{}",
            file.display(),
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!out.stdout.is_empty(), "man printed nothing for {page}");
    }
}
