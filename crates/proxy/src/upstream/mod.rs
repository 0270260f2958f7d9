//! Outbound HTTP: the one pooled client every request the proxy makes to a connector's service
//! goes through, with the SSRF guard always on (resolved addresses, IP-literal hosts and every
//! redirect hop), connect and total timeouts, a response size cap, and redirects followed here
//! (bounded) so that credentials never follow a redirect to another origin. Errors are sentences
//! naming the host only: never the URL (its query may hold a key) nor the service's answer.
//! Beside the client: an operation's request (`operation`, with `body` and `credentials`), the
//! generic HTTP connector's request (`invoke`) and the answer as an execute result (`answer`).

pub mod answer;
pub mod body;
pub mod credentials;
pub mod guard;
pub mod host_url;
pub mod invoke;
pub mod operation;

use axum::body::Bytes;
use guard::{Cidr, Guard, GuardedResolver, Refused, Unresolved};
use reqwest::header::{HeaderMap, HeaderName, LOCATION};
use reqwest::{Method, StatusCode, Url};
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// Limits and the allow-list of outbound requests.
#[derive(Clone, Debug)]
pub struct UpstreamSettings {
    /// Ranges the guard lets through although they are not public (`--upstream-allow`).
    pub allow: Vec<Cidr>,
    pub connect_timeout: Duration,
    /// From sending the request to the end of the answer.
    pub timeout: Duration,
    pub max_body_bytes: usize,
    pub max_redirects: usize,
}

impl Default for UpstreamSettings {
    fn default() -> Self {
        UpstreamSettings {
            allow: Vec::new(),
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(30),
            max_body_bytes: 10 * 1024 * 1024,
            max_redirects: 5,
        }
    }
}

/// A request to a connector's service.
#[derive(Clone, Debug)]
pub struct UpstreamRequest {
    pub method: Method,
    pub url: Url,
    pub headers: HeaderMap,
    pub body: Option<Bytes>,
    /// Headers that carry credentials: dropped when a redirect leaves the origin.
    pub credential_headers: Vec<HeaderName>,
}

/// The service's answer (its body is read on demand, bounded).
pub struct UpstreamResponse {
    pub status: StatusCode,
    host: String,
    settings: Arc<UpstreamSettings>,
    inner: reqwest::Response,
}

impl UpstreamResponse {
    pub fn headers(&self) -> &HeaderMap {
        self.inner.headers()
    }

    /// The whole body, refused past the size cap.
    pub async fn bytes(mut self) -> Result<Bytes, UpstreamError> {
        let limit = self.settings.max_body_bytes;
        let too_large = || UpstreamError::TooLarge {
            host: self.host.clone(),
            limit,
        };
        if self
            .inner
            .content_length()
            .is_some_and(|n| n > limit as u64)
        {
            return Err(too_large());
        }
        let mut out = Vec::new();
        loop {
            match self.inner.chunk().await {
                Ok(Some(c)) => {
                    if out.len() + c.len() > limit {
                        return Err(too_large());
                    }
                    out.extend_from_slice(&c);
                }
                Ok(None) => return Ok(out.into()),
                Err(e) => return Err(UpstreamError::from_reqwest(&self.host, e, &self.settings)),
            }
        }
    }
}

/// Why a request got no answer. `Display` is the sentence shown to the user.
#[derive(Debug)]
pub enum UpstreamError {
    Refused(Refused),
    Unresolved { host: String },
    Timeout { host: String, after: Duration },
    Connect { host: String, why: String },
    TooManyRedirects { host: String },
    BadRedirect { host: String },
    BadUrl(String),
    TooLarge { host: String, limit: usize },
}

impl fmt::Display for UpstreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UpstreamError::Refused(r) => write!(f, "{r}."),
            UpstreamError::Unresolved { host } => write!(f, "{host} could not be found (DNS)."),
            UpstreamError::Timeout { host, after } => write!(
                f,
                "{host} did not answer within {} seconds.",
                fmt_secs(*after)
            ),
            UpstreamError::Connect { host, why } => write!(f, "Could not reach {host}: {why}."),
            UpstreamError::TooManyRedirects { host } => {
                write!(f, "{host} redirected too many times.")
            }
            UpstreamError::BadRedirect { host } => {
                write!(
                    f,
                    "{host} redirected to an address that is not http or https."
                )
            }
            UpstreamError::BadUrl(why) => write!(f, "{why}."),
            UpstreamError::TooLarge { host, limit } => {
                write!(f, "The answer of {host} is larger than {limit} bytes.")
            }
        }
    }
}

fn fmt_secs(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s.fract() == 0.0 {
        format!("{s:.0}")
    } else {
        format!("{s:.1}")
    }
}

impl UpstreamError {
    /// Our own sentence from reqwest's error, whose text would name the whole URL.
    fn from_reqwest(host: &str, e: reqwest::Error, settings: &UpstreamSettings) -> Self {
        let host = host.to_string();
        let chain = error_chain(&e);
        for s in &chain {
            if let Some(r) = s.downcast_ref::<Refused>() {
                return UpstreamError::Refused(r.clone());
            }
            if s.downcast_ref::<Unresolved>().is_some() {
                return UpstreamError::Unresolved { host };
            }
        }
        if !e.is_timeout() {
            if let Some(io) = chain
                .iter()
                .find_map(|s| s.downcast_ref::<std::io::Error>())
            {
                use std::io::ErrorKind::*;
                let why = match io.kind() {
                    ConnectionRefused => "the connection was refused",
                    ConnectionReset | ConnectionAborted | UnexpectedEof => {
                        "the connection was closed"
                    }
                    InvalidData => "the secure connection (TLS) failed",
                    _ => "the network failed",
                };
                return UpstreamError::Connect {
                    host,
                    why: why.into(),
                };
            }
        }
        if e.is_timeout() {
            return UpstreamError::Timeout {
                host,
                after: if e.is_connect() {
                    settings.connect_timeout
                } else {
                    settings.timeout
                },
            };
        }
        let why = if e.is_connect() {
            "the connection failed"
        } else if e.is_body() || e.is_decode() {
            "the answer broke off"
        } else {
            "the request failed"
        };
        UpstreamError::Connect {
            host,
            why: why.into(),
        }
    }
}

/// Every error behind `e`, including the ones an `io::Error` wraps (its `source()` skips them).
fn error_chain<'a>(
    e: &'a (dyn std::error::Error + 'static),
) -> Vec<&'a (dyn std::error::Error + 'static)> {
    let mut out = Vec::new();
    let mut next = Some(e);
    while let Some(s) = next.take() {
        out.push(s);
        if let Some(inner) = s
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
        {
            out.push(inner);
            next = inner.source();
        } else {
            next = s.source();
        }
        if out.len() > 32 {
            break;
        }
    }
    out
}

/// The shared client (cheap to clone: one connection pool).
#[derive(Clone)]
pub struct Upstream {
    client: reqwest::Client,
    guard: Arc<Guard>,
    settings: Arc<UpstreamSettings>,
}

/// The host of a URL as the user knows it (`host` or `host:port`).
pub fn host_of(url: &Url) -> String {
    match (url.host_str(), url.port()) {
        (Some(h), Some(p)) => format!("{h}:{p}"),
        (Some(h), None) => h.to_string(),
        _ => String::new(),
    }
}

impl Upstream {
    pub fn new(settings: &UpstreamSettings) -> Result<Self, String> {
        let guard = Arc::new(Guard::new(settings.allow.clone()));
        let client = reqwest::Client::builder()
            .no_proxy()
            .dns_resolver(Arc::new(GuardedResolver(guard.clone())))
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(settings.connect_timeout)
            .timeout(settings.timeout)
            .pool_idle_timeout(Duration::from_secs(60))
            .tcp_nodelay(true)
            .user_agent(concat!("Plugboard/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| format!("cannot set up the outbound HTTP client: {e}"))?;
        Ok(Upstream {
            client,
            guard,
            settings: Arc::new(settings.clone()),
        })
    }

    pub fn settings(&self) -> &UpstreamSettings {
        &self.settings
    }

    /// Refuse an IP-literal host the guard forbids (the resolver never sees those).
    fn check_literal(&self, url: &Url) -> Result<(), UpstreamError> {
        let ip = match url.host() {
            Some(url::Host::Ipv4(v4)) => v4.into(),
            Some(url::Host::Ipv6(v6)) => v6.into(),
            Some(url::Host::Domain(_)) => return Ok(()),
            None => return Err(UpstreamError::BadUrl("the address has no host".into())),
        };
        let host = url.host_str().unwrap_or_default();
        self.guard.check(host, ip).map_err(UpstreamError::Refused)
    }

    /// Send `req`, following up to `max_redirects` redirects, each checked like the first.
    pub async fn send(&self, mut req: UpstreamRequest) -> Result<UpstreamResponse, UpstreamError> {
        for _ in 0..=self.settings.max_redirects {
            if !matches!(req.url.scheme(), "http" | "https") {
                return Err(UpstreamError::BadUrl(format!(
                    "{}: only http and https are called",
                    host_of(&req.url)
                )));
            }
            self.check_literal(&req.url)?;
            let host = host_of(&req.url);
            let mut b = self
                .client
                .request(req.method.clone(), req.url.clone())
                .headers(req.headers.clone());
            if let Some(body) = &req.body {
                b = b.body(body.clone());
            }
            let resp = b
                .send()
                .await
                .map_err(|e| UpstreamError::from_reqwest(&host, e, &self.settings))?;
            let status = resp.status();
            let location = resp
                .headers()
                .get(LOCATION)
                .and_then(|l| l.to_str().ok())
                .map(str::to_string);
            let (true, Some(location)) = (status.is_redirection(), location) else {
                return Ok(UpstreamResponse {
                    status,
                    host,
                    settings: self.settings.clone(),
                    inner: resp,
                });
            };
            let next = req
                .url
                .join(&location)
                .map_err(|_| UpstreamError::BadRedirect { host: host.clone() })?;
            if !matches!(next.scheme(), "http" | "https") {
                return Err(UpstreamError::BadRedirect { host });
            }
            if next.origin() != req.url.origin() {
                for h in req.credential_headers.drain(..) {
                    req.headers.remove(&h);
                }
            }
            // 303, and 301/302 after anything but GET/HEAD, become a GET without a body.
            let keep = matches!(
                status,
                StatusCode::TEMPORARY_REDIRECT | StatusCode::PERMANENT_REDIRECT
            ) || (status != StatusCode::SEE_OTHER
                && matches!(req.method, Method::GET | Method::HEAD));
            if !keep {
                req.method = Method::GET;
                req.body = None;
            }
            req.url = next;
        }
        Err(UpstreamError::TooManyRedirects {
            host: host_of(&req.url),
        })
    }
}
