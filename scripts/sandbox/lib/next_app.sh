# shellcheck shell=bash
# Sourced by sandbox.sh: `up --app next`, a real Next.js 14 app (create-next-app's
# template: TypeScript, Tailwind, ESLint, App Router) built with
# `output: 'standalone'` and run by PM2 as `node .next/standalone/server.js`,
# the way a standalone deploy runs it. Never used by the tests: the template
# and its packages come from the npm registry once, into SMO_NEXT_APP_DIR
# (default ~/.cache/smo-rollback/next-app: template/, with-dep/, npm-cache/),
# and every later `up` installs from that cache offline. Uses the globals of
# sandbox.sh.

next_app_dir() {
  echo "${SMO_NEXT_APP_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/smo-rollback/next-app}"
}

# The template (v1.0.0's package files) and with-dep/ (v1.1.0's: the template
# plus the dependency v1.1.0 adds, clsx), made once with network access.
ensure_next_template() {
  local dir=$1
  if [[ -f "$dir/template/package-lock.json" && -f "$dir/with-dep/package-lock.json" ]]; then
    return 0
  fi
  mkdir -p "$dir"
  rm -rf "$dir/template" "$dir/with-dep"
  echo "sandbox.sh: --app next: fetching create-next-app@14's template into $dir (once)" >&2
  (
    cd "$dir" || exit 1
    local cache="$dir/npm-cache"
    npm_config_cache=$cache npx --yes create-next-app@14 template --ts --tailwind --eslint --app --no-src-dir \
      --import-alias '@/*' --use-npm
    rm -rf template/.git template/node_modules
    mkdir with-dep
    cp template/package.json template/package-lock.json with-dep/
    cd with-dep
    npm_config_cache=$cache npm install --package-lock-only --ignore-scripts clsx@2
    npm_config_cache=$cache npm cache add clsx@2
  ) >>"$dir/prepare.log" 2>&1 || die "--app next: could not prepare $dir (see $dir/prepare.log)"
}

# name, version and the build a standalone deploy runs (the server needs
# .next/static and public beside it), in package.json and its lock file.
next_package_files() {
  local work=$1 version=$2
  node - "$work" "$version" <<'EOF'
const fs = require('fs');
const [dir, version] = process.argv.slice(2);
for (const name of ['package.json', 'package-lock.json']) {
  const file = `${dir}/${name}`;
  const json = JSON.parse(fs.readFileSync(file, 'utf8'));
  json.name = 'smo-next';
  json.version = version;
  if (json.packages && json.packages['']) Object.assign(json.packages[''], { name: 'smo-next', version });
  if (name === 'package.json') {
    json.scripts.build =
      'next build && cp -r public .next/standalone/ && cp -r .next/static .next/standalone/.next/';
    json.scripts.start = 'node .next/standalone/server.js';
  }
  fs.writeFileSync(file, JSON.stringify(json, null, 2) + '\n');
}
EOF
}

# /api/health answers the commit and version the build baked in (next.config.mjs);
# $2 = 500 makes it fail as the demo's bad release does.
write_next_health() {
  local work=$1 bad=$2
  mkdir -p "$work/app/api/health"
  {
    echo 'export const dynamic = "force-dynamic";'
    echo 'const build = { commit: process.env.APP_COMMIT ?? "", version: process.env.APP_VERSION ?? "" };'
    echo 'export function GET() {'
    if [[ "$bad" == 500 ]]; then
      echo '  const error = "relation feature_flags_cache does not exist";'
      echo '  return Response.json({ status: "error", ...build, error }, { status: 500 });'
    else
      echo '  return Response.json({ status: "ok", ...build });'
    fi
    echo '}'
  } >"$work/app/api/health/route.ts"
}

write_next_config() {
  cat >"$1/next.config.mjs" <<'EOF'
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

// The commit and version of THIS build, served by /api/health.
const commit = execFileSync("git", ["rev-parse", "HEAD"]).toString().trim();
const { version } = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8"));

/** @type {import('next').NextConfig} */
const nextConfig = {
  output: "standalone",
  env: { APP_COMMIT: commit, APP_VERSION: version },
};

export default nextConfig;
EOF
}

# v1.1.0 uses the dependency it adds.
write_next_badge() {
  cat >"$1/app/badge.tsx" <<'EOF'
import clsx from "clsx";

export function Badge({ live }: { live: boolean }) {
  return <span className={clsx("rounded px-2", live ? "bg-green-200" : "bg-gray-200")}>posts</span>;
}
EOF
  node - "$1/app/page.tsx" <<'EOF'
const fs = require('fs');
const file = process.argv[2];
let text = fs.readFileSync(file, 'utf8');
text = 'import { Badge } from "./badge";\n' + text;
text = text.replace('<main className', '<Badge live />\n      <main className');
fs.writeFileSync(file, text);
EOF
}

# Builds DIR/origin.git with v1.0.0 (the template), v1.1.0 (adds clsx) and
# v1.2.0 (an `npm version` bump that fails its health check unless --bad good).
# shellcheck disable=SC2034 # the COMMIT_* globals are read by sandbox.sh
build_next_origin() {
  local dir work="$SANDBOX_DIR/.work"
  dir=$(next_app_dir)
  rm -rf "$work" "$SANDBOX_DIR/origin.git"
  mkdir -p "$work"
  git init -q -b main "$work"
  cp -a "$dir/template/." "$work/"
  rm -f "$work/next-env.d.ts"
  mkdir -p "$work/public"
  printf 'User-agent: *\nAllow: /\n' >"$work/public/robots.txt"
  write_next_config "$work"
  write_next_health "$work" good
  next_package_files "$work" 1.0.0
  commit_release "$work" v1.0.0 5 "smo-next 1.0.0"

  cp "$dir/with-dep/package.json" "$dir/with-dep/package-lock.json" "$work/"
  next_package_files "$work" 1.1.0
  write_next_badge "$work"
  commit_release "$work" v1.1.0 3 "smo-next 1.1.0: posts badge (adds clsx)"

  next_package_files "$work" 1.2.0
  write_next_health "$work" "$OPT_BAD"
  commit_release "$work" v1.2.0 1 "smo-next 1.2.0: feature flags"

  git init -q --bare -b main "$SANDBOX_DIR/origin.git"
  git -C "$work" push -q "$SANDBOX_DIR/origin.git" main --tags
  COMMIT_V1_0_0=$(git -C "$work" rev-parse 'v1.0.0^{commit}')
  COMMIT_V1_1_0=$(git -C "$work" rev-parse 'v1.1.0^{commit}')
  COMMIT_V1_2_0=$(git -C "$work" rev-parse 'v1.2.0^{commit}')
  rm -rf "$work"
}

# A standalone deploy of one tag in DIR/live: npm ci (the build needs the
# devDependencies), npm run build, then PM2 runs .next/standalone/server.js.
deploy_next_tag() {
  local tag=$1 first=$2
  step git -C "$LIVE" checkout -q --detach "$tag"
  (
    cd "$LIVE" || exit 1
    step npm ci --prefer-offline
    step npm run build
    if ((first)); then
      # pm2_cmd's environment, and where the standalone server listens.
      # shellcheck disable=SC2154 # npm_config_cache: exported by sandbox.sh
      step env -i HOME="$HOME" PATH="$PATH" LANG=C.UTF-8 PM2_HOME="$PM2_HOME" \
        npm_config_cache="$npm_config_cache" NEXT_TELEMETRY_DISABLED=1 \
        PORT="$APP_PORT" HOSTNAME=127.0.0.1 \
        pm2 start "$LIVE/.next/standalone/server.js" --name smo-demo
    else
      step pm2_cmd reload smo-demo
    fi
  )
}

# v1.0.0 is in the history and the records, but only v1.1.0 and v1.2.0 are
# built here: each `next build` costs tens of seconds.
deploy_next_history() {
  deploy_next_tag v1.1.0 1
  wait_for_health 200 "$COMMIT_V1_1_0" 60 || die "v1.1.0 did not come up healthy"
  deploy_next_tag v1.2.0 0
  case "$OPT_BAD" in
    good) wait_for_health 200 "$COMMIT_V1_2_0" 60 || die "v1.2.0 (--bad good) is not healthy" ;;
    500) wait_for_health 500 "$COMMIT_V1_2_0" 60 || die "v1.2.0 (--bad 500) does not answer 500" ;;
  esac
}

# The options that only make sense for the demo app.
check_next_options() {
  if [[ "$OPT_BAD" == crash ]] || ((OPT_DEPS_CHANGED || OPT_BROKEN_PREVIOUS || OPT_TRACKED_ENV ||
    OPT_UPLOADS || OPT_BAKED_ROOT || OPT_HOSTS > 1)); then
    die "--app next takes only --bad 500|good, --login-cost, --strategy, --reversibility and the record options"
  fi
}
