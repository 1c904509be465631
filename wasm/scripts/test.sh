#!/usr/bin/env bash
# Builds the npm package `vcd-mqtt`, packs it, installs the tarball into a fresh project outside
# the repository and runs every wasm test against it:
#   1. wasm-bindgen-test tests of the bindings under Node (cargo test --target wasm32)
#   2. the packed package: require() from CommonJS, tsc --noEmit --strict of tests/usage.ts
#   3. node --test: tests/node/*.test.mjs (encoders, decoders, streaming, messages, errors, and
#      the browser end-to-end test with Playwright + Debian chromium + a real mosquitto)
# Prints `wasm: N passed, M failed` last and exits non-zero on any failure.
# Needs what scripts/setup.sh installs.
set -uo pipefail
WASM_DIR="$(cd "$(dirname "$0")/.." && pwd)"
ROOT="$(cd "$WASM_DIR/.." && pwd)"
TESTS="$WASM_DIR/tests"
PASSED=0
FAILED=0
FAILURES=()

ok() { PASSED=$((PASSED + $1)); }
ko() { FAILED=$((FAILED + $1)); FAILURES+=("$2"); }
summary() {
  echo
  for f in "${FAILURES[@]+"${FAILURES[@]}"}"; do echo "FAILED: $f"; done
  echo "wasm: $PASSED passed, $FAILED failed"
  [ "$FAILED" -eq 0 ]
}

SAMPLES="${VCD_SAMPLES_DIR:-$ROOT/../shared/vcd/samples}"
if [ ! -d "$SAMPLES" ]; then
  echo "no sample messages at $SAMPLES (set VCD_SAMPLES_DIR)" >&2
  ko 1 "samples folder"
  summary
  exit 1
fi
SAMPLES="$(cd "$SAMPLES" && pwd)"

echo "==> build the package"
if ! bash "$WASM_DIR/scripts/build.sh"; then
  ko 1 "build"
  summary
  exit 1
fi

echo "==> package size"
node "$WASM_DIR/scripts/size.mjs" "$WASM_DIR/pkg"

echo "==> wasm-bindgen-test (Node)"
LOG="$(mktemp)"
(cd "$ROOT" && CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  cargo test -p vcd-mqtt-wasm --target wasm32-unknown-unknown) 2>&1 | tee "$LOG"
rc=${PIPESTATUS[0]}
p=$(grep -Eo 'test result: [a-zA-Z]+\. [0-9]+ passed; [0-9]+ failed' "$LOG" | awk '{s+=$4} END {print s+0}')
f=$(grep -Eo 'test result: [a-zA-Z]+\. [0-9]+ passed; [0-9]+ failed' "$LOG" | awk '{s+=$6} END {print s+0}')
ok "$p"
if [ "$rc" -ne 0 ] || [ "$f" -ne 0 ]; then ko "$(( f > 0 ? f : 1 ))" "wasm-bindgen-test"; fi
rm -f "$LOG"

echo "==> npm pack"
WORK="$(mktemp -d /tmp/vcd-mqtt-pack.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
TARBALL="$(cd "$WASM_DIR/pkg" && npm pack --silent --pack-destination "$WORK" | tail -n 1)"
if [ -z "$TARBALL" ] || [ ! -f "$WORK/$TARBALL" ]; then
  ko 1 "npm pack"
  summary
  exit 1
fi
echo "packed $WORK/$TARBALL"
tar -tzf "$WORK/$TARBALL" | sort
ok 1

echo "==> fresh project outside the repository installs the tarball"
APP="$WORK/app"
mkdir -p "$APP"
cat > "$APP/package.json" <<JSON
{ "name": "vcd-mqtt-consumer", "private": true, "type": "module" }
JSON
if (cd "$APP" && npm install --no-audit --no-fund --silent "$WORK/$TARBALL") \
  && [ -f "$APP/node_modules/vcd-mqtt/web/vcd_mqtt_bg.wasm" ]; then
  ok 1
else
  ko 1 "npm install of the tarball"
  summary
  exit 1
fi

echo "==> CommonJS require() of the package"
if (cd "$APP" && node -e '
  const m = require("vcd-mqtt");
  const b = m.encodePingreq();
  if (b.length !== 2 || b[0] !== 0xc0) throw new Error("bad PINGREQ");
  if (m.decodePacket(b).packet.type !== "pingreq") throw new Error("bad decode");
  console.log("require(\"vcd-mqtt\") ok, version", m.version());
'); then ok 1; else ko 1 "require()"; fi

echo "==> tsc --noEmit --strict against the packed package's declarations"
cp "$TESTS/usage.ts" "$APP/usage.ts"
cat > "$APP/tsconfig.json" <<JSON
{
  "compilerOptions": {
    "strict": true,
    "noEmit": true,
    "target": "es2022",
    "module": "nodenext",
    "moduleResolution": "nodenext",
    "lib": ["es2022", "dom"],
    "types": [],
    "skipLibCheck": false
  },
  "files": ["usage.ts"]
}
JSON
if (cd "$APP" && "$TESTS/node_modules/.bin/tsc" -p tsconfig.json); then ok 1; else ko 1 "tsc usage.ts"; fi

echo "==> node --test against the packed package"
mkdir -p "$APP/test"
cp "$TESTS"/node/*.mjs "$APP/test/"
cp -r "$TESTS/browser" "$APP/browser"
LOG="$(mktemp)"
(cd "$APP" && VCD_SAMPLES_DIR="$SAMPLES" WASM_TESTS_DIR="$TESTS" \
  node --test --test-reporter=tap --test-concurrency=1 test/*.test.mjs) 2>&1 | tee "$LOG"
rc=${PIPESTATUS[0]}
p=$(grep -E '^# pass [0-9]+' "$LOG" | tail -n 1 | awk '{print $3}')
f=$(grep -E '^# fail [0-9]+' "$LOG" | tail -n 1 | awk '{print $3}')
ok "${p:-0}"
if [ "$rc" -ne 0 ] || [ "${f:-1}" -ne 0 ]; then ko "$(( ${f:-1} > 0 ? ${f:-1} : 1 ))" "node --test"; fi
rm -f "$LOG"

summary
