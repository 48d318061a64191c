#!/usr/bin/env bash
# make bench: the stack in the background, then each benchmark; results go to bench/RESULTS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
deploy/local/stack.sh up
benches=("$@")
[[ ${#benches[@]} -gt 0 ]] || benches=(intake_bench notify_bench deadlines_bench reports_bench rebalance_bench)
for bench in "${benches[@]}"; do
  echo "== bench/$bench.py"
  .venv/bin/python -m "bench.$bench"
done
