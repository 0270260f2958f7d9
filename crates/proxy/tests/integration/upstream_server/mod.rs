//! The fixture connectors' services for tests: a throwaway nginx on 127.0.0.1 started by
//! `tests/fixtures/upstream/serve.sh` (free ports, everything in a temp folder, stopped on drop),
//! and copies of `tests/fixtures/connectors` pointing at it.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub const CONTOSO_KEY: &str = "ck_test_5d2f81";
pub const FABRIKAM_USER: &str = "fabrikam";
pub const FABRIKAM_PASSWORD: &str = "fk_pass_93a0";

pub struct Nginx {
    /// The services (Contoso Tickets and Fabrikam CRM).
    pub port: u16,
    /// Every path redirects to 127.0.0.2 (refused by the guard unless allowed).
    pub redirect_port: u16,
    /// Every path redirects to `port`: another origin.
    pub hop_port: u16,
    pub dir: PathBuf,
    child: Child,
}

impl Nginx {
    pub fn start() -> Nginx {
        let dir = std::env::temp_dir().join(format!("pb-nginx-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).unwrap();
        let script = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/fixtures/upstream/serve.sh"
        );
        let mut child = Command::new("bash")
            .arg(script)
            .arg(&dir)
            .env("CONTOSO_KEY", CONTOSO_KEY)
            .env("FABRIKAM_USER", FABRIKAM_USER)
            .env("FABRIKAM_PASSWORD", FABRIKAM_PASSWORD)
            .stdin(Stdio::null())
            .spawn()
            .expect("start tests/fixtures/upstream/serve.sh (needs nginx: scripts/lib.sh installs nginx-light)");
        let ports = dir.join("ports");
        for _ in 0..1500 {
            if let Ok(text) = std::fs::read_to_string(&ports) {
                let p: Vec<u16> = text
                    .split_whitespace()
                    .map(|p| p.parse().unwrap())
                    .collect();
                return Nginx {
                    port: p[0],
                    redirect_port: p[1],
                    hop_port: p[2],
                    dir,
                    child,
                };
            }
            if let Ok(Some(status)) = child.try_wait() {
                let log = std::fs::read_to_string(dir.join("error.log")).unwrap_or_default();
                panic!("nginx did not start ({status}): {log}");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = child.kill();
        panic!("nginx did not become ready");
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        // serve.sh ends by exec'ing nginx (no master process): this is nginx itself.
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A copy of `tests/fixtures/connectors` in `dest` whose services are at `http://HOST`, with
/// `base_prefix` put before each base path (e.g. `/old` to be redirected).
pub fn fixtures_at(dest: &Path, host: &str, base_prefix: &str) -> PathBuf {
    let src = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/connectors"
    ));
    let out = dest.join(format!("connectors-{}", uuid::Uuid::new_v4().simple()));
    for entry in std::fs::read_dir(&src).unwrap() {
        let from = entry.unwrap().path();
        let to = out.join(from.file_name().unwrap());
        std::fs::create_dir_all(&to).unwrap();
        for file in std::fs::read_dir(&from).unwrap() {
            let file = file.unwrap().path();
            let name = file.file_name().unwrap();
            let text = std::fs::read_to_string(&file).unwrap();
            if name == "apiDefinition.swagger.json" {
                let mut def: Value = serde_json::from_str(&text).unwrap();
                def["host"] = host.into();
                def["schemes"] = serde_json::json!(["http"]);
                let base = def["basePath"].as_str().unwrap_or("").to_string();
                def["basePath"] = format!("{base_prefix}{base}").into();
                std::fs::write(to.join(name), def.to_string()).unwrap();
            } else {
                std::fs::write(to.join(name), text).unwrap();
            }
        }
    }
    out
}
