#!/usr/bin/env bash
# The demo: installs what is needed, builds, brings up the local sandbox (a bad
# release v1.2.0 live behind sshd on loopback, run by PM2), rolls it back with
# the real binary, shows the health endpoint and the record, and tears the
# sandbox down.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

scripts/setup.sh
scripts/build.sh "$root/build"

sandbox=$(mktemp -d /tmp/smo.XXXXXX)
cleanup() { scripts/sandbox/sandbox.sh down "$sandbox" --purge >/dev/null 2>&1 || true; }
trap cleanup EXIT

echo "== sandbox: v1.2.0 is live and unhealthy"
scripts/sandbox/sandbox.sh up "$sandbox" "$@" >/dev/null
# shellcheck disable=SC1091
. "$sandbox/sandbox.env"
node -e 'fetch(process.argv[1]).then(async r => console.log(r.status, await r.text()))' "$HEALTH_URL"

echo "== smo-rollback"
status=0
(cd "$OPERATOR_DIR" && TELEGRAM_BOT_TOKEN="$TELEGRAM_BOT_TOKEN" SMO_TELEGRAM_API="$SMO_TELEGRAM_API" \
  "$root/build/smo-rollback" --triggered-by "scripts/demo.sh") || status=$?

echo "== after: health and record"
node -e 'fetch(process.argv[1]).then(async r => console.log(r.status, await r.text()))' "$HEALTH_URL"
ls "$OPERATOR_DIR/docs/deploys/"
cat "$OPERATOR_DIR"/docs/deploys/*rollback*.md 2>/dev/null | head -60 || true
echo "smo-rollback exited $status"
exit "$status"
