//! The `ipvsadm` binary: collect the arguments, run, exit with the status.
//! It owns the process-wide things: SIGPIPE, the exit code, and the edges
//! where bytes become text and back (`raw`): arguments that are not
//! UTF-8 are carried byte for byte and written out as they came.

use std::io;
use std::os::unix::ffi::OsStrExt;

use ipvsadm::raw;

fn main() {
    // ipvsadm dies of SIGPIPE when its reader goes away; so do we, rather
    // than report a write error.
    // SAFETY: restoring a signal's default action has no preconditions.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let argv: Vec<String> = std::env::args_os()
        .map(|a| raw::to_text(a.as_bytes()).into_owned())
        .collect();
    let stdout = io::stdout();
    let mut out = raw::Unescape(io::BufWriter::with_capacity(64 * 1024, stdout.lock()));
    let mut err = raw::Unescape(io::stderr());
    let stdin = io::stdin();
    let mut input = stdin.lock();
    let code = {
        let mut streams = ipvsadm::streams::Streams::new(&mut out, &mut err);
        ipvsadm::exec::run(&argv, &mut input, &mut streams)
    };
    // `run` flushed standard output and told a failure; what a failed
    // write left in the buffer stays there (exit does not drop it).
    std::process::exit(code);
}
