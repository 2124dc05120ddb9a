//! A probe of the restore batcher against the real kernel, run by the
//! kernel test `batcher_survives_overruns` (tests/kernel/ours/batch-probe):
//! how many error answers the kernel queues for one batch before its
//! receive buffer overruns, what the batcher reports then, and whether
//! the socket still works afterwards.
//!
//! usage: batch-probe COUNT
//!
//! In an empty IPVS table it sends COUNT deletions of firewall-mark
//! services that do not exist (each answered ESRCH) in one batch, over a
//! socket with a small receive buffer and no batch limit, and prints
//! `key=value` lines:
//! - default_rcvbuf, default_limit: the receive buffer a client gets and
//!   the batch limit that follows;
//! - rcvbuf, limit: the receive buffer granted and the limit the client
//!   would have used;
//! - refused, unknown: requests answered ESRCH, and reported `Unknown`
//!   (their answers lost); `order=ok` when the refused ones are exactly the
//!   first `refused` requests, in order;
//! - cost: the receive buffer charged per answer (rcvbuf / refused);
//! - after: after the overrun, one service added and the table listed
//!   (`after=ok` when exactly that service is there);
//! - bounded_refused, bounded_unknown: the same COUNT deletions again,
//!   batched as the client batches by itself (limit restored).

use ipvsadm::ipvs::batch::{Batch, Refusal};
use ipvsadm::ipvs::{requests, Client, Family, ServiceConfig, ServiceId};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let count: usize = std::env::args()
        .nth(1)
        .ok_or("usage: batch-probe COUNT")?
        .parse()?;
    let mut c = Client::connect()?;
    println!("default_rcvbuf={}", c.receive_buffer());
    println!("default_limit={}", c.batch_limit());
    c.set_receive_buffer(32 * 1024);
    let limit = c.batch_limit();
    println!("rcvbuf={}", c.receive_buffer());
    println!("limit={limit}");
    c.set_batch_limit(usize::MAX);
    let cfg = ServiceConfig::default();
    let id = |i: usize| ServiceId::Fwmark {
        family: Family::Inet,
        mark: 1_000_000 + i as u32,
    };
    let mut batch = Batch::default();
    for i in 0..count {
        c.batch_push(&mut batch, &requests::del_service(&id(i), &cfg), i);
    }
    let answers = c.batch_flush(&mut batch);
    let refused: Vec<usize> = answers
        .iter()
        .filter(|(_, r)| *r == Refusal::Errno(libc::ESRCH))
        .map(|(t, _)| *t)
        .collect();
    let unknown = answers
        .iter()
        .filter(|(_, r)| *r == Refusal::Unknown)
        .count();
    let in_order = refused.iter().enumerate().all(|(i, t)| i == *t)
        && answers.len() == count
        && answers.iter().enumerate().all(|(i, (t, _))| i == *t);
    println!("refused={}", refused.len());
    println!("unknown={unknown}");
    println!("order={}", if in_order { "ok" } else { "wrong" });
    if !refused.is_empty() {
        println!("cost={}", c.receive_buffer() / refused.len());
    }
    println!("limit_after_loss={}", c.batch_limit());

    // The socket works after the overrun: a change and a listing.
    let cfg_rr = ServiceConfig {
        scheduler: "rr".into(),
        ..Default::default()
    };
    c.execute(&requests::add_service(&id(0), &cfg_rr))?;
    let listed = c.services()?;
    let ok = listed.len() == 1 && listed[0].id == id(0);
    println!("after={}", if ok { "ok" } else { "wrong" });
    c.execute(&requests::del_service(&id(0), &cfg))?;

    // Batched as the client batches by itself: nothing is lost.
    c.set_batch_limit(limit);
    let (mut refused, mut unknown) = (0, 0);
    for i in 0..count {
        c.batch_push(&mut batch, &requests::del_service(&id(i), &cfg), i);
        if batch.is_full() || i + 1 == count {
            for (_, r) in c.batch_flush(&mut batch) {
                match r {
                    Refusal::Errno(libc::ESRCH) => refused += 1,
                    _ => unknown += 1,
                }
            }
        }
    }
    println!("bounded_refused={refused}");
    println!("bounded_unknown={unknown}");
    Ok(())
}
