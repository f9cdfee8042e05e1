//! The client's address, for the limits: the socket's peer, or — only when the peer is a
//! trusted reverse proxy (`--trusted-proxy CIDR`) — the address that proxy puts in
//! `X-Forwarded-For`.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::str::FromStr;

use axum::extract::ConnectInfo;
use axum::http::request::Parts;
use axum::http::HeaderMap;
use thiserror::Error;

/// A block of addresses, `10.0.0.0/8`, `::1/128`, or a single address (`127.0.0.1`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    network: IpAddr,
    prefix: u8,
}

/// Why a `--trusted-proxy` value is not a CIDR block.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{value:?} is not an address block — write it as ADDRESS/PREFIX, e.g. 10.0.0.0/8 or ::1/128, or a single address")]
pub struct CidrError {
    value: String,
}

impl FromStr for Cidr {
    type Err = CidrError;

    fn from_str(s: &str) -> Result<Self, CidrError> {
        let bad = || CidrError {
            value: s.to_owned(),
        };
        let (addr, prefix) = match s.trim().split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s.trim(), None),
        };
        let network: IpAddr = addr.parse().map_err(|_| bad())?;
        let max = if network.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            Some(p) if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => {
                p.parse::<u8>().map_err(|_| bad())?
            }
            Some(_) => return Err(bad()),
            None => max,
        };
        if prefix > max {
            return Err(bad());
        }
        Ok(Self { network, prefix })
    }
}

impl fmt::Display for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.network, self.prefix)
    }
}

impl Cidr {
    /// Whether `ip` is inside the block (IPv4-mapped IPv6 addresses count as IPv4).
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.network, canonical(ip)) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
        v4 => v4,
    }
}

/// The client's address: the socket peer, unless the peer is one of `trusted`, in which case
/// the right-most `X-Forwarded-For` entry that is not itself a trusted proxy (entries further
/// left were written by the client and prove nothing).
pub(crate) fn client_ip(parts: &Parts, trusted: &[Cidr]) -> IpAddr {
    let peer = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| c.0.ip());
    forwarded_client(peer, &parts.headers, trusted)
}

fn forwarded_client(peer: IpAddr, headers: &HeaderMap, trusted: &[Cidr]) -> IpAddr {
    let is_trusted = |ip: IpAddr| trusted.iter().any(|c| c.contains(ip));
    if !is_trusted(peer) {
        return peer;
    }
    let hops: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .collect();
    // From the right: each hop was written by the one after it. The first that is not a
    // trusted proxy is the client; a hop we cannot read ends the walk (nothing further left
    // can be believed), and then the last address we could trust names the client.
    let mut client = peer;
    for hop in hops.into_iter().rev() {
        match parse_hop(hop) {
            Some(ip) if is_trusted(ip) => client = ip,
            Some(ip) => return ip,
            None => break,
        }
    }
    client
}

/// One `X-Forwarded-For` entry: an address, possibly with a port (`1.2.3.4:5678`,
/// `[2001:db8::1]:5678`), as some proxies write them.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    let hop = hop.trim();
    if let Ok(ip) = hop.parse() {
        return Some(ip);
    }
    if let Some(rest) = hop.strip_prefix('[') {
        return rest.split_once(']')?.0.parse().ok();
    }
    let (host, port) = hop.rsplit_once(':')?;
    port.parse::<u16>().ok()?;
    host.parse::<std::net::Ipv4Addr>().ok().map(IpAddr::V4)
}

/// The address the per-address limits count: the IPv4 address, or the /64 prefix of an IPv6
/// address (one subscriber usually holds a whole /64, so keying on full addresses would let a
/// client rotate through 2^64 keys). IPv4-mapped IPv6 addresses count as their IPv4 address.
pub(crate) fn address_key(ip: IpAddr) -> IpAddr {
    match canonical(ip) {
        IpAddr::V6(v6) => {
            let s = v6.segments();
            IpAddr::V6(Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
        }
        v4 => v4,
    }
}

#[cfg(test)]
mod tests {
    use super::{address_key, forwarded_client, Cidr};
    use axum::http::HeaderMap;
    use std::net::IpAddr;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn key(s: &str) -> IpAddr {
        address_key(ip(s))
    }

    #[test]
    fn ipv6_clients_are_limited_per_64_prefix_and_ipv4_per_address() {
        assert_eq!(key("203.0.113.7"), ip("203.0.113.7"));
        assert_ne!(key("203.0.113.7"), key("203.0.113.8"));
        assert_eq!(key("2001:db8:1:2::1"), ip("2001:db8:1:2::"));
        assert_eq!(
            key("2001:db8:1:2:aaaa:bbbb:cccc:dddd"),
            key("2001:db8:1:2::1")
        );
        assert_ne!(key("2001:db8:1:3::1"), key("2001:db8:1:2::1"));
        assert_eq!(key("::ffff:203.0.113.7"), key("203.0.113.7"));
    }

    #[test]
    fn cidr_blocks_parse_and_contain() {
        let net: Cidr = "10.1.0.0/16".parse().unwrap();
        assert!(net.contains(ip("10.1.200.3")));
        assert!(!net.contains(ip("10.2.0.1")));
        assert!(net.contains(ip("::ffff:10.1.0.9")));
        let one: Cidr = "127.0.0.1".parse().unwrap();
        assert!(one.contains(ip("127.0.0.1")) && !one.contains(ip("127.0.0.2")));
        let all: Cidr = "0.0.0.0/0".parse().unwrap();
        assert!(all.contains(ip("198.51.100.1")));
        let v6: Cidr = "fd00::/8".parse().unwrap();
        assert!(v6.contains(ip("fd12::1")) && !v6.contains(ip("fe80::1")));
        for bad in [
            "",
            "*",
            "10.0.0.0/33",
            "::/129",
            "10.0.0.0/",
            "10.0.0.0/+8",
            "host/8",
        ] {
            assert!(bad.parse::<Cidr>().is_err(), "{bad:?}");
        }
        assert_eq!(net.to_string(), "10.1.0.0/16");
    }

    fn xff(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", value.parse().unwrap());
        h
    }

    #[test]
    fn forwarded_for_counts_only_from_a_trusted_proxy() {
        let proxy: Vec<Cidr> = vec!["127.0.0.1".parse().unwrap()];
        let h = xff("198.51.100.7");
        assert_eq!(
            forwarded_client(ip("127.0.0.1"), &h, &proxy),
            ip("198.51.100.7")
        );
        assert_eq!(
            forwarded_client(ip("203.0.113.9"), &h, &proxy),
            ip("203.0.113.9"),
            "a direct client cannot pick its address"
        );
        assert_eq!(
            forwarded_client(ip("127.0.0.1"), &h, &[]),
            ip("127.0.0.1"),
            "no trusted proxy: the header is ignored"
        );
        // The client wrote the left part; the proxy appended the real peer.
        let spoofed = xff("1.2.3.4, 198.51.100.7");
        assert_eq!(
            forwarded_client(ip("127.0.0.1"), &spoofed, &proxy),
            ip("198.51.100.7")
        );
        assert_eq!(
            forwarded_client(ip("127.0.0.1"), &xff("not an address"), &proxy),
            ip("127.0.0.1")
        );
        // Garbage written by the client further left does not hide the real hop.
        assert_eq!(
            forwarded_client(ip("127.0.0.1"), &xff("garbage, 203.0.113.9"), &proxy),
            ip("203.0.113.9")
        );
        // Proxies that append ports.
        assert_eq!(
            forwarded_client(ip("127.0.0.1"), &xff("203.0.113.9:5555"), &proxy),
            ip("203.0.113.9")
        );
        assert_eq!(
            forwarded_client(ip("127.0.0.1"), &xff("[2001:db8::1]:443"), &proxy),
            ip("2001:db8::1")
        );
    }
}
