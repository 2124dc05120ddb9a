//! The node check's view of interfaces and addresses: a small hand-written
//! rtnetlink dump (RTM_GETLINK, RTM_GETADDR) over a NETLINK_ROUTE socket,
//! and the parsers of its replies; and the two changes
//! `--cleanup-kube-proxy` makes (RTM_DELADDR, RTM_DELLINK). Netlink, not /sys, so that `--netns`
//! sees the namespace it entered. Only the few attributes the check needs
//! are read; a reply that does not parse is an error, never a panic.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use netlink_packet_core::{NLM_F_ACK, NLM_F_DUMP, NLM_F_REQUEST};
use netlink_sys::protocols::NETLINK_ROUTE;

use crate::ipvs::client::{read_datagram, Channel, Step};
use crate::ipvs::Error;

const RTM_NEWLINK: u16 = 16;
const RTM_DELLINK: u16 = 17;
const RTM_GETLINK: u16 = 18;
const RTM_NEWADDR: u16 = 20;
const RTM_DELADDR: u16 = 21;
const RTM_GETADDR: u16 = 22;

const IFLA_IFNAME: u16 = 3;
const IFLA_LINKINFO: u16 = 18;
const IFLA_INFO_KIND: u16 = 1;
const IFA_ADDRESS: u16 = 1;
const IFA_LOCAL: u16 = 2;
/// `ifa_flags`: a secondary IPv4 address.
const IFA_F_SECONDARY: u8 = 0x01;

/// The type bits of an attribute (NLA_F_NESTED and NLA_F_NET_BYTEORDER off).
const NLA_TYPE_MASK: u16 = 0x3fff;
/// `struct nlmsghdr`, `struct ifinfomsg`, `struct ifaddrmsg`.
const NLMSG_HDRLEN: usize = 16;
const IFINFOMSG_LEN: usize = 16;
const IFADDRMSG_LEN: usize = 8;

/// How many times a dump the kernel marks interrupted is started again.
const DUMP_RETRIES: usize = 8;
const RECV_BUF: usize = 64 * 1024;

/// A network interface.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub index: u32,
    pub name: String,
    /// IFLA_INFO_KIND (`dummy`, `veth`, ...); none for plain devices.
    pub kind: Option<String>,
}

/// An address on an interface.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Addr {
    pub index: u32,
    pub addr: IpAddr,
    /// The prefix length it was added with (`/32`).
    pub prefix: u8,
    /// An IPv4 address in the subnet of an earlier one on its interface
    /// (`IFA_F_SECONDARY`): its local route takes that one as source.
    pub secondary: bool,
}

/// Every interface and every address of the current network namespace.
pub fn dump() -> Result<(Vec<Link>, Vec<Addr>), Error> {
    let mut ch = Channel::open_protocol(NETLINK_ROUTE, RECV_BUF)?;
    let mut links = Vec::new();
    for m in dump_one(&mut ch, RTM_GETLINK, IFINFOMSG_LEN, 1)? {
        links.extend(parse_link(&m)?);
    }
    let mut addrs = Vec::new();
    for m in dump_one(&mut ch, RTM_GETADDR, IFADDRMSG_LEN, 2)? {
        addrs.extend(parse_addr(&m)?);
    }
    Ok((links, addrs))
}

/// Take an address off an interface (`ip addr del`), as `--cleanup-kube-proxy`
/// does with kube-ipvs0's: RTM_DELADDR with the address as IFA_LOCAL (and
/// IFA_ADDRESS, which IPv6 matches on) and its prefix length.
pub fn del_addr(a: &Addr) -> Result<(), Error> {
    let (family, bytes): (u8, Vec<u8>) = match a.addr {
        IpAddr::V4(v) => (libc::AF_INET as u8, v.octets().to_vec()),
        IpAddr::V6(v) => (libc::AF_INET6 as u8, v.octets().to_vec()),
    };
    let mut body = vec![family, a.prefix, 0, 0];
    body.extend_from_slice(&a.index.to_ne_bytes());
    for t in [IFA_LOCAL, IFA_ADDRESS] {
        push_attr(&mut body, t, &bytes);
    }
    change(RTM_DELADDR, &body)
}

/// Delete an interface (`ip link del`): RTM_DELLINK by its index.
pub fn del_link(index: u32) -> Result<(), Error> {
    let mut body = vec![0u8; IFINFOMSG_LEN];
    body[4..8].copy_from_slice(&(index as i32).to_ne_bytes());
    change(RTM_DELLINK, &body)
}

fn push_attr(out: &mut Vec<u8>, ty: u16, payload: &[u8]) {
    let len = 4 + payload.len();
    out.extend_from_slice(&(len as u16).to_ne_bytes());
    out.extend_from_slice(&ty.to_ne_bytes());
    out.extend_from_slice(payload);
    out.resize((out.len() + 3) & !3, 0);
}

/// One change, acknowledged: the kernel's errno if it refused.
fn change(msg_type: u16, body: &[u8]) -> Result<(), Error> {
    let mut ch = Channel::open_protocol(NETLINK_ROUTE, RECV_BUF)?;
    let seq: u32 = 1;
    let len = NLMSG_HDRLEN + body.len();
    let mut m = Vec::with_capacity(len);
    m.extend_from_slice(&(len as u32).to_ne_bytes());
    m.extend_from_slice(&msg_type.to_ne_bytes());
    m.extend_from_slice(&(NLM_F_REQUEST | NLM_F_ACK).to_ne_bytes());
    m.extend_from_slice(&seq.to_ne_bytes());
    m.extend_from_slice(&0u32.to_ne_bytes());
    m.extend_from_slice(body);
    ch.sock.send(&m, 0)?;
    let mut interrupted = false;
    loop {
        let n = ch.recv()?;
        let step = read_datagram(&ch.rbuf[..n], seq, ch.port, &mut interrupted, &mut |_| {
            Ok(())
        })?;
        if step == Step::Finished {
            return Ok(());
        }
    }
}

/// One dump request: a header and a zeroed family header (AF_UNSPEC: all
/// families) of `body` bytes.
pub fn request(msg_type: u16, body: usize, seq: u32) -> Vec<u8> {
    let len = NLMSG_HDRLEN + body;
    let mut v = Vec::with_capacity(len);
    v.extend_from_slice(&(len as u32).to_ne_bytes());
    v.extend_from_slice(&msg_type.to_ne_bytes());
    v.extend_from_slice(&(NLM_F_REQUEST | NLM_F_DUMP).to_ne_bytes());
    v.extend_from_slice(&seq.to_ne_bytes());
    v.extend_from_slice(&0u32.to_ne_bytes());
    v.resize(len, 0);
    v
}

/// The messages of one dump, read to NLMSG_DONE (an NLMSG_ERROR ends it
/// with the kernel's errno).
fn dump_one(ch: &mut Channel, msg_type: u16, body: usize, seq: u32) -> Result<Vec<Vec<u8>>, Error> {
    for attempt in 0..DUMP_RETRIES {
        let seq = seq + 16 * attempt as u32;
        ch.sock.send(&request(msg_type, body, seq), 0)?;
        let mut interrupted = false;
        let mut got: Vec<Vec<u8>> = Vec::new();
        loop {
            let n = ch.recv()?;
            let step = read_datagram(&ch.rbuf[..n], seq, ch.port, &mut interrupted, &mut |b| {
                got.push(b.to_vec());
                Ok(())
            })?;
            if step == Step::Finished {
                break;
            }
        }
        // An interrupted dump may have missed or doubled entries: start
        // over rather than report from it.
        if !interrupted {
            return Ok(got);
        }
    }
    Err(Error::Kernel(libc::EINTR))
}

/// The attributes in `b`, as (type, payload) pairs.
fn attrs(mut b: &[u8]) -> Result<Vec<(u16, &[u8])>, Error> {
    let mut v = Vec::new();
    while !b.is_empty() {
        if b.len() < 4 {
            return Err(malformed("attribute header cut short"));
        }
        let len = u16::from_ne_bytes([b[0], b[1]]) as usize;
        let ty = u16::from_ne_bytes([b[2], b[3]]) & NLA_TYPE_MASK;
        if len < 4 || len > b.len() {
            return Err(malformed("attribute length out of bounds"));
        }
        v.push((ty, &b[4..len]));
        let next = (len + 3) & !3;
        b = b.get(next..).unwrap_or(&[]);
    }
    Ok(v)
}

fn malformed(what: &str) -> Error {
    Error::Malformed(format!("rtnetlink: {what}"))
}

/// The message type and payload of one netlink message (header included).
fn split(msg: &[u8]) -> Result<(u16, &[u8]), Error> {
    if msg.len() < NLMSG_HDRLEN {
        return Err(malformed("message shorter than its header"));
    }
    let len = u32::from_ne_bytes([msg[0], msg[1], msg[2], msg[3]]) as usize;
    if len < NLMSG_HDRLEN || len > msg.len() {
        return Err(malformed("message length out of bounds"));
    }
    Ok((
        u16::from_ne_bytes([msg[4], msg[5]]),
        &msg[NLMSG_HDRLEN..len],
    ))
}

/// A C string attribute: up to its first NUL.
fn c_string(b: &[u8]) -> String {
    let end = b.iter().position(|&c| c == 0).unwrap_or(b.len());
    String::from_utf8_lossy(&b[..end]).into_owned()
}

/// The payload of a message of type `want`, at least `min` bytes long
/// (its family header); `None` for messages of other types.
fn payload(msg: &[u8], want: u16, min: usize) -> Result<Option<&[u8]>, Error> {
    let (ty, p) = split(msg)?;
    if ty != want {
        return Ok(None);
    }
    if p.len() < min {
        return Err(malformed("message shorter than its family header"));
    }
    Ok(Some(p))
}

/// An RTM_NEWLINK message (header included); `None` for other types.
pub fn parse_link(msg: &[u8]) -> Result<Option<Link>, Error> {
    let Some(p) = payload(msg, RTM_NEWLINK, IFINFOMSG_LEN)? else {
        return Ok(None);
    };
    let index = u32::from_ne_bytes([p[4], p[5], p[6], p[7]]);
    let (mut name, mut kind) = (None, None);
    for (t, v) in attrs(&p[IFINFOMSG_LEN..])? {
        match t {
            IFLA_IFNAME => name = Some(c_string(v)),
            IFLA_LINKINFO => {
                for (it, iv) in attrs(v)? {
                    if it == IFLA_INFO_KIND {
                        kind = Some(c_string(iv));
                    }
                }
            }
            _ => {}
        }
    }
    let name = name.ok_or_else(|| malformed("link without a name"))?;
    Ok(Some(Link { index, name, kind }))
}

/// An RTM_NEWADDR message (header included); `None` for other types and
/// families other than IPv4 and IPv6. IFA_LOCAL is the interface's own
/// address (IFA_ADDRESS is the peer's on point-to-point links); without
/// it, IFA_ADDRESS is.
pub fn parse_addr(msg: &[u8]) -> Result<Option<Addr>, Error> {
    let Some(p) = payload(msg, RTM_NEWADDR, IFADDRMSG_LEN)? else {
        return Ok(None);
    };
    let family = p[0] as u16;
    let prefix = p[1];
    // The bit means "temporary" for IPv6.
    let secondary = family == libc::AF_INET as u16 && p[2] & IFA_F_SECONDARY != 0;
    let index = u32::from_ne_bytes([p[4], p[5], p[6], p[7]]);
    let (mut local, mut address) = (None, None);
    for (t, v) in attrs(&p[IFADDRMSG_LEN..])? {
        let slot = match t {
            IFA_LOCAL => &mut local,
            IFA_ADDRESS => &mut address,
            _ => continue,
        };
        *slot = Some(ip(family, v)?);
    }
    match local.or(address).flatten() {
        Some(addr) => Ok(Some(Addr {
            index,
            addr,
            prefix,
            secondary,
        })),
        None if family == libc::AF_INET as u16 || family == libc::AF_INET6 as u16 => {
            Err(malformed("address message without an address"))
        }
        None => Ok(None),
    }
}

/// An address attribute of `family`; `None` for families the check ignores.
fn ip(family: u16, v: &[u8]) -> Result<Option<IpAddr>, Error> {
    if family == libc::AF_INET as u16 {
        let o: [u8; 4] = v
            .try_into()
            .map_err(|_| malformed("IPv4 address not 4 bytes"))?;
        Ok(Some(IpAddr::V4(Ipv4Addr::from(o))))
    } else if family == libc::AF_INET6 as u16 {
        let o: [u8; 16] = v
            .try_into()
            .map_err(|_| malformed("IPv6 address not 16 bytes"))?;
        Ok(Some(IpAddr::V6(Ipv6Addr::from(o))))
    } else {
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attr(ty: u16, payload: &[u8]) -> Vec<u8> {
        let mut v = ((4 + payload.len()) as u16).to_ne_bytes().to_vec();
        v.extend_from_slice(&ty.to_ne_bytes());
        v.extend_from_slice(payload);
        while v.len() % 4 != 0 {
            v.push(0);
        }
        v
    }

    fn msg(ty: u16, body: &[u8]) -> Vec<u8> {
        let mut v = ((16 + body.len()) as u32).to_ne_bytes().to_vec();
        v.extend_from_slice(&ty.to_ne_bytes());
        v.extend_from_slice(&2u16.to_ne_bytes()); // NLM_F_MULTI
        v.extend_from_slice(&1u32.to_ne_bytes());
        v.extend_from_slice(&77u32.to_ne_bytes());
        v.extend_from_slice(body);
        v
    }

    fn ifinfo(index: i32) -> Vec<u8> {
        let mut v = vec![0u8, 0, 1, 0]; // AF_UNSPEC, pad, ARPHRD_ETHER
        v.extend_from_slice(&index.to_ne_bytes());
        v.extend_from_slice(&[0u8; 8]); // flags, change
        v
    }

    fn ifaddr(family: u8, index: u32) -> Vec<u8> {
        let mut v = vec![family, 24, 0, 0];
        v.extend_from_slice(&index.to_ne_bytes());
        v
    }

    #[test]
    fn request_bytes() {
        let r = request(RTM_GETLINK, IFINFOMSG_LEN, 5);
        assert_eq!(r.len(), 32);
        assert_eq!(&r[0..4], &32u32.to_ne_bytes());
        assert_eq!(&r[4..6], &18u16.to_ne_bytes());
        assert_eq!(&r[6..8], &0x301u16.to_ne_bytes()); // REQUEST | DUMP
        assert_eq!(&r[8..12], &5u32.to_ne_bytes());
        assert!(r[16..].iter().all(|&b| b == 0));
    }

    #[test]
    fn link_with_kind() {
        let mut body = ifinfo(7);
        body.extend(attr(IFLA_IFNAME, b"kube-ipvs0\0"));
        body.extend(attr(4, &1500u32.to_ne_bytes())); // IFLA_MTU, skipped
                                                      // IFLA_LINKINFO comes flagged NLA_F_NESTED by some kernels.
        body.extend(attr(
            IFLA_LINKINFO | 0x8000,
            &attr(IFLA_INFO_KIND, b"dummy\0"),
        ));
        let l = parse_link(&msg(RTM_NEWLINK, &body)).unwrap().unwrap();
        assert_eq!(
            l,
            Link {
                index: 7,
                name: "kube-ipvs0".into(),
                kind: Some("dummy".into())
            }
        );
    }

    #[test]
    fn link_without_kind() {
        let mut body = ifinfo(1);
        body.extend(attr(IFLA_IFNAME, b"lo\0"));
        let l = parse_link(&msg(RTM_NEWLINK, &body)).unwrap().unwrap();
        assert_eq!((l.index, l.name.as_str(), l.kind), (1, "lo", None));
    }

    #[test]
    fn other_types_are_skipped() {
        assert_eq!(parse_link(&msg(RTM_NEWADDR, &ifaddr(2, 1))).unwrap(), None);
        assert_eq!(parse_addr(&msg(RTM_NEWLINK, &ifinfo(1))).unwrap(), None);
    }

    #[test]
    fn ipv4_prefers_local() {
        let mut body = ifaddr(2, 3);
        body.extend(attr(IFA_ADDRESS, &[10, 0, 0, 2]));
        body.extend(attr(IFA_LOCAL, &[10, 0, 0, 1]));
        body.extend(attr(3, b"eth0\0")); // IFA_LABEL, skipped
        let a = parse_addr(&msg(RTM_NEWADDR, &body)).unwrap().unwrap();
        assert_eq!(a.index, 3);
        assert_eq!(a.addr, "10.0.0.1".parse::<IpAddr>().unwrap());
    }

    #[test]
    fn a_secondary_ipv4_address_is_told_an_ipv6_temporary_one_not() {
        let mut body = ifaddr(2, 3);
        body[2] = 0x01;
        body.extend(attr(IFA_LOCAL, &[10, 0, 0, 9]));
        assert!(
            parse_addr(&msg(RTM_NEWADDR, &body))
                .unwrap()
                .unwrap()
                .secondary
        );
        let mut body = ifaddr(10, 4);
        body[2] = 0x01;
        body.extend(attr(
            IFA_ADDRESS,
            &"fd00::9".parse::<Ipv6Addr>().unwrap().octets(),
        ));
        assert!(
            !parse_addr(&msg(RTM_NEWADDR, &body))
                .unwrap()
                .unwrap()
                .secondary
        );
    }

    #[test]
    fn ipv6_address() {
        let mut body = ifaddr(10, 4);
        let six: Ipv6Addr = "fd00::1".parse().unwrap();
        body.extend(attr(IFA_ADDRESS, &six.octets()));
        let a = parse_addr(&msg(RTM_NEWADDR, &body)).unwrap().unwrap();
        assert_eq!((a.index, a.addr), (4, IpAddr::V6(six)));
    }

    #[test]
    fn other_families_are_skipped() {
        let mut body = ifaddr(17, 4); // AF_PACKET
        body.extend(attr(IFA_ADDRESS, &[1, 2, 3, 4, 5, 6]));
        assert_eq!(parse_addr(&msg(RTM_NEWADDR, &body)).unwrap(), None);
    }

    #[test]
    fn malformed_replies_are_errors() {
        let bad = |r: Result<Option<Link>, Error>| matches!(r, Err(Error::Malformed(_)));
        // Shorter than a header; header claims more than there is.
        assert!(bad(parse_link(&[1, 2, 3])));
        let mut m = msg(RTM_NEWLINK, &ifinfo(1));
        m[0] = 200;
        assert!(bad(parse_link(&m)));
        // Body shorter than ifinfomsg.
        assert!(bad(parse_link(&msg(RTM_NEWLINK, &[0u8; 6]))));
        // An attribute longer than the message; one shorter than its header.
        let mut body = ifinfo(1);
        body.extend_from_slice(&[40, 0, 3, 0, b'l', b'o', 0, 0]);
        assert!(bad(parse_link(&msg(RTM_NEWLINK, &body))));
        let mut body = ifinfo(1);
        body.extend_from_slice(&[2, 0, 3, 0]);
        assert!(bad(parse_link(&msg(RTM_NEWLINK, &body))));
        // Three stray bytes after the last attribute.
        let mut body = ifinfo(1);
        body.extend(attr(IFLA_IFNAME, b"lo\0"));
        body.extend_from_slice(&[1, 2, 3]);
        assert!(bad(parse_link(&msg(RTM_NEWLINK, &body))));
        // No name.
        assert!(bad(parse_link(&msg(RTM_NEWLINK, &ifinfo(1)))));
        // A 3-byte IPv4 address; an IPv4 message with no address.
        let bad_a = |r: Result<Option<Addr>, Error>| matches!(r, Err(Error::Malformed(_)));
        let mut body = ifaddr(2, 1);
        body.extend(attr(IFA_LOCAL, &[10, 0, 0]));
        assert!(bad_a(parse_addr(&msg(RTM_NEWADDR, &body))));
        assert!(bad_a(parse_addr(&msg(RTM_NEWADDR, &ifaddr(2, 1)))));
        assert!(bad_a(parse_addr(&msg(RTM_NEWADDR, &[2, 0]))));
    }
}
