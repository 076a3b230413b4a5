#!/usr/bin/env bash
# Installs what is missing (build tools, libraries, a python3 with boto3, the
# aws CLI), builds (incrementally) and runs every test with ctest. Exits with
# ctest's status: non-zero if any test fails or none could run.
# Extra arguments go to ctest (e.g. -R e2e, -L e2e, --repeat until-fail:3).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

"$root/tools/setup/install-deps.sh" --tests
"$root/tools/setup/build.sh"

# --timeout is the default for tests that set none (e2e tests set their own).
exec ctest --test-dir "$root/build" --output-on-failure -j2 --timeout 600 \
  --no-tests=error "$@"
