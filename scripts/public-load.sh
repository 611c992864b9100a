#!/usr/bin/env bash
# public-load.sh: 50 concurrent public clients read the public board and Open311 while one
# signed-in secretary reads the petition list; prints the secretary's latency percentiles.
# Runs papi on loopback over the demo data set in a fresh data directory (SQLite unless
# PAPI_DATABASE_URL is set). The per-address public limit is off unless PAPI_PUBLIC_RATE is set:
# all 50 clients come from 127.0.0.1, so with it on most of them get 429, and off is the worst
# case for the signed-in user (as 50 clients at 50 addresses, each at full speed).
#
# Usage: scripts/public-load.sh [seconds]   (needs wrk: apt-get install -y wrk; curl)
#        PAPI_PUBLIC_RATE=20 scripts/public-load.sh   (the default limit on)
# Not part of make test: it measures, it does not assert.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-30}
port=${PAPI_LOAD_PORT:-18391}
base="http://127.0.0.1:$port"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
[ -x bin/papi ] || go build -o bin/papi ./cmd/papi
dir=$(mktemp -d)
export PAPI_DATA_DIR="$dir" PAPI_ADDR="127.0.0.1:$port" PAPI_LOG_LEVEL=error PAPI_PUBLIC_RATE="${PAPI_PUBLIC_RATE:-off}" PAPI_METRICS_ADDR=off
./bin/papi seed --demo >/dev/null
./bin/papi serve >"$dir/serve.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 50); do curl -fs "$base/readyz" >/dev/null && break; sleep 0.2; done

cookie=$(curl -fs -c - -H 'Content-Type: application/json' \
	-d '{"username":"secretary.tanthoi","password":"demo-password"}' "$base/api/v1/auth/login" |
	awk '$6 == "papi_session" {print $6 "=" $7}')
[ -n "$cookie" ] || { echo "sign-in failed" >&2; exit 1; }
commune=$(curl -fs "$base/api/v1/public/communes" | sed -E 's/^[^0-9]*"id":([0-9]+).*/\1/')

echo "papi on $(nproc) cores, ${secs}s, public limit $PAPI_PUBLIC_RATE, demo data set, $([ -n "${PAPI_DATABASE_URL:-}" ] && echo PostgreSQL || echo SQLite)"
echo "== signed-in alone (2 connections, /api/v1/petitions)"
wrk -t1 -c2 -d"$((secs / 3))s" --latency -H "Cookie: $cookie" "$base/api/v1/petitions" | sed -n '/Latency Distribution/,/Requests\/sec/p'

echo "== signed-in while 50 public clients read (25 on the board, 25 on Open311)"
wrk -t1 -c25 -d"${secs}s" "$base/api/v1/public/communes/$commune/petitions" >"$dir/board.txt" &
b=$!
wrk -t1 -c25 -d"${secs}s" "$base/open311/v2/requests.json?start_date=2020-01-01" >"$dir/open311.txt" &
o=$!
sleep 1
wrk -t1 -c2 -d"$((secs - 2))s" --latency -H "Cookie: $cookie" "$base/api/v1/petitions" | sed -n '/Latency Distribution/,/Requests\/sec/p'
wait $b $o
echo "== public board:"; grep -E 'Requests/sec|Non-2xx|Latency ' "$dir/board.txt"
echo "== Open311 requests:"; grep -E 'Requests/sec|Non-2xx|Latency ' "$dir/open311.txt"
