//! `-L --watch` and `--changes` (ours, issue 16): the table watched as it
//! changes. Pure: the executor lists the table at each refresh and hands
//! the listing here with the time it was taken; this module answers with
//! the events between two listings (`diff`), the drain state of each real
//! server at weight 0 (`drain`), what a view shows of a refresh: rates,
//! marks, trends (`track`), the events as lines of text or JSON (`lines`)
//! and the full-screen view drawn with ratatui (`view`). The loop, the
//! clock, the kernel and the terminal are the executor's.

pub mod diff;
pub mod drain;
pub mod lines;
pub mod track;
pub mod view;

use crate::ipvs::{Dest, Service};

/// One listing of the table: each service with its real servers, in the
/// kernel's order.
pub type Table = Vec<(Service, Vec<Dest>)>;

#[cfg(test)]
pub(crate) mod fixture;
