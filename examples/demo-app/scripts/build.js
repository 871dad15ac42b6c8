'use strict';
// Build: copy src/ to dist/ and bake the commit and version of the checkout
// into dist/build-info.json, so the health endpoint reports what was BUILT
// (a rollback that serves a stale build is caught by the commit check).
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');

const appRoot = path.resolve(__dirname, '..');
const src = path.join(appRoot, 'src');
const dist = path.join(appRoot, 'dist');

const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: appRoot }).toString().trim();
const version = fs.readFileSync(path.join(appRoot, 'VERSION'), 'utf8').trim();

fs.rmSync(dist, { recursive: true, force: true });
fs.cpSync(src, dist, { recursive: true });
const info = { commit, version, built_at: new Date().toISOString() };
fs.writeFileSync(path.join(dist, 'build-info.json'), JSON.stringify(info, null, 2) + '\n');
console.log(`built smo-demo ${version} at ${commit.slice(0, 7)} into dist/`);
