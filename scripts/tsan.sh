#!/usr/bin/env bash
# Builds the unit tests with ThreadSanitizer (clang, -fsanitize=thread, into
# build-tsan/) and runs them: the fleet's parallel hosts, the bounded thread
# pool and the live clock's ticker are the threaded code. Any report fails the
# run. Not part of .ci/run (a TSan build of the whole suite costs minutes on two
# cores); run it after touching src/fleet/, src/output/ticker.* or anything a
# host thread calls. See CONTRIBUTING.md.
#   scripts/tsan.sh               every unit test
#   scripts/tsan.sh '[fleet]'     a Catch filter
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${SMO_TSAN_BUILD:-$root/build-tsan}"

cmake -S "$root" -B "$build" -DCMAKE_CXX_COMPILER="${SMO_TSAN_CXX:-clang++}" \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSMO_WERROR=ON \
  -DCMAKE_CXX_FLAGS="-fsanitize=thread" -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=thread" >/dev/null
cmake --build "$build" -j"$(nproc)" --target smo_unit_tests
TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 ${TSAN_OPTIONS:-}" \
  "$build/tests/smo_unit_tests" "$@"
