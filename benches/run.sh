#!/usr/bin/env bash
# Regenerates every benchmark number and writes benches/README.md (and target/vcd-mqtt-benches/
# headline.md, the table for the root README). The one command for all of it:
#
#   benches/run.sh
#
# 1. criterion: decode, encode and VCD-unwrap benches of vcd-mqtt against the Rust peers;
# 2. Node: benches/js/bench.mjs, vcd-mqtt (npm, wasm) against mqtt-packet, plus bundle sizes;
# 3. the report generator (src/bin/report.rs) reads both, Cargo.lock and package-lock.json.
# Takes about 16-18 minutes on a 2-core machine: three rounds of criterion processes of about
# 5 minutes each (BENCH_ROUNDS=1 for a quicker, noisier run), Node about 1.5 minutes; the first
# run also compiles the bench profile with LTO. Needs cargo, node/npm and the wasm build tools
# (wasm/scripts/setup.sh) when wasm/pkg is not built yet.
set -euo pipefail
BENCHES="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$BENCHES/.." && pwd)"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
OUT="$TARGET/vcd-mqtt-benches"
mkdir -p "$OUT"
cd "$ROOT"

echo "==> [1/4] npm packages (mqtt-packet, esbuild) and the vcd-mqtt npm package"
(cd "$BENCHES/js" && npm ci --no-audit --no-fund --loglevel=error)
# Rebuild the npm package when it is missing or older than any source it is built from.
PKG_JSON="$ROOT/wasm/pkg/package.json"
if [ ! -f "$PKG_JSON" ] || [ -n "$(find "$ROOT/codec/src" "$ROOT/schema/src" "$ROOT/wasm/src" \
     "$ROOT/wasm/scripts" "$ROOT/codec/Cargo.toml" "$ROOT/schema/Cargo.toml" "$ROOT/wasm/Cargo.toml" \
     "$ROOT/Cargo.toml" "$ROOT/Cargo.lock" "$ROOT/.cargo" -newer "$PKG_JSON" -print -quit)" ]; then
  if command -v wasm-bindgen >/dev/null; then
    echo "    wasm/pkg is missing or stale: running wasm/scripts/build.sh"
    bash "$ROOT/wasm/scripts/build.sh" || echo "    (build failed: the Node benchmark reports vcd-mqtt as not available)"
  else
    echo "    wasm/pkg is missing or stale and wasm-bindgen is not installed (wasm/scripts/setup.sh):"
    echo "    the Node benchmark uses whatever wasm/pkg holds"
  fi
fi

echo "==> [2/4] criterion (decode, encode, vcd), one process per library and per unwrap route"
cargo build -q -p vcd-mqtt-benches --bin report
REPORT="$TARGET/debug/report"
cargo bench -q -p vcd-mqtt-benches --bench decode --bench encode --bench vcd --no-run
# A library timed after another in the same process inherits that one's heap, and where a
# process's heap puts buffers moves memcpy-bound cases (see `report bench-filters`): so each
# library gets a process of its own, like the Node rows, in BENCH_ROUNDS rounds (default 3)
# whose medians the report combines.
ROUNDS="${BENCH_ROUNDS:-3}"
ROUND_DIR="$OUT/criterion-rounds"
rm -rf "$ROUND_DIR"
CRITERION_ARGS=()
for round in $(seq 1 "$ROUNDS"); do
    echo "    round $round of $ROUNDS"
    # Old results of a benchmark that is not timed any more (a failed check) must not show up.
    rm -rf "$TARGET"/criterion/decode_* "$TARGET"/criterion/encode_* "$TARGET"/criterion/vcd_unwrap
    "$REPORT" bench-filters | while IFS= read -r filter; do
        echo "    -- $filter"
        cargo bench -q -p vcd-mqtt-benches --bench decode --bench encode --bench vcd -- "$filter"
    done
    mkdir -p "$ROUND_DIR/$round"
    for dir in "$TARGET"/criterion/decode_* "$TARGET"/criterion/encode_* "$TARGET"/criterion/vcd_unwrap; do
        if [ -e "$dir" ]; then cp -r "$dir" "$ROUND_DIR/$round/"; fi
    done
    CRITERION_ARGS+=(--criterion "$ROUND_DIR/$round")
done

echo "==> [3/4] Node (vcd-mqtt vs mqtt-packet)"
BENCH_PACKET_HEX="$("$REPORT" fixture-hex)" \
  node --expose-gc "$BENCHES/js/bench.mjs" "$OUT/js-results.json"

echo "==> [4/4] benches/README.md"
"$REPORT" write \
  "${CRITERION_ARGS[@]}" \
  --js "$OUT/js-results.json" \
  --cargo-lock "$ROOT/Cargo.lock" \
  --package-lock "$BENCHES/js/package-lock.json" \
  --rustc "$(rustc -V)" \
  --out "$BENCHES/README.md" \
  --headline "$OUT/headline.md"
echo "wrote $BENCHES/README.md and $OUT/headline.md"
