#!/usr/bin/env bash
# Soak test of the jobs on Hangfire.Storage.SQLite (issue 11, ADR-012): the published connector on one DATA_DIR for
# MINUTES minutes (default 22), a Patrawin of 20,000 cases and 2,000 clients, a WiseTime stand-in that adds 50 ms to
# every call, intervals of 1 minute, and tag-sync or tag-refresh triggered through /ops/api every 2-4 s. Every 60-100 s the
# connector is stopped, alternately with SIGTERM and with kill -9, and started again. Once, a second connector is
# started on the same DATA_DIR and must be refused. At the end it checks the logs and the store:
#   no access violation / crash, no "database is locked", no two runs of one job overlapping (from the
#   "run N started"/"ended" lines across all processes), no lost schedule (every scheduled job still has a future
#   next run), and it prints the counts. Not part of ./test.sh: it takes more than 20 minutes.
#   scripts/soak-jobs.sh [MINUTES]        (ports: SOAK_PORT, default 18211; stand-in SOAK_STANDIN_PORT, 18210)
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=${1:-22}
port=${SOAK_PORT:-18211}
standin_port=${SOAK_STANDIN_PORT:-18210}
work=${SOAK_WORK:-$(mktemp -d)}
mkdir -p "$work/data" "$work/logs"
echo "soak: work directory $work"

cleanup() {
  [ -n "${app:-}" ] && kill -9 "$app" 2>/dev/null || true
  [ -n "${standin:-}" ] && kill "$standin" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup EXIT

dotnet publish PatrawinConnector.Api -c Release -o "$work/app" -v quiet -nologo >/dev/null
dotnet build -c Release PatrawinConnector.Benchmarks -v quiet -nologo >/dev/null
bench="dotnet PatrawinConnector.Benchmarks/bin/Release/net10.0/PatrawinConnector.Benchmarks.dll"
ls "$work/app" | grep -qi quartz && { echo "soak: FAIL the published output holds Quartz"; exit 1; }
ls "$work/app" | grep -q '^Hangfire.Core.dll$' || { echo "soak: FAIL the published output has no Hangfire"; exit 1; }
$bench generate --out "$work/patrawin.db" --cases 20000 --clients 2000 >/dev/null
$bench wisetime-standin --port "$standin_port" --latency-ms 50 >"$work/standin.log" 2>&1 &
standin=$!

export DATA_DIR="$work/data" WEBHOOK_PORT="$port" API_KEY=soak-key WISETIME_API_URL="http://127.0.0.1:$standin_port/connect/api"
export PATRAWIN_PROVIDER=sqlite PATRAWIN_CONNECTION_STRING="Data Source=$work/patrawin.db" TAG_UPSERT_BATCH_SIZE=100
# The benchmark's WiseTime stand-in serves tags only: activity-type-sync stays off (its scheduling is the same code).
export TAG_SYNC_INTERVAL_MIN=1 TAG_SYNC_SLOW_LOOP_INTERVAL_MIN=1 ACTIVITY_TYPE_SCAN=DISABLED LOG_LEVEL=INFO
base="http://127.0.0.1:$port"
starts=0 sigterms=0 kills=0 triggers=0

start_app() {
  starts=$((starts + 1))
  dotnet "$work/app/PatrawinConnector.Api.dll" >"$work/logs/run-$starts.log" 2>&1 &
  app=$!
  for _ in $(seq 1 150); do
    curl -fs "$base/ping" >/dev/null 2>&1 && return 0
    kill -0 "$app" 2>/dev/null || { echo "soak: FAIL start $starts exited early"; tail -5 "$work/logs/run-$starts.log"; exit 1; }
    sleep 0.2
  done
  echo "soak: FAIL start $starts did not answer /ping"; exit 1
}

start_app
# A second connector on the same DATA_DIR must stop at start-up, with a clear error, and leave the first one alone.
set +e
timeout 60 dotnet "$work/app/PatrawinConnector.Api.dll" --urls "http://127.0.0.1:$((port + 1))" >"$work/second.out" 2>&1
second_rc=$?
set -e
if [ "$second_rc" != 2 ] || ! grep -q "is in use by another connector process" "$work/second.out"; then
  echo "soak: FAIL the second process on one DATA_DIR was not refused (exit $second_rc)"; cat "$work/second.out"; exit 1
fi
echo "soak: second process refused (exit 2): $(grep -o 'DATA_DIR [^(]*is in use by another connector process' "$work/second.out" | head -1)"

jobs=(tag-sync tag-refresh)
end=$((SECONDS + minutes * 60))
next_restart=$((SECONDS + 60 + RANDOM % 40))
while [ "$SECONDS" -lt "$end" ]; do
  job=${jobs[$((RANDOM % 2))]}
  if curl -fs -o /dev/null -X POST -H "X-Requested-By: soak" "$base/ops/api/jobs/$job/trigger"; then triggers=$((triggers + 1)); fi
  sleep $((2 + RANDOM % 3))
  if [ "$SECONDS" -ge "$next_restart" ]; then
    if [ $(((sigterms + kills) % 2)) = 0 ]; then
      kill -TERM "$app"; wait "$app" || true; sigterms=$((sigterms + 1))
    else
      kill -9 "$app"; wait "$app" 2>/dev/null || true; kills=$((kills + 1))
    fi
    start_app
    next_restart=$((SECONDS + 60 + RANDOM % 40))
  fi
done

jobs_json=$(curl -fs "$base/ops/api/jobs")
kill -TERM "$app"; wait "$app" || true; app=

python3 - "$work" "$jobs_json" "$starts" "$sigterms" "$kills" "$triggers" "$minutes" <<'PY'
import glob, json, re, sqlite3, sys
from datetime import datetime, timezone
work, jobs_json, starts, sigterms, kills, triggers, minutes = sys.argv[1], sys.argv[2], *map(int, sys.argv[3:])
def at(text):
    return datetime.fromisoformat(re.sub(r"(\.\d{6})\d*", r"\1", text))
bad_patterns = ["database is locked", "AccessViolation", "SIGSEGV", "Segmentation fault", "Unhandled exception", "SQLITE_BUSY"]
problems, runs, open_runs, failures, skipped = [], {}, {}, [], 0
for path in sorted(glob.glob(f"{work}/logs/run-*.log"), key=lambda p: int(re.search(r"run-(\d+)", p).group(1))):
    last = None
    for line in open(path, encoding="utf-8", errors="replace"):
        for pattern in bad_patterns:
            if pattern in line:
                problems.append(f"{path}: {pattern}: {line.strip()[:200]}")
        if not line.startswith("{"):
            continue
        entry = json.loads(line)
        last = at(entry["Timestamp"])
        props = entry.get("Properties", {})
        template = entry.get("MessageTemplate", "")
        if template == "Job {JobId} run {BackgroundJobId} started":
            open_runs[(props["JobId"], props["BackgroundJobId"])] = last
        elif template == "Job {JobId} run {BackgroundJobId} ended":
            key = (props["JobId"], props["BackgroundJobId"])
            runs.setdefault(key[0], []).append((open_runs.pop(key, last), last))
        elif template.startswith("Job {JobId} run {BackgroundJobId} skipped"):
            skipped += 1
        elif template.startswith("Job {JobId} failed"):
            failures.append(entry.get("RenderedMessage", "")[:160])
    for key, started in list(open_runs.items()):   # cut off by kill -9: the run ends with the process
        runs.setdefault(key[0], []).append((started, last or started))
        del open_runs[key]
overlaps = 0
for job, spans in runs.items():
    spans.sort()
    for (s1, e1), (s2, e2) in zip(spans, spans[1:]):
        if s2 < e1:
            overlaps += 1
            problems.append(f"{job}: a run started at {s2} while the one from {s1} ran until {e1}")
now = datetime.now(timezone.utc)
lost = [j["id"] for j in json.loads(jobs_json) if j["scheduled"] and not j["nextRunAt"]]
if lost:
    problems.append(f"schedules lost: {lost}")
db = sqlite3.connect(f"{work}/data/hangfire.db")
tables = [r[0] for r in db.execute("select name from sqlite_master where type='table'")]
job_table = next(t for t in tables if t.lower().endswith("job") and "queue" not in t.lower() and "parameter" not in t.lower())
states = dict(db.execute(f"select StateName, count(*) from [{job_table}] group by StateName").fetchall())
print(f"soak: {minutes} min, {starts} starts ({sigterms} SIGTERM, {kills} kill -9), {triggers} triggers through /ops/api")
print("soak: runs executed per job: " + ", ".join(f"{j} {len(s)}" for j, s in sorted(runs.items())))
print(f"soak: triggers skipped because a run of the same job was in progress: {skipped}")
print(f"soak: Hangfire job states at the end: {states}")
print(f"soak: failed runs logged: {len(failures)}" + ("".join(f"\n  {f}" for f in failures[:10])))
print(f"soak: overlapping runs of one job: {overlaps}; schedules lost: {len(lost)}")
if problems:
    print("soak: FAIL\n  " + "\n  ".join(problems[:30]))
    sys.exit(1)
print("soak: OK")
PY
