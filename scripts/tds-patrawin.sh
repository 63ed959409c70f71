#!/usr/bin/env bash
# A Patrawin on a real TDS (SQL Server protocol) server, to try the connector's SQL Server path by hand: starts
# Babelfish (scripts/babelfish.sh) and creates the database "patrawin" with the tables of patrawin-schema.sql, the tests'
# stand-in pw_PostTime and the sandbox's demo firm (or CASES generated cases and CLIENTS clients), then prints the
# settings that point the connector at it.
#   scripts/tds-patrawin.sh                      # the demo firm: the README's example time group posts
#   scripts/tds-patrawin.sh CASES CLIENTS        # a large Patrawin, primary keys only (as scripts/bench-tag-sync.sh --tds)
# BABELFISH_PORT, BABELFISH_USER, BABELFISH_PASSWORD as for scripts/babelfish.sh (its throwaway local login is printed). `scripts/babelfish.sh stop` ends it.
set -euo pipefail
cd "$(dirname "$0")/.."
port=${BABELFISH_PORT:-1433}; user=${BABELFISH_USER:-sa_user}; pass=${BABELFISH_PASSWORD:-Passw0rd!}
scripts/babelfish.sh start
dotnet build -c Release PatrawinConnector.Benchmarks -v quiet -nologo >/dev/null
shape=(--demo)
[[ $# -ge 1 ]] && shape=(--cases "$1" --clients "${2:-$(( $1 / 10 > 0 ? $1 / 10 : 1 ))}")
dotnet PatrawinConnector.Benchmarks/bin/Release/net10.0/PatrawinConnector.Benchmarks.dll generate-tds \
  --server "Server=127.0.0.1,$port;Database=master;User ID=$user;Password=$pass;Encrypt=False;TrustServerCertificate=True" \
  "${shape[@]}"
cat <<SETTINGS
Run the connector against it:
  PATRAWIN_JDBC_URL='jdbc:sqlserver://127.0.0.1:$port;databaseName=patrawin;encrypt=false' \\
  PATRAWIN_DB_USER=$user PATRAWIN_DB_PASSWORD='$pass' dotnet run --project PatrawinConnector.Api
SETTINGS
