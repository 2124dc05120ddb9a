//! `--nodeport-addresses` (ours): the value of kube-proxy's flag of that
//! name and of its configuration's `nodePortAddresses`, which narrow the
//! node's addresses a node port is served on. Read here as kube-proxy's
//! validation (`validateKubeProxyNodePortAddress`) takes it: the keyword
//! `primary` alone, or CIDRs of either family. A plain value: the
//! expectation (`k8s::nodeport`) applies it.

use std::net::IpAddr;

/// Which of the node's addresses its node ports are on.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum NodePortAddresses {
    /// Unset: every address kube-proxy finds on the node.
    #[default]
    All,
    /// `primary`: the Node's first address of each family.
    Primary,
    /// CIDRs, each an address (host bits cleared) and a prefix length.
    Cidrs(Vec<(IpAddr, u8)>),
}

impl NodePortAddresses {
    /// The words of the flag or of the configuration's list; the first bad
    /// one is the error.
    pub fn parse<S: AsRef<str>>(items: &[S]) -> Result<Self, String> {
        let items: Vec<&str> = items.iter().map(AsRef::as_ref).collect();
        if items.contains(&"primary") {
            return match items.as_slice() {
                ["primary"] => Ok(NodePortAddresses::Primary),
                _ => Err("--nodeport-addresses takes primary alone or CIDRs, not both".into()),
            };
        }
        if items.is_empty() {
            return Ok(NodePortAddresses::All);
        }
        let cidrs = items
            .iter()
            .map(|s| cidr(s).ok_or_else(|| format!("invalid CIDR `{s}' in --nodeport-addresses")))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(NodePortAddresses::Cidrs(cidrs))
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
    fn primary_alone_or_cidrs_of_both_families() {
        let p = NodePortAddresses::parse_flag;
        assert_eq!(p("primary"), Ok(NodePortAddresses::Primary));
        assert_eq!(
            p("10.1.2.3/8,fd00::1/64,127.0.0.1/32"),
            Ok(NodePortAddresses::Cidrs(vec![
                (ip("10.0.0.0"), 8),
                (ip("fd00::"), 64),
                (ip("127.0.0.1"), 32)
            ]))
        );
        assert_eq!(
            p("0.0.0.0/0"),
            Ok(NodePortAddresses::Cidrs(vec![(ip("0.0.0.0"), 0)]))
        );
        for bad in [
            "primary,10.0.0.0/8",
            "10.0.0.0",
            "10.0.0.0/33",
            "::/129",
            "10.0.0.0/+8",
            "",
            "10.0.0.0/8,",
            "all",
        ] {
            assert!(p(bad).is_err(), "{bad}");
        }
        assert_eq!(
            p("1.2.3"),
            Err("invalid CIDR `1.2.3' in --nodeport-addresses".into())
        );
        assert_eq!(
            NodePortAddresses::parse::<&str>(&[]),
            Ok(NodePortAddresses::All)
        );
    }
}
