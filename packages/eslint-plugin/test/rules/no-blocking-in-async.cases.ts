import * as espree from 'espree';
import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';
import type { NoBlockingInAsyncMessageId as MessageId, NoBlockingInAsyncOptions as Options } from '@overlap/core';

/**
 * The RuleTester cases of no-blocking-in-async, shared with the test that applies every suggestion and type-checks the
 * result. Realistic service code; plain JS cases run under ESLint's default parser (espree with eslint-scope).
 * Valid cases include every false-positive class met on published packages (see docs/rules/no-blocking-in-async.md).
 */
const plainModule = { parser: espree, sourceType: 'module', ecmaVersion: 'latest' } as const;
const plainCommonJs = { parser: espree, sourceType: 'commonjs', ecmaVersion: 'latest' } as const;
void plainModule;
void plainCommonJs;

export const valid: ValidTestCase<Options>[] = [
  {
    name: "module level: configuration read once at import time",
    code: `import fs from 'node:fs';
const config = JSON.parse(fs.readFileSync(new URL('./config.json', import.meta.url), 'utf8'));
export async function handler() {
  return config.greeting;
}`,
  },
  {
    name: "main() is start-up code",
    code: `import { readFileSync } from 'node:fs';
async function main() {
  const settings = JSON.parse(readFileSync('settings.json', 'utf8'));
  await startServer(settings);
}
main().catch((error) => { console.error(error); process.exit(1); });`,
  },
  {
    name: "bootstrap-named",
    code: `import * as fs from 'fs';
export async function bootstrapApp(app: { listen(port: number): Promise<void> }) {
  fs.mkdirSync('logs', { recursive: true });
  await app.listen(3000);
}`,
  },
  {
    name: "module-private function only called at module level",
    code: `import fs from 'fs';
import express from 'express';
async function loadTemplates(dir: string) {
  const names = fs.readdirSync(dir);
  return names.map((name) => fs.readFileSync(dir + '/' + name, 'utf8'));
}
const templates = await loadTemplates('./views');
const app = express();
app.get('/', async (req, res) => { res.send(templates[0]); });
app.listen(8080);`,
  },
  {
    name: "top-level async IIFE",
    code: `import fs from 'fs';
(async () => {
  const schema = fs.readFileSync('schema.sql', 'utf8');
  await db.exec(schema);
})();`,
  },
  {
    name: "CLI entry point (shebang)",
    code: `#!/usr/bin/env node
import fs from 'node:fs';
async function convert(file: string) {
  const input = fs.readFileSync(file, 'utf8');
  fs.writeFileSync(file + '.out', await transform(input));
}
await Promise.all(process.argv.slice(2).map(convert));`,
  },
  {
    name: "plain sync function: we cannot tell when it runs",
    code: `import fs from 'fs';
export function readConfig(path: string) {
  return JSON.parse(fs.readFileSync(path, 'utf8'));
}`,
  },
  {
    name: "the async API",
    code: `import fs from 'node:fs';
export async function loadUser(id: string) {
  const text = await fs.promises.readFile('/data/users/' + id + '.json', 'utf8');
  return JSON.parse(text);
}`,
  },
  {
    name: "fs/promises",
    code: `import { readFile, writeFile } from 'node:fs/promises';
export async function bump(path: string) {
  const count = Number(await readFile(path, 'utf8')) + 1;
  await writeFile(path, String(count));
}`,
  },
  {
    name: "a local function that happens to be named like fs's",
    code: `function readFileSync(key: string) { return cache.get(key); }
export async function lookup(key: string) {
  return readFileSync(key) ?? (await fetchRemote(key));
}`,
  },
  {
    name: "a parameter named fs is not the module",
    code: `export async function copy(fs: { readFileSync(p: string): string; writeFileSync(p: string, d: string): void }, from: string, to: string) {
  fs.writeFileSync(to, fs.readFileSync(from));
}`,
  },
  {
    name: "worker thread: blocking work is what workers are for",
    code: `import { parentPort } from 'node:worker_threads';
import zlib from 'node:zlib';
parentPort!.on('message', async (buffer: Buffer) => {
  parentPort!.postMessage(zlib.gzipSync(buffer));
});`,
  },
  {
    name: "test callbacks",
    code: `import fs from 'node:fs';
import { describe, it, expect } from 'vitest';
describe('report', () => {
  it('writes the summary', async () => {
    await generateReport('out');
    expect(fs.readFileSync('out/summary.txt', 'utf8')).toContain('total');
  });
});`,
  },
  {
    name: "commander action: runs once per CLI invocation",
    code: `import { Command } from 'commander';
import fs from 'node:fs';
const program = new Command();
program.command('lint <file>').action(async (file: string) => {
  const source = fs.readFileSync(file, 'utf8');
  console.log(await lint(source));
});
program.parse();`,
  },
  {
    name: "hashing is fast and not flagged",
    code: `import { createHash, randomBytes } from 'node:crypto';
export async function fingerprint(body: string) {
  const salt = randomBytes(16);
  return createHash('sha256').update(salt).update(body).digest('hex');
}`,
  },
  {
    name: "process exit handlers must be synchronous",
    code: `import fs from 'fs';
process.on('exit', () => {
  fs.writeFileSync('shutdown.log', new Date().toISOString());
});`,
  },
  {
    name: "CommonJS start-up code under espree",
    code: `const fs = require('fs');
const path = require('path');
const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, 'package.json'), 'utf8'));
module.exports = async function version() {
  return pkg.version;
};`,
    languageOptions: plainCommonJs,
  },
  {
    name: "setup method",
    code: `import fs from 'node:fs';
export class Store {
  async setup() {
    fs.mkdirSync(this.dir, { recursive: true });
  }
  constructor(private dir: string) {}
}`,
  },
  {
    name: "synchronous callback outside any async function",
    code: `import fs from 'fs';
export function bundle(files: string[]) {
  return files.map((file) => fs.readFileSync(file, 'utf8')).join('\\n');
}`,
  },
  {
    name: "a timer callback is not a request handler",
    code: `import fs from 'fs';
setInterval(() => {
  fs.writeFileSync('heartbeat', String(Date.now()));
}, 60_000).unref();`,
  },
  {
    name: "callback-style exec is asynchronous",
    code: `const { exec } = require('child_process');
async function gitHead() {
  return new Promise((resolve, reject) => {
    exec('git rev-parse HEAD', (error, stdout) => (error ? reject(error) : resolve(stdout.trim())));
  });
}
module.exports = { gitHead };`,
    languageOptions: plainCommonJs,
  },
  {
    name: "route handler using the async API",
    code: `import express from 'express';
import { readFile } from 'node:fs/promises';
const app = express();
app.get('/health', async (req, res) => {
  res.json({ version: JSON.parse(await readFile('package.json', 'utf8')).version });
});`,
  },
  {
    name: "Map#get with a path-looking key and no handler shape",
    code: `import fs from 'fs';
const cache = new Map<string, string>();
export function cached(path: string) {
  return cache.get('/' + path) ?? fs.readFileSync(path, 'utf8');
}`,
  },
  {
    name: "a test file, tap-style nested test",
    code: `const fs = require('fs');
const t = require('tap');
t.test('writes the log', async (t) => {
  await run();
  t.match(fs.readFileSync('out.log', 'utf8'), /done/);
});`,
    languageOptions: plainCommonJs,
    filename: 'test/log.js',
  },
  {
    name: "a private helper only used at start-up",
    code: `import fs from 'node:fs';
function readJson(path: string) {
  return JSON.parse(fs.readFileSync(path, 'utf8'));
}
const config = readJson('config.json');
export async function greet(name: string) {
  return config.greeting + ', ' + name;
}`,
  },
  {
    name: "a named synchronous function passed to a timer is not a request handler",
    code: `import fs from 'node:fs';
function flushStats(stats: Map<string, number>) {
  fs.appendFileSync('stats.log', JSON.stringify([...stats]) + '\\n');
}
const stats = new Map<string, number>();
setInterval(() => flushStats(stats), 10_000).unref();`,
  },
  // Issue 11, strict review of unseen packages: probes that run once per process, and kernel files.
  {
    name: 'a probe cached in a module variable runs once per process',
    languageOptions: plainCommonJs,
    code: `const fs = require('fs');
let inContainer;
const isInContainer = () => {
  if (inContainer === undefined) {
    inContainer = hasDockerEnv() || hasContainerGroup();
  }
  return inContainer;
  function hasDockerEnv() {
    try {
      fs.statSync('/.dockerenv');
      return true;
    } catch {
      return false;
    }
  }
  function hasContainerGroup() {
    try {
      return fs.readFileSync('/etc/container-group', 'utf8').includes('docker');
    } catch {
      return false;
    }
  }
};
async function diagnostics() {
  return { container: isInContainer(), uptime: process.uptime() };
}
module.exports = { diagnostics };`,
  },
  {
    name: 'a value read once into a module cache with ??=',
    code: `import { readFileSync } from 'node:fs';
let banner: string | undefined;
export async function renderBanner(name: string): Promise<string> {
  banner ??= readFileSync('banner.txt', 'utf8');
  return banner.replace('{name}', name);
}`,
  },
  {
    name: 'files under /proc and /sys are made up by the kernel: no disk to wait for',
    code: `import { readFileSync } from 'node:fs';
export async function cpuQuota(): Promise<number | undefined> {
  const [quota, period] = readFileSync('/sys/fs/cgroup/cpu.max', 'utf8').trim().split(' ');
  const release = readFileSync(\`/proc/\${process.pid}/status\`, 'utf8');
  return quota === 'max' || !release ? undefined : Number(quota) / Number(period);
}`,
  },
  {
    name: 'a command dispatcher runs its callback once per CLI invocation',
    code: `import fs from 'node:fs';
export class Scaffolder {
  async create(name: string) {
    await this.runCommand('create', async () => {
      const files = await this.templateFor(name);
      files.forEach(([path, body]) => fs.writeFileSync(path, body));
    });
  }
}`,
  },
  {
    name: 'once and shutdown listeners run once',
    code: `import { writeFileSync } from 'node:fs';
export function watchShutdown(server: { once(e: string, f: () => Promise<void>): void }, state: () => string) {
  server.once('close', async () => { writeFileSync('state.json', state()); });
  process.on('SIGTERM', async () => { writeFileSync('state.json', state()); });
}`,
  },
  {
    name: 'a plugin registration function runs once, when the server starts',
    code: `const fp = require('fastify-plugin');
const fs = require('fs');
async function templates(app, options) {
  const layout = fs.readFileSync(options.layout, 'utf8');
  app.decorate('layout', layout);
}
module.exports = fp(templates);`,
    languageOptions: plainCommonJs,
  },
  {
    name: 'a start-up method with a leading underscore',
    code: `import fs from 'node:fs';
export class Runner {
  async _start(config: { logDir: string }) {
    if (!fs.existsSync(config.logDir)) fs.mkdirSync(config.logDir, { recursive: true });
    await this.listen();
  }
}`,
  },
  {
    name: 'a helper that memoises its answer per key runs the call once per key',
    code: `import { accessSync } from 'node:fs';
const seen = new Map<string, boolean>();
function canRead(path: string): boolean {
  let known = seen.get(path);
  if (known !== undefined) return known;
  try { accessSync(path); known = true; } catch { known = false; }
  seen.set(path, known);
  return known;
}
export async function render(page: string) {
  return canRead(page) ? page : 'missing';
}`,
  },
  {
    name: 'an entry script under bin/ runs once per invocation',
    filename: 'bin/release.js',
    code: `const { execSync } = require('child_process');
async function publish(tag) {
  execSync('git push origin ' + tag);
  await notify(tag);
}
module.exports = { publish };`,
    languageOptions: plainCommonJs,
  },
  {
    name: "process.stdin's 'data' is someone typing a command, not a stream of requests",
    code: `const fs = require('fs');
function listenForSnapshots(db) {
  process.stdin.on('data', (chunk) => {
    if (chunk.trim() === 's') fs.writeFileSync('snapshot.json', JSON.stringify(db.state()));
  });
}
module.exports = { listenForSnapshots };`,
    languageOptions: plainCommonJs,
  },
];

export const invalid: InvalidTestCase<MessageId, Options>[] = [
  {
    name: "express async route handler, default import",
    code: `import fs from 'node:fs';
import express from 'express';
const app = express();
app.get('/reports/:name', async (req, res) => {
  const report = fs.readFileSync('/var/reports/' + req.params.name, 'utf8');
  res.type('text/plain').send(report);
});`,
    errors: [
      {
        messageId: 'syncFileSystem',
        line: 5,
        column: 18,
        suggestions: [
          { messageId: 'useAsyncVariant', output: `import fs from 'node:fs';
import express from 'express';
const app = express();
app.get('/reports/:name', async (req, res) => {
  const report = await fs.promises.readFile('/var/reports/' + req.params.name, 'utf8');
  res.type('text/plain').send(report);
});` },
        ],
      },
    ],
  },
  {
    name: "named import: suggestion adds an import",
    code: `import { readFileSync } from 'node:fs';
export async function loadTemplate(name: string): Promise<string> {
  const template = readFileSync(\`templates/\${name}.html\`, 'utf8');
  return template;
}`,
    errors: [
      {
        messageId: 'syncFileSystem',
        line: 3,
        column: 20,
        suggestions: [
          { messageId: 'useAsyncVariant', output: `import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
export async function loadTemplate(name: string): Promise<string> {
  const template = await readFile(\`templates/\${name}.html\`, 'utf8');
  return template;
}` },
        ],
      },
    ],
  },
  {
    name: "namespace import in an async method",
    code: `import * as fs from 'fs';
export class JsonStore {
  constructor(private readonly file: string) {}
  async save(data: unknown): Promise<void> {
    fs.writeFileSync(this.file, JSON.stringify(data));
  }
}`,
    errors: [
      {
        messageId: 'syncFileSystem',
        line: 5,
        column: 5,
        suggestions: [
          { messageId: 'useAsyncVariant', output: `import * as fs from 'fs';
export class JsonStore {
  constructor(private readonly file: string) {}
  async save(data: unknown): Promise<void> {
    await fs.promises.writeFile(this.file, JSON.stringify(data));
  }
}` },
        ],
      },
    ],
  },
  {
    name: "existsSync: medium, no rewrite",
    code: `import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
export async function ensureDir(dir: string) {
  if (!existsSync(dir)) await mkdir(dir, { recursive: true });
}`,
    errors: [
      {
        messageId: 'syncFileSystem',
        line: 4,
        column: 8,
        suggestions: [],
      },
    ],
  },
  {
    name: "CommonJS require under espree",
    code: `const fs = require('fs');
async function listUploads(dir) {
  const names = fs.readdirSync(dir);
  return names.filter((name) => name.endsWith('.png'));
}
module.exports = { listUploads };`,
    languageOptions: plainCommonJs,
    errors: [
      {
        messageId: 'syncFileSystem',
        line: 3,
        column: 17,
        suggestions: [
          { messageId: 'useAsyncVariant', output: `const fs = require('fs');
async function listUploads(dir) {
  const names = await fs.promises.readdir(dir);
  return names.filter((name) => name.endsWith('.png'));
}
module.exports = { listUploads };` },
        ],
      },
    ],
  },
  {
    name: "destructured require of child_process",
    code: `const { execSync } = require('child_process');
exports.deploy = async function deploy(tag) {
  const output = execSync('git push origin ' + tag);
  await notify(output.toString());
};`,
    languageOptions: plainCommonJs,
    errors: [
      {
        messageId: 'syncChildProcess',
        line: 3,
        column: 18,
        suggestions: [],
      },
    ],
  },
  {
    name: "synchronous express handler",
    code: `import { execFileSync } from 'node:child_process';
import { Router } from 'express';
const router = Router();
router.post('/thumbnails', (req, res) => {
  execFileSync('convert', [req.body.path, '-resize', '200x200', req.body.out]);
  res.sendStatus(204);
});
export default router;`,
    errors: [
      {
        messageId: 'syncChildProcess',
        line: 5,
        column: 3,
        suggestions: [],
      },
    ],
  },
  {
    name: "zlib in koa middleware",
    code: `import Koa from 'koa';
import zlib from 'node:zlib';
const app = new Koa();
app.use(async (ctx, next) => {
  await next();
  if (typeof ctx.body === 'string') ctx.body = zlib.gzipSync(ctx.body);
});`,
    errors: [
      {
        messageId: 'syncCpu',
        line: 6,
        column: 48,
        suggestions: [],
      },
    ],
  },
  {
    name: "pbkdf2 in a login handler",
    code: `import { pbkdf2Sync, timingSafeEqual } from 'node:crypto';
export async function login(username: string, password: string) {
  const user = await users.findOne({ username });
  const hash = pbkdf2Sync(password, user.salt, 310000, 32, 'sha256');
  return timingSafeEqual(hash, user.hash);
}`,
    errors: [
      {
        messageId: 'syncCpu',
        line: 4,
        column: 16,
        suggestions: [],
      },
    ],
  },
  {
    name: "bcrypt compareSync: rewrite to compare",
    code: `import bcrypt from 'bcrypt';
export async function verify(password: string, hash: string): Promise<boolean> {
  return bcrypt.compareSync(password, hash);
}`,
    errors: [
      {
        messageId: 'syncCpu',
        line: 3,
        column: 10,
        suggestions: [
          { messageId: 'useAsyncVariant', output: `import bcrypt from 'bcrypt';
export async function verify(password: string, hash: string): Promise<boolean> {
  return await bcrypt.compare(password, hash);
}` },
        ],
      },
    ],
  },
  {
    name: "Atomics.wait",
    code: `export async function waitForSlot(state: Int32Array) {
  Atomics.wait(state, 0, 0, 1000);
  return Atomics.load(state, 0);
}`,
    errors: [
      {
        messageId: 'atomicsWait',
        line: 2,
        column: 3,
        suggestions: [],
      },
    ],
  },
  {
    name: "http.createServer handler",
    code: `import http from 'node:http';
import fs from 'node:fs';
http.createServer((req, res) => {
  res.end(fs.readFileSync('./public' + req.url));
}).listen(8080);`,
    errors: [
      {
        messageId: 'syncFileSystem',
        line: 4,
        column: 11,
        suggestions: [],
      },
    ],
  },
  {
    name: "statSync inside a .map callback of an async function: medium, no rewrite",
    code: `import fs from 'node:fs';
export async function sizes(files: string[]) {
  const total = files.map((file) => fs.statSync(file).size).reduce((a, b) => a + b, 0);
  await report(total);
}`,
    errors: [
      {
        messageId: 'syncFileSystem',
        line: 3,
        column: 37,
        suggestions: [],
      },
    ],
  },
  {
    name: "member call on the result: the rewrite adds parentheses",
    code: `import fs from 'fs';
export async function readVersion(dir: string) {
  return fs.readFileSync(dir + '/VERSION').toString().trim();
}`,
    errors: [
      {
        messageId: 'syncFileSystem',
        line: 3,
        column: 10,
        suggestions: [
          { messageId: 'useAsyncVariant', output: `import fs from 'fs';
export async function readVersion(dir: string) {
  return (await fs.promises.readFile(dir + '/VERSION')).toString().trim();
}` },
        ],
      },
    ],
  },
  {
    name: "fs-extra",
    code: `import fse from 'fs-extra';
export async function readManifest(dir: string) {
  const manifest = fse.readJsonSync(dir + '/manifest.json');
  return manifest.entries;
}`,
    errors: [
      {
        messageId: 'syncFileSystem',
        line: 3,
        column: 20,
        suggestions: [
          { messageId: 'useAsyncVariant', output: `import fse from 'fs-extra';
export async function readManifest(dir: string) {
  const manifest = await fse.readJson(dir + '/manifest.json');
  return manifest.entries;
}` },
        ],
      },
    ],
  },
  {
    name: "renamed destructured require: rewrite adds a require of fs/promises",
    code: `const { readFileSync: read } = require('node:fs');
async function loadKey(name) {
  return read('/etc/keys/' + name);
}
module.exports = { loadKey };`,
    languageOptions: plainCommonJs,
    errors: [
      {
        messageId: 'syncFileSystem',
        line: 3,
        column: 10,
        suggestions: [
          { messageId: 'useAsyncVariant', output: `const { readFileSync: read } = require('node:fs');
const { readFile } = require('node:fs/promises');
async function loadKey(name) {
  return await readFile('/etc/keys/' + name);
}
module.exports = { loadKey };` },
        ],
      },
    ],
  },
  {
    name: "fastify route options handler",
    code: `import Fastify from 'fastify';
import fs from 'node:fs';
const fastify = Fastify();
fastify.route({
  method: 'GET',
  url: '/logo',
  handler(request, reply) {
    reply.type('image/png').send(fs.readFileSync('logo.png'));
  },
});`,
    errors: [
      {
        messageId: 'syncFileSystem',
        line: 8,
        column: 34,
        suggestions: [],
      },
    ],
  },
  {
    name: "key pair generation per request",
    code: `import { generateKeyPairSync } from 'crypto';
export async function issueKeys(userId: string) {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 4096 });
  await saveKeys(userId, publicKey, privateKey);
}`,
    errors: [
      {
        messageId: 'syncCpu',
        line: 3,
        column: 37,
        suggestions: [],
      },
    ],
  },
  {
    name: "server 'request' listener",
    code: `import { createServer } from 'node:https';
import { readFileSync } from 'node:fs';
const server = createServer({});
server.on('request', (req, res) => {
  res.end(readFileSync('index.html'));
});`,
    errors: [
      {
        messageId: 'syncFileSystem',
        line: 5,
        column: 11,
        suggestions: [],
      },
    ],
  },
  {
    name: "statSync with options: no rewrite (throwIfNoEntry has no async twin)",
    code: `import fs from 'node:fs';
export async function mtime(file: string) {
  return fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs;
}`,
    errors: [
      {
        messageId: 'syncFileSystem',
        line: 3,
        column: 10,
        suggestions: [],
      },
    ],
  },
  {
    name: "a private helper called from an async route handler",
    code: `const fs = require('fs');
const express = require('express');
function readJson(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}
const app = express();
app.get('/products', async (req, res) => {
  res.json(readJson('./data/products.json'));
});`,
    languageOptions: plainCommonJs,
    errors: [
      {
        messageId: 'syncFileSystem',
        line: 4,
        column: 21,
        suggestions: [],
      },
    ],
  },
  {
    name: "compiled CommonJS (tsc's __importDefault)",
    code: `"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.loadLocale = loadLocale;
const fs_1 = __importDefault(require("fs"));
async function loadLocale(lang) {
    return JSON.parse(fs_1.default.readFileSync(\`locales/\${lang}.json\`, 'utf8'));
}`,
    languageOptions: plainCommonJs,
    errors: [
      {
        messageId: 'syncFileSystem',
        line: 9,
        column: 23,
        suggestions: [
          { messageId: 'useAsyncVariant', output: `"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.loadLocale = loadLocale;
const fs_1 = __importDefault(require("fs"));
async function loadLocale(lang) {
    return JSON.parse(await fs_1.default.promises.readFile(\`locales/\${lang}.json\`, 'utf8'));
}` },
        ],
      },
    ],
  },
  {
    name: "a named synchronous route handler",
    code: `const fs = require('fs');
const express = require('express');
function listUsers(req, res) {
  res.json(JSON.parse(fs.readFileSync('./data/users.json', 'utf8')));
}
const router = express.Router();
router.get('/users', listUsers);
module.exports = router;`,
    languageOptions: plainCommonJs,
    errors: [
      {
        messageId: 'syncFileSystem',
        line: 4,
        column: 23,
        suggestions: [],
      },
    ],
  },
  {
    name: 'a cache variable local to the async function fills on every call: still reported',
    code: `import { readFileSync } from 'node:fs';
export async function renderBanner(name: string): Promise<string> {
  let banner: string | undefined;
  if (!banner) banner = readFileSync('banner.txt', 'utf8');
  return banner.replace('{name}', name);
}`,
    errors: [
      {
        messageId: 'syncFileSystem',
        line: 4,
        column: 25,
        suggestions: [
          { messageId: 'useAsyncVariant', output: `import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
export async function renderBanner(name: string): Promise<string> {
  let banner: string | undefined;
  if (!banner) banner = await readFile('banner.txt', 'utf8');
  return banner.replace('{name}', name);
}` },
        ],
      },
    ],
  },
  {
    name: 'an async callback run for every element at once through Promise.all',
    code: `import { readFileSync } from 'node:fs';
export async function loadPages(names: string[]) {
  return Promise.all(names.map(async (name) => {
    const page = readFileSync(\`pages/\${name}.md\`, 'utf8');
    return render(page);
  }));
}`,
    errors: [
      {
        messageId: 'syncFileSystem',
        line: 4,
        column: 18,
        suggestions: [
          { messageId: 'useAsyncVariant', output: `import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
export async function loadPages(names: string[]) {
  return Promise.all(names.map(async (name) => {
    const page = await readFile(\`pages/\${name}.md\`, 'utf8');
    return render(page);
  }));
}` },
        ],
      },
    ],
  },
  {
    name: 'an async forEach callback starts every call at once',
    code: `const fs = require('fs');
async function copyAll(files, target) {
  files.forEach(async (file) => {
    fs.copyFileSync(file, target + '/' + file);
    await log(file);
  });
}
module.exports = { copyAll };`,
    languageOptions: plainCommonJs,
    errors: [
      {
        messageId: 'syncFileSystem',
        line: 4,
        column: 5,
        suggestions: [
          { messageId: 'useAsyncVariant', output: `const fs = require('fs');
async function copyAll(files, target) {
  files.forEach(async (file) => {
    await fs.promises.copyFile(file, target + '/' + file);
    await log(file);
  });
}
module.exports = { copyAll };` },
        ],
      },
    ],
  },
  {
    name: 'a loop that starts a download on every turn: the check runs while earlier ones are in flight',
    code: `import { existsSync } from 'node:fs';
export async function fetchAll(urls: string[], limit: (task: () => Promise<void>) => Promise<void>) {
  const started: Promise<void>[] = [];
  for (const url of urls) {
    if (existsSync(localPath(url))) continue;
    started.push(limit(async () => { await download(url); }));
  }
  await Promise.all(started);
}`,
    errors: [{ messageId: 'syncFileSystem', line: 5, column: 9, suggestions: [] }],
  },
  {
    name: 'a function taking (req, res) is a request handler wherever it is registered',
    code: `const fs = require('fs');
function sendLog(req, res) {
  res.end(fs.readFileSync('/var/log/app/' + req.query.day + '.log'));
}
module.exports = sendLog;`,
    languageOptions: plainCommonJs,
    errors: [{ messageId: 'syncFileSystem', line: 3, column: 11, suggestions: [] }],
  },
  {
    name: "a stream's 'data' listener runs once per chunk",
    code: `import { appendFileSync } from 'node:fs';
import net from 'node:net';
export function recordTo(path: string) {
  return net.createConnection(9000).on('data', (chunk) => { appendFileSync(path, chunk); });
}`,
    errors: [{ messageId: 'syncFileSystem', line: 4, column: 61, suggestions: [] }],
  },
];
