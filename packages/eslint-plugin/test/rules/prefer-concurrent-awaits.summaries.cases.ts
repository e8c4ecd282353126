import { fileURLToPath } from 'node:url';
import * as espree from 'espree';
import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';
import type { PreferConcurrentAwaitsMessageId, PreferConcurrentAwaitsOptions } from '@overlap/core';

/**
 * prefer-concurrent-awaits cases for function summaries (core's analysis/summaries/): what a local helper, a
 * method, an object member or a compiled export does when called, and the shapes compilers give calls and imports.
 * Plain JS cases run under ESLint's default parser (espree), as users without typescript-eslint run them.
 */
const plainModule = { parser: espree, sourceType: 'module', ecmaVersion: 'latest' } as const;
const plainCommonJs = { parser: espree, sourceType: 'commonjs', ecmaVersion: 'latest' } as const;
/** Linted as a file beside fixtures/reexports/util/, which the plugin's import resolver reads from disk. */
const reexportsFile = fileURLToPath(new URL('./fixtures/reexports/tasks.js', import.meta.url));

type Options = PreferConcurrentAwaitsOptions;
type MessageId = PreferConcurrentAwaitsMessageId;

export const valid: ValidTestCase<Options>[] = [
  {
    name: "`this.m()` in an object literal's method: the literal's own method writes the file the next one reads, whatever their names say",
    languageOptions: plainCommonJs,
    code: `const { readFile, writeFile } = require('node:fs/promises');
module.exports = {
  async refresh() {
    const saved = await this.fetchState();
    const state = await this.getState();
    return { saved, state };
  },
  async fetchState() { await writeFile('state.json', '{}'); return true; },
  async getState() { return readFile('state.json', 'utf8'); },
};`,
  },
  {
    name: "one resource reached through an object: a file written under repo.path, then the repository's status",
    languageOptions: plainModule,
    code: `import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { getStatus } from './git.js';
export async function stageReadme(repo) {
  await writeFile(join(repo.path, 'README.md'), '# project\\n');
  const status = await getStatus(repo);
  return status.staged;
}`,
  },
  {
    name: "a bodiless declaration is unknown, not free of effects",
    code: `declare function prefsOf(user: string): Promise<object>;
declare function themeOf(user: string): Promise<object>;
export async function page(user: string) {
  const prefs = await prefsOf(user);
  const theme = await themeOf(user);
  return { prefs, theme };
}`,
  },
  {
    name: "a local sleep awaited between two reads is a deliberate wait and keeps its place",
    languageOptions: plainModule,
    code: `import { readFile } from 'node:fs/promises';
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
export async function politely(a, b) {
  const first = await readFile(a, 'utf8');
  await sleep(1000);
  const second = await readFile(b, 'utf8');
  return first + second;
}`,
  },
  {
    name: "a local function named log that appends to a file is summarised, not taken for logging",
    languageOptions: plainModule,
    code: `import { appendFile, readFile } from 'node:fs/promises';
function log(message) { return appendFile('audit.log', \`\${message}\\n\`); }
async function readAudit() { return readFile('audit.log', 'utf8'); }
async function recordLogin(user) { await log(\`login \${user}\`); return user; }
export async function login(user) {
  const name = await recordLogin(user);
  const audit = await readAudit();
  return { name, audit };
}`,
  },
  {
    name: "a file written into a repository, then a git query of it: the query reads everything, so it waits for the write",
    languageOptions: plainModule,
    code: `import { writeFile } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
const run = promisify(execFile);
export async function stageNotes(dir, notes) {
  await writeFile(\`\${dir}/NOTES.md\`, notes);
  const { stdout } = await run('git', ['status', '--porcelain'], { cwd: dir });
  return stdout;
}`,
  },
  {
    name: "a helper running its argument as a command: a query then a tag, the tag stays after",
    languageOptions: plainCommonJs,
    code: `const { exec } = require('child_process');
function sh(line) {
  return new Promise((resolve, reject) => exec(line, (error, out) => (error ? reject(error) : resolve(out))));
}
async function tagHead(version) {
  const head = await sh('git rev-parse HEAD');
  const tagged = await sh(\`git tag v\${version}\`);
  return { head, tagged };
}
module.exports = { tagHead };`,
  },
  {
    name: "a version query whose output nobody reads is a precondition check: the work after it waits",
    languageOptions: plainModule,
    code: `import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
const run = promisify(execFile);
async function requireZip() { await run('zip', ['--version']); }
export async function bundle(listPath) {
  await requireZip();
  const list = await readFile(listPath, 'utf8');
  return list.split('\\n');
}`,
  },
];

export const invalid: InvalidTestCase<MessageId, Options>[] = [
  {
    name: "`this.m()` in an object literal's method is the literal's own method (serverless-style plugin): two file reads, not names",
    languageOptions: plainCommonJs,
    code: `const { readFile } = require('node:fs/promises');
module.exports = {
  async loadAll() {
    const service = await this.loadService();
    const stack = await this.loadStack();
    return { service, stack };
  },
  async loadService() { return JSON.parse(await readFile('serverless.json', 'utf8')); },
  loadStack: function () { return readFile('.serverless/stack.json', 'utf8'); },
};`,
    errors: [
      {
        messageId: 'independentPair',
        data: { later: '`stack`', earlier: '`service`', effects: 'both are reads' },
        line: 5,
        column: 19,
        suggestions: [
          {
            messageId: 'suggestPromiseAll',
            output: `const { readFile } = require('node:fs/promises');
module.exports = {
  async loadAll() {
    const [service, stack] = await Promise.all([this.loadService(), this.loadStack()]);
    return { service, stack };
  },
  async loadService() { return JSON.parse(await readFile('serverless.json', 'utf8')); },
  loadStack: function () { return readFile('.serverless/stack.json', 'utf8'); },
};`,
          },
        ],
      },
    ],
  },
  {
    name: "a barrel over a project module that is fs-extra: two file reads, known rather than guessed by name",
    filename: reexportsFile,
    languageOptions: plainModule,
    code: `import * as fse from './util/index.js';
export async function manifests(dir) {
  const pkg = await fse.readJson(\`\${dir}/package.json\`);
  const lock = await fse.readJson(\`\${dir}/package-lock.json\`);
  return { pkg, lock };
}`,
    errors: [
      {
        messageId: 'independentPair',
        data: { later: '`lock`', earlier: '`pkg`', effects: 'both are reads' },
        line: 4,
        column: 16,
        suggestions: [
          {
            messageId: 'suggestPromiseAll',
            output: `import * as fse from './util/index.js';
export async function manifests(dir) {
  const [pkg, lock] = await Promise.all([
    fse.readJson(\`\${dir}/package.json\`),
    fse.readJson(\`\${dir}/package-lock.json\`),
  ]);
  return { pkg, lock };
}`,
          },
        ],
      },
    ],
  },
  {
    name: "two local helpers that only wait on a timer and return a value: latency, not a barrier (high confidence)",
    languageOptions: plainModule,
    code: `const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const prefs = { fontSize: 14 };
const theme = { name: 'dark' };
async function loadPrefs() { await delay(50); return prefs; }
async function loadTheme() { await delay(50); return theme; }
export async function boot() {
  const userPrefs = await loadPrefs();
  const userTheme = await loadTheme();
  return { userPrefs, userTheme };
}`,
    errors: [
      {
        messageId: 'independentPair',
        line: 8,
        column: 21,
        endLine: 8,
        endColumn: 38,
        suggestions: [
          {
            messageId: 'suggestPromiseAll',
            output: `const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const prefs = { fontSize: 14 };
const theme = { name: 'dark' };
async function loadPrefs() { await delay(50); return prefs; }
async function loadTheme() { await delay(50); return theme; }
export async function boot() {
  const [userPrefs, userTheme] = await Promise.all([loadPrefs(), loadTheme()]);
  return { userPrefs, userTheme };
}`,
          },
        ],
      },
    ],
  },
  {
    name: "class methods called through this: logging, performance.now, a local array and an error are no effect; a timer is latency",
    code: `import { readFile } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { logger } from './logger';
class NotFoundError extends Error {}
export class Settings {
  async readConfig(path: string) {
    logger.info({ path }, 'reading config');
    const started = performance.now();
    const text = await readFile(path, 'utf8');
    if (!text) throw new NotFoundError(path);
    const lines: string[] = [];
    lines.push(text);
    logger.debug(\`read in \${performance.now() - started} ms\`);
    return JSON.parse(lines.join('\\n'));
  }
  async readSecrets(path: string) {
    await delay(10);
    return this.readConfig(path);
  }
  async load(configPath: string, secretsPath: string) {
    const config = await this.readConfig(configPath);
    const secrets = await this.readSecrets(secretsPath);
    return { config, secrets };
  }
}`,
    errors: [
      {
        messageId: 'independentPair',
        line: 22,
        column: 21,
        endLine: 22,
        endColumn: 56,
        suggestions: [
          {
            messageId: 'suggestPromiseAll',
            output: `import { readFile } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { logger } from './logger';
class NotFoundError extends Error {}
export class Settings {
  async readConfig(path: string) {
    logger.info({ path }, 'reading config');
    const started = performance.now();
    const text = await readFile(path, 'utf8');
    if (!text) throw new NotFoundError(path);
    const lines: string[] = [];
    lines.push(text);
    logger.debug(\`read in \${performance.now() - started} ms\`);
    return JSON.parse(lines.join('\\n'));
  }
  async readSecrets(path: string) {
    await delay(10);
    return this.readConfig(path);
  }
  async load(configPath: string, secretsPath: string) {
    const [config, secrets] = await Promise.all([
      this.readConfig(configPath),
      this.readSecrets(secretsPath),
    ]);
    return { config, secrets };
  }
}`,
          },
        ],
      },
    ],
  },
  {
    name: "tsc output: exports header, (0, exports.fn)(...), __importDefault(require('fs')).default.promises, a debug logger",
    languageOptions: plainCommonJs,
    code: `"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.loadAll = exports.loadTheme = exports.loadPrefs = void 0;
const debug_1 = __importDefault(require("debug"));
const log = (0, debug_1.default)('settings');
async function loadPrefs(file) {
    log('loading %s', file);
    const text = await __importDefault(require("fs")).default.promises.readFile(file, 'utf8');
    return JSON.parse(text);
}
exports.loadPrefs = loadPrefs;
const loadTheme = async (file) => (await require("fs").promises.readFile(file, 'utf8')).trim();
exports.loadTheme = loadTheme;
async function loadAll(prefsFile, themeFile) {
    const prefs = await (0, exports.loadPrefs)(prefsFile);
    const theme = await (0, exports.loadTheme)(themeFile);
    return { prefs, theme };
}
exports.loadAll = loadAll;`,
    errors: [
      {
        messageId: 'independentPair',
        line: 19,
        column: 19,
        endLine: 19,
        endColumn: 58,
        suggestions: [
          {
            messageId: 'suggestPromiseAll',
            output: `"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.loadAll = exports.loadTheme = exports.loadPrefs = void 0;
const debug_1 = __importDefault(require("debug"));
const log = (0, debug_1.default)('settings');
async function loadPrefs(file) {
    log('loading %s', file);
    const text = await __importDefault(require("fs")).default.promises.readFile(file, 'utf8');
    return JSON.parse(text);
}
exports.loadPrefs = loadPrefs;
const loadTheme = async (file) => (await require("fs").promises.readFile(file, 'utf8')).trim();
exports.loadTheme = loadTheme;
async function loadAll(prefsFile, themeFile) {
    const [prefs, theme] = await Promise.all([
      (0, exports.loadPrefs)(prefsFile),
      (0, exports.loadTheme)(themeFile),
    ]);
    return { prefs, theme };
}
exports.loadAll = loadAll;`,
          },
        ],
      },
    ],
  },
  {
    name: "import fs = require('fs') followed by awaited calls through fs",
    code: `import fs = require('fs');
export async function readBoth(a: string, b: string) {
  const first = await fs.promises.readFile(a, 'utf8');
  const second = await fs.promises.readFile(b, 'utf8');
  return first + second;
}`,
    errors: [
      {
        messageId: 'independentPair',
        line: 4,
        column: 18,
        endLine: 4,
        endColumn: 55,
        suggestions: [
          {
            messageId: 'suggestPromiseAll',
            output: `import fs = require('fs');
export async function readBoth(a: string, b: string) {
  const [first, second] = await Promise.all([
    fs.promises.readFile(a, 'utf8'),
    fs.promises.readFile(b, 'utf8'),
  ]);
  return first + second;
}`,
          },
        ],
      },
    ],
  },
  {
    name: "methods of an object literal called as store.m()",
    languageOptions: plainModule,
    code: `import { readFile } from 'node:fs/promises';
const store = {
  async profile(id) { return JSON.parse(await readFile(\`profiles/\${id}.json\`, 'utf8')); },
  async avatar(id) { return readFile(\`avatars/\${id}.png\`); },
};
export async function card(id) {
  const profile = await store.profile(id);
  const avatar = await store.avatar(id);
  return { profile, avatar };
}`,
    errors: [
      {
        messageId: 'independentPair',
        line: 8,
        column: 18,
        endLine: 8,
        endColumn: 40,
        suggestions: [
          {
            messageId: 'suggestPromiseAll',
            output: `import { readFile } from 'node:fs/promises';
const store = {
  async profile(id) { return JSON.parse(await readFile(\`profiles/\${id}.json\`, 'utf8')); },
  async avatar(id) { return readFile(\`avatars/\${id}.png\`); },
};
export async function card(id) {
  const [profile, avatar] = await Promise.all([store.profile(id), store.avatar(id)]);
  return { profile, avatar };
}`,
          },
        ],
      },
    ],
  },
  {
    name: "a recursive helper is summarised with the recursion cut off",
    languageOptions: plainModule,
    code: `import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
async function sizeOf(dir) {
  let total = 0;
  for (const name of await readdir(dir)) {
    const info = await stat(join(dir, name));
    total += info.isDirectory() ? await sizeOf(join(dir, name)) : info.size;
  }
  return total;
}
export async function usage(cacheDir, dataDir) {
  const cache = await sizeOf(cacheDir);
  const data = await sizeOf(dataDir);
  return { cache, data };
}`,
    errors: [
      {
        messageId: 'independentPair',
        line: 13,
        column: 16,
        endLine: 13,
        endColumn: 37,
        suggestions: [
          {
            messageId: 'suggestPromiseAll',
            output: `import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
async function sizeOf(dir) {
  let total = 0;
  for (const name of await readdir(dir)) {
    const info = await stat(join(dir, name));
    total += info.isDirectory() ? await sizeOf(join(dir, name)) : info.size;
  }
  return total;
}
export async function usage(cacheDir, dataDir) {
  const [cache, data] = await Promise.all([sizeOf(cacheDir), sizeOf(dataDir)]);
  return { cache, data };
}`,
          },
        ],
      },
    ],
  },
  {
    name: "a helper running its argument as a command: two registry queries through it run together (high confidence)",
    languageOptions: plainCommonJs,
    code: `const { exec } = require('child_process');
function sh(line) {
  return new Promise((resolve, reject) => exec(line, (error, out) => (error ? reject(error) : resolve(out))));
}
async function latest() {
  const cli = await sh('npm info @acme/cli version');
  const core = await sh('npm info @acme/core version');
  return { cli: cli.trim(), core: core.trim() };
}
module.exports = { latest };`,
    errors: [
      {
        messageId: 'independentPair',
        line: 7,
        column: 16,
        endLine: 7,
        endColumn: 55,
        suggestions: [
          {
            messageId: 'suggestPromiseAll',
            output: `const { exec } = require('child_process');
function sh(line) {
  return new Promise((resolve, reject) => exec(line, (error, out) => (error ? reject(error) : resolve(out))));
}
async function latest() {
  const [cli, core] = await Promise.all([
    sh('npm info @acme/cli version'),
    sh('npm info @acme/core version'),
  ]);
  return { cli: cli.trim(), core: core.trim() };
}
module.exports = { latest };`,
          },
        ],
      },
    ],
  },
  {
    name: "a write word after a read verb is a noun: getCreateSql reads (medium, judged by name)",
    code: `export class Schema {
  constructor(private readonly dialect: { quote(name: string): string }) {}
  async getDropSql(table: string) { return \`DROP TABLE \${this.dialect.quote(table)}\`; }
  async getCreateSql(table: string) { return \`CREATE TABLE \${this.dialect.quote(table)} (id int)\`; }
  async script(table: string) {
    let sql = await this.getDropSql(table);
    sql += await this.getCreateSql(table);
    return sql;
  }
}`,
    errors: [
      {
        messageId: 'independentPair',
        line: 7,
        column: 12,
        endLine: 7,
        endColumn: 42,
        suggestions: [
          {
            messageId: 'suggestPromiseAll',
            output: `export class Schema {
  constructor(private readonly dialect: { quote(name: string): string }) {}
  async getDropSql(table: string) { return \`DROP TABLE \${this.dialect.quote(table)}\`; }
  async getCreateSql(table: string) { return \`CREATE TABLE \${this.dialect.quote(table)} (id int)\`; }
  async script(table: string) {
    const [sqlValue, createSql] = await Promise.all([this.getDropSql(table), this.getCreateSql(table)]);
    let sql = sqlValue;
    sql += createSql;
    return sql;
  }
}`,
          },
        ],
      },
    ],
  },
];
