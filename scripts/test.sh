#!/usr/bin/env bash
# The one command that runs every test of vcd-mqtt: the Rust workspace (unit, integration,
# property and doc tests, all features) and the npm package (wasm-bindgen tests, Node tests
# against the packed tarball, TypeScript check, and the Chromium + mosquitto end-to-end test).
# It installs what a fresh machine lacks (see wasm/scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

cargo test --workspace --all-features

bash wasm/scripts/setup.sh
bash wasm/scripts/test.sh
