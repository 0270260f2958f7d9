#!/usr/bin/env bash
# Set up what is missing, build the designer (release) and the proxy, and serve both on
# http://127.0.0.1:8080 (PORT or --port to change; other flags go to the proxy).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
ensure_build_tools
build_designer
build_proxy
cd "$ROOT"
exec "$ROOT/target/server/plugboard-proxy" --static-dir "$ROOT/dist" "$@"
