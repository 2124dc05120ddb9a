//! `--netns` (ours): move the process into another network namespace
//! before anything opens a socket, as `ip -n` does. A name is looked up
//! where `ip netns add` puts it; anything with a slash is a path.
//! Whatever the path names, entering never blocks: a FIFO, a directory,
//! a socket or a plain file is refused at once in iproute2's words.

use std::fs::OpenOptions;
use std::os::fd::AsRawFd;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::OpenOptionsExt;

/// Where iproute2 keeps named namespaces.
pub const NETNS_RUN_DIR: &str = "/var/run/netns";

/// The file a `--netns` value names.
pub fn path_of(spec: &str) -> String {
    if spec.contains('/') {
        spec.to_string()
    } else {
        format!("{NETNS_RUN_DIR}/{spec}")
    }
}

fn errno_text(e: &std::io::Error) -> String {
    match e.raw_os_error() {
        Some(n) => crate::format::errors::strerror(n),
        None => e.to_string(),
    }
}

/// Enter the namespace; the error is the message to print (iproute2's
/// wording, so that it reads as `ip -n` does).
pub fn enter(spec: &str) -> Result<(), String> {
    let path = path_of(spec);
    // The path's own bytes (see `raw`).
    let path = std::ffi::OsStr::from_bytes(&crate::raw::to_bytes(&path)).to_owned();
    // Opened as iproute2 opens it, except that a FIFO must not wait for a
    // writer (O_NONBLOCK; an open FIFO is then refused by setns, as any
    // file that is no namespace) and a terminal must not become ours.
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(&path)
        .map_err(|e| {
            format!(
                "Cannot open network namespace \"{spec}\": {}",
                errno_text(&e)
            )
        })?;
    // SAFETY: setns takes a descriptor we own for the whole call and a
    // namespace type; it has no memory-safety preconditions.
    let r = unsafe { libc::setns(file.as_raw_fd(), libc::CLONE_NEWNET) };
    if r != 0 {
        let e = std::io::Error::last_os_error();
        return Err(format!(
            "setting the network namespace \"{spec}\" failed: {}",
            errno_text(&e)
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_paths() {
        assert_eq!(path_of("web"), "/var/run/netns/web");
        assert_eq!(path_of("/proc/1/ns/net"), "/proc/1/ns/net");
        assert_eq!(path_of("./x"), "./x");
    }

    #[test]
    fn missing_namespace_is_told() {
        let e = enter("/nonexistent/ipvsadm-test-ns").unwrap_err();
        assert_eq!(
            e,
            "Cannot open network namespace \"/nonexistent/ipvsadm-test-ns\": No such file or directory"
        );
    }

    #[test]
    fn a_file_that_is_no_namespace_is_refused() {
        // /dev/null opens, but setns refuses it (EINVAL), or EPERM for a
        // process without the capability: either way an error, no panic.
        let e = enter("/dev/null").unwrap_err();
        assert!(
            e.starts_with("setting the network namespace \"/dev/null\" failed: "),
            "{e}"
        );
    }

    /// `enter` on a path, in a thread: a call that blocks fails the test
    /// after five seconds instead of hanging it.
    fn enter_promptly(path: &std::path::Path) -> Result<(), String> {
        let path = path.to_str().unwrap().to_string();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || tx.send(enter(&path)));
        rx.recv_timeout(std::time::Duration::from_secs(5))
            .expect("--netns blocked on a file that is no namespace")
    }

    /// A fresh private folder for one test.
    fn scratch(tag: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("ipvsadm-netns-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    /// What iproute2 says when setns refuses a file that opened.
    fn not_a_namespace(path: &std::path::Path) -> String {
        format!(
            "setting the network namespace \"{}\" failed: Invalid argument",
            path.display()
        )
    }

    #[test]
    fn a_fifo_is_refused_without_waiting_for_a_writer() {
        let dir = scratch("fifo");
        let fifo = dir.join("fifo");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(made.unwrap().success());
        let e = enter_promptly(&fifo).unwrap_err();
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(e, not_a_namespace(&fifo));
    }

    #[test]
    fn a_directory_a_socket_and_a_plain_file_are_refused() {
        let dir = scratch("kinds");
        assert_eq!(enter_promptly(&dir).unwrap_err(), not_a_namespace(&dir));
        let plain = dir.join("plain");
        std::fs::write(&plain, "not a namespace\n").unwrap();
        assert_eq!(enter_promptly(&plain).unwrap_err(), not_a_namespace(&plain));
        // A socket does not even open (ENXIO), as with iproute2.
        let sock = dir.join("sock");
        let _listener = std::os::unix::net::UnixListener::bind(&sock).unwrap();
        let e = enter_promptly(&sock).unwrap_err();
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(
            e,
            format!(
                "Cannot open network namespace \"{}\": No such device or address",
                sock.display()
            )
        );
    }
}
