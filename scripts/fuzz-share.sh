#!/usr/bin/env bash
# Coverage-guided fuzzing of the share-link decoder (AFL++ through cargo-afl, stable toolchain),
# outside CI: `bash scripts/fuzz-share.sh [SECONDS]` (default 600). It seeds from
# crates/model/fuzz/corpus/share_link, fuzzes at low priority on one core, prints executions and
# findings, and on a clean run minimizes what AFL++ kept (afl-cmin) back into that corpus, which
# `cargo test -p plugboard-model --test share` replays. A finding stops the script with its files.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
seconds=${1:-600}
fuzz="$ROOT/crates/model/fuzz"
corpus="$fuzz/corpus/share_link"

# cargo-afl builds the AFL++ it ships with (a C compiler and make are enough).
if ! command -v cargo-afl >/dev/null 2>&1; then
  log "installing cargo-afl (crates.io)"
  cargo install --locked cargo-afl
fi
# Builds AFL++ and its LLVM runtime once per toolchain; says so and fails when already built.
cargo afl config --build >/dev/null 2>&1 || true
# The AFL++ tools cargo-afl built (the newest toolchain's, if several). Its afl-cmin is called
# directly: the Python one finds no coverage here, and either one runs `afl-showmap` by name, which
# must be this AFL++'s, not an older one on the PATH (Debian's).
afl_bin=$(ls -d "${XDG_DATA_HOME:-$HOME/.local/share}"/afl.rs/rustc-*/afl.rs-*/afl/bin | tail -1)
export PATH="$afl_bin:$PATH" AFL_PATH="$afl_bin"

cd "$fuzz"
log "building the instrumented target"
cargo afl build --release
./target/release/share_seeds "$corpus"

log "fuzzing the share-link decoder for ${seconds}s"
rm -rf out
# One instance at the lowest priority (the machine is shared), no CPU pinning, and no core dumps
# or frequency checks to configure as root.
AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 \
  nice -n 19 cargo afl fuzz -V "$seconds" -i "$corpus" -o out ./target/release/share_link \
  > out.log 2>&1 || { tail -30 out.log >&2; exit 1; }

stats=out/default/fuzzer_stats
field() { awk -F' *: *' -v k="$1" '$1 == k { print $2 }' "$stats"; }
printf '%-22s %s\n' executions "$(field execs_done)" "execs per second" "$(field execs_per_sec)" \
  "corpus (paths)" "$(field corpus_count)" "edges covered" "$(field bitmap_cvg)" \
  crashes "$(field saved_crashes)" hangs "$(field saved_hangs)"
findings=$(find out/default/crashes out/default/hangs -type f ! -name README.txt | wc -l)
if [ "$findings" -gt 0 ]; then
  echo "findings (replay one: ./target/release/share_link < FILE):" >&2
  find out/default/crashes out/default/hangs -type f ! -name README.txt >&2
  exit 1
fi

log "minimizing the corpus into $corpus"
rm -rf out/cmin
AFL_NO_AFFINITY=1 "$afl_bin/afl-cmin.bash" -i out/default/queue -o out/cmin -- \
  ./target/release/share_link > out/cmin.log 2>&1 || { grep -a '\[-\]' out/cmin.log >&2; exit 1; }
rm -f "$corpus"/*
n=0
for f in out/cmin/*; do
  cp "$f" "$corpus/$(sha1sum "$f" | cut -c1-16)"
  n=$((n + 1))
done
echo "$n inputs saved in ${corpus#"$ROOT"/}"
