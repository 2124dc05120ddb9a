//! The texts libipvs's `ipvs_strerror` gives a kernel error: the same errno
//! reads differently depending on the operation that failed, and anything
//! not in its table reads as the C library's `strerror`.

use std::ffi::CStr;

/// The libipvs function an error came from (its `ipvs_func`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Init,
    AddService,
    EditService,
    DelService,
    Zero,
    AddDest,
    EditDest,
    DelDest,
    StartDaemon,
    StopDaemon,
    GetServices,
    GetDests,
    GetService,
    GetTimeout,
    GetDaemon,
    /// `ipvs_flush` and `ipvs_set_timeout`... flush does not set
    /// `ipvs_func`, so only the generic entries apply to it.
    Flush,
    SetTimeout,
}

/// `strerror(errno)` from the C library, so the words are glibc's.
pub fn strerror(errno: i32) -> String {
    // SAFETY: strerror returns a pointer to a NUL-terminated string that
    // stays valid until the next call; we copy it at once.
    unsafe {
        let p = libc::strerror(errno);
        if p.is_null() {
            return format!("Unknown error {errno}");
        }
        CStr::from_ptr(p).to_string_lossy().into_owned()
    }
}

/// `ipvs_strerror(errno)` as called after `op` failed.
pub fn ipvs_strerror(op: Op, errno: i32) -> String {
    use Op::*;
    let specific = match (op, errno) {
        (AddService, libc::EEXIST) => Some("Service already exists"),
        (AddService, libc::ENOENT) => Some("Scheduler or persistence engine not found"),
        (EditService, libc::ESRCH) => Some("No such service"),
        (EditService, libc::ENOENT) => Some("Scheduler or persistence engine not found"),
        (DelService, libc::ESRCH) => Some("No such service"),
        (Zero, libc::ESRCH) => Some("No such service"),
        (AddDest, libc::ESRCH) => Some("Service not defined"),
        (AddDest, libc::EEXIST) => Some("Destination already exists"),
        (EditDest, libc::ESRCH) => Some("Service not defined"),
        (EditDest, libc::ENOENT) => Some("No such destination"),
        (DelDest, libc::ESRCH) => Some("Service not defined"),
        (DelDest, libc::ENOENT) => Some("No such destination"),
        (StartDaemon, libc::EEXIST) => Some("Daemon has already run"),
        (StopDaemon, libc::ESRCH) => Some("No daemon is running"),
        (GetServices, libc::ESRCH) => Some("No such service"),
        (GetDests, libc::ESRCH) => Some("No such service"),
        (GetService, libc::ESRCH) => Some("No such service"),
        _ => None,
    };
    if let Some(s) = specific {
        return s.to_string();
    }
    match errno {
        libc::EPERM => "Permission denied (you must be root)".to_string(),
        libc::EINVAL => {
            "Invalid operation.  Possibly wrong module version, address not unicast, ..."
                .to_string()
        }
        libc::ENOPROTOOPT => "Protocol not available".to_string(),
        libc::ENOMEM => "Memory allocation problem".to_string(),
        libc::EOPNOTSUPP => "Operation not supported with IPv6".to_string(),
        libc::EAFNOSUPPORT => "Operation not supported with specified address family".to_string(),
        libc::EMSGSIZE => "Module is wrong version".to_string(),
        e => strerror(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_errno_reads_per_operation() {
        assert_eq!(
            ipvs_strerror(Op::DelService, libc::ESRCH),
            "No such service"
        );
        assert_eq!(
            ipvs_strerror(Op::AddDest, libc::ESRCH),
            "Service not defined"
        );
        assert_eq!(ipvs_strerror(Op::Flush, libc::ESRCH), "No such process");
        assert_eq!(
            ipvs_strerror(Op::Init, libc::EPERM),
            "Permission denied (you must be root)"
        );
    }
}
