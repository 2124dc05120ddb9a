//! Talking to the kernel's IP Virtual Server: the model, the "IPVS"
//! generic-netlink family, and a client holding one socket; the older
//! getsockopt interface as a listing's short cut (`sockopt`), with what
//! the module list proves about the table (`modules`). This module
//! knows nothing of the command line or of text output.

pub mod batch;
pub mod client;
pub mod convert;
pub mod family;
pub mod model;
pub mod modules;
pub mod requests;
pub mod sockopt;

pub use client::Client;
pub use model::*;

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
