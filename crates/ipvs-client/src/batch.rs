//! Changes sent many to a datagram (`-R`, `--reconcile`): the batch, how
//! many changes it may carry, and how the kernel's answers are read and
//! accounted for. The kernel handles a datagram's requests inside the
//! send and queues an error answer for each it refuses, so a batch never
//! carries more changes than the receive buffer can hold answers for,
//! and a lost answer is told, never waited for.

use netlink_packet_core::{NetlinkBuffer, NLMSG_ERROR, NLM_F_ACK, NLM_F_REQUEST};

use super::client::{encode_change, encode_ipvs, frame, Client, Step};
use super::family::IpvsMessage;
use super::requests::Change;
use crate::Error;

/// Re-exported where it was first defined: a batch is sized by it.
pub use super::client::REPLY_COST;

impl Client {
    /// Add a change to a batch; `tag` names it in the failures
    /// `batch_flush` reports. Flush when `batch.is_full()`.
    pub fn batch_push(&mut self, batch: &mut Batch, msg: &IpvsMessage, tag: usize) {
        let seq = self.next_seq();
        batch.last_header = Some(batch.buf.len());
        encode_ipvs(&mut batch.buf, self.family, 0, seq, msg);
        batch.entries.push((seq, tag));
        batch.limit = self.batch_limit;
    }

    /// `batch_push` for a change to one service or real server, encoded
    /// straight into the batch.
    pub fn batch_push_change(&mut self, batch: &mut Batch, change: &Change, tag: usize) {
        let seq = self.next_seq();
        batch.last_header = Some(batch.buf.len());
        encode_change(&mut batch.buf, self.family, seq, change);
        batch.entries.push((seq, tag));
        batch.limit = self.batch_limit;
    }

    /// Add an already encoded request (a whole netlink message, as
    /// `batch_push` would make it) to a batch: its family, sequence number
    /// and request flag are set here (the kernel acknowledges a message
    /// without NLM_F_REQUEST and does nothing with it).
    pub fn batch_push_encoded(&mut self, batch: &mut Batch, bytes: &[u8], tag: usize) {
        let seq = self.next_seq();
        let at = batch.buf.len();
        batch.buf.extend_from_slice(bytes);
        batch.buf[at + 4..at + 6].copy_from_slice(&self.family.to_ne_bytes());
        let flags = u16::from_ne_bytes([batch.buf[at + 6], batch.buf[at + 7]]) | NLM_F_REQUEST;
        batch.buf[at + 6..at + 8].copy_from_slice(&flags.to_ne_bytes());
        batch.buf[at + 8..at + 12].copy_from_slice(&seq.to_ne_bytes());
        batch.last_header = Some(at);
        batch.entries.push((seq, tag));
        batch.limit = self.batch_limit;
    }

    /// Send every change of the batch in one datagram, acknowledgement
    /// asked on the last only, and read every answer. Returns what became
    /// of the requests that did not simply succeed, as (tag, refusal), in
    /// the order they were sent. Socket errors are not returned: they
    /// become the refusals of the requests they concern.
    ///
    /// The kernel handles the datagram's requests in order, inside the
    /// send itself, and queues an error message for each that fails. So
    /// when the send returns, every answer is queued or was dropped, and
    /// reading never waits: a missing answer is a lost one, never a late
    /// one. Answers are lost only when the receive buffer overruns, which
    /// `batch_limit` rules out on kernels that charge an error message at
    /// most `REPLY_COST`; should it happen anyway, the requests whose
    /// answers may be among the lost ones are reported `Unknown`, the
    /// socket is drained (so it is usable again), and from then on every
    /// batch carries one request.
    pub fn batch_flush(&mut self, batch: &mut Batch) -> Vec<(usize, Refusal)> {
        let Some(last) = batch.last_header else {
            return Vec::new();
        };
        set_ack(&mut batch.buf, last);
        let entries = std::mem::take(&mut batch.entries);
        batch.last_header = None;
        let out = match self.main.sock.send(&batch.buf, 0) {
            Ok(_) => self.read_batch_answers(&entries),
            // Nothing of a datagram that could not be sent was applied:
            // its requests go one by one, each with its own answer.
            Err(_) => self.send_one_by_one(&batch.buf, &entries),
        };
        batch.buf.clear();
        out
    }

    /// Read the answers to a batch just sent (see `batch_flush`).
    fn read_batch_answers(&mut self, entries: &[(u32, usize)]) -> Vec<(usize, Refusal)> {
        let (first, last) = (entries[0].0, entries[entries.len() - 1].0);
        let mut failed: Vec<(u32, i32)> = Vec::new();
        let mut lost = false;
        let mut finished = false;
        // The highest sequence number answered: every request up to it is
        // accounted for, as answers are queued in order until the first
        // one dropped, and none after it.
        let mut answered: Option<u32> = None;
        loop {
            match self.main.recv_flags(libc::MSG_DONTWAIT) {
                Ok(n) => {
                    let step = read_batch_replies(
                        &self.main.rbuf[..n],
                        first,
                        last,
                        self.main.port,
                        &mut failed,
                        &mut answered,
                    );
                    match step {
                        Ok(Step::Finished) => finished = true,
                        Ok(Step::More) => {}
                        // A reply that cannot be read says nothing of
                        // its request: taken as lost.
                        Err(_) => lost = true,
                    }
                    if finished && !lost {
                        break;
                    }
                }
                Err(e) if e.raw_os_error() == Some(libc::ENOBUFS) => lost = true,
                // Queue empty: everything the kernel kept has been read.
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => break,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(_) => {
                    lost = true;
                    break;
                }
            }
        }
        let complete = finished && !lost;
        if !complete {
            self.batch_limit = 1;
        }
        account(entries, &failed, (!complete).then_some(answered))
    }

    /// Send the requests of an encoded batch one by one, each asking for
    /// its acknowledgement, and wait for each answer.
    fn send_one_by_one(&mut self, buf: &[u8], entries: &[(u32, usize)]) -> Vec<(usize, Refusal)> {
        let mut out = Vec::new();
        let mut off = 0;
        for &(_, tag) in entries {
            let len = u32::from_ne_bytes([buf[off], buf[off + 1], buf[off + 2], buf[off + 3]]);
            let one = &buf[off..off + len as usize];
            off += len as usize;
            let mut single = Batch::default();
            self.batch_push_encoded(&mut single, one, tag);
            set_ack(&mut single.buf, 0);
            let refusal = match self.main.sock.send(&single.buf, 0) {
                Ok(_) => self.read_batch_answers(&single.entries).pop().map(|r| r.1),
                Err(e) => Some(Refusal::Errno(e.raw_os_error().unwrap_or(libc::EIO))),
            };
            if let Some(r) = refusal {
                out.push((tag, r));
            }
        }
        out
    }

    /// The most requests one batch may carry now (see `batch_flush`).
    pub fn batch_limit(&self) -> usize {
        self.batch_limit
    }

    /// Set how many requests a batch may carry: for tests that provoke a
    /// receive-buffer overrun on purpose.
    pub fn set_batch_limit(&mut self, limit: usize) {
        self.batch_limit = limit.max(1);
    }

    /// Ask for a receive buffer of `bytes` (as SO_RCVBUF, within the
    /// system's limit) and fit the batch limit to what the kernel grants:
    /// for tests and probes of small buffers.
    pub fn set_receive_buffer(&mut self, bytes: usize) {
        let _ = self.main.sock.set_rx_buf_sz(bytes as libc::c_int);
        self.batch_limit = (self.receive_buffer() / REPLY_COST).max(1);
    }

    /// The receive buffer the kernel charges answers to, in bytes (what
    /// `SO_RCVBUF` reads back: twice what was asked, as the kernel counts
    /// its own overhead).
    pub fn receive_buffer(&self) -> usize {
        self.main.sock.get_rx_buf_sz().unwrap_or(0)
    }
}

/// Changes waiting to be sent together (see `Client::batch_push`).
#[derive(Debug, Default)]
pub struct Batch {
    buf: Vec<u8>,
    last_header: Option<usize>,
    entries: Vec<(u32, usize)>,
    /// The client's `batch_limit` when a request was last added.
    limit: usize,
}

/// What became of a batched request that did not simply succeed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The kernel refused it with this errno (positive).
    Errno(i32),
    /// Its answer was lost to a receive-buffer overrun: whether the
    /// kernel applied it is not known.
    Unknown,
}

impl Batch {
    /// What one send carries at most: well under the kernel's default
    /// socket send buffer, which bounds a netlink datagram.
    pub const MAX_BYTES: usize = 128 * 1024;

    /// Whether no change is queued.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Whether another change might not fit, in bytes or in the answers
    /// the receive buffer can hold.
    pub fn is_full(&self) -> bool {
        self.buf.len() + 1024 > Self::MAX_BYTES || self.entries.len() >= self.limit.max(1)
    }
}

/// What became of a batch's requests, as (tag, refusal) in the order they
/// were sent: those with an error answer in `failed` (seq, errno, in
/// order) were refused; with answers lost, every request after the
/// latest one answered (`lost_after`, or all when none was) is unknown.
fn account(
    entries: &[(u32, usize)],
    failed: &[(u32, i32)],
    lost_after: Option<Option<u32>>,
) -> Vec<(usize, Refusal)> {
    let first = entries.first().map_or(0, |e| e.0);
    let mut out = Vec::with_capacity(failed.len());
    let mut failed = failed.iter().peekable();
    for &(seq, tag) in entries {
        if let Some(&&(_, errno)) = failed.peek().filter(|(s, _)| *s == seq) {
            failed.next();
            out.push((tag, Refusal::Errno(errno)));
        } else if let Some(answered) = lost_after {
            let after = seq.wrapping_sub(first);
            if answered.is_none_or(|a| after > a.wrapping_sub(first)) {
                out.push((tag, Refusal::Unknown));
            }
        }
    }
    out
}

/// Ask for an acknowledgement on the request that starts at `at` in
/// `buf` (its flags sit at bytes 6..8 of the netlink header).
fn set_ack(buf: &mut [u8], at: usize) {
    let flags = u16::from_ne_bytes([buf[at + 6], buf[at + 7]]) | NLM_F_ACK;
    buf[at + 6..at + 8].copy_from_slice(&flags.to_ne_bytes());
}

/// Read one datagram of the answers to a batch of requests numbered
/// `first..=last`: each error message is recorded as (seq, errno), and
/// `answered` keeps the latest sequence number answered; the answer to
/// `last` (its acknowledgement or error) finishes the batch.
pub fn read_batch_replies(
    buf: &[u8],
    first: u32,
    last: u32,
    port: u32,
    failed: &mut Vec<(u32, i32)>,
    answered: &mut Option<u32>,
) -> Result<Step, Error> {
    let mut off = 0;
    let mut step = Step::More;
    while off < buf.len() {
        let (len, seqno) = frame(&buf[off..])?;
        let bytes = &buf[off..off + len];
        off += len;
        let nb = NetlinkBuffer::new_checked(bytes)?;
        let ours = seqno.wrapping_sub(first) <= last.wrapping_sub(first);
        if !ours || (nb.port_number() != 0 && nb.port_number() != port) {
            continue;
        }
        if nb.message_type() != NLMSG_ERROR {
            continue;
        }
        let payload = nb.payload();
        if payload.len() < 4 {
            return Err(Error::Malformed("short netlink error message".into()));
        }
        let code = i32::from_ne_bytes([payload[0], payload[1], payload[2], payload[3]]);
        if code != 0 {
            failed.push((seqno, -code));
        }
        *answered = Some(seqno);
        if seqno == last {
            step = Step::Finished;
        }
    }
    Ok(step)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batch_accounting() {
        let s = |i: u32| (u32::MAX - 2).wrapping_add(i);
        let entries: Vec<(u32, usize)> = (0..6).map(|i| (s(i), i as usize)).collect();
        let failed = [(s(1), libc::EEXIST), (s(2), libc::ESRCH)];
        // Every answer read: the refusals alone, in order.
        let all = account(&entries, &failed, None);
        assert_eq!(
            all,
            [
                (1, Refusal::Errno(libc::EEXIST)),
                (2, Refusal::Errno(libc::ESRCH))
            ]
        );
        // Answers lost after the third (sequence numbers wrap on the way):
        // the rest are unknown.
        let lost = account(&entries, &failed, Some(Some(s(2))));
        assert_eq!(
            lost,
            [
                (1, Refusal::Errno(libc::EEXIST)),
                (2, Refusal::Errno(libc::ESRCH)),
                (3, Refusal::Unknown),
                (4, Refusal::Unknown),
                (5, Refusal::Unknown)
            ]
        );
        // Nothing answered at all: everything unknown.
        assert_eq!(account(&entries, &[], Some(None)).len(), 6);
    }
}
