//! A guarded HTTP GET for remote catalogues. The portal runs it on an
//! operator's say-so against URLs typed into a form, so it must not become a
//! way into the portal's own network: every hop's host is resolved here and
//! refused when any address is private, loopback, link-local, multicast or
//! otherwise not public (unless the operator allows it), the connection then
//! goes to exactly the addresses checked, redirects are followed by hand and
//! counted, the whole exchange has one deadline, and the body is read up to a
//! size limit and no further.

use bytes::{Bytes, BytesMut};
use reqwest::header::{ACCEPT, CONTENT_LENGTH, CONTENT_TYPE, LOCATION, USER_AGENT};
use sen_domain::Msg;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::Duration;
use url::Url;

/// What a fetch may do.
#[derive(Debug, Clone)]
pub struct FetchLimits {
    /// Largest body accepted, in bytes.
    pub max_bytes: u64,
    /// Deadline for one fetch, redirects and body included.
    pub timeout: Duration,
    /// Redirects followed before giving up.
    pub max_redirects: usize,
    /// Whether private, loopback and link-local addresses may be reached
    /// (tests and closed networks only).
    pub allow_private: bool,
}

impl Default for FetchLimits {
    fn default() -> Self {
        Self {
            max_bytes: 50 * 1024 * 1024,
            timeout: Duration::from_secs(60),
            max_redirects: 5,
            allow_private: false,
        }
    }
}

/// Why a fetch failed. Each maps to a translated message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FetchError {
    BadUrl(String),
    Scheme(String),
    PrivateAddress(String),
    Resolve(String),
    Connect(String),
    Timeout,
    TooManyRedirects(usize),
    Status(u16),
    TooLarge(u64),
}

impl FetchError {
    pub fn msg(&self) -> Msg {
        match self {
            FetchError::BadUrl(u) => Msg::new("harvest-error-bad-url").arg("url", u),
            FetchError::Scheme(s) => Msg::new("harvest-error-scheme").arg("scheme", s),
            FetchError::PrivateAddress(h) => {
                Msg::new("harvest-error-private-address").arg("host", h)
            }
            FetchError::Resolve(h) => Msg::new("harvest-error-resolve").arg("host", h),
            FetchError::Connect(h) => Msg::new("harvest-error-connect").arg("host", h),
            FetchError::Timeout => Msg::new("harvest-error-timeout"),
            FetchError::TooManyRedirects(n) => Msg::new("harvest-error-redirects").arg("max", n),
            FetchError::Status(s) => Msg::new("harvest-error-status").arg("status", s),
            FetchError::TooLarge(n) => Msg::new("harvest-error-too-large").arg("max", n),
        }
    }
}

/// A body fetched whole (within the limit).
#[derive(Debug, Clone)]
pub struct Fetched {
    /// The address it finally came from (after redirects).
    pub url: String,
    /// The media type without parameters, lower-cased; empty when not given.
    pub content_type: String,
    pub body: Bytes,
}

/// Fetches `url` under `limits`, asking for `accept`.
pub async fn fetch(url: &str, accept: &str, limits: &FetchLimits) -> Result<Fetched, FetchError> {
    let allow_private = limits.allow_private;
    fetch_with_policy(url, accept, limits, &move |ip| {
        allow_private || is_public(ip)
    })
    .await
}

/// Which addresses may be contacted.
type Policy = dyn Fn(IpAddr) -> bool + Sync;

async fn fetch_with_policy(
    url: &str,
    accept: &str,
    limits: &FetchLimits,
    allowed: &Policy,
) -> Result<Fetched, FetchError> {
    match tokio::time::timeout(limits.timeout, fetch_within(url, accept, limits, allowed)).await {
        Ok(result) => result,
        Err(_) => Err(FetchError::Timeout),
    }
}

async fn fetch_within(
    url: &str,
    accept: &str,
    limits: &FetchLimits,
    allowed: &Policy,
) -> Result<Fetched, FetchError> {
    let mut current = Url::parse(url.trim()).map_err(|_| FetchError::BadUrl(url.to_string()))?;
    let mut redirects = 0usize;
    loop {
        // Checked again at every hop: a public page may redirect inwards.
        let (host, addrs) = checked_addresses(&current, allowed).await?;
        let mut builder = reqwest::Client::builder()
            .no_proxy()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(limits.timeout);
        if let Some(url::Host::Domain(domain)) = current.host() {
            // Connect to exactly the addresses checked (no second lookup that
            // could answer differently).
            builder = builder.resolve_to_addrs(domain, &addrs);
        }
        let client = builder
            .build()
            .map_err(|_| FetchError::Connect(host.clone()))?;
        let response = client
            .get(current.clone())
            .header(ACCEPT, accept)
            .header(
                USER_AGENT,
                concat!("Sen-harvester/", env!("CARGO_PKG_VERSION")),
            )
            .send()
            .await
            .map_err(|e| {
                if e.is_timeout() {
                    FetchError::Timeout
                } else {
                    FetchError::Connect(host.clone())
                }
            })?;
        let status = response.status();
        if status.is_redirection() {
            let Some(location) = response
                .headers()
                .get(LOCATION)
                .and_then(|v| v.to_str().ok())
            else {
                return Err(FetchError::Status(status.as_u16()));
            };
            redirects += 1;
            if redirects > limits.max_redirects {
                return Err(FetchError::TooManyRedirects(limits.max_redirects));
            }
            current = current
                .join(location)
                .map_err(|_| FetchError::BadUrl(location.to_string()))?;
            continue;
        }
        if !status.is_success() {
            return Err(FetchError::Status(status.as_u16()));
        }
        let declared = response
            .headers()
            .get(CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        if declared.is_some_and(|n| n > limits.max_bytes) {
            return Err(FetchError::TooLarge(limits.max_bytes));
        }
        let content_type = response
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        let mut body = BytesMut::new();
        let mut response = response;
        loop {
            let chunk = response.chunk().await.map_err(|e| {
                if e.is_timeout() {
                    FetchError::Timeout
                } else {
                    FetchError::Connect(host.clone())
                }
            })?;
            let Some(chunk) = chunk else { break };
            if body.len() as u64 + chunk.len() as u64 > limits.max_bytes {
                return Err(FetchError::TooLarge(limits.max_bytes));
            }
            body.extend_from_slice(&chunk);
        }
        return Ok(Fetched {
            url: current.to_string(),
            content_type,
            body: body.freeze(),
        });
    }
}

/// The host of `url` and the addresses to connect to, after checking the
/// scheme and every address the name resolves to.
async fn checked_addresses(
    url: &Url,
    allowed: &Policy,
) -> Result<(String, Vec<SocketAddr>), FetchError> {
    match url.scheme() {
        "http" | "https" => {}
        other => return Err(FetchError::Scheme(other.to_string())),
    }
    let port = url
        .port_or_known_default()
        .ok_or_else(|| FetchError::BadUrl(url.to_string()))?;
    let host = url
        .host()
        .ok_or_else(|| FetchError::BadUrl(url.to_string()))?;
    let (name, addrs): (String, Vec<SocketAddr>) = match host {
        url::Host::Ipv4(ip) => (ip.to_string(), vec![SocketAddr::new(IpAddr::V4(ip), port)]),
        url::Host::Ipv6(ip) => (ip.to_string(), vec![SocketAddr::new(IpAddr::V6(ip), port)]),
        url::Host::Domain(d) => {
            let found: Vec<SocketAddr> = tokio::net::lookup_host((d, port))
                .await
                .map_err(|_| FetchError::Resolve(d.to_string()))?
                .collect();
            if found.is_empty() {
                return Err(FetchError::Resolve(d.to_string()));
            }
            (d.to_string(), found)
        }
    };
    if addrs.iter().any(|a| !allowed(a.ip())) {
        return Err(FetchError::PrivateAddress(name));
    }
    Ok((name, addrs))
}

/// Whether an address belongs to the public internet: not private, loopback,
/// link-local, multicast, broadcast, unspecified, shared (carrier NAT),
/// documentation, benchmarking or reserved space.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => is_public_v6(v6),
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let o = ip.octets();
    !(ip.is_private()
        || ip.is_loopback()
        || ip.is_link_local()
        || ip.is_multicast()
        || ip.is_broadcast()
        || ip.is_unspecified()
        || ip.is_documentation()
        || o[0] == 0
        || (o[0] == 100 && (o[1] & 0xc0) == 64)
        || (o[0] == 192 && o[1] == 0 && o[2] == 0)
        || (o[0] == 198 && (o[1] & 0xfe) == 18)
        || o[0] >= 240)
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return is_public_v4(v4);
    }
    let s = ip.segments();
    !(ip.is_loopback()
        || ip.is_unspecified()
        || ip.is_multicast()
        || (s[0] & 0xfe00) == 0xfc00 // unique local
        || (s[0] & 0xffc0) == 0xfe80 // link-local
        || (s[0] & 0xffc0) == 0xfec0 // site-local (deprecated)
        || (s[0] == 0x2001 && s[1] == 0x0db8) // documentation
        || (s[0] == 0x64 && s[1] == 0xff9b) // NAT64: may reach IPv4 private space
        || s[0] == 0x2002 // 6to4: idem
        || (s[0] == 0 && s[1] == 0 && s[2] == 0 && s[3] == 0 && s[4] == 0 && s[5] == 0))
    // IPv4-compatible
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_and_special_addresses_are_not_public() {
        for a in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "224.0.0.1",
            "255.255.255.255",
            "::1",
            "::",
            "fe80::1",
            "fd00::1",
            "ff02::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "64:ff9b::a00:1",
        ] {
            assert!(!is_public(a.parse().unwrap()), "{a} counted as public");
        }
        for a in ["1.1.1.1", "203.162.4.191", "2001:4860:4860::8888"] {
            assert!(is_public(a.parse().unwrap()), "{a} counted as private");
        }
    }

    /// A one-shot HTTP server on 127.0.0.1 answering every request with `reply`.
    async fn server(reply: String) -> u16 {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        tokio::spawn(async move {
            while let Ok((mut sock, _)) = listener.accept().await {
                let mut buf = [0u8; 4096];
                let _ = sock.read(&mut buf).await;
                let _ = sock.write_all(reply.as_bytes()).await;
                let _ = sock.shutdown().await;
            }
        });
        port
    }

    #[tokio::test]
    async fn every_redirect_hop_is_checked_again() {
        // 127.0.0.1 plays a public server; its redirect points at 127.0.0.2,
        // which the policy treats as private.
        let port = server(
            "HTTP/1.1 302 Found\r\nLocation: http://127.0.0.2:9/inside\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".into(),
        )
        .await;
        let only_first = |ip: IpAddr| ip == IpAddr::V4(Ipv4Addr::LOCALHOST);
        let limits = FetchLimits::default();
        let e = fetch_with_policy(
            &format!("http://127.0.0.1:{port}/"),
            "*/*",
            &limits,
            &only_first,
        )
        .await
        .unwrap_err();
        assert_eq!(e, FetchError::PrivateAddress("127.0.0.2".into()));
        // A redirect to another scheme is refused too.
        let port = server(
            "HTTP/1.1 301 Moved\r\nLocation: file:///etc/passwd\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".into(),
        )
        .await;
        let e = fetch_with_policy(
            &format!("http://127.0.0.1:{port}/"),
            "*/*",
            &limits,
            &only_first,
        )
        .await
        .unwrap_err();
        assert_eq!(e, FetchError::Scheme("file".into()));
    }

    #[tokio::test]
    async fn declared_and_streamed_sizes_are_capped() {
        let body = "x".repeat(2000);
        let port = server(format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        ))
        .await;
        let mut limits = FetchLimits {
            allow_private: true,
            max_bytes: 1000,
            ..Default::default()
        };
        let url = format!("http://127.0.0.1:{port}/");
        assert_eq!(
            fetch(&url, "*/*", &limits).await.unwrap_err(),
            FetchError::TooLarge(1000)
        );
        limits.max_bytes = 5000;
        let ok = fetch(&url, "*/*", &limits).await.unwrap();
        assert_eq!(ok.body.len(), 2000);
        assert_eq!(ok.content_type, "application/json");
    }

    #[tokio::test]
    async fn loopback_and_odd_schemes_are_refused_before_connecting() {
        let limits = FetchLimits::default();
        let e = fetch("http://127.0.0.1:9/x", "*/*", &limits)
            .await
            .unwrap_err();
        assert_eq!(e, FetchError::PrivateAddress("127.0.0.1".into()));
        let e = fetch("http://localhost:9/x", "*/*", &limits)
            .await
            .unwrap_err();
        assert_eq!(e, FetchError::PrivateAddress("localhost".into()));
        let e = fetch("http://[::1]:9/x", "*/*", &limits).await.unwrap_err();
        assert_eq!(e, FetchError::PrivateAddress("::1".into()));
        let e = fetch("file:///etc/passwd", "*/*", &limits)
            .await
            .unwrap_err();
        assert_eq!(e, FetchError::Scheme("file".into()));
        let e = fetch("not a url", "*/*", &limits).await.unwrap_err();
        assert!(matches!(e, FetchError::BadUrl(_)));
    }
}
