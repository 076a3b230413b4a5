#!/usr/bin/env bash
# What plugins cost: PutItem throughput of three servers measured in one run,
#   none   no plugin,
#   noop   the no-op plugin (tests/abi/noop_plugin.c) subscribed to every hook point,
#   trace  the trace plugin writing one line per operation to a file,
# in alternating rounds (none, noop, trace, none, noop, trace, ...), so that
# whatever else the machine does spreads over all three. Prints each round, then
# per server the median requests/s and the median of the per-round throughput
# ratios to "none" (each round's runs are seconds apart, so on a shared machine
# this is steadier than a ratio of medians), and the same for the server's CPU
# time per request (read from /proc, so other load moves it less).
#
#   tools/bench/plugin_overhead.sh                      # build dir ./build
#   BUILD=build-hooks ROUNDS=7 DURATION=10s tools/bench/plugin_overhead.sh
#
# Environment: BUILD (build directory, default ./build), ROUNDS (5), DURATION
# (wrk -d, 8s), CONNECTIONS (wrk -c, 32), WRK_THREADS (wrk -t, 2), SERVER_THREADS
# (dynemu --threads, default: the server's own). Needs wrk (Debian's package) and
# curl, and the targets dynemu, dynemu_plugin_noop and dynemu_plugin_trace built.
# Servers use LevelDB in temporary directories, removed at exit, like the
# README's figures.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${BUILD:-build}
[[ "$BUILD" = /* ]] || BUILD="$ROOT/$BUILD"
ROUNDS=${ROUNDS:-5}
DURATION=${DURATION:-8s}
CONNECTIONS=${CONNECTIONS:-32}
WRK_THREADS=${WRK_THREADS:-2}
SERVER_THREADS=${SERVER_THREADS:-}

SERVER="$BUILD/server/dynemu"
NOOP="$BUILD/tests/abi/noop.so"
TRACE="$BUILD/plugins/trace.so"
LUA="$ROOT/tools/bench/wrk/put_item.lua"
for f in "$SERVER" "$NOOP" "$TRACE"; do
  [[ -e "$f" ]] || { echo "missing $f: build dynemu, dynemu_plugin_noop and dynemu_plugin_trace in $BUILD" >&2; exit 2; }
done
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 2; }

WORK=$(mktemp -d /tmp/dynemu-plugin-bench.XXXXXX)
declare -A PID PORT
cleanup() {
  for name in "${!PID[@]}"; do kill "${PID[$name]}" 2>/dev/null || true; done
  for name in "${!PID[@]}"; do wait "${PID[$name]}" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

# start NAME [dynemu flags...]: a server on a free port, its data in $WORK/NAME.
start() {
  local name=$1; shift
  local log="$WORK/$name.log"
  local threads=()
  [[ -n "$SERVER_THREADS" ]] && threads=(--threads "$SERVER_THREADS")
  "$SERVER" --port 0 --data-dir "$WORK/$name-data" --log-level info "${threads[@]}" "$@" >"$log" 2>&1 &
  PID[$name]=$!
  for _ in $(seq 1 200); do
    if grep -q "dynemu listening on" "$log"; then
      PORT[$name]=$(sed -n 's/.*dynemu listening on [^ ]*:\([0-9]*\).*/\1/p' "$log" | head -1)
      return
    fi
    kill -0 "${PID[$name]}" 2>/dev/null || { cat "$log" >&2; exit 1; }
    sleep 0.05
  done
  echo "server $name did not start" >&2
  exit 1
}

# create_table NAME: the "bench" table (hash key id, S) put_item.lua writes to.
create_table() {
  curl -sf -o /dev/null -X POST "http://127.0.0.1:${PORT[$1]}/" \
    -H 'Content-Type: application/x-amz-json-1.0' \
    -H 'X-Amz-Target: DynamoDB_20120810.CreateTable' \
    -H 'X-Amz-Date: 20250101T000000Z' \
    -H 'Authorization: AWS4-HMAC-SHA256 Credential=bench/20250101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0' \
    -d '{"TableName":"bench","AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}],"KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST"}'
}

# cpu_ticks NAME: user + system CPU time the server has used so far, in clock ticks.
cpu_ticks() { awk '{print $14 + $15}' "/proc/${PID[$1]}/stat"; }

# run NAME DURATION: one wrk run; prints "<requests/s> <server CPU us per request>"
# (fails on non-200 answers). The CPU figure counts only the server's own time,
# so it moves less than throughput when other processes share the machine.
run() {
  local out before after
  before=$(cpu_ticks "$1")
  out=$(wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"$2" -s "$LUA" "http://127.0.0.1:${PORT[$1]}/")
  after=$(cpu_ticks "$1")
  if ! grep -q "non-200 responses: 0" <<<"$out"; then
    echo "$1: non-200 answers:" >&2
    echo "$out" >&2
    exit 1
  fi
  awk -v ticks=$((after - before)) -v hz="$(getconf CLK_TCK)" '
    /requests in/ {requests = $1}
    /^Requests\/sec:/ {rps = $2}
    END {printf "%s %.2f\n", rps, ticks / hz / requests * 1e6}' <<<"$out"
}

CONFIGS=(none noop trace)
start none
start noop --plugin "$NOOP"
start trace --plugin "$TRACE=file=$WORK/trace.jsonl"
for c in "${CONFIGS[@]}"; do
  create_table "$c"
  run "$c" 3s >/dev/null  # warm-up: LevelDB files, page cache, connections
done

declare -A RPS CPU RPS_RATIO CPU_RATIO
echo "PutItem; wrk -t$WRK_THREADS -c$CONNECTIONS -d$DURATION; requests/s (server CPU us per request)"
printf '%-5s' round; printf '%24s' "${CONFIGS[@]}"; echo
for round in $(seq 1 "$ROUNDS"); do
  printf '%-5s' "$round"
  declare -A rps=() cpu=()
  for c in "${CONFIGS[@]}"; do
    read -r rps[$c] cpu[$c] < <(run "$c" "$DURATION")
    RPS[$c]+="${rps[$c]} "
    CPU[$c]+="${cpu[$c]} "
    printf '%24s' "${rps[$c]} (${cpu[$c]})"
  done
  echo
  # Ratios within a round compare runs seconds apart, so a machine that is
  # busier in one round than in the next moves all three together.
  for c in "${CONFIGS[@]}"; do
    RPS_RATIO[$c]+="$(awk -v a="${rps[$c]}" -v b="${rps[none]}" 'BEGIN {print a / b}') "
    CPU_RATIO[$c]+="$(awk -v a="${cpu[$c]}" -v b="${cpu[none]}" 'BEGIN {print a / b}') "
  done
done

median() { tr ' ' '\n' <<<"$1" | grep . | sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
echo
echo "Medians over $ROUNDS rounds. Throughput ratio: median of the per-round ratios to none"
echo "(1 - ratio = the throughput cost). CPU ratio: the same for server CPU per request."
printf '%-6s %10s %16s %11s %12s\n' config "rps" "throughput ratio" "CPU us/req" "CPU ratio"
for c in "${CONFIGS[@]}"; do
  awk -v c="$c" -v m="$(median "${RPS[$c]}")" -v r="$(median "${RPS_RATIO[$c]}")" \
      -v u="$(median "${CPU[$c]}")" -v q="$(median "${CPU_RATIO[$c]}")" \
    'BEGIN {printf "%-6s %10.0f %9.3f (%+5.1f%%) %11.2f %5.3f (%+5.1f%%)\n", c, m, r, (r - 1) * 100, u, q, (q - 1) * 100}'
done
echo
echo "trace lines written: $(wc -l <"$WORK/trace.jsonl")"
