#!/usr/bin/env bash
# Firmly Desk benchmarks (docs/BENCHMARKS.md): builds what they need (the UI, the release
# app, the hello-world Tauri app, the bench binary), prints every figure with its baseline
# from the same run and the ratio, and writes target/bench/results.json.
# Figures never fail the script; a part that cannot run is reported and makes it exit 1.
#
#   .ci/bench.sh              everything (about 10 minutes on 2 cores once built)
#   BENCH_RUNS=15 .ci/bench.sh more cold starts per app (default 9)
#   BENCH_SKIP_BUILD=1        use the binaries already built
#   BENCH_ONLY="service rtt sandbox crypto size app shop"   run a subset
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
START=$(date +%s)

export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
OUT="$ROOT/target/bench"
RUNS="${BENCH_RUNS:-9}"
ONLY="${BENCH_ONLY:-service rtt sandbox crypto size app shop}"
BIN="$CARGO_TARGET_DIR/release"

step() { printf '\n==> %s\n' "$*"; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
wants() { [[ " $ONLY " == *" $1 "* ]]; }

ensure_tools() {
  local missing=()
  command -v xvfb-run >/dev/null || missing+=(xvfb xauth)
  command -v WebKitWebDriver >/dev/null || missing+=(webkit2gtk-driver)
  if [ ${#missing[@]} -gt 0 ]; then
    step "apt-get install ${missing[*]}"
    as_root apt-get update -q
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -q "${missing[@]}"
  fi
  if ! command -v tauri-driver >/dev/null; then
    step "cargo install tauri-driver"
    cargo install tauri-driver --version '^2' --locked
  fi
}

build_ui() {
  # Rebuilding an unchanged UI would make cargo re-embed it and re-link the app (minutes).
  if [ -f ui/dist/index.html ] && [ -d ui/node_modules ] && \
     [ -z "$(find ui/src ui/index.html ui/package.json ui/package-lock.json ui/vite.config.ts \
             -newer ui/dist/index.html 2>/dev/null | head -1)" ]; then
    step "the UI (ui/dist) is up to date"
    return
  fi
  step "build the UI (ui/dist)"
  # `npm ci` when the lock file allows it (npm 11 may refuse a lock file without the other
  # platforms' optional rollup binaries; `npm install` then installs exactly the locked set).
  (cd ui && { npm ci --no-audit --no-fund --loglevel=error 2>/dev/null \
    || npm install --no-audit --no-fund --loglevel=error; })
  if ! (cd ui && npm run build); then
    # The bundle is what the app embeds; a type error elsewhere in the UI must not stop
    # the benchmarks. Said loudly, and recorded in results.json.
    echo "!! ui: 'npm run build' failed (type check); building the bundle with 'vite build' alone" >&2
    echo "ui: npm run build failed (type check); bundle built with vite build alone" >>"$OUT/errors.txt"
    (cd ui && npx --no-install vite build)
  fi
  git -C "$ROOT" checkout -- ui/package-lock.json 2>/dev/null || true
}

build_rust() {
  # One cargo build at a time (2 cores shared).
  if wants size; then
    # The live-only build (no embedded sandbox) first, kept aside: the default build below
    # then relinks the app with the shared dependencies already built.
    step "cargo build --release --bin firmly-desk --no-default-features --features custom-protocol (live only)"
    cargo build --release --bin firmly-desk --no-default-features --features custom-protocol
    cp "$BIN/firmly-desk" "$OUT/firmly-desk-live"
  fi
  step "cargo build --release --bin firmly-desk (the app, with the UI embedded)"
  cargo build --release --bin firmly-desk
  step "cargo build --release (hello-world Tauri app, crates/firmly-bench/hello)"
  (cd crates/firmly-bench/hello && cargo build --release --locked)
  step "cargo build --release -p firmly-bench"
  cargo build --release -p firmly-bench
}

mkdir -p "$OUT"
rm -rf "$OUT/figures" "$OUT/tmp" "$OUT/errors.txt"
touch "$OUT/errors.txt"

if [ -z "${BENCH_SKIP_BUILD:-}" ]; then
  wants app && ensure_tools
  build_ui
  build_rust
fi

FAILED=0
part() { # part NAME COMMAND...
  local name=$1; shift
  step "bench: $name"
  if ! "$@"; then
    echo "$name: failed (see the output above)" >>"$OUT/errors.txt"
    FAILED=1
  fi
}

B="$BIN/firmly-bench"
APP="$BIN/firmly-desk"
HELLO="$BIN/firmly-bench-hello"
wants service && part "fan-out and client overhead (in process)" "$B" service --out "$OUT"
wants rtt && part "round trips per flow, at ${BENCH_LATENCY_MS:-150} ± ${BENCH_JITTER_MS:-50} ms (in process)" \
  "$B" rtt --out "$OUT" --latency-ms "${BENCH_LATENCY_MS:-150}" --jitter-ms "${BENCH_JITTER_MS:-50}"
wants sandbox && part "sandbox under load vs axum hello-world" "$B" sandbox --out "$OUT"
wants crypto && part "card encryption" "$B" crypto --out "$OUT"
LIVE_ARG=()
[ -f "$OUT/firmly-desk-live" ] && LIVE_ARG=(--live "$OUT/firmly-desk-live")
wants size && part "binary size" "$B" size --out "$OUT" --app "$APP" --hello "$HELLO" "${LIVE_ARG[@]}"
wants app && part "app under Xvfb: start, memory, IPC, re-render" \
  xvfb-run -a -s "-screen 0 1280x800x24" "$B" app --out "$OUT" --app "$APP" --hello "$HELLO" --runs "$RUNS"
wants shop && part "the app on a shop's network (${BENCH_LATENCY_MS:-150} ± ${BENCH_JITTER_MS:-50} ms, 20 merchants)" \
  xvfb-run -a -s "-screen 0 1280x800x24" "$B" shop --out "$OUT" --app "$APP" --hello "$HELLO" \
  --latency-ms "${BENCH_LATENCY_MS:-150}" --jitter-ms "${BENCH_JITTER_MS:-50}" --runs 3

ELAPSED=$(( $(date +%s) - START ))
step "results (${ELAPSED}s)"
"$B" report --out "$OUT" --json "$OUT/results.json" --elapsed "$ELAPSED"
exit $FAILED
