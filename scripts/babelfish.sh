#!/usr/bin/env bash
# The TDS (SQL Server protocol) server the tests run the connector's SQL Server path on: Babelfish for PostgreSQL,
# from the workplace's shared tools (../shared/tools/babelfish beside the repository, or BABELFISH_SCRIPT).
#   scripts/babelfish.sh start|stop|status|reset      (./test.sh starts it before the tests and stops it after)
# Login sa_user / Passw0rd! on 127.0.0.1:1433 (BABELFISH_PORT, BABELFISH_USER, BABELFISH_PASSWORD change them; the
# tests read the same variables). As root it installs the few Debian libraries it needs.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
script=${BABELFISH_SCRIPT:-$repo/../shared/tools/babelfish/babelfish.sh}
if [ ! -f "$script" ]; then
  echo "Babelfish is not found at $script: set BABELFISH_SCRIPT to the shared tools' babelfish.sh." >&2
  exit 1
fi
exec bash "$script" "$@"
