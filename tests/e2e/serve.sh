#!/usr/bin/env bash
# Start the proxy for the browser tests on a fresh SQLite database (or E2E_DATABASE_URL) and key
# in a throwaway folder. Arguments after the port go to the proxy.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cd "$root"
"$root/target/server/plugboard-proxy" --host 127.0.0.1 --port "$1" --static-dir "$root/dist" \
  --database-url "${E2E_DATABASE_URL:-sqlite://$tmp/e2e.db}" --secret-key-file "$tmp/key" "${@:2}" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$tmp"' EXIT INT TERM
wait $pid
