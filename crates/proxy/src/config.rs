//! Command-line and environment configuration of the proxy.

use clap::Parser;
use std::path::PathBuf;

#[derive(Parser, Debug, Clone)]
#[command(
    name = "plugboard-proxy",
    about = "Plugboard connector proxy and designer server"
)]
pub struct Config {
    /// Port to listen on (loopback).
    #[arg(long, env = "PORT", default_value_t = 8080)]
    pub port: u16,
    /// Address to bind.
    #[arg(long, env = "PLUGBOARD_HOST", default_value = "127.0.0.1")]
    pub host: String,
    /// Folder holding the built designer (Trunk's `dist/`).
    #[arg(long, env = "PLUGBOARD_STATIC_DIR", default_value = "dist")]
    pub static_dir: PathBuf,
}
