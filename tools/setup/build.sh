#!/usr/bin/env bash
# Configures (once) and builds dynemu in <repo>/build: Release, Ninja, two jobs.
# A second run only rebuilds what changed; CMake re-runs itself when a
# CMakeLists.txt or a globbed source list changes.
#
# If tools/setup/install-deps.sh --tests wrote build/test-env, the python and
# aws CLI named there are handed to CMake as DYNEMU_PYTHON / DYNEMU_AWS (and
# CMake is re-run only when they differ from what its cache holds).
# Extra arguments go to `cmake --build` (e.g. --target dynemu).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="$root/build"
cache="$build/CMakeCache.txt"

defines=()
if [[ -f "$build/test-env" ]]; then
  # shellcheck source=/dev/null
  source "$build/test-env"
  defines+=("-DDYNEMU_PYTHON=${DYNEMU_PYTHON}" "-DDYNEMU_AWS=${DYNEMU_AWS}")
fi

cached() {  # cached NAME: the value CMakeCache.txt holds for NAME, if any.
  sed -n "s/^$1:[A-Z]*=//p" "$cache" | head -n 1
}

if [[ ! -f "$cache" ]]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release "${defines[@]}"
elif [[ -f "$build/test-env" &&
        ( "$(cached DYNEMU_PYTHON)" != "$DYNEMU_PYTHON" ||
          "$(cached DYNEMU_AWS)" != "$DYNEMU_AWS" ) ]]; then
  # Keep the generator and build type the directory was configured with.
  cmake -S "$root" -B "$build" "${defines[@]}"
fi

cmake --build "$build" -j2 "$@"
