#!/usr/bin/env bash
# First external-hours sync benchmark (issue 6): 100,000 Kimai entries over 200 mapped projects, the test suite's Kimai
# and CiviCRM stand-ins in their own process on 127.0.0.1 adding 20 ms to every request, EXTERNAL_HOURS_CONCURRENCY 8.
# Prints entries/s, the connector's peak memory and the cost of a rerun with nothing changed.
# BENCH_KIMAI_VERSION=1 runs it against the Kimai 1 + kimai1_civicrm stand-in (the first getUpdates queues the whole
# history, each message is confirmed) instead of Kimai 2's REST API.
#   [BENCH_KIMAI_VERSION=1] [BENCH_STANDIN_PORT=18091] scripts/bench-external-hours.sh [ENTRIES] [PROJECTS] [CONCURRENCY]
set -euo pipefail
cd "$(dirname "$0")/.."
entries=${1:-100000}
projects=${2:-200}
concurrency=${3:-8}
port=${BENCH_STANDIN_PORT:-18091}
version=${BENCH_KIMAI_VERSION:-2}
work=$(mktemp -d)
trap 'kill "${standins:-}" 2>/dev/null || true; wait "${standins:-}" 2>/dev/null || true; rm -rf "$work"' EXIT

dotnet build -c Release PatrawinConnector.Benchmarks -v quiet -nologo >/dev/null
bench="dotnet PatrawinConnector.Benchmarks/bin/Release/net10.0/PatrawinConnector.Benchmarks.dll"
$bench external-hours-standins --port "$port" --latency-ms 20 --entries "$entries" --projects "$projects" --kimai-version "$version" >"$work/standins.log" 2>&1 &
standins=$!
for _ in $(seq 1 300); do
  curl -fs "http://127.0.0.1:$port/stats" >/dev/null 2>&1 && break
  kill -0 "$standins" 2>/dev/null || { cat "$work/standins.log"; exit 1; }
  sleep 0.2
done
$bench external-hours --url "http://127.0.0.1:$port" --concurrency "$concurrency" --kimai-version "$version"
