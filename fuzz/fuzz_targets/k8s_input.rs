//! Fuzzes `--k8s`'s reader (`k8s::input`, read in one pass by
//! `k8s::item`) over arbitrary bytes: nothing may panic, and every error
//! names a place inside the input. Seed it with tests/fixtures/k8s/, e.g.
//! `cargo +nightly fuzz run -O k8s_input ../tests/fixtures/k8s -- -timeout=2`.
#![no_main]

use ipvsadm::k8s::input::{read_bytes, Cluster};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut cluster = Cluster::default();
    if let Err(e) = read_bytes("fuzz", data, &mut cluster) {
        let lines = 1 + data.iter().filter(|&&b| b == b'\n').count();
        assert!(e.line >= 1 && e.line <= lines && e.column >= 1, "{e}");
    }
});
