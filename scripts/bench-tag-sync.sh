#!/usr/bin/env bash
# First tag-sync benchmark (issues 3 and 12), black-box: a Patrawin-shaped SQLite file of 1,000,000 cases and 100,000
# clients with only the primary keys of patrawin-schema.sql, a Connect API stand-in on 127.0.0.1 that adds 20 ms to
# every request, and the connector itself, built in Release and started as a user starts it (environment variables
# only), once per concurrency. Its first tag-sync is triggered through the ops API and watched from outside (the
# stand-in's counters, /proc/PID/status); then one tag-refresh run and an incremental tag-sync after 3 new cases.
#   scripts/bench-tag-sync.sh [CONCURRENCIES="4 1"] [CASES=1000000] [CLIENTS=100000]
#   BENCH_SANDBOX_INDEXES=1 adds the sandbox's own indexes to the file, for comparison.
#   BENCH_PORT (connector, default 18300), BENCH_STANDIN_PORT (stand-in, default 18390), BENCH_LATENCY_MS (20).
set -euo pipefail
cd "$(dirname "$0")/.."
concurrencies=${1:-4 1}
cases=${2:-1000000}
clients=${3:-100000}
port=${BENCH_PORT:-18300}
standin_port=${BENCH_STANDIN_PORT:-18390}
latency=${BENCH_LATENCY_MS:-20}
indexes=()
[[ "${BENCH_SANDBOX_INDEXES:-0}" == 1 ]] && indexes=(--sandbox-indexes)
work=$(mktemp -d)
stop() { [[ -n "${1:-}" ]] && { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }; }
trap 'stop "${connector:-}"; stop "${standin:-}"; rm -rf "$work"' EXIT

dotnet build -c Release PatrawinConnector.Api -v quiet -nologo >/dev/null
dotnet build -c Release PatrawinConnector.Benchmarks -v quiet -nologo >/dev/null
bench="dotnet PatrawinConnector.Benchmarks/bin/Release/net10.0/PatrawinConnector.Benchmarks.dll"
$bench generate --out "$work/generated.db" --cases "$cases" --clients "$clients" "${indexes[@]}"

wait_for() {
  for _ in $(seq 1 150); do curl -fs "$1" >/dev/null 2>&1 && return 0; sleep 0.2; done
  return 1
}

echo "uptime: $(uptime)"
for c in $concurrencies; do
  cp "$work/generated.db" "$work/patrawin.db"
  rm -rf "$work/data"
  $bench wisetime-standin --port "$standin_port" --latency-ms "$latency" >"$work/standin.log" 2>&1 &
  standin=$!
  wait_for "http://127.0.0.1:$standin_port/stats" || { cat "$work/standin.log"; exit 1; }
  # As a user starts it; TAG_SCAN=DISABLED only keeps the schedule from starting a run of its own mid-measurement.
  DATA_DIR="$work/data" API_KEY=benchmark-key WISETIME_API_URL="http://127.0.0.1:$standin_port/connect/api" \
    PATRAWIN_PROVIDER=sqlite PATRAWIN_CONNECTION_STRING="Data Source=$work/patrawin.db" \
    TAG_UPSERT_CONCURRENCY="$c" TAG_SCAN=DISABLED ACTIVITY_TYPE_SCAN=DISABLED LOG_LEVEL="${BENCH_LOG_LEVEL:-WARN}" \
    ASPNETCORE_URLS="http://127.0.0.1:$port" \
    dotnet PatrawinConnector.Api/bin/Release/net10.0/PatrawinConnector.Api.dll >"$work/connector.log" 2>&1 &
  connector=$!
  wait_for "http://127.0.0.1:$port/ping" || { tail -20 "$work/connector.log"; exit 1; }
  $bench tag-sync --connector "http://127.0.0.1:$port" --standin "http://127.0.0.1:$standin_port" --pid "$connector" \
    --patrawin "$work/patrawin.db" --concurrency "$c" --latency-ms "$latency" || { tail -20 "$work/connector.log"; exit 1; }
  stop "$connector"; connector=
  stop "$standin"; standin=
done
echo "uptime: $(uptime)"
