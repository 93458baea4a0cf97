#!/usr/bin/env bash
# Load-test the signed webhook against the floor (a bare Django view: same signature check, one
# INSERT), both on gunicorn + PostgreSQL, with wrk from a second process on loopback.
#   BENCH_DATABASE_URL  default postgres://postgres@127.0.0.1:5432/moratorium_bench (created if missing)
#   CELERY_BROKER_URL   the webhook enqueues on commit, as in production (default redis://127.0.0.1:6379/15);
#                       no worker runs, so the queue only grows; it is purged at the end
#   CONNECTIONS=16 DURATION=20 WORKERS=4 PORT=8799
# Writes bench/webhook/results.json and prints a Markdown table for docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
PY="${PYTHON:-python}"
CONNECTIONS="${CONNECTIONS:-16}"; DURATION="${DURATION:-20}"; WORKERS="${WORKERS:-4}"; PORT="${PORT:-8799}"
THREADS="${THREADS:-2}"
export DATABASE_URL="${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/moratorium_bench}"
export CELERY_BROKER_URL="${CELERY_BROKER_URL:-redis://127.0.0.1:6379/15}"
export DJANGO_SETTINGS_MODULE=bench.webhook.settings DJANGO_DEBUG=0 ALLOWED_HOSTS=127.0.0.1
export SECRET_KEY="${SECRET_KEY:-bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz}"
export LOG_LEVEL=WARNING
WORK="$(mktemp -d)"
trap 'kill "${GUNICORN_PID:-}" 2>/dev/null || true; rm -rf "$WORK"' EXIT

dbname="${DATABASE_URL##*/}"
createdb -h 127.0.0.1 -U postgres "$dbname" 2>/dev/null || true
"$PY" manage.py migrate -v0

"$PY" -m gunicorn config.wsgi -b "127.0.0.1:$PORT" -w "$WORKERS" --log-level warning &
GUNICORN_PID=$!
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$PORT/" && break; sleep 0.2; done

# Enough distinct events that no request repeats (a repeat would be a cheap idempotent replay).
COUNT=$(( CONNECTIONS * DURATION * 250 )); WARM=$(( CONNECTIONS * 3 * 250 ))
SLUG=$("$PY" -m bench.webhook.prepare "$WORK" "$(( COUNT + WARM ))" | tail -1)

run() {  # name path file
  # A short warm-up so both start with connections to PostgreSQL open, then the measured run.
  wrk -t "$THREADS" -c "$CONNECTIONS" -d 3 -s bench/webhook/signed.lua "http://127.0.0.1:$PORT" \
    -- "$2" "$3.warm" "$THREADS" > /dev/null
  wrk -t "$THREADS" -c "$CONNECTIONS" -d "$DURATION" --latency -s bench/webhook/signed.lua \
    "http://127.0.0.1:$PORT" -- "$2" "$3" "$THREADS" | tee "$WORK/$1.out" | grep '^RESULT' | sed 's/^RESULT //'
}
# Warm-up lines are the tail of each file, so they never collide with the measured ones.
for name in webhook floor; do
  tail -n "$WARM" "$WORK/$name.tsv" > "$WORK/$name.tsv.warm"
  head -n "$COUNT" "$WORK/$name.tsv" > "$WORK/$name.tsv.tmp" && mv "$WORK/$name.tsv.tmp" "$WORK/$name.tsv"
done
FLOOR=$(run floor "/floor/$SLUG/" "$WORK/floor.tsv")
WEBHOOK=$(run webhook "/webhooks/$SLUG/" "$WORK/webhook.tsv")
"$PY" -m celery -A config purge -f > /dev/null 2>&1 || true

"$PY" - "$FLOOR" "$WEBHOOK" "$CONNECTIONS" "$DURATION" "$WORKERS" <<'PYEOF'
import datetime, json, os, platform, sys
floor, webhook = json.loads(sys.argv[1]), json.loads(sys.argv[2])
result = {
    "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    "machine": f"{os.cpu_count()} cores, {round(os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30)} GB, {platform.python_implementation()} {platform.python_version()}",
    "connections": int(sys.argv[3]), "duration_s": int(sys.argv[4]), "gunicorn_workers": int(sys.argv[5]),
    "floor": floor, "webhook": webhook,
    "throughput_ratio": round(webhook["rps"] / floor["rps"], 3),
}
with open("bench/webhook/results.json", "w") as f:
    json.dump(result, f, indent=2)
print(json.dumps(result, indent=2))
print()
print("| endpoint | requests/s | p50 ms | p99 ms | non-2xx |")
print("| --- | --- | --- | --- | --- |")
for name, r in (("floor (bare view: signature + one INSERT)", floor), ("signed webhook", webhook)):
    print(f"| {name} | {r['rps']:.0f} | {r['p50_ms']:.1f} | {r['p99_ms']:.1f} | {r['non_2xx']} |")
print(f"\nwebhook / floor throughput: {result['throughput_ratio']:.0%}")
PYEOF
