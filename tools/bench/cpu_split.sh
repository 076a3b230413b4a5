#!/usr/bin/env bash
# Where the CPU of a load run goes: starts one server (dynemu, dynalite or the
# ceiling) on a free loopback port, runs one dynemu-bench workload against it,
# and reads both processes' CPU time (/proc/PID/stat, user and system) over a
# window in the middle of the run. Prints the rate and, for the server and the
# driver, the cores used and the CPU microseconds per request. On a 2-core
# machine the two share the cores, so the driver's share is part of any rate.
#
# Usage: tools/bench/cpu_split.sh dynemu|dynalite|ceiling WORKLOAD [dynemu-bench flags...]
#   e.g. tools/bench/cpu_split.sh dynemu put
# Environment: DYNEMU_BUILD_DIR (default <repo>/build), DYNEMU_SERVER_FLAGS
# (dynemu's extra flags), CPU_SPLIT_SKIP_S (seconds before the window, default
# 4: past the preload), CPU_SPLIT_WINDOW_S (default 3). The run lasts 9 s.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=tools/bench/lib.sh
source "$root/tools/bench/lib.sh"
build="${DYNEMU_BUILD_DIR:-$root/build}"
[[ $# -ge 2 ]] || { sed -n '2,14p' "$0" >&2; exit 2; }
server="$1"
workload="$2"
shift 2
skip="${CPU_SPLIT_SKIP_S:-4}"
window="${CPU_SPLIT_WINDOW_S:-3}"

work="$(mktemp -d "${TMPDIR:-/tmp}/dynemu-cpu-split.XXXXXX")"
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2> /dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2> /dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

port="$(free_port)"
case "$server" in
  dynemu)
    # shellcheck disable=SC2086  # a list of flags
    "$build/server/dynemu" --port "$port" --data-dir "$work/data" --log-level warn \
      ${DYNEMU_SERVER_FLAGS:-} > "$work/server.log" 2>&1 &
    endpoint="dynemu=http://127.0.0.1:$port" ;;
  dynalite)
    dynalite_dir="${DYNEMU_DYNALITE_DIR:-$build/bench-peers/node_modules/dynalite}"
    [[ -f "$dynalite_dir/package.json" ]] || { echo "cpu_split.sh: no dynalite in $dynalite_dir (tools/bench/compare.sh installs it)" >&2; exit 1; }
    start_dynalite "$dynalite_dir" "$work/data" "$port" "$work/server.log"
    endpoint="dynalite=http://127.0.0.1:$port" ;;
  ceiling)
    "$build/tools/dynemu-ceiling" "$port" > "$work/server.log" 2>&1 &
    endpoint="ceiling=http://127.0.0.1:$port,raw" ;;
  *) echo "cpu_split.sh: the server is dynemu, dynalite or ceiling" >&2; exit 2 ;;
esac
server_pid=$!
pids+=("$server_pid")
wait_port "$port" "$server_pid"

cpu_ticks() { awk '{ print $14, $15 }' "/proc/$1/stat"; }  # user, system
"$build/tools/dynemu-bench" --endpoint "$endpoint" --workloads "$workload" --rounds 1 \
  --duration-ms 9000 "$@" > "$work/bench.out" 2>&1 &
bench_pid=$!
pids+=("$bench_pid")
sleep "$skip"
read -r su0 ss0 < <(cpu_ticks "$server_pid")
read -r bu0 bs0 < <(cpu_ticks "$bench_pid")
sleep "$window"
read -r su1 ss1 < <(cpu_ticks "$server_pid")
read -r bu1 bs1 < <(cpu_ticks "$bench_pid")
wait "$bench_pid" || { cat "$work/bench.out" >&2; exit 1; }
result="$(grep '^RESULT' "$work/bench.out")"
echo "$result"
rps="$(sed 's/.*rps=\([0-9.]*\).*/\1/' <<< "$result")"
awk -v hz="$(getconf CLK_TCK)" -v w="$window" -v rps="$rps" \
    -v su="$((su1 - su0))" -v ss="$((ss1 - ss0))" -v bu="$((bu1 - bu0))" -v bs="$((bs1 - bs0))" '
  function line(name, u, s) {
    n = rps * w
    printf "%-7s %.2f cores, %.1f us per request (user %.1f, system %.1f)\n", name,
      (u + s) / hz / w, (u + s) / hz / n * 1e6, u / hz / n * 1e6, s / hz / n * 1e6
  }
  BEGIN { line("server", su, ss); line("driver", bu, bs) }'
