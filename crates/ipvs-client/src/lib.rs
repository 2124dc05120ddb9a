//! Talking to the kernel's IP Virtual Server: the model, the "IPVS"
//! generic-netlink family, and a client holding one socket; the older
//! getsockopt interface as a listing's short cut (`sockopt`), with what
//! the module list proves about the table (`modules`), and the one
//! decision of the fastest listing they prove right (`listing`); changes
//! sent many to a datagram (`batch`); a desired table turned into the
//! fewest changes and applied (`plan`). This crate knows nothing of a
//! command line or of text output.

#![doc = include_str!("../README.md")]
#![deny(missing_docs)]

pub mod batch;
pub mod client;
pub mod conn;
pub mod convert;
mod error;
pub mod family;
pub mod listing;
mod make;
pub mod model;
pub mod modules;
pub mod netns;
pub mod plan;
pub mod raw;
pub mod requests;
mod scheduler;
pub mod sockopt;
pub mod widen;

#[cfg(test)]
mod test_rng;

pub use client::Client;
pub use error::Error;
pub use listing::{ListOptions, ListReport, Route, Visit};
pub use model::*;
pub use plan::{Change, Table};
pub use scheduler::Scheduler;
pub use widen::{Widen, WidenReport};
