#!/usr/bin/env bash
# bench/report.sh: the reporting engine against SQLite GROUP BY at national scale
# (see the header of bench/report.cpp and docs/reporting.md). Builds nothing:
# expects build/bench_report (make build, a Release build).
#
# Usage: bench/report.sh [--responses N] [--seed S] [--reps R] [--sqlite-reps R] [--no-sqlite]
# Environment: BENCH_REPORT (the binary, default build/bench_report), MODEL (models/demo).
# Default: 10,000,000 responses (about a minute, ~1.5 GiB RAM, ~1.5 GB in $TMPDIR).
# Last line: RESULT p95_ms=… sqlite_speedup=… load_s=… bytes_per_answer=…
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BENCH_REPORT:-build/bench_report}
MODEL=${MODEL:-models/demo}
[[ -x $BIN ]] || { echo "report: $BIN not found; build first (make build)" >&2; exit 1; }
exec "$BIN" --model "$MODEL" "$@"
