#!/usr/bin/env bash
# Start the proxy for the browser tests on a fresh SQLite database and key in a throwaway folder.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cd "$root"
"$root/target/server/plugboard-proxy" --host 127.0.0.1 --port "$1" --static-dir "$root/dist" \
  --database-url "sqlite://$tmp/e2e.db" --secret-key-file "$tmp/key" "${@:2}" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$tmp"' EXIT INT TERM
wait $pid
