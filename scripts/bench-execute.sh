#!/usr/bin/env bash
# Execute throughput and load (issue 10 §5): the fixture nginx (tests/fixtures/upstream) called
# directly and through the proxy's execute endpoint (Contoso Tickets' ListQueues, API key in a
# header), with the same load generator (Debian's h2load over HTTP/1.1, one thread, latencies
# from its per-request log) on this machine. Prints, side by side: the peak rate
# of each (target: proxy ≥ 0.5× direct), p50/p99 of each at half the proxy's peak rate and what
# the proxy adds (target: p99 added ≤ 2 ms), then 200 clients for 60 s through the proxy (target:
# 0 errors, resident memory at the end within 10 % of its level after 10 s).
# Usage: scripts/bench-execute.sh [SECONDS per measurement, default 10]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
PATH="$PATH:/usr/sbin" ensure_apt nginx nginx-light
ensure_apt openssl openssl
ensure_apt h2load nghttp2-client
build_proxy
cd "$ROOT"
secs=${1:-10}
port=${PB_BENCH_PORT:-18299}
key=ck_bench_40c2
source "$ROOT/tests/fixtures/services.sh"

mkdir -p "$tmp/upstream"
CONTOSO_KEY=$key WORKER_CONNECTIONS=1024 bash tests/fixtures/upstream/serve.sh "$tmp/upstream" &
pids+=($!)
for _ in $(seq 1 500); do [ -f "$tmp/upstream/ports" ] && break; sleep 0.02; done
read -r up _ < "$tmp/upstream/ports"
python3 tests/fixtures/upstream/point-connectors.py tests/fixtures/connectors "$tmp/connectors" "127.0.0.1:$up"
# The benchmark needs no designer: a placeholder page stands in for dist/.
mkdir -p "$tmp/dist" && echo '<!doctype html><title>bench</title>' > "$tmp/dist/index.html"
"$ROOT/target/server/plugboard-proxy" --host 127.0.0.1 --port "$port" --static-dir "$tmp/dist" \
  --database-url "sqlite://$tmp/bench.db" --secret-key-file "$tmp/key" \
  --connectors "$tmp/connectors" --upstream-allow 127.0.0.1/32 > "$tmp/proxy.log" 2>&1 &
proxy_pid=$!
pids+=($proxy_pid)
for _ in $(seq 1 500); do curl -sf "http://127.0.0.1:$port/api/health" >/dev/null && break; sleep 0.05; done
curl -sf "http://127.0.0.1:$port/api/health" >/dev/null || { cat "$tmp/proxy.log" >&2; exit 1; }

# An owner, a Contoso Tickets connection and a reference to it, through the API.
api() { # api METHOD PATH [BODY]
  curl -sS --fail-with-body -b "$tmp/jar" -c "$tmp/jar" -H "x-csrf-token: ${csrf:-}" -H 'content-type: application/json' \
    -X "$1" "http://127.0.0.1:$port$2" ${3:+-d "$3"}
}
field() { python3 -c "import json,sys; v=json.load(sys.stdin); print(eval('v' + sys.argv[1]))" "$1"; }
csrf=$(api POST /api/setup/owner '{"username":"bench","password":"bench password 1","display_name":"Bench"}' | field '["csrf_token"]')
cookie=$(awk '$6 == "pb_session" { print "pb_session=" $7 }' "$tmp/jar")
env=$(api GET /api/environments | field '[0]["id"]')
conn=$(api POST /api/connections "{\"connector_id\":\"contoso-tickets\",\"display_name\":\"Bench\",\"values\":{\"api_key\":\"$key\"}}" | field '["id"]')
ref=$(api POST "/api/environments/$env/references" "{\"display_name\":\"Bench\",\"connector_id\":\"contoso-tickets\",\"connection_id\":\"$conn\"}" | field '["logical_name"]')
body="{\"reference\":\"$ref\",\"connector_id\":\"contoso-tickets\",\"operation_id\":\"ListQueues\"}"
printf '%s' "$body" > "$tmp/body.json"
check=$(api POST "/api/environments/$env/execute" "$body" | field '["body"]["value"][0]["name"]')
[ "$check" = Support ] || { echo "execute does not work: $check" >&2; exit 1; }

direct=(-H "X-API-Key: $key" "http://127.0.0.1:$up/v1/queues")
proxied=(-d "$tmp/body.json" -H "Content-Type: application/json" -H "Cookie: $cookie"
  -H "X-CSRF-Token: $csrf" "http://127.0.0.1:$port/api/environments/$env/execute")
run() { # run NAME DURATION CLIENTS h2load-args...: summary in NAME.out, per-request log in NAME.log
  local name=$1 dur=$2 clients=$3; shift 3
  h2load --h1 -t 1 -c "$clients" -D "$dur" --warm-up-time 1 --log-file "$tmp/$name.log" "$@" \
    > "$tmp/$name.out"
}
log "warm-up"
run w1 3 32 "${direct[@]}"
run w2 3 32 "${proxied[@]}"
log "peak rate, 32 connections, ${secs} s each"
run peak_direct "$secs" 32 "${direct[@]}"
run peak_proxy "$secs" 32 "${proxied[@]}"
rate() { awk '/^finished in/ { gsub(",", ""); print $4 }' "$tmp/$1.out"; }
half=$(python3 -c "print(max(16, int(float('$(rate peak_proxy)') / 2) // 16 * 16))")
log "latency at half the proxy's peak rate ($half requests/s: 16 connections × $((half / 16))/s), ${secs} s each"
run half_direct "$secs" 16 --rps "$((half / 16))" "${direct[@]}"
run half_proxy "$secs" 16 --rps "$((half / 16))" "${proxied[@]}"
python3 - "$tmp" "$half" <<'PY'
import re, sys
tmp, half = sys.argv[1], sys.argv[2]
def rate(k):
    return float(re.search(r"finished in [^,]+, ([0-9.]+) req/s", open(f"{tmp}/{k}.out").read()).group(1))
def lat(k):
    ms = sorted(int(l.split("\t")[2]) / 1000 for l in open(f"{tmp}/{k}.log") if l.strip())
    return ms
def pct(ms, p):
    return ms[min(len(ms) - 1, int(len(ms) * p))]
def errors(k):
    text = open(f"{tmp}/{k}.out").read()
    m = re.search(r"requests: \d+ total, \d+ started, \d+ done, (\d+) succeeded, (\d+) failed, (\d+) errored, (\d+) timeout", text)
    s = re.search(r"status codes: (\d+) 2xx, (\d+) 3xx, (\d+) 4xx, (\d+) 5xx", text)
    return int(m.group(2)) + int(m.group(3)) + int(m.group(4)) + int(s.group(2)) + int(s.group(3)) + int(s.group(4))
print(f"{'measure':46} {'direct':>10} {'proxy':>10} {'proxy vs direct':>16}   target")
print(f"{'peak rate (requests/s, 32 connections)':46} {rate('peak_direct'):10.0f} {rate('peak_proxy'):10.0f} "
      f"{rate('peak_proxy') / rate('peak_direct'):15.2f}x   >= 0.5x")
d, x = lat("half_direct"), lat("half_proxy")
print(f"{'achieved rate at half the proxy peak (req/s)':46} {rate('half_direct'):10.0f} {rate('half_proxy'):10.0f}")
for p, q in [("p50", 0.50), ("p99", 0.99)]:
    target = "added <= 2 ms" if p == "p99" else ""
    print(f"{p + ' latency at ' + half + ' req/s (ms)':46} {pct(d, q):10.2f} {pct(x, q):10.2f} {pct(x, q) - pct(d, q):+14.2f}ms   {target}")
bad_d = errors("peak_direct") + errors("half_direct")
bad_x = errors("peak_proxy") + errors("half_proxy")
print(f"{'errors (non-2xx, failed), these four runs':46} {bad_d:10d} {bad_x:10d}")
PY

log "load: 200 clients through the proxy for 60 s"
rss() { awk '/^VmRSS/ { print $2 }' "/proc/$proxy_pid/status"; }
h2load --h1 -t 1 -c 200 -D 60 "${proxied[@]}" > "$tmp/load.out" &
load_pid=$!
sleep 10
rss10=$(rss)
wait "$load_pid"
rss_end=$(rss)
python3 - "$tmp/load.out" "$rss10" "$rss_end" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
rss10, rss_end = int(sys.argv[2]), int(sys.argv[3])
m = re.search(r"requests: \d+ total, \d+ started, \d+ done, (\d+) succeeded, (\d+) failed, (\d+) errored, (\d+) timeout", text)
s = re.search(r"status codes: (\d+) 2xx, (\d+) 3xx, (\d+) 4xx, (\d+) 5xx", text)
r = re.search(r"finished in [^,]+, ([0-9.]+) req/s", text)
bad = sum(int(m.group(i)) for i in (2, 3, 4)) + sum(int(s.group(i)) for i in (2, 3, 4))
print(f"{'executions (2xx)':46} {int(s.group(1)):10d}   at {float(r.group(1)):.0f}/s")
print(f"{'errors (non-2xx, failed, timed out)':46} {bad:10d}   target 0")
print(f"{'resident memory after 10 s / at 60 s (KB)':46} {rss10:10d} {rss_end:10d} "
      f"{(rss_end - rss10) / rss10 * 100:+.1f}%   target within 10 %")
PY
