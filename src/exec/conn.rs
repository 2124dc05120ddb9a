//! `-c` (ipvsadm's `list_conn`): the kernel's connection file,
//! `/proc/net/ip_vs_conn`, read whole and each entry re-printed; and ours,
//! `-c -j`.

use super::Flow;
use crate::format::Format;
use crate::format::{conn, json, Names};
use crate::resolve::Resolver;
use crate::streams::Streams;

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
pub(super) fn list_conn(format: &Format, resolver: &dyn Resolver, io: &mut Streams) -> Flow {
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

/// Ours: `-c -j`.
pub(super) fn list_conn_json(io: &mut Streams) -> Flow {
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
