# shellcheck shell=bash
# Sourced by sandbox.sh: the operator's clone DIR/operator, with the
# .smorch/project.json and docs/deploys/ records that /smo-deploy would have
# left. Uses the globals of sandbox.sh.

days_ago_date() {
  date -u -d "-$1 days" '+%Y-%m-%d'
}

# The repository's own .smorch/project.json is the sample config the demo uses
# (scripts/sandbox/README.md): it is copied, and only what differs per sandbox is set here:
# addresses, ports, paths, keys, and the options of `up`.
write_project_json() {
  local file=$1
  node - "$SOURCE_DIR/.smorch/project.json" "$file" <<EOF
const fs = require('fs');
const [sample, out] = process.argv.slice(2);
const config = JSON.parse(fs.readFileSync(sample, 'utf8'));
const env = config.deploy.production;
delete env.host; // the sample's alias names no real host here
env.tailscale_ip = '127.0.0.1';
env.path = '$SANDBOX_DIR/live';
env.health_url = 'http://127.0.0.1:$APP_PORT/api/health';
env.migration_reversibility = '$OPT_REVERSIBILITY';
env.ssh = Object.assign({}, env.ssh, {
  user: '$(id -un)',
  port: $SSH_PORT,
  identity_file: '$SANDBOX_DIR/ssh/user_ed25519',
  known_hosts: '$SANDBOX_DIR/ssh/known_hosts',
});
env.rollback.strategy = '$OPT_STRATEGY';
const hosts = $(fleet_hosts_json);
if (hosts) {
  env.hosts = hosts;
}
fs.writeFileSync(out, JSON.stringify(config, null, 2) + '\n');
EOF
}

# v1.0.0 was recorded by an older tool: YAML front matter.
write_front_matter_record() {
  local dir=$1 tag=$2 commit=$3 days=$4 date
  date=$(days_ago_date "$days")
  cat >"$dir/$date-$tag.md" <<EOF
---
tag: $tag
commit: $commit
env: production
status: success
deployed_at: $(date -u -d "-$days days" '+%Y-%m-%dT')09:30:00Z
---

# Deploy $tag to production

Deployed by hand before /smo-deploy existed.
EOF
}

# /smo-deploy's own output: **Key:** value lines, date only in the file name.
write_smo_deploy_record() {
  local dir=$1 tag=$2 commit=$3 days=$4 health=$5 outcome=$6 date
  date=$(days_ago_date "$days")
  cat >"$dir/$date-$tag.md" <<EOF
# $outcome

**Project:** smo-demo
**Target:** production (127.0.0.1)
**Tag:** $tag
**Commit:** ${commit:0:7}
**Health check:** $health
**Deploy time:** 41s

## Steps
- git fetch --tags && git checkout $tag
- npm ci --production
- npm run build
- npm run db:migrate
- pm2 reload smo-demo
EOF
}

# --hotfix-notes: meeting notes filed among the records, under a name that
# looks like one (date-tag.md) although no tag hotfix-notes exists.
write_hotfix_notes() {
  local dir=$1
  cat >"$dir/$(days_ago_date 2)-hotfix-notes.md" <<EOF
# Hotfix call notes

- Agreed to ship the posts fix in the next release, not as a hotfix.
- Action: check the email job after the next deploy.
EOF
}

build_operator() {
  local op="$SANDBOX_DIR/operator"
  rm -rf "$op"
  git clone -q "$SANDBOX_DIR/origin.git" "$op"
  mkdir -p "$op/.smorch" "$op/docs/deploys" "$op/docs/incidents"
  write_project_json "$op/.smorch/project.json"
  local deploys="$op/docs/deploys"
  write_front_matter_record "$deploys" v1.0.0 "$COMMIT_V1_0_0" 5
  write_smo_deploy_record "$deploys" v1.1.0 "$COMMIT_V1_1_0" 3 \
    "200 OK (commit matched)" "✅ Deploy complete"
  if ((OPT_BAD_RECORD_FAILED)); then
    write_smo_deploy_record "$deploys" v1.2.0 "$COMMIT_V1_2_0" 1 \
      "FAILED (500)" "❌ Deploy failed: health check"
  elif ((!OPT_NO_BAD_RECORD)); then
    write_smo_deploy_record "$deploys" v1.2.0 "$COMMIT_V1_2_0" 1 \
      "200 OK (commit matched)" "✅ Deploy complete"
  fi
  if ((OPT_HOTFIX_NOTES)); then
    write_hotfix_notes "$deploys"
  fi
  touch "$op/docs/incidents/.gitkeep"
  git -C "$op" add .smorch docs
  git -C "$op" commit -q -m "smo-demo: project.json and deploy records"
}
