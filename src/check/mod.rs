//! `--check` (ours): the node check for kube-proxy's IPVS mode.
//! PLACEHOLDER until the check lands: it reports that it is not built.

use crate::cli::Format;
use crate::exec::Streams;

pub fn run(_format: &Format, io: &mut Streams) -> i32 {
    let _ = io.err.write_all(b"--check: not built yet\n");
    2
}
