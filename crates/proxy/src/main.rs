//! Starts the proxy: parse configuration, then serve (until Ctrl+C or SIGTERM) or run a subcommand
//! (`connectors check DIR`, `rotate-key`, `bench`).

use clap::Parser;
use plugboard_proxy::config::{Cli, Command, ConnectorsCommand};
use plugboard_proxy::{app, bench, catalog, AppState};
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let config = cli.config;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Connectors {
            command: ConnectorsCommand::Check { dir },
        } => {
            let report = catalog::import_dirs(std::slice::from_ref(&dir));
            for r in &report.rejected {
                println!("rejected {r}");
            }
            for w in &report.warnings {
                println!("warning {w}");
            }
            for s in &report.skipped {
                println!(
                    "skipped {}: no {}",
                    s.display(),
                    catalog::import::DEFINITION_FILE
                );
            }
            println!("{}", report.summary_line());
            ExitCode::SUCCESS
        }
        Command::Bench { dir } => bench::run(dir),
        Command::RotateKey => {
            let db = match plugboard_proxy::db::connect(&config.database_url).await {
                Ok(db) => db,
                Err(e) => return fail(&e),
            };
            match plugboard_proxy::rotate::rotate_key(&db, &config.secret_key_file).await {
                Ok(n) => {
                    println!("rotated the key; re-encrypted {n} connections");
                    ExitCode::SUCCESS
                }
                Err(e) => fail(&e),
            }
        }
        Command::Serve => serve(config).await,
    }
}

fn fail(msg: &str) -> ExitCode {
    eprintln!("error: {msg}");
    ExitCode::from(2)
}

async fn serve(config: plugboard_proxy::config::Config) -> ExitCode {
    if !config.static_dir.join("index.html").is_file() {
        return fail(&format!(
            "{} has no index.html: build the designer first (see README.md)",
            config.static_dir.display()
        ));
    }
    let state = match AppState::init(&config).await {
        Ok(s) => s,
        Err(e) => return fail(&e),
    };
    let addr = format!("{}:{}", config.host, config.port);
    let listener = match tokio::net::TcpListener::bind(&addr).await {
        Ok(l) => l,
        Err(e) => return fail(&format!("cannot listen on {addr}: {e}")),
    };
    println!("Plugboard is ready at http://{addr}");
    // The peer address is the client's when no reverse proxy names it (sign-in throttling).
    let service = app(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    if let Err(e) = axum::serve(listener, service)
        .with_graceful_shutdown(shutdown())
        .await
    {
        return fail(&format!("server stopped: {e}"));
    }
    ExitCode::SUCCESS
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}
