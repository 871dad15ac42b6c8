#!/usr/bin/env bash
# The local sandbox target (scripts/sandbox/README.md explains it): a real sshd, a bare origin with three tagged
# releases of examples/demo-app, a live checkout run by PM2 (its own PM2_HOME),
# SQLite migrations, an operator clone with .smorch/project.json and deploy
# records, and the Telegram Bot API stand-in when present.
#
#   sandbox.sh up DIR [--bad 500|crash|good] [--no-migration] [--deps-changed]
#                     [--version-bump] [--login-cost SECONDS]
#                     [--broken-previous] [--reversibility auto|manual|none]
#                     [--strategy staged|in-place] [--no-bad-record] [--bad-record-failed]
#                     [--tracked-env] [--uploads] [--hotfix-notes] [--hosts N]
#                     [--baked-root] [--app demo|next]
#   sandbox.sh down DIR [--purge]
#
# `up` leaves v1.2.0 (the bad release) live and writes DIR/sandbox.env. Keep DIR
# short (PM2 sockets live under DIR/pm2). `down` stops everything `up` started,
# even after a partial `up`. See scripts/sandbox/README.md.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
SOURCE_DIR=$(cd "$SCRIPT_DIR/../.." && pwd -P)
readonly SCRIPT_DIR SOURCE_DIR
readonly k_marker=.smo-sandbox

die() {
  echo "sandbox.sh: $*" >&2
  exit 1
}

usage() {
  sed -n '7,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

# shellcheck source=lib/processes.sh
source "$SCRIPT_DIR/lib/processes.sh"
# shellcheck source=lib/origin.sh
source "$SCRIPT_DIR/lib/origin.sh"
# shellcheck source=lib/operator.sh
source "$SCRIPT_DIR/lib/operator.sh"
# shellcheck source=lib/fleet.sh
source "$SCRIPT_DIR/lib/fleet.sh"
# shellcheck source=lib/next_app.sh
source "$SCRIPT_DIR/lib/next_app.sh"

OPT_BAD=500
OPT_NO_MIGRATION=0
OPT_DEPS_CHANGED=0
OPT_VERSION_BUMP=0
OPT_LOGIN_COST=0
OPT_BROKEN_PREVIOUS=0
OPT_REVERSIBILITY=auto
OPT_STRATEGY=staged
OPT_NO_BAD_RECORD=0
OPT_BAD_RECORD_FAILED=0
OPT_TRACKED_ENV=0
OPT_UPLOADS=0
OPT_HOTFIX_NOTES=0
OPT_HOSTS=1
OPT_APP=demo
OPT_BAKED_ROOT=0
OPT_PURGE=0

parse_options() {
  while (($# > 0)); do
    case "$1" in
      --bad)
        [[ "${2:-}" =~ ^(500|crash|good)$ ]] || die "--bad takes 500, crash or good"
        OPT_BAD=$2
        shift
        ;;
      --reversibility)
        [[ "${2:-}" =~ ^(auto|manual|none)$ ]] || die "--reversibility takes auto, manual or none"
        OPT_REVERSIBILITY=$2
        shift
        ;;
      --strategy)
        [[ "${2:-}" =~ ^(staged|in-place)$ ]] || die "--strategy takes staged or in-place"
        OPT_STRATEGY=$2
        shift
        ;;
      --no-migration) OPT_NO_MIGRATION=1 ;;
      --deps-changed) OPT_DEPS_CHANGED=1 ;;
      --version-bump) OPT_VERSION_BUMP=1 ;;
      --login-cost)
        [[ "${2:-}" =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "--login-cost takes seconds, e.g. 0.5"
        OPT_LOGIN_COST=$2
        shift
        ;;
      --broken-previous) OPT_BROKEN_PREVIOUS=1 ;;
      --no-bad-record) OPT_NO_BAD_RECORD=1 ;;
      --bad-record-failed) OPT_BAD_RECORD_FAILED=1 ;;
      --tracked-env) OPT_TRACKED_ENV=1 ;;
      --uploads) OPT_UPLOADS=1 ;;
      --hotfix-notes) OPT_HOTFIX_NOTES=1 ;;
      --baked-root) OPT_BAKED_ROOT=1 ;;
      --hosts)
        [[ "${2:-}" =~ ^[1-9]$ ]] || die "--hosts takes a number of hosts from 1 to 9"
        OPT_HOSTS=$2
        shift
        ;;
      --app)
        [[ "${2:-}" =~ ^(demo|next)$ ]] || die "--app takes demo or next"
        OPT_APP=$2
        shift
        ;;
      --purge) OPT_PURGE=1 ;;
      *) die "unknown option: $1" ;;
    esac
    shift
  done
  if ((OPT_NO_BAD_RECORD && OPT_BAD_RECORD_FAILED)); then
    die "--no-bad-record and --bad-record-failed exclude each other"
  fi
  if [[ "$OPT_APP" == next ]]; then
    check_next_options
  fi
}

# Prints "CODE BODY" of GET /api/health, or "000" when nothing answers.
health_get() {
  local response
  # shellcheck disable=SC2016 # expanded by the inner bash
  response=$(timeout 3 bash -c '
    exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
    printf "GET /api/health HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n" >&3
    cat <&3' _ "$APP_PORT" 2>/dev/null) || {
    echo 000
    return 0
  }
  local code body
  code=$(head -n1 <<<"$response" | awk '{print $2}')
  body=$(tail -n1 <<<"$response")
  echo "${code:-000} $body"
}

# Waits until the app answers $1 (an HTTP code) with commit $2; at most $3 s.
wait_for_health() {
  local want_code=$1 want_commit=$2 seconds=$3 got deadline
  deadline=$((SECONDS + seconds))
  while ((SECONDS <= deadline)); do
    got=$(health_get)
    if [[ "${got%% *}" == "$want_code" && "$got" == *"\"commit\":\"$want_commit\""* ]]; then
      return 0
    fi
    sleep 0.1
  done
  echo "last health answer: $got" >&2
  return 1
}

phase() {
  echo "== [$(date +%T.%N | cut -c1-12)] $*" >>"$UP_LOG"
}

# Runs a step of the deploy replay with its output in DIR/up.log.
step() {
  echo "+ [$(date +%T.%N | cut -c1-12)] $*" >>"$UP_LOG"
  "$@" >>"$UP_LOG" 2>&1 || {
    echo "sandbox.sh: step failed: $*" >&2
    tail -n 30 "$UP_LOG" >&2
    exit 1
  }
}

# PM2 hands the caller's whole environment to the app and stores it in
# PM2_HOME: give it a server-like one, not the test runner's.
pm2_cmd() {
  env -i HOME="$HOME" PATH="$PATH" LANG=C.UTF-8 PM2_HOME="$PM2_HOME" \
    npm_config_cache="$npm_config_cache" pm2 "$@"
}

# Replays /smo-deploy for one tag in DIR/live. The package scripts run with
# node directly: the same effect as `npm run build` / `npm run db:migrate`
# without npm's start-up per call (every integration test pays for `up`).
# `npm ci --production` runs for the live release, proving the lock file works.
deploy_tag() {
  local tag=$1 first=$2 install=$3
  step git -C "$LIVE" checkout -q --detach "$tag"
  # --tracked-env: leaving v1.1.0 (which tracked .env) deletes the file; the
  # operator wrote the real one back, as after the original incident.
  [[ -f "$LIVE/.env" ]] || write_env_file
  (
    cd "$LIVE"
    if ((install)); then
      step npm ci --production
    fi
    step node scripts/build.js
    step node scripts/migrate.js up
    if ((first)); then
      step pm2_cmd start dist/server.js --name smo-demo
    else
      step pm2_cmd reload smo-demo
    fi
  )
}

write_env_file() {
  cat >"$LIVE/.env" <<EOF
# Untracked, as on a real server.
PORT=$APP_PORT
DATABASE_PATH=$SANDBOX_DIR/data/app.db
SECRET=sandbox-secret-do-not-print
EOF
}

# --uploads: the users' files, in the directories every release's build also
# creates (empty) in its own tree.
write_user_files() {
  mkdir -p "$LIVE/uploads/avatars" "$LIVE/logs"
  printf 'user upload: avatar of user 42\n' >"$LIVE/uploads/avatars/42.png"
  printf 'user upload: invoice 7\n' >"$LIVE/uploads/invoice-7.pdf"
  printf '2026-12-01T10:00:00Z GET / 200\n' >"$LIVE/logs/access.log"
}

start_telegram_stub() {
  local stub="$SCRIPT_DIR/telegram_stub.js"
  TELEGRAM_PORT=""
  SMO_TELEGRAM_API=""
  # Written by another helper; until it exists the sandbox runs without it.
  [[ -f "$stub" ]] || return 0
  rm -f "$SANDBOX_DIR/telegram.port"
  setsid node "$stub" --port-file "$SANDBOX_DIR/telegram.port" --log "$SANDBOX_DIR/telegram.jsonl" \
    </dev/null >>"$SANDBOX_DIR/telegram.out" 2>&1 &
  echo $! >"$SANDBOX_DIR/telegram.pid"
  for _ in $(seq 1 100); do
    if [[ -s "$SANDBOX_DIR/telegram.port" ]]; then
      TELEGRAM_PORT=$(cat "$SANDBOX_DIR/telegram.port")
      SMO_TELEGRAM_API="http://127.0.0.1:$TELEGRAM_PORT"
      return 0
    fi
    sleep 0.05
  done
  die "telegram stub did not write its port; output: $(tail -5 "$SANDBOX_DIR/telegram.out")"
}

write_sandbox_env() {
  cat >"$SANDBOX_DIR/sandbox.env" <<EOF
SANDBOX_DIR=$SANDBOX_DIR
SSH_PORT=$SSH_PORT
SSH_USER=$(id -un)
APP_PORT=$APP_PORT
HEALTH_URL=http://127.0.0.1:$APP_PORT/api/health
PM2_HOME=$PM2_HOME
PM2_NAME=smo-demo
LIVE_PATH=$LIVE
ORIGIN=$SANDBOX_DIR/origin.git
OPERATOR_DIR=$SANDBOX_DIR/operator
KNOWN_HOSTS=$SANDBOX_DIR/ssh/known_hosts
USER_KEY=$SANDBOX_DIR/ssh/user_ed25519
DATABASE_PATH=$SANDBOX_DIR/data/app.db
TELEGRAM_PORT=$TELEGRAM_PORT
SMO_TELEGRAM_API=$SMO_TELEGRAM_API
TELEGRAM_BOT_TOKEN=test-token-123
BAD_MODE=$OPT_BAD
COMMIT_V1_0_0=$COMMIT_V1_0_0
COMMIT_V1_1_0=$COMMIT_V1_1_0
COMMIT_V1_2_0=$COMMIT_V1_2_0
EOF
  fleet_env_lines >>"$SANDBOX_DIR/sandbox.env"
}

# The demo's deploy history: v1.0.0, v1.1.0 (no install), v1.2.0 live.
deploy_demo_history() {
  deploy_tag v1.0.0 1 1
  wait_for_health 200 "$COMMIT_V1_0_0" 30 || die "v1.0.0 did not come up healthy"
  deploy_tag v1.1.0 0 0
  wait_for_health 200 "$COMMIT_V1_1_0" 30 || die "v1.1.0 did not come up healthy"
  rm -f "$SANDBOX_DIR/build-allow-v1.1.0"
  deploy_tag v1.2.0 0 1
  case "$OPT_BAD" in
    good) wait_for_health 200 "$COMMIT_V1_2_0" 30 || die "v1.2.0 (--bad good) is not healthy" ;;
    500) wait_for_health 500 "$COMMIT_V1_2_0" 30 || die "v1.2.0 (--bad 500) does not answer 500" ;;
    crash) sleep 1 ;; # never comes up; give PM2 a moment to start its restart loop
  esac
}

cmd_up() {
  mkdir -p "$SANDBOX_DIR"
  SANDBOX_DIR=$(cd "$SANDBOX_DIR" && pwd -P)
  if [[ -f "$SANDBOX_DIR/$k_marker" ]]; then
    # An earlier sandbox (up, down or half up) lives here: start from scratch.
    stop_all
    find "$SANDBOX_DIR" -mindepth 1 -delete
  elif [[ -n "$(ls -A "$SANDBOX_DIR")" ]]; then
    die "$SANDBOX_DIR is not empty and not a sandbox"
  fi
  touch "$SANDBOX_DIR/$k_marker"
  UP_LOG="$SANDBOX_DIR/up.log"
  LIVE="$SANDBOX_DIR/live"
  export PM2_HOME="$SANDBOX_DIR/pm2"
  export npm_config_cache="$SANDBOX_DIR/npm-cache"
  if [[ "$OPT_APP" == next ]]; then
    # The registry once, then this cache offline (lib/next_app.sh).
    ensure_next_template "$(next_app_dir)"
    npm_config_cache="$(next_app_dir)/npm-cache"
    export NEXT_TELEMETRY_DISABLED=1
  fi
  export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
  export GIT_AUTHOR_NAME="smo sandbox" GIT_AUTHOR_EMAIL="sandbox@localhost"
  export GIT_COMMITTER_NAME="smo sandbox" GIT_COMMITTER_EMAIL="sandbox@localhost"
  unset PORT DATABASE_PATH FEATURE_FLAGS_URL
  mkdir -p "$PM2_HOME" "$npm_config_cache" "$SANDBOX_DIR/data" "$SANDBOX_DIR/ssh"
  printf '%s\n' "$@" >"$SANDBOX_DIR/options"

  # SSH sessions get a home of their own, like a deploy user on a fresh server:
  # this machine's root profile (pyenv, cargo) costs seconds per login shell
  # and would swamp every stage's timing. --login-cost gives the profile the
  # cost a real server's has (/etc/profile.d, nvm: 0.3-1 s); every run of it
  # is counted in target-home/login-shells.
  mkdir -p "$SANDBOX_DIR/target-home"
  printf '%s\n' '# ~/.profile of the sandbox target user (a fresh Debian login shell).' \
    'export PATH="/usr/local/bin:/usr/bin:/bin:$PATH"' \
    'echo x >>"$HOME/login-shells"' >"$SANDBOX_DIR/target-home/.profile"
  if [[ "$OPT_LOGIN_COST" != 0 ]]; then
    printf 'sleep %s # --login-cost: what nvm and /etc/profile.d cost on a real server\n' \
      "$OPT_LOGIN_COST" >>"$SANDBOX_DIR/target-home/.profile"
  fi
  printf 'PM2_HOME=%s\nnpm_config_cache=%s\nHOME=%s\n' "$PM2_HOME" "$npm_config_cache" \
    "$SANDBOX_DIR/target-home" >"$SANDBOX_DIR/ssh/setenv"
  if [[ "$OPT_APP" == next ]]; then
    echo NEXT_TELEMETRY_DISABLED=1 >>"$SANDBOX_DIR/ssh/setenv"
  fi
  # sshd (key generation) and the PM2 daemon start while git builds the origin.
  phase sshd
  "$SCRIPT_DIR/sshd.sh" start "$SANDBOX_DIR" >"$SANDBOX_DIR/sshd.out" 2>&1 </dev/null &
  local sshd_job=$!
  pm2_cmd ping >/dev/null 2>&1 </dev/null &
  PM2_PING_PID=$!
  phase origin
  # The port first: --tracked-env commits a .env that names it.
  APP_PORT=$(random_free_port)
  if [[ "$OPT_APP" == next ]]; then
    build_next_origin
  else
    build_origin
  fi
  phase live
  git clone -q "$SANDBOX_DIR/origin.git" "$LIVE"
  write_env_file

  if ((OPT_BROKEN_PREVIOUS)); then
    touch "$SANDBOX_DIR/build-allow-v1.1.0"
  fi
  wait "$PM2_PING_PID" || die "the PM2 daemon did not start: $(tail -5 "$PM2_HOME/pm2.log" 2>/dev/null)"
  if [[ "$OPT_APP" == next ]]; then
    deploy_next_history
  else
    deploy_demo_history
  fi
  if ((OPT_UPLOADS)); then
    write_user_files
  fi
  phase fleet
  deploy_extra_hosts

  wait "$sshd_job" || die "sshd.sh failed: $(cat "$SANDBOX_DIR/sshd.out")"
  SSH_PORT=$(sed -n 's/^SSH_PORT=//p' "$SANDBOX_DIR/sshd.out")
  [[ -n "$SSH_PORT" ]] || die "sshd.sh did not report a port"
  phase operator
  build_operator
  phase telegram
  start_telegram_stub
  phase finished
  write_sandbox_env
  cat "$SANDBOX_DIR/sandbox.env"
}

kill_pid_file() {
  local file=$1 pid
  [[ -f "$file" ]] || return 0
  pid=$(cat "$file" 2>/dev/null || true)
  if owned_pid "$pid" "$SANDBOX_DIR"; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do
      pid_alive "$pid" || break
      sleep 0.05
    done
    if pid_alive "$pid"; then
      kill -9 "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$file"
}

stop_pm2() {
  local home="${1:-$SANDBOX_DIR/pm2}" pid
  [[ -d "$home" ]] || return 0
  # Only talk to a daemon that runs: any pm2 call would start one.
  if [[ -f "$home/pm2.pid" ]] && owned_pid "$(cat "$home/pm2.pid")" "$SANDBOX_DIR"; then
    PM2_HOME="$home" timeout 20 pm2 kill >/dev/null 2>&1 || true
  fi
  kill_pid_file "$home/pm2.pid"
  # Apps whose daemon died without stopping them.
  for pid in "$home"/pids/*.pid; do
    [[ -f "$pid" ]] && kill_pid_file "$pid"
  done
  return 0
}

stop_all() {
  stop_pm2
  stop_extra_hosts
  "$SCRIPT_DIR/sshd.sh" stop "$SANDBOX_DIR"
  kill_pid_file "$SANDBOX_DIR/telegram.pid"
}

cmd_down() {
  [[ -d "$SANDBOX_DIR" ]] || return 0
  SANDBOX_DIR=$(cd "$SANDBOX_DIR" && pwd -P)
  stop_all
  rm -f "$SANDBOX_DIR/sandbox.env"
  if ((OPT_PURGE)); then
    if [[ -f "$SANDBOX_DIR/$k_marker" ]]; then
      rm -rf "$SANDBOX_DIR"
    else
      # Never rm -rf a directory the sandbox did not make.
      rmdir "$SANDBOX_DIR" 2>/dev/null || die "not a sandbox, not removed: $SANDBOX_DIR"
    fi
  fi
}

main() {
  (($# >= 2)) || usage
  local action=$1
  SANDBOX_DIR=$2
  shift 2
  parse_options "$@"
  case "$action" in
    up) cmd_up "$@" ;;
    down) cmd_down ;;
    *) usage ;;
  esac
}

main "$@"
