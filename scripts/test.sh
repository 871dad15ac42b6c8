#!/usr/bin/env bash
# One command for every test: installs what is needed, checks formatting,
# builds, runs the unit tests under AddressSanitizer + UndefinedBehaviorSanitizer,
# then every unit and integration test (real sshd, git, npm, PM2, SQLite and
# a Bot API stand-in on loopback) with CTest.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

scripts/setup.sh

echo "== format"
git ls-files '*.cpp' '*.hpp' | xargs clang-format --dry-run -Werror

echo "== unit tests, sanitizers"
cmake -S "$root" -B "$root/build-sanitize" -DCMAKE_BUILD_TYPE=Debug -DSMO_SANITIZE=ON -DSMO_WERROR=ON >/dev/null
cmake --build "$root/build-sanitize" -j"$(nproc)" --target smo_unit_tests
"$root/build-sanitize/tests/smo_unit_tests"

echo "== all tests"
scripts/build.sh "$root/build"
ctest --test-dir "$root/build" --output-on-failure -j2 --timeout 600
