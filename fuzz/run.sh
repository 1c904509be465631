#!/usr/bin/env bash
# Runs every cargo-fuzz target of vcd-mqtt for SECONDS each (default 30) and fails on any crash,
# timeout or out-of-memory. Used by .ci/run; usable by hand from any directory:
#
#   fuzz/run.sh [SECONDS]
#
# Environment:
#   FUZZ_TARGETS     space-separated targets to run (default: every target, `cargo fuzz list`)
#   FUZZ_ARGS        extra libFuzzer arguments, e.g. "-runs=10000000" (stops at whichever of
#                    -runs and SECONDS comes first)
#   FUZZ_SANITIZER   address (default), none, memory, thread, leak
#   FUZZ_KEEP=1      copy new corpus entries back into fuzz/corpus/<target>/ (git ignores all
#                    but the committed seed-* files)
#   FUZZ_LOG_DIR     keep the libFuzzer logs there (default: a temporary directory)
#   FUZZ_SKIP_TESTS=1  skip the first step, `cargo +nightly test` of the fuzz crate (runs the
#                    committed seeds through the same checks as the targets)
#
# Each target starts from a temporary copy of fuzz/corpus/<target>/ (committed seed-* files plus
# anything kept locally) and uses the dictionary fuzz/mqtt-vcd.dict. Crash reproducers land in
# fuzz/artifacts/<target>/. Output ends with one summary line per target and a final line
# `fuzz: N passed, M failed`; the exit status is non-zero when any target failed.
set -uo pipefail

SECS="${1:-30}"
if ! [[ "$SECS" =~ ^[0-9]+$ ]] || [ "$SECS" -lt 1 ]; then
    echo "usage: $0 [SECONDS]" >&2
    exit 2
fi

FUZZ_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$FUZZ_DIR")"
DICT="$FUZZ_DIR/mqtt-vcd.dict"
SANITIZER="${FUZZ_SANITIZER:-address}"
cd "$ROOT" || exit 2

if ! rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
    echo "fuzz: the nightly toolchain is required (rustup toolchain list shows none)" >&2
    exit 2
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
    echo "fuzz: installing cargo-fuzz"
    cargo +nightly install cargo-fuzz --locked || cargo +nightly install cargo-fuzz || {
        echo "fuzz: could not install cargo-fuzz" >&2
        exit 2
    }
fi

FUZZ=(cargo +nightly fuzz)
BUILD_FLAGS=(--fuzz-dir "$FUZZ_DIR" --sanitizer "$SANITIZER" --debug-assertions)

if [ -n "${FUZZ_TARGETS:-}" ]; then
    read -r -a TARGETS <<<"$FUZZ_TARGETS"
else
    mapfile -t TARGETS < <("${FUZZ[@]}" list --fuzz-dir "$FUZZ_DIR")
fi
if [ "${#TARGETS[@]}" -eq 0 ]; then
    echo "fuzz: no targets found" >&2
    exit 2
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/vcd-mqtt-fuzz.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
LOG_DIR="${FUZZ_LOG_DIR:-$WORK/logs}"
mkdir -p "$LOG_DIR"

if [ "${FUZZ_SKIP_TESTS:-0}" != "1" ]; then
    echo "fuzz: committed seeds through the targets' checks (cargo test)"
    if ! cargo +nightly test --manifest-path "$FUZZ_DIR/Cargo.toml" >"$LOG_DIR/test.log" 2>&1; then
        tail -n 60 "$LOG_DIR/test.log" >&2
        echo "fuzz: seed tests failed"
        echo "fuzz: 0 passed, ${#TARGETS[@]} failed"
        exit 1
    fi
fi

echo "fuzz: building ${TARGETS[*]} (sanitizer $SANITIZER, debug assertions)"
: >"$LOG_DIR/build.log"
for target in "${TARGETS[@]}"; do
    if ! "${FUZZ[@]}" build "${BUILD_FLAGS[@]}" "$target" >>"$LOG_DIR/build.log" 2>&1; then
        tail -n 60 "$LOG_DIR/build.log" >&2
        echo "fuzz: build of $target failed"
        echo "fuzz: 0 passed, ${#TARGETS[@]} failed"
        exit 1
    fi
done

# Last value of a libFuzzer status field (e.g. cov, ft) in a log.
last_field() {
    grep -aoE "(^|[[:space:]])$2: [0-9]+" "$1" | tail -n 1 | grep -oE '[0-9]+$'
}
# A -print_final_stats value (e.g. number_of_executed_units).
final_stat() {
    grep -aE "^stat::$2:" "$1" | tail -n 1 | grep -oE '[0-9]+$'
}

passed=0
failed=0
SUMMARY=()
for target in "${TARGETS[@]}"; do
    corpus="$WORK/corpus/$target"
    seeds="$FUZZ_DIR/corpus/$target"
    mkdir -p "$corpus" "$seeds" "$FUZZ_DIR/artifacts/$target"
    cp -R "$seeds/." "$corpus/" 2>/dev/null || true
    log="$LOG_DIR/$target.log"
    echo "fuzz: running $target for ${SECS}s"
    # shellcheck disable=SC2086 # FUZZ_ARGS is a list of libFuzzer flags
    timeout -k 30 "$((SECS + 600))" "${FUZZ[@]}" run "${BUILD_FLAGS[@]}" "$target" "$corpus" "$seeds" -- \
        -max_total_time="$SECS" -dict="$DICT" -rss_limit_mb=2048 -timeout=10 \
        -print_final_stats=1 ${FUZZ_ARGS:-} >"$log" 2>&1
    status=$?
    execs="$(final_stat "$log" number_of_executed_units)"
    cov="$(last_field "$log" cov)"
    ft="$(last_field "$log" ft)"
    corp="$(find "$corpus" -type f | wc -l)"
    problem=""
    if grep -aqE "ERROR: libFuzzer: (deadly signal|timeout|out-of-memory|fuzz target exited|leak)|^==[0-9]+==ERROR: |panicked at|ERROR: AddressSanitizer" "$log"; then
        problem="$(grep -aoE "ERROR: libFuzzer: [a-z -]+|ERROR: AddressSanitizer: [a-zA-Z-]+|panicked at [^:]+:[0-9]+" "$log" | head -n 1)"
    fi
    if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
        problem="${problem:-hung past ${SECS}s + 600s}"
    fi
    if [ "$status" -ne 0 ] || [ -n "$problem" ]; then
        failed=$((failed + 1))
        echo "----- $target: last lines of the log" >&2
        tail -n 40 "$log" >&2
        artifact="$(grep -aoE "Test unit written to [^ ]+" "$log" | tail -n 1 | sed 's/Test unit written to //')"
        SUMMARY+=("FAIL $target: exit $status${problem:+, $problem}${artifact:+, reproducer $artifact} (execs ${execs:-?}, cov ${cov:-?}, ft ${ft:-?})")
    else
        passed=$((passed + 1))
        SUMMARY+=("ok   $target: execs ${execs:-?}, cov ${cov:-?}, ft ${ft:-?}, corpus $corp")
    fi
    if [ "${FUZZ_KEEP:-0}" = "1" ]; then
        cp -n "$corpus"/* "$seeds/" 2>/dev/null || true
    fi
done

for line in "${SUMMARY[@]}"; do
    echo "$line"
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
