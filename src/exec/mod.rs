//! The executor: from argv to exit status, as ipvsadm's `main` and
//! `process_options` run: the dispatch from argv (and from the names
//! `ipvsadm-save` and `ipvsadm-restore`) to a command, and from a command
//! to a change, a listing or a feature; `-h` and `-v` need no kernel. Each
//! other file owns one thing: `kernel` the one IPVS connection and
//! ipvsadm's init errors, `list` the listings in text and JSON, `restore`
//! the `-R` batcher (`restore_table`), `conn` the connection file (`-c`),
//! `kube` the wiring of `--k8s`, `--owner` and `--migrate`, `cluster`
//! where the cluster's objects come from (files or the API server),
//! `migrate` ownership's facts and `--cleanup-kube-proxy`.
//! `watch` the loop of `--watch` and `--changes`.

mod cluster;
mod conn;
#[cfg(feature = "kube")]
mod exporter;
mod kernel;
mod kube;
mod kubeproxy;
mod list;
mod migrate;
mod restore;
mod snapshot;
mod watch;

use std::io::BufRead;

use crate::change::change_of;
use crate::cli::parse::parse_invocation;
use crate::cli::{usage, CliError, Command, Invocation, ListTarget};
use crate::format::errors::{ipvs_strerror, Op};
use crate::format::{self, json, Format};
use crate::ipvs::Error;
use crate::resolve::{Resolver, System};
use crate::streams::Streams;
use conn::{list_conn, list_conn_json};
use kernel::{check_version, Kernel};
use list::{list_all, list_json, list_metrics, list_service, out};
use restore::restore;

/// Where a command leaves the run: go on with a result (ipvsadm's
/// `process_options` return value), or stop the process now (its `exit`).
enum Flow {
    Result(i32),
    Exit(i32),
}

/// Run ipvsadm with this argv; returns the exit status, with standard
/// output flushed. Called as `ipvsadm-save` or `ipvsadm-restore` (a link
/// to this binary), it does what Debian's scripts of those names do.
pub fn run(argv: &[String], stdin: &mut dyn BufRead, io: &mut Streams) -> i32 {
    let program = argv.first().cloned().unwrap_or_else(|| "ipvsadm".into());
    let base = program.rsplit('/').next().unwrap_or(&program).to_string();
    let code = match base.as_str() {
        "ipvsadm-save" => save_script(&base, argv, stdin, io),
        "ipvsadm-restore" => restore_script(stdin, io),
        _ => run_ipvsadm(argv, stdin, io),
    };
    // Ours: a failed write of standard output is told, and decides the
    // status (see `streams`).
    io.finish(&base, code)
}

/// Debian's `ipvsadm-save`: `-n` asks for numbers, any other word that
/// starts with a dash prints its help and exits 1, other words are
/// ignored; then `ipvsadm -S [-n]`.
fn save_script(base: &str, argv: &[String], stdin: &mut dyn BufRead, io: &mut Streams) -> i32 {
    let mut numeric = false;
    for a in &argv[1..] {
        if a == "-n" {
            numeric = true;
        } else if a.starts_with('-') {
            io.err(&format!(
                "{base}: Script to save the IPVS table to stdout.\n   With the -n option, prints out the table in numeric format.\n"
            ));
            return 1;
        }
    }
    let mut args = vec!["ipvsadm".to_string(), "-S".to_string()];
    if numeric {
        args.push("-n".to_string());
    }
    run_ipvsadm(&args, stdin, io)
}

/// Debian's `ipvsadm-restore`: standard input without its lines that
/// start with `#` (and, as the shell's `$(...)` does, without its final
/// newlines, one newline put back), then `ipvsadm -C` and `ipvsadm -R` on
/// it; the status is the restore's. Its arguments are ignored.
fn restore_script(stdin: &mut dyn BufRead, io: &mut Streams) -> i32 {
    let mut input = Vec::new();
    let _ = stdin.read_to_end(&mut input);
    let mut kept: Vec<u8> = Vec::with_capacity(input.len());
    for line in input.split_inclusive(|b| *b == b'\n') {
        if !line.starts_with(b"#") {
            kept.extend_from_slice(line);
        }
    }
    while kept.last() == Some(&b'\n') {
        kept.pop();
    }
    kept.push(b'\n');
    let ipvsadm = |args: &[&str]| -> Vec<String> { args.iter().map(|s| s.to_string()).collect() };
    run_ipvsadm(&ipvsadm(&["ipvsadm", "-C"]), &mut std::io::empty(), io);
    run_ipvsadm(&ipvsadm(&["ipvsadm", "-R"]), &mut &kept[..], io)
}

fn run_ipvsadm(argv: &[String], stdin: &mut dyn BufRead, io: &mut Streams) -> i32 {
    let program = argv.first().cloned().unwrap_or_else(|| "ipvsadm".into());
    let names = System::new();
    let parsed = if argv.len() > 1 {
        Some(parse_invocation(argv, &names))
    } else {
        None
    };
    let command = match &parsed {
        Some(Ok(inv)) => Some(&inv.command),
        _ => None,
    };
    // A deliberate difference: -h and -v work without IPVS in the kernel.
    match command {
        Some(Command::Help) => {
            io.out(&usage::usage(&program));
            return 0;
        }
        Some(Command::Version) => {
            io.out(usage::VERSION_LINE);
            return 0;
        }
        _ => {}
    }
    // Ours: the namespace is entered before any socket is opened.
    if let Some(Ok(Invocation {
        netns: Some(ns), ..
    })) = &parsed
    {
        if let Err(m) = crate::netns::enter(ns) {
            io.err(&format!("{m}\n"));
            return 2;
        }
    }
    // Ours: --exporter, which runs until it is stopped.
    if let Some(Ok(Invocation {
        command: Command::Exporter(args),
        kube,
        ..
    })) = &parsed
    {
        let kube = kube.clone().unwrap_or_default();
        let code = run_exporter(args, &kube, &program, io);
        io.flush();
        return code & 0xff;
    }
    // Ours: --k8s, --owner, --migrate and --cleanup-kube-proxy.
    if let Some(Ok(Invocation { command, kube, .. })) = &parsed {
        let kube = kube.clone().unwrap_or_default();
        if let Some(code) = kube::run(command, &kube, &program, stdin, &names, io) {
            io.flush();
            return code & 0xff;
        }
    }
    // Ours: what must work without IPVS and must not load its module.
    match command {
        Some(Command::Restore(mode)) if mode.validate && !mode.reconcile => {
            return crate::reconcile::validate_only(&program, stdin, &names, io);
        }
        Some(Command::Check { format }) => return crate::check::run(format, io),
        _ => {}
    }
    let parsed = parsed.map(|p| p.map(|inv| inv.command));
    let mut k = match kernel::open(io) {
        Ok(k) => k,
        Err(code) => return code,
    };
    check_version(&k.info, io);
    let flow = match parsed {
        None => list_all(&mut k, &Format::default(), &names, io),
        Some(p) => run_parsed(p, &program, &mut k, Some(stdin), &names, io),
    };
    let code = match flow {
        Flow::Result(r) | Flow::Exit(r) => r,
    };
    io.flush();
    code & 0xff
}

/// One parsed command (or a line of `-R`), run as ipvsadm's
/// `process_options` runs it; a parse error is told here.
fn run_parsed(
    parsed: Result<Command, CliError>,
    program: &str,
    k: &mut Kernel,
    stdin: Option<&mut dyn BufRead>,
    names: &dyn Resolver,
    io: &mut Streams,
) -> Flow {
    match parsed {
        Ok(Command::Help) => {
            io.out(&usage::usage(program));
            Flow::Exit(0)
        }
        Ok(Command::Version) => {
            io.out(usage::VERSION_LINE);
            Flow::Exit(0)
        }
        // ipvsadm refuses -R inside -R ("avoid infinite loop").
        Ok(Command::Restore(mode)) => match stdin {
            Some(input) if mode.reconcile => Flow::Result(crate::reconcile::reconcile(
                program,
                &mut k.client,
                input,
                names,
                mode.validate,
                io,
            )),
            Some(input) => restore(program, k, input, names, io),
            None => {
                io.err(&CliError::TryHelp.message(program));
                Flow::Exit(255)
            }
        },
        Ok(Command::Check { format }) => Flow::Result(crate::check::run(&format, io)),
        Ok(cmd) => execute(&cmd, k, names, io),
        Err(e @ CliError::Popt { .. }) => {
            io.err(&e.message(program));
            Flow::Result(-1)
        }
        // ipvsadm dies of SIGSEGV here (`parse_sched_flags` on a flags
        // argument of only commas): no message, and what it had buffered
        // for standard output is lost, so nothing is flushed.
        Err(CliError::Crash) => {
            // SAFETY: restoring a signal's default action and raising it
            // have no preconditions.
            unsafe {
                libc::signal(libc::SIGSEGV, libc::SIG_DFL);
                libc::raise(libc::SIGSEGV);
            }
            Flow::Exit(CliError::Crash.exit_code())
        }
        Err(e) => {
            io.err(&e.message(program));
            Flow::Exit(e.exit_code())
        }
    }
}

fn kernel_result(r: Result<(), Error>, op: Op, io: &mut Streams) -> Flow {
    match r {
        Ok(()) => Flow::Result(0),
        Err(e) => {
            io.err(&format!("{}\n", ipvs_strerror(op, e.errno())));
            Flow::Result(-1)
        }
    }
}

/// `process_options`'s switch on the command: a change, or a listing.
fn execute(cmd: &Command, k: &mut Kernel, names: &dyn Resolver, io: &mut Streams) -> Flow {
    if let Some((op, msg)) = change_of(cmd) {
        return kernel_result(k.client.execute(&msg), op, io);
    }
    match cmd {
        Command::Save { format } => list_all(k, format, names, io),
        Command::List { target, format } => match target {
            ListTarget::All if format.watch.is_some() => {
                watch::watch(k, None, format, Default::default(), io)
            }
            ListTarget::Service(id) if format.watch.is_some() => {
                watch::watch(k, Some(id), format, Default::default(), io)
            }
            ListTarget::All if format.json => list_json(k, None, format, io),
            ListTarget::Service(id) if format.json => list_json(k, Some(id), format, io),
            ListTarget::All if format.metrics => list_metrics(k, None, format, io),
            ListTarget::Service(id) if format.metrics => list_metrics(k, Some(id), format, io),
            ListTarget::All => list_all(k, format, names, io),
            ListTarget::Service(id) => list_service(k, id, format, names, io),
            ListTarget::Timeout => match k.client.timeouts() {
                Ok(t) if format.json => out(io, &json::timeouts(&t)),
                Ok(t) => out(io, &format::timeouts(&t)),
                Err(_) => Flow::Exit(1),
            },
            ListTarget::Daemon => match k.client.daemons() {
                Ok(d) if format.json => out(io, &json::daemons(&d)),
                Ok(d) => out(io, &format::daemons(&d)),
                Err(_) => Flow::Exit(1),
            },
            ListTarget::Connections if format.json => list_conn_json(io),
            ListTarget::Connections => list_conn(format, names, io),
        },
        _ => Flow::Result(0),
    }
}

#[cfg(feature = "kube")]
fn run_exporter(
    args: &crate::cli::ExporterArgs,
    kube: &crate::cli::KubeArgs,
    program: &str,
    io: &mut Streams,
) -> i32 {
    exporter::run(args, kube, program, io)
}

#[cfg(not(feature = "kube"))]
fn run_exporter(
    _: &crate::cli::ExporterArgs,
    _: &crate::cli::KubeArgs,
    program: &str,
    io: &mut Streams,
) -> i32 {
    let program = program.rsplit('/').next().unwrap_or(program);
    io.err(&format!(
        "{program}: --exporter: this ipvsadm was built without the API server's client \
         (cargo build --features kube)\n"
    ));
    2
}

#[cfg(test)]
mod tests {
    use std::io;

    use super::*;
    use crate::streams::tests::FailAfter;
    use crate::streams::WRITE_ERROR_STATUS;

    #[test]
    fn a_run_cut_short_anywhere_is_told_once() {
        // `-h` needs no kernel: its text cut after any number of bytes.
        let argv: Vec<String> = ["ipvsadm", "-h"].map(String::from).into();
        let whole = usage::usage("ipvsadm");
        for room in (0..whole.len()).step_by(37) {
            let (mut out, mut err) = (FailAfter::new(room, libc::ENOSPC), Vec::new());
            let mut io = Streams::new(&mut out, &mut err);
            let code = run(&argv, &mut io::empty(), &mut io);
            assert_eq!(code, WRITE_ERROR_STATUS, "cut after {room}");
            assert_eq!(out.written, whole.as_bytes()[..room], "cut after {room}");
            assert_eq!(
                String::from_utf8(err).unwrap(),
                "ipvsadm: write error: No space left on device\n"
            );
        }
    }
}
