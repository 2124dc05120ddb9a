//! `--netns` (ours): move the process into another network namespace
//! before anything opens a socket, as `ip -n` does. A name is looked up
//! where `ip netns add` puts it; anything with a slash is a path.

use std::fs::File;
use std::os::fd::AsRawFd;
use std::os::unix::ffi::OsStrExt;

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
    // The path's own bytes (see `cli::raw`).
    let path = std::ffi::OsStr::from_bytes(&crate::cli::raw::to_bytes(&path)).to_owned();
    let file = File::open(&path).map_err(|e| {
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
}
