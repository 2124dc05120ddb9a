//! `-R --validate` and `-R --reconcile` (ours). PLACEHOLDER.

use std::io::BufRead;

use crate::exec::Streams;
use crate::ipvs::Client;
use crate::resolve::Resolver;

pub fn validate_only(
    _program: &str,
    _input: &mut dyn BufRead,
    _names: &dyn Resolver,
    _io: &mut Streams,
) -> i32 {
    2
}

pub fn reconcile(
    _program: &str,
    _client: &mut Client,
    _input: &mut dyn BufRead,
    _names: &dyn Resolver,
    _plan_only: bool,
    _io: &mut Streams,
) -> i32 {
    2
}
