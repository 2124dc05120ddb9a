//! What can go wrong talking to IPVS, with the errno each failure
//! stands for.

/// What can go wrong talking to IPVS.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The kernel answered a request with this errno (positive).
    #[error("kernel error {0}")]
    Kernel(i32),
    /// The generic-netlink family "IPVS" is not registered.
    #[error("the IPVS generic netlink family is not available")]
    FamilyNotFound,
    /// The socket itself failed.
    #[error("netlink socket: {0}")]
    Io(#[from] std::io::Error),
    /// The kernel's reply could not be decoded.
    #[error("malformed netlink reply: {0}")]
    Malformed(String),
}

impl Error {
    /// The errno this error stands for, as libipvs would leave it.
    pub fn errno(&self) -> i32 {
        match self {
            Error::Kernel(e) => *e,
            Error::FamilyNotFound => libc::ENOPROTOOPT,
            Error::Io(e) => e.raw_os_error().unwrap_or(libc::EIO),
            // libnl reports a reply it cannot parse as EINVAL.
            Error::Malformed(_) => libc::EINVAL,
        }
    }
}

impl From<netlink_packet_core::DecodeError> for Error {
    fn from(e: netlink_packet_core::DecodeError) -> Self {
        Error::Malformed(e.to_string())
    }
}
