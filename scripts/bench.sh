#!/usr/bin/env bash
# Benchmark (never a test): smo-rollback against the runbook it replaces, on
# fresh local sandboxes (scripts/sandbox/), alternating scenario by scenario
# over N rounds so that a change in the machine's load hits all of them:
#   runbook   the literal bash runbook: one `ssh … bash -lc` per step (fetch,
#             db:rollback, checkout, npm ci, build, pm2 reload, all in the live
#             tree), `sleep 10`, one curl
#   cold      smo-rollback --json (staged, nothing prepared)
#   prepared  `smo-rollback prepare`, then smo-rollback (only when the binary
#             has the prepare subcommand); only the rollback is timed
#   hostsN    smo-rollback --json on a fleet of N hosts (sandbox --hosts N,
#             N = 2..9): compare with `cold`, the same on one host
# Each sandbox: --bad 500 (v1.2.0 live and failing, roll back to v1.1.0),
# --version-bump (releases are `npm version` bumps of an app with a real
# dependency), and the target user's login shell costing --login-cost seconds
# (default 0.5: what /etc/profile.d and nvm cost on a real server).
# --app next: the app is a real Next.js 14 app (create-next-app's template,
# `output: 'standalone'`, sandbox.sh --app next) instead of the demo; its
# template and packages come from the npm registry once, into
# SMO_NEXT_APP_DIR (default ~/.cache/smo-rollback/next-app); the runbook has
# no db:rollback step (the app has no migrations). Opt-in: no test runs it.
# Prints medians, ratios to the runbook, per-stage medians, and the tool's
# CPU time and peak RSS (/usr/bin/time).
#
# Usage: scripts/bench.sh [--rounds N] [--login-cost S] [--build-dir DIR] [--app demo|next]
#                         [--only runbook,cold,prepared] [-- sandbox up options...]
# e.g.   scripts/bench.sh --rounds 5 --login-cost 0.5
#        scripts/bench.sh --rounds 3 --only cold,hosts2,hosts4
#        scripts/bench.sh --rounds 1 --app next --only runbook,cold
# Builds with scripts/build.sh when DIR/smo-rollback is missing.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

rounds=3
login_cost=0.5
build="$root/build"
only="runbook,cold,prepared"
app=demo
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds | --runs) rounds=${2:?$1 needs a number}; shift 2 ;;
    --login-cost) login_cost=${2:?--login-cost needs seconds}; shift 2 ;;
    --build-dir) build=${2:?--build-dir needs a directory}; shift 2 ;;
    --only) only=${2:?--only needs a list}; shift 2 ;;
    --app) app=${2:?--app needs demo or next}; shift 2 ;;
    --) shift; extra=("$@"); break ;;
    -h | --help) sed -n '2,30p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
case "$rounds" in '' | *[!0-9]* | 0) echo "bench.sh: --rounds wants a positive integer" >&2; exit 2 ;; esac
case "$app" in demo | next) ;; *) echo "bench.sh: --app takes demo or next" >&2; exit 2 ;; esac

build=$(realpath -m "$build") # the tool runs from the sandbox's operator directory
binary="$build/smo-rollback"
if [ ! -x "$binary" ]; then
  echo "== building into $build" >&2
  "$root/scripts/build.sh" "$build" >&2
fi
# The live release fails its health check (--bad 500), so no yes is needed;
# a binary that knows --yes gets it anyway, never to stop at a prompt.
yes=()
if "$binary" --help 2>&1 | grep -q -- '--yes'; then
  yes=(--yes)
fi
scenarios=()
fleets=$(tr ',' '\n' <<<"$only" | grep -E '^hosts[2-9]$' | tr '\n' ' ' || true)
for name in runbook cold prepared $fleets; do
  if [[ ",$only," == *",$name,"* ]]; then
    if [ "$name" = prepared ] && ! "$binary" --help 2>&1 | grep -qw prepare; then
      echo "bench.sh: $binary has no prepare subcommand: the prepared scenario is left out" >&2
      continue
    fi
    scenarios+=("$name")
  fi
done

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

now_ns() { date +%s%N; }

# The runbook, literally: every step its own ssh connection and login shell.
runbook() {
  local env_file=$1 out=$2
  # shellcheck disable=SC1090
  . "$env_file"
  local ssh_args=(-F /dev/null -p "$SSH_PORT" -i "$USER_KEY" -o IdentitiesOnly=yes -o BatchMode=yes
    -o UserKnownHostsFile="$KNOWN_HOSTS" -o StrictHostKeyChecking=yes "$SSH_USER@127.0.0.1")
  step() {
    local begin end
    begin=$(now_ns)
    ssh "${ssh_args[@]}" "bash -lc $(printf '%q' "$2")" >>"$out.log" 2>&1
    end=$(now_ns)
    echo "{\"event\":\"stage\",\"status\":\"ok\",\"name\":\"$1\",\"seconds\":$(((end - begin) / 1000000))e-3}" >>"$out"
  }
  local begin end
  begin=$(now_ns)
  step fetch "cd $LIVE_PATH && git fetch --tags origin"
  if [ "$app" = demo ]; then
    step db-rollback "cd $LIVE_PATH && npm run db:rollback"
  fi
  step checkout "cd $LIVE_PATH && git checkout -q v1.1.0"
  step install "cd $LIVE_PATH && npm ci"
  step build "cd $LIVE_PATH && npm run build"
  step reload "pm2 reload $PM2_NAME"
  sleep 10
  curl -fsS "$HEALTH_URL" >>"$out.log"
  end=$(now_ns)
  echo "{\"event\":\"bench\",\"wall_seconds\":$(((end - begin) / 1000000))e-3,\"exit\":0}" >>"$out"
}

# smo-rollback ARGS... under /usr/bin/time, events to $out.
tool() {
  local env_file=$1 out=$2
  shift 2
  local operator_dir token api status=0 begin end
  operator_dir=$(sed -n 's/^OPERATOR_DIR=//p' "$env_file")
  token=$(sed -n 's/^TELEGRAM_BOT_TOKEN=//p' "$env_file")
  api=$(sed -n 's/^SMO_TELEGRAM_API=//p' "$env_file")
  begin=$(now_ns)
  (cd "$operator_dir" && env -u SSH_AUTH_SOCK HOME="$sandbox/home" NO_COLOR=1 \
    TELEGRAM_BOT_TOKEN="$token" SMO_TELEGRAM_API="$api" \
    /usr/bin/time -o "$out.time" -f '%U %S %M' \
    "$binary" "$@" --json) >>"$out" 2>>"$out.err" || status=$?
  end=$(now_ns)
  read -r user sys rss <"$out.time"
  echo "{\"event\":\"bench\",\"wall_seconds\":$(((end - begin) / 1000000))e-3,\"exit\":$status,\"cpu_seconds\":$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }'),\"peak_rss_kb\":$rss}" >>"$out"
  return "$status"
}

run_scenario() {
  local name=$1 round=$2
  local hosts=()
  if [[ "$name" == hosts* ]]; then
    hosts=(--hosts "${name#hosts}")
  fi
  sandbox=$(mktemp -d /tmp/smo.XXXXXX)
  echo "== round $round, $name: sandbox up" >&2
  if ! "$root/scripts/sandbox/sandbox.sh" up "$sandbox" --bad 500 --version-bump \
    --login-cost "$login_cost" --app "$app" "${hosts[@]}" "${extra[@]}" >"$results/up.log" 2>&1; then
    echo "bench.sh: sandbox up failed for $name:" >&2
    tail -30 "$results/up.log" >&2
    exit 1
  fi
  local env_file="$sandbox/sandbox.env" out="$results/$name.$round.jsonl" ok=1
  : >"$sandbox/target-home/login-shells"
  case "$name" in
    runbook) runbook "$env_file" "$out" || ok=0 ;;
    cold | hosts*) tool "$env_file" "$out" "${yes[@]}" || ok=0 ;;
    prepared)
      tool "$env_file" "$results/prepare.$round.jsonl" prepare || ok=0
      : >"$sandbox/target-home/login-shells"
      tool "$env_file" "$out" "${yes[@]}" || ok=0
      ;;
  esac
  echo "{\"event\":\"login_shells\",\"count\":$(wc -l <"$sandbox/target-home/login-shells")}" >>"$out"
  if [ "$ok" -ne 1 ]; then
    echo "bench.sh: $name round $round failed; its figures are left out:" >&2
    tail -n 20 "$out.err" "$out.log" "$results/prepare.$round.jsonl.err" >&2 2>/dev/null || true
    mv "$out" "$out.failed"
  fi
  "$root/scripts/sandbox/sandbox.sh" down "$sandbox" --purge >/dev/null 2>&1 || true
  sandbox=""
}

for round in $(seq 1 "$rounds"); do
  for name in "${scenarios[@]}"; do
    run_scenario "$name" "$round"
  done
done

node - "$results" "$rounds" "$(nproc)" "$login_cost" "$app" "${scenarios[@]}" <<'EOF'
const fs = require('fs');
const path = require('path');
const [dir, rounds, cores, loginCost, app, ...scenarios] = process.argv.slice(2);
const median = (xs) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const data = {};
for (const name of scenarios) {
  const files = fs.readdirSync(dir).filter((f) => f.startsWith(name + '.') && f.endsWith('.jsonl'));
  const rows = files.map((f) => {
    const lines = fs.readFileSync(path.join(dir, f), 'utf8').trim().split('\n');
    const row = { stages: {} };
    for (const l of lines) {
      let e;
      try { e = JSON.parse(l); } catch { continue; }
      if (e.event === 'stage' && e.status !== 'running') row.stages[e.name] = e.seconds;
      if (e.event === 'result') row.total = e.seconds;
      if (e.event === 'bench') Object.assign(row, { wall: e.wall_seconds, cpu: e.cpu_seconds, rss: e.peak_rss_kb });
      if (e.event === 'login_shells') row.logins = e.count;
    }
    if (name === 'runbook') row.total = row.wall;
    return row;
  });
  const pick = (f) => median(rows.map(f).filter((x) => typeof x === 'number'));
  const stageNames = [...new Set(rows.flatMap((r) => Object.keys(r.stages)))];
  data[name] = {
    runs: rows.length,
    total: pick((r) => r.total), wall: pick((r) => r.wall), cpu: pick((r) => r.cpu),
    rss: pick((r) => r.rss), logins: pick((r) => r.logins),
    stages: stageNames.map((s) => [s, pick((r) => r.stages[s])]),
  };
}
const f1 = (x) => (Number.isFinite(x) ? x.toFixed(1) : '-');
const f2 = (x) => (Number.isFinite(x) ? x.toFixed(2) : '-');
const pad = (s, n) => String(s).padStart(n);
console.log(`smo-rollback vs the runbook (${app} app): medians of ${rounds} round(s), ${cores} core(s), login shell +${loginCost} s`);
console.log('seconds. total: the runbook from its first ssh to the curl; the tool from process start to');
console.log('health green (its SLA clock). wall: the whole process. logins: login shells the target ran.');
console.log('');
console.log(pad('scenario', 9) + pad('ok', 4) + pad('total', 7) + pad('wall', 7) + pad('/runbook', 9) +
  pad('logins', 7) + pad('cpu s', 7) + pad('rss MB', 7));
const base = data.runbook ? data.runbook.wall : NaN;
for (const name of scenarios) {
  const d = data[name];
  console.log(pad(name, 9) + pad(d.runs, 4) + pad(f1(d.total), 7) + pad(f1(d.wall), 7) +
    pad(f2(d.wall / base), 9) + pad(f1(d.logins), 7) + pad(f2(d.cpu), 7) + pad(f1(d.rss / 1024), 7));
}
console.log('');
console.log('per-stage medians (s):');
for (const name of scenarios) {
  console.log('  ' + name + ': ' + data[name].stages.map(([s, v]) => `${s} ${f1(v)}`).join(', '));
}
const failed = fs.readdirSync(dir).filter((f) => f.endsWith('.failed'));
if (failed.length) {
  console.log('');
  console.log('left out (failed): ' + failed.join(', '));
  process.exitCode = 1;
}
EOF
