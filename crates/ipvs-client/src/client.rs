//! One netlink socket per process, the IPVS family resolved once, and
//! every IPVS operation as a method. Requests ask for an acknowledgement;
//! dumps are read to NLMSG_DONE and retried when the kernel marks them
//! interrupted (NLM_F_DUMP_INTR). Changes sent many to a datagram are
//! `batch`'s.

use netlink_packet_core::{
    Emitable, NetlinkBuffer, NetlinkHeader, NetlinkMessage, NetlinkPayload, NLMSG_DONE,
    NLMSG_ERROR, NLMSG_NOOP, NLMSG_OVERRUN, NLM_F_ACK, NLM_F_DUMP, NLM_F_DUMP_INTR, NLM_F_REQUEST,
};
use netlink_packet_generic::ctrl::nlas::GenlCtrlAttrs;
use netlink_packet_generic::ctrl::{GenlCtrl, GenlCtrlCmd};
use netlink_packet_generic::GenlMessage;
use netlink_sys::{protocols::NETLINK_GENERIC, Socket, SocketAddr};

use super::convert::*;
use super::family::*;
use super::model::*;
use super::requests::{self, Change};
use super::sockopt::Sockopt;
use crate::Error;

/// How many times an interrupted dump is started again before giving up.
const DUMP_RETRIES: usize = 16;
/// Receive buffer; the kernel caps a dump message at 32 KiB.
const RECV_BUF: usize = 64 * 1024;

/// What the kernel may charge the receive buffer for one error answer to
/// a batched request, in bytes. A 6.1 kernel charges about 770 (a 36-byte
/// message in a 512-byte slab object, plus its sk_buff); the margin
/// covers other slab sizes and debugging kernels. A kernel test reads
/// the real figure (`examples/batch-probe`) and holds it to half this.
pub const REPLY_COST: usize = 2048;

/// The receive buffer asked for the main socket: room for the error
/// answers of a whole batch of requests of `batch::Batch::MAX_BYTES`.
const BATCH_RECV_BUF: usize = 4 << 20;

/// Receive buffer of the socket for the small real-server dumps: the
/// kernel's NLMSG_GOODSIZE with 4 KiB pages (a page less the 320 bytes of
/// skb_shared_info). The kernel sizes each dump message after the largest
/// buffer a socket has received into: with this one it takes one page per
/// message from the slab, where 8 KiB cost an order-2 page allocation per
/// service (4% of a 10,000-service listing's instructions in the test VM).
/// Messages never exceed it there; where they do (a kernel with larger
/// pages), `dests_into` drops the socket and goes on over the main one.
const SMALL_RECV_BUF: usize = 4096 - 320;

/// Which dump of `Client::table` failed.
#[derive(Debug, thiserror::Error)]
pub enum TableError {
    /// Listing the services failed.
    #[error("listing the services: {0}")]
    Services(Error),
    /// Listing the real servers of a service failed.
    #[error("listing the real servers of a service: {0}")]
    Dests(Error),
}

impl TableError {
    /// The error, whichever listing it came from.
    pub fn into_error(self) -> Error {
        match self {
            TableError::Services(e) | TableError::Dests(e) => e,
        }
    }
}

/// One netlink socket, its port id and its receive buffer: the client's
/// own, and open to a program that reads another netlink protocol the
/// same way (`open_protocol`, `recv`, then `read_datagram` on `rbuf`).
pub struct Channel {
    /// The socket.
    pub sock: Socket,
    /// The port id the kernel bound it to (replies are addressed to it).
    pub port: u32,
    /// The receive buffer: `recv` reads one datagram into its start.
    pub rbuf: Vec<u8>,
    /// The second buffer of `recv_two` (empty until first used).
    rbuf2: Vec<u8>,
    /// A request being sent, kept for its capacity.
    req: Vec<u8>,
}

impl Channel {
    fn open(rbuf: usize) -> Result<Channel, Error> {
        Self::open_protocol(NETLINK_GENERIC, rbuf)
    }

    /// A socket of another netlink protocol (NETLINK_ROUTE for the check).
    pub fn open_protocol(protocol: isize, rbuf: usize) -> Result<Channel, Error> {
        let mut sock = Socket::new(protocol)?;
        let local = sock.bind_auto()?;
        // Error answers without a copy of the request: batches of changes
        // may fail by the thousand.
        let _ = sock.set_cap_ack(true);
        sock.connect(&SocketAddr::new(0, 0))?;
        Ok(Channel {
            sock,
            port: local.port_number(),
            rbuf: Vec::with_capacity(rbuf),
            rbuf2: Vec::new(),
            req: Vec::new(),
        })
    }

    /// Up to two datagrams, into `rbuf` and `rbuf2`, with one recvmmsg
    /// that waits for the first only; their lengths (0: none), which are
    /// the datagrams' whole lengths: above the buffers' when truncated.
    /// Both buffers are `rbuf`'s capacity long.
    fn recv_two(&mut self) -> Result<(usize, usize), Error> {
        let cap = self.rbuf.capacity().max(self.rbuf.len());
        self.rbuf.resize(cap, 0);
        self.rbuf2.resize(cap, 0);
        let mut iov = [
            libc::iovec {
                iov_base: self.rbuf.as_mut_ptr().cast(),
                iov_len: cap,
            },
            libc::iovec {
                iov_base: self.rbuf2.as_mut_ptr().cast(),
                iov_len: cap,
            },
        ];
        // SAFETY: mmsghdr is a plain C struct for which all zeroes is a
        // valid value (no name, no control data).
        let mut msgs: [libc::mmsghdr; 2] = unsafe { std::mem::zeroed() };
        for (m, v) in msgs.iter_mut().zip(iov.iter_mut()) {
            m.msg_hdr.msg_iov = v;
            m.msg_hdr.msg_iovlen = 1;
        }
        loop {
            // SAFETY: the headers point at two live buffers of `cap` bytes
            // each, which outlive the call; the kernel writes only there
            // and into `msgs`.
            let n = unsafe {
                libc::recvmmsg(
                    std::os::fd::AsRawFd::as_raw_fd(&self.sock),
                    msgs.as_mut_ptr(),
                    2,
                    libc::MSG_WAITFORONE | libc::MSG_TRUNC,
                    std::ptr::null_mut(),
                )
            };
            if n < 0 {
                let e = std::io::Error::last_os_error();
                if e.kind() == std::io::ErrorKind::Interrupted {
                    continue;
                }
                return Err(Error::Io(e));
            }
            let len = |i: usize| {
                if (i as i32) < n {
                    msgs[i].msg_len as usize
                } else {
                    0
                }
            };
            return Ok((len(0), len(1)));
        }
    }

    /// One datagram into `rbuf` with these recv flags; its length, or
    /// the socket's own error (ENOBUFS after an overrun, EAGAIN when a
    /// non-blocking read finds nothing). A datagram longer than the
    /// buffer is an InvalidData error that says so.
    pub(super) fn recv_flags(&mut self, flags: libc::c_int) -> std::io::Result<usize> {
        self.rbuf.clear();
        let n = self.sock.recv(&mut self.rbuf, flags | libc::MSG_TRUNC)?;
        if n > self.rbuf.len() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("netlink message of {n} bytes exceeds the receive buffer"),
            ));
        }
        Ok(n)
    }

    /// Ask for a receive buffer of `bytes`: beyond the system's limit
    /// where the process may (SO_RCVBUFFORCE needs CAP_NET_ADMIN, as IPVS
    /// changes do), else up to that limit.
    fn grow_receive_buffer(&self, bytes: usize) {
        let fd = std::os::fd::AsRawFd::as_raw_fd(&self.sock);
        let v = bytes as libc::c_int;
        // SAFETY: setsockopt reads an int from a live local for the
        // length given.
        let forced = unsafe {
            libc::setsockopt(
                fd,
                libc::SOL_SOCKET,
                libc::SO_RCVBUFFORCE,
                (&v as *const libc::c_int).cast(),
                std::mem::size_of::<libc::c_int>() as libc::socklen_t,
            )
        };
        if forced != 0 {
            let _ = self.sock.set_rx_buf_sz(v);
        }
    }

    /// One datagram into `rbuf`; its length.
    pub fn recv(&mut self) -> Result<usize, Error> {
        loop {
            match self.recv_flags(0) {
                Ok(n) => return Ok(n),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) if e.kind() == std::io::ErrorKind::InvalidData => {
                    return Err(Error::Malformed(e.to_string()))
                }
                Err(e) => return Err(Error::Io(e)),
            }
        }
    }
}

/// The IPVS connection of a process: one main socket (and, for listings,
/// one more for the per-service real-server dumps), the family resolved
/// once.
pub struct Client {
    pub(super) main: Channel,
    small: Option<Channel>,
    /// The small socket truncated a message: dumps go over the main one.
    small_truncates: bool,
    pub(super) family: u16,
    seq: u32,
    /// The most requests a batch carries (see `batch_flush`).
    pub(super) batch_limit: usize,
    /// The getsockopt interface of a listing's faster paths (`listing`),
    /// opened when a listing first wants it.
    sockopt: Option<Sockopt>,
    /// Whether opening it was tried: a client of another namespace tries
    /// there, at once, and never again here.
    sockopt_tried: bool,
}

impl Client {
    /// Open the socket and resolve the "IPVS" family.
    pub fn connect() -> Result<Client, Error> {
        let mut c = Client {
            main: Channel::open(RECV_BUF)?,
            small: None,
            small_truncates: false,
            family: 0,
            seq: 0,
            batch_limit: 1,
            sockopt: None,
            sockopt_tried: false,
        };
        c.main.grow_receive_buffer(BATCH_RECV_BUF);
        // Every answer a batch may draw must fit in the receive buffer at
        // once: the kernel queues them while the send is still running.
        c.batch_limit = (c.receive_buffer() / REPLY_COST).max(1);
        c.family = c.resolve_family()?;
        Ok(c)
    }

    /// Open the socket of the small real-server dumps now rather than
    /// at the first listing (a client made in another namespace opens
    /// every socket there).
    pub(crate) fn open_dump_socket(&mut self) -> Result<(), Error> {
        if self.small.is_none() && !self.small_truncates {
            self.small = Some(Channel::open(SMALL_RECV_BUF)?);
        }
        self.sockopt();
        Ok(())
    }

    /// The getsockopt interface, opened at the first call; None when it
    /// cannot be (the listings then go over netlink alone).
    pub(crate) fn sockopt(&mut self) -> Option<&mut Sockopt> {
        if !self.sockopt_tried {
            self.sockopt_tried = true;
            self.sockopt = Sockopt::open().ok();
        }
        self.sockopt.as_mut()
    }

    pub(super) fn next_seq(&mut self) -> u32 {
        self.seq = self.seq.wrapping_add(1);
        self.seq
    }

    fn send<T>(&mut self, payload: T, flags: u16) -> Result<u32, Error>
    where
        T: netlink_packet_core::NetlinkSerializable + std::fmt::Debug,
        NetlinkPayload<T>: From<T>,
    {
        let seq = self.next_seq();
        let mut buf = Vec::new();
        encode(&mut buf, payload, flags, seq);
        self.main.sock.send(&buf, 0)?;
        Ok(seq)
    }

    fn recv(&mut self) -> Result<usize, Error> {
        self.main.recv()
    }

    fn resolve_family(&mut self) -> Result<u16, Error> {
        let ctrl = GenlCtrl {
            cmd: GenlCtrlCmd::GetFamily,
            nlas: vec![GenlCtrlAttrs::FamilyName(
                super::family::IPVS_GENL_NAME.to_string(),
            )],
        };
        let seq = self.send(GenlMessage::from_payload(ctrl), NLM_F_ACK)?;
        let mut id = None;
        loop {
            let n = self.recv()?;
            let mut off = 0;
            while off < n {
                let (len, seqno) = frame(&self.main.rbuf[off..n])?;
                let bytes = &self.main.rbuf[off..off + len];
                off += len;
                if seqno != seq {
                    continue;
                }
                let msg = NetlinkMessage::<GenlMessage<GenlCtrl>>::deserialize(bytes)?;
                match msg.payload {
                    NetlinkPayload::Error(e) => match e.code {
                        None => return id.ok_or(Error::FamilyNotFound),
                        Some(c) if -c.get() == libc::ENOENT => return Err(Error::FamilyNotFound),
                        Some(c) => return Err(Error::Kernel(-c.get())),
                    },
                    NetlinkPayload::InnerMessage(m) => {
                        for a in m.payload.nlas {
                            if let GenlCtrlAttrs::FamilyId(f) = a {
                                id = Some(f);
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
    }

    /// Send one IPVS request and feed every reply message to `each`. With
    /// `dump`, read to NLMSG_DONE (starting over if the kernel says the
    /// dump was interrupted); otherwise wait for the acknowledgement.
    fn transact(
        &mut self,
        msg: &IpvsMessage,
        dump: bool,
        each: &mut dyn FnMut(IpvsMessage) -> Result<(), Error>,
        reset: &mut dyn FnMut(),
    ) -> Result<(), Error> {
        self.transact_raw(
            msg,
            dump,
            &mut |bytes| {
                let nl = NetlinkMessage::<GenlMessage<IpvsMessage>>::deserialize(bytes)?;
                match nl.payload {
                    NetlinkPayload::InnerMessage(m) => each(m.payload),
                    _ => Ok(()),
                }
            },
            reset,
        )
    }

    /// As `transact`, handing over each reply message's bytes (netlink
    /// header included) undecoded.
    pub fn transact_raw(
        &mut self,
        msg: &IpvsMessage,
        dump: bool,
        each: &mut dyn FnMut(&[u8]) -> Result<(), Error>,
        reset: &mut dyn FnMut(),
    ) -> Result<(), Error> {
        let mut buf = Vec::new();
        for _ in 0..DUMP_RETRIES {
            let flags = if dump { NLM_F_DUMP } else { NLM_F_ACK };
            let seq = self.next_seq();
            buf.clear();
            encode_ipvs(&mut buf, self.family, flags, seq, msg);
            let ch = &mut self.main;
            ch.sock.send(&buf, 0)?;
            let mut interrupted = false;
            loop {
                let n = ch.recv()?;
                match read_datagram(&ch.rbuf[..n], seq, ch.port, &mut interrupted, each)? {
                    Step::More => continue,
                    Step::Finished => break,
                }
            }
            if !(dump && interrupted) {
                return Ok(());
            }
            reset();
        }
        Err(Error::Kernel(libc::EINTR))
    }

    /// GET_INFO: version and connection table size.
    pub fn info(&mut self) -> Result<Info, Error> {
        let msg = IpvsMessage::new(IpvsCmd::GetInfo, vec![]);
        let mut info = None;
        self.transact(
            &msg,
            false,
            &mut |m| {
                info = Some(info_from_attrs(&m.attrs)?);
                Ok(())
            },
            &mut || {},
        )?;
        info.ok_or_else(|| Error::Malformed("no reply to GET_INFO".into()))
    }

    /// Dump every virtual service, in the kernel's order.
    pub fn services(&mut self) -> Result<Vec<Service>, Error> {
        self.service_dump(service_from_bytes)
    }

    /// Every service without its counters, in the kernel's order: what a
    /// listing that prints no counters holds (see `ServiceDef`).
    pub fn service_defs(&mut self) -> Result<Vec<ServiceDef>, Error> {
        self.service_dump(service_def_from_bytes)
    }

    fn service_dump<T>(&mut self, decode: fn(&[u8]) -> Result<T, Error>) -> Result<Vec<T>, Error> {
        let msg = IpvsMessage::new(IpvsCmd::GetService, vec![]);
        // Room for 160 KiB of services from the start: above malloc's mmap
        // threshold, so the vector grows by remapping, and the smaller
        // copies a doubling vector would leave on the heap are never made
        // (untouched pages cost a small table nothing).
        let mut out = Vec::with_capacity(160 * 1024 / std::mem::size_of::<T>().max(1));
        self.dump_into(&msg, &mut out, &|bytes| {
            let svc = top_level_attr(bytes, IPVS_CMD_ATTR_SERVICE)?
                .ok_or_else(|| Error::Malformed("GET_SERVICE reply without a service".into()))?;
            decode(svc)
        })?;
        Ok(out)
    }

    /// A dump over the main socket into `out`, one item decoded from each
    /// reply message; `out` is cleared first, and again whenever the
    /// kernel interrupts the dump and it starts over.
    fn dump_into<T>(
        &mut self,
        msg: &IpvsMessage,
        out: &mut Vec<T>,
        decode: &dyn Fn(&[u8]) -> Result<T, Error>,
    ) -> Result<(), Error> {
        out.clear();
        let out = std::cell::RefCell::new(out);
        self.transact_raw(
            msg,
            true,
            &mut |bytes| {
                out.borrow_mut().push(decode(bytes)?);
                Ok(())
            },
            &mut || out.borrow_mut().clear(),
        )
    }

    /// Look up one service.
    pub fn service(&mut self, id: &ServiceId) -> Result<Service, Error> {
        // libipvs sends a whole (zeroed) service description here.
        let cfg = ServiceConfig {
            netmask: 0,
            ..Default::default()
        };
        let msg = IpvsMessage::new(
            IpvsCmd::GetService,
            vec![CmdAttr::Service(service_attrs(id, &cfg))],
        );
        let mut svc = None;
        self.transact(
            &msg,
            false,
            &mut |m| {
                svc = Some(service_of(&m)?);
                Ok(())
            },
            &mut || {},
        )?;
        svc.ok_or_else(|| Error::Malformed("no reply to GET_SERVICE".into()))
    }

    /// `dests_into` over the main socket and its large buffer, for a
    /// kernel whose dump messages outgrow the small socket's.
    fn dests_over_main(&mut self, id: &ServiceId, out: &mut Vec<Dest>) -> Result<(), Error> {
        let family = id.family();
        let msg = IpvsMessage::new(
            IpvsCmd::GetDest,
            vec![CmdAttr::Service(service_id_attrs(id))],
        );
        self.dump_into(&msg, out, &|bytes| dest_of_reply(bytes, family))
    }

    /// Dump the real servers of one service, in the kernel's order.
    pub fn dests(&mut self, id: &ServiceId) -> Result<Vec<Dest>, Error> {
        let mut out = Vec::new();
        self.dests_into(id, &mut out)?;
        Ok(out)
    }

    /// Every service, in the kernel's order, each with its real servers,
    /// with every counter, over netlink. Where the counters are not
    /// wanted, `table_defs` gives the rest many times faster.
    pub fn table(&mut self) -> Result<Vec<(Service, Vec<Dest>)>, TableError> {
        let services = self.services().map_err(TableError::Services)?;
        let mut table = Vec::with_capacity(services.len());
        for s in services {
            let d = self.dests(&s.id).map_err(TableError::Dests)?;
            table.push((s, d));
        }
        Ok(table)
    }

    /// As `dests`, into `out` (cleared first), so that a listing reuses
    /// one vector. These small dumps go through a second socket with a
    /// small receive buffer: the kernel sizes every dump message after
    /// the largest buffer a socket has read with (up to 32 KiB), which
    /// would make each of thousands of tiny dumps pay for a large one.
    /// The request is encoded in place, and each answer is read with one
    /// recvmmsg: the kernel queues NLMSG_DONE while the first datagram is
    /// being read, so one call usually takes both.
    pub fn dests_into(&mut self, id: &ServiceId, out: &mut Vec<Dest>) -> Result<(), Error> {
        if self.small_truncates {
            return self.dests_over_main(id, out);
        }
        if self.small.is_none() {
            self.small = Some(Channel::open(SMALL_RECV_BUF)?);
        }
        let family = id.family();
        for _ in 0..DUMP_RETRIES {
            let seq = self.next_seq();
            let ipvs = self.family;
            let Some(ch) = self.small.as_mut() else {
                unreachable!("opened above")
            };
            let mut req = std::mem::take(&mut ch.req);
            req.clear();
            encode_get_dest(&mut req, ipvs, seq, id);
            let sent = ch.sock.send(&req, 0);
            ch.req = req;
            sent?;
            out.clear();
            let mut interrupted = false;
            let mut each = |bytes: &[u8]| {
                out.push(dest_of_reply(bytes, family)?);
                Ok(())
            };
            'answer: loop {
                let (first, second) = ch.recv_two()?;
                if first > ch.rbuf.len() || second > ch.rbuf2.len() {
                    // A message larger than the buffer: drop the socket,
                    // its dump half read, and use the main one from now.
                    self.small = None;
                    self.small_truncates = true;
                    return self.dests_over_main(id, out);
                }
                for (buf, n) in [(&ch.rbuf, first), (&ch.rbuf2, second)] {
                    if n == 0 {
                        continue;
                    }
                    let step = read_datagram(&buf[..n], seq, ch.port, &mut interrupted, &mut each)?;
                    if step == Step::Finished {
                        break 'answer;
                    }
                }
            }
            if !interrupted {
                return Ok(());
            }
        }
        Err(Error::Kernel(libc::EINTR))
    }

    /// Apply one change (a message from `requests`) and wait for the
    /// kernel's acknowledgement.
    pub fn execute(&mut self, msg: &IpvsMessage) -> Result<(), Error> {
        self.transact(msg, false, &mut |_| Ok(()), &mut || {})
    }

    /// Add a virtual service (NEW_SERVICE; moby/ipvs `NewService`).
    pub fn add_service(&mut self, id: &ServiceId, cfg: &ServiceConfig) -> Result<(), Error> {
        self.execute(&requests::add_service(id, cfg))
    }

    /// Give a virtual service a new configuration (SET_SERVICE; moby/ipvs `UpdateService`).
    pub fn edit_service(&mut self, id: &ServiceId, cfg: &ServiceConfig) -> Result<(), Error> {
        self.execute(&requests::edit_service(id, cfg))
    }

    /// Remove a virtual service with its real servers (DEL_SERVICE; moby/ipvs `DelService`).
    pub fn del_service(&mut self, id: &ServiceId, cfg: &ServiceConfig) -> Result<(), Error> {
        self.execute(&requests::del_service(id, cfg))
    }

    /// Zero the counters of one service, or of all with `None`.
    pub fn zero(&mut self, svc: Option<(&ServiceId, &ServiceConfig)>) -> Result<(), Error> {
        self.execute(&requests::zero(svc))
    }

    /// Remove every virtual service (FLUSH; moby/ipvs `Flush`).
    pub fn flush(&mut self) -> Result<(), Error> {
        self.execute(&requests::flush())
    }

    /// Add a real server to a service (NEW_DEST; moby/ipvs `NewDestination`).
    pub fn add_dest(
        &mut self,
        id: &ServiceId,
        cfg: &ServiceConfig,
        addr: &std::net::IpAddr,
        port: u16,
        dcfg: &DestConfig,
    ) -> Result<(), Error> {
        self.execute(&requests::add_dest(id, cfg, addr, port, dcfg))
    }

    /// Give a real server a new configuration, a weight of 0 to drain it (SET_DEST; moby/ipvs `UpdateDestination`).
    pub fn edit_dest(
        &mut self,
        id: &ServiceId,
        cfg: &ServiceConfig,
        addr: &std::net::IpAddr,
        port: u16,
        dcfg: &DestConfig,
    ) -> Result<(), Error> {
        self.execute(&requests::edit_dest(id, cfg, addr, port, dcfg))
    }

    /// Remove a real server from a service (DEL_DEST; moby/ipvs `DelDestination`).
    pub fn del_dest(
        &mut self,
        id: &ServiceId,
        cfg: &ServiceConfig,
        addr: &std::net::IpAddr,
        port: u16,
        dcfg: &DestConfig,
    ) -> Result<(), Error> {
        self.execute(&requests::del_dest(id, cfg, addr, port, dcfg))
    }

    /// The connection timeouts (GET_CONFIG; moby/ipvs `GetConfig`).
    pub fn timeouts(&mut self) -> Result<Timeouts, Error> {
        let msg = IpvsMessage::new(IpvsCmd::GetConfig, vec![]);
        let mut t = Timeouts::default();
        self.transact(
            &msg,
            false,
            &mut |m| {
                t = timeouts_from_attrs(&m.attrs);
                Ok(())
            },
            &mut || {},
        )?;
        Ok(t)
    }

    /// Set the connection timeouts; a 0 leaves that one unchanged (SET_CONFIG; moby/ipvs `SetConfig`).
    pub fn set_timeouts(&mut self, t: &Timeouts) -> Result<(), Error> {
        self.execute(&requests::set_timeouts(t))
    }

    /// The running connection-synchronisation daemons (GET_DAEMON).
    pub fn daemons(&mut self) -> Result<Vec<Daemon>, Error> {
        let msg = IpvsMessage::new(IpvsCmd::GetDaemon, vec![]);
        let out = std::cell::RefCell::new(Vec::new());
        self.transact(
            &msg,
            true,
            &mut |m| {
                for a in &m.attrs {
                    if let CmdAttr::Daemon(d) = a {
                        out.borrow_mut().push(daemon_from_attrs(d)?);
                    }
                }
                Ok(())
            },
            &mut || out.borrow_mut().clear(),
        )?;
        Ok(out.into_inner())
    }

    /// Start a connection-synchronisation daemon (NEW_DAEMON).
    pub fn start_daemon(&mut self, d: &Daemon) -> Result<(), Error> {
        self.execute(&requests::start_daemon(d))
    }

    /// Stop a connection-synchronisation daemon (DEL_DAEMON).
    pub fn stop_daemon(&mut self, d: &Daemon) -> Result<(), Error> {
        self.execute(&requests::stop_daemon(d))
    }
}

/// The real server one GET_DEST reply message carries.
fn dest_of_reply(bytes: &[u8], family: Family) -> Result<Dest, Error> {
    let d = top_level_attr(bytes, IPVS_CMD_ATTR_DEST)?
        .ok_or_else(|| Error::Malformed("GET_DEST reply without a destination".into()))?;
    dest_from_bytes(d, family)
}

/// The service carried by a GET_SERVICE reply.
fn service_of(m: &IpvsMessage) -> Result<Service, Error> {
    for a in &m.attrs {
        if let CmdAttr::Service(s) = a {
            return service_from_attrs(s);
        }
    }
    Err(Error::Malformed(
        "GET_SERVICE reply without a service".into(),
    ))
}

/// Serialize one netlink request into `buf`.
fn encode<T>(buf: &mut Vec<u8>, payload: T, flags: u16, seq: u32)
where
    T: netlink_packet_core::NetlinkSerializable + std::fmt::Debug,
    NetlinkPayload<T>: From<T>,
{
    let mut header = NetlinkHeader::default();
    header.flags = NLM_F_REQUEST | flags;
    header.sequence_number = seq;
    let mut msg = NetlinkMessage::new(header, NetlinkPayload::from(payload));
    msg.finalize();
    let at = buf.len();
    buf.resize(at + msg.buffer_len(), 0);
    msg.serialize(&mut buf[at..]);
}

/// An IPVS request appended to `buf` in one pass: the bytes `encode`
/// makes of the message (with NLM_F_REQUEST and `flags`), without the
/// generic encoder's copy of the message and its repeated walks over
/// nested attributes to size them (a restore encodes one per line).
pub(super) fn encode_ipvs(buf: &mut Vec<u8>, family: u16, flags: u16, seq: u32, msg: &IpvsMessage) {
    fn leaf<A: Emitable>(buf: &mut Vec<u8>, a: &A) {
        let at = buf.len();
        buf.resize(at + a.buffer_len(), 0);
        a.emit(&mut buf[at..]);
    }
    fn nest<A: Emitable>(buf: &mut Vec<u8>, kind: u16, v: &[A]) {
        let at = buf.len();
        buf.extend_from_slice(&[0, 0]);
        buf.extend_from_slice(&kind.to_ne_bytes());
        for a in v {
            leaf(buf, a);
        }
        let len = (buf.len() - at) as u16;
        buf[at..at + 2].copy_from_slice(&len.to_ne_bytes());
    }
    let at = begin(buf, family, NLM_F_REQUEST | flags, seq, msg.cmd);
    for a in &msg.attrs {
        match a {
            CmdAttr::Service(v) => nest(buf, IPVS_CMD_ATTR_SERVICE, v),
            CmdAttr::Dest(v) => nest(buf, IPVS_CMD_ATTR_DEST, v),
            CmdAttr::Daemon(v) => nest(buf, IPVS_CMD_ATTR_DAEMON, v),
            a => leaf(buf, a),
        }
    }
    finish(buf, at);
}

/// A request built in place, then appended whole to the batch or
/// request buffer: headers, then netlink attributes each padded to 4 bytes
/// as the generic encoder pads them, a nest's length written when it is
/// closed. For the requests sent by the thousand (a listing's GET_DEST per
/// service, a restore's change per line): writing them piece by piece
/// into a vector cost a capacity check per piece.
struct Attrs {
    bytes: [u8; Attrs::MAX],
    len: usize,
}

impl Attrs {
    /// The largest request built here is a real server's change with both
    /// names at their 16 bytes and IPv6 addresses: 240 bytes.
    const MAX: usize = 256;

    /// The netlink and genl headers (the length is written by `append`).
    fn begin(family: u16, flags: u16, seq: u32, cmd: IpvsCmd) -> Attrs {
        let mut a = Attrs {
            bytes: [0; Attrs::MAX],
            len: 4,
        };
        a.write(&family.to_ne_bytes());
        a.write(&flags.to_ne_bytes());
        a.write(&seq.to_ne_bytes());
        a.write(&0u32.to_ne_bytes());
        a.write(&[cmd.raw(), IPVS_GENL_VERSION, 0, 0]);
        a
    }

    /// Write the message's length and append it to `buf`.
    fn append(mut self, buf: &mut Vec<u8>) {
        let len = self.len as u32;
        self.bytes[..4].copy_from_slice(&len.to_ne_bytes());
        buf.extend_from_slice(&self.bytes[..self.len]);
    }

    fn write(&mut self, b: &[u8]) {
        self.bytes[self.len..self.len + b.len()].copy_from_slice(b);
        self.len += b.len();
    }

    fn header(&mut self, kind: u16, len: usize) {
        let (l, k) = ((len as u16).to_ne_bytes(), kind.to_ne_bytes());
        self.write(&[l[0], l[1], k[0], k[1]]);
    }

    /// The message starts at 0 and its bytes are zeroes until written.
    fn pad(&mut self) {
        self.len = (self.len + 3) & !3;
    }

    /// A fixed-size attribute (the length known when compiled: this runs
    /// a dozen times per request).
    fn put<const N: usize>(&mut self, kind: u16, value: [u8; N]) {
        let at = self.len;
        let attr = &mut self.bytes[at..at + 4 + N];
        attr[..2].copy_from_slice(&((4 + N) as u16).to_ne_bytes());
        attr[2..4].copy_from_slice(&kind.to_ne_bytes());
        attr[4..].copy_from_slice(&value);
        self.len = at + ((4 + N + 3) & !3);
    }

    /// A string as C sends it, with its NUL (the zero already there).
    fn put_cstr(&mut self, kind: u16, s: &[u8]) {
        self.header(kind, 5 + s.len());
        self.write(s);
        self.len += 1;
        self.pad();
    }

    fn open(&mut self, kind: u16) -> usize {
        let at = self.len;
        self.put(kind, []);
        at
    }

    fn close(&mut self, at: usize) {
        let len = (self.len - at) as u16;
        self.bytes[at..at + 2].copy_from_slice(&len.to_ne_bytes());
    }

    /// `service_id_attrs`, then with a configuration the rest of
    /// `service_attrs`, in the same order.
    fn service(&mut self, id: &ServiceId, cfg: Option<&ServiceConfig>) {
        let nest = self.open(IPVS_CMD_ATTR_SERVICE);
        self.put(IPVS_SVC_ATTR_AF, id.family().raw().to_ne_bytes());
        match id {
            ServiceId::Fwmark { mark, .. } => self.put(IPVS_SVC_ATTR_FWMARK, mark.to_ne_bytes()),
            ServiceId::Addr {
                protocol,
                addr,
                port,
            } => {
                self.put(IPVS_SVC_ATTR_PROTOCOL, protocol.raw().to_ne_bytes());
                self.put(IPVS_SVC_ATTR_ADDR, addr_bytes(addr));
                self.put(IPVS_SVC_ATTR_PORT, port.to_be_bytes());
            }
        }
        if let Some(cfg) = cfg {
            self.put_cstr(IPVS_SVC_ATTR_SCHED_NAME, cfg.scheduler.as_bytes());
            if !cfg.pe_name.is_empty() {
                self.put_cstr(IPVS_SVC_ATTR_PE_NAME, cfg.pe_name.as_bytes());
            }
            let mut flags = [0u8; 8];
            flags[..4].copy_from_slice(&cfg.flags.to_ne_bytes());
            flags[4..].copy_from_slice(&u32::MAX.to_ne_bytes());
            self.put(IPVS_SVC_ATTR_FLAGS, flags);
            self.put(IPVS_SVC_ATTR_TIMEOUT, cfg.timeout.to_ne_bytes());
            self.put(IPVS_SVC_ATTR_NETMASK, cfg.netmask.to_ne_bytes());
        }
        self.close(nest);
    }

    /// `dest_attrs`, in the same order.
    fn dest(&mut self, addr: &std::net::IpAddr, port: u16, cfg: &DestConfig) {
        let nest = self.open(IPVS_CMD_ATTR_DEST);
        self.put(
            IPVS_DEST_ATTR_ADDR_FAMILY,
            Family::of(addr).raw().to_ne_bytes(),
        );
        self.put(IPVS_DEST_ATTR_ADDR, addr_bytes(addr));
        self.put(IPVS_DEST_ATTR_PORT, port.to_be_bytes());
        let fwd = cfg.forward.raw() & Forward::MASK;
        self.put(IPVS_DEST_ATTR_FWD_METHOD, fwd.to_ne_bytes());
        self.put(IPVS_DEST_ATTR_WEIGHT, cfg.weight.to_ne_bytes());
        self.put(IPVS_DEST_ATTR_TUN_TYPE, [cfg.tun_type.raw()]);
        self.put(IPVS_DEST_ATTR_TUN_PORT, cfg.tun_port.to_be_bytes());
        self.put(IPVS_DEST_ATTR_TUN_FLAGS, cfg.tun_flags.to_ne_bytes());
        self.put(IPVS_DEST_ATTR_U_THRESH, cfg.u_threshold.to_ne_bytes());
        self.put(IPVS_DEST_ATTR_L_THRESH, cfg.l_threshold.to_ne_bytes());
        self.close(nest);
    }
}

/// The netlink and genl headers of a request (its length patched by
/// `finish`); returns where the message starts.
fn begin(buf: &mut Vec<u8>, family: u16, flags: u16, seq: u32, cmd: IpvsCmd) -> usize {
    let at = buf.len();
    buf.extend_from_slice(&0u32.to_ne_bytes());
    buf.extend_from_slice(&family.to_ne_bytes());
    buf.extend_from_slice(&flags.to_ne_bytes());
    buf.extend_from_slice(&seq.to_ne_bytes());
    buf.extend_from_slice(&0u32.to_ne_bytes());
    buf.extend_from_slice(&[cmd.raw(), IPVS_GENL_VERSION, 0, 0]);
    at
}

fn finish(buf: &mut [u8], at: usize) {
    let len = (buf.len() - at) as u32;
    buf[at..at + 4].copy_from_slice(&len.to_ne_bytes());
}

/// A GET_DEST dump request for one service, appended to `buf`: the bytes
/// `encode` makes of GET_DEST with the service's identity attributes
/// (`service_id_attrs`).
fn encode_get_dest(buf: &mut Vec<u8>, family: u16, seq: u32, id: &ServiceId) {
    let mut attrs = Attrs::begin(family, NLM_F_REQUEST | NLM_F_DUMP, seq, IpvsCmd::GetDest);
    attrs.service(id, None);
    attrs.append(buf);
}

/// A change appended to `buf`: the bytes `encode_ipvs` makes of
/// `change.message()`.
pub(super) fn encode_change(buf: &mut Vec<u8>, family: u16, seq: u32, change: &Change) {
    let (cmd, id, cfg) = match *change {
        Change::Service { cmd, id, cfg } | Change::Dest { cmd, id, cfg, .. } => (cmd, id, cfg),
    };
    let mut attrs = Attrs::begin(family, NLM_F_REQUEST, seq, cmd);
    attrs.service(id, Some(cfg));
    if let Change::Dest {
        addr, port, dest, ..
    } = *change
    {
        attrs.dest(addr, port, dest);
    }
    attrs.append(buf);
}

/// Where reading the answer to a request stands after one datagram.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// More datagrams belong to this answer.
    More,
    /// The acknowledgement or NLMSG_DONE arrived.
    Finished,
}

/// Read one datagram of the answer to request `seq` sent from `port`:
/// messages for other requests are skipped, an error message ends it with
/// the kernel's errno, an acknowledgement or NLMSG_DONE finishes it, and
/// any message flagged NLM_F_DUMP_INTR sets `interrupted`. Each message
/// of the family goes to `each` as bytes.
pub fn read_datagram(
    buf: &[u8],
    seq: u32,
    port: u32,
    interrupted: &mut bool,
    each: &mut dyn FnMut(&[u8]) -> Result<(), Error>,
) -> Result<Step, Error> {
    let mut off = 0;
    while off < buf.len() {
        let (len, seqno) = frame(&buf[off..])?;
        let bytes = &buf[off..off + len];
        off += len;
        let nb = NetlinkBuffer::new_checked(bytes)?;
        if seqno != seq || (nb.port_number() != 0 && nb.port_number() != port) {
            // A late answer to an earlier request: not ours.
            continue;
        }
        if nb.flags() & NLM_F_DUMP_INTR != 0 {
            *interrupted = true;
        }
        match nb.message_type() {
            NLMSG_ERROR => {
                let payload = nb.payload();
                if payload.len() < 4 {
                    return Err(Error::Malformed("short netlink error message".into()));
                }
                let code = i32::from_ne_bytes([payload[0], payload[1], payload[2], payload[3]]);
                if code == 0 {
                    return Ok(Step::Finished);
                }
                return Err(Error::Kernel(-code));
            }
            NLMSG_DONE => {
                let payload = nb.payload();
                if payload.len() >= 4 {
                    let code = i32::from_ne_bytes([payload[0], payload[1], payload[2], payload[3]]);
                    if code < 0 {
                        return Err(Error::Kernel(-code));
                    }
                }
                return Ok(Step::Finished);
            }
            NLMSG_OVERRUN => return Err(Error::Kernel(libc::ENOBUFS)),
            NLMSG_NOOP => {}
            _ => each(bytes)?,
        }
    }
    Ok(Step::More)
}

/// Length and sequence number of the netlink message at the start of `b`.
pub(super) fn frame(b: &[u8]) -> Result<(usize, u32), Error> {
    let nb = NetlinkBuffer::new_checked(b)?;
    let len = nb.length() as usize;
    // Messages are 4-byte aligned within a datagram.
    let aligned = (len + 3) & !3;
    Ok((aligned.min(b.len()).max(len), nb.sequence_number()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A netlink message: header (len, type, flags, seq, port) + payload.
    fn msg(ty: u16, flags: u16, seq: u32, port: u32, payload: &[u8]) -> Vec<u8> {
        let len = 16 + payload.len();
        let mut v = Vec::new();
        v.extend_from_slice(&(len as u32).to_ne_bytes());
        v.extend_from_slice(&ty.to_ne_bytes());
        v.extend_from_slice(&flags.to_ne_bytes());
        v.extend_from_slice(&seq.to_ne_bytes());
        v.extend_from_slice(&port.to_ne_bytes());
        v.extend_from_slice(payload);
        while v.len() % 4 != 0 {
            v.push(0);
        }
        v
    }

    fn err(code: i32, seq: u32) -> Vec<u8> {
        let mut p = code.to_ne_bytes().to_vec();
        p.extend_from_slice(&[0u8; 16]); // the request's header
        msg(NLMSG_ERROR, 0, seq, 7, &p)
    }

    fn run(buf: &[u8], seq: u32) -> (Result<Step, Error>, usize, bool) {
        let mut n = 0;
        let mut intr = false;
        let r = read_datagram(buf, seq, 7, &mut intr, &mut |_| {
            n += 1;
            Ok(())
        });
        (r, n, intr)
    }

    #[test]
    fn ack_and_errors() {
        assert!(matches!(run(&err(0, 5), 5).0, Ok(Step::Finished)));
        assert!(
            matches!(run(&err(-libc::EEXIST, 5), 5).0, Err(Error::Kernel(e)) if e == libc::EEXIST)
        );
        // An answer to another request is not ours.
        assert!(matches!(run(&err(-libc::EEXIST, 4), 5).0, Ok(Step::More)));
    }

    #[test]
    fn dump_parts_done_and_interrupted() {
        let mut d = msg(30, 2, 9, 7, &[4, 0, 1, 0]);
        d.extend(msg(30, 2 | NLM_F_DUMP_INTR, 9, 7, &[4, 0, 1, 0]));
        let (r, n, intr) = run(&d, 9);
        assert!(matches!(r, Ok(Step::More)));
        assert_eq!((n, intr), (2, true));
        let done = msg(NLMSG_DONE, 2, 9, 7, &0i32.to_ne_bytes());
        assert!(matches!(run(&done, 9).0, Ok(Step::Finished)));
        let failed = msg(NLMSG_DONE, 2, 9, 7, &(-libc::ENOMEM).to_ne_bytes());
        assert!(matches!(run(&failed, 9).0, Err(Error::Kernel(e)) if e == libc::ENOMEM));
    }

    /// An IPv4 TCP, an IPv6 UDP and an IPv6 fwmark service.
    fn sample_ids() -> [ServiceId; 3] {
        [
            ServiceId::Addr {
                protocol: Protocol::Tcp,
                addr: "10.96.0.1".parse().unwrap(),
                port: 443,
            },
            ServiceId::Addr {
                protocol: Protocol::Udp,
                addr: "fd00::a".parse().unwrap(),
                port: 53,
            },
            ServiceId::Fwmark {
                family: Family::Inet6,
                mark: 0x8000_0001,
            },
        ]
    }

    #[test]
    fn get_dest_request_as_the_generic_encoder_makes_it() {
        for id in sample_ids() {
            let msg = IpvsMessage::new(
                IpvsCmd::GetDest,
                vec![CmdAttr::Service(service_id_attrs(&id))],
            );
            let mut genl = GenlMessage::from_payload(msg);
            genl.set_resolved_family_id(0x1234);
            let mut want = Vec::new();
            encode(&mut want, genl, NLM_F_DUMP, 77);
            let mut got = vec![9u8; 3];
            encode_get_dest(&mut got, 0x1234, 77, &id);
            assert_eq!(got[3..], want[..], "{id:?}");
        }
    }

    #[test]
    fn requests_as_the_generic_encoder_makes_them() {
        let id = ServiceId::Addr {
            protocol: Protocol::Tcp,
            addr: "10.96.0.1".parse().unwrap(),
            port: 443,
        };
        let cfg = ServiceConfig {
            scheduler: "wlc".into(),
            pe_name: "sip".into(),
            flags: 3,
            timeout: 300,
            ..Default::default()
        };
        let daemon = Daemon {
            state: 1,
            mcast_ifn: "eth0".into(),
            syncid: 7,
            mcast_group: Some("224.0.0.81".parse().unwrap()),
            ..Default::default()
        };
        let msgs = [
            requests::add_service(&id, &cfg),
            requests::edit_dest(
                &id,
                &cfg,
                &"fd00::1".parse().unwrap(),
                8080,
                &DestConfig::default(),
            ),
            requests::flush(),
            requests::zero(None),
            requests::set_timeouts(&Timeouts {
                tcp: 900,
                tcp_fin: 120,
                udp: 300,
            }),
            requests::start_daemon(&daemon),
            IpvsMessage::new(IpvsCmd::GetInfo, vec![]),
        ];
        for (i, msg) in msgs.iter().enumerate() {
            let mut genl = GenlMessage::from_payload(msg.clone());
            genl.set_resolved_family_id(0x1234);
            let mut want = Vec::new();
            encode(&mut want, genl, NLM_F_ACK, 5);
            let mut got = Vec::new();
            encode_ipvs(&mut got, 0x1234, NLM_F_ACK, 5, msg);
            assert_eq!(got, want, "message {i}");
        }
    }

    #[test]
    fn changes_encode_as_their_messages() {
        let ids = sample_ids();
        let cfgs = [
            ServiceConfig {
                scheduler: "rr".into(),
                ..Default::default()
            },
            ServiceConfig {
                scheduler: "mh".into(),
                pe_name: "sip".into(),
                flags: 0x1f,
                timeout: 300,
                netmask: 0xffff_ff00,
            },
            // Names at their 16 bytes: the largest request there is.
            ServiceConfig {
                scheduler: ShortName::truncated("abcdefghijklmnopq"),
                pe_name: ShortName::truncated("0123456789abcdefg"),
                flags: 1,
                timeout: 1,
                netmask: 128,
            },
        ];
        let dests = [
            ("10.244.0.2".parse().unwrap(), 8080, DestConfig::default()),
            (
                "fd00::1".parse().unwrap(),
                0,
                DestConfig {
                    forward: Forward::Tunnel,
                    weight: 0,
                    u_threshold: 7,
                    l_threshold: 3,
                    tun_type: TunnelType::Gue,
                    tun_port: 6080,
                    tun_flags: 5,
                },
            ),
        ];
        let mut changes = Vec::new();
        for id in &ids {
            for cfg in &cfgs {
                for cmd in [
                    IpvsCmd::NewService,
                    IpvsCmd::SetService,
                    IpvsCmd::DelService,
                ] {
                    changes.push(Change::Service { cmd, id, cfg });
                }
                for (addr, port, dest) in &dests {
                    for cmd in [IpvsCmd::NewDest, IpvsCmd::SetDest, IpvsCmd::DelDest] {
                        changes.push(Change::Dest {
                            cmd,
                            id,
                            cfg,
                            addr,
                            port: *port,
                            dest,
                        });
                    }
                }
            }
        }
        for c in &changes {
            let mut want = vec![9u8; 3];
            encode_ipvs(&mut want, 0x1234, 0, 5, &c.message());
            let mut got = vec![9u8; 3];
            encode_change(&mut got, 0x1234, 5, c);
            assert_eq!(got, want, "{c:?}");
        }
    }

    #[test]
    fn malformed_datagrams_are_errors() {
        let mut d = err(0, 5);
        d.truncate(10);
        assert!(matches!(run(&d, 5).0, Err(Error::Malformed(_))));
        let mut d = err(0, 5);
        d[0] = 200; // claims more bytes than there are
        assert!(matches!(run(&d, 5).0, Err(Error::Malformed(_))));
        let short = msg(NLMSG_ERROR, 0, 5, 7, &[1, 2]);
        assert!(matches!(run(&short, 5).0, Err(Error::Malformed(_))));
    }
}
