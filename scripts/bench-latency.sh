#!/usr/bin/env bash
# Daemon figures (issue 6): append→journal latency p50/p99 at 1 000 and 20 000 lines/s, CPU at 1 000 lines/s and
# idle, for `ecsdiagd run --config FILE` following one file. Needs root (starts journald when none runs).
#
#   bash scripts/bench-latency.sh                 # writes bench-out/latency.md and latency.json
#
# Environment: BENCH_BIN (skip the build), BENCH_SCRATCH [.build-bench], BENCH_OUT [bench-out],
# LAT_RATES ["1000,20000"], LAT_SECONDS [40], LAT_LATENESS [0] (allowed_lateness_seconds),
# LAT_POLL_MS [1000] (poll_interval_ms), LAT_INCIDENT_MS [250], LAT_CPU_SECONDS [30],
# LAT_READY [checkpoint] (or notify: wait for READY=1 on a NOTIFY_SOCKET of the script's own).
# See scripts/bench-latency.py for the method.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${BENCH_OUT:-bench-out}
SCRATCH=${BENCH_SCRATCH:-.build-bench}
SWIFT=${SWIFT:-swift}
mkdir -p "$OUT"

if [ -n "${BENCH_BIN:-}" ]; then
    BIN=$BENCH_BIN
else
    echo "bench-latency: building ecsdiagd (release, --scratch-path $SCRATCH)" >&2
    $SWIFT build -c release --product ecsdiagd --scratch-path "$SCRATCH" >"$OUT/latency-build.log" 2>&1 \
        || { tail -40 "$OUT/latency-build.log" >&2; exit 1; }
    BIN=$PWD/$SCRATCH/release/ecsdiagd
fi
if ! "$BIN" --help 2>&1 | grep -qE '^\s+run\b'; then
    echo "bench-latency: this ecsdiagd has no 'run' subcommand yet; nothing to measure" >&2
    exit 2
fi
command -v journalctl >/dev/null || { echo "bench-latency: journalctl missing (package systemd)" >&2; exit 1; }
bash scripts/start-journald.sh >&2

exec python3 scripts/bench-latency.py --bin "$BIN" --out "$OUT" \
    --rates "${LAT_RATES:-1000,20000}" --seconds "${LAT_SECONDS:-40}" --lateness "${LAT_LATENESS:-0}" \
    --poll-ms "${LAT_POLL_MS:-1000}" --incident-ms "${LAT_INCIDENT_MS:-250}" --cpu-seconds "${LAT_CPU_SECONDS:-30}" \
    --ready "${LAT_READY:-checkpoint}"
