//! Helpers shared by the unit tests: a small deterministic generator for
//! the property tests (so a failure repeats), and argument vectors made
//! from a line of text.

/// xorshift64: enough randomness to walk a space of generated inputs.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    pub fn pick<T: Copy>(&mut self, v: &[T]) -> T {
        v[self.below(v.len())]
    }
}

/// `ipvsadm` followed by the line's words, split on spaces.
pub fn argv(line: &str) -> Vec<String> {
    std::iter::once("ipvsadm")
        .chain(line.split(' ').filter(|w| !w.is_empty()))
        .map(String::from)
        .collect()
}
