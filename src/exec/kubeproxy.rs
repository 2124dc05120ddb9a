//! kube-proxy's metrics port asked (`--kube-proxy-metrics`, issue 27):
//! `/proxyMode` and `/metrics` over plain HTTP/1.0 on this node, a second
//! at most for each, a bounded answer. It only reads; a port that does not
//! answer is no error, only `None`. What the answers mean is
//! `k8s::kubeproxy`'s.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use crate::k8s::kubeproxy::{last_sync, mode, KubeProxy};

/// How long a connection and each answer may take.
const TIMEOUT: Duration = Duration::from_secs(1);
/// The most of an answer read (kube-proxy's metrics are tens of KB).
const MAX_ANSWER: u64 = 8 << 20;

/// What kube-proxy's metrics port says, or `None`.
pub(super) fn ask(at: SocketAddr) -> Option<KubeProxy> {
    let mode = mode(&get(at, "/proxyMode")?)?;
    let last_sync = get(at, "/metrics").and_then(|m| last_sync(&m));
    Some(KubeProxy {
        at: at.to_string(),
        mode,
        last_sync,
    })
}

/// The body of a 200 answer to GET `path`.
fn get(at: SocketAddr, path: &str) -> Option<String> {
    let mut s = TcpStream::connect_timeout(&at, TIMEOUT).ok()?;
    s.set_read_timeout(Some(TIMEOUT)).ok()?;
    s.set_write_timeout(Some(TIMEOUT)).ok()?;
    write!(s, "GET {path} HTTP/1.0\r\nHost: {at}\r\n\r\n").ok()?;
    let mut raw = Vec::new();
    s.take(MAX_ANSWER).read_to_end(&mut raw).ok()?;
    let raw = String::from_utf8_lossy(&raw);
    let (head, body) = raw.split_once("\r\n\r\n")?;
    let status = head.lines().next()?.split(' ').nth(1)?;
    (status == "200").then(|| body.to_string())
}
