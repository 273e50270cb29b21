//! Who the client is behind a CDN or load balancer.
//!
//! Without configuration the client is the peer of the TCP connection. Behind proxies that would
//! make every reader one address — one flood limit, one ban for all — so a site lists its
//! proxies (`--trusted-proxy`, `BROADSHEET_TRUSTED_PROXIES`, `trusted_proxies` in the file), and
//! when the peer is one of them the client is the right-most address in `X-Forwarded-For` that
//! is not. Addresses from anyone else's `X-Forwarded-For` are ignored: a reader cannot choose
//! the address their flood limits count against.

use std::net::IpAddr;

use axum::http::HeaderMap;

/// An address range, `10.0.0.0/8`, `2001:db8::/32`, or a single address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Range {
    addr: IpAddr,
    prefix: u8,
}

impl Range {
    pub fn parse(text: &str) -> Result<Range, String> {
        let text = text.trim();
        let (addr, prefix) = match text.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (text, None),
        };
        let addr: IpAddr = addr
            .parse()
            .map_err(|_| format!("`{text}` is not an address or range"))?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= max)
                .ok_or_else(|| format!("`{text}` has a prefix length outside 0–{max}"))?,
        };
        Ok(Range { addr, prefix })
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.addr, ip) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = if self.prefix == 0 {
                    0
                } else {
                    u32::MAX << (32 - u32::from(self.prefix))
                };
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = if self.prefix == 0 {
                    0
                } else {
                    u128::MAX << (128 - u32::from(self.prefix))
                };
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

/// The client's address, given the connection's peer and the request's headers.
pub fn client(peer: Option<IpAddr>, headers: &HeaderMap, trusted: &[Range]) -> Option<IpAddr> {
    let peer = peer?;
    let is_trusted = |ip: IpAddr| trusted.iter().any(|r| r.contains(ip));
    if !is_trusted(peer) {
        return Some(peer);
    }
    let forwarded: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|a| a.trim().parse().ok())
        .collect();
    forwarded
        .iter()
        .rev()
        .copied()
        .find(|ip| !is_trusted(*ip))
        .or_else(|| forwarded.first().copied())
        .or(Some(peer))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn headers(xff: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", HeaderValue::from_str(xff).unwrap());
        h
    }

    #[test]
    fn ranges() {
        let r = Range::parse("10.0.0.0/8").unwrap();
        assert!(r.contains(ip("10.1.2.3")));
        assert!(!r.contains(ip("11.0.0.1")));
        assert!(
            Range::parse("2001:db8::/32")
                .unwrap()
                .contains(ip("2001:db8::1"))
        );
        assert!(Range::parse("192.0.2.7").unwrap().contains(ip("192.0.2.7")));
        assert!(!Range::parse("192.0.2.7").unwrap().contains(ip("192.0.2.8")));
        assert!(Range::parse("10.0.0.0/33").is_err());
        assert!(Range::parse("proxy").is_err());
    }

    #[test]
    fn forwarded_addresses_count_only_from_trusted_proxies() {
        let trusted = [Range::parse("10.0.0.0/8").unwrap()];
        // A reader talking to us directly cannot pretend to be someone else.
        assert_eq!(
            client(Some(ip("198.51.100.9")), &headers("1.2.3.4"), &trusted),
            Some(ip("198.51.100.9"))
        );
        // Through our proxy: the right-most address that is not ours.
        assert_eq!(
            client(
                Some(ip("10.0.0.5")),
                &headers("1.2.3.4, 203.0.113.7, 10.0.0.9"),
                &trusted
            ),
            Some(ip("203.0.113.7"))
        );
        // No header: the proxy itself.
        assert_eq!(
            client(Some(ip("10.0.0.5")), &HeaderMap::new(), &trusted),
            Some(ip("10.0.0.5"))
        );
        // Nothing configured: the peer, whatever the header says.
        assert_eq!(
            client(Some(ip("10.0.0.5")), &headers("1.2.3.4"), &[]),
            Some(ip("10.0.0.5"))
        );
    }
}
