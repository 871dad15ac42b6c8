# shellcheck shell=bash
# Sourced by sandbox.sh: builds the bare origin DIR/origin.git with three tagged
# releases of examples/demo-app. Uses the globals of sandbox.sh (SANDBOX_DIR,
# SOURCE_DIR, OPT_*).

# Commits and tags are dated like a real history, days apart.
commit_release() {
  local work=$1 tag=$2 days_ago=$3 message=$4 when
  when=$(date -u -d "-$days_ago days -2 hours" '+%Y-%m-%dT%H:%M:%SZ')
  git -C "$work" add -A
  GIT_AUTHOR_DATE=$when GIT_COMMITTER_DATE=$when git -C "$work" commit -q -m "$message"
  # Annotated, as release tooling makes them: `git rev-parse TAG` is the tag
  # object, `TAG^{commit}` the commit. Tools must not confuse the two.
  GIT_COMMITTER_DATE=$when git -C "$work" tag -a -m "Release $tag" "$tag"
}

# Replaces the one occurrence of the literal text $2 in file $1 by $3; fails
# when $2 does not occur exactly once (the demo app changed under the script).
replace_once() {
  local file=$1 from=$2 to=$3 text rest
  text=$(<"$file")
  [[ "$text" == *"$from"* ]] || return 1
  rest=${text#*"$from"}
  [[ "$rest" != *"$from"* ]] || return 1
  printf '%s\n' "${text%%"$from"*}$to$rest" >"$file"
}

set_version() {
  local work=$1 version=$2
  echo "$version" >"$work/VERSION"
  if ((OPT_VERSION_BUMP)); then
    npm_version "$work" "$version"
  fi
}

# --version-bump: what `npm version X` does to the package files (the root's
# version in package.json and package-lock.json), nothing else.
npm_version() {
  node - "$1" "$2" <<'EOF'
const fs = require('fs');
const [dir, version] = process.argv.slice(2);
for (const name of ['package.json', 'package-lock.json']) {
  const file = `${dir}/${name}`;
  const json = JSON.parse(fs.readFileSync(file, 'utf8'));
  json.version = version;
  if (json.packages && json.packages['']) json.packages[''].version = version;
  fs.writeFileSync(file, JSON.stringify(json, null, 2) + '\n');
}
EOF
}

overlay() {
  local work=$1 release=$2
  cp -a "$SOURCE_DIR/scripts/sandbox/releases/$release/." "$work/"
}

# --broken-previous: v1.1.0's build refuses to run unless the sandbox allows it
# (the sandbox allows it only while replaying the deploy history).
break_build() {
  local work=$1 allow_file=$2
  local marker="const appRoot = path.resolve(__dirname, '..');"
  grep -qF "$marker" "$work/scripts/build.js" || die "build.js changed: cannot apply --broken-previous"
  node - "$work/scripts/build.js" "$allow_file" "$marker" <<'EOF'
const fs = require('fs');
const [file, allow, marker] = process.argv.slice(2);
const guard = `
// This release pinned a toolchain that is no longer installed on the server.
if (!fs.existsSync(${JSON.stringify(allow)})) {
  console.error('BUILD FAILED: smo-demo v1.1.0 cannot be built any more:');
  console.error('  legacy asset toolchain not found (missing ${allow}).');
  process.exit(1);
}`;
fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(marker, marker + '\n' + guard));
EOF
}

# --bad 500: the release queries a table that does not exist, so every health
# check fails with a database error.
make_health_fail() {
  local work=$1
  local from="const HEALTH_QUERY = 'select count(*) from knex_migrations';"
  local to="const HEALTH_QUERY = 'select count(*) from feature_flags_cache';"
  replace_once "$work/src/server.js" "$from" "$to" || die "server.js changed: cannot apply --bad 500"
}

# --bad crash: the release throws while booting; PM2 restarts it in a loop
# (and `pm2 reload` still prints a green tick).
make_boot_crash() {
  local work=$1
  local marker="const { loadEnv } = require('./env');"
  cat >"$work/src/flags.js" <<'EOF'
'use strict';
// Feature flags come from a service that this release requires at boot.
function load() {
  if (!process.env.FEATURE_FLAGS_URL) {
    throw new Error('FEATURE_FLAGS_URL is not set: cannot load feature flags');
  }
}
module.exports = { load };
EOF
  replace_once "$work/src/server.js" "$marker" "$marker"$'\n'"require('./flags').load();" ||
    die "server.js changed: cannot apply --bad crash"
}

# --deps-changed: the dependency sets of v1.1.0 and v1.2.0 differ (the root's
# engines in the lockfile, beside the version), and `npm ci` still works offline.
change_deps() {
  local work=$1
  node - "$work" <<'EOF'
const fs = require('fs');
const dir = process.argv[2];
const pkg = JSON.parse(fs.readFileSync(`${dir}/package.json`, 'utf8'));
pkg.version = '1.2.0';
pkg.engines = { node: '>=18' };
fs.writeFileSync(`${dir}/package.json`, JSON.stringify(pkg, null, 2) + '\n');
const lock = JSON.parse(fs.readFileSync(`${dir}/package-lock.json`, 'utf8'));
lock.version = '1.2.0';
Object.assign(lock.packages[''], { version: '1.2.0', engines: { node: '>=18' } });
fs.writeFileSync(`${dir}/package-lock.json`, JSON.stringify(lock, null, 2) + '\n');
EOF
}

# --uploads: the build also makes uploads/ and logs/ (git-ignored), as many
# apps' builds do, so the staged release has ones of its own.
make_build_mkdir_user_dirs() {
  local work=$1
  cat >>"$work/scripts/build.js" <<'EOF'
// Runtime directories the app writes into (users' files, logs), each with a
// file of the build's own (git does not list an empty directory).
fs.mkdirSync(path.join(appRoot, 'uploads'), { recursive: true });
fs.writeFileSync(path.join(appRoot, 'uploads', '.keep'), '');
fs.mkdirSync(path.join(appRoot, 'logs'), { recursive: true });
fs.writeFileSync(path.join(appRoot, 'logs', 'build.log'), `built ${version} at ${commit}\n`);
EOF
  grep -qxF 'uploads/' "$work/.gitignore" || printf 'uploads/\nlogs/\n' >>"$work/.gitignore"
}

# --baked-root: as Next.js's `output: 'standalone'` does (server.js and
# required-server-files.json name the directory it was built in), the build
# writes its own absolute directory into dist/server-files.json and the server
# reads its build from there at boot. Built in one tree and moved to another,
# it boots only if that path is rewritten.
make_build_bake_root() {
  local work=$1
  cat >>"$work/scripts/build.js" <<'EOF'
// The directory this build ran in, absolute (docs/stages.md, stage 6).
fs.writeFileSync(path.join(dist, 'server-files.json'), JSON.stringify({ appDir: appRoot }) + '\n');
EOF
}

make_server_read_baked_root() {
  local work=$1
  local from="const buildInfo = JSON.parse(fs.readFileSync(path.join(__dirname, 'build-info.json'), 'utf8'));"
  local to="const serverFiles = JSON.parse(fs.readFileSync(path.join(__dirname, 'server-files.json'), 'utf8'));
const buildInfoFile = path.join(serverFiles.appDir, 'dist', 'build-info.json');
const buildInfo = JSON.parse(fs.readFileSync(buildInfoFile, 'utf8'));"
  replace_once "$work/src/server.js" "$from" "$to" || die "server.js changed: cannot apply --baked-root"
}

# --tracked-env: v1.1.0 committed a .env by mistake (git add -f past the
# ignore rule), stale values included; v1.2.0 removed it from the repository.
commit_env_by_mistake() {
  local work=$1
  cat >"$work/.env" <<EOF
# Committed by mistake in 1.1.0: stale values.
PORT=$APP_PORT
DATABASE_PATH=$SANDBOX_DIR/data/app.db
SECRET=stale-secret-committed-in-v1.1.0
EOF
  git -C "$work" add -f .env
}

remove_committed_env() {
  local work=$1
  git -C "$work" rm -q --cached .env
  rm -f "$work/.env"
}

# Builds DIR/origin.git; sets COMMIT_V1_0_0, COMMIT_V1_1_0, COMMIT_V1_2_0.
# shellcheck disable=SC2034 # the COMMIT_* globals are read by sandbox.sh
build_origin() {
  local work="$SANDBOX_DIR/.work"
  rm -rf "$work" "$SANDBOX_DIR/origin.git"
  mkdir -p "$work"
  git init -q -b main "$work"
  cp -a "$SOURCE_DIR/examples/demo-app/." "$work/"
  rm -rf "$work/node_modules" "$work/dist" "$work/data" "$work"/.env*
  if ((OPT_UPLOADS)); then
    make_build_mkdir_user_dirs "$work"
  fi
  if ((OPT_BAKED_ROOT)); then
    make_build_bake_root "$work"
    make_server_read_baked_root "$work"
  fi

  commit_release "$work" v1.0.0 5 "smo-demo 1.0.0: users"

  set_version "$work" 1.1.0
  overlay "$work" v1.1.0
  if ((OPT_BROKEN_PREVIOUS)); then
    break_build "$work" "$SANDBOX_DIR/build-allow-v1.1.0"
  fi
  if ((OPT_TRACKED_ENV)); then
    commit_env_by_mistake "$work"
  fi
  commit_release "$work" v1.1.0 3 "smo-demo 1.1.0: posts"

  set_version "$work" 1.2.0
  # The newer release builds again (only v1.1.0 is broken).
  cp "$SOURCE_DIR/examples/demo-app/scripts/build.js" "$work/scripts/build.js"
  if ((OPT_UPLOADS)); then
    make_build_mkdir_user_dirs "$work"
  fi
  if ((OPT_BAKED_ROOT)); then
    make_build_bake_root "$work"
  fi
  if ((OPT_TRACKED_ENV)); then
    remove_committed_env "$work"
  fi
  if ((!OPT_NO_MIGRATION)); then
    overlay "$work" v1.2.0
  fi
  case "$OPT_BAD" in
    500) make_health_fail "$work" ;;
    crash) make_boot_crash "$work" ;;
    good) ;;
  esac
  if ((OPT_DEPS_CHANGED)); then
    change_deps "$work"
  fi
  commit_release "$work" v1.2.0 1 "smo-demo 1.2.0: feature flags"

  git init -q --bare -b main "$SANDBOX_DIR/origin.git"
  git -C "$work" push -q "$SANDBOX_DIR/origin.git" main --tags
  COMMIT_V1_0_0=$(git -C "$work" rev-parse 'v1.0.0^{commit}')
  COMMIT_V1_1_0=$(git -C "$work" rev-parse 'v1.1.0^{commit}')
  COMMIT_V1_2_0=$(git -C "$work" rev-parse 'v1.2.0^{commit}')
  rm -rf "$work"
}
