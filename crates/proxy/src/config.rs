//! Command-line and environment configuration of the proxy, and its subcommands.

use crate::upstream::guard::Cidr;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser, Debug, Clone)]
#[command(
    name = "plugboard-proxy",
    about = "Plugboard connector proxy and designer server"
)]
pub struct Cli {
    #[command(flatten)]
    pub config: Config,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug, Clone)]
pub enum Command {
    /// Run the server (the default).
    Serve,
    /// Connector definitions.
    Connectors {
        #[command(subcommand)]
        command: ConnectorsCommand,
    },
    /// Re-encrypt every connection secret under a new key and replace the key file.
    RotateKey,
    /// Benchmark: cold import of a connector folder tree (default: ../shared/connector-corpus).
    Bench { dir: Option<PathBuf> },
}

#[derive(Subcommand, Debug, Clone)]
pub enum ConnectorsCommand {
    /// Import a folder tree of connector definitions and report every rejected file.
    Check { dir: PathBuf },
}

#[derive(Args, Debug, Clone)]
pub struct Config {
    /// Port to listen on.
    #[arg(long, env = "PORT", default_value_t = 8080)]
    pub port: u16,
    /// Address to bind.
    #[arg(long, env = "PLUGBOARD_HOST", default_value = "127.0.0.1")]
    pub host: String,
    /// Folder holding the built designer (Trunk's `dist/`).
    #[arg(long, env = "PLUGBOARD_STATIC_DIR", default_value = "dist")]
    pub static_dir: PathBuf,
    /// `sqlite://PATH` (created if missing) or `postgres://…`.
    #[arg(long, env = "DATABASE_URL", default_value = "sqlite://plugboard.db")]
    pub database_url: String,
    /// Extra connector folders (repeatable; `PLUGBOARD_CONNECTORS=DIR:DIR`), in addition to the
    /// shipped ones.
    #[arg(
        long = "connectors",
        env = "PLUGBOARD_CONNECTORS",
        value_delimiter = ':'
    )]
    pub connectors: Vec<PathBuf>,
    /// The shipped connectors folder (the repository's `connectors/`).
    #[arg(long, env = "PLUGBOARD_SHIPPED_CONNECTORS")]
    pub shipped_connectors: Option<PathBuf>,
    /// The key that encrypts connection secrets; created with mode 0600 when absent.
    #[arg(
        long,
        env = "PLUGBOARD_SECRET_KEY_FILE",
        default_value = "plugboard.key"
    )]
    pub secret_key_file: PathBuf,
    /// Trust this request header (set by a single sign-on reverse proxy) as the username.
    #[arg(long, env = "PLUGBOARD_TRUSTED_USER_HEADER")]
    pub trusted_user_header: Option<String>,
    /// Take the client's address (for sign-in throttling) from this request header, set by the
    /// reverse proxy in front (e.g. `X-Real-IP`; of a list such as `X-Forwarded-For`, the last
    /// entry). Without it, the address is the connection's peer.
    #[arg(long, env = "PLUGBOARD_CLIENT_IP_HEADER")]
    pub client_ip_header: Option<String>,
    /// Always mark the session cookie `Secure` (it is also marked when
    /// `X-Forwarded-Proto: https`).
    #[arg(long, env = "PLUGBOARD_SECURE_COOKIES")]
    pub secure_cookies: bool,
    /// The address people reach the proxy at (e.g. `https://plugboard.example.com`): the base of
    /// the OAuth redirect URI. Default: the request's own host.
    #[arg(long, env = "PLUGBOARD_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Largest accepted API request body, in bytes.
    #[arg(long, env = "PLUGBOARD_MAX_BODY_BYTES", default_value_t = 1024 * 1024)]
    pub max_body_bytes: usize,
    /// Short links (`POST /api/shares`) each user may store per hour.
    #[arg(long, env = "PLUGBOARD_SHARES_PER_HOUR", default_value_t = 60)]
    pub shares_per_hour: u32,
    /// Session lifetime in hours.
    #[arg(long, env = "PLUGBOARD_SESSION_HOURS", default_value_t = 24 * 14)]
    pub session_hours: i64,
    /// Address ranges the proxy may call although they are not public (the SSRF guard refuses
    /// loopback, private, link-local… addresses otherwise), e.g. `10.20.0.0/16,127.0.0.1`.
    #[arg(long, env = "PLUGBOARD_UPSTREAM_ALLOW", value_delimiter = ',')]
    pub upstream_allow: Vec<Cidr>,
    /// How long connecting to a connector's service may take, in milliseconds.
    #[arg(
        long,
        env = "PLUGBOARD_UPSTREAM_CONNECT_TIMEOUT_MS",
        default_value_t = 10_000
    )]
    pub upstream_connect_timeout_ms: u64,
    /// How long one request to a connector's service may take in all, in milliseconds.
    #[arg(long, env = "PLUGBOARD_UPSTREAM_TIMEOUT_MS", default_value_t = 30_000)]
    pub upstream_timeout_ms: u64,
    /// Largest answer read from a connector's service, in bytes.
    #[arg(long, env = "PLUGBOARD_UPSTREAM_MAX_BODY_BYTES", default_value_t = 10 * 1024 * 1024)]
    pub upstream_max_body_bytes: usize,
}

impl Config {
    /// Every connector folder to import: the shipped one first, then the extra ones.
    pub fn connector_dirs(&self) -> Vec<PathBuf> {
        let shipped = self.shipped_connectors.clone().unwrap_or_else(|| {
            let here = PathBuf::from("connectors");
            if here.is_dir() {
                here
            } else {
                PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../connectors"))
            }
        });
        let mut dirs = vec![shipped];
        dirs.extend(
            self.connectors
                .iter()
                .filter(|d| !d.as_os_str().is_empty())
                .cloned(),
        );
        dirs
    }
}
