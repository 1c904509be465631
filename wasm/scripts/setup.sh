#!/usr/bin/env bash
# Installs everything the vcd-mqtt npm package's build and tests need on a fresh machine,
# skipping what is already there (idempotent):
#   - the rustup target wasm32-unknown-unknown
#   - wasm-bindgen-cli at exactly the wasm-bindgen version in Cargo.lock
#     (provides wasm-bindgen and wasm-bindgen-test-runner)
#   - Debian's chromium, mosquitto and mosquitto-clients
#   - the npm dev tools in wasm/tests (typescript, playwright-core, binaryen) from package-lock.json
set -euo pipefail
WASM_DIR="$(cd "$(dirname "$0")/.." && pwd)"
ROOT="$(cd "$WASM_DIR/.." && pwd)"

log() { printf '[wasm setup] %s\n' "$*"; }

# 1. rustup target
if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "wasm32-unknown-unknown: installed"
else
  log "installing rustup target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# 2. wasm-bindgen-cli pinned to Cargo.lock
WB_VERSION="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock")"
if [ -z "$WB_VERSION" ]; then
  echo "[wasm setup] no wasm-bindgen in $ROOT/Cargo.lock" >&2
  exit 1
fi
have_wb="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)"
if [ "$have_wb" = "$WB_VERSION" ] && command -v wasm-bindgen-test-runner >/dev/null; then
  log "wasm-bindgen-cli $WB_VERSION: installed"
else
  log "installing wasm-bindgen-cli $WB_VERSION (had: ${have_wb:-none})"
  cargo install wasm-bindgen-cli --version "$WB_VERSION" --locked --force \
    || cargo install wasm-bindgen-cli --version "$WB_VERSION" --force
fi

# 3. Debian packages
missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v mosquitto >/dev/null || [ -x /usr/sbin/mosquitto ] || missing+=(mosquitto)
command -v mosquitto_pub >/dev/null || missing+=(mosquitto-clients)
if [ "${#missing[@]}" -gt 0 ]; then
  log "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
else
  log "chromium, mosquitto, mosquitto-clients: installed"
fi
# The Debian package starts a system mosquitto on port 1883; the tests start their own on
# random loopback ports and do not need it.

# 4. npm dev tools (exact versions from the committed package-lock.json)
if [ -x "$WASM_DIR/tests/node_modules/.bin/tsc" ] \
  && [ -d "$WASM_DIR/tests/node_modules/playwright-core" ] \
  && [ -x "$WASM_DIR/tests/node_modules/.bin/wasm-opt" ]; then
  log "npm dev tools: installed"
else
  log "installing npm dev tools (npm ci in wasm/tests)"
  (cd "$WASM_DIR/tests" && npm ci --no-audit --no-fund)
fi
log "done"
