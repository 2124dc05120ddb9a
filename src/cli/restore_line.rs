//! One line of `-R` read into a `Command`: the short cut of `quick` for
//! the common kube-like lines, else the full parser, and `--netns`
//! refused. Shared by the executor's restore and by `-R --validate` and
//! `-R --reconcile`, which must read lines exactly as `-R` does.

use super::parse::parse_invocation;
use super::quick;
use super::{CliError, Command};
use crate::resolve::Resolver;

/// One line of `-R`, parsed; `--netns` (ours) is refused there, since the
/// restore runs in one namespace. The common kube-like lines take the
/// short cut of `cli::quick`.
pub fn parse_restore_line(argv: &[String], names: &dyn Resolver) -> Result<Command, CliError> {
    if let Some(cmd) = quick::parse_common(argv) {
        return Ok(cmd);
    }
    let inv = parse_invocation(argv, names)?;
    if inv.netns.is_some() {
        return Err(CliError::Fail(
            "The '--netns' option is not allowed in a restore line".into(),
        ));
    }
    Ok(inv.command)
}
