//! `--nodeport-addresses` (ours): the value of kube-proxy's flag of that
//! name and of its configuration's `nodePortAddresses`, which narrow the
//! node's addresses a node port is served on. Read here as kube-proxy's
//! newest validation (`validateKubeProxyNodePortAddress`) takes it: CIDRs
//! of either family and the keywords `primary`, `localhost` and `all`, in
//! any combination (kube-proxy before 1.37 takes `primary` alone only).
//! A plain value: the expectation (`k8s::nodeport`) applies it.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Which of the node's addresses its node ports are on. Empty (the
/// default): every address kube-proxy finds on the node.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NodePortAddresses {
    /// `primary`: the Node's first address of each family too.
    pub primary: bool,
    /// CIDRs, each an address (host bits cleared) and a prefix length;
    /// `localhost` is `127.0.0.0/8` and `::1/128`, `all` `0.0.0.0/0` and
    /// `::/0`.
    pub cidrs: Vec<(IpAddr, u8)>,
}

impl NodePortAddresses {
    /// The words of the flag or of the configuration's list; the first bad
    /// one is the error.
    pub fn parse<S: AsRef<str>>(items: &[S]) -> Result<Self, String> {
        let mut out = NodePortAddresses::default();
        for s in items.iter().map(AsRef::as_ref) {
            match s {
                "primary" => out.primary = true,
                "localhost" => out.cidrs.extend([
                    (IpAddr::V4(Ipv4Addr::new(127, 0, 0, 0)), 8),
                    (IpAddr::V6(Ipv6Addr::LOCALHOST), 128),
                ]),
                "all" => out.cidrs.extend([
                    (IpAddr::V4(Ipv4Addr::UNSPECIFIED), 0),
                    (IpAddr::V6(Ipv6Addr::UNSPECIFIED), 0),
                ]),
                _ => out.cidrs.push(
                    cidr(s).ok_or_else(|| format!("invalid CIDR `{s}' in --nodeport-addresses"))?,
                ),
            }
        }
        Ok(out)
    }

    /// The flag's value: words split at commas, as kube-proxy's string
    /// slice flag splits them.
    pub fn parse_flag(value: &str) -> Result<Self, String> {
        let items: Vec<&str> = value.split(',').map(str::trim).collect();
        Self::parse(&items)
    }
}

/// `ADDRESS/LENGTH`, the address's bits beyond the length cleared (Go's
/// `net.ParseCIDR` keeps the network, not the address given).
fn cidr(s: &str) -> Option<(IpAddr, u8)> {
    let (a, len) = s.split_once('/')?;
    let addr: IpAddr = a.parse().ok()?;
    if len.is_empty() || !len.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let len: u8 = len.parse().ok()?;
    let bits = if addr.is_ipv4() { 32 } else { 128 };
    (len <= bits).then(|| (network(addr, len), len))
}

/// The network of `addr` at `len` bits.
pub fn network(addr: IpAddr, len: u8) -> IpAddr {
    match addr {
        IpAddr::V4(a) => {
            let mask = u32::MAX.checked_shl(32 - u32::from(len)).unwrap_or(0);
            IpAddr::V4((u32::from(a) & mask).into())
        }
        IpAddr::V6(a) => {
            let mask = u128::MAX.checked_shl(128 - u32::from(len)).unwrap_or(0);
            IpAddr::V6((u128::from(a) & mask).into())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn cidrs_of_both_families_and_the_keywords() {
        let p = NodePortAddresses::parse_flag;
        let cidrs = |primary, c: &[(&str, u8)]| NodePortAddresses {
            primary,
            cidrs: c.iter().map(|&(a, l)| (ip(a), l)).collect(),
        };
        assert_eq!(p("primary"), Ok(cidrs(true, &[])));
        assert_eq!(
            p("10.1.2.3/8,fd00::1/64,127.0.0.1/32"),
            Ok(cidrs(
                false,
                &[("10.0.0.0", 8), ("fd00::", 64), ("127.0.0.1", 32)]
            ))
        );
        assert_eq!(
            p("primary,localhost,all"),
            Ok(cidrs(
                true,
                &[("127.0.0.0", 8), ("::1", 128), ("0.0.0.0", 0), ("::", 0)]
            ))
        );
        for bad in [
            "10.0.0.0",
            "10.0.0.0/33",
            "::/129",
            "10.0.0.0/+8",
            "",
            "10.0.0.0/8,",
            "Primary",
        ] {
            assert!(p(bad).is_err(), "{bad}");
        }
        assert_eq!(
            p("1.2.3"),
            Err("invalid CIDR `1.2.3' in --nodeport-addresses".into())
        );
        assert_eq!(
            NodePortAddresses::parse::<&str>(&[]),
            Ok(NodePortAddresses::default())
        );
    }
}
