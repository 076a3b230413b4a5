#!/usr/bin/env bash
# Side-by-side load benchmark (README, Performance): starts dynemu (LevelDB on
# disk in a temporary directory), dynalite (installed here with npm into
# <build>/bench-peers, its LevelDB on disk with --path) and the ceiling server
# (tools/bench/ceiling) on free loopback ports, runs dynemu-bench against the
# three in alternating rounds, and prints the results, the ratios, each
# server's resident memory after the run, the machine, and a Markdown table.
#
# Usage: tools/bench/compare.sh [dynemu-bench flags...]
#   e.g. tools/bench/compare.sh --duration-ms 5000 --rounds 4 --workloads put,get
# Environment: DYNEMU_BUILD_DIR (default <repo>/build), DYNEMU_BENCH_KEEP=1 keeps
# the data directories, DYNEMU_DYNALITE_DIR uses a dynalite installed elsewhere,
# DYNEMU_SERVER_FLAGS adds flags to dynemu's command line (e.g. "--cache-mb 32"),
# DYNEMU_BENCH_SETTLE=0 starts each round without waiting for the servers to
# go idle.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=tools/bench/lib.sh
source "$root/tools/bench/lib.sh"
build="${DYNEMU_BUILD_DIR:-$root/build}"

# ---- build what is needed
if [[ -n "${DYNEMU_BUILD_DIR:-}" ]]; then
  [[ -f "$build/build.ninja" ]] || cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release
  cmake --build "$build" -j2 --target dynemu dynemu-bench dynemu-ceiling
else
  "$root/tools/setup/build.sh" --target dynemu dynemu-bench dynemu-ceiling
fi
dynemu_bin="$build/server/dynemu"
bench_bin="$build/tools/dynemu-bench"
ceiling_bin="$build/tools/dynemu-ceiling"

# ---- dynalite: a reference to beat, installed next to the build, never in the repo
if ! command -v node > /dev/null || ! command -v npm > /dev/null; then
  echo "compare.sh: node and npm are needed for dynalite (Debian: apt-get install nodejs npm)" >&2
  exit 1
fi
dynalite_dir="${DYNEMU_DYNALITE_DIR:-}"
if [[ -z "$dynalite_dir" ]]; then
  peers="$build/bench-peers"
  if [[ ! -f "$peers/node_modules/dynalite/package.json" ]]; then
    mkdir -p "$peers"
    echo "installing dynalite into $peers" >&2
    npm install --prefix "$peers" --no-audit --no-fund --loglevel=error dynalite >&2
  fi
  dynalite_dir="$peers/node_modules/dynalite"
fi

# ---- peers on free ports
work="$(mktemp -d "${TMPDIR:-/tmp}/dynemu-bench.XXXXXX")"
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2> /dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2> /dev/null || true; done
  [[ "${DYNEMU_BENCH_KEEP:-0}" == 1 ]] || rm -rf "$work"
}
trap cleanup EXIT

dynemu_port="$(free_port)"
dynalite_port="$(free_port)"
ceiling_port="$(free_port)"

# shellcheck disable=SC2086  # DYNEMU_SERVER_FLAGS is a list of flags
"$dynemu_bin" --port "$dynemu_port" --data-dir "$work/dynemu" --log-level warn \
  ${DYNEMU_SERVER_FLAGS:-} > "$work/dynemu.log" 2>&1 &
dynemu_pid=$!
pids+=("$dynemu_pid")
start_dynalite "$dynalite_dir" "$work/dynalite" "$dynalite_port" "$work/dynalite.log"
pids+=("$dynalite_pid")
"$ceiling_bin" "$ceiling_port" > "$work/ceiling.log" 2>&1 &
ceiling_pid=$!
pids+=("$ceiling_pid")
wait_port "$dynemu_port" "$dynemu_pid"
wait_port "$dynalite_port" "$dynalite_pid"
wait_port "$ceiling_port" "$ceiling_pid"

idle_dynemu="$(rss_mb "$dynemu_pid")"
idle_dynalite="$(rss_mb "$dynalite_pid")"
idle_ceiling="$(rss_mb "$ceiling_pid")"

# ---- the run
# Each round starts once all three servers are idle: a server's background
# work (LevelDB compaction after writes, node's collector) would otherwise run
# in the next server's round. DYNEMU_BENCH_SETTLE=0 turns this off.
settle=()
if [[ "${DYNEMU_BENCH_SETTLE:-1}" != 0 ]]; then
  settle=(--settle-pid "$dynemu_pid" --settle-pid "$dynalite_pid" --settle-pid "$ceiling_pid")
fi

"$bench_bin" \
  --endpoint "dynemu=http://127.0.0.1:$dynemu_port" \
  --endpoint "dynalite=http://127.0.0.1:$dynalite_port" \
  --endpoint "ceiling=http://127.0.0.1:$ceiling_port,raw" \
  "${settle[@]}" "$@" | tee "$work/results.txt"

rss_dynemu="$(rss_mb "$dynemu_pid")"
rss_dynalite="$(rss_mb "$dynalite_pid")"
rss_ceiling="$(rss_mb "$ceiling_pid")"

echo
echo "resident memory in MB, idle -> after the run: dynemu $idle_dynemu -> $rss_dynemu," \
  "dynalite $idle_dynalite -> $rss_dynalite, ceiling $idle_ceiling -> $rss_ceiling"
echo "machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)," \
  "$(awk '/^MemTotal:/ { printf "%.1f GB", $2 / 1048576 }' /proc/meminfo) RAM, load average" \
  "$(cut -d' ' -f1-3 /proc/loadavg)"
echo "dynalite $(sed -n 's/^  "version": "\(.*\)",/\1/p' "$dynalite_dir/package.json"), node $(node --version)"

# ---- the same as a Markdown table
echo
echo "| workload | dynemu req/s | p50 | p99 | dynalite req/s | p50 | p99 | ceiling req/s | dynemu/dynalite | dynemu/ceiling |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
awk -v rss="| resident memory after the run, MB | $rss_dynemu | | | $rss_dynalite | | | $rss_ceiling | | |" '
  /^RESULT / {
    delete f
    for (i = 2; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
    w = f["workload"]; e = f["endpoint"]
    if (!(w in seen)) { seen[w] = 1; order[++n] = w }
    avail[w, e] = f["available"]; rps[w, e] = f["rps"]
    p50[w, e] = f["p50_ms"]; p99[w, e] = f["p99_ms"]
    bad[w, e] = f["errors"] + f["wrong"]
  }
  function cell(w, e) {
    if (avail[w, e] != 1) return "n/a | | "
    return sprintf("%d%s | %.2f ms | %.2f ms", rps[w, e], bad[w, e] > 0 ? " (" bad[w, e] " bad)" : "", p50[w, e], p99[w, e])
  }
  function ratio(w, a, b) {
    if (avail[w, a] != 1 || avail[w, b] != 1 || rps[w, b] == 0) return "n/a"
    return sprintf("%.2f", rps[w, a] / rps[w, b])
  }
  END {
    for (i = 1; i <= n; i++) {
      w = order[i]
      split(cell(w, "ceiling"), c, " \\| ")
      printf "| %s | %s | %s | %s | %s | %s |\n", w, cell(w, "dynemu"), cell(w, "dynalite"),
        avail[w, "ceiling"] == 1 ? rps[w, "ceiling"] : "n/a", ratio(w, "dynemu", "dynalite"),
        ratio(w, "dynemu", "ceiling")
    }
    print rss
  }' "$work/results.txt"
