//! Fuzzes `-R`'s input: ipvsadm's line splitter over arbitrary bytes, and
//! each line it yields through the command-line parser. Nothing may panic,
//! and nothing may loop or go quadratic: run it with a low per-input time
//! limit and long inputs, e.g.
//! `cargo +nightly fuzz run -O restore_lines -- -timeout=2 -max_len=1000000`
//! (a 1 MB input takes milliseconds; before the reader was made linear, a
//! word of that size took seconds).
#![no_main]

use ipvsadm::cli::parse::parse;
use ipvsadm::cli::stream::ConfigStream;
use ipvsadm::resolve::Table;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut s = ConfigStream::new(data);
    let names = Table::default();
    for _ in 0..10_000 {
        match s.next_line() {
            Ok(Some(words)) => {
                let argv: Vec<String> =
                    std::iter::once("ipvsadm".to_string()).chain(words).collect();
                let _ = parse(&argv, &names);
            }
            _ => break,
        }
    }
});
