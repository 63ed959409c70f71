#!/usr/bin/env bash
# Webhook throughput benchmark (issues 2 and 12): starts the connector in Release on the SQLite sandbox with a fresh
# DATA_DIR, as a user starts it; waits until the scheduled jobs' first runs after start-up have finished (they run once,
# 15-45 s after start), posts BENCH_WARMUP groups (default 5000, about 4 s: the JIT's tier-up; reported, not measured),
# then N distinct time groups at concurrency C; prints posts/s, p50, p99 (also per quarter of the run) and the
# connector's CPU time per measured post (/proc/PID/stat), and stops the connector.
#   scripts/bench-webhook.sh [GROUPS] [CONCURRENCY]
#   BENCH_LOG_LEVEL (default WARN), BENCH_WARMUP (5000), BENCH_START_UP_RUNS=overlap measures during the start-up runs.
set -euo pipefail
cd "$(dirname "$0")/.."
groups=${1:-20000}
concurrency=${2:-16}
port=${BENCH_PORT:-18080}
data=$(mktemp -d)
trap 'kill "${pid:-}" 2>/dev/null || true; wait "${pid:-}" 2>/dev/null || true; rm -rf "$data"' EXIT

dotnet build -c Release PatrawinConnector.Api -v quiet -nologo >/dev/null
dotnet build -c Release PatrawinConnector.Benchmarks -v quiet -nologo >/dev/null
DATA_DIR="$data" CALLER_KEY=s3cret-caller-key WEBHOOK_PORT="$port" LOG_LEVEL="${BENCH_LOG_LEVEL:-WARN}" ASPNETCORE_URLS="http://127.0.0.1:$port" \
  dotnet PatrawinConnector.Api/bin/Release/net10.0/PatrawinConnector.Api.dll >"$data/connector.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$port/ping" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fs "http://127.0.0.1:$port/ping" >/dev/null || { cat "$data/connector.log"; exit 1; }

wait_for_runs=(--after-start-up-runs)
[[ "${BENCH_START_UP_RUNS:-wait}" == overlap ]] && wait_for_runs=()
dotnet PatrawinConnector.Benchmarks/bin/Release/net10.0/PatrawinConnector.Benchmarks.dll webhook \
  --url "http://127.0.0.1:$port" --groups "$groups" --concurrency "$concurrency" --warmup "${BENCH_WARMUP:-5000}" \
  --pid "$pid" "${wait_for_runs[@]}"
rows=$(sqlite3 "$data/patrawin-sandbox.db" "SELECT COUNT(*) FROM PENDING_TIME_335" 2>/dev/null || echo "?")
echo "PENDING_TIME_335 rows after the run (warm-up included): $rows"
