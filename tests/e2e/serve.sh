#!/usr/bin/env bash
# Start the proxy for the browser tests on a fresh SQLite database (or E2E_DATABASE_URL) and key
# in a throwaway folder. Arguments after the port go to the proxy. With E2E_FIXTURE_SERVICES=1
# the test connectors (tests/fixtures/connectors) are served by their fixture services (nginx on
# loopback, tests/fixtures/upstream/serve.sh): a copy of them points there and the proxy's
# allow-list lets 127.0.0.1 through. With E2E_OAUTH=1 the OAuth test connector is added, with its
# authorization server (tests/fixtures/oauth). Everything is stopped and removed on exit.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
source "$root/tests/fixtures/services.sh"
cd "$root"
extra=()
if [ "${E2E_FIXTURE_SERVICES:-}" = 1 ]; then
  mkdir -p "$tmp/upstream"
  bash "$root/tests/fixtures/upstream/serve.sh" "$tmp/upstream" &
  pids+=($!)
  for _ in $(seq 1 500); do [ -f "$tmp/upstream/ports" ] && break; sleep 0.02; done
  read -r port _ < "$tmp/upstream/ports"
  python3 "$root/tests/fixtures/upstream/point-connectors.py" "$root/tests/fixtures/connectors" \
    "$tmp/connectors" "127.0.0.1:$port"
  extra=(--connectors "$tmp/connectors" --upstream-allow 127.0.0.1/32)
fi
if [ "${E2E_OAUTH:-}" = 1 ]; then
  # The OAuth test connector (Woodgrove Profile) and its authorization server and service
  # (tests/fixtures/oauth/server.mjs on a free loopback port).
  PORT=0 node "$root/tests/fixtures/oauth/server.mjs" > "$tmp/oauth.out" &
  pids+=($!)
  for _ in $(seq 1 500); do grep -q '^listening on' "$tmp/oauth.out" 2>/dev/null && break; sleep 0.02; done
  oauth_host="$(sed -n 's|^listening on http://||p' "$tmp/oauth.out")"
  python3 "$root/tests/fixtures/oauth/point-connector.py" "$tmp/oauth-connectors" "$oauth_host"
  extra+=(--connectors "$tmp/oauth-connectors" --upstream-allow 127.0.0.1/32)
fi
"$root/target/server/plugboard-proxy" --host 127.0.0.1 --port "$1" --static-dir "$root/dist" \
  --database-url "${E2E_DATABASE_URL:-sqlite://$tmp/e2e.db}" --secret-key-file "$tmp/key" \
  "${extra[@]}" "${@:2}" &
pids+=($!)
wait "${pids[-1]}"
