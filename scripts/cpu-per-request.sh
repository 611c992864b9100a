#!/usr/bin/env bash
# cpu-per-request.sh: papi's own CPU time for one request (the server process's user + system
# time over a wrk run, divided by the requests served), for one or more builds of papi taken in
# turn, ROUNDS times. On a shared machine req/s move with the neighbours; the CPU a request
# costs papi moves much less, so two builds alternated on the same data compare fairly.
# PostgreSQL's CPU a request is shown beside it (its processes' time, with the backends that
# ended meanwhile, which the postmaster has reaped): a pool that opens connections again shows
# there, not in papi's (a process that ends while they are read is left out).
#
# Usage: PERF_DATABASE_URL=postgres://postgres@127.0.0.1:5432/papi_perf?sslmode=disable \
#            scripts/cpu-per-request.sh USERNAME PATH BINARY...
#   e.g.   scripts/cpu-per-request.sh syn.admin.17 '/api/v1/reports/summary?period=year' /tmp/papi-old bin/papi
# PATH may be @FILE instead, a file of paths, one a line: each wrk thread requests them in turn,
# the two threads starting far apart (pages no one read just before).
# Environment: SECONDS_EACH (10), CLIENTS (8), ROUNDS (2), PORT (18081). The user's password is
# the synthetic data set's ("demo-password"). Needs wrk (apt-get install -y wrk) and curl.
# Not part of make test: it measures, it does not assert.
set -euo pipefail
[ $# -ge 3 ] || { sed -n 2,17p "$0" >&2; exit 2; }
user=$1 path=$2
shift 2
db=${PERF_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/papi_perf?sslmode=disable}
port=${PORT:-18081}
base="http://127.0.0.1:$port"
tck=$(getconf CLK_TCK)
script=()
if [[ $path == @* ]]; then
	lua=$(mktemp --suffix .lua)
	trap 'rm -f "$lua"' EXIT
	{
		printf 'local paths = {'
		sed 's/.*/"&",/' "${path#@}"
		printf '}\nlocal threads = 0\nfunction setup(t) t:set("at", threads * 7919); threads = threads + 1 end\n'
		printf 'request = function() at = at %% #paths + 1; return wrk.format(nil, paths[at]) end\n'
	} >"$lua"
	script=(-s "$lua")
	path=$(head -1 "${path#@}")
fi
cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }
pgcpu() { { cat /proc/[0-9]*/stat 2>/dev/null || true; } | awk '$2 == "(postgres)" {s += $14 + $15; if ($4 == 1) s += $16 + $17} END {print s}'; }
for round in $(seq "${ROUNDS:-2}"); do
	for bin in "$@"; do
		PAPI_ADDR="127.0.0.1:$port" PAPI_DATABASE_URL="$db" PAPI_PUBLIC_RATE=off PAPI_LOG_LEVEL=error PAPI_METRICS_ADDR=off "$bin" serve >/dev/null 2>&1 &
		pid=$!
		trap 'kill $pid 2>/dev/null || true; rm -f "${lua:-}"' EXIT
		for _ in $(seq 50); do curl -fs "$base/readyz" >/dev/null && break; sleep 0.2; done
		cookie=$(curl -fs -c - -H 'Content-Type: application/json' \
			-d "{\"username\":\"$user\",\"password\":\"demo-password\"}" "$base/api/v1/auth/login" |
			awk '$6 == "papi_session" {print $6 "=" $7}')
		[ -n "$cookie" ] || { echo "sign-in as $user failed" >&2; exit 1; }
		wrk -t1 -c2 -d3s -H "Cookie: $cookie" "$base$path" >/dev/null # warm the caches and the pool
		before=$(cpu $pid) pgbefore=$(pgcpu)
		out=$(wrk -t2 -c"${CLIENTS:-8}" -d"${SECONDS_EACH:-10}"s "${script[@]}" -H "Cookie: $cookie" "$base$path")
		after=$(cpu $pid) pgafter=$(pgcpu)
		n=$(awk '/requests in/ {print $1}' <<<"$out")
		rate=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
		awk -v r="$round" -v b="$bin" -v n="$n" -v t=$((after - before)) -v hz="$tck" -v rate="$rate" \
			-v pg=$((pgafter - pgbefore)) 'BEGIN {printf "round %s  %-16s %6d requests  %6.3f ms of papi CPU a request  %6.3f ms of PostgreSQL CPU  %8.1f req/s\n",
				r, b, n, t * 1000 / hz / n, pg * 1000 / hz / n, rate}'
		kill $pid
		wait $pid 2>/dev/null || true
	done
done
