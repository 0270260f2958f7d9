#!/usr/bin/env bash
# Benchmarks, each figure beside its target and reference: designer payload (brotli as served,
# beside gzip), opening large
# flows, editing at 10,000 steps and dragging at 5,000 in Chromium, library search over the
# connector corpus per keystroke, share-link length and speed, the proxy's cold import of the
# connector corpus, and the flow runtime's steps per second, natively and in Chromium.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
ensure_build_tools
ensure_test_tools
build_designer
build_proxy
cd "$ROOT"

log "first-visit payload of the designer (brotli -q 11 as served, beside gzip -9)"
total=0; total_br=0
printf '%-48s %10s %10s %10s\n' file raw gzip brotli
for f in dist/index.html dist/*.js dist/*.css dist/*.wasm; do
  raw=$(wc -c < "$f"); gz=$(gzip -9 -c "$f" | wc -c); br=$(wc -c < "$f.br"); total=$((total + gz)); total_br=$((total_br + br))
  printf '%-48s %10d %10d %10d\n' "${f#dist/}" "$raw" "$gz" "$br"
done
printf '%-48s %10s %10s %10s\n' "total (target ≤ 250 KB; Node-RED 560 KB, n8n 3.3 MB)" "" "$((total / 1024)) KB" "$((total_br / 1024)) KB"

log "flow runtime: a 10,000-step flow of standard actions, natively"
native=$(cargo run --release -q -p plugboard-model --example runtime_bench | tee /dev/stderr)
# The Chromium run of the same flow (tests/e2e/bench/run.bench.ts) prints its rate beside this one.
PB_NATIVE_STEPS_PER_SEC=$(awk '/steps per second/ { print $4 }' <<< "$native")
export PB_NATIVE_STEPS_PER_SEC

log "designer in Chromium (and the flow runtime in it)"
# Share links compress in the browser (CompressionStream) in the shipped build; the codec's
# miniz_oxide compiled into the wasm instead is the alternative, measured the same way.
log "first-visit payload: share links through miniz_oxide instead (--features links-miniz)"
miniz_dist="$ROOT/target/dist-links-miniz"
(trunk build --release --offline --no-sri --features links-miniz --dist "$miniz_dist" 2>&1 | tail -n 1)
alt=0
for f in "$miniz_dist"/index.html "$miniz_dist"/*.js "$miniz_dist"/*.css "$miniz_dist"/*.wasm; do
  alt=$((alt + $(gzip -9 -c "$f" | wc -c)))
done
printf '%-48s %21s\n' "total, CompressionStream (shipped)" "$total B"
printf '%-48s %21s\n' "total, miniz_oxide in the wasm" "$alt B ($((alt - total)) B more)"

log "designer in Chromium"
(cd tests/e2e && npx playwright test --config bench.config.ts --reporter=line)

corpus="$ROOT/../shared/connector-corpus"
log "designer in Chromium: library search over the connector corpus"
if [ -d "$corpus" ]; then
  (cd tests/e2e && npx playwright test --config bench-corpus.config.ts --reporter=line)
else
  echo "skipped: no corpus at $corpus"
fi

log "share links: length and encode + decode time (native)"
cargo run -q --release -p plugboard-model --example share_bench

log "proxy: cold import of the connector corpus"
if [ -d "$corpus" ]; then
  "$ROOT/target/server/plugboard-proxy" bench "$corpus"
else
  echo "skipped: no corpus at $corpus"
fi

log "proxy: execute throughput and load (scripts/bench-execute.sh)"
bash "$ROOT/scripts/bench-execute.sh"
