//! The one IPVS connection of a run and its set-up, as ipvsadm's `main`
//! does it: `ipvs_init`, the module loaded on demand (`modprobe_ipvs`),
//! the errno libipvs is left with when that fails, and
//! `check_ipvs_version`'s warning.

use crate::format::errors::{ipvs_strerror, Op};
use crate::ipvs::{Client, Dest, Error, Info};
use crate::streams::Streams;

/// The IPVS connection and what GET_INFO said when it was opened, with
/// the buffers a listing reuses from one service to the next.
pub(super) struct Kernel {
    pub(super) client: Client,
    pub(super) info: Info,
    pub(super) dests: Vec<Dest>,
    /// A listing's text, gathered as bytes (`format::service_entry_bytes`).
    pub(super) text: Vec<u8>,
    /// The general path's text of one service entry, reused.
    pub(super) scratch: String,
}

/// `modprobe_ipvs`.
fn modprobe_ipvs() -> bool {
    std::process::Command::new("/sbin/modprobe")
        .args(["--", "ip_vs"])
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

/// `ipvs_init` without loading the module or a word: what `--watch` tries
/// again after a failed refresh.
pub(super) fn try_init() -> Result<Kernel, Error> {
    let mut client = Client::connect()?;
    let info = client.info()?;
    Ok(Kernel {
        client,
        info,
        dests: Vec::new(),
        text: Vec::new(),
        scratch: String::new(),
    })
}

/// `ipvs_init` with the module loaded on demand, as ipvsadm's `main` does.
fn init() -> Result<Kernel, i32> {
    match try_init() {
        Ok(k) => Ok(k),
        Err(first) => {
            // As ipvsadm: try to load the module, then once more; if the
            // module cannot be loaded, the first failure is the one told.
            let again = if modprobe_ipvs() {
                try_init()
            } else {
                Err(first)
            };
            again.map_err(|e| init_errno(&e))
        }
    }
}

/// `ipvs_init` as ipvsadm's `main` calls it: the kernel, or its two lines
/// of error told and the exit status 2.
pub(super) fn open(io: &mut Streams) -> Result<Kernel, i32> {
    init().map_err(|errno| {
        io.err(&format!(
            "Can't initialize ipvs: {}\nAre you sure that IP Virtual Server is built in the kernel or as module?\n",
            ipvs_strerror(Op::Init, errno)
        ));
        2
    })
}

/// The errno libipvs is left with when `ipvs_init` fails: with no IPVS
/// family it falls back to a raw socket (EPERM for non-root) and the old
/// socket option (ENOPROTOOPT without IPVS).
fn init_errno(e: &Error) -> i32 {
    match e {
        Error::FamilyNotFound => {
            // SAFETY: geteuid has no preconditions.
            if unsafe { libc::geteuid() } != 0 {
                libc::EPERM
            } else {
                libc::ENOPROTOOPT
            }
        }
        e => e.errno(),
    }
}

/// `check_ipvs_version`: warn when the kernel's IPVS is older than 1.1.4.
pub(super) fn check_version(info: &Info, io: &mut Streams) {
    if info.version < (1 << 16) + (1 << 8) + 4 {
        let (a, b, c) = info.version_triple();
        io.err(&format!(
            "Warning: IPVS version mismatch: \n  Kernel compiled with IPVS version {a}.{b}.{c}\n  ipvsadm v1.31  requires minimum IPVS version 1.1.4\n\n"
        ));
    }
}
