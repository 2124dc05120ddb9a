//! Network namespace selection, as moby/ipvs's `NewInstance(netns)`
//! offers: sockets opened inside another namespace and used from this
//! one. A socket belongs for its whole life to the namespace it was
//! created in, so the namespace is entered by a short-lived thread of
//! its own (entering a network namespace affects only the calling
//! thread), which opens what is asked and hands it back; the calling
//! thread, and the rest of the process, stay where they were.

use std::fs::{File, OpenOptions};
use std::os::fd::AsRawFd;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use crate::client::Client;
use crate::sockopt::Sockopt;
use crate::Error;

/// Where iproute2 (`ip netns add NAME`) keeps named namespaces.
pub const NETNS_RUN_DIR: &str = "/var/run/netns";

/// The file of the namespace `ip netns add name` made.
pub fn named(name: &str) -> std::path::PathBuf {
    Path::new(NETNS_RUN_DIR).join(name)
}

/// Open a namespace file without blocking (a FIFO would wait for a
/// writer) and without making a terminal ours.
fn open(path: &Path) -> Result<File, Error> {
    Ok(OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY | libc::O_CLOEXEC)
        .open(path)?)
}

/// Run `f` on a new thread that has entered the network namespace of
/// `ns` (a file such as `/var/run/netns/NAME` or `/proc/PID/ns/net`),
/// and hand back what it returns. Whatever `f` opens stays in that
/// namespace; this thread never leaves its own.
pub fn within<T, F>(ns: &Path, f: F) -> Result<T, Error>
where
    T: Send + 'static,
    F: FnOnce() -> Result<T, Error> + Send + 'static,
{
    let file = open(ns)?;
    let thread = std::thread::Builder::new()
        .name("ipvs-netns".into())
        .spawn(move || {
            // SAFETY: setns takes a descriptor owned for the whole call
            // and a namespace type; it has no memory-safety preconditions.
            if unsafe { libc::setns(file.as_raw_fd(), libc::CLONE_NEWNET) } != 0 {
                return Err(Error::Io(std::io::Error::last_os_error()));
            }
            f()
        })?;
    thread
        .join()
        .unwrap_or_else(|_| Err(Error::Malformed("the namespace thread panicked".into())))
}

impl Client {
    /// A client of the IPVS table of another network namespace (the
    /// file of the namespace: `/var/run/netns/NAME`, see `named`, or
    /// `/proc/PID/ns/net`); moby/ipvs's `NewInstance(netns)`. Every
    /// socket the client uses is opened there now.
    pub fn connect_in(ns: &Path) -> Result<Client, Error> {
        within(ns, || {
            let mut c = Client::connect()?;
            c.open_dump_socket()?;
            Ok(c)
        })
    }
}

impl Sockopt {
    /// The getsockopt interface of another network namespace (see
    /// `Client::connect_in`).
    pub fn open_in(ns: &Path) -> Result<Sockopt, Error> {
        within(ns, || Ok(Sockopt::open()?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_namespace_is_an_io_error() {
        let e = within(Path::new("/nonexistent/ipvs-client-ns"), || Ok(())).unwrap_err();
        assert_eq!(e.errno(), libc::ENOENT);
    }

    #[test]
    fn a_file_that_is_no_namespace_is_refused_in_its_thread() {
        // /dev/null opens, but setns refuses it (EINVAL, or EPERM without
        // the capability); the closure never runs.
        let e = within(Path::new("/dev/null"), || -> Result<(), Error> {
            panic!("ran outside a namespace")
        })
        .unwrap_err();
        assert!(matches!(e.errno(), libc::EINVAL | libc::EPERM), "{e}");
    }

    #[test]
    fn our_own_namespace_can_be_entered() {
        // Entering the namespace one is already in needs CAP_SYS_ADMIN;
        // without it the refusal is EPERM, never a panic.
        match within(Path::new("/proc/self/ns/net"), || Ok(7)) {
            Ok(v) => assert_eq!(v, 7),
            Err(e) => assert_eq!(e.errno(), libc::EPERM),
        }
    }

    #[test]
    fn named_namespaces_are_where_iproute2_puts_them() {
        assert_eq!(named("web"), Path::new("/var/run/netns/web"));
    }
}
