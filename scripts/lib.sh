# Shared by scripts/run.sh, scripts/test.sh and scripts/bench.sh: install what is missing, idempotently,
# from the registries this project may use (crates.io, npm, Debian). Nothing else is downloaded.
# shellcheck shell=bash

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/.tools"
export PATH="$HOME/.cargo/bin:$TOOLS/node_modules/.bin:$PATH"
TRUNK_VERSION=0.22.1
BINARYEN_VERSION=132

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# The wasm-bindgen version Cargo.lock pins (the CLI must match it exactly).
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}

ensure_apt() { # ensure_apt COMMAND PACKAGE...
  local cmd=$1; shift
  command -v "$cmd" >/dev/null 2>&1 && return 0
  log "installing $* (Debian)"
  if [ -z "${APT_UPDATED:-}" ]; then apt-get update -qq >/dev/null; APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

ensure_build_tools() {
  command -v cargo >/dev/null || { echo "cargo (rustup) is required" >&2; exit 1; }
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    log "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  (cd "$ROOT" && cargo fetch -q)
  # The build tools run for seconds per build: compiled without LTO and barely optimised they
  # install in a fraction of the time (Trunk's own release profile is fat LTO, one codegen unit)
  # and build a byte-identical designer.
  local light=(--config 'profile.release.lto=false' --config 'profile.release.codegen-units=256'
    --config 'profile.release.debug=false' --config 'profile.release.strip=true')
  if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
    log "installing Trunk $TRUNK_VERSION from crates.io (about 4 minutes on 2 cores, once)"
    local t0=$SECONDS
    cargo install -q --locked trunk --version "$TRUNK_VERSION" --ignore-rust-version \
      "${light[@]}" --config 'profile.release.opt-level=0'
    log "Trunk installed in $((SECONDS - t0)) s"
  fi
  local wbg; wbg=$(wasm_bindgen_version)
  if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $wbg" ]; then
    log "installing wasm-bindgen-cli $wbg from crates.io (about 2 minutes, once)"
    local t0=$SECONDS
    # Not --locked: its lockfile pins a crate version the registry here lacks. opt-level 1: it
    # rewrites the whole wasm on every build, which unoptimised code makes slow.
    cargo install -q wasm-bindgen-cli --version "$wbg" "${light[@]}" --config 'profile.release.opt-level=1'
    log "wasm-bindgen-cli installed in $((SECONDS - t0)) s"
  fi
  if ! wasm-opt --version 2>/dev/null | grep -q "version $BINARYEN_VERSION"; then
    log "installing wasm-opt (npm binaryen@$BINARYEN_VERSION) into .tools/"
    mkdir -p "$TOOLS"
    npm install --silent --no-audit --no-fund --prefix "$TOOLS" "binaryen@$BINARYEN_VERSION" >/dev/null
  fi
}

# Release build of the designer into dist/ (wasm-opt applied).
build_designer() {
  log "building the designer (release)"
  (cd "$ROOT" && trunk build --release --offline --no-sri 2>&1 | grep -vE '^\s*$' | tail -n 3)
  test -f "$ROOT/dist/index.html"
  # Served as is to browsers that accept brotli or gzip: no compression work per request.
  ensure_apt brotli brotli
  find "$ROOT/dist" -type f \( -name '*.wasm' -o -name '*.js' -o -name '*.css' -o -name '*.html' \) \
    -exec gzip -k -9 -f {} + -exec brotli -k -q 11 -f {} +
}

build_proxy() {
  log "building the proxy"
  (cd "$ROOT" && cargo build -q -p plugboard-proxy --profile server)
}

ensure_test_tools() {
  ensure_apt chromium chromium chromium-driver
  # The fixture connectors' services in the proxy's and the browser tests (tests/fixtures/upstream).
  PATH="$PATH:/usr/sbin" ensure_apt nginx nginx-light
  ensure_apt openssl openssl
  # The OAuth 2.0 authorization server of the sign-in tests (tests/fixtures/oauth, npm).
  if [ ! -d "$ROOT/tests/fixtures/oauth/node_modules/oauth2-mock-server" ]; then
    log "installing the OAuth test server (npm oauth2-mock-server)"
    (cd "$ROOT/tests/fixtures/oauth" && npm ci --silent --no-audit --no-fund >/dev/null 2>&1)
  fi
  if [ ! -x "$ROOT/tests/e2e/node_modules/.bin/playwright" ]; then
    log "installing the Playwright test runner (npm; the browser is Debian's Chromium)"
    (cd "$ROOT/tests/e2e" && npm ci --silent --no-audit --no-fund >/dev/null)
  fi
}
