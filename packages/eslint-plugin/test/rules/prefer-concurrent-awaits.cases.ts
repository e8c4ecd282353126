import * as espree from 'espree';
import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';
import type { PreferConcurrentAwaitsMessageId, PreferConcurrentAwaitsOptions } from '@overlap/core';

/**
 * The RuleTester cases of prefer-concurrent-awaits, shared with the test that applies every suggestion and
 * type-checks the result. Realistic service code; plain JS cases run under ESLint's default parser (espree).
 */
const plainModule = { parser: espree, sourceType: 'module', ecmaVersion: 'latest' } as const;
const plainCommonJs = { parser: espree, sourceType: 'commonjs', ecmaVersion: 'latest' } as const;

type Options = PreferConcurrentAwaitsOptions;
type MessageId = PreferConcurrentAwaitsMessageId;

export const valid: ValidTestCase<Options>[] = [
  {
    name: "a file opened after a guard: started early and left unused, the descriptor would leak",
    code: `import { open, readFile } from 'node:fs/promises';
export async function chunk(src: string, unpacked: boolean) {
  if (unpacked) return await readFile(\`\${src}.unpacked\`);
  const handle = await open(src, 'r');
  try {
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}`,
  },
  {
    name: "a read guarded by a check of its own file: the read is what the check protects",
    code: `import { access, readFile } from 'node:fs/promises';
export async function output(file: string) {
  if (!(await access(file).then(() => true, () => false))) return undefined;
  const text = await readFile(file, 'utf8');
  return text.trim();
}`,
  },
  {
    name: "a guard that returns what the first read made: the second read is the fallback it exists to skip",
    code: `import { readFile } from 'node:fs/promises';
export async function template(name: string) {
  const compiled = await readFile(\`cache/\${name}.js\`, 'utf8').catch(() => '');
  if (compiled) return compiled;
  const source = await readFile(\`views/\${name}.html\`, 'utf8');
  return source;
}`,
  },
  {
    name: "a guard before a write: only reads start before a guard",
    code: `import { access, writeFile } from 'node:fs/promises';
export async function publish(dir: string, report: string) {
  if (!(await access(dir).then(() => true, () => false))) throw new Error(\`\${dir} is missing\`);
  await writeFile('report.txt', report);
}`,
  },
  {
    name: "mkdir of the folder of options.destination, then a download given those options, stays in order",
    code: `const fs = require('node:fs');
const path = require('node:path');
async function fetchTo(file, options) {
  const destination = options.destination;
  await fs.promises.mkdir(path.dirname(destination), { recursive: true });
  const result = await file.download(options);
  return result;
}
module.exports = { fetchTo };`,
    languageOptions: plainCommonJs,
  },
  {
    name: "two walks that share one visited set: the first decides what the second skips",
    code: `export async function tree(root: string, children: (dir: string) => Promise<string[]>) {
  const visited = new Set<string>();
  const buildTree = async (dir: string): Promise<string[]> => {
    if (visited.has(dir)) return [];
    visited.add(dir);
    const names = await children(dir);
    return [dir, ...names];
  };
  const app = await buildTree(\`\${root}/app\`);
  const lib = await buildTree(\`\${root}/lib\`);
  return [...app, ...lib];
}`,
  },
  {
    name: "a warm-up, then a measured run of the same load against the same server",
    code: `const bench = require('autocannon');
function loadTest(port, seconds) {
  return bench({ url: \`http://127.0.0.1:\${port}\`, duration: seconds });
}
async function measure(server, warmup, seconds) {
  const warm = await loadTest(server.port, warmup);
  const measured = await loadTest(server.port, seconds);
  return { warm: warm.errors, average: measured.requests.average };
}
module.exports = { measure };`,
    languageOptions: plainCommonJs,
  },
  {
    name: "data dependency: the second await uses the first result",
    code: `export async function getOrdersForUser(userId: string) {
  const user = await db.users.findById(userId);
  const orders = await db.orders.findByCustomer(user.customerId);
  return { user, orders };
}`,
  },
  {
    name: "destructured binding used later",
    code: `export async function signUp(input: SignUpInput) {
  const { id } = await accounts.createAccount(input);
  const profile = await profiles.getProfile(id);
  return profile;
}`,
  },
  {
    name: "a closure in the first statement writes a variable the second reads",
    code: `let lastSeen = 0;
export async function poll(id: string) {
  const job = await jobs.getJob(id, () => { lastSeen = Date.now(); });
  const events = await audit.listEvents(lastSeen);
  return { job, events };
}`,
  },
  {
    name: "a local function called by the first await writes captured state",
    code: `let token = '';
async function fetchToken() {
  token = (await http.get('/token')).data;
  return token;
}
export async function loadProfile() {
  const fresh = await fetchToken();
  const me = await api.getMe(token);
  return { fresh, me };
}`,
  },
  {
    name: "instance state written then read",
    code: `class ProfilePage {
  user?: User;
  posts: Post[] = [];
  async load(id: string) {
    this.user = await this.api.getUser(id);
    this.posts = await this.api.getPosts(this.user.id);
  }
}`,
  },
  {
    name: "mkdir then writeFile (fs ordering)",
    code: `import { mkdir, writeFile } from 'node:fs/promises';
export async function saveReport(report: Report) {
  await mkdir('reports', { recursive: true });
  await writeFile('reports/latest.json', JSON.stringify(report));
}`,
  },
  {
    name: "write then read the same file",
    code: `import { readFile, writeFile } from 'node:fs/promises';
export async function roundTrip(path: string, data: string) {
  await writeFile(path, data);
  const back = await readFile(path, 'utf8');
  return back === data;
}`,
  },
  {
    name: "rename then read (rename orders the whole file system)",
    code: `import { rename, readFile } from 'node:fs/promises';
export async function publish(tmp: string) {
  await rename(tmp, 'public/index.html');
  const html = await readFile('public/about.html', 'utf8');
  return html;
}`,
  },
  {
    name: "insert then select the same table",
    code: `export async function addUser(pool: Pool, name: string) {
  await pool.query('INSERT INTO users (name) VALUES ($1)', [name]);
  const { rows } = await pool.query('SELECT count(*) FROM users');
  return rows[0];
}`,
  },
  {
    name: "BEGIN .. COMMIT on a client",
    code: `export async function transfer(pool: Pool, from: string, to: string, amount: number) {
  const client = await pool.connect();
  await client.query('BEGIN');
  await client.query('UPDATE accounts SET balance = balance - $1 WHERE id = $2', [amount, from]);
  await client.query('UPDATE accounts SET balance = balance + $1 WHERE id = $2', [amount, to]);
  await client.query('COMMIT');
  client.release();
}`,
  },
  {
    name: "lock then work",
    code: `export async function withInventory(mutex: Mutex, sku: string) {
  const release = await mutex.acquire();
  const stock = await inventory.getStock(sku);
  release();
  return stock;
}`,
  },
  {
    name: "sleep between two reads (deliberate delay)",
    code: `import { setTimeout as sleep } from 'node:timers/promises';
export async function waitForDeploy(id: string) {
  const first = await deployments.getStatus(id);
  await sleep(1000);
  const second = await deployments.getStatus(id);
  return first === second;
}`,
  },
  {
    name: "hand-made delay promise",
    code: `export async function retryOnce(url: string) {
  const res = await fetch(url);
  await new Promise((resolve) => setTimeout(resolve, 250));
  const again = await fetch(url);
  return res.ok ? res : again;
}`,
  },
  {
    name: "listen then fetch",
    code: `export async function smokeTest(server: import('node:http').Server) {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const res = await fetch('http://127.0.0.1:3000/health');
  return res.status;
}`,
  },
  {
    name: "server.listen awaited (fastify style) then a request",
    code: `export async function start(app: App) {
  await app.listen({ port: 0 });
  const res = await fetch('http://127.0.0.1:8080/ready');
  return res.ok;
}`,
  },
  {
    name: "awaits in exclusive branches",
    code: `export async function load(id: string, cached: boolean) {
  if (cached) {
    return await cache.get(id);
  } else {
    const fresh = await db.items.findById(id);
    return fresh;
  }
}`,
  },
  {
    name: "try/catch fallback",
    code: `import { readFile } from 'node:fs/promises';
export async function loadConfig() {
  let text: string;
  try {
    text = await readFile('config.local.json', 'utf8');
  } catch {
    text = await readFile('config.json', 'utf8');
  }
  return JSON.parse(text);
}`,
  },
  {
    name: "a guard between the awaits",
    code: `export async function getOrders(id: string) {
  const user = await users.findById(id);
  if (!user) throw new Error('not found');
  const orders = await ordersRepo.listByUser(id);
  return orders;
}`,
  },
  {
    name: "an unused check guards the write after it",
    code: `import { access } from 'node:fs/promises';
export async function importFile(pool: Pool, path: string) {
  await access(path);
  await pool.query('UPDATE imports SET started_at = now()');
}`,
  },
  {
    name: "awaited only for its unknown effect",
    code: `export async function handler(req: Request) {
  await authorize(req);
  const data = await reports.getReport(req.params.id);
  return data;
}`,
  },
  {
    name: "already concurrent",
    code: `export async function dashboard(id: string) {
  const [user, stats] = await Promise.all([users.getUser(id), analytics.getStats(id)]);
  return { user, stats };
}`,
  },
  {
    name: "child processes keep their order",
    code: `import { promisify } from 'node:util';
import { execFile } from 'node:child_process';
const run = promisify(execFile);
export async function sync() {
  const fetched = await run('git', ['fetch']);
  const status = await run('git', ['status', '--short']);
  return { fetched, status };
}`,
  },
  {
    name: "redis set then get the same key",
    code: `export async function refreshFlags(redis: Redis, json: string) {
  await redis.set('feature:flags', json);
  const flags = await redis.get('feature:flags');
  return flags;
}`,
  },
  {
    name: "POST then GET",
    code: `export async function createAndList(body: string) {
  await fetch('https://api.example.com/items', { method: 'POST', body });
  const list = await fetch('https://api.example.com/items');
  return list.json();
}`,
  },
  {
    name: "publish to a queue then read its depth",
    code: `export async function enqueue(queue: Queue, job: Job) {
  const receipt = await queue.publish(job);
  const depth = await queue.getDepth();
  return { receipt, depth };
}`,
  },
  {
    name: "queries on one transaction run in order",
    code: `export async function moveItem(knex: Knex, id: string) {
  await knex.transaction(async (trx) => {
    const item = await trx('items').where({ id }).first();
    const bin = await trx('bins').where({ name: 'default' }).first();
    return { item, bin };
  });
}`,
  },
  {
    name: "connect then query",
    code: `export async function ping(client: Client) {
  await client.connect();
  const res = await client.query('SELECT 1');
  return res;
}`,
  },
  {
    name: "browser automation steps are ordered",
    code: `export async function submit(page: Page) {
  await page.click('#submit');
  const text = await page.textContent('.result');
  return text;
}`,
  },
  {
    name: "two calls whose effects are unknown (not reported by default)",
    code: `export async function run(input: Input) {
  const a = await transmogrify(input);
  const b = await frobnicate(input);
  return [a, b];
}`,
  },
  {
    name: "waits for an event then reads",
    code: `import { once } from 'node:events';
export async function firstMessage(socket: WebSocket) {
  const [message] = await once(socket, 'message');
  const meta = await sessions.getMeta(socket.url);
  return { message, meta };
}`,
  },
  {
    name: "a single await",
    code: `export async function getUser(id: string) {
  const user = await db.users.findById(id);
  return user;
}`,
  },
  {
    name: "plain JS: require and a write before a read of the same file",
    code: `const fs = require('fs');
async function bump(path) {
  await fs.promises.appendFile(path, 'x');
  const text = await fs.promises.readFile(path, 'utf8');
  return text.length;
}
module.exports = { bump };`,
    languageOptions: plainModule,
  },
  {
    name: "plain JS: the second query uses the first result",
    code: `export async function handler(req, res) {
  const session = await sessions.findByToken(req.headers.authorization);
  const cart = await carts.findByUser(session.userId);
  res.json(cart);
}`,
    languageOptions: plainModule,
  },
  {
    name: "plain JS: mkdir then copy",
    code: `import fs from 'node:fs/promises';
export async function stage(dir) {
  await fs.mkdir(dir, { recursive: true });
  await fs.cp('template', dir, { recursive: true });
}`,
    languageOptions: plainModule,
  },
  {
    name: "plain JS: Promise.resolve() awaited to yield",
    code: `export async function tick(store) {
  const before = await store.getState();
  await Promise.resolve();
  const after = await store.getState();
  return before === after;
}`,
    languageOptions: plainModule,
  },
  {
    name: "a name that reads and records is a write",
    code: `export async function dedupe(helpers: Helpers, keys: string[]) {
  const processed = await helpers.checkProcessedAndRecord(keys);
  const count = await helpers.getProcessedCount();
  return { processed, count };
}`,
  },
  {
    name: "getOrCreate is a write",
    code: `export async function ensureTeam(teams: Teams, name: string) {
  const team = await teams.getOrCreate(name);
  const members = await directory.listMembers(name);
  return { team, members };
}`,
  },
  {
    name: "bind before search on an LDAP client",
    code: `export async function whoAmI(client: LdapClient, dn: string, password: string) {
  await client.bind(dn, password);
  const { searchEntries } = await client.search(dn, { scope: 'base' });
  return searchEntries[0];
}`,
  },
  {
    name: "a route-style POST before a read",
    code: `export async function release(octokit: Octokit, tag: string) {
  const created = await octokit.request('POST /repos/{owner}/{repo}/releases', { tag_name: tag });
  const latest = await octokit.request('GET /repos/{owner}/{repo}/releases/latest');
  return { created, latest };
}`,
  },
  {
    name: "short-circuit operands are conditional",
    code: `export async function repoUrl(cwd: string) {
  return (await readPackageRepo(cwd)) || (await readGitRemote(cwd));
}`,
  },
  {
    name: "operands: a write then a read of the same file",
    code: `import { readFile, writeFile } from 'node:fs/promises';
export async function saveAndEcho(path: string, data: string) {
  return [await writeFile(path, data), await readFile(path, 'utf8')];
}`,
  },
  {
    name: "operands: a call with effects evaluated between them",
    code: `export async function snapshot(id: string) {
  return { before: await meters.getReading(id), tick: audit.recordTick(id), after: await meters.getReading(id) };
}`,
  },
  {
    name: "two reads from one stream reader consume it in order",
    code: `export async function header(reader: ReadableStreamDefaultReader<Uint8Array>) {
  const magic = await reader.read();
  const version = await reader.read();
  return { magic, version };
}`,
  },
  {
    name: "plain JS: two commands on one IMAP connection",
    code: `export async function simplify(imapConnection, message) {
  return {
    textHtml: await imapConnection.downloadText(message, 'html'),
    textPlain: await imapConnection.downloadText(message, 'plain'),
  };
}`,
    languageOptions: plainModule,
  },
  {
    name: "Promise.resolve of a call we cannot classify",
    code: `export async function clientInfo(provider: Provider, url: string) {
  const resource = await selectResourceUrl(url);
  const stored = await Promise.resolve(provider.clientInformation());
  return { resource, stored };
}`,
  },
  {
    name: "verify may change state: read the status before it",
    code: `export async function verifyFactor(auth: AuthService, id: string, code: string) {
  const factor = await auth.retrieveAuthMfa({ id });
  const verified = await auth.verifyAuthMfa({ id, code });
  return factor.status !== verified.status;
}`,
  },
  // Shapes from issues 11, 12 and 14: nested awaits, conditional operands, guards, test files.
  {
    name: "test files are skipped by default",
    code: `import { readFile } from 'node:fs/promises';
export async function loadPair(first: string, second: string) {
  const a = JSON.parse(await readFile(first, 'utf8'));
  const b = JSON.parse(await readFile(second, 'utf8'));
  return [a, b];
}`,
    filename: "src/load.spec.ts",
  },
  {
    name: "write then a nested read of the same file",
    code: `import { readFile, writeFile } from 'node:fs/promises';
export async function roundTrip(path: string, data: object) {
  await writeFile(path, JSON.stringify(data));
  const saved = JSON.parse(await readFile(path, 'utf8'));
  return saved;
}`,
  },
  {
    name: "a nested push feeds the next call",
    code: `import { readFile } from 'node:fs/promises';
export async function parts() {
  const out: string[] = [];
  out.push(await readFile('header.txt', 'utf8'));
  const next = await readFile(out[0]!.trim(), 'utf8');
  return [...out, next];
}`,
  },
  {
    name: "insert then a nested select in the return",
    code: `export async function register(pool: Pool, email: string) {
  await pool.query('INSERT INTO users (email) VALUES ($1)', [email]);
  return (await pool.query('SELECT id FROM users WHERE email = $1', [email])).rows[0];
}`,
  },
  {
    name: "a transaction with a nested update in a compound assignment",
    code: `export async function withdraw(client: Client, id: string) {
  let moved = 0;
  await client.query('BEGIN');
  moved += (await client.query('UPDATE accounts SET balance = balance - 10 WHERE id = $1', [id])).rowCount;
  await client.query('COMMIT');
  return moved;
}`,
  },
  {
    name: "a lock taken before a nested read",
    code: `import { readFile } from 'node:fs/promises';
export async function locked(mutex: Mutex, path: string) {
  const release = await mutex.acquire();
  const data = JSON.parse(await readFile(path, 'utf8'));
  release();
  return data;
}`,
  },
  {
    name: "mkdir nested in an array, then a write inside the directory",
    code: `import { mkdir, writeFile } from 'node:fs/promises';
export async function save(dir: string, report: string) {
  const created = [await mkdir(dir, { recursive: true })];
  await writeFile(\`\${dir}/report.txt\`, report);
  return created;
}`,
  },
  {
    name: "a hand-made timer between two reads of the same file (a throttle)",
    code: `import { readFile } from 'node:fs/promises';
export async function poll(path: string) {
  const first = await readFile(path, 'utf8');
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const second = await readFile(path, 'utf8');
  return first === second;
}`,
  },
];

export const invalid: InvalidTestCase<MessageId, Options>[] = [
  {
    name: "two query commands behind guards: the second starts first and is checked where it was",
    code: `class Runner {
  async validate() {
    if (!(await this.shell.run('npm ping'))) throw new Error('registry is down');
    if (!(await this.shell.run('npm whoami'))) throw new Error('not logged in');
  }
}
module.exports = { Runner };`,
    languageOptions: plainCommonJs,
    errors: [
      {
        messageId: "startBeforeGuard",
        line: 4,
        column: 11,
        endLine: 4,
        endColumn: 45,
        suggestions: [
          {
            messageId: "suggestStartBeforeGuard",
            data: {"calls":"`this.shell.run('npm whoami')`","anchor":"`this.shell.run(…)` on line 3"},
            output: `class Runner {
  async validate() {
    const runPromise = this.shell.run('npm whoami');
    runPromise.catch(() => {});
    if (!(await this.shell.run('npm ping'))) throw new Error('registry is down');
    if (!(await runPromise)) throw new Error('not logged in');
  }
}
module.exports = { Runner };`,
          },
        ],
      },
    ],
  },
  {
    name: "an await under || runs only when the left side is empty; the read after it always runs and may start first",
    code: `import { readFile } from 'node:fs/promises';
export async function settings(cached: string | undefined, path: string) {
  const raw = cached || await readFile(path, 'utf8');
  const defaults = await readFile('defaults.json', 'utf8');
  return { raw, defaults };
}`,
    errors: [
      {
        messageId: "startBeforeGuard",
        line: 4,
        column: 20,
        endLine: 4,
        endColumn: 59,
        suggestions: [
          {
            messageId: "suggestStartBeforeGuard",
            data: {"calls":"`readFile('defaults.json', 'ut\u2026`","anchor":"`raw` on line 3"},
            output: `import { readFile } from 'node:fs/promises';
export async function settings(cached: string | undefined, path: string) {
  const defaultsPromise = readFile('defaults.json', 'utf8');
  defaultsPromise.catch(() => {});
  const raw = cached || await readFile(path, 'utf8');
  const defaults = await defaultsPromise;
  return { raw, defaults };
}`,
          },
        ],
      },
    ],
  },
  {
    name: "an await under ?: runs only on one branch; the read after it may start first",
    code: `import { readFile } from 'node:fs/promises';
export async function report(fast: boolean, path: string) {
  const summary = fast ? await readFile(\`\${path}.summary\`, 'utf8') : '';
  const body = await readFile(path, 'utf8');
  return summary + body;
}`,
    errors: [
      {
        messageId: "startBeforeGuard",
        line: 4,
        column: 16,
        endLine: 4,
        endColumn: 44,
        suggestions: [
          {
            messageId: "suggestStartBeforeGuard",
            data: {"calls":"`readFile(path, 'utf8')`","anchor":"`summary` on line 3"},
            output: `import { readFile } from 'node:fs/promises';
export async function report(fast: boolean, path: string) {
  const bodyPromise = readFile(path, 'utf8');
  bodyPromise.catch(() => {});
  const summary = fast ? await readFile(\`\${path}.summary\`, 'utf8') : '';
  const body = await bodyPromise;
  return summary + body;
}`,
          },
        ],
      },
    ],
  },
  {
    name: "an assertion between two file reads: the second starts first and is awaited after the assertion",
    code: `import { readFile } from 'node:fs/promises';
import assert from 'node:assert';
export async function pair(first: string, second: string) {
  const a = await readFile(first, 'utf8');
  assert(a.length > 0, 'first file is empty');
  const b = await readFile(second, 'utf8');
  return a + b;
}`,
    errors: [
      {
        messageId: "startBeforeGuard",
        line: 6,
        column: 13,
        endLine: 6,
        endColumn: 43,
        suggestions: [
          {
            messageId: "suggestStartBeforeGuard",
            data: {"calls":"`readFile(second, 'utf8')`","anchor":"`a` on line 4"},
            output: `import { readFile } from 'node:fs/promises';
import assert from 'node:assert';
export async function pair(first: string, second: string) {
  const bPromise = readFile(second, 'utf8');
  bPromise.catch(() => {});
  const a = await readFile(first, 'utf8');
  assert(a.length > 0, 'first file is empty');
  const b = await bPromise;
  return a + b;
}`,
          },
        ],
      },
    ],
  },
  {
    name: "two reads by name in an HTTP handler",
    code: `export async function getDashboard(req: Request, res: Response) {
  const user = await db.users.findById(req.params.id);
  const stats = await analytics.getStats(req.params.id);
  res.json({ user, stats });
}`,
    errors: [
    {
      messageId: "independentPair",
      line: 3,
      column: 17,
      endLine: 3,
      endColumn: 56,
      suggestions: [
        {
          messageId: "suggestPromiseAll",
          output: `export async function getDashboard(req: Request, res: Response) {
  const [user, stats] = await Promise.all([
    db.users.findById(req.params.id),
    analytics.getStats(req.params.id),
  ]);
  res.json({ user, stats });
}`,
        },
      ],
    },
    ],
  },
  {
    name: "two file reads (known API: high confidence)",
    code: `import { readFile } from 'node:fs/promises';
export async function loadTemplates() {
  const header = await readFile('templates/header.html', 'utf8');
  const footer = await readFile('templates/footer.html', 'utf8');
  return header + footer;
}`,
    errors: [
    {
      messageId: "independentPair",
      line: 4,
      column: 18,
      endLine: 4,
      endColumn: 65,
      suggestions: [
        {
          messageId: "suggestPromiseAll",
          output: `import { readFile } from 'node:fs/promises';
export async function loadTemplates() {
  const [header, footer] = await Promise.all([
    readFile('templates/header.html', 'utf8'),
    readFile('templates/footer.html', 'utf8'),
  ]);
  return header + footer;
}`,
        },
      ],
    },
    ],
  },
  {
    name: "three reads form one group",
    code: `export async function profilePage(id: string) {
  const user = await users.getUser(id);
  const friends = await social.listFriends(id);
  const photos = await media.listPhotos(id);
  return { user, friends, photos };
}`,
    errors: [
    {
      messageId: "independentGroup",
      line: 3,
      column: 19,
      endLine: 3,
      endColumn: 47,
      suggestions: [
        {
          messageId: "suggestPromiseAll",
          output: `export async function profilePage(id: string) {
  const [user, friends, photos] = await Promise.all([
    users.getUser(id),
    social.listFriends(id),
    media.listPhotos(id),
  ]);
  return { user, friends, photos };
}`,
        },
      ],
    },
    ],
  },
  {
    name: "two GET requests",
    code: `export async function weather(city: string) {
  const current = await fetch(\`https://api.example.com/current?city=\${city}\`);
  const forecast = await fetch(\`https://api.example.com/forecast?city=\${city}\`);
  return { current: await current.json(), forecast: await forecast.json() };
}`,
    errors: [
    {
      messageId: "independentPair",
      line: 3,
      column: 20,
      endLine: 3,
      endColumn: 80,
      suggestions: [
        {
          messageId: "suggestPromiseAll",
          output: `export async function weather(city: string) {
  const [current, forecast] = await Promise.all([
    fetch(\`https://api.example.com/current?city=\${city}\`),
    fetch(\`https://api.example.com/forecast?city=\${city}\`),
  ]);
  return { current: await current.json(), forecast: await forecast.json() };
}`,
        },
      ],
    },
    {
      messageId: "independentOperands",
      line: 4,
      column: 53,
      endLine: 4,
      endColumn: 74,
      suggestions: [
        {
          messageId: "suggestHoistOperands",
          output: `export async function weather(city: string) {
  const current = await fetch(\`https://api.example.com/current?city=\${city}\`);
  const forecast = await fetch(\`https://api.example.com/forecast?city=\${city}\`);
  const [current2, forecast2] = await Promise.all([current.json(), forecast.json()]);
  return { current: current2, forecast: forecast2 };
}`,
        },
      ],
    },
    ],
  },
  {
    name: "SELECTs on different tables",
    code: `export async function summary(pool: Pool, id: number) {
  const { rows: orders } = await pool.query('SELECT * FROM orders WHERE customer_id = $1', [id]);
  const { rows: invoices } = await pool.query('SELECT * FROM invoices WHERE customer_id = $1', [id]);
  return { orders, invoices };
}`,
    errors: [
    {
      messageId: "independentPair",
      line: 3,
      column: 30,
      endLine: 3,
      endColumn: 101,
      suggestions: [
        {
          messageId: "suggestPromiseAll",
          output: `export async function summary(pool: Pool, id: number) {
  const [{ rows: orders }, { rows: invoices }] = await Promise.all([
    pool.query('SELECT * FROM orders WHERE customer_id = $1', [id]),
    pool.query('SELECT * FROM invoices WHERE customer_id = $1', [id]),
  ]);
  return { orders, invoices };
}`,
        },
      ],
    },
    ],
  },
  {
    name: "a write to one table and a read of another",
    code: `export async function checkout(pool: Pool, cartId: number) {
  await pool.query('UPDATE carts SET checked_out = true WHERE id = $1', [cartId]);
  const { rows } = await pool.query('SELECT * FROM promotions WHERE active');
  return rows;
}`,
    errors: [
    {
      messageId: "independentPair",
      line: 3,
      column: 20,
      endLine: 3,
      endColumn: 77,
      suggestions: [
        {
          messageId: "suggestPromiseAll",
          output: `export async function checkout(pool: Pool, cartId: number) {
  const [, { rows }] = await Promise.all([
    pool.query('UPDATE carts SET checked_out = true WHERE id = $1', [cartId]),
    pool.query('SELECT * FROM promotions WHERE active'),
  ]);
  return rows;
}`,
        },
      ],
    },
    ],
  },
  {
    name: "redis gets of two keys",
    code: `export async function limits(redis: Redis, userId: string) {
  const minute = await redis.get(\`rate:\${userId}:minute\`);
  const day = await redis.get(\`rate:\${userId}:day\`);
  return { minute, day };
}`,
    errors: [
    {
      messageId: "independentPair",
      line: 3,
      column: 15,
      endLine: 3,
      endColumn: 52,
      suggestions: [
        {
          messageId: "suggestPromiseAll",
          output: `export async function limits(redis: Redis, userId: string) {
  const [minute, day] = await Promise.all([
    redis.get(\`rate:\${userId}:minute\`),
    redis.get(\`rate:\${userId}:day\`),
  ]);
  return { minute, day };
}`,
        },
      ],
    },
    ],
  },
  {
    name: "a statement between them moves above",
    code: `export async function product(id: string) {
  const item = await catalog.getItem(id);
  const key = \`reviews:\${id}\`;
  const reviews = await cache.get(key);
  return { item, reviews };
}`,
    errors: [
    {
      messageId: "independentPair",
      line: 4,
      column: 19,
      endLine: 4,
      endColumn: 39,
      suggestions: [
        {
          messageId: "suggestPromiseAll",
          output: `export async function product(id: string) {
  const key = \`reviews:\${id}\`;
  const [item, reviews] = await Promise.all([catalog.getItem(id), cache.get(key)]);
  return { item, reviews };
}`,
        },
      ],
    },
    ],
  },
  {
    name: "a statement that uses the first result moves below",
    code: `export async function order(id: string) {
  const order = await orders.getOrder(id);
  const total = order.lines.length;
  const shipping = await quotes.getQuote(id);
  return { order, total, shipping };
}`,
    errors: [
    {
      messageId: "independentPair",
      line: 4,
      column: 20,
      endLine: 4,
      endColumn: 45,
      suggestions: [
        {
          messageId: "suggestPromiseAll",
          output: `export async function order(id: string) {
  const [order, shipping] = await Promise.all([orders.getOrder(id), quotes.getQuote(id)]);
  const total = order.lines.length;
  return { order, total, shipping };
}`,
        },
      ],
    },
    ],
  },
  {
    name: "let keeps let",
    code: `export async function settings(userId: string) {
  let prefs = await preferences.getPreferences(userId);
  let theme = await themes.getTheme(userId);
  prefs ??= {};
  theme ??= 'light';
  return { prefs, theme };
}`,
    errors: [
    {
      messageId: "independentPair",
      line: 3,
      column: 15,
      endLine: 3,
      endColumn: 44,
      suggestions: [
        {
          messageId: "suggestPromiseAll",
          output: `export async function settings(userId: string) {
  let [prefs, theme] = await Promise.all([
    preferences.getPreferences(userId),
    themes.getTheme(userId),
  ]);
  prefs ??= {};
  theme ??= 'light';
  return { prefs, theme };
}`,
        },
      ],
    },
    ],
  },
  {
    name: "type annotations become a tuple type",
    code: `export async function account(id: string) {
  const owner: Owner = await owners.getOwner(id);
  const plan: Plan | undefined = await billing.getPlan(id);
  return { owner, plan };
}`,
    errors: [
    {
      messageId: "independentPair",
      line: 3,
      column: 34,
      endLine: 3,
      endColumn: 59,
      suggestions: [
        {
          messageId: "suggestPromiseAll",
          output: `export async function account(id: string) {
  const [owner, plan]: [Owner, Plan | undefined] = await Promise.all([
    owners.getOwner(id),
    billing.getPlan(id),
  ]);
  return { owner, plan };
}`,
        },
      ],
    },
    ],
  },
  {
    name: "destructuring patterns are kept",
    code: `export async function inbox(id: string) {
  const { items: messages } = await mail.listMessages(id);
  const [latest] = await notifications.listRecent(id);
  return { messages, latest };
}`,
    errors: [
    {
      messageId: "independentPair",
      line: 3,
      column: 20,
      endLine: 3,
      endColumn: 54,
      suggestions: [
        {
          messageId: "suggestPromiseAll",
          output: `export async function inbox(id: string) {
  const [{ items: messages }, [latest]] = await Promise.all([
    mail.listMessages(id),
    notifications.listRecent(id),
  ]);
  return { messages, latest };
}`,
        },
      ],
    },
    ],
  },
  {
    name: "assignments to instance fields",
    code: `class Store {
  users: User[] = [];
  teams: Team[] = [];
  async refresh() {
    this.users = await this.api.listUsers();
    this.teams = await this.api.listTeams();
  }
}`,
    errors: [
    {
      messageId: "independentPair",
      line: 6,
      column: 18,
      endLine: 6,
      endColumn: 44,
      suggestions: [
        {
          messageId: "suggestPromiseAll",
          output: `class Store {
  users: User[] = [];
  teams: Team[] = [];
  async refresh() {
    [this.users, this.teams] = await Promise.all([this.api.listUsers(), this.api.listTeams()]);
  }
}`,
        },
      ],
    },
    ],
  },
  {
    name: "an awaited write with no result next to a read of another file",
    code: `import { readFile, writeFile } from 'node:fs/promises';
export async function rotate(data: string) {
  await writeFile('logs/current.log', data);
  const archived = await readFile('logs/archive.log', 'utf8');
  return archived;
}`,
    errors: [
    {
      messageId: "independentPair",
      line: 4,
      column: 20,
      endLine: 4,
      endColumn: 62,
      suggestions: [
        {
          messageId: "suggestPromiseAll",
          output: `import { readFile, writeFile } from 'node:fs/promises';
export async function rotate(data: string) {
  const [, archived] = await Promise.all([
    writeFile('logs/current.log', data),
    readFile('logs/archive.log', 'utf8'),
  ]);
  return archived;
}`,
        },
      ],
    },
    ],
  },
  {
    name: "start an independent read before a dependent chain",
    code: `import { readFile } from 'node:fs/promises';
export async function render(id: string) {
  const user = await users.getUser(id);
  const orders = await shop.listOrders(user.accountId);
  const layout = await readFile('views/layout.html', 'utf8');
  return layout.replace('{{body}}', JSON.stringify({ user, orders }));
}`,
    errors: [
    {
      messageId: "startEarly",
      line: 5,
      column: 18,
      endLine: 5,
      endColumn: 61,
      suggestions: [
        {
          messageId: "suggestStartEarly",
          data: {"call":"readFile('views/layout.html', 'utf8')"},
          output: `import { readFile } from 'node:fs/promises';
export async function render(id: string) {
  const layoutPromise = readFile('views/layout.html', 'utf8');
  layoutPromise.catch(() => {});
  const user = await users.getUser(id);
  const orders = await shop.listOrders(user.accountId);
  const layout = await layoutPromise;
  return layout.replace('{{body}}', JSON.stringify({ user, orders }));
}`,
        },
      ],
    },
    ],
  },
  {
    name: "comments between the awaits are kept",
    code: `export async function home(id: string) {
  // who is asking
  const viewer = await sessions.getViewer(id);
  // what to show them
  const feed = await feeds.getFeed(id); // newest first
  return { viewer, feed };
}`,
    errors: [
    {
      messageId: "independentPair",
      line: 5,
      column: 16,
      endLine: 5,
      endColumn: 39,
      suggestions: [
        {
          messageId: "suggestPromiseAll",
          output: `export async function home(id: string) {
  // who is asking
  // what to show them
  const [viewer, feed] = await Promise.all([sessions.getViewer(id), feeds.getFeed(id)]); // newest first
  return { viewer, feed };
}`,
        },
      ],
    },
    ],
  },
  {
    name: "long calls are laid out one per line",
    code: `export async function report(range: DateRange) {
  const revenue = await analytics.getRevenueBreakdownByRegion(range.start, range.end, { currency: 'EUR' });
  const signups = await analytics.getSignupFunnelByChannel(range.start, range.end, { includeTrials: true });
  return { revenue, signups };
}`,
    errors: [
    {
      messageId: "independentPair",
      line: 3,
      column: 19,
      endLine: 3,
      endColumn: 108,
      suggestions: [
        {
          messageId: "suggestPromiseAll",
          output: `export async function report(range: DateRange) {
  const [revenue, signups] = await Promise.all([
    analytics.getRevenueBreakdownByRegion(range.start, range.end, { currency: 'EUR' }),
    analytics.getSignupFunnelByChannel(range.start, range.end, { includeTrials: true }),
  ]);
  return { revenue, signups };
}`,
        },
      ],
    },
    ],
  },
  {
    name: "top-level await in a module",
    code: `import { readFile } from 'node:fs/promises';
const schema = await readFile('schema.graphql', 'utf8');
const resolvers = await readFile('resolvers.json', 'utf8');
export { schema, resolvers };`,
    errors: [
    {
      messageId: "independentPair",
      line: 3,
      column: 19,
      endLine: 3,
      endColumn: 59,
      suggestions: [
        {
          messageId: "suggestPromiseAll",
          output: `import { readFile } from 'node:fs/promises';
const [schema, resolvers] = await Promise.all([
  readFile('schema.graphql', 'utf8'),
  readFile('resolvers.json', 'utf8'),
]);
export { schema, resolvers };`,
        },
      ],
    },
    ],
  },
  {
    name: "reads through a method on this",
    code: `export class ReportService {
  constructor(private readonly repo: Repo) {}
  async build(id: string) {
    const totals = await this.repo.countOrders(id);
    const refunds = await this.repo.countRefunds(id);
    return { totals, refunds };
  }
}`,
    errors: [
    {
      messageId: "independentPair",
      line: 5,
      column: 21,
      endLine: 5,
      endColumn: 53,
      suggestions: [
        {
          messageId: "suggestPromiseAll",
          output: `export class ReportService {
  constructor(private readonly repo: Repo) {}
  async build(id: string) {
    const [totals, refunds] = await Promise.all([
      this.repo.countOrders(id),
      this.repo.countRefunds(id),
    ]);
    return { totals, refunds };
  }
}`,
        },
      ],
    },
    ],
  },
  {
    name: "a local helper that only reads files",
    code: `import { readFile } from 'node:fs/promises';
async function loadJson(path: string) {
  return JSON.parse(await readFile(path, 'utf8'));
}
export async function config() {
  const base = await loadJson('config/base.json');
  const local = await loadJson('config/local.json');
  return { ...base, ...local };
}`,
    errors: [
    {
      messageId: "independentPair",
      line: 7,
      column: 17,
      endLine: 7,
      endColumn: 52,
      suggestions: [
        {
          messageId: "suggestPromiseAll",
          output: `import { readFile } from 'node:fs/promises';
async function loadJson(path: string) {
  return JSON.parse(await readFile(path, 'utf8'));
}
export async function config() {
  const [base, local] = await Promise.all([
    loadJson('config/base.json'),
    loadJson('config/local.json'),
  ]);
  return { ...base, ...local };
}`,
        },
      ],
    },
    ],
  },
  {
    name: "plain JS: CommonJS require with destructuring",
    code: `const { readFile } = require('node:fs/promises');
async function loadKeys() {
  const publicKey = await readFile('keys/public.pem', 'utf8');
  const privateKey = await readFile('keys/private.pem', 'utf8');
  return { publicKey, privateKey };
}
module.exports = { loadKeys };`,
    languageOptions: plainCommonJs,
    errors: [
    {
      messageId: "independentPair",
      line: 4,
      column: 22,
      endLine: 4,
      endColumn: 64,
      suggestions: [
        {
          messageId: "suggestPromiseAll",
          output: `const { readFile } = require('node:fs/promises');
async function loadKeys() {
  const [publicKey, privateKey] = await Promise.all([
    readFile('keys/public.pem', 'utf8'),
    readFile('keys/private.pem', 'utf8'),
  ]);
  return { publicKey, privateKey };
}
module.exports = { loadKeys };`,
        },
      ],
    },
    ],
  },
  {
    name: "plain JS: no semicolons",
    code: `export async function page(ctx) {
  const post = await ctx.db.posts.findBySlug(ctx.params.slug)
  const comments = await ctx.db.comments.listByPost(ctx.params.slug)
  ctx.body = { post, comments }
}`,
    languageOptions: plainModule,
    errors: [
    {
      messageId: "independentPair",
      line: 3,
      column: 20,
      endLine: 3,
      endColumn: 69,
      suggestions: [
        {
          messageId: "suggestPromiseAll",
          output: `export async function page(ctx) {
  const [post, comments] = await Promise.all([
    ctx.db.posts.findBySlug(ctx.params.slug),
    ctx.db.comments.listByPost(ctx.params.slug),
  ])
  ctx.body = { post, comments }
}`,
        },
      ],
    },
    ],
  },
  {
    name: "plain JS: express handler with axios GETs",
    code: `import axios from 'axios';
export async function quotes(req, res) {
  const { data: eur } = await axios.get('https://rates.example.com/EUR');
  const { data: usd } = await axios.get('https://rates.example.com/USD');
  res.json({ eur, usd });
}`,
    languageOptions: plainModule,
    errors: [
    {
      messageId: "independentPair",
      line: 4,
      column: 25,
      endLine: 4,
      endColumn: 73,
      suggestions: [
        {
          messageId: "suggestPromiseAll",
          output: `import axios from 'axios';
export async function quotes(req, res) {
  const [{ data: eur }, { data: usd }] = await Promise.all([
    axios.get('https://rates.example.com/EUR'),
    axios.get('https://rates.example.com/USD'),
  ]);
  res.json({ eur, usd });
}`,
        },
      ],
    },
    ],
  },
  {
    name: "plain JS: a cache read and a file read",
    code: `import { readFile } from 'node:fs/promises';
export async function page(cache, slug) {
  const cached = await cache.get(slug);
  const template = await readFile('views/page.html', 'utf8');
  return cached ?? template;
}`,
    languageOptions: plainModule,
    errors: [
    {
      messageId: "independentPair",
      line: 4,
      column: 20,
      endLine: 4,
      endColumn: 61,
      suggestions: [
        {
          messageId: "suggestPromiseAll",
          output: `import { readFile } from 'node:fs/promises';
export async function page(cache, slug) {
  const [cached, template] = await Promise.all([
    cache.get(slug),
    readFile('views/page.html', 'utf8'),
  ]);
  return cached ?? template;
}`,
        },
      ],
    },
    ],
  },
  {
    name: "awaits as properties of a returned object",
    code: `export async function usage(entitlements: Entitlements) {
  return { seats: await entitlements.getUsage('seats'), flows: await entitlements.getUsage('flows') };
}`,
    errors: [
    {
      messageId: "independentOperands",
      line: 2,
      column: 64,
      endLine: 2,
      endColumn: 100,
      suggestions: [
        {
          messageId: "suggestHoistOperands",
          output: `export async function usage(entitlements: Entitlements) {
  const [seats, flows] = await Promise.all([
    entitlements.getUsage('seats'),
    entitlements.getUsage('flows'),
  ]);
  return { seats, flows };
}`,
        },
      ],
    },
    ],
  },
  {
    name: "awaits as arguments of a call in a handler",
    code: `export async function home(req: Request, res: Response) {
  res.json({
    user: await users.getUser(req.params.id),
    feed: await feeds.getFeed(req.params.id),
  });
}`,
    errors: [
    {
      messageId: "independentOperands",
      line: 4,
      column: 11,
      endLine: 4,
      endColumn: 45,
      suggestions: [
        {
          messageId: "suggestHoistOperands",
          output: `export async function home(req: Request, res: Response) {
  const [user, feed] = await Promise.all([
    users.getUser(req.params.id),
    feeds.getFeed(req.params.id),
  ]);
  res.json({
    user,
    feed,
  });
}`,
        },
      ],
    },
    ],
  },
  {
    name: "plain JS: awaits as constructor arguments",
    code: `export async function openRoom(store, uid) {
  const room = new Room(uid, await store.get('collection'), await store.get('item'));
  return room;
}`,
    languageOptions: plainModule,
    errors: [
    {
      messageId: "independentOperands",
      line: 2,
      column: 61,
      endLine: 2,
      endColumn: 84,
      suggestions: [
        {
          messageId: "suggestHoistOperands",
          output: `export async function openRoom(store, uid) {
  const [collection, item] = await Promise.all([store.get('collection'), store.get('item')]);
  const room = new Room(uid, collection, item);
  return room;
}`,
        },
      ],
    },
    ],
  },
  {
    name: "operands after a call with effects: reported without a rewrite",
    code: `export async function report(id: string) {
  return format(audit.recordView(id), await reports.getSummary(id), await reports.getDetails(id));
}`,
    errors: [
    {
      messageId: "independentOperands",
      line: 2,
      column: 69,
      endLine: 2,
      endColumn: 97,
      suggestions: [],
    },
    ],
  },
  // Issues 11 and 12: the best schedule, nested awaits, names by line, test-file policy.
  {
    name: "issue 12: start the slow independent read first, chain the dependent one, await it last",
    code: `import { readFile } from 'node:fs/promises';
export async function bundle(dir: string) {
  const manifestPath = await readFile(\`\${dir}/MANIFEST\`, 'utf8');
  const readme = await readFile(\`\${dir}/README.md\`, 'utf8');
  const manifest = await readFile(manifestPath.trim(), 'utf8');
  return { readme, manifest };
}`,
    errors: [
      {
        messageId: "schedule",
        line: 4,
        column: 18,
        endLine: 4,
        endColumn: 60,
        suggestions: [
          {
            messageId: "suggestSchedule",
            output: `import { readFile } from 'node:fs/promises';
export async function bundle(dir: string) {
  const readmePromise = readFile(\`\${dir}/README.md\`, 'utf8');
  readmePromise.catch(() => {});
  const manifestPath = await readFile(\`\${dir}/MANIFEST\`, 'utf8');
  const manifest = await readFile(manifestPath.trim(), 'utf8');
  const readme = await readmePromise;
  return { readme, manifest };
}`,
          },
        ],
      },
    ],
  },
  {
    name: "a handler: an independent group is not lost to a dependent await after it (one schedule)",
    code: `import { readFile } from 'node:fs/promises';
export async function accountPage(api: Api, id: string) {
  const user = await api.getUser(id);
  const orders = await api.listOrders(id);
  const team = await api.getTeam(user.teamId);
  const template = await readFile('views/account.html', 'utf8');
  const recs = await api.getRecommendations(id);
  return render(template, { user, orders, team, recs });
}`,
    errors: [
      {
        messageId: "schedule",
        line: 4,
        column: 18,
        endLine: 4,
        endColumn: 42,
        suggestions: [
          {
            messageId: "suggestSchedule",
            output: `import { readFile } from 'node:fs/promises';
export async function accountPage(api: Api, id: string) {
  const started = Promise.all([
    api.listOrders(id),
    readFile('views/account.html', 'utf8'),
    api.getRecommendations(id),
  ]);
  started.catch(() => {});
  const user = await api.getUser(id);
  const team = await api.getTeam(user.teamId);
  const [orders, template, recs] = await started;
  return render(template, { user, orders, team, recs });
}`,
          },
        ],
      },
    ],
  },
  {
    name: "awaits nested in calls: two files parsed; the messages name equal calls by line",
    code: `import { readFile } from 'node:fs/promises';
export async function loadPair(first: string, second: string) {
  const a = JSON.parse(await readFile(first, 'utf8'));
  const b = JSON.parse(await readFile(second, 'utf8'));
  return [a, b];
}`,
    errors: [
      {
        messageId: "independentPair",
        line: 4,
        column: 24,
        endLine: 4,
        endColumn: 54,
        suggestions: [
          {
            messageId: "suggestPromiseAll",
            output: `import { readFile } from 'node:fs/promises';
export async function loadPair(first: string, second: string) {
  const [file, file2] = await Promise.all([readFile(first, 'utf8'), readFile(second, 'utf8')]);
  const a = JSON.parse(file);
  const b = JSON.parse(file2);
  return [a, b];
}`,
          },
        ],
      },
    ],
  },
  {
    name: "awaits nested in push: the pushes keep their order after the group",
    code: `import { readFile } from 'node:fs/promises';
export async function banners() {
  const out: string[] = [];
  out.push(await readFile('banners/top.txt', 'utf8'));
  out.push(await readFile('banners/bottom.txt', 'utf8'));
  return out;
}`,
    errors: [
      {
        messageId: "independentPair",
        line: 5,
        column: 12,
        endLine: 5,
        endColumn: 56,
        suggestions: [
          {
            messageId: "suggestPromiseAll",
            output: `import { readFile } from 'node:fs/promises';
export async function banners() {
  const out: string[] = [];
  const [file, file2] = await Promise.all([
    readFile('banners/top.txt', 'utf8'),
    readFile('banners/bottom.txt', 'utf8'),
  ]);
  out.push(file);
  out.push(file2);
  return out;
}`,
          },
        ],
      },
    ],
  },
  {
    name: "an await in a returned object joins the await before it",
    code: `export async function page(db: Db, q: Query) {
  const items = await db.items.findMany(q);
  return { items, total: await db.items.count(q) };
}`,
    errors: [
      {
        messageId: "independentPair",
        line: 3,
        column: 26,
        endLine: 3,
        endColumn: 49,
        suggestions: [
          {
            messageId: "suggestPromiseAll",
            output: `export async function page(db: Db, q: Query) {
  const [items, total] = await Promise.all([db.items.findMany(q), db.items.count(q)]);
  return { items, total };
}`,
          },
        ],
      },
    ],
  },
  {
    name: "compound assignments with a log line between: the log stays after the first result",
    code: `import { readFile } from 'node:fs/promises';
export async function lineCount(paths: [string, string]) {
  let total = 0;
  total += (await readFile(paths[0], 'utf8')).split('\\n').length;
  console.log('first file counted');
  total += (await readFile(paths[1], 'utf8')).split('\\n').length;
  return total;
}`,
    errors: [
      {
        messageId: "independentPair",
        line: 6,
        column: 13,
        endLine: 6,
        endColumn: 45,
        suggestions: [
          {
            messageId: "suggestPromiseAll",
            output: `import { readFile } from 'node:fs/promises';
export async function lineCount(paths: [string, string]) {
  let total = 0;
  const [file, file2] = await Promise.all([
    readFile(paths[0], 'utf8'),
    readFile(paths[1], 'utf8'),
  ]);
  total += file.split('\\n').length;
  console.log('first file counted');
  total += file2.split('\\n').length;
  return total;
}`,
          },
        ],
      },
    ],
  },
  {
    name: "two dependent chains run side by side in stages",
    code: `import { readFile } from 'node:fs/promises';
export async function twoChains() {
  const left = await readFile('left.path', 'utf8');
  const leftBody = await readFile(left.trim(), 'utf8');
  const right = await readFile('right.path', 'utf8');
  const rightBody = await readFile(right.trim(), 'utf8');
  return leftBody + rightBody;
}`,
    errors: [
      {
        messageId: "schedule",
        line: 4,
        column: 20,
        endLine: 4,
        endColumn: 55,
        suggestions: [
          {
            messageId: "suggestSchedule",
            output: `import { readFile } from 'node:fs/promises';
export async function twoChains() {
  const [left, right] = await Promise.all([
    readFile('left.path', 'utf8'),
    readFile('right.path', 'utf8'),
  ]);
  const [leftBody, rightBody] = await Promise.all([
    readFile(left.trim(), 'utf8'),
    readFile(right.trim(), 'utf8'),
  ]);
  return leftBody + rightBody;
}`,
          },
        ],
      },
    ],
  },
  {
    name: "test files are reported when the policy says report",
    code: `import { readFile } from 'node:fs/promises';
export async function loadPair(first: string, second: string) {
  const a = JSON.parse(await readFile(first, 'utf8'));
  const b = JSON.parse(await readFile(second, 'utf8'));
  return [a, b];
}`,
    options: [{"testFiles":"report"}],
    filename: "src/__tests__/load.test.ts",
    errors: [
      {
        messageId: "independentPair",
        line: 4,
        column: 24,
        endLine: 4,
        endColumn: 54,
        suggestions: [
          {
            messageId: "suggestPromiseAll",
            output: `import { readFile } from 'node:fs/promises';
export async function loadPair(first: string, second: string) {
  const [file, file2] = await Promise.all([readFile(first, 'utf8'), readFile(second, 'utf8')]);
  const a = JSON.parse(file);
  const b = JSON.parse(file2);
  return [a, b];
}`,
          },
        ],
      },
    ],
  },
  {
    name: "test files at medium confidence when the policy says medium",
    code: `import { readFile } from 'node:fs/promises';
export async function loadPair(first: string, second: string) {
  const a = JSON.parse(await readFile(first, 'utf8'));
  const b = JSON.parse(await readFile(second, 'utf8'));
  return [a, b];
}`,
    options: [{"testFiles":"medium"}],
    filename: "test/load.ts",
    errors: [
      {
        messageId: "independentPair",
        line: 4,
        column: 24,
        endLine: 4,
        endColumn: 54,
        suggestions: [
          {
            messageId: "suggestPromiseAll",
            output: `import { readFile } from 'node:fs/promises';
export async function loadPair(first: string, second: string) {
  const [file, file2] = await Promise.all([readFile(first, 'utf8'), readFile(second, 'utf8')]);
  const a = JSON.parse(file);
  const b = JSON.parse(file2);
  return [a, b];
}`,
          },
        ],
      },
    ],
  },
];
