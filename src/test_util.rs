//! Helpers shared by the unit tests: a small deterministic generator for
//! the property tests (so a failure repeats), and argument vectors made
//! from a line of text.

// The IPVS library's generator, the same file compiled here too (a
// dependency's test-only module is not built for its users' tests).
#[path = "../crates/ipvs-client/src/test_rng.rs"]
mod test_rng;
pub use test_rng::Rng;

/// `ipvsadm` followed by the line's words, split on spaces.
pub fn argv(line: &str) -> Vec<String> {
    std::iter::once("ipvsadm")
        .chain(line.split(' ').filter(|w| !w.is_empty()))
        .map(String::from)
        .collect()
}
