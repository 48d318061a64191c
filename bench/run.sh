#!/usr/bin/env bash
# make bench: the stack in the background, then each benchmark; results go to bench/RESULTS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
# The benchmarks run against the local stack, in development mode (services default to production).
export ANXIN_MODE="${ANXIN_MODE:-development}" ANXIN_NOTIFY_ALLOWED_CIDRS="${ANXIN_NOTIFY_ALLOWED_CIDRS:-127.0.0.0/8,::1/128}"
deploy/local/stack.sh up
benches=("$@")
[[ ${#benches[@]} -gt 0 ]] || benches=(intake_bench notify_bench deadlines_bench reports_bench rebalance_bench pipeline_bench)
for bench in "${benches[@]}"; do
  echo "== bench/$bench.py"
  .venv/bin/python -m "bench.$bench"
done
