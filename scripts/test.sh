#!/usr/bin/env bash
# Set up what is missing and run every test: cargo tests of all crates (the proxy's against SQLite
# and PostgreSQL), then the Playwright suite in Debian's Chromium against the release build served
# by the proxy (on SQLite; tests tagged @postgres also against a proxy on PostgreSQL), after two
# replicas on one PostgreSQL behind nginx are checked (tests/replicas/run.sh).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
ensure_build_tools
ensure_test_tools
cd "$ROOT"
log "formatting (cargo fmt --check)"
cargo fmt --all -- --check
log "cargo tests (all crates; the proxy's on SQLite and on a throwaway PostgreSQL)"
bash scripts/with-postgres.sh cargo test -q --workspace
build_designer
build_proxy
log "replicas: two proxies on one PostgreSQL behind nginx (tests/replicas/run.sh)"
bash scripts/with-postgres.sh bash tests/replicas/run.sh
log "browser tests (Playwright, Chromium; the proxy on SQLite, and on PostgreSQL for @postgres tests)"
cd "$ROOT/tests/e2e"
bash "$ROOT/scripts/with-postgres.sh" npx playwright test
