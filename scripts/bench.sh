#!/usr/bin/env bash
# Benchmark (not a test): times the real binary against fresh local sandboxes
# (scripts/sandbox/) and prints medians of N runs:
#   staged rollback   --bad 500, strategy staged   (the default)
#   in-place rollback --bad 500, strategy in-place (the literal runbook)
#   drill             --bad good, --dry-run
# Figures come from the binary's own --json events: the result's `seconds`
# (the SLA clock: process start to health green) and each stage's seconds.
# The "live window" is stage 8 (reload), the only stage that changes the live
# tree in either strategy: in-place checks out, installs and builds there.
#
# Usage: scripts/bench.sh [--runs N] [--build-dir DIR] [-- sandbox up options...]
# e.g.   scripts/bench.sh --runs 3 -- --deps-changed
# Builds with scripts/build.sh when DIR/smo-rollback is missing. Each sandbox
# is brought up, used once and torn down (about 30-60 s each on 2 cores).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

runs=1
build="$root/build"
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=${2:?--runs needs a number}; shift 2 ;;
    --build-dir) build=${2:?--build-dir needs a directory}; shift 2 ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
case "$runs" in ''|*[!0-9]*|0) echo "bench.sh: --runs wants a positive integer" >&2; exit 2 ;; esac

binary="$build/smo-rollback"
if [ ! -x "$binary" ]; then
  echo "== building into $build" >&2
  "$root/scripts/build.sh" "$build" >&2
fi

results=$(mktemp -d /tmp/smo-bench.XXXXXX)
sandbox=""
cleanup() {
  if [ -n "$sandbox" ]; then
    "$root/scripts/sandbox/sandbox.sh" down "$sandbox" --purge >/dev/null 2>&1 || true
  fi
  rm -rf "$results"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# run_scenario NAME RUN BINARY-ARGS... -- SANDBOX-OPTIONS...
run_scenario() {
  local name=$1 run=$2
  shift 2
  local args=()
  while [ "$1" != "--" ]; do args+=("$1"); shift; done
  shift
  sandbox=$(mktemp -d /tmp/smo.XXXXXX)
  echo "== $name, run $run: sandbox up $*" >&2
  if ! "$root/scripts/sandbox/sandbox.sh" up "$sandbox" "$@" "${extra[@]}" >"$results/up.log" 2>&1; then
    echo "bench.sh: sandbox up failed for $name:" >&2
    tail -30 "$results/up.log" >&2
    exit 1
  fi
  local operator_dir token api
  operator_dir=$(sed -n 's/^OPERATOR_DIR=//p' "$sandbox/sandbox.env")
  token=$(sed -n 's/^TELEGRAM_BOT_TOKEN=//p' "$sandbox/sandbox.env")
  api=$(sed -n 's/^SMO_TELEGRAM_API=//p' "$sandbox/sandbox.env")
  local out="$results/$name.$run.jsonl" status=0 begin end
  begin=$(date +%s%N)
  (cd "$operator_dir" && env -u SSH_AUTH_SOCK HOME="$sandbox/home" NO_COLOR=1 \
    TELEGRAM_BOT_TOKEN="$token" SMO_TELEGRAM_API="$api" \
    "$binary" --json --triggered-by "scripts/bench.sh" "${args[@]}") \
    >"$out" 2>"$results/$name.$run.err" || status=$?
  end=$(date +%s%N)
  echo "{\"event\":\"bench\",\"wall_seconds\":$(( (end - begin) / 1000000 ))e-3,\"exit\":$status}" >>"$out"
  if [ "$status" -ne 0 ]; then
    echo "bench.sh: $name run $run exited $status; its figures are left out:" >&2
    tail -20 "$results/$name.$run.err" >&2
    mv "$out" "$out.failed"
  fi
  "$root/scripts/sandbox/sandbox.sh" down "$sandbox" --purge >/dev/null 2>&1 || true
  sandbox=""
}

for run in $(seq 1 "$runs"); do
  run_scenario staged "$run" -- --bad 500 --strategy staged
  run_scenario in-place "$run" -- --bad 500 --strategy in-place
  run_scenario drill "$run" --dry-run -- --bad good
done

node - "$results" "$runs" "$(nproc)" <<'EOF'
const fs = require('fs');
const path = require('path');
const [dir, runs, cores] = process.argv.slice(2);
const median = (xs) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const scenarios = ['staged', 'in-place', 'drill'];
const data = {};
for (const name of scenarios) {
  const files = fs.readdirSync(dir).filter((f) => f.startsWith(name + '.') && f.endsWith('.jsonl'));
  const rows = files.map((f) => {
    const events = fs.readFileSync(path.join(dir, f), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const row = { stages: {} };
    for (const e of events) {
      if (e.event === 'stage' && e.status !== 'running') row.stages[e.n] = e.seconds;
      if (e.event === 'result') { row.total = e.seconds; row.sla = e.sla_seconds; }
      if (e.event === 'bench') row.wall = e.wall_seconds;
    }
    return row;
  });
  const pick = (f) => median(rows.map(f).filter((x) => typeof x === 'number'));
  data[name] = {
    runs: rows.length,
    total: pick((r) => r.total),
    wall: pick((r) => r.wall),
    sla: pick((r) => r.sla),
    stages: Array.from({ length: 12 }, (_, i) => pick((r) => r.stages[i + 1])),
  };
}
const f1 = (x) => (Number.isFinite(x) ? x.toFixed(1) : '-');
const f2 = (x) => (Number.isFinite(x) ? x.toFixed(2) : '-');
const pad = (s, n) => String(s).padStart(n);
console.log(`smo-rollback benchmark: medians of ${runs} run(s) per scenario, ${cores} core(s)`);
console.log('seconds; total = the SLA clock (process start to health green); wall = the whole process');
console.log('');
let head = pad('scenario', 9) + pad('ok', 4) + pad('total', 7) + pad('wall', 7) + pad('SLA', 5) + pad('tot/SLA', 8);
for (let n = 1; n <= 12; n++) head += pad('s' + n, 6);
console.log(head);
for (const name of scenarios) {
  const d = data[name];
  let line = pad(name, 9) + pad(d.runs, 4) + pad(f1(d.total), 7) + pad(f1(d.wall), 7) + pad(d.sla, 5) + pad(f2(d.total / d.sla), 8);
  for (const s of d.stages) line += pad(f1(s), 6);
  console.log(line);
}
const staged = data['staged'];
const inPlace = data['in-place'];
console.log('');
console.log('live change window (stage 8, reload): staged ' + f1(staged.stages[7]) + ' s, in-place ' + f1(inPlace.stages[7]) + ' s');
console.log('ratios:');
console.log('  staged total / SLA                        ' + f2(staged.total / staged.sla));
console.log('  in-place total / SLA                      ' + f2(inPlace.total / inPlace.sla));
console.log('  drill total / SLA                         ' + f2(data.drill.total / data.drill.sla));
console.log('  in-place total / staged total             ' + f2(inPlace.total / staged.total));
console.log('  staged live window / in-place live window ' + f2(staged.stages[7] / inPlace.stages[7]));
const failed = fs.readdirSync(dir).filter((f) => f.endsWith('.failed'));
if (failed.length) {
  console.log('');
  console.log('left out (non-zero exit): ' + failed.join(', '));
  process.exitCode = 1;
}
EOF
