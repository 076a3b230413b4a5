#!/usr/bin/env bash
# What plugins cost: PutItem throughput of three servers measured in one run,
#   none   no plugin,
#   noop   the no-op plugin (tests/abi/noop_plugin.c) subscribed to every hook point,
#   trace  the trace plugin writing one line per operation to a file,
# in alternating rounds (none, noop, trace, none, noop, trace, ...), so that
# whatever else the machine does spreads over all three. Prints each round, the
# median requests/s of each server, and the ratios to "none".
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

# run NAME DURATION: PutItem requests/s of one wrk run (fails on non-200 answers).
run() {
  local out
  out=$(wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"$2" -s "$LUA" "http://127.0.0.1:${PORT[$1]}/")
  if ! grep -q "non-200 responses: 0" <<<"$out"; then
    echo "$1: non-200 answers:" >&2
    echo "$out" >&2
    exit 1
  fi
  awk '/^Requests\/sec:/ {print $2}' <<<"$out"
}

CONFIGS=(none noop trace)
start none
start noop --plugin "$NOOP"
start trace --plugin "$TRACE=file=$WORK/trace.jsonl"
for c in "${CONFIGS[@]}"; do
  create_table "$c"
  run "$c" 3s >/dev/null  # warm-up: LevelDB files, page cache, connections
done

declare -A RESULTS
echo "round  ${CONFIGS[*]}   (PutItem requests/s; wrk -t$WRK_THREADS -c$CONNECTIONS -d$DURATION)"
for round in $(seq 1 "$ROUNDS"); do
  line="$round"
  for c in "${CONFIGS[@]}"; do
    rps=$(run "$c" "$DURATION")
    RESULTS[$c]+="$rps "
    line+="  $rps"
  done
  echo "$line"
done

median() { tr ' ' '\n' <<<"$1" | grep . | sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
base=$(median "${RESULTS[none]}")
echo
printf '%-6s %12s %8s %9s\n' config "median rps" ratio overhead
for c in "${CONFIGS[@]}"; do
  m=$(median "${RESULTS[$c]}")
  awk -v c="$c" -v m="$m" -v b="$base" \
    'BEGIN {printf "%-6s %12.0f %8.3f %8.1f%%\n", c, m, m / b, (1 - m / b) * 100}'
done
echo
echo "trace lines written: $(wc -l <"$WORK/trace.jsonl")"
