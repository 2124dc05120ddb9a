//! Fuzzes the command line: the input, cut at NUL bytes, is an argument
//! vector for the popt-compatible reader and ipvsadm's checks. Names are
//! resolved from an empty table so no system lookups happen. Nothing may
//! panic.
#![no_main]

use ipvsadm::cli::parse::parse;
use ipvsadm::resolve::Table;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let argv: Vec<String> = std::iter::once("ipvsadm".to_string())
        .chain(text.split('\0').map(String::from))
        .collect();
    let _ = parse(&argv, &Table::default());
});
