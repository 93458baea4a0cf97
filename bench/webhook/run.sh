#!/usr/bin/env bash
# Load-test the signed webhook against the floor (a bare Django view: same signature check, one
# INSERT), both on gunicorn + PostgreSQL, with wrk from a second process on loopback.
#   BENCH_DATABASE_URL  default postgres://postgres@127.0.0.1:5432/moratorium_bench (created if missing)
#   CELERY_BROKER_URL   the webhook enqueues on commit, as in production (default redis://127.0.0.1:6379/15);
#                       no worker runs, so the queue only grows; it is purged at the end
#   CONNECTIONS=16 DURATION=20 WORKERS=4 THREADS=2 PORT=8799
#   ROUNDS=3            floor and webhook alternate this many times; medians are reported, so a
#                       burst of load from other processes skews one round, not the result
# Besides requests/s and latency, each run records the CPU time its requests cost in the gunicorn
# workers and in their PostgreSQL backends (from /proc): less sensitive to a shared machine.
# Writes bench/webhook/results.json and prints a Markdown table for docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
PY="${PYTHON:-python}"
CONNECTIONS="${CONNECTIONS:-16}"; DURATION="${DURATION:-20}"; WORKERS="${WORKERS:-4}"; PORT="${PORT:-8799}"
THREADS="${THREADS:-2}"; ROUNDS="${ROUNDS:-3}"
export DATABASE_URL="${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/moratorium_bench}"
export CELERY_BROKER_URL="${CELERY_BROKER_URL:-redis://127.0.0.1:6379/15}"
export DJANGO_SETTINGS_MODULE=bench.webhook.settings DJANGO_DEBUG=0 ALLOWED_HOSTS=127.0.0.1
export SECRET_KEY="${SECRET_KEY:-bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz}"
export LOG_LEVEL=WARNING
# Keep each worker's PostgreSQL connection for the whole run, so its backend's CPU is counted.
export DATABASE_CONN_MAX_AGE=3600
WORK="$(mktemp -d)"
trap 'kill "${GUNICORN_PID:-}" 2>/dev/null || true; rm -rf "$WORK"' EXIT

dbname="${DATABASE_URL##*/}"
createdb -h 127.0.0.1 -U postgres "$dbname" 2>/dev/null || true
"$PY" manage.py migrate -v0

"$PY" -m gunicorn config.wsgi -b "127.0.0.1:$PORT" -w "$WORKERS" --log-level warning &
GUNICORN_PID=$!
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$PORT/" && break; sleep 0.2; done

# Enough distinct events that no request repeats (a repeat would be a cheap idempotent replay):
# a share per round, and a warm-up share at the end of the file.
COUNT=$(( CONNECTIONS * DURATION * 250 )); WARM=$(( CONNECTIONS * 3 * 250 ))
SLUG=$("$PY" -m bench.webhook.prepare "$WORK" "$(( COUNT * ROUNDS + WARM ))" | tail -1)
for name in webhook floor; do
  tail -n "$WARM" "$WORK/$name.tsv" > "$WORK/$name.warm"
  split -d -a 3 -l "$COUNT" "$WORK/$name.tsv" "$WORK/$name.round."
done

cpu_ticks() {  # "<gunicorn workers> <their PostgreSQL backends>" CPU clock ticks so far
  local g=0 p=0 pid
  for pid in $(pgrep -P "$GUNICORN_PID"); do
    g=$(( g + $(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0) ))
  done
  for pid in $(psql "$DATABASE_URL" -Atc \
      "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"); do
    p=$(( p + $(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0) ))
  done
  echo "$g $p"
}

run() {  # name path file -> one JSON line: wrk's result plus CPU ticks spent
  local g0 p0 g1 p1 result
  read -r g0 p0 < <(cpu_ticks)
  result=$(wrk -t "$THREADS" -c "$CONNECTIONS" -d "$DURATION" --latency -s bench/webhook/signed.lua \
    "http://127.0.0.1:$PORT" -- "$2" "$3" "$THREADS" | grep '^RESULT' | sed 's/^RESULT //')
  read -r g1 p1 < <(cpu_ticks)
  echo "{\"name\": \"$1\", \"wrk\": $result, \"ticks\": [$(( g1 - g0 )), $(( p1 - p0 ))], \"load\": \"$(cut -d' ' -f1 /proc/loadavg)\"}"
}

# A short warm-up so both start with connections to PostgreSQL open and statements prepared.
for name in floor webhook; do
  path=$([ "$name" = floor ] && echo "/floor/$SLUG/" || echo "/webhooks/$SLUG/")
  wrk -t "$THREADS" -c "$CONNECTIONS" -d 3 -s bench/webhook/signed.lua "http://127.0.0.1:$PORT" \
    -- "$path" "$WORK/$name.warm" "$THREADS" > /dev/null
done
: > "$WORK/runs.jsonl"
for round in $(seq 0 $(( ROUNDS - 1 ))); do
  part=$(printf "%03d" "$round")
  run floor "/floor/$SLUG/" "$WORK/floor.round.$part" | tee -a "$WORK/runs.jsonl"
  run webhook "/webhooks/$SLUG/" "$WORK/webhook.round.$part" | tee -a "$WORK/runs.jsonl"
done
"$PY" -m celery -A config purge -f > /dev/null 2>&1 || true

"$PY" - "$WORK/runs.jsonl" "$CONNECTIONS" "$DURATION" "$WORKERS" "$(getconf CLK_TCK)" <<'PYEOF'
import datetime, json, os, platform, statistics, sys
runs = [json.loads(line) for line in open(sys.argv[1])]
tick_ms = 1000 / int(sys.argv[5])

def summary(name):
    mine = [r for r in runs if r["name"] == name]
    requests = sum(r["wrk"]["requests"] for r in mine)
    return {
        "rps": round(statistics.median(r["wrk"]["rps"] for r in mine), 1),
        "p50_ms": round(statistics.median(r["wrk"]["p50_ms"] for r in mine), 2),
        "p99_ms": round(statistics.median(r["wrk"]["p99_ms"] for r in mine), 2),
        "non_2xx": sum(r["wrk"]["non_2xx"] for r in mine),
        "cpu_ms_per_request_gunicorn": round(sum(r["ticks"][0] for r in mine) * tick_ms / requests, 3),
        "cpu_ms_per_request_postgres": round(sum(r["ticks"][1] for r in mine) * tick_ms / requests, 3),
        "rounds": [r["wrk"] | {"load": r["load"]} for r in mine],
    }

floor, webhook = summary("floor"), summary("webhook")
cpu = {n: s["cpu_ms_per_request_gunicorn"] + s["cpu_ms_per_request_postgres"] for n, s in (("f", floor), ("w", webhook))}
result = {
    "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    "machine": f"{os.cpu_count()} cores, {round(os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30)} GB, {platform.python_implementation()} {platform.python_version()}",
    "connections": int(sys.argv[2]), "duration_s": int(sys.argv[3]), "gunicorn_workers": int(sys.argv[4]),
    "floor": floor, "webhook": webhook,
    "throughput_ratio": round(webhook["rps"] / floor["rps"], 3),
    "round_ratios": [round(w["rps"] / f["rps"], 3) for f, w in zip(floor["rounds"], webhook["rounds"])],
    "cpu_ratio": round(cpu["f"] / cpu["w"], 3),
}
with open("bench/webhook/results.json", "w") as f:
    json.dump(result, f, indent=2)
print(json.dumps({k: v for k, v in result.items() if k not in ("floor", "webhook")}, indent=2))
print()
print("| endpoint (median of rounds) | requests/s | p50 ms | p99 ms | non-2xx | CPU ms/request (gunicorn + PostgreSQL) |")
print("| --- | --- | --- | --- | --- | --- |")
for name, r in (("floor (bare view: signature + one INSERT)", floor), ("signed webhook", webhook)):
    print(f"| {name} | {r['rps']:.0f} | {r['p50_ms']:.1f} | {r['p99_ms']:.1f} | {r['non_2xx']} | "
          f"{r['cpu_ms_per_request_gunicorn']:.2f} + {r['cpu_ms_per_request_postgres']:.2f} |")
print(f"\nwebhook / floor throughput: {result['throughput_ratio']:.0%} (rounds: "
      f"{', '.join(f'{x:.0%}' for x in result['round_ratios'])}); floor / webhook CPU per request: {result['cpu_ratio']:.0%}")
PYEOF
