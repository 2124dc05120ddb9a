//! Row order exactly as ipvsadm 1.31 gives it: glibc 2.36's qsort (a
//! top-down merge sort) driven by libipvs's comparators, which subtract
//! addresses as unsigned 32-bit numbers into an int and so are not
//! transitive. Reproducing both the comparator and the algorithm is the
//! only way to print the same order from the same kernel dump order.

use std::net::IpAddr;

use crate::ipvs::{Dest, Family, Service, ServiceDef, ServiceId};

/// glibc `msort_with_tmp`: split at n/2, sort both halves, merge taking
/// from the left while `cmp(left, right) <= 0`. Items are moved, not
/// cloned; `tmp` is the merge buffer glibc allocates once. Generic over
/// the comparator so that it is inlined (a listing makes ~n log n calls).
pub fn glibc_msort<T: Copy, F: Fn(&T, &T) -> i32>(v: &mut [T], cmp: &F) {
    let mut tmp = v.to_vec();
    msort_with_tmp(v, &mut tmp, cmp);
}

/// The merge sort itself; `tmp` holds at least half of `v`'s items (what
/// it holds on the way in does not matter). The merge copies the left half
/// out first and writes back into `v`: the same comparisons in the same
/// order as glibc's, so the same result from a comparator that is not
/// transitive, with fewer bounds checks. Two items are glibc's merge of
/// two singles: one comparison.
fn msort_with_tmp<T: Copy, F: Fn(&T, &T) -> i32>(v: &mut [T], tmp: &mut [T], cmp: &F) {
    let n = v.len();
    if n <= 1 {
        return;
    }
    if n == 2 {
        if cmp(&v[0], &v[1]) > 0 {
            v.swap(0, 1);
        }
        return;
    }
    let n1 = n / 2;
    msort_with_tmp(&mut v[..n1], tmp, cmp);
    msort_with_tmp(&mut v[n1..], tmp, cmp);
    let left = &mut tmp[..n1];
    left.copy_from_slice(&v[..n1]);
    let (mut i, mut j, mut k) = (0, n1, 0);
    while i < n1 && j < n {
        let (a, b) = (left[i], v[j]);
        if cmp(&a, &b) <= 0 {
            v[k] = a;
            i += 1;
        } else {
            v[k] = b;
            j += 1;
        }
        k += 1;
    }
    // What is left of the right half is already in place; what is left
    // of the left half fills the rest.
    v[k..k + (n1 - i)].copy_from_slice(&left[i..]);
}

/// How many items an order is worked out for on the stack (a service's
/// real servers, most of the time): no allocation per service.
const ON_STACK: usize = 16;

/// The order glibc's qsort gives, as positions into the `n` items:
/// sorted by index, as glibc sorts large elements indirectly (through an
/// array of pointers), so nothing big is copied. `cmp` compares two
/// positions.
fn order<F: Fn(usize, usize) -> i32>(n: usize, cmp: F) -> Vec<u32> {
    let mut idx: Vec<u32> = (0..n as u32).collect();
    let mut tmp = vec![0u32; n];
    msort_with_tmp(&mut idx, &mut tmp, &|a: &u32, b: &u32| {
        cmp(*a as usize, *b as usize)
    });
    idx
}

/// Sort by index (see `order`), then move the items into place along the
/// permutation's cycles, so no second copy of the table is made. Up to
/// `ON_STACK` items are ordered without touching the heap.
fn sort_by_index<T, F: Fn(&[T], usize, usize) -> i32>(v: &mut [T], cmp: F) {
    let n = v.len();
    if n < 2 {
        return;
    }
    let items: &[T] = v;
    let by_pos = |a: &u32, b: &u32| cmp(items, *a as usize, *b as usize);
    if n <= ON_STACK {
        let mut idx = [0u32; ON_STACK];
        let mut tmp = [0u32; ON_STACK];
        for (i, x) in idx.iter_mut().enumerate() {
            *x = i as u32;
        }
        msort_with_tmp(&mut idx[..n], &mut tmp, &by_pos);
        permute(v, &mut idx[..n]);
    } else {
        let mut idx = order(n, |a, b| cmp(items, a, b));
        permute(v, &mut idx);
    }
}

/// Reorder `v` so that position i holds what was at `idx[i]`; `idx` is
/// used up (each finished position is marked by pointing at itself).
fn permute<T>(v: &mut [T], idx: &mut [u32]) {
    for start in 0..v.len() {
        let mut j = start;
        // Position j holds the item that belongs at the cycle's end.
        while idx[j] as usize != start {
            let k = idx[j] as usize;
            v.swap(j, k);
            idx[j] = j as u32;
            j = k;
        }
        idx[j] = j as u32;
    }
}

/// The four host-order words of an address as libipvs sees the union
/// (an IPv4 address fills the first word, the rest are zero).
fn words(a: &IpAddr) -> [u32; 4] {
    match a {
        IpAddr::V4(v) => [u32::from(*v), 0, 0, 0],
        IpAddr::V6(v) => {
            let o = v.octets();
            let mut w = [0u32; 4];
            for (i, c) in o.chunks(4).enumerate() {
                w[i] = u32::from_be_bytes([c[0], c[1], c[2], c[3]]);
            }
            w
        }
    }
}

/// `r = ntohl(a) - ntohl(b)` as C computes it into an int.
fn sub(a: u32, b: u32) -> i32 {
    a.wrapping_sub(b) as i32
}

/// Compare addresses as libipvs does: all four words when the first
/// operand is IPv6, else the first word only.
fn cmp_addr(first_is_v6: bool, a: &IpAddr, b: &IpAddr) -> i32 {
    cmp_words(first_is_v6, &words(a), &words(b))
}

fn cmp_words(first_is_v6: bool, wa: &[u32; 4], wb: &[u32; 4]) -> i32 {
    if first_is_v6 {
        let mut r = 0;
        for i in 0..4 {
            if r != 0 {
                break;
            }
            r = sub(wa[i], wb[i]);
        }
        r
    } else {
        sub(wa[0], wb[0])
    }
}

/// What `ipvs_cmp_services` reads of a service entry: fwmark, family,
/// protocol, the address's words (zero for a fwmark service) and port.
#[derive(Clone, Copy)]
struct SvcKey {
    fwmark: u32,
    af: u16,
    proto: u16,
    words: [u32; 4],
    port: u16,
}

fn svc_key(id: &ServiceId) -> SvcKey {
    match *id {
        ServiceId::Fwmark { family, mark } => SvcKey {
            fwmark: mark,
            af: family.raw(),
            proto: 0,
            words: [0; 4],
            port: 0,
        },
        ServiceId::Addr {
            protocol,
            addr,
            port,
        } => SvcKey {
            fwmark: 0,
            af: Family::of(&addr).raw(),
            proto: protocol.raw(),
            words: words(&addr),
            port,
        },
    }
}

fn cmp_keys(a: &SvcKey, b: &SvcKey) -> i32 {
    let r = sub(a.fwmark, b.fwmark);
    if r != 0 {
        return r;
    }
    let r = a.af as i32 - b.af as i32;
    if r != 0 {
        return r;
    }
    let r = a.proto as i32 - b.proto as i32;
    if r != 0 {
        return r;
    }
    let r = cmp_words(a.af == Family::AF_INET6, &a.words, &b.words);
    if r != 0 {
        return r;
    }
    a.port as i32 - b.port as i32
}

/// libipvs `ipvs_cmp_services`.
pub fn cmp_services(a: &Service, b: &Service) -> i32 {
    cmp_ids(&a.id, &b.id)
}

/// `ipvs_cmp_services` on two services' identities. Two IPv4 addresses
/// (the bulk of a kube-proxy table) are compared on their packed keys
/// (`Packed::cmp_plain`): both fwmarks are 0 and both families AF_INET,
/// so what is left is the protocol, the first word and the port, as
/// `cmp_keys` takes them.
fn cmp_ids(a: &ServiceId, b: &ServiceId) -> i32 {
    cmp_packed(&Packed::of(a, 0), &Packed::of(b, 0), || {
        cmp_keys(&svc_key(a), &svc_key(b))
    })
}

/// Two packed services compared: on their keys when both are IPv4
/// addresses, else by `general`.
fn cmp_packed(a: &Packed, b: &Packed, general: impl FnOnce() -> i32) -> i32 {
    if (a.tag | b.tag) & GENERAL == 0 {
        a.cmp_plain(b)
    } else {
        general()
    }
}

/// libipvs `ipvs_cmp_dests`.
pub fn cmp_dests(a: &Dest, b: &Dest) -> i32 {
    let r = cmp_addr(a.addr.is_ipv6(), &a.addr, &b.addr);
    if r != 0 {
        return r;
    }
    a.port as i32 - b.port as i32
}

/// Sort services as `ipvs_sort_services` does: by `id_order`, then moved
/// into place along the permutation's cycles.
pub fn sort_services(v: &mut [Service]) {
    let mut idx = id_order(v, |s| &s.id);
    permute(v, &mut idx);
}

/// The order `ipvs_sort_services` would put these services in, as
/// positions into the slice (which is left as it is, so that whatever is
/// kept beside it in the same order still lines up).
pub fn service_order(v: &[ServiceDef]) -> Vec<u32> {
    id_order(v, |d| &d.id)
}

/// The order of `ipvs_sort_services` of the services `id` names, as
/// positions. Each IPv4 service's protocol, address and port are packed
/// into one word beside its position, so that most comparisons read two
/// words in a row rather than two services far apart; any other service
/// is compared by `cmp_ids`.
fn id_order<T>(v: &[T], id: impl Fn(&T) -> &ServiceId) -> Vec<u32> {
    let mut items: Vec<Packed> = v
        .iter()
        .enumerate()
        .map(|(i, d)| Packed::of(id(d), i as u32))
        .collect();
    if let Some(start) = one_arc(&items) {
        // Within one arc the comparator is a total order: any sort gives
        // glibc's result, and this one compares one word per pair.
        // Each key beside its position, so that equal keys keep the
        // table's order as the merge would.
        let mut keyed: Vec<u128> = items
            .iter()
            .map(|p| u128::from(p.on_arc(start)) << 32 | p.pos() as u128)
            .collect();
        keyed.sort_unstable();
        return keyed.into_iter().map(|k| k as u32).collect();
    }
    let mut tmp = vec![Packed::default(); items.len() / 2];
    msort_with_tmp(&mut items, &mut tmp, &|a: &Packed, b: &Packed| {
        cmp_packed(a, b, || {
            let (a, b) = (id(&v[a.pos()]), id(&v[b.pos()]));
            cmp_keys(&svc_key(a), &svc_key(b))
        })
    });
    items.into_iter().map(|p| p.pos() as u32).collect()
}

/// Where the addresses of IPv4 services all lie on one arc of the circle
/// of 2^32 addresses shorter than 2^31 (the usual node: ClusterIPs in
/// 10.96/12 and node addresses in 192.168/16 are 0x49b8_0000 apart going
/// round from the latter), the address the arc starts at. There the C
/// comparator's `a - b` into an int has the sign of their distances from
/// that start compared, so the comparator is transitive and every sort
/// agrees with glibc's merge. None when any service is not an IPv4
/// address, or the addresses spread further (then the order depends on
/// the merge's own steps, `msort_with_tmp`).
fn one_arc(items: &[Packed]) -> Option<u32> {
    if items.iter().any(|p| p.tag & GENERAL != 0) {
        return None;
    }
    // An arc shorter than 2^31 cannot hold both 0 and 2^31: the addresses
    // lie within 2^31 of their least either as they are, or turned half
    // way round (an arc over 0, as 192.168/16 up to 10/8).
    [0, 1u32 << 31].into_iter().find_map(|turn| {
        let (lo, hi) = items.iter().fold((u32::MAX, 0), |(lo, hi), p| {
            let a = (p.key as u32).wrapping_add(turn);
            (lo.min(a), hi.max(a))
        });
        (hi.wrapping_sub(lo) < 1 << 31).then(|| lo.wrapping_sub(turn))
    })
}

/// A service's place in the table (the low 32 bits of `tag`), with what
/// `cmp_ids` reads of an IPv4 service packed into `key`: protocol (bits
/// 48-63), port (32-47) and address (0-31). Any other service has
/// `GENERAL` set in its tag. Two words and no padding: the merge moves
/// them in two loads and two stores.
#[derive(Clone, Copy, Default)]
struct Packed {
    key: u64,
    tag: u64,
}

/// A tag's mark of a service that is not an IPv4 address.
const GENERAL: u64 = 1 << 32;

impl Packed {
    fn of(id: &ServiceId, pos: u32) -> Packed {
        match *id {
            ServiceId::Addr {
                protocol,
                addr: IpAddr::V4(a),
                port,
            } => Packed {
                key: (protocol.raw() as u64) << 48 | (port as u64) << 32 | u32::from(a) as u64,
                tag: pos as u64,
            },
            _ => Packed {
                key: 0,
                tag: GENERAL | pos as u64,
            },
        }
    }

    /// The sort key of an IPv4 service on the arc that starts at
    /// `start` (`one_arc`): protocol, distance from the start, port, as
    /// `cmp_plain` weighs them.
    fn on_arc(&self, start: u32) -> u64 {
        let k = self.key;
        (k >> 48) << 48 | ((k as u32).wrapping_sub(start) as u64) << 16 | (k >> 32) & 0xffff
    }

    fn pos(&self) -> usize {
        self.tag as u32 as usize
    }

    /// `cmp_ids` of two IPv4 services, from their keys.
    fn cmp_plain(&self, b: &Packed) -> i32 {
        let r = (self.key >> 48) as i32 - (b.key >> 48) as i32;
        if r != 0 {
            return r;
        }
        let r = sub(self.key as u32, b.key as u32);
        if r != 0 {
            return r;
        }
        (self.key >> 32) as u16 as i32 - (b.key >> 32) as u16 as i32
    }
}

/// Sort real servers as `ipvs_sort_dests` does. A service's few real
/// servers are compared in place; for many, each one's key is worked out
/// once.
pub fn sort_dests(v: &mut [Dest]) {
    // Two (a kube-proxy service's usual count): glibc's merge of two
    // single items, one comparison.
    if v.len() == 2 {
        if cmp_dests(&v[0], &v[1]) > 0 {
            // A block swap of the two, not three copies through a third.
            let (a, b) = v.split_at_mut(1);
            a.swap_with_slice(b);
        }
        return;
    }
    if v.len() <= ON_STACK {
        sort_by_index(v, |d, a, b| cmp_dests(&d[a], &d[b]));
        return;
    }
    let keys: Vec<(bool, [u32; 4], u16)> = v
        .iter()
        .map(|d| (d.addr.is_ipv6(), words(&d.addr), d.port))
        .collect();
    sort_by_index(v, |_, a, b| {
        let (a, b) = (&keys[a], &keys[b]);
        let r = cmp_words(a.0, &a.1, &b.1);
        if r != 0 {
            return r;
        }
        a.2 as i32 - b.2 as i32
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ipvs::Protocol;
    use crate::test_util::Rng;

    #[test]
    fn msort_is_stable_merge() {
        let mut v = vec![(3, 'a'), (1, 'b'), (3, 'c'), (2, 'd'), (1, 'e')];
        glibc_msort(&mut v, &|x: &(i32, char), y: &(i32, char)| x.0 - y.0);
        assert_eq!(v, vec![(1, 'b'), (1, 'e'), (2, 'd'), (3, 'a'), (3, 'c')]);
    }

    #[test]
    fn the_merge_is_glibcs_under_a_comparator_that_is_not_transitive() {
        let mut r = Rng(0x5851_f42d_4c95_7f2d);
        let wrap = |a: &(u32, u32), b: &(u32, u32)| sub(a.0, b.0);
        for n in (0..70).chain([255, 256, 257, 1000, 10_007]) {
            let v: Vec<(u32, u32)> = (0..n)
                .map(|i| (r.pick(&[0, 1, 0x7fff_ffff, 0x8000_0000, u32::MAX]), i))
                .collect();
            let (mut got, mut want) = (v.clone(), v);
            glibc_msort(&mut got, &wrap);
            glibc_reference(&mut want, &wrap);
            assert_eq!(got, want, "{n}");
        }
    }

    #[test]
    fn permutation_in_place() {
        // Every permutation of 5 items, applied in place, matches the
        // copying one.
        fn perms(n: usize) -> Vec<Vec<u32>> {
            if n == 0 {
                return vec![vec![]];
            }
            let mut out = Vec::new();
            for p in perms(n - 1) {
                for i in 0..=p.len() {
                    let mut q = p.clone();
                    q.insert(i, (n - 1) as u32);
                    out.push(q);
                }
            }
            out
        }
        for p in perms(5) {
            let mut v: Vec<u32> = (10..15).collect();
            let want: Vec<u32> = p.iter().map(|i| v[*i as usize]).collect();
            permute(&mut v, &mut p.clone());
            assert_eq!(v, want);
        }
    }

    /// glibc 2.36's `msort_with_tmp` as written there, kept apart from
    /// the one in use so that each checks the other: merge both halves
    /// into `tmp`, then copy back.
    fn glibc_reference<T: Copy, F: Fn(&T, &T) -> i32>(v: &mut [T], cmp: &F) {
        let n = v.len();
        if n <= 1 {
            return;
        }
        let n1 = n / 2;
        glibc_reference(&mut v[..n1], cmp);
        glibc_reference(&mut v[n1..], cmp);
        let mut tmp = Vec::with_capacity(n);
        let (mut i, mut j) = (0, n1);
        while i < n1 && j < n {
            if cmp(&v[i], &v[j]) <= 0 {
                tmp.push(v[i]);
                i += 1;
            } else {
                tmp.push(v[j]);
                j += 1;
            }
        }
        tmp.extend_from_slice(&v[i..n1]);
        let k = tmp.len();
        v[..k].copy_from_slice(&tmp);
    }

    /// Addresses that wrap in the comparator's subtraction, and ties.
    fn addr(r: &mut Rng) -> IpAddr {
        let w = [
            0u32,
            1,
            0x7fff_ffff,
            0x8000_0000,
            0x8000_0001,
            0x0a60_0001,
            u32::MAX,
        ];
        match r.below(4) {
            0 => IpAddr::V6(std::net::Ipv6Addr::from(
                (r.pick(&w) as u128) << 96 | r.below(3) as u128,
            )),
            _ => IpAddr::V4(r.pick(&w).wrapping_add(r.below(3) as u32).into()),
        }
    }

    fn id(r: &mut Rng) -> ServiceId {
        let protocol = r.pick(&[Protocol::Tcp, Protocol::Udp, Protocol::Other(0)]);
        match r.below(6) {
            0 => ServiceId::Fwmark {
                family: r.pick(&[Family::Inet, Family::Inet6]),
                mark: r.pick(&[0, 1, 0x8000_0000, u32::MAX]),
            },
            _ => ServiceId::Addr {
                protocol,
                addr: addr(r),
                port: r.pick(&[0, 80, 443, u16::MAX]),
            },
        }
    }

    #[test]
    fn the_ipv4_short_cut_compares_as_the_keys_do() {
        let mut r = Rng(0x2545_f491_4f6c_dd1d);
        for _ in 0..200_000 {
            let (a, b) = (id(&mut r), id(&mut r));
            let (x, y) = (cmp_ids(&a, &b), cmp_keys(&svc_key(&a), &svc_key(&b)));
            assert_eq!(x.signum(), y.signum(), "{a:?} {b:?}");
        }
    }

    #[test]
    fn the_order_is_the_sort() {
        let mut r = Rng(0x9e37_79b9_7f4a_7c15);
        for n in [0, 1, 2, 3, 4, 5, 15, 16, 17, 100, 1000, 4099] {
            let defs: Vec<ServiceDef> = (0..n)
                .map(|_| ServiceDef {
                    id: id(&mut r),
                    config: Default::default(),
                })
                .collect();
            // The old way: glibc's merge over indices, comparing the keys.
            let mut want: Vec<u32> = (0..n as u32).collect();
            glibc_reference(&mut want, &|a: &u32, b: &u32| {
                cmp_keys(
                    &svc_key(&defs[*a as usize].id),
                    &svc_key(&defs[*b as usize].id),
                )
            });
            assert_eq!(service_order(&defs), want, "{n}");
            let mut sorted: Vec<Service> = defs
                .iter()
                .map(|d| d.with_stats(Default::default()))
                .collect();
            sort_services(&mut sorted);
            let by_order: Vec<ServiceId> = want.iter().map(|i| defs[*i as usize].id).collect();
            assert_eq!(sorted.iter().map(|s| s.id).collect::<Vec<_>>(), by_order);
        }
    }

    /// IPv4 services whose addresses are drawn around `centres` (each
    /// within `reach` of one), as a node's ClusterIPs and node addresses.
    fn clustered(r: &mut Rng, n: usize, centres: &[u32], reach: u32) -> Vec<ServiceDef> {
        (0..n)
            .map(|_| {
                let c = r.pick(centres);
                let off = (r.next() as u32) % reach.max(1);
                let a = c.wrapping_add(off).wrapping_sub(reach / 2);
                ServiceDef {
                    id: ServiceId::Addr {
                        protocol: r.pick(&[Protocol::Tcp, Protocol::Udp, Protocol::Sctp]),
                        addr: IpAddr::V4(a.into()),
                        port: r.pick(&[0, 53, 80, 443, 30080, u16::MAX]),
                    },
                    config: Default::default(),
                }
            })
            .collect()
    }

    #[test]
    fn one_arc_or_not_the_order_is_glibcs() {
        let mut r = Rng(0x6a09_e667_f3bc_c908);
        let half = 1u32 << 31;
        // Centres whose arc is shorter than 2^31 (a node's 10.96/12 and
        // 192.168/16; round past 0), exactly 2^31 or longer (no arc).
        let cases: &[(&[u32], u32, bool)] = &[
            (&[0x0a60_0000, 0xc0a8_bc3d], 1 << 20, true),
            (&[0xffff_ff00, 0x0000_0100], 1 << 10, true),
            (&[0x1000_0000, 0x1000_0000 + half - 2], 1, true),
            (&[0x1000_0000, 0x1000_0000 + half], 1, false),
            (&[0x0a00_0001, 0x8a00_0001, 0xc0a8_0001], 1 << 8, false),
            (&[0], u32::MAX, false),
        ];
        for &(centres, reach, arc) in cases {
            for n in [1, 2, 3, 17, 1000, 4099] {
                let defs = clustered(&mut r, n, centres, reach);
                let mut want: Vec<u32> = (0..n as u32).collect();
                glibc_reference(&mut want, &|a: &u32, b: &u32| {
                    cmp_keys(
                        &svc_key(&defs[*a as usize].id),
                        &svc_key(&defs[*b as usize].id),
                    )
                });
                assert_eq!(service_order(&defs), want, "{centres:x?} {n}");
                let items: Vec<Packed> = defs
                    .iter()
                    .enumerate()
                    .map(|(i, d)| Packed::of(&d.id, i as u32))
                    .collect();
                // Every centre drawn, surely, at these sizes.
                if n >= 1000 {
                    assert_eq!(one_arc(&items).is_some(), arc, "{centres:x?} {n}");
                }
            }
        }
    }

    #[test]
    fn few_and_many_real_servers_sort_alike() {
        let mut r = Rng(0x1234_5678_9abc_def1);
        for n in [0, 1, 2, 5, 16, 17, 40] {
            let dests: Vec<Dest> = (0..n)
                .map(|_| Dest {
                    addr: addr(&mut r),
                    port: r.pick(&[0, 80, 8080]),
                    config: Default::default(),
                    conns: Default::default(),
                    stats: Default::default(),
                })
                .collect();
            let mut want: Vec<u32> = (0..n as u32).collect();
            glibc_reference(&mut want, &|a: &u32, b: &u32| {
                cmp_dests(&dests[*a as usize], &dests[*b as usize])
            });
            let mut got = dests.clone();
            sort_dests(&mut got);
            let want: Vec<Dest> = want.iter().map(|i| dests[*i as usize].clone()).collect();
            assert_eq!(got, want, "{n}");
        }
    }

    #[test]
    fn comparator_wraps_like_c() {
        // 10.0.0.1 - 192.168.0.1 as unsigned into int is positive: 10/8
        // sorts after 192.168/16, the reference's surprise.
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let b: IpAddr = "192.168.0.1".parse().unwrap();
        assert!(cmp_addr(false, &a, &b) > 0);
        let c: IpAddr = "127.0.0.1".parse().unwrap();
        assert!(cmp_addr(false, &a, &c) < 0);
    }
}
