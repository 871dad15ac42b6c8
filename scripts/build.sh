#!/usr/bin/env bash
# Configures and builds into build/ (or $1). Extra arguments go to cmake.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$root/build}"
shift || true
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" -DSMO_WERROR=ON "$@" >/dev/null
cmake --build "$build" -j"$(nproc)"
