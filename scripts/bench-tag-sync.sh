#!/usr/bin/env bash
# First tag-sync benchmark (issues 3 and 12), black-box: a Patrawin-shaped SQLite file of 1,000,000 cases and 100,000
# clients with only the primary keys of patrawin-schema.sql, a Connect API stand-in on 127.0.0.1 that answers every
# request 20 ms after it arrived (warmed up before the run), and the connector itself, built in Release and started
# as a user starts it (environment variables only), once per concurrency. Its first tag-sync is triggered through the
# ops API and watched from outside (the stand-in's counters, /proc/PID/status); then one tag-refresh run and an
# incremental tag-sync after 3 new cases.
#   scripts/bench-tag-sync.sh [CONCURRENCIES="4 1"] [CASES=1000000] [CLIENTS=100000]
#   BENCH_SANDBOX_INDEXES=1 adds the sandbox's own indexes to the file, for comparison.
#   BENCH_PATRAWIN=tds (issue 10; default sqlite): the Patrawin is a database on a real TDS server instead, Babelfish
#     started by scripts/babelfish.sh (BABELFISH_HOME, BABELFISH_PORT, BABELFISH_PG_PORT, BABELFISH_USER and
#     BABELFISH_PASSWORD pass through; stopped at the end if this script started it), created by `generate-tds` with
#     the primary keys of patrawin-schema.sql only, and the connector reads it as a firm's would: PATRAWIN_JDBC_URL,
#     PATRAWIN_DB_USER, PATRAWIN_DB_PASSWORD. Each concurrency gets a fresh DATA_DIR, and the 3 cases the previous run
#     added are deleted first, so every run starts from the generated state. Smaller sizes suit it:
#       BENCH_PATRAWIN=tds scripts/bench-tag-sync.sh 4 50000 5000
#   BENCH_PORT (connector, default 18300), BENCH_STANDIN_PORT (stand-in, default 18390), BENCH_LATENCY_MS (20).
set -euo pipefail
cd "$(dirname "$0")/.."
concurrencies=${1:-4 1}
cases=${2:-1000000}
clients=${3:-100000}
port=${BENCH_PORT:-18300}
standin_port=${BENCH_STANDIN_PORT:-18390}
latency=${BENCH_LATENCY_MS:-20}
mode=${BENCH_PATRAWIN:-sqlite}
indexes=()
[[ "${BENCH_SANDBOX_INDEXES:-0}" == 1 ]] && indexes=(--sandbox-indexes)
case "$mode" in
  sqlite) ;;
  tds) [[ ${#indexes[@]} -eq 0 ]] || { echo "BENCH_SANDBOX_INDEXES is for the SQLite file only" >&2; exit 64; } ;;
  *) echo "BENCH_PATRAWIN is sqlite or tds, not '$mode'" >&2; exit 64 ;;
esac
work=$(mktemp -d)
started_babelfish=
stop() { [[ -z "${1:-}" ]] || { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }; }
trap 'stop "${connector:-}"; stop "${standin:-}"; rm -rf "$work"; [[ -z "$started_babelfish" ]] || scripts/babelfish.sh stop' EXIT

dotnet build -c Release PatrawinConnector.Api -v quiet -nologo >/dev/null
dotnet build -c Release PatrawinConnector.Benchmarks -v quiet -nologo >/dev/null
bench="dotnet PatrawinConnector.Benchmarks/bin/Release/net10.0/PatrawinConnector.Benchmarks.dll"
if [[ "$mode" == tds ]]; then
  tds_port=${BABELFISH_PORT:-1433}; tds_user=${BABELFISH_USER:-sa_user}; tds_password=${BABELFISH_PASSWORD:-Passw0rd!}
  scripts/babelfish.sh status >/dev/null 2>&1 || started_babelfish=1
  scripts/babelfish.sh start
  tds="Server=127.0.0.1,$tds_port;User ID=$tds_user;Password=$tds_password;Encrypt=False;TrustServerCertificate=True"
  $bench generate-tds --server "$tds;Database=master" --cases "$cases" --clients "$clients"
  # As a firm points the connector at its SQL Server (docs/configuration.md).
  patrawin_settings=(PATRAWIN_JDBC_URL="jdbc:sqlserver://127.0.0.1:$tds_port;databaseName=patrawin;encrypt=false"
    PATRAWIN_DB_USER="$tds_user" PATRAWIN_DB_PASSWORD="$tds_password")
  patrawin_option=(--patrawin-tds "$tds;Database=patrawin")
else
  $bench generate --out "$work/generated.db" --cases "$cases" --clients "$clients" "${indexes[@]}"
  patrawin_settings=(PATRAWIN_PROVIDER=sqlite PATRAWIN_CONNECTION_STRING="Data Source=$work/patrawin.db")
  patrawin_option=(--patrawin "$work/patrawin.db")
fi

wait_for() {
  for _ in $(seq 1 150); do curl -fs "$1" >/dev/null 2>&1 && return 0; sleep 0.2; done
  return 1
}

echo "uptime: $(uptime)"
for c in $concurrencies; do
  # sync: the copy's write-back is not the run's to pay for.
  [[ "$mode" == tds ]] || { cp "$work/generated.db" "$work/patrawin.db"; sync; }
  rm -rf "$work/data"
  $bench wisetime-standin --port "$standin_port" --latency-ms "$latency" >"$work/standin.log" 2>&1 &
  standin=$!
  wait_for "http://127.0.0.1:$standin_port/stats" || { cat "$work/standin.log"; exit 1; }
  # As a user starts it; TAG_SCAN=DISABLED only keeps the schedule from starting a run of its own mid-measurement.
  env DATA_DIR="$work/data" API_KEY=benchmark-key WISETIME_API_URL="http://127.0.0.1:$standin_port/connect/api" \
    "${patrawin_settings[@]}" \
    TAG_UPSERT_CONCURRENCY="$c" TAG_SCAN=DISABLED ACTIVITY_TYPE_SCAN=DISABLED LOG_LEVEL="${BENCH_LOG_LEVEL:-WARN}" \
    ASPNETCORE_URLS="http://127.0.0.1:$port" \
    dotnet PatrawinConnector.Api/bin/Release/net10.0/PatrawinConnector.Api.dll >"$work/connector.log" 2>&1 &
  connector=$!
  wait_for "http://127.0.0.1:$port/ping" || { tail -20 "$work/connector.log"; exit 1; }
  $bench tag-sync --connector "http://127.0.0.1:$port" --standin "http://127.0.0.1:$standin_port" --pid "$connector" \
    "${patrawin_option[@]}" --concurrency "$c" --latency-ms "$latency" || { tail -20 "$work/connector.log"; exit 1; }
  stop "$connector"; connector=
  stop "$standin"; standin=
done
echo "uptime: $(uptime)"
