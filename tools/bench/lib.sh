# shellcheck shell=bash
# Shell functions the bench scripts share (sourced, not run): free loopback
# ports, waiting for a server, resident memory, starting dynalite.

# port_free PORT: nothing accepts connections on 127.0.0.1:PORT.
port_free() { ! (exec 3<> "/dev/tcp/127.0.0.1/$1") 2> /dev/null; }

# free_port: a free port in 20000-59999, never one this script was given before.
free_port() {
  local port
  while true; do
    port=$((20000 + RANDOM % 40000))
    if port_free "$port" && [[ " ${bench_used_ports:-} " != *" $port "* ]]; then
      bench_used_ports="${bench_used_ports:-} $port"
      echo "$port"
      return
    fi
  done
}

# wait_port PORT PID: waits (up to 15 s) until PORT accepts connections; fails
# at once if PID dies.
wait_port() {
  local _
  for _ in $(seq 1 300); do
    port_free "$1" || return 0
    kill -0 "$2" 2> /dev/null || { echo "${0##*/}: server on port $1 died" >&2; return 1; }
    sleep 0.05
  done
  echo "${0##*/}: nothing listens on port $1" >&2
  return 1
}

# rss_mb PID: VmRSS in MB, and its anonymous and file-backed parts (the
# executable and libraries; dynemu reads LevelDB's files with pread, so their
# pages stay in the kernel's page cache, outside its RSS).
rss_mb() {
  awk '/^VmRSS:/ { t = $2 } /^RssAnon:/ { a = $2 } /^RssFile:/ { f = $2 }
       END { printf "%.1f (anon %.1f, file %.1f)", t / 1024, a / 1024, f / 1024 }' "/proc/$1/status"
}

# start_dynalite DYNALITE_DIR DATA_DIR PORT LOG: dynalite in the background,
# its LevelDB on disk in DATA_DIR, tables ACTIVE at once; sets dynalite_pid.
start_dynalite() {
  node -e "require(process.argv[1])({path: process.argv[2], createTableMs: 0, deleteTableMs: 0,
             updateTableMs: 0}).listen(Number(process.argv[3]), '127.0.0.1')" \
    "$1" "$2" "$3" > "$4" 2>&1 &
  # shellcheck disable=SC2034  # read by the caller
  dynalite_pid=$!
}
