//! `-R --validate` and `-R --reconcile` (ours): restores that cannot leave
//! a half-applied or empty table. Validation reads the whole input, line by
//! line as `-R` would, and reports every bad line with its number without
//! touching the kernel. Reconciling takes a saved table (`-S` output),
//! compares it with the live one and makes the fewest changes, never a
//! flush. The plan and its apply are the IPVS library's (`ipvs::plan`,
//! batched); here are ipvsadm's parts: the input read as `-R` reads it,
//! the comparison as `-Sn` writes, and the changes told as commands.

use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::io::BufRead;

use crate::cli::restore_line::parse_restore_line;
use crate::cli::stream::ConfigStream;
use crate::cli::{CliError, Command, DestArg, SvcArg};
use crate::format::errors::{ipvs_strerror, Op};
use crate::format::{self, Format, Names};
use crate::ipvs::batch::Refusal;
use crate::ipvs::client::TableError;
pub use crate::ipvs::plan::Change;
use crate::ipvs::plan::{self, plan_by, Compare};
use crate::ipvs::{Client, Dest, Service, ServiceId, Stats};
use crate::resolve::{Resolver, Table};
use crate::streams::Streams;

/// One line of input that holds a command, with its number (from 1), as
/// the argument vector `-R` would parse (the program's name first).
struct Line {
    number: usize,
    argv: Vec<String>,
}

/// The input's lines that are commands: blank lines and `#` comments are
/// skipped (unlike plain `-R`, for which `#` is an error); each is split
/// into words as `-R` splits them.
fn command_lines(program: &str, input: &mut dyn BufRead) -> std::io::Result<Vec<Line>> {
    let mut text = Vec::new();
    input.read_to_end(&mut text)?;
    let mut lines = Vec::new();
    for (i, raw) in text.split(|b| *b == b'\n').enumerate() {
        let trimmed = raw.trim_ascii_start();
        if trimmed.is_empty() || trimmed.starts_with(b"#") {
            continue;
        }
        let mut stream = ConfigStream::new(raw);
        let mut argv = vec![program.to_string()];
        let mut end = 1;
        while let Ok(Some(e)) = stream.next_line_into(&mut argv, end) {
            end = e;
        }
        if end > 1 {
            argv.truncate(end);
            lines.push(Line {
                number: i + 1,
                argv,
            });
        }
    }
    Ok(lines)
}

/// `command_lines`, a read failure told on standard error.
fn read_command_lines(
    program: &str,
    input: &mut dyn BufRead,
    io: &mut Streams,
) -> Option<Vec<Line>> {
    command_lines(program, input)
        .map_err(|e| io.err(&format!("cannot read the input: {e}\n")))
        .ok()
}

/// What a refused line says, on one line.
fn refusal(e: &CliError, program: &str) -> String {
    match e {
        CliError::Crash => "ipvsadm 1.31 crashes on this line (sched flags of only commas)".into(),
        e => e.message(program).trim_end().to_string(),
    }
}

/// A line parsed as `-R` would, or its refusal.
fn parse_line(program: &str, line: &Line, names: &dyn Resolver) -> Result<Command, String> {
    match parse_restore_line(&line.argv, names) {
        Ok(Command::Restore(_)) => Err(refusal(&CliError::TryHelp, program)),
        Ok(c) => Ok(c),
        Err(e) => Err(refusal(&e, program)),
    }
}

fn report(io: &mut Streams, number: usize, msg: &str) {
    io.err(&format!("line {number}: {msg}\n"));
}

/// `-R --validate`: every bad line reported; status 1 if any.
pub fn validate_only(
    program: &str,
    input: &mut dyn BufRead,
    names: &dyn Resolver,
    io: &mut Streams,
) -> i32 {
    let Some(lines) = read_command_lines(program, input, io) else {
        return 1;
    };
    let mut bad = 0;
    for line in &lines {
        if let Err(m) = parse_line(program, line, names) {
            report(io, line.number, &m);
            bad += 1;
        }
    }
    i32::from(bad > 0)
}

/// The table an input asks for: services in input order, each with its
/// real servers.
#[derive(Debug, Default)]
pub struct Desired {
    pub services: Vec<(SvcArg, Vec<DestArg>)>,
}

/// Read a saved table; every bad line is reported and then `None`.
fn desired_table(
    program: &str,
    lines: &[Line],
    names: &dyn Resolver,
    io: &mut Streams,
) -> Option<Desired> {
    let mut table = Desired::default();
    let mut index: HashMap<ServiceId, usize> = HashMap::new();
    let mut bad = 0;
    for line in lines {
        let problem = match parse_line(program, line, names) {
            Err(m) => Some(m),
            Ok(Command::AddService(s)) => {
                let next = table.services.len();
                match index.entry(s.id) {
                    Entry::Occupied(_) => Some("the service is given twice".to_string()),
                    Entry::Vacant(v) => {
                        v.insert(next);
                        table.services.push((s, Vec::new()));
                        None
                    }
                }
            }
            Ok(Command::AddDest(s, d)) => match index.get(&s.id) {
                None => Some("a real server of a service that no earlier -A line adds".into()),
                Some(&i) => {
                    let dests = &mut table.services[i].1;
                    if dests.iter().any(|x| x.addr == d.addr && x.port == d.port) {
                        Some("the real server is given twice".into())
                    } else {
                        dests.push(d);
                        None
                    }
                }
            },
            Ok(_) => Some("only -A and -a lines (as -S writes them) can be reconciled".into()),
        };
        if let Some(m) = problem {
            report(io, line.number, &m);
            bad += 1;
        }
    }
    (bad == 0).then_some(table)
}

fn service_of(s: &SvcArg) -> Service {
    Service {
        id: s.id,
        config: s.config,
        stats: Stats::default(),
    }
}

fn dest_of(d: &DestArg) -> Dest {
    Dest {
        addr: d.addr,
        port: d.port,
        config: d.config,
        conns: Default::default(),
        stats: Stats::default(),
    }
}

const RULES: Format = crate::format::RULES_NUMERIC;

/// A service and its servers as `-Sn` writes them: the service's line,
/// then each server's line with its thresholds where they are set (`-S`
/// leaves them out).
fn rule_lines(svc: &Service, dests: &[Dest]) -> (String, Vec<String>) {
    let empty = Table::default();
    let names = Names::new(&empty);
    let mut text = String::new();
    format::service_entry(&mut text, svc, dests, &RULES, &names);
    let mut lines = text.lines().map(str::to_string);
    let head = lines.next().unwrap_or_default();
    let servers = lines
        .zip(dests)
        .map(|(l, d)| {
            let mut l = l.to_string();
            if d.config.u_threshold != 0 {
                l.push_str(&format!(" -x {}", d.config.u_threshold));
            }
            if d.config.l_threshold != 0 {
                l.push_str(&format!(" -y {}", d.config.l_threshold));
            }
            l
        })
        .collect();
    (head, servers)
}

/// Services and servers compared as `-Sn` writes them (and their
/// thresholds, which `-S` leaves out).
struct SavedLines;

impl Compare for SavedLines {
    type Service = String;
    type Dest = String;

    fn view(&self, service: &Service, dests: &[Dest]) -> (String, Vec<String>) {
        rule_lines(service, dests)
    }
}

/// The fewest changes that turn `live` into `want`, in the library's
/// order that never leaves a kept service without servers
/// (`ipvs::plan::plan_by`). Two services or servers are the same when
/// `-Sn` writes them alike (and their thresholds agree): what `-S` does
/// not show is not compared.
pub fn plan(want: &Desired, live: &LiveTable) -> Vec<Change> {
    let want: LiveTable = want
        .services
        .iter()
        .map(|(s, ds)| (service_of(s), ds.iter().map(dest_of).collect()))
        .collect();
    plan_by(&want, live, &SavedLines)
}

/// A change as the ipvsadm command that makes it (numeric, as `-Sn`).
pub fn command_line(c: &Change) -> String {
    let with = |svc: &Service, d: Option<&Dest>| {
        let dests: Vec<Dest> = d.into_iter().cloned().collect();
        rule_lines(svc, &dests)
    };
    // "-A <svc> ..." and "-a <svc> -r <server> ...": the service's and the
    // server's names are the words after the switch.
    let name_of = |head: &str| -> String {
        let rest = head.strip_prefix("-A ").unwrap_or(head);
        match rest.find(" -s ") {
            Some(i) => rest[..i].to_string(),
            None => rest.to_string(),
        }
    };
    match c {
        Change::AddService(s) => with(s, None).0,
        Change::EditService(s) => format!("-E{}", &with(s, None).0[2..]),
        Change::DelService(s) => format!("-D {}", name_of(&with(s, None).0)),
        Change::AddDest(s, d) => with(s, Some(d)).1.remove(0),
        Change::EditDest(s, d) => format!("-e{}", &with(s, Some(d)).1.remove(0)[2..]),
        Change::DelDest(s, d) => {
            let (head, mut lines) = with(s, Some(d));
            let line = lines.remove(0);
            let server = line
                .split(" -r ")
                .nth(1)
                .and_then(|r| r.split(' ').next())
                .unwrap_or_default()
                .to_string();
            format!("-d {} -r {server}", name_of(&head))
        }
    }
}

/// Every service of a table with its real servers.
pub type LiveTable = plan::Table;

/// What `-R` calls the libipvs function a change is made by, for its
/// error texts.
fn op_of(c: &Change) -> Op {
    match c {
        Change::AddService(_) => Op::AddService,
        Change::EditService(_) => Op::EditService,
        Change::DelService(_) => Op::DelService,
        Change::AddDest(..) => Op::AddDest,
        Change::EditDest(..) => Op::EditDest,
        Change::DelDest(..) => Op::DelDest,
    }
}

/// `-R --reconcile` (with `plan_only`, also `--validate`): status 0 when
/// the table matches the input at the end (or, planning only, when the
/// input is good), 1 otherwise.
pub fn reconcile(
    program: &str,
    client: &mut Client,
    input: &mut dyn BufRead,
    names: &dyn Resolver,
    plan_only: bool,
    io: &mut Streams,
) -> i32 {
    let Some(lines) = read_command_lines(program, input, io) else {
        return 1;
    };
    let Some(want) = desired_table(program, &lines, names, io) else {
        io.err("nothing was changed\n");
        return 1;
    };
    let live = match client.table() {
        Ok(t) => t,
        Err(e) => {
            let op = match e {
                TableError::Services(_) => Op::GetServices,
                TableError::Dests(_) => Op::GetDests,
            };
            io.err(&format!("{}\n", ipvs_strerror(op, e.into_error().errno())));
            return 1;
        }
    };
    let changes = plan(&want, &live);
    for c in &changes {
        io.out(&format!("{}\n", command_line(c)));
    }
    if plan_only || changes.is_empty() {
        return 0;
    }
    let failures = client.apply(&changes);
    for f in &failures {
        let c = &changes[f.index];
        let why = match f.refusal {
            Refusal::Errno(errno) => ipvs_strerror(op_of(c), errno),
            Refusal::Unknown => {
                "the kernel's answer was lost (receive buffer overrun): it may or may not have been applied".into()
            }
        };
        io.err(&format!("{}: {why}\n", command_line(c)));
    }
    i32::from(!failures.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ipvs::model::svc_flags;

    fn streams_run<T>(f: impl FnOnce(&mut Streams) -> T) -> (T, String) {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let r = {
            let mut io = Streams::new(&mut out, &mut err);
            f(&mut io)
        };
        out.extend_from_slice(&err);
        (r, String::from_utf8(out).unwrap())
    }

    fn desired(text: &str) -> Desired {
        let lines = command_lines("ipvsadm", &mut text.as_bytes()).unwrap();
        let (d, msgs) = streams_run(|io| desired_table("ipvsadm", &lines, &Table::default(), io));
        d.unwrap_or_else(|| panic!("refused: {msgs}"))
    }

    /// A live table as the kernel reports it (services hashed).
    fn live(text: &str) -> Vec<(Service, Vec<Dest>)> {
        desired(text)
            .services
            .iter()
            .map(|(s, ds)| {
                let mut svc = service_of(s);
                svc.config.flags |= svc_flags::HASHED;
                (svc, ds.iter().map(dest_of).collect())
            })
            .collect()
    }

    fn planned(want: &str, have: &str) -> Vec<String> {
        plan(&desired(want), &live(have))
            .iter()
            .map(command_line)
            .collect()
    }

    const TABLE: &str = "\
# a comment
-A -t 10.96.0.1:443 -s rr
-a -t 10.96.0.1:443 -r 192.168.0.10:6443 -m -w 1

-A -u 10.96.0.10:53 -s rr
-a -u 10.96.0.10:53 -r 10.244.1.2:53 -m -w 1
-a -u 10.96.0.10:53 -r 10.244.1.3:53 -m -w 1
-A -f 7 -s wlc -p 300
";

    #[test]
    fn an_unchanged_table_needs_nothing() {
        assert!(planned(TABLE, TABLE).is_empty());
    }

    #[test]
    fn an_empty_table_is_built_service_then_servers() {
        assert_eq!(
            planned(TABLE, ""),
            [
                "-A -t 10.96.0.1:443 -s rr",
                "-a -t 10.96.0.1:443 -r 192.168.0.10:6443 -m -w 1",
                "-A -u 10.96.0.10:53 -s rr",
                "-a -u 10.96.0.10:53 -r 10.244.1.2:53 -m -w 1",
                "-a -u 10.96.0.10:53 -r 10.244.1.3:53 -m -w 1",
                "-A -f 7 -s wlc -p 300",
            ]
        );
    }

    #[test]
    fn edits_additions_and_removals_in_a_safe_order() {
        let want = "\
-A -t 10.96.0.1:443 -s wrr
-a -t 10.96.0.1:443 -r 192.168.0.10:6443 -m -w 5
-a -t 10.96.0.1:443 -r 192.168.0.11:6443 -m -w 1
-A -u 10.96.0.10:53 -s rr
-a -u 10.96.0.10:53 -r 10.244.1.3:53 -m -w 1
-A -t 10.96.0.20:80 -s rr
-a -t 10.96.0.20:80 -r 10.244.1.9:8080 -m -w 1 -x 10 -y 5
";
        assert_eq!(
            planned(want, TABLE),
            [
                "-A -t 10.96.0.20:80 -s rr",
                "-a -t 10.96.0.20:80 -r 10.244.1.9:8080 -m -w 1 -x 10 -y 5",
                "-E -t 10.96.0.1:443 -s wrr",
                "-e -t 10.96.0.1:443 -r 192.168.0.10:6443 -m -w 5",
                "-a -t 10.96.0.1:443 -r 192.168.0.11:6443 -m -w 1",
                "-d -u 10.96.0.10:53 -r 10.244.1.2:53",
                "-D -f 7",
            ]
        );
    }

    #[test]
    fn thresholds_count_although_save_omits_them() {
        let have = "-A -t 10.0.0.1:80 -s rr\n-a -t 10.0.0.1:80 -r 10.1.0.1:80 -m -w 1 -x 10\n";
        let want = "-A -t 10.0.0.1:80 -s rr\n-a -t 10.0.0.1:80 -r 10.1.0.1:80 -m -w 1\n";
        assert_eq!(
            planned(want, have),
            ["-e -t 10.0.0.1:80 -r 10.1.0.1:80 -m -w 1"]
        );
    }

    #[test]
    fn ipv6_and_tunnels_round_trip() {
        let t = "\
-A -t [2001:db8::1]:80 -s sh -b sh-port
-a -t [2001:db8::1]:80 -r [2001:db8::10]:80 -i -w 1 --tun-type gue --tun-port 6080 --tun-csum
-a -t [2001:db8::1]:80 -r 10.0.0.5:80 -i -w 2 --tun-type ipip
";
        assert!(planned(t, t).is_empty());
        assert_eq!(planned("", t), ["-D -t [2001:db8::1]:80"]);
    }

    #[test]
    fn bad_lines_are_all_reported_with_numbers() {
        let text = "\
-A -t 10.0.0.1:80 -s rr
# fine
-a -t 10.0.0.1:80 -r 10.1.0.1:80 -w 1 -w 2
-A -t 10.0.0.1:80 -s rr
-a -t 10.0.0.9:80 -r 10.1.0.1:80
-C
-A -t 10.0.0.2:80 --bogus
";
        let lines = command_lines("ipvsadm", &mut text.as_bytes()).unwrap();
        let (d, msgs) = streams_run(|io| desired_table("ipvsadm", &lines, &Table::default(), io));
        assert!(d.is_none());
        assert_eq!(
            msgs,
            "line 3: multiple 'weight' options specified\n\
             line 4: the service is given twice\n\
             line 5: a real server of a service that no earlier -A line adds\n\
             line 6: only -A and -a lines (as -S writes them) can be reconciled\n\
             line 7: --bogus: unknown option\n"
        );
    }

    #[test]
    fn validate_only_reports_every_bad_line() {
        let text =
            "-A -t 10.0.0.1:80\n-R\n-L --netns x\n# -Q\n-a -t 10.0.0.1:80 -r 1.2.3.4 -m\n-Q\n";
        let (rc, msgs) =
            streams_run(|io| validate_only("ipvsadm", &mut text.as_bytes(), &Table::default(), io));
        assert_eq!(rc, 1);
        assert_eq!(
            msgs,
            "line 2: Try `ipvsadm -h' or 'ipvsadm --help' for more information.\n\
             line 3: The '--netns' option is not allowed in a restore line\n\
             line 6: Try `ipvsadm -h' or 'ipvsadm --help' for more information.\n"
        );
        let (rc, msgs) = streams_run(|io| {
            validate_only("ipvsadm", &mut TABLE.as_bytes(), &Table::default(), io)
        });
        assert_eq!((rc, msgs.as_str()), (0, ""));
    }
}
