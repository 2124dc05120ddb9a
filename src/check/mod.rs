//! `--check` (ours): the node check for kube-proxy's IPVS mode. Gathers
//! facts (`facts`, `rtnl`), judges them (`eval`, pure) and prints the
//! report (`format::check`, pure). It runs before, and instead of, the
//! IPVS initialisation of other commands: it changes nothing and loads
//! no module.

pub mod eval;
pub mod facts;
pub mod rtnl;
#[cfg(test)]
mod tests;

use crate::check_report::Report;
use crate::format::check;
use crate::format::Format;
use crate::streams::{Streams, WRITE_ERROR_STATUS};

/// Run the check; the exit status: 0 when nothing needs attention, 1
/// when something does, 2 when the report could not be written (told
/// as any failed write is, by `Streams::finish`).
pub fn run(format: &Format, io: &mut Streams) -> i32 {
    print(&eval::evaluate(&facts::gather(false)), format, io)
}

/// Print a report (one gathered here, or one a caller added findings
/// to); the exit status as `run`'s.
pub fn print(report: &Report, format: &Format, io: &mut Streams) -> i32 {
    let text = if format.json {
        check::document(report)
    } else {
        check::human(report)
    };
    io.out(&text);
    io.flush();
    if io.write_failed() {
        WRITE_ERROR_STATUS
    } else {
        report.exit_status()
    }
}
