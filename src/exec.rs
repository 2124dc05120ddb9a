//! The executor: from argv to exit status, as ipvsadm's `main`,
//! `process_options` and `restore_table` run. It opens the one IPVS
//! connection, runs a typed command against it, hands the model to the
//! formatters and decides the exit status; `-h` and `-v` need no kernel.

use std::io::BufRead;

use crate::cli::parse::parse_invocation;
use crate::cli::quick;
use crate::cli::stream::{self, ConfigStream};
use crate::cli::{CliError, Command, DestArg, Format, Invocation, ListTarget, SvcArg};
use crate::format::errors::{ipvs_strerror, Op};
use crate::format::{self, conn, json, metrics, sort, usage, Names};
use crate::ipvs::client::{Batch, Refusal};
use crate::ipvs::family::{IpvsCmd, IpvsMessage};
use crate::ipvs::requests::{self, Change};
use crate::ipvs::{Client, Dest, Error, Info, Service, ServiceId, Stats};
use crate::resolve::{Resolver, System};
use crate::streams::Streams;

/// Where a command leaves the run: go on with a result (ipvsadm's
/// `process_options` return value), or stop the process now (its `exit`).
enum Flow {
    Result(i32),
    Exit(i32),
}

/// The IPVS connection and what GET_INFO said when it was opened, with
/// the buffers a listing reuses from one service to the next.
struct Kernel {
    client: Client,
    info: Info,
    dests: Vec<Dest>,
    text: String,
}

/// `modprobe_ipvs`.
fn modprobe_ipvs() -> bool {
    std::process::Command::new("/sbin/modprobe")
        .args(["--", "ip_vs"])
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

fn try_init() -> Result<Kernel, Error> {
    let mut client = Client::connect()?;
    let info = client.info()?;
    Ok(Kernel {
        client,
        info,
        dests: Vec::new(),
        text: String::new(),
    })
}

/// `ipvs_init` with the module loaded on demand, as ipvsadm's `main` does.
fn init() -> Result<Kernel, i32> {
    match try_init() {
        Ok(k) => Ok(k),
        Err(first) => {
            // As ipvsadm: try to load the module, then once more; if the
            // module cannot be loaded, the first failure is the one told.
            let again = if modprobe_ipvs() {
                try_init()
            } else {
                Err(first)
            };
            again.map_err(|e| init_errno(&e))
        }
    }
}

/// The errno libipvs is left with when `ipvs_init` fails: with no IPVS
/// family it falls back to a raw socket (EPERM for non-root) and the old
/// socket option (ENOPROTOOPT without IPVS).
fn init_errno(e: &Error) -> i32 {
    match e {
        Error::FamilyNotFound => {
            // SAFETY: geteuid has no preconditions.
            if unsafe { libc::geteuid() } != 0 {
                libc::EPERM
            } else {
                libc::ENOPROTOOPT
            }
        }
        e => e.errno(),
    }
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
    // Ours: what must work without IPVS and must not load its module.
    match command {
        Some(Command::Restore(mode)) if mode.validate && !mode.reconcile => {
            return crate::reconcile::validate_only(&program, stdin, &names, io);
        }
        Some(Command::Check { format }) => return crate::check::run(format, io),
        _ => {}
    }
    let parsed = parsed.map(|p| p.map(|inv| inv.command));
    let mut k = match init() {
        Ok(k) => k,
        Err(errno) => {
            io.err(&format!(
                "Can't initialize ipvs: {}\nAre you sure that IP Virtual Server is built in the kernel or as module?\n",
                ipvs_strerror(Op::Init, errno)
            ));
            return 2;
        }
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

/// `check_ipvs_version`: warn when the kernel's IPVS is older than 1.1.4.
fn check_version(info: &Info, io: &mut Streams) {
    if info.version < (1 << 16) + (1 << 8) + 4 {
        let (a, b, c) = info.version_triple();
        io.err(&format!(
            "Warning: IPVS version mismatch: \n  Kernel compiled with IPVS version {a}.{b}.{c}\n  ipvsadm v1.31  requires minimum IPVS version 1.1.4\n\n"
        ));
    }
}

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

/// `restore_table`: each line a whole command, in order; the status is the
/// last line's. Changes are sent many per datagram (see `Batch`); anything
/// that prints, and the end of input, first sends what is waiting, so that
/// messages come in the reference's order and listings see every earlier
/// line applied. A parse error stops the restore after the lines before it
/// were applied.
fn restore(
    program: &str,
    k: &mut Kernel,
    stdin: &mut dyn BufRead,
    names: &dyn Resolver,
    io: &mut Streams,
) -> Flow {
    let mut stream = ConfigStream::new(stdin);
    let mut pending = Pending::default();
    let mut result = 0;
    // One argument vector for every line, its strings reused.
    let mut words = vec![program.to_string()];
    loop {
        // A plain line of the shapes `-S -n` writes for a kube-proxy table
        // (nearly every line of a big restore) is read straight from its
        // text; others go through the argument vector and `parse`.
        pending.line += 1;
        let end = match stream.next_plain() {
            Ok(Some(line)) => match quick::parse_plain(line) {
                Some(cmd) => {
                    pending.queue(k, &cmd, &mut result, io);
                    continue;
                }
                None => stream::plain_words(line, &mut words, 1),
            },
            Ok(None) => match stream.next_line_into(&mut words, 1) {
                Ok(Some(end)) => end,
                _ => break,
            },
            Err(_) => break,
        };
        if end == 1 {
            continue;
        }
        let argv = &words[..end];
        let parsed = parse_restore_line(argv, names);
        if let Ok(cmd) = &parsed {
            if pending.queue(k, cmd, &mut result, io) {
                continue;
            }
        }
        pending.flush(k, &mut result, io);
        match run_parsed(parsed, program, k, None, names, io) {
            Flow::Result(r) => result = r,
            Flow::Exit(c) => return Flow::Exit(c),
        }
    }
    pending.flush(k, &mut result, io);
    if pending.lost {
        result = -1;
    }
    Flow::Result(result)
}

/// One line of `-R`, parsed; `--netns` (ours) is refused there, since the
/// restore runs in one namespace. The common kube-like lines take the
/// short cut of `cli::quick`.
pub(crate) fn parse_restore_line(
    argv: &[String],
    names: &dyn Resolver,
) -> Result<Command, CliError> {
    if let Some(cmd) = quick::parse_common(argv) {
        return Ok(cmd);
    }
    let inv = parse_invocation(argv, names)?;
    if inv.netns.is_some() {
        return Err(CliError::Fail(
            "The '--netns' option is not allowed in a restore line".into(),
        ));
    }
    Ok(inv.command)
}

/// Restore lines whose changes wait in a batch.
#[derive(Default)]
struct Pending {
    batch: Batch,
    /// The libipvs function of each change, by its tag, and the number of
    /// the line it came from.
    ops: Vec<(Op, usize)>,
    /// The number of the line being read (the first is 1).
    line: usize,
    /// Whether the kernel's answer to a change was lost: the restore then
    /// fails, whatever its last line did.
    lost: bool,
    /// Whether the last line read is the last change of the batch (its
    /// failure is then the restore's result).
    last_is_change: bool,
}

impl Pending {
    /// Queue the change a command makes, sending the batch when full;
    /// false for a command that is not a change.
    fn queue(&mut self, k: &mut Kernel, cmd: &Command, result: &mut i32, io: &mut Streams) -> bool {
        if let Some((op, change)) = quick_change(cmd) {
            self.push_change(k, op, &change);
        } else if let Some((op, msg)) = change_of(cmd) {
            self.push(k, op, &msg);
        } else {
            return false;
        }
        *result = 0;
        if self.batch.is_full() {
            self.flush(k, result, io);
        }
        true
    }

    fn push_change(&mut self, k: &mut Kernel, op: Op, change: &Change) {
        k.client
            .batch_push_change(&mut self.batch, change, self.ops.len());
        self.ops.push((op, self.line));
        self.last_is_change = true;
    }

    fn push(&mut self, k: &mut Kernel, op: Op, msg: &IpvsMessage) {
        k.client.batch_push(&mut self.batch, msg, self.ops.len());
        self.ops.push((op, self.line));
        self.last_is_change = true;
    }

    /// Send the batch; report each failed line as ipvsadm would have,
    /// in input order.
    fn flush(&mut self, k: &mut Kernel, result: &mut i32, io: &mut Streams) {
        if self.batch.is_empty() {
            self.last_is_change = false;
            return;
        }
        let failures = k.client.batch_flush(&mut self.batch);
        let last = self.ops.len() - 1;
        for (tag, refusal) in failures {
            match refusal {
                Refusal::Errno(errno) => {
                    io.err(&format!("{}\n", ipvs_strerror(self.ops[tag].0, errno)));
                }
                Refusal::Unknown => {
                    self.lost = true;
                    io.err(&format!(
                        "ipvsadm: the kernel's answer to line {} was lost (receive buffer overrun): it may or may not have been applied\n",
                        self.ops[tag].1
                    ));
                }
            }
            if tag == last && self.last_is_change {
                *result = -1;
            }
        }
        self.ops.clear();
        self.last_is_change = false;
    }
}

/// The change to one service or real server a command makes (nearly every
/// line of a restore), with the libipvs function whose error texts apply;
/// encoded without building its message. Other changes go by `change_of`.
fn quick_change(cmd: &Command) -> Option<(Op, Change<'_>)> {
    fn service(cmd: IpvsCmd, s: &SvcArg) -> Change<'_> {
        Change::Service {
            cmd,
            id: &s.id,
            cfg: &s.config,
        }
    }
    fn dest<'a>(cmd: IpvsCmd, s: &'a SvcArg, d: &'a DestArg) -> Change<'a> {
        Change::Dest {
            cmd,
            id: &s.id,
            cfg: &s.config,
            addr: &d.addr,
            port: d.port,
            dest: &d.config,
        }
    }
    Some(match cmd {
        Command::AddService(s) => (Op::AddService, service(IpvsCmd::NewService, s)),
        Command::EditService(s) => (Op::EditService, service(IpvsCmd::SetService, s)),
        Command::DelService(s) => (Op::DelService, service(IpvsCmd::DelService, s)),
        Command::AddDest(s, d) => (Op::AddDest, dest(IpvsCmd::NewDest, s, d)),
        Command::EditDest(s, d) => (Op::EditDest, dest(IpvsCmd::SetDest, s, d)),
        Command::DelDest(s, d) => (Op::DelDest, dest(IpvsCmd::DelDest, s, d)),
        _ => return None,
    })
}

/// The kernel request a command makes, with the libipvs function whose
/// error texts apply; `None` for commands that list or read.
pub(crate) fn change_of(cmd: &Command) -> Option<(Op, IpvsMessage)> {
    if let Some((op, change)) = quick_change(cmd) {
        return Some((op, change.message()));
    }
    Some(match cmd {
        Command::Flush => (Op::Flush, requests::flush()),
        Command::Zero(s) => (
            Op::Zero,
            requests::zero(s.as_ref().map(|s| (&s.id, &s.config))),
        ),
        Command::SetTimeout(t) => (Op::SetTimeout, requests::set_timeouts(t)),
        Command::StartDaemon(d) => (Op::StartDaemon, requests::start_daemon(d)),
        Command::StopDaemon(d) => (Op::StopDaemon, requests::stop_daemon(d)),
        _ => return None,
    })
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

fn execute(cmd: &Command, k: &mut Kernel, names: &dyn Resolver, io: &mut Streams) -> Flow {
    if let Some((op, msg)) = change_of(cmd) {
        return kernel_result(k.client.execute(&msg), op, io);
    }
    match cmd {
        Command::Save { format } => list_all(k, format, names, io),
        Command::List { target, format } => match target {
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

/// Print a listing's whole text; the listing succeeded.
fn out(io: &mut Streams, text: &str) -> Flow {
    io.out(text);
    Flow::Result(0)
}

/// The services, sorted unless `--nosort` (`list_all`'s fetching half).
fn sorted_services(
    k: &mut Kernel,
    format: &Format,
    io: &mut Streams,
) -> Result<Vec<Service>, Flow> {
    sorted(k.client.services(), sort::sort_services, format, io)
}

/// A dump of services, or the error ipvsadm prints for it; sorted unless
/// `--nosort`.
fn sorted<T>(
    dump: Result<Vec<T>, Error>,
    sort: fn(&mut [T]),
    format: &Format,
    io: &mut Streams,
) -> Result<Vec<T>, Flow> {
    let mut services = dump.map_err(|e| {
        io.err(&format!("{}\n", ipvs_strerror(Op::GetServices, e.errno())));
        Flow::Exit(1)
    })?;
    if !format.nosort {
        sort(&mut services);
    }
    Ok(services)
}

/// The one service `-t`/`-u`/`-f` names (`list_service`'s fetching half).
fn named_service(k: &mut Kernel, id: &ServiceId, io: &mut Streams) -> Result<Service, Flow> {
    k.client.service(id).map_err(|e| {
        io.err(&format!("{}\n", ipvs_strerror(Op::GetService, e.errno())));
        Flow::Exit(1)
    })
}

/// The real servers of one service, sorted unless `--nosort`, in the
/// listing's reused vector; give it back with `k.dests = ...` when done.
fn sorted_dests(
    k: &mut Kernel,
    svc: &Service,
    format: &Format,
    io: &mut Streams,
) -> Result<Vec<Dest>, Flow> {
    let mut dests = std::mem::take(&mut k.dests);
    if let Err(e) = k.client.dests_into(&svc.id, &mut dests) {
        io.err(&format!("{}\n", ipvs_strerror(Op::GetDests, e.errno())));
        return Err(Flow::Exit(1));
    }
    if !format.nosort {
        sort::sort_dests(&mut dests);
    }
    Ok(dests)
}

/// `print_service_entry`'s fetching half: the real servers of one service,
/// sorted unless `--nosort`, then the pure formatter.
fn service_entry(
    k: &mut Kernel,
    svc: &Service,
    format: &Format,
    names: &Names,
    io: &mut Streams,
) -> Result<(), Flow> {
    let dests = sorted_dests(k, svc, format, io)?;
    k.text.clear();
    format::service_entry(&mut k.text, svc, &dests, format, names);
    io.out(&k.text);
    k.dests = dests;
    Ok(())
}

/// The connection table's text, as ipvsadm reads it.
fn read_conn_file(io: &mut Streams) -> Result<String, Flow> {
    let path = conn::CONN_PROC_FILE;
    match std::fs::read(path) {
        Ok(t) => Ok(crate::raw::to_text(&t).into_owned()),
        Err(_) => {
            io.err(&format!("cannot open file {path}\n"));
            Err(Flow::Exit(1))
        }
    }
}

/// `list_conn`: the proc file, its first line skipped, each entry
/// re-printed.
fn list_conn(format: &Format, resolver: &dyn Resolver, io: &mut Streams) -> Flow {
    let text = match read_conn_file(io) {
        Ok(t) => t,
        Err(f) => return f,
    };
    let mut lines = text.split_inclusive('\n');
    if lines.next().is_none() {
        io.err(&format!("unexpected input from {}\n", conn::CONN_PROC_FILE));
        return Flow::Exit(1);
    }
    io.out(&conn::conn_title(format));
    let names = Names::new(resolver);
    for line in lines {
        match conn::conn_line(line, format, &names) {
            Some(l) => io.out(&l),
            None => return Flow::Exit(1),
        }
    }
    Flow::Result(0)
}

/// `list_all`. A listing that prints no counters holds the services
/// without them: half the memory, for the tens of thousands of services
/// it keeps until they are sorted.
fn list_all(k: &mut Kernel, format: &Format, resolver: &dyn Resolver, io: &mut Streams) -> Flow {
    if !format.rule {
        io.out(&format::header(&k.info));
    }
    let names = Names::new(resolver);
    let printed = if format.stats || format.rate {
        sorted_services(k, format, io).and_then(|services| {
            io.out(&format::title(format));
            services
                .iter()
                .try_for_each(|svc| service_entry(k, svc, format, &names, io))
        })
    } else {
        let dump = k.client.service_defs();
        sorted(dump, sort::sort_service_defs, format, io).and_then(|defs| {
            io.out(&format::title(format));
            defs.iter().try_for_each(|d| {
                let svc = d.with_stats(Stats::default());
                service_entry(k, &svc, format, &names, io)
            })
        })
    };
    match printed {
        Ok(()) => Flow::Result(0),
        Err(f) => f,
    }
}

/// `list_service`.
fn list_service(
    k: &mut Kernel,
    id: &ServiceId,
    format: &Format,
    resolver: &dyn Resolver,
    io: &mut Streams,
) -> Flow {
    let svc = match named_service(k, id, io) {
        Ok(s) => s,
        Err(f) => return f,
    };
    io.out(&format::title(format));
    let names = Names::new(resolver);
    match service_entry(k, &svc, format, &names, io) {
        Ok(()) => Flow::Result(0),
        Err(f) => f,
    }
}

/// Ours: `-L -j` of the table, or of the one service named: one JSON
/// document (see `format::json`), streamed service by service, in the
/// text listing's order.
fn list_json(k: &mut Kernel, one: Option<&ServiceId>, format: &Format, io: &mut Streams) -> Flow {
    let services = match listed_services(k, one, format, io) {
        Ok(s) => s,
        Err(f) => return f,
    };
    io.out(&json::list_open(&k.info));
    for (i, svc) in services.iter().enumerate() {
        let dests = match sorted_dests(k, svc, format, io) {
            Ok(d) => d,
            Err(f) => return f,
        };
        k.text.clear();
        if i > 0 {
            k.text.push(',');
        }
        k.text.push_str(&json::service(svc, &dests).to_string());
        io.out(&k.text);
        k.dests = dests;
    }
    io.out(json::LIST_CLOSE);
    Flow::Result(0)
}

/// The services `-j` and `--metrics` list: the table's, or the one named.
fn listed_services(
    k: &mut Kernel,
    one: Option<&ServiceId>,
    format: &Format,
    io: &mut Streams,
) -> Result<Vec<Service>, Flow> {
    match one {
        None => sorted_services(k, format, io),
        Some(id) => named_service(k, id, io).map(|s| vec![s]),
    }
}

/// Ours: `-L --metrics` of the table or one service (see
/// `format::metrics`): every service is fetched first, as the format
/// groups the samples of a metric together.
fn list_metrics(
    k: &mut Kernel,
    one: Option<&ServiceId>,
    format: &Format,
    io: &mut Streams,
) -> Flow {
    let services = match listed_services(k, one, format, io) {
        Ok(s) => s,
        Err(f) => return f,
    };
    let mut table = Vec::with_capacity(services.len());
    for svc in services {
        match sorted_dests(k, &svc, format, io) {
            Ok(d) => table.push((svc, d)),
            Err(f) => return f,
        }
    }
    out(io, &metrics::render(&k.info, &table))
}

/// Ours: `-c -j`.
fn list_conn_json(io: &mut Streams) -> Flow {
    let text = match read_conn_file(io) {
        Ok(t) => t,
        Err(f) => return f,
    };
    let entries: Vec<conn::ConnEntry> = text
        .split_inclusive('\n')
        .skip(1)
        .map_while(conn::scan_conn)
        .collect();
    io.out(&json::connections(&entries));
    Flow::Result(0)
}
