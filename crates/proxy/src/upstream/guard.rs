//! The SSRF guard: which addresses the proxy may call. Loopback, private, link-local, shared
//! (carrier-grade NAT), unique-local, multicast, documentation and reserved addresses are refused
//! (IPv4-mapped, 6to4 and NAT64 IPv6 forms by the IPv4 address inside), unless an administrator
//! allows their range (`--upstream-allow`). The resolver here checks every address a name
//! resolves to, at connect time, so DNS rebinding cannot slip a private address past the check.

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::str::FromStr;
use std::sync::Arc;

/// Why an address is not called.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Forbidden {
    Unspecified,
    Loopback,
    Private,
    Shared,
    LinkLocal,
    UniqueLocal,
    Multicast,
    Broadcast,
    Documentation,
    Reserved,
}

impl Forbidden {
    /// As in "Plugboard does not call … addresses".
    pub fn describe(self) -> &'static str {
        match self {
            Forbidden::Unspecified => "unspecified",
            Forbidden::Loopback => "loopback",
            Forbidden::Private => "private",
            Forbidden::Shared => "shared (carrier-grade NAT)",
            Forbidden::LinkLocal => "link-local",
            Forbidden::UniqueLocal => "unique-local",
            Forbidden::Multicast => "multicast",
            Forbidden::Broadcast => "broadcast",
            Forbidden::Documentation => "documentation",
            Forbidden::Reserved => "reserved",
        }
    }
}

/// The class of a non-public address; `None` for a public one.
pub fn classify(ip: IpAddr) -> Option<Forbidden> {
    match ip {
        IpAddr::V4(v4) => classify_v4(v4),
        IpAddr::V6(v6) => classify_v6(v6),
    }
}

fn classify_v4(ip: Ipv4Addr) -> Option<Forbidden> {
    let [a, b, c, _] = ip.octets();
    Some(match (a, b, c) {
        (0, ..) => Forbidden::Unspecified,
        (10, ..) | (192, 168, _) => Forbidden::Private,
        (172, b, _) if b & 0xf0 == 16 => Forbidden::Private,
        (100, b, _) if b & 0xc0 == 64 => Forbidden::Shared,
        (127, ..) => Forbidden::Loopback,
        (169, 254, _) => Forbidden::LinkLocal,
        (192, 0, 2) | (198, 51, 100) | (203, 0, 113) => Forbidden::Documentation,
        // IETF protocol assignments, the 6to4 relay anycast, benchmarking.
        (192, 0, 0) | (192, 88, 99) => Forbidden::Reserved,
        (198, b, _) if b & 0xfe == 18 => Forbidden::Reserved,
        (224..=239, ..) => Forbidden::Multicast,
        _ if ip == Ipv4Addr::BROADCAST => Forbidden::Broadcast,
        (240..=255, ..) => Forbidden::Reserved,
        _ => return None,
    })
}

fn classify_v6(ip: Ipv6Addr) -> Option<Forbidden> {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return classify_v4(v4);
    }
    let seg = ip.segments();
    let embedded = |hi: u16, lo: u16| Ipv4Addr::from((u32::from(hi) << 16) | u32::from(lo));
    Some(match seg {
        [0, 0, 0, 0, 0, 0, 0, 0] => Forbidden::Unspecified,
        [0, 0, 0, 0, 0, 0, 0, 1] => Forbidden::Loopback,
        // IPv4-compatible (deprecated) and the rest of ::/96.
        [0, 0, 0, 0, 0, 0, _, _] => Forbidden::Reserved,
        // NAT64 (well-known prefix) and 6to4 carry an IPv4 address: judge that one.
        [0x64, 0xff9b, 0, 0, 0, 0, hi, lo] => return classify_v4(embedded(hi, lo)),
        [0x2002, hi, lo, ..] => return classify_v4(embedded(hi, lo)),
        [0x64, 0xff9b, 1, ..] => Forbidden::Private,
        [0x100, 0, 0, 0, ..] => Forbidden::Reserved,
        [0x2001, 0xdb8, ..] => Forbidden::Documentation,
        [0x3fff, s, ..] if s < 0x1000 => Forbidden::Documentation,
        // IETF protocol assignments (Teredo among them).
        [0x2001, s, ..] if s < 0x200 => Forbidden::Reserved,
        [s, ..] if s & 0xfe00 == 0xfc00 => Forbidden::UniqueLocal,
        [s, ..] if s & 0xffc0 == 0xfe80 => Forbidden::LinkLocal,
        [s, ..] if s & 0xffc0 == 0xfec0 => Forbidden::Private,
        [s, ..] if s & 0xff00 == 0xff00 => Forbidden::Multicast,
        // Only 2000::/3 is global unicast.
        [s, ..] if s & 0xe000 != 0x2000 => Forbidden::Reserved,
        _ => return None,
    })
}

/// An address range of the allow-list: `10.1.0.0/16`, `127.0.0.1` (one address), `::1/128`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cidr {
    net: IpAddr,
    prefix: u8,
}

impl FromStr for Cidr {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let s = s.trim();
        let (ip, prefix) = match s.split_once('/') {
            Some((ip, p)) => (ip, Some(p)),
            None => (s, None),
        };
        let net: IpAddr = ip
            .parse()
            .map_err(|_| format!("`{s}` is not an IP address or CIDR range"))?;
        let net = canonical(net);
        let max = if net.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= max)
                .ok_or_else(|| format!("`{s}`: the prefix length must be 0 to {max}"))?,
        };
        Ok(Cidr { net, prefix })
    }
}

impl fmt::Display for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.net, self.prefix)
    }
}

impl Cidr {
    pub fn contains(&self, ip: IpAddr) -> bool {
        let bits = |ip: IpAddr| match ip {
            IpAddr::V4(v) => (u128::from(u32::from(v)), 32u32),
            IpAddr::V6(v) => (u128::from(v), 128u32),
        };
        let ((net, width), (addr, w2)) = (bits(self.net), bits(canonical(ip)));
        if width != w2 {
            return false;
        }
        let shift = width - u32::from(self.prefix);
        shift >= width || (net >> shift) == (addr >> shift)
    }
}

/// An IPv4-mapped IPv6 address as the IPv4 address it is.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// The refusal of one address, naming it and the host it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refused {
    pub host: String,
    pub ip: IpAddr,
    pub why: Forbidden,
}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Plugboard does not call {} addresses: {}",
            self.why.describe(),
            self.ip
        )?;
        let host = self.host.trim_matches(['[', ']']);
        if host != self.ip.to_string() {
            write!(f, " ({host})")?;
        }
        Ok(())
    }
}

impl std::error::Error for Refused {}

/// A name that resolved to nothing.
#[derive(Debug)]
pub struct Unresolved {
    pub host: String,
}

impl fmt::Display for Unresolved {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} could not be found (DNS)", self.host)
    }
}

impl std::error::Error for Unresolved {}

/// The allow-list and the rules: on by default for every request the proxy makes.
#[derive(Clone, Debug, Default)]
pub struct Guard {
    allow: Vec<Cidr>,
}

impl Guard {
    pub fn new(allow: Vec<Cidr>) -> Self {
        Guard { allow }
    }

    /// May the proxy call `ip` (reached through `host`)?
    pub fn check(&self, host: &str, ip: IpAddr) -> Result<(), Refused> {
        let ip = canonical(ip);
        if self.allow.iter().any(|c| c.contains(ip)) {
            return Ok(());
        }
        match classify(ip) {
            None => Ok(()),
            Some(why) => Err(Refused {
                host: host.to_string(),
                ip,
                why,
            }),
        }
    }
}

/// The client's resolver: the system's lookup, then every address through the guard (one
/// forbidden address refuses the name, so a mixed answer cannot be raced).
pub struct GuardedResolver(pub Arc<Guard>);

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let guard = self.0.clone();
        let host = name.as_str().to_string();
        Box::pin(async move {
            let addrs: Vec<SocketAddr> = match tokio::net::lookup_host((host.as_str(), 0)).await {
                Ok(a) => a.collect(),
                Err(_) => Vec::new(),
            };
            if addrs.is_empty() {
                return Err(Box::new(Unresolved { host }) as _);
            }
            for a in &addrs {
                // `?` boxes the refusal itself, so callers can downcast to it.
                guard.check(&host, a.ip())?;
            }
            Ok(Box::new(addrs.into_iter()) as Addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_addresses() {
        use Forbidden::*;
        let table: &[(&str, Option<Forbidden>)] = &[
            ("0.0.0.0", Some(Unspecified)),
            ("0.1.2.3", Some(Unspecified)),
            ("10.0.0.5", Some(Private)),
            ("100.63.255.255", None),
            ("100.64.0.1", Some(Shared)),
            ("100.127.255.255", Some(Shared)),
            ("100.128.0.0", None),
            ("127.0.0.1", Some(Loopback)),
            ("127.255.0.2", Some(Loopback)),
            ("169.254.169.254", Some(LinkLocal)),
            ("172.15.255.255", None),
            ("172.16.0.1", Some(Private)),
            ("172.31.255.255", Some(Private)),
            ("172.32.0.0", None),
            ("192.0.0.8", Some(Reserved)),
            ("192.0.2.1", Some(Documentation)),
            ("192.88.99.1", Some(Reserved)),
            ("192.168.1.1", Some(Private)),
            ("198.18.0.1", Some(Reserved)),
            ("198.19.255.255", Some(Reserved)),
            ("198.20.0.0", None),
            ("198.51.100.7", Some(Documentation)),
            ("203.0.113.9", Some(Documentation)),
            ("224.0.0.1", Some(Multicast)),
            ("239.255.255.250", Some(Multicast)),
            ("240.0.0.1", Some(Reserved)),
            ("255.255.255.255", Some(Broadcast)),
            ("1.1.1.1", None),
            ("93.184.216.34", None),
            ("::", Some(Unspecified)),
            ("::1", Some(Loopback)),
            ("::127.0.0.1", Some(Reserved)),
            ("::ffff:127.0.0.1", Some(Loopback)),
            ("::ffff:10.1.2.3", Some(Private)),
            ("::ffff:169.254.169.254", Some(LinkLocal)),
            ("::ffff:8.8.8.8", None),
            ("64:ff9b::10.0.0.1", Some(Private)),
            ("64:ff9b::8.8.8.8", None),
            ("64:ff9b:1::1", Some(Private)),
            ("2002:7f00:1::", Some(Loopback)),
            ("2002:0808:0808::", None),
            ("100::1", Some(Reserved)),
            ("2001::1", Some(Reserved)),
            ("2001:db8::1", Some(Documentation)),
            ("3fff::1", Some(Documentation)),
            ("3fff:1000::1", None),
            ("fc00::1", Some(UniqueLocal)),
            ("fd12:3456::1", Some(UniqueLocal)),
            ("fe80::1", Some(LinkLocal)),
            ("febf::1", Some(LinkLocal)),
            ("fec0::1", Some(Private)),
            ("ff02::1", Some(Multicast)),
            ("4000::1", Some(Reserved)),
            ("2606:4700:4700::1111", None),
            ("2a00:1450:4001:80b::200e", None),
        ];
        for (ip, want) in table {
            let got = classify(ip.parse().unwrap());
            assert_eq!(got, *want, "{ip}");
        }
    }

    #[test]
    fn allow_list_ranges() {
        let table: &[(&str, &str, bool)] = &[
            ("127.0.0.1/32", "127.0.0.1", true),
            ("127.0.0.1/32", "127.0.0.2", false),
            ("127.0.0.1", "127.0.0.1", true),
            ("127.0.0.1", "::ffff:127.0.0.1", true),
            ("10.0.0.0/8", "10.200.1.1", true),
            ("10.0.0.0/8", "11.0.0.1", false),
            ("0.0.0.0/0", "192.168.0.1", true),
            ("0.0.0.0/0", "::1", false),
            ("fd00::/8", "fd12::1", true),
            ("fd00::/8", "fe80::1", false),
            ("::1", "::1", true),
            ("::/0", "fe80::1", true),
        ];
        for (cidr, ip, want) in table {
            let c: Cidr = cidr.parse().unwrap();
            assert_eq!(c.contains(ip.parse().unwrap()), *want, "{cidr} ∋ {ip}");
        }
        for bad in [
            "",
            "10.0.0.0/33",
            "::/129",
            "example.com",
            "10.0.0.0/x",
            "1.2.3",
        ] {
            assert!(bad.parse::<Cidr>().is_err(), "{bad}");
        }
    }

    #[test]
    fn guard_refuses_unless_allowed_and_names_the_host() {
        let guard = Guard::new(vec!["127.0.0.1/32".parse().unwrap()]);
        assert!(guard
            .check("localhost", "127.0.0.1".parse().unwrap())
            .is_ok());
        let r = guard
            .check("api.example.com", "10.0.0.5".parse().unwrap())
            .unwrap_err();
        assert_eq!(
            r.to_string(),
            "Plugboard does not call private addresses: 10.0.0.5 (api.example.com)"
        );
        let r = guard
            .check("127.0.0.2", "127.0.0.2".parse().unwrap())
            .unwrap_err();
        assert_eq!(
            r.to_string(),
            "Plugboard does not call loopback addresses: 127.0.0.2"
        );
        let r = guard.check("[::1]", "::1".parse().unwrap()).unwrap_err();
        assert_eq!(
            r.to_string(),
            "Plugboard does not call loopback addresses: ::1"
        );
        assert!(guard
            .check("one.one.one.one", "1.1.1.1".parse().unwrap())
            .is_ok());
    }
}
