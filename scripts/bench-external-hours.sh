#!/usr/bin/env bash
# First external-hours sync benchmark (issue 6): 100,000 Kimai entries over 200 mapped projects, the Kimai and CiviCRM
# stand-ins of the test suite in process, 20 ms added to every request, EXTERNAL_HOURS_CONCURRENCY 8.
# Prints entries/s, peak memory and the cost of a rerun with nothing changed.
#   scripts/bench-external-hours.sh [ENTRIES] [PROJECTS] [CONCURRENCY]
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build -c Release PatrawinConnector.Benchmarks -v quiet -nologo >/dev/null
dotnet PatrawinConnector.Benchmarks/bin/Release/net10.0/PatrawinConnector.Benchmarks.dll external-hours \
  --entries "${1:-100000}" --projects "${2:-200}" --concurrency "${3:-8}" --latency-ms 20
