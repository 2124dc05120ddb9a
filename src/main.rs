//! The `ipvsadm` binary: collect the arguments, run, exit with the status.
//! It owns the process-wide things: SIGPIPE and the exit code.

use std::io;

fn main() {
    // ipvsadm dies of SIGPIPE when its reader goes away; so do we, rather
    // than report a write error.
    // SAFETY: restoring a signal's default action has no preconditions.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let argv: Vec<String> = std::env::args_os()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let stdout = io::stdout();
    let mut out = io::BufWriter::with_capacity(64 * 1024, stdout.lock());
    let mut err = io::stderr();
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
