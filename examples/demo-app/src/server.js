'use strict';
// smo-demo: one HTTP server with a health endpoint that tells the truth about
// the build it runs (commit baked in at build time) and the database.
const http = require('http');
const path = require('path');
const fs = require('fs');
const { execFileSync } = require('child_process');
const { loadEnv } = require('./env');
const jsonLine = require('smo-demo-json'); // from node_modules: a real runtime dependency

const appRoot = path.resolve(__dirname, '..');
loadEnv([process.cwd(), appRoot]);

// Written by scripts/build.js: the commit and version of THIS build output.
const buildInfo = JSON.parse(fs.readFileSync(path.join(__dirname, 'build-info.json'), 'utf8'));
const port = Number(process.env.PORT || 3000);
const databasePath = process.env.DATABASE_PATH || path.join(appRoot, 'data', 'app.db');
const HEALTH_QUERY = 'select count(*) from knex_migrations';

function checkDatabase() {
  try {
    execFileSync('sqlite3', [databasePath, HEALTH_QUERY], { stdio: ['ignore', 'pipe', 'pipe'] });
    return { ok: true };
  } catch (err) {
    const detail = (err.stderr && err.stderr.toString().trim()) || err.message;
    return { ok: false, detail };
  }
}

function health() {
  const db = checkDatabase();
  const body = {
    status: db.ok ? 'ok' : 'error',
    commit: buildInfo.commit,
    version: buildInfo.version,
    uptime_seconds: Math.round(process.uptime()),
    deps: { db: db.ok ? 'ok' : 'error' },
  };
  if (!db.ok) body.error = db.detail;
  return { code: db.ok ? 200 : 500, body };
}

function send(res, code, body) {
  res.writeHead(code, { 'content-type': 'application/json' });
  res.end(jsonLine(body));
}

const server = http.createServer((req, res) => {
  const url = req.url.split('?')[0];
  if (req.method === 'GET' && (url === '/api/health' || url === '/health')) {
    const { code, body } = health();
    return send(res, code, body);
  }
  if (req.method === 'GET' && url === '/') {
    return send(res, 200, { app: 'smo-demo', version: buildInfo.version });
  }
  return send(res, 404, { error: 'not found' });
});

server.listen(port, '127.0.0.1', () => {
  console.log(`smo-demo ${buildInfo.version} (${buildInfo.commit.slice(0, 7)}) on 127.0.0.1:${port}`);
});

// PM2 reload sends SIGINT: finish in-flight requests, then exit.
process.on('SIGINT', () => server.close(() => process.exit(0)));
