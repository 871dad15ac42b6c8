#!/usr/bin/env bash
# One command for every test: installs what is needed, checks formatting, then
#  1. the sanitizer build (ASan + UBSan, Debug): every unit and integration test
#     (real sshd, git, npm, PM2, SQLite and a Bot API stand-in on loopback) and
#     the fuzz corpus replays, the integration tests driving the sanitized binary;
#  2. the plain build (RelWithDebInfo, what users run): unit tests, fuzz replays,
#     the command-line tests and one whole rollback against the optimised binary;
#  3. the fuzzers (scripts/fuzz.sh, clang + libFuzzer): each target for
#     SMO_FUZZ_SECONDS (default 25; 0 skips them).
# What each part costs: docs/fuzzing.md.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

scripts/setup.sh

echo "== format"
git ls-files '*.cpp' '*.hpp' | xargs clang-format --dry-run -Werror

echo "== sanitizer build: unit, fuzz replay and integration tests under ASan + UBSan"
cmake -S "$root" -B "$root/build-sanitize" -DCMAKE_BUILD_TYPE=Debug -DSMO_SANITIZE=ON -DSMO_WERROR=ON >/dev/null
cmake --build "$root/build-sanitize" -j"$(nproc)"
# The unit tests as one process: one sanitized process per test costs minutes.
"$root/build-sanitize/tests/smo_unit_tests"
ctest --test-dir "$root/build-sanitize" --output-on-failure -j2 --timeout 600 -L 'integration|fuzz'

# The integration suite runs once, above. Here the optimised binary users get
# runs the tests that need no sandbox and one whole staged rollback.
echo "== plain build: unit tests, fuzz replays, command line and one rollback"
scripts/build.sh "$root/build"
"$root/build/tests/smo_unit_tests"
ctest --test-dir "$root/build" --output-on-failure -j2 --timeout 600 --no-tests=error \
  -R '^(fuzz replay: |integration:cli: |integration:a release answering 500 is rolled back)'

if [ "${SMO_FUZZ_SECONDS:-25}" != 0 ]; then
  echo "== fuzz: ${SMO_FUZZ_SECONDS:-25} s per target"
  scripts/fuzz.sh
fi
