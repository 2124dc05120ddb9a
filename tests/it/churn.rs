//! The churn check of the text listings (issue 17): a small model of the
//! IPVS table that replays the writer's log of `-R` lines
//! (tests/kernel/ours/list-paths, section "churn/log") from the empty
//! table and keeps every state each service went through, and the service
//! blocks of an `-Sn` listing taken while the writer ran, each of which
//! must be one of those states: a block the kernel never had is a listing
//! that mixed two moments (or a real server listed twice).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::net::SocketAddr;

/// A service as a rule names it: its protocol option (`-t`, `-u`) and
/// address.
pub type Svc = (String, SocketAddr);

/// A service's real servers: forwarding option (`-m`, `-g`, `-i`) and
/// weight, by address.
pub type Servers = BTreeMap<SocketAddr, (String, u32)>;

/// One rule line, as the writer feeds it and as `-S` prints it.
struct Rule {
    op: String,
    svc: Svc,
    server: Option<SocketAddr>,
    forward: Option<String>,
    weight: Option<u32>,
}

fn addr(s: &str, line: &str) -> SocketAddr {
    s.parse()
        .unwrap_or_else(|e| panic!("not an address ({e}) in {line:?}"))
}

/// A rule line of the shapes the writer feeds; anything else panics, so
/// that the model never guesses at a line it does not know.
fn rule(line: &str) -> Rule {
    let mut t = line.split_whitespace();
    let op = t.next().unwrap_or_default().to_string();
    assert!(
        ["-A", "-D", "-a", "-e", "-d"].contains(&op.as_str()),
        "unknown rule {line:?}"
    );
    let (mut svc, mut server, mut forward, mut weight) = (None, None, None, None);
    while let Some(o) = t.next() {
        let mut arg = || {
            t.next()
                .unwrap_or_else(|| panic!("{o} lacks a value: {line:?}"))
        };
        match o {
            "-t" | "-u" => svc = Some((o.to_string(), addr(arg(), line))),
            "-r" => server = Some(addr(arg(), line)),
            "-m" | "-g" | "-i" => forward = Some(o.to_string()),
            "-w" => weight = Some(arg().parse().unwrap()),
            // Every service is rr; -S names the tunnel's type (ipip, the
            // default, the only one the writer uses); the one service
            // with a persistence engine has it with a timeout (the model
            // keeps neither).
            "-s" | "--tun-type" | "-p" | "--pe" => {
                arg();
            }
            _ => panic!("unknown option {o} in {line:?}"),
        }
    }
    Rule {
        op,
        svc: svc.unwrap_or_else(|| panic!("no service in {line:?}")),
        server,
        forward,
        weight,
    }
}

/// A real server as a listing prints it: address, forwarding option and
/// weight.
pub type Server = (SocketAddr, (String, u32));

/// The table as the log leaves it, every state each service had, and
/// every real server (with its forwarding and weight) each one held.
#[derive(Default)]
pub struct History {
    pub now: BTreeMap<Svc, Servers>,
    pub states: HashMap<Svc, HashSet<Servers>>,
    held: HashMap<Svc, HashSet<Server>>,
}

impl History {
    /// Replay the writer's log from the empty table. A line the kernel
    /// refuses (a service that exists or does not, a real server that
    /// does or does not) changes nothing, as `-R` carries on past it.
    pub fn replay(log: &str) -> History {
        let mut h = History::default();
        for line in log.lines() {
            h.apply(line);
        }
        h
    }

    fn apply(&mut self, line: &str) {
        let r = rule(line);
        let server = || {
            r.server
                .unwrap_or_else(|| panic!("no real server in {line:?}"))
        };
        let config = || {
            // The writer always names both: ipvsadm's defaults are no
            // part of the model.
            let f = r.forward.clone();
            let w = r.weight;
            (
                f.unwrap_or_else(|| panic!("no forwarding in {line:?}")),
                w.unwrap_or_else(|| panic!("no weight in {line:?}")),
            )
        };
        match r.op.as_str() {
            "-A" if !self.now.contains_key(&r.svc) => {
                self.now.insert(r.svc.clone(), Servers::new());
            }
            "-D" => {
                self.now.remove(&r.svc);
                return;
            }
            "-a" | "-e" | "-d" => {
                let Some(s) = self.now.get_mut(&r.svc) else {
                    return;
                };
                let there = s.contains_key(&server());
                match r.op.as_str() {
                    "-a" if !there => s.insert(server(), config()),
                    "-e" if there => s.insert(server(), config()),
                    "-d" if there => s.remove(&server()),
                    _ => return,
                };
            }
            _ => return,
        }
        let state = &self.now[&r.svc];
        let held = self.held.entry(r.svc.clone()).or_default();
        held.extend(state.iter().map(|(a, c)| (*a, c.clone())));
        self.states
            .entry(r.svc.clone())
            .or_default()
            .insert(state.clone());
    }

    /// Whether the service had exactly the block's real servers at some
    /// point (a real server listed twice never matches).
    pub fn had(&self, b: &Block) -> bool {
        let state: Servers = b.servers.iter().cloned().collect();
        state.len() == b.servers.len()
            && self.states.get(&b.svc).is_some_and(|s| s.contains(&state))
    }

    /// What in the block was never in the table at all: the service, or a
    /// real server with that forwarding and weight in that service. Any
    /// path, even a dump that is no snapshot, prints only what was there.
    pub fn stray(&self, b: &Block) -> Option<String> {
        // Every service the log ever made has an entry, empty or not.
        let Some(held) = self.held.get(&b.svc) else {
            return Some(format!("{:?} was never a service", b.svc));
        };
        b.servers
            .iter()
            .find(|s| !held.contains(s))
            .map(|s| format!("{s:?} was never a real server of {:?}", b.svc))
    }
}

/// A service block of an `-Sn` listing: its `-A` line's service and the
/// real servers of the `-a` lines after it, in their order.
#[derive(Debug)]
pub struct Block {
    pub svc: Svc,
    pub servers: Vec<Server>,
}

impl Block {
    /// Whether only the netlink path can list it: an IPv6 service (the
    /// getsockopt interface knows none), or one with a tunnel (`-S`
    /// writes the tunnel's type, which getsockopt does not give; an IPv6
    /// real server in an IPv4 service is always one).
    pub fn netlink_only(&self) -> bool {
        self.svc.1.is_ipv6() || self.servers.iter().any(|(_, (f, _))| f == "-i")
    }
}

/// The service blocks of an `-Sn` listing, in its order. Panics on a line
/// that is not a rule, or an `-a` line outside its service's block.
pub fn blocks(listing: &str) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::new();
    for line in listing.lines() {
        let r = rule(line);
        match r.op.as_str() {
            "-A" => out.push(Block {
                svc: r.svc,
                servers: Vec::new(),
            }),
            "-a" => {
                let b = out
                    .last_mut()
                    .filter(|b| b.svc == r.svc)
                    .unwrap_or_else(|| panic!("{line:?} outside its service's block"));
                let config = (r.forward.unwrap(), r.weight.unwrap());
                b.servers.push((r.server.unwrap(), config));
            }
            _ => panic!("{line:?} in a listing"),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    // The check itself must be able to fail: a block made of two moments
    // is refused, the moments themselves are not; refused lines change
    // nothing.
    #[test]
    fn a_block_the_kernel_never_had_is_told() {
        let h = History::replay(
            "-a -t 10.0.0.1:80 -r 10.1.0.1:80 -m -w 1\n\
             -A -t 10.0.0.1:80 -s rr\n\
             -a -t 10.0.0.1:80 -r 10.1.0.1:80 -m -w 1\n\
             -a -t 10.0.0.1:80 -r 10.1.0.1:80 -g -w 5\n\
             -e -t 10.0.0.1:80 -r 10.1.0.2:80 -g -w 5\n\
             -a -t 10.0.0.1:80 -r 10.1.0.2:80 -g -w 2\n\
             -d -t 10.0.0.1:80 -r 10.1.0.1:80\n\
             -e -t 10.0.0.1:80 -r 10.1.0.2:80 -m -w 3\n\
             -A -t 10.0.0.1:80 -s rr\n",
        );
        let block = |rest: &str| {
            let mut b = blocks(&format!("-A -t 10.0.0.1:80 -s rr\n{rest}"));
            assert_eq!(b.len(), 1);
            b.remove(0)
        };
        let one = "-a -t 10.0.0.1:80 -r 10.1.0.1:80 -m -w 1\n";
        let two = "-a -t 10.0.0.1:80 -r 10.1.0.2:80 -g -w 2\n";
        let three = "-a -t 10.0.0.1:80 -r 10.1.0.2:80 -m -w 3\n";
        for ok in ["", one, &format!("{one}{two}"), two, three] {
            let b = block(ok);
            assert!(h.had(&b) && h.stray(&b).is_none(), "{b:?}");
        }
        // Each line was there, never the two together; twice the same.
        for torn in [format!("{one}{three}"), format!("{one}{one}")] {
            let b = block(&torn);
            assert!(!h.had(&b) && h.stray(&b).is_none(), "{b:?}");
        }
        // Refused lines: no -g -w 5, no service 10.0.0.9.
        let b = block("-a -t 10.0.0.1:80 -r 10.1.0.1:80 -g -w 5\n");
        assert!(!h.had(&b) && h.stray(&b).is_some(), "{b:?}");
        let b = blocks("-A -t 10.0.0.9:80 -s rr\n").remove(0);
        assert!(!h.had(&b) && h.stray(&b).is_some(), "{b:?}");
        assert_eq!(h.now.len(), 1);
    }
}
