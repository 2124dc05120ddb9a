//! What the examples share: the client, opened in the network namespace
//! `IPVS_NETNS` names (a file such as `/var/run/netns/NAME`) when it is
//! set, and `ADDR:PORT` arguments read.

use std::net::SocketAddr;
use std::path::Path;

use ipvs_client::{Client, Error};

/// The client of this namespace's table, or of `IPVS_NETNS`'s.
pub fn client() -> Result<Client, Error> {
    match std::env::var_os("IPVS_NETNS") {
        Some(ns) => Client::connect_in(Path::new(&ns)),
        None => Client::connect(),
    }
}

/// `ADDR:PORT` (`[ADDR]:PORT` for IPv6), or the program ends with a usage
/// message and status 2.
// Not every example reads addresses.
#[allow(dead_code)]
pub fn endpoint(arg: Option<String>, usage: &str) -> SocketAddr {
    match arg.as_deref().map(str::parse) {
        Some(Ok(a)) => a,
        _ => {
            eprintln!("usage: {usage}");
            std::process::exit(2)
        }
    }
}
