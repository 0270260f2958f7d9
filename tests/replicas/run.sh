#!/usr/bin/env bash
# Two proxy replicas on one PostgreSQL behind Debian's nginx (round-robin, loopback only), as a
# deployment runs them (issue 13 §3). Both start at once on an empty database; then a session
# made on one is used on the other, a connection created on one is tested and executed on the
# other, a short link stored through one opens through the other, requests through the balancer
# reach both, and a third replica with another key file refuses to start.
# Usage: scripts/with-postgres.sh bash tests/replicas/run.sh (after scripts/lib.sh build_proxy).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
: "${PLUGBOARD_TEST_POSTGRES_URL:?run through scripts/with-postgres.sh}"
source "$ROOT/tests/fixtures/services.sh"
bin="$ROOT/target/server/plugboard-proxy"
fail() { echo "replicas: FAILED: $*" >&2; for f in "$tmp"/*.log; do echo "--- $f" >&2; tail -n 20 "$f" >&2; done; exit 1; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

db="replicas_$$"
psql -q "$PLUGBOARD_TEST_POSTGRES_URL" -c "CREATE DATABASE $db" >/dev/null
url="${PLUGBOARD_TEST_POSTGRES_URL%/*}/$db"

# The fixture services and connectors (Contoso Tickets: an API key in a header).
key=ck_replicas_7d1e
mkdir -p "$tmp/upstream"
CONTOSO_KEY=$key bash tests/fixtures/upstream/serve.sh "$tmp/upstream" > "$tmp/upstream.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 500); do [ -f "$tmp/upstream/ports" ] && break; sleep 0.02; done
read -r up _ < "$tmp/upstream/ports"
python3 tests/fixtures/upstream/point-connectors.py tests/fixtures/connectors "$tmp/connectors" "127.0.0.1:$up"
mkdir -p "$tmp/dist" && echo '<!doctype html><title>replica</title>' > "$tmp/dist/index.html"
# One key for every replica, as a deployment copies it.
openssl rand -hex 32 > "$tmp/key" && chmod 600 "$tmp/key"

start() { # start NAME PORT KEYFILE
  "$bin" --host 127.0.0.1 --port "$2" --static-dir "$tmp/dist" --database-url "$url" \
    --secret-key-file "$3" --connectors "$tmp/connectors" --upstream-allow 127.0.0.1/32 \
    > "$tmp/$1.log" 2>&1 &
  pids+=($!)
}
pa=$(free_port); pb=$(free_port)
start a "$pa" "$tmp/key"
start b "$pb" "$tmp/key"
for p in "$pa" "$pb"; do
  for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$p/api/health" >/dev/null && break; sleep 0.05; done
  curl -sf "http://127.0.0.1:$p/api/health" >/dev/null || fail "the replica on port $p did not start"
done
envs=$(psql -tAq "$url" -c "SELECT COUNT(*) FROM environments")
[ "$envs" = 1 ] || fail "$envs first environments, not 1"
echo "replicas: both started together on an empty database; one first environment"

# The balancer in front of both.
pn=$(free_port)
mkdir -p "$tmp/nginx"
cat > "$tmp/nginx/nginx.conf" <<CONF
daemon off;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx.log;
events { worker_connections 64; }
http {
  log_format upstream '\$upstream_addr';
  access_log $tmp/nginx/access.log upstream;
  client_body_temp_path $tmp/nginx; proxy_temp_path $tmp/nginx;
  fastcgi_temp_path $tmp/nginx; uwsgi_temp_path $tmp/nginx; scgi_temp_path $tmp/nginx;
  upstream replicas { server 127.0.0.1:$pa; server 127.0.0.1:$pb; }
  server {
    listen 127.0.0.1:$pn;
    location / { proxy_pass http://replicas; proxy_set_header Host \$http_host; }
  }
}
CONF
PATH="$PATH:/usr/sbin" nginx -c "$tmp/nginx/nginx.conf" -p "$tmp/nginx" &
pids+=($!)
for _ in $(seq 1 200); do curl -sf "http://127.0.0.1:$pn/api/health" >/dev/null && break; sleep 0.05; done

field() { python3 -c "import json,sys; v=json.load(sys.stdin); print(eval('v' + sys.argv[1]))" "$1"; }
call() { # call PORT METHOD PATH [BODY]: as the owner (cookie jar), failing on a non-2xx
  curl -sS --fail-with-body -b "$tmp/jar" -c "$tmp/jar" -H "x-csrf-token: ${csrf:-}" \
    -H 'content-type: application/json' -X "$2" "http://127.0.0.1:$1$3" ${4:+-d "$4"}
}
# A session made on A, used on B.
csrf=$(call "$pa" POST /api/setup/owner '{"username":"ops","password":"replicas password 1"}' | field '["csrf_token"]')
[ "$(call "$pb" GET /api/session | field '["user"]["username"]')" = ops ] || fail "B does not know A's session"
echo "replicas: a session made on one is used on the other"

# A connection created on A, tested and used on B.
conn=$(call "$pa" POST /api/connections "{\"connector_id\":\"contoso-tickets\",\"display_name\":\"Desk\",\"values\":{\"api_key\":\"$key\"}}" | field '["id"]')
tested=$(call "$pb" POST "/api/connections/$conn/test" | field '["ok"]')
[ "$tested" = True ] || fail "B's test of A's connection: $tested"
env=$(call "$pa" GET /api/environments | field '[0]["id"]')
ref=$(call "$pa" POST "/api/environments/$env/references" "{\"display_name\":\"Desk\",\"connector_id\":\"contoso-tickets\",\"connection_id\":\"$conn\"}" | field '["logical_name"]')
queue=$(call "$pb" POST "/api/environments/$env/execute" "{\"reference\":\"$ref\",\"connector_id\":\"contoso-tickets\",\"operation_id\":\"ListQueues\"}" | field '["body"]["value"][0]["name"]')
[ "$queue" = Support ] || fail "B's execution through A's connection: $queue"
echo "replicas: a connection created on one is tested and executed on the other"

# A short link stored through A opens through B.
ct=$(python3 -c "import os,base64; print(base64.urlsafe_b64encode(os.urandom(96)).rstrip(b'=').decode())")
id=$(call "$pa" POST /api/shares "{\"ciphertext\":\"$ct\"}" | field '["id"]')
[ "$(curl -sf "http://127.0.0.1:$pb/api/shares/$id" | field '["ciphertext"]')" = "$ct" ] || fail "B cannot read A's short link"
echo "replicas: a short link stored through one opens through the other"

# Through the balancer: every request answered, and both replicas served some.
for _ in $(seq 1 20); do call "$pn" GET /api/session >/dev/null || fail "a request through the balancer failed"; done
for p in "$pa" "$pb"; do
  grep -q "127.0.0.1:$p" "$tmp/nginx/access.log" || fail "the balancer sent nothing to port $p"
done
echo "replicas: 20 sessions through the balancer, 0 failed, served by both replicas"

# A third replica with another key file refuses to start, and says why.
openssl rand -hex 32 > "$tmp/other.key" && chmod 600 "$tmp/other.key"
set +e
"$bin" --host 127.0.0.1 --port "$(free_port)" --static-dir "$tmp/dist" --database-url "$url" \
  --secret-key-file "$tmp/other.key" --connectors "$tmp/connectors" > "$tmp/c.log" 2>&1
status=$?
set -e
[ "$status" -ne 0 ] || fail "a replica with another key file started"
grep -q "every replica must use the same key file" "$tmp/c.log" || fail "the refusal does not say why"
echo "replicas: a replica with another key file refuses to start (exit $status)"
echo "replicas: all checks passed"
