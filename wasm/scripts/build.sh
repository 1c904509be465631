#!/usr/bin/env bash
# Builds the npm package `vcd-mqtt` into wasm/pkg:
#   pkg/web/   wasm-bindgen --target web    (ES module for browsers and bundlers)
#   pkg/node/  wasm-bindgen --target nodejs (CommonJS, loaded synchronously) + index.mjs (ESM)
#   pkg/package.json, README.md
# Size-tuned release build (opt-level z, LTO, one codegen unit, panic=abort; the decode hot path,
# the MQTT codec at opt-level 3 and this crate at 2: profile wasm-release in the root
# Cargo.toml), with WebAssembly SIMD (.cargo/config.toml), then binaryen's wasm-opt -Oz when
# wasm/tests/node_modules has it (see setup.sh).
set -euo pipefail
WASM_DIR="$(cd "$(dirname "$0")/.." && pwd)"
ROOT="$(cd "$WASM_DIR/.." && pwd)"
PKG="$WASM_DIR/pkg"
cd "$ROOT"

if grep -q '^\[profile\.wasm-release\]' Cargo.toml; then
  PROFILE=wasm-release
  PROFILE_ARGS=(--profile wasm-release)
else
  # Until the root manifest has a dedicated profile, tune the release profile on the command
  # line (only this wasm32 build sees these settings).
  PROFILE=release
  PROFILE_ARGS=(--release
    --config 'profile.release.opt-level="z"'
    --config 'profile.release.panic="abort"'
    --config 'profile.release.debug=false')
fi

# A RUSTFLAGS variable replaces the target's rustflags of .cargo/config.toml (cargo's rule):
# a build without SIMD would still work, but 20-25 % slower, so refuse it.
if [ -n "${RUSTFLAGS:-}" ] && [[ "$RUSTFLAGS" != *simd128* ]]; then
  echo "[wasm build] RUSTFLAGS is set, which drops .cargo/config.toml's -C target-feature=+simd128: add it to RUSTFLAGS" >&2
  exit 1
fi

echo "[wasm build] cargo build ($PROFILE, +simd128)"
cargo build -p vcd-mqtt-wasm --lib --target wasm32-unknown-unknown "${PROFILE_ARGS[@]}"
INPUT="$ROOT/target/wasm32-unknown-unknown/$PROFILE/vcd_mqtt_wasm.wasm"

rm -rf "$PKG"
mkdir -p "$PKG"
echo "[wasm build] wasm-bindgen $(wasm-bindgen --version)"
wasm-bindgen --target web --out-dir "$PKG/web" --out-name vcd_mqtt "$INPUT"
wasm-bindgen --target nodejs --out-dir "$PKG/node" --out-name vcd_mqtt "$INPUT"

WASM_OPT="$WASM_DIR/tests/node_modules/.bin/wasm-opt"
if [ -x "$WASM_OPT" ]; then
  for f in "$PKG/web/vcd_mqtt_bg.wasm" "$PKG/node/vcd_mqtt_bg.wasm"; do
    "$WASM_OPT" -Oz --strip-debug --strip-producers \
      --enable-bulk-memory --enable-simd --enable-nontrapping-float-to-int --enable-sign-ext \
      --enable-mutable-globals --enable-reference-types --enable-multivalue \
      -o "$f.opt" "$f"
    mv "$f.opt" "$f"
  done
  echo "[wasm build] wasm-opt -Oz applied"
else
  echo "[wasm build] wasm-opt not installed (optional): skipped"
fi

node "$WASM_DIR/scripts/assemble.mjs" "$PKG"
echo "[wasm build] package ready in $PKG"
