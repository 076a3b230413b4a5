#!/usr/bin/env bash
# Memory and start-up of dynemu (README, Performance): the time from process
# start to the first answered request (ListTables) with an empty database and
# with 1,000,000 items of ~1 KB (LevelDB on disk), and the resident memory
# (VmRSS) idle, after preloading 100,000 and after 1,000,000 items.
# Needs ~3 GB free where the data goes ($TMPDIR, default /tmp); deletes it after.
#
# Usage: tools/bench/memory_startup.sh [ITEMS]   (default 1000000)
# Environment: DYNEMU_BUILD_DIR (default <repo>/build); extra dynemu flags in
# DYNEMU_SERVER_FLAGS (e.g. "--threads 2").
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=tools/bench/lib.sh
source "$root/tools/bench/lib.sh"
build="${DYNEMU_BUILD_DIR:-$root/build}"
items="${1:-1000000}"
first=$((items < 100000 ? items : 100000))
starts=3

if [[ -n "${DYNEMU_BUILD_DIR:-}" ]]; then
  [[ -f "$build/build.ninja" ]] || cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release
  cmake --build "$build" -j2 --target dynemu dynemu-bench
else
  "$root/tools/setup/build.sh" --target dynemu dynemu-bench
fi
dynemu_bin="$build/server/dynemu"
bench_bin="$build/tools/dynemu-bench"

tmp="${TMPDIR:-/tmp}"
need_kb=$((items * 3))  # ~1 KB per item, with room for LevelDB's compactions
avail_kb="$(df -Pk "$tmp" | awk 'NR == 2 { print $4 }')"
if ((avail_kb < need_kb)); then
  echo "memory_startup.sh: $((need_kb / 1024)) MB needed in $tmp, $((avail_kb / 1024)) MB free" >&2
  exit 1
fi
work="$(mktemp -d "$tmp/dynemu-memory.XXXXXX")"
server_pid=""
stop_server() {
  [[ -n "$server_pid" ]] || return 0
  kill "$server_pid" 2> /dev/null || true
  # Not our child (dynemu-bench started it): poll until it is gone.
  while kill -0 "$server_pid" 2> /dev/null; do sleep 0.05; done
  server_pid=""
}
cleanup() {
  stop_server
  rm -rf "$work"
}
trap cleanup EXIT

port="$(free_port)"
endpoint="dynemu=http://127.0.0.1:$port"

# start DIR: starts dynemu on DIR; sets server_pid and start_ms.
start() {
  local line
  # shellcheck disable=SC2086
  line="$("$bench_bin" --startup --endpoint "$endpoint" -- \
    "$dynemu_bin" --port "$port" --data-dir "$1" --log-level warn ${DYNEMU_SERVER_FLAGS:-})"
  server_pid="$(sed -n 's/.*pid=\([0-9]*\).*/\1/p' <<< "$line")"
  start_ms="$(sed -n 's/.*ms=\([0-9.]*\).*/\1/p' <<< "$line")"
}

empty_times=()
for i in $(seq 1 "$starts"); do
  rm -rf "$work/db"
  start "$work/db"
  empty_times+=("$start_ms")
  if ((i < starts)); then stop_server; fi
done
sleep 1
rss_idle="$(rss_mb "$server_pid")"

"$bench_bin" --endpoint "$endpoint" --preload-only "$first"
sleep 1
rss_first="$(rss_mb "$server_pid")"
rss_all="$rss_first"
if ((items > first)); then
  "$bench_bin" --endpoint "$endpoint" --preload-only "$items" --preload-start "$first"
  sleep 1
  rss_all="$(rss_mb "$server_pid")"
fi
stop_server

full_times=()
for i in $(seq 1 "$starts"); do
  start "$work/db"
  full_times+=("$start_ms")
  if ((i < starts)); then stop_server; fi
done
sleep 1
rss_reopened="$(rss_mb "$server_pid")"
# One GetItem proves the data is there after the restart.
"$bench_bin" --endpoint "$endpoint" --no-setup --workloads get --items "$items" \
  --duration-ms 1000 --rounds 1 --connections 4 | grep '^get '
rss_reopened_get="$(rss_mb "$server_pid")"
stop_server
disk="$(du -sh "$work/db" | cut -f1)"

echo
echo "start-up to first answer, empty database: ${empty_times[*]} ms"
echo "start-up to first answer, $items items ($disk on disk): ${full_times[*]} ms"
echo "resident memory (MB): idle $rss_idle; after $first items $rss_first; after $items items $rss_all"
echo "resident memory (MB) after a restart on $items items: idle $rss_reopened; after 1 s of GetItem $rss_reopened_get"
