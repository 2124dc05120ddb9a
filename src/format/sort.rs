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
    let mut tmp = Vec::with_capacity(v.len());
    msort_with_tmp(v, &mut tmp, cmp);
}

fn msort_with_tmp<T: Copy, F: Fn(&T, &T) -> i32>(v: &mut [T], tmp: &mut Vec<T>, cmp: &F) {
    let n = v.len();
    if n <= 1 {
        return;
    }
    let n1 = n / 2;
    msort_with_tmp(&mut v[..n1], tmp, cmp);
    msort_with_tmp(&mut v[n1..], tmp, cmp);
    tmp.clear();
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
    // What is left of the right half is already in place.
    let k = tmp.len();
    v[..k].copy_from_slice(tmp);
}

/// Sort by index, as glibc sorts large elements indirectly (through an
/// array of pointers): the same order, and nothing big is copied. `cmp`
/// compares two positions of the slice it is given; the items are then
/// moved into place along the permutation's cycles, so no second copy of
/// the table is made.
fn sort_by_index<T, F: Fn(&[T], usize, usize) -> i32>(v: &mut [T], cmp: F) {
    if v.len() < 2 {
        return;
    }
    let mut idx: Vec<u32> = (0..v.len() as u32).collect();
    let items: &[T] = v;
    glibc_msort(&mut idx, &|a: &u32, b: &u32| {
        cmp(items, *a as usize, *b as usize)
    });
    permute(v, &mut idx);
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
    cmp_keys(&svc_key(&a.id), &svc_key(&b.id))
}

/// libipvs `ipvs_cmp_dests`.
pub fn cmp_dests(a: &Dest, b: &Dest) -> i32 {
    let r = cmp_addr(a.addr.is_ipv6(), &a.addr, &b.addr);
    if r != 0 {
        return r;
    }
    a.port as i32 - b.port as i32
}

/// Sort services as `ipvs_sort_services` does. The comparator's inputs
/// are read out of the two services at each comparison rather than kept
/// in a vector of keys: with tens of thousands of services such a vector
/// would weigh a fifth of the table, for a few percent of the sort's time.
pub fn sort_services(v: &mut [Service]) {
    sort_by_id(v, |s| &s.id);
}

/// `sort_services` for services held without their counters.
pub fn sort_service_defs(v: &mut [ServiceDef]) {
    sort_by_id(v, |s| &s.id);
}

fn sort_by_id<T>(v: &mut [T], id: impl Fn(&T) -> &ServiceId) {
    sort_by_index(v, |s, a, b| {
        cmp_keys(&svc_key(id(&s[a])), &svc_key(id(&s[b])))
    });
}

/// Sort real servers as `ipvs_sort_dests` does.
pub fn sort_dests(v: &mut [Dest]) {
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

    #[test]
    fn msort_is_stable_merge() {
        let mut v = vec![(3, 'a'), (1, 'b'), (3, 'c'), (2, 'd'), (1, 'e')];
        glibc_msort(&mut v, &|x: &(i32, char), y: &(i32, char)| x.0 - y.0);
        assert_eq!(v, vec![(1, 'b'), (1, 'e'), (2, 'd'), (3, 'a'), (3, 'c')]);
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
