# shellcheck shell=bash
# Sourced by sandbox.sh: `--hosts N`, a fleet of N app hosts on this machine
# (scripts/sandbox/README.md). Host 1 is the sandbox as always; host i (2..N)
# lives in DIR/host-i: its own sshd (own port and keys), its own PM2 daemon
# (PM2_HOME=DIR/host-i/pm2), its own live tree DIR/host-i/live on its own app
# port, and the one SQLite database (DIR/data/app.db) that app servers behind
# a load balancer share. Uses the globals of sandbox.sh.

fleet_dir() {
  echo "$SANDBOX_DIR/host-$1"
}

# Host i deployed like host 1's last deploy: the bad release, built and
# started. The database is already migrated: a deploy migrates once.
deploy_extra_host() {
  local i=$1 dir live port
  dir=$(fleet_dir "$i")
  live="$dir/live"
  mkdir -p "$dir/ssh" "$dir/pm2"
  printf 'PM2_HOME=%s\nnpm_config_cache=%s\nHOME=%s\n' "$dir/pm2" "$npm_config_cache" \
    "$SANDBOX_DIR/target-home" >"$dir/ssh/setenv"
  "$SCRIPT_DIR/sshd.sh" start "$dir" >"$dir/sshd.out" 2>&1 </dev/null ||
    die "sshd.sh failed for host $i: $(cat "$dir/sshd.out")"
  sed -n 's/^SSH_PORT=//p' "$dir/sshd.out" >"$dir/ssh-port"
  port=$(random_free_port)
  echo "$port" >"$dir/app-port"
  step git clone -q "$SANDBOX_DIR/origin.git" "$live"
  step git -C "$live" checkout -q --detach v1.2.0
  cat >"$live/.env" <<EOF
# Untracked, as on a real server.
PORT=$port
DATABASE_PATH=$SANDBOX_DIR/data/app.db
SECRET=sandbox-secret-do-not-print
EOF
  (
    cd "$live"
    step npm ci --production
    step node scripts/build.js
    PM2_HOME="$dir/pm2" step pm2_cmd start dist/server.js --name smo-demo
  )
}

deploy_extra_hosts() {
  local i
  for ((i = 2; i <= OPT_HOSTS; i++)); do
    deploy_extra_host "$i"
  done
}

# For stop_all: every extra host's PM2 daemon and sshd.
stop_extra_hosts() {
  local dir
  for dir in "$SANDBOX_DIR"/host-*; do
    [[ -d "$dir" ]] || continue
    stop_pm2 "$dir/pm2"
    "$SCRIPT_DIR/sshd.sh" stop "$dir"
  done
}

# KEY=VALUE lines of hosts 2..N for sandbox.env.
fleet_env_lines() {
  local i dir
  echo "HOSTS=$OPT_HOSTS"
  for ((i = 2; i <= OPT_HOSTS; i++)); do
    dir=$(fleet_dir "$i")
    echo "HOST${i}_DIR=$dir"
    echo "HOST${i}_LIVE_PATH=$dir/live"
    echo "HOST${i}_APP_PORT=$(cat "$dir/app-port")"
    echo "HOST${i}_SSH_PORT=$(cat "$dir/ssh-port")"
    echo "HOST${i}_PM2_HOME=$dir/pm2"
  done
}

# The "hosts" array of project.json (JSON), or null for one host.
fleet_hosts_json() {
  local i dir out
  if ((OPT_HOSTS <= 1)); then
    echo null
    return 0
  fi
  out="[{\"name\":\"web-1\",\"health_url\":\"http://127.0.0.1:$APP_PORT/api/health\"}"
  for ((i = 2; i <= OPT_HOSTS; i++)); do
    dir=$(fleet_dir "$i")
    out+=",{\"name\":\"web-$i\",\"path\":\"$dir/live\","
    out+="\"health_url\":\"http://127.0.0.1:$(cat "$dir/app-port")/api/health\","
    out+="\"ssh\":{\"port\":$(cat "$dir/ssh-port"),\"identity_file\":\"$dir/ssh/user_ed25519\","
    out+="\"known_hosts\":\"$dir/ssh/known_hosts\"}}"
  done
  echo "$out]"
}
