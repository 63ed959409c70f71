#!/usr/bin/env bash
# Runs every test of the connector on a fresh machine: installs Debian's chromium for the browser test when it is
# missing (scripts/ensure-chromium.sh), starts Babelfish, the TDS server of the SQL Server tests (scripts/babelfish.sh),
# restores, builds and runs `dotnet test` on the solution, stops Babelfish,
# then prints the totals as the last line, "N passed, M failed, K skipped". Extra arguments go to dotnet test
# (for example: ./test.sh --filter "FullyQualifiedName~Webhook").
set -uo pipefail
cd "$(dirname "$0")"

if ! command -v dotnet >/dev/null 2>&1; then
  echo "The .NET 10 SDK is needed (https://dotnet.microsoft.com/download); global.json says which." >&2
  exit 1
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
scripts/ensure-chromium.sh || exit 1
# The TDS suite (PatrawinConnector.Tests/Tds) runs the SQL Server path on a real TDS server: Babelfish.
scripts/babelfish.sh start || exit 1
log=$(mktemp)
trap 'rm -f "$log"; scripts/babelfish.sh stop' EXIT
dotnet test PatrawinConnector.sln "$@" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
awk '/^(Passed|Failed)! +- +Failed: +[0-9]+, Passed: +[0-9]+, Skipped: +[0-9]+/ { gsub(",", ""); f += $4; p += $6; s += $8 }
     END { printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$log"
exit "$rc"
