#!/usr/bin/env bash
# The load benchmark's smoke test (ctest: bench.smoke), a few seconds long.
# Checks that dynemu-bench measures a dynemu it starts on a free port (non-zero
# rate, no errors), and that it counts failures as failures: a missing table
# gives errors and no throughput; a server answering 200 with the wrong
# content (the ceiling server, taken for a DynamoDB endpoint) gives wrong
# answers and no throughput.
#
# Usage: smoke_test.sh DYNEMU DYNEMU_BENCH DYNEMU_CEILING
set -euo pipefail
# shellcheck source=tools/bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

dynemu_bin="$1"
bench_bin="$2"
ceiling_bin="$3"
work="$(mktemp -d "${TMPDIR:-/tmp}/dynemu-bench-smoke.XXXXXX")"
dynemu_pid=""
ceiling_pid=""
cleanup() {
  [[ -z "$dynemu_pid" ]] || kill "$dynemu_pid" 2> /dev/null || true
  [[ -z "$ceiling_pid" ]] || kill "$ceiling_pid" 2> /dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

fail() {
  echo "FAIL: $*" >&2
  exit 1
}
# field OUTPUT WORKLOAD NAME: NAME's value in the RESULT line of WORKLOAD.
field() {
  sed -n "s/^RESULT workload=$2 .* $3=\([0-9.]*\).*/\1/p" <<< "$1" | head -n 1
}

# A port found free may be taken by another test before dynemu binds it: then
# another port is tried.
for _ in 1 2 3; do
  port="$(free_port)"
  line="$("$bench_bin" --startup --endpoint "d=http://127.0.0.1:$port" -- \
    "$dynemu_bin" --port "$port" --data-dir "$work/db" --log-level warn)" || continue
  dynemu_pid="$(sed -n 's/.*pid=\([0-9]*\).*/\1/p' <<< "$line")"
  [[ -z "$dynemu_pid" ]] || break
done
[[ -n "$dynemu_pid" ]] || fail "dynemu did not start: $line"
echo "$line"

short=(--rounds 1 --duration-ms 600 --warmup-ms 100 --connections 4 --items 200 --partitions 4)

# 1. A working server: throughput, no errors, no wrong answers. Each round
#    waits for the server to be idle first.
out="$("$bench_bin" --endpoint "dynemu=http://127.0.0.1:$port" --workloads put,get \
  --settle-pid "$dynemu_pid" "${short[@]}")"
echo "$out"
grep -q "waited for the servers to go idle" <<< "$out" || fail "no settle report"
for w in put get; do
  [[ "$(field "$out" "$w" available)" == 1 ]] || fail "$w not available"
  (($(field "$out" "$w" ok) > 0)) || fail "$w: no successful request"
  [[ "$(field "$out" "$w" rps)" != 0 ]] || fail "$w: zero rate"
  [[ "$(field "$out" "$w" errors)" == 0 ]] || fail "$w: errors against a working server"
  [[ "$(field "$out" "$w" wrong)" == 0 ]] || fail "$w: wrong answers from a working server"
done

# 2. A missing table: every answer is an error, none is throughput.
out="$("$bench_bin" --endpoint "dynemu=http://127.0.0.1:$port" --workloads get --no-setup \
  --table no_such_table "${short[@]}")"
echo "$out"
(($(field "$out" get errors) > 0)) || fail "missing table: errors not counted"
[[ "$(field "$out" get ok)" == 0 ]] || fail "missing table: errors counted as successes"
[[ "$(field "$out" get rps)" == 0 ]] || fail "missing table: a rate from errors"

# 3. 200 answers with the wrong content: wrong answers, none is throughput.
# The ceiling takes any free port (0) and prints the one it got.
"$ceiling_bin" 0 1 > "$work/ceiling.out" &
ceiling_pid=$!
ceiling_port=""
for _ in $(seq 1 100); do
  ceiling_port="$(sed -n 's/.*listening on 127.0.0.1:\([0-9]*\).*/\1/p' "$work/ceiling.out")"
  [[ -z "$ceiling_port" ]] || break
  sleep 0.05
done
[[ -n "$ceiling_port" ]] || fail "the ceiling server did not start"
out="$("$bench_bin" --endpoint "impostor=http://127.0.0.1:$ceiling_port" --workloads get \
  --no-setup "${short[@]}")"
echo "$out"
(($(field "$out" get wrong) > 0)) || fail "wrong answers not counted"
[[ "$(field "$out" get ok)" == 0 ]] || fail "wrong answers counted as successes"

# 4. A process that never goes idle: the round starts at the settle limit.
bash -c 'while :; do :; done' &
busy_pid=$!
out="$("$bench_bin" --endpoint "dynemu=http://127.0.0.1:$port" --workloads get --no-setup \
  --settle-pid "$busy_pid" --settle-max-ms 300 "${short[@]}")" || true
kill "$busy_pid"
echo "$out"
grep -q "1 round(s) started at the 0.3 s limit" <<< "$out" || fail "settle did not give up at its limit"

echo "bench smoke test passed"
