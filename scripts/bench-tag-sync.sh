#!/usr/bin/env bash
# First tag-sync benchmark (issue 3): a Patrawin-shaped SQLite file of 1,000,000 cases and 100,000 clients, a
# Connect API stand-in on 127.0.0.1 that adds 20 ms to every request, and the whole first sync, timed at
# TAG_UPSERT_CONCURRENCY (default 4) and at 1. Prints tags/s, wall time, the latency floor, peak memory and page query times.
#   scripts/bench-tag-sync.sh [CONCURRENCY] [CASES] [CLIENTS]
set -euo pipefail
cd "$(dirname "$0")/.."
concurrency=${1:-4}
cases=${2:-1000000}
clients=${3:-100000}
port=${BENCH_STANDIN_PORT:-18090}
work=$(mktemp -d)
trap 'kill "${standin:-}" 2>/dev/null || true; wait "${standin:-}" 2>/dev/null || true; rm -rf "$work"' EXIT

dotnet build -c Release PatrawinConnector.Benchmarks -v quiet -nologo >/dev/null
bench="dotnet PatrawinConnector.Benchmarks/bin/Release/net10.0/PatrawinConnector.Benchmarks.dll"
$bench generate --out "$work/patrawin.db" --cases "$cases" --clients "$clients"
$bench wisetime-standin --port "$port" --latency-ms 20 >"$work/standin.log" 2>&1 &
standin=$!
for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$port/stats" >/dev/null 2>&1 && break
  sleep 0.2
done

for c in "$concurrency" 1; do
  $bench tag-sync --patrawin "$work/patrawin.db" --url "http://127.0.0.1:$port/connect/api" --concurrency "$c"
done
