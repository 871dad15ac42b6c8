'use strict';
// Knex-like SQLite migrations run with the sqlite3 CLI.
//   node scripts/migrate.js up      apply every pending migration, as ONE new batch
//   node scripts/migrate.js down    revert the LAST batch, newest first
//   node scripts/migrate.js status  list applied migrations
// Migrations are migrations/NNN_name.up.sql and NNN_name.down.sql. `down` uses
// the .down.sql files of THIS checkout: a checkout older than the batch does
// not have them, and then `down` fails before changing anything.
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');
const { loadEnv } = require('../src/env');

const appRoot = path.resolve(__dirname, '..');
loadEnv([process.cwd(), appRoot]);
const migrationsDir = path.join(appRoot, 'migrations');
const databasePath = process.env.DATABASE_PATH || path.join(appRoot, 'data', 'app.db');

function sqlite(sql) {
  return execFileSync('sqlite3', ['-bail', '-separator', '|', databasePath], {
    input: sql,
    stdio: ['pipe', 'pipe', 'pipe'],
  }).toString();
}

function fail(message) {
  console.error(`Migration failed: ${message}`);
  process.exit(1);
}

function ensureTable() {
  fs.mkdirSync(path.dirname(databasePath), { recursive: true });
  sqlite(`CREATE TABLE IF NOT EXISTS knex_migrations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    batch INTEGER NOT NULL,
    migrated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')));`);
}

function applied() {
  const out = sqlite('SELECT name, batch FROM knex_migrations ORDER BY id;');
  return out.split('\n').filter(Boolean).map((line) => {
    const [name, batch] = line.split('|');
    return { name, batch: Number(batch) };
  });
}

function available() {
  return fs.readdirSync(migrationsDir)
    .filter((f) => f.endsWith('.up.sql'))
    .map((f) => f.slice(0, -'.up.sql'.length))
    .sort();
}

function quote(text) {
  return `'${text.replace(/'/g, "''")}'`;
}

// One transaction per migration: the SQL and its bookkeeping row together.
function run(name, direction, batch) {
  const file = path.join(migrationsDir, `${name}.${direction}.sql`);
  const body = fs.readFileSync(file, 'utf8');
  const bookkeeping = direction === 'up'
    ? `INSERT INTO knex_migrations (name, batch) VALUES (${quote(name)}, ${batch});`
    : `DELETE FROM knex_migrations WHERE name = ${quote(name)};`;
  try {
    sqlite(`BEGIN;\n${body}\n;\n${bookkeeping}\nCOMMIT;\n`);
  } catch (err) {
    fail(`${path.relative(appRoot, file)}: ${(err.stderr || err.message).toString().trim()}`);
  }
  console.log(`${direction === 'up' ? 'applied' : 'reverted'} ${name}`);
}

function up() {
  const rows = applied();
  const done = new Set(rows.map((m) => m.name));
  const pending = available().filter((name) => !done.has(name));
  if (pending.length === 0) {
    console.log('Already up to date');
    return;
  }
  const batch = Math.max(0, ...rows.map((m) => m.batch)) + 1;
  for (const name of pending) run(name, 'up', batch);
  console.log(`Batch ${batch} run: ${pending.length} migration(s)`);
}

function down() {
  const rows = applied();
  if (rows.length === 0) {
    console.log('Already at the base migration');
    return;
  }
  const batch = Math.max(...rows.map((m) => m.batch));
  const names = rows.filter((m) => m.batch === batch).map((m) => m.name).reverse();
  // Check every down file first: never revert half a batch.
  for (const name of names) {
    const file = path.join(migrationsDir, `${name}.down.sql`);
    if (!fs.existsSync(file)) {
      fail(`missing down migration ${path.relative(appRoot, file)} for ${name} (batch ${batch}); ` +
        'this checkout cannot revert it - run db:rollback from the release that added it');
    }
  }
  for (const name of names) run(name, 'down', batch);
  console.log(`Batch ${batch} rolled back: ${names.length} migration(s)`);
}

function status() {
  for (const m of applied()) console.log(`${m.batch}\t${m.name}`);
}

const commands = { up, down, status };
const command = commands[process.argv[2]];
if (!command) fail('usage: node scripts/migrate.js up|down|status');
ensureTable();
command();
