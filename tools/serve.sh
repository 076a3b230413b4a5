#!/usr/bin/env bash
# Installs what is missing, builds (incrementally) and runs the server on
# 127.0.0.1:8000 with its LevelDB data in ./dynemu-data (relative to where you
# run this). Extra arguments go to the server and replace the defaults they
# name, e.g. `tools/serve.sh --port 9000` or `tools/serve.sh --in-memory`.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

"$root/tools/setup/install-deps.sh"
"$root/tools/setup/build.sh" --target dynemu

has_flag() {  # has_flag NAME ARGS...: true if ARGS hold --NAME, --NAME=... or -NAME
  local name="$1" arg
  shift
  for arg in "$@"; do
    [[ "$arg" == "--$name" || "$arg" == "--$name="* || "$arg" == "-$name" ]] && return 0
  done
  return 1
}

defaults=()
if ! has_flag help "$@" && ! has_flag h "$@"; then
  has_flag host "$@" || defaults+=(--host 127.0.0.1)
  has_flag port "$@" || defaults+=(--port 8000)
  if ! has_flag data-dir "$@" && ! has_flag in-memory "$@"; then
    defaults+=(--data-dir ./dynemu-data)
  fi
fi

exec "$root/build/server/dynemu" "${defaults[@]}" "$@"
