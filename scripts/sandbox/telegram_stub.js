#!/usr/bin/env node
// A local stand-in for the Telegram Bot API, for the sandbox and the
// integration tests (no dependencies, Node 18+).
//
//   node telegram_stub.js --port-file F --log F [--script F] [--expect-token T]
//
// Listens on 127.0.0.1, port chosen by the system, and writes that port to the
// port file once it is listening. Answers:
//   POST /bot<token>/sendMessage   {chat_id, text}  → per the script, default ok
//   GET|POST /bot<token>/getMe                       → the stub bot
// With --expect-token (or STUB_EXPECT_TOKEN) any other token gets 401.
//
// Each request is one JSON line in the log file:
//   {"time", "method", "api_method", "token", "body", "status"}
// `token` is logged raw on purpose: the stub holds only test tokens, and tests
// check that the right one was sent. `body` is the parsed JSON when it parses.
//
// The script file (re-read on every sendMessage, so a test may append to it)
// holds one reply per line, consumed in order; blank lines and `#` comments are
// skipped; once used up, every send is answered ok:
//   ok              200 {"ok":true,"result":{...}}
//   429 N           429 with parameters.retry_after = N
//   500 | 502 | …   that status with {"ok":false,...}
//   400 text…       that status with description "text…"
//   hang N          wait N seconds, then answer ok (a slow API)
//   close           drop the connection without an answer
"use strict";

const fs = require("fs");
const http = require("http");
const path = require("path");

function parseArgs(argv) {
  const args = {};
  for (let i = 0; i < argv.length; i += 1) {
    const key = argv[i];
    if (!key.startsWith("--") || i + 1 >= argv.length) {
      throw new Error(`unexpected argument: ${key}`);
    }
    args[key.slice(2)] = argv[i + 1];
    i += 1;
  }
  if (!args["port-file"] || !args.log) {
    throw new Error("usage: telegram_stub.js --port-file F --log F [--script F] [--expect-token T]");
  }
  return args;
}

const args = parseArgs(process.argv.slice(2));
const expectedToken = args["expect-token"] || process.env.STUB_EXPECT_TOKEN || "";
let scriptUsed = 0;
let messageId = 0;

function nextScriptLine() {
  if (!args.script) {
    return "ok";
  }
  let lines = [];
  try {
    lines = fs
      .readFileSync(args.script, "utf8")
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line !== "" && !line.startsWith("#"));
  } catch (error) {
    return "ok"; // no script file (yet): the API works
  }
  if (scriptUsed >= lines.length) {
    return "ok";
  }
  const line = lines[scriptUsed];
  scriptUsed += 1;
  return line;
}

function logRequest(entry) {
  fs.appendFileSync(args.log, JSON.stringify(entry) + "\n");
}

function send(response, status, payload) {
  const text = JSON.stringify(payload);
  response.writeHead(status, {
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(text),
  });
  response.end(text);
}

function failure(status, description, extra) {
  return Object.assign({ ok: false, error_code: status, description }, extra || {});
}

function sentMessage(body) {
  messageId += 1;
  return {
    ok: true,
    result: {
      message_id: messageId,
      date: Math.floor(Date.now() / 1000),
      chat: { id: body && body.chat_id !== undefined ? body.chat_id : null },
      text: body && typeof body.text === "string" ? body.text : "",
    },
  };
}

// Answers one sendMessage per the next script line.
function answerSend(request, response, body, entry) {
  const line = nextScriptLine();
  const [word, ...rest] = line.split(/\s+/);
  if (word === "close") {
    entry.status = 0;
    logRequest(entry);
    request.socket.destroy();
    return;
  }
  if (word === "hang") {
    const seconds = Number(rest[0] || "30");
    setTimeout(() => {
      if (!response.writableEnded && !request.socket.destroyed) {
        entry.status = 200;
        logRequest(entry);
        send(response, 200, sentMessage(body));
      }
    }, seconds * 1000);
    return;
  }
  let status = 200;
  let payload = sentMessage(body);
  if (word === "429") {
    status = 429;
    const retryAfter = Number(rest[0] || "1");
    payload = failure(429, `Too Many Requests: retry after ${retryAfter}`, {
      parameters: { retry_after: retryAfter },
    });
  } else if (/^[1-5][0-9][0-9]$/.test(word) && word !== "200") {
    status = Number(word);
    payload = failure(status, rest.join(" ") || http.STATUS_CODES[status] || "error");
  }
  entry.status = status;
  logRequest(entry);
  send(response, status, payload);
}

function handle(request, response, raw) {
  const match = /^\/bot([^/]*)\/([A-Za-z]+)$/.exec(request.url.split("?")[0]);
  let body = raw;
  try {
    body = raw === "" ? null : JSON.parse(raw);
  } catch (error) {
    body = raw;
  }
  const entry = {
    time: new Date().toISOString(),
    method: request.method,
    api_method: match ? match[2] : null,
    token: match ? decodeURIComponent(match[1]) : null,
    body,
    status: 404,
  };
  if (!match) {
    logRequest(entry);
    send(response, 404, failure(404, "Not Found"));
    return;
  }
  if (expectedToken !== "" && entry.token !== expectedToken) {
    entry.status = 401;
    logRequest(entry);
    send(response, 401, failure(401, "Unauthorized"));
    return;
  }
  if (entry.api_method === "getMe" && (request.method === "GET" || request.method === "POST")) {
    entry.status = 200;
    logRequest(entry);
    send(response, 200, {
      ok: true,
      result: { id: 424242, is_bot: true, first_name: "smo stub", username: "smo_stub_bot" },
    });
    return;
  }
  if (entry.api_method === "sendMessage" && request.method === "POST") {
    if (!body || typeof body !== "object" || !body.chat_id || !body.text) {
      entry.status = 400;
      logRequest(entry);
      send(response, 400, failure(400, "Bad Request: chat_id and text are required"));
      return;
    }
    answerSend(request, response, body, entry);
    return;
  }
  logRequest(entry);
  send(response, 404, failure(404, "Not Found"));
}

const server = http.createServer((request, response) => {
  const chunks = [];
  request.on("data", (chunk) => chunks.push(chunk));
  request.on("end", () => handle(request, response, Buffer.concat(chunks).toString("utf8")));
});

server.listen(0, "127.0.0.1", () => {
  // Written whole, then renamed: a reader never sees half a port number.
  const portFile = path.resolve(args["port-file"]);
  const temporary = `${portFile}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, String(server.address().port));
  fs.renameSync(temporary, portFile);
});

function stop() {
  server.close(() => process.exit(0));
  if (typeof server.closeAllConnections === "function") {
    server.closeAllConnections();
  }
  // Hanging requests would keep close() waiting.
  setTimeout(() => process.exit(0), 200).unref();
}

process.on("SIGTERM", stop);
process.on("SIGINT", stop);
