#!/usr/bin/env bash
# Load test of one smartregions binary on this machine, with wrk (Debian's
# package: apt-get install -y wrk).
#
# Builds the binary, serves a fresh database on 127.0.0.1 (a port the
# kernel picks), waits for /readyz, then runs wrk against the hello-world
# baseline and three real pages, and prints requests per second, latency
# percentiles, the list-page/hello ratio (target ≥ 40 %, docs/performance.md)
# and the server's peak RSS. The server is always stopped on exit.
#
#   bash scripts/load.sh                                   # SQLite in a temp dir
#   DB='postgres://postgres@127.0.0.1:5432/test?sslmode=disable' bash scripts/load.sh
#
# With DB=postgres://… the script creates a fresh database next to the one
# named in the URL (the role needs CREATEDB; psql must be installed), runs
# against it and drops it afterwards.
#
# Environment: DURATION (seconds per wrk run, default 20, at most 120),
# THREADS (default 2), CONNECTIONS (default 50), WARMUP (seconds, default 2).
# Only loopback addresses are ever targeted.
set -euo pipefail

cd "$(dirname "$0")/.."

DURATION=${DURATION:-20}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-50}
WARMUP=${WARMUP:-2}
READY_DEADLINE=120 # seconds for start-up, including the first register import

for v in DURATION THREADS CONNECTIONS WARMUP; do
	[[ ${!v} =~ ^[0-9]+$ ]] || { echo "load.sh: $v must be a whole number" >&2; exit 2; }
done
if ((DURATION < 1 || DURATION > 120)); then
	echo "load.sh: DURATION must be 1…120 seconds" >&2
	exit 2
fi
if ((WARMUP > 10)); then WARMUP=10; fi
command -v wrk >/dev/null || { echo "load.sh: wrk missing: apt-get install -y wrk" >&2; exit 2; }
command -v curl >/dev/null || { echo "load.sh: curl missing: apt-get install -y curl" >&2; exit 2; }

work=$(mktemp -d -t smartregions-load.XXXXXX)
pid=""
pgdb=""
pgadmin=""

cleanup() {
	local rc=$?
	if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
		kill -TERM "$pid" 2>/dev/null || true
		for _ in $(seq 1 100); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	fi
	if [[ -n $pgdb ]]; then
		psql "$pgadmin" -qAt -v ON_ERROR_STOP=1 -c "DROP DATABASE IF EXISTS $pgdb WITH (FORCE)" >/dev/null ||
			echo "load.sh: could not drop database $pgdb" >&2
	fi
	rm -rf "$work"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The database: a temp SQLite file, or a fresh PostgreSQL database.
if [[ -z ${DB:-} ]]; then
	dsn="$work/load.db"
	backend="sqlite"
elif [[ $DB =~ ^(postgres(ql)?://[^/?]*)/?([^?]*)(\?.*)?$ ]]; then
	command -v psql >/dev/null || { echo "load.sh: psql needed to create the PostgreSQL database" >&2; exit 2; }
	pgadmin=$DB
	pgdb="smartregions_load_$$_$RANDOM"
	psql "$pgadmin" -qAt -v ON_ERROR_STOP=1 -c "CREATE DATABASE $pgdb" >/dev/null
	dsn="${BASH_REMATCH[1]}/$pgdb${BASH_REMATCH[4]}"
	backend="postgres"
else
	echo "load.sh: DB must be empty (SQLite) or a postgres:// URL" >&2
	exit 2
fi

# How busy the machine was before this script added load: on a shared
# machine, a high load average or CPU pressure (PSI: the share of time some
# runnable task waited for a core) means the figures measure the
# neighbours as much as smartregions.
idle="load average $(cut -d' ' -f1-3 /proc/loadavg)"
if [[ -r /proc/pressure/cpu ]]; then
	idle+=", CPU pressure (PSI some avg60) $(awk '/^some/ {sub("avg60=", "", $3); print $3}' /proc/pressure/cpu) %"
fi
echo "== machine: $(nproc) cores, $(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(awk '/^MemTotal:/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo), $(go version | cut -d' ' -f3-)"
echo "== building"
go build -o "$work/smartregions" ./cmd/smartregions

echo "== starting smartregions serve ($backend)"
log="$work/server.log"
start=$(date +%s.%N)
"$work/smartregions" serve --addr 127.0.0.1:0 --db "$dsn" >"$log" 2>&1 &
pid=$!

# The port is the one the server reports; then /readyz must answer 200.
base=""
deadline=$((SECONDS + READY_DEADLINE))
while ((SECONDS < deadline)); do
	if ! kill -0 "$pid" 2>/dev/null; then
		echo "load.sh: server exited during start-up:" >&2
		tail -n 20 "$log" >&2
		exit 1
	fi
	if [[ -z $base ]]; then
		base=$(grep -o 'url=http://127\.0\.0\.1:[0-9]*' "$log" | head -n 1 | cut -d= -f2 || true)
	fi
	if [[ -n $base ]] && [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$base/readyz") == 200 ]]; then
		break
	fi
	sleep 0.2
done
if [[ -z $base ]] || [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$base/readyz") != 200 ]]; then
	echo "load.sh: server not ready within ${READY_DEADLINE}s" >&2
	tail -n 20 "$log" >&2
	exit 1
fi
case $base in
http://127.0.0.1:*) ;;
*) echo "load.sh: refusing non-loopback target $base" >&2; exit 1 ;;
esac
echo "ready at $base after $(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s (includes the first register import)"

targets=(
	"hello|/hello"
	"list|/kommunen"
	"search|/kommunen?q=Muenchen"
	"api|/api/v1/municipalities?state=09&limit=50"
)

# Every target must answer 200 before it is measured.
for t in "${targets[@]}"; do
	path=${t#*|}
	code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 30 -H 'Accept-Language: de' "$base$path")
	[[ $code == 200 ]] || { echo "load.sh: $path answered $code" >&2; exit 1; }
done

# wrk's default 2 s timeout would drop the slow answers from the latency
# figures and count them as errors; 30 s keeps every answer in.
wrkopts=(-t"$THREADS" -c"$CONNECTIONS" --latency --timeout 30s -H 'Accept-Language: de')

# to_ms turns wrk's "812.34us", "12.5ms" or "1.02s" into milliseconds.
to_ms() {
	awk -v v="$1" 'BEGIN {
		if (v ~ /us$/) { sub(/us$/, "", v); printf "%.2f", v / 1000 }
		else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.2f", v }
		else if (v ~ /m$/) { sub(/m$/, "", v); printf "%.2f", v * 60000 }
		else if (v ~ /s$/) { sub(/s$/, "", v); printf "%.2f", v * 1000 }
		else printf "%s", v }'
}

# server_ticks is the server's user + system CPU time in clock ticks. Per
# request it measures the server's own cost, which, unlike req/s, hardly
# depends on what else the machine is running (wrk shares its cores).
hz=$(getconf CLK_TCK)
server_ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }

declare -A rps
rowfmt='| %-7s | %-45s | %10s | %10s | %10s | %10s | %10s | %s |'
results=()
for t in "${targets[@]}"; do
	name=${t%%|*}
	path=${t#*|}
	url="$base$path"
	echo "== $name: wrk ${wrkopts[*]} -d${DURATION}s '$url'"
	if ((WARMUP > 0)); then
		wrk "${wrkopts[@]}" -d"${WARMUP}s" "$url" >/dev/null
	fi
	cpu0=$(server_ticks)
	out=$(wrk "${wrkopts[@]}" -d"${DURATION}s" "$url")
	cpu1=$(server_ticks)
	echo "$out" | sed 's/^/   /'
	r=$(echo "$out" | awk '/^Requests\/sec:/ {print $2}')
	p50=$(to_ms "$(echo "$out" | awk '$1 == "50%" {print $2}')")
	p90=$(to_ms "$(echo "$out" | awk '$1 == "90%" {print $2}')")
	p99=$(to_ms "$(echo "$out" | awk '$1 == "99%" {print $2}')")
	errs=$(echo "$out" | awk '/Non-2xx|Socket errors/ {printf "%s ", $0}')
	total=$(echo "$out" | awk '/requests in/ {print $1}')
	cpureq=$(awk -v t="$((cpu1 - cpu0))" -v hz="$hz" -v n="$total" 'BEGIN { printf "%.0f", (n > 0) ? t / hz * 1e6 / n : 0 }')
	rps[$name]=$r
	results+=("$(printf "$rowfmt" \
		"$name" "$path" "$r" "$p50" "$p90" "$p99" "$cpureq" "${errs:-none}")")
done

hwm=$(awk '/^VmHWM:/ {print $2, $3}' "/proc/$pid/status")
rss=$(awk '/^VmRSS:/ {print $2, $3}' "/proc/$pid/status")
loglines=$(wc -l <"$log")

echo
echo "== results ($backend, wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg))"
printf "$rowfmt\n" target path req/s "p50 ms" "p90 ms" "p99 ms" "cpu us/req" errors
echo "|---------|-----------------------------------------------|-----------:|-----------:|-----------:|-----------:|-----------:|--------|"
printf '%s\n' "${results[@]}"
echo
awk -v l="${rps[list]}" -v h="${rps[hello]}" 'BEGIN {
	r = (h > 0) ? 100 * l / h : 0
	printf "list page / hello (req/s): %.2f %% (target >= 40 %%): %s\n", r, (r >= 40 ? "met" : "MISSED") }'
echo "server peak RSS (VmHWM): $hwm; RSS at the end: $rss; request log lines written: $loglines"
echo "before the test: $idle"
