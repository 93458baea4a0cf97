#!/usr/bin/env bash
# Load-test the signed webhook against the bare floor, in the same run, on the same gunicorn:
#   floor    POST /floor/<slug>/     a bare Django WSGI view, no middleware, no URL routing
#                                    (bench/webhook/floor.py): platform lookup, HMAC, json.loads,
#                                    one INSERT, a JSON answer
#   webhook  POST /webhooks/<slug>/  new content (a distinct event and content id per request)
#   repeat   POST /webhooks/<slug>/  repeat reports: new events about 20 pieces of content already
#                                    received (users, trusted flaggers, classifiers; growing reach)
# each without and with a Celery worker processing what the webhook ingests (PASSES: idle, worker
# as deployed, lowered to WORKER_NICENESS; worker-unniced, at the web tier's CPU priority).
#   BENCH_DATABASE_URL  default postgres://postgres@127.0.0.1:5432/moratorium_bench (created if missing)
#   CELERY_BROKER_URL   the webhook publishes on commit, as in production; purged at the end
#   CONNECTIONS=16 DURATION=10 WARMUP=3 WORKERS=2 THREADS=2 PORT=18150 ROUNDS=3 PASSES="idle worker"
#   OUT=bench/webhook/results.json
# Rounds alternate floor, webhook, repeat; medians are reported, with the ratio of each round to
# the floor's run just before it (so a burst of outside load skews a round, not the ratio), the
# load average after each run, and the CPU each request cost in the gunicorn workers and their
# PostgreSQL backends (from /proc). Needs wrk (apt-get install wrk).
set -euo pipefail
cd "$(dirname "$0")/../.."
PY="${PYTHON:-python}"
CONNECTIONS="${CONNECTIONS:-16}"; DURATION="${DURATION:-10}"; WARMUP="${WARMUP:-3}"; WORKERS="${WORKERS:-2}"
THREADS="${THREADS:-2}"; ROUNDS="${ROUNDS:-3}"; PORT="${PORT:-18150}"; PASSES="${PASSES:-idle worker}"
OUT="${OUT:-bench/webhook/results.json}"
export DATABASE_URL="${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/moratorium_bench}"
export CELERY_BROKER_URL="${CELERY_BROKER_URL:-amqp://guest:guest@127.0.0.1:5672//}"
export DJANGO_SETTINGS_MODULE=config.settings DJANGO_DEBUG=0 ALLOWED_HOSTS=127.0.0.1
export SECRET_KEY="${SECRET_KEY:-bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz}"
export LOG_LEVEL=WARNING
# Keep each worker's PostgreSQL connection for the whole run, so its backend's CPU is counted.
export DATABASE_CONN_MAX_AGE=3600
WORK="$(mktemp -d)"
cleanup() {
  [ -n "${CELERY_PID:-}" ] && kill "$CELERY_PID" 2>/dev/null && wait "$CELERY_PID" 2>/dev/null
  [ -n "${GUNICORN_PID:-}" ] && kill "$GUNICORN_PID" 2>/dev/null && wait "$GUNICORN_PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

dbname="${DATABASE_URL##*/}"
createdb -h 127.0.0.1 -U postgres "$dbname" 2>/dev/null || true
"$PY" manage.py migrate -v0
"$PY" -m celery -A config purge -f > /dev/null 2>&1 || true

"$PY" -m gunicorn bench.webhook.wsgi:application -b "127.0.0.1:$PORT" -w "$WORKERS" --log-level warning &
GUNICORN_PID=$!
for _ in $(seq 150); do curl -s -o /dev/null "http://127.0.0.1:$PORT/healthz" && break; sleep 0.2; done

cpu_ticks() {  # "<gunicorn workers> <their PostgreSQL backends>" CPU clock ticks so far
  local g=0 p=0 pid
  for pid in $(pgrep -P "$GUNICORN_PID"); do
    g=$(( g + $(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0) ))
  done
  for pid in $(psql "$DATABASE_URL" -Atc "SELECT pid FROM pg_stat_activity WHERE datname = current_database()
      AND pid <> pg_backend_pid() AND application_name NOT LIKE 'celery%'"); do
    p=$(( p + $(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0) ))
  done
  echo "$g $p"
}

run() {  # pass name file -> one JSON line: wrk's result, CPU ticks spent, load average after
  local g0 p0 g1 p1 result path
  path=$([ "$2" = floor ] && echo "/floor/$SLUG/" || echo "/webhooks/$SLUG/")
  read -r g0 p0 < <(cpu_ticks)
  result=$(wrk -t "$THREADS" -c "$CONNECTIONS" -d "$DURATION" --latency -s bench/webhook/signed.lua \
    "http://127.0.0.1:$PORT" -- "$path" "$3" "$THREADS" | grep '^RESULT' | sed 's/^RESULT //')
  read -r g1 p1 < <(cpu_ticks)
  echo "{\"pass\": \"$1\", \"name\": \"$2\", \"wrk\": $result, \"ticks\": [$(( g1 - g0 )), $(( p1 - p0 ))], \"load\": \"$(cut -d' ' -f1-3 /proc/loadavg)\"}"
}

: > "$WORK/runs.jsonl"; : > "$WORK/worker.jsonl"
# Enough distinct events that no request repeats within a run (a repeat would be a cheap replay).
COUNT=$(( CONNECTIONS * DURATION * 250 )); WARM=$(( CONNECTIONS * WARMUP * 250 ))
for pass in $PASSES; do
  if [ "$pass" != idle ]; then
    # worker: as deployed, at WORKER_NICENESS (config/celery.py); worker-unniced: at the web's priority
    WORKER_NICENESS=$([ "$pass" = worker-unniced ] && echo 0 || echo "${WORKER_NICENESS:-10}") \
      "$PY" -m celery -A config worker -Q celery --concurrency=2 -l WARNING --without-gossip --without-mingle \
      > "$WORK/celery.log" 2>&1 &
    CELERY_PID=$!
    for _ in $(seq 150); do "$PY" -m celery -A config inspect ping -t 1 > /dev/null 2>&1 && break; sleep 0.5; done
  fi
  SLUG=$("$PY" -m bench.webhook.prepare "$WORK" "$(( COUNT * ROUNDS + WARM ))" | tail -1)
  for name in floor webhook repeat; do
    tail -n "$WARM" "$WORK/$name.tsv" > "$WORK/$name.warm"
    split -d -a 3 -l "$COUNT" "$WORK/$name.tsv" "$WORK/$name.round."
  done
  # A short warm-up of each, so all start with connections open and statements prepared.
  for name in floor webhook repeat; do
    path=$([ "$name" = floor ] && echo "/floor/$SLUG/" || echo "/webhooks/$SLUG/")
    wrk -t "$THREADS" -c "$CONNECTIONS" -d "$WARMUP" -s bench/webhook/signed.lua "http://127.0.0.1:$PORT" \
      -- "$path" "$WORK/$name.warm" "$THREADS" > /dev/null
  done
  for round in $(seq 0 $(( ROUNDS - 1 ))); do
    part=$(printf "%03d" "$round")
    for name in floor webhook repeat; do
      run "$pass" "$name" "$WORK/$name.round.$part" | tee -a "$WORK/runs.jsonl"
    done
  done
  if [ -n "${CELERY_PID:-}" ]; then
    # What the worker got through meanwhile: a lowered priority must slow the web tier's
    # neighbour, not stop it.
    "$PY" - "$pass" >> "$WORK/worker.jsonl" <<'PYEOF'
import json, sys
from config.celery import app
stats = app.control.inspect(timeout=5).stats() or {}
done = sum(sum(s.get("total", {}).values()) for s in stats.values())
with app.connection_for_write() as conn:
    queued = conn.default_channel.queue_declare(app.conf.task_default_queue, passive=True).message_count
print(json.dumps({"pass": sys.argv[1], "tasks_done": done, "tasks_queued": queued}))
PYEOF
    tail -1 "$WORK/worker.jsonl"
    kill "$CELERY_PID"; wait "$CELERY_PID" 2>/dev/null || true; CELERY_PID=""
  fi
  rm -f "$WORK"/*.round.* "$WORK"/*.warm "$WORK"/*.tsv
done
"$PY" -m celery -A config purge -f > /dev/null 2>&1 || true

"$PY" - "$WORK/runs.jsonl" "$WORK/worker.jsonl" "$OUT" "$CONNECTIONS" "$DURATION" "$WORKERS" "$(getconf CLK_TCK)" "$(git rev-parse --short HEAD)" <<'PYEOF'
import datetime, json, os, platform, statistics, sys
runs = [json.loads(line) for line in open(sys.argv[1])]
workers = {w["pass"]: w for w in map(json.loads, open(sys.argv[2]))}
sys.argv.pop(1)
out, tick_ms = sys.argv[2], 1000 / int(sys.argv[6])

def summary(pass_, name):
    mine = [r for r in runs if r["pass"] == pass_ and r["name"] == name]
    requests = sum(r["wrk"]["requests"] for r in mine) or 1
    return {
        "rps": round(statistics.median(r["wrk"]["rps"] for r in mine), 1),
        "p50_ms": round(statistics.median(r["wrk"]["p50_ms"] for r in mine), 2),
        "p99_ms": round(statistics.median(r["wrk"]["p99_ms"] for r in mine), 2),
        "errors": sum(r["wrk"]["non_2xx"] + r["wrk"]["socket_errors"] for r in mine),
        "cpu_ms_per_request": [round(sum(r["ticks"][i] for r in mine) * tick_ms / requests, 3) for i in (0, 1)],
        "loads": [r["load"] for r in mine],
        "rounds": [r["wrk"] | {"load": r["load"]} for r in mine],
    }

result = {
    "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    "commit": sys.argv[7],
    "machine": f"{os.cpu_count()} cores, {round(os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30)} GB, {platform.python_implementation()} {platform.python_version()}",
    "connections": int(sys.argv[3]), "duration_s": int(sys.argv[4]), "gunicorn_workers": int(sys.argv[5]),
    "passes": {},
}
print("| pass | endpoint | requests/s (median) | ratio to floor (rounds) | p50 ms | p99 ms | errors | CPU ms/request gunicorn + PostgreSQL | load average after each round |")
print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
for pass_ in dict.fromkeys(r["pass"] for r in runs):
    names = {n: summary(pass_, n) for n in ("floor", "webhook", "repeat")}
    for n in ("webhook", "repeat"):
        names[n]["round_ratios"] = [round(x["rps"] / f["rps"], 3) for f, x in zip(names["floor"]["rounds"], names[n]["rounds"])]
        names[n]["ratio"] = round(statistics.median(names[n]["round_ratios"]), 3)
    if pass_ in workers:
        names["worker"] = {k: v for k, v in workers[pass_].items() if k != "pass"}
    result["passes"][pass_] = names
    for n in ("floor", "webhook", "repeat"):
        s = names[n]
        ratio = "" if n == "floor" else f"**{s['ratio']:.2f}** ({', '.join(f'{x:.2f}' for x in s['round_ratios'])})"
        print(f"| {pass_} | {n} | {s['rps']:.0f} | {ratio} | {s['p50_ms']:.1f} | {s['p99_ms']:.1f} | {s['errors']} | "
              f"{s['cpu_ms_per_request'][0]:.2f} + {s['cpu_ms_per_request'][1]:.2f} | {'; '.join(s['loads'])} |")
with open(out, "w") as f:
    json.dump(result, f, indent=2)
for pass_, w in workers.items():
    print(f"{pass_}: the worker finished {w['tasks_done']} tasks during the pass, {w['tasks_queued']} were queued at its end")
PYEOF
