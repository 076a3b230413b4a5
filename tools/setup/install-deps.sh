#!/usr/bin/env bash
# Installs the Debian packages dynemu needs, and only those that are missing.
#
#   tools/setup/install-deps.sh            what building and serving need
#   tools/setup/install-deps.sh --tests    also what the end-to-end tests need:
#                                          a python3 that imports boto3, and the
#                                          aws CLI
#
# Nothing missing: no apt-get at all, and no output beyond (with --tests) the
# two lines naming the python and aws the tests will use. Those two are also
# written to build/test-env, which tools/setup/build.sh hands to CMake.
# Runs as root; otherwise through sudo when sudo exists.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

with_tests=0
for arg in "$@"; do
  case "$arg" in
    --tests) with_tests=1 ;;
    *) echo "install-deps.sh: unknown argument: $arg" >&2; exit 2 ;;
  esac
done

# The build always wants the test and benchmark libraries: CMake builds the
# tests and benchmarks by default, and both README commands share one build.
packages=(
  build-essential cmake ninja-build
  libboost-dev libboost-program-options-dev libboost-filesystem-dev
  rapidjson-dev libleveldb-dev libsnappy-dev libspdlog-dev libfmt-dev
  libgtest-dev libgmock-dev libbenchmark-dev
)

is_installed() {
  # "ii" = wanted install, installed; anything else (absent, half-configured,
  # removed with config left) counts as missing.
  [[ "$(dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null)" == ii* ]]
}

missing=()
for pkg in "${packages[@]}"; do
  is_installed "$pkg" || missing+=("$pkg")
done

# A python3 with boto3: the one on PATH (a virtualenv, pyenv...) or the
# system's. sys.executable resolves shims to the real interpreter.
python_with_boto3() {
  local candidate
  for candidate in "$(command -v python3 || true)" /usr/bin/python3; do
    [[ -n "$candidate" && -x "$candidate" ]] || continue
    if "$candidate" -c 'import boto3, sys; print(sys.executable)' 2>/dev/null; then
      return 0
    fi
  done
  return 1
}

# An aws CLI that actually runs (a pyenv shim with no aws behind it does not).
working_aws() {
  local candidate
  candidate="$(command -v aws || true)"
  if [[ -n "$candidate" ]] && "$candidate" --version >/dev/null 2>&1; then
    echo "$candidate"
    return 0
  fi
  return 1
}

test_python=""
test_aws=""
if (( with_tests )); then
  test_python="$(python_with_boto3 || true)"
  [[ -n "$test_python" ]] || is_installed python3-boto3 || missing+=(python3-boto3)
  test_aws="$(working_aws || true)"
  [[ -n "$test_aws" ]] || is_installed awscli || missing+=(awscli)
fi

if (( ${#missing[@]} )); then
  sudo_cmd=()
  if [[ "$(id -u)" != 0 ]]; then
    if command -v sudo >/dev/null 2>&1; then
      sudo_cmd=(sudo)
    else
      echo "install-deps.sh: missing packages: ${missing[*]}" >&2
      echo "install-deps.sh: not root and no sudo; as root run:" >&2
      echo "  apt-get update && apt-get install -y ${missing[*]}" >&2
      exit 1
    fi
  fi
  echo "install-deps.sh: installing ${missing[*]}"
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null
fi

if (( with_tests )); then
  if [[ -z "$test_python" ]]; then
    test_python="$(/usr/bin/python3 -c 'import boto3, sys; print(sys.executable)' 2>/dev/null || true)"
  fi
  if [[ -z "$test_aws" ]]; then
    if /usr/bin/aws --version >/dev/null 2>&1; then test_aws=/usr/bin/aws; fi
  fi
  if [[ -z "$test_python" ]]; then
    echo "install-deps.sh: no python3 that can import boto3, even after installing python3-boto3" >&2
    exit 1
  fi
  if [[ -z "$test_aws" ]]; then
    echo "install-deps.sh: no working aws CLI, even after installing awscli" >&2
    exit 1
  fi
  echo "install-deps.sh: tests use python ${test_python} and aws ${test_aws}"
  mkdir -p "$root/build"
  {
    printf 'DYNEMU_PYTHON=%q\n' "$test_python"
    printf 'DYNEMU_AWS=%q\n' "$test_aws"
  } >"$root/build/test-env.tmp"
  mv "$root/build/test-env.tmp" "$root/build/test-env"
fi
