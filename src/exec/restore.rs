//! `-R`: ipvsadm's `restore_table`, its lines read one by one, their
//! changes sent many per datagram (`Pending`, a `Batch` of the client) and
//! each refusal told as the reference tells it, in input order.

use std::io::BufRead;

use super::kernel::Kernel;
use super::{run_parsed, Flow};
use crate::change::{change_of, quick_change};
use crate::cli::quick;
use crate::cli::restore_line::parse_restore_line;
use crate::cli::stream::{self, ConfigStream};
use crate::cli::Command;
use crate::format::errors::{ipvs_strerror, Op};
use crate::ipvs::batch::{Batch, Refusal};
use crate::ipvs::family::IpvsMessage;
use crate::ipvs::requests::Change;
use crate::resolve::Resolver;
use crate::streams::Streams;

/// `restore_table`: each line a whole command, in order; the status is the
/// last line's. Changes are sent many per datagram (see `Batch`); anything
/// that prints, and the end of input, first sends what is waiting, so that
/// messages come in the reference's order and listings see every earlier
/// line applied. A parse error stops the restore after the lines before it
/// were applied.
pub(super) fn restore(
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
