'use strict';
// A minimal .env reader (KEY=VALUE lines, # comments, optional quotes).
// Values already in process.env win, as with dotenv.
const fs = require('fs');
const path = require('path');

function parseEnv(text) {
  const values = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = line.slice(0, eq).trim().replace(/^export\s+/, '');
    let value = line.slice(eq + 1).trim();
    if (/^(['"]).*\1$/.test(value)) value = value.slice(1, -1);
    values[key] = value;
  }
  return values;
}

// Loads the first .env found in `dirs` into process.env.
function loadEnv(dirs) {
  for (const dir of dirs) {
    const file = path.join(dir, '.env');
    if (!fs.existsSync(file)) continue;
    const values = parseEnv(fs.readFileSync(file, 'utf8'));
    for (const [key, value] of Object.entries(values)) {
      if (process.env[key] === undefined) process.env[key] = value;
    }
    return file;
  }
  return null;
}

module.exports = { parseEnv, loadEnv };
