import * as espree from 'espree';
import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';
import type { PreferConcurrentIterationMessageId, PreferConcurrentIterationOptions } from '@overlap/core';

/**
 * The RuleTester cases of prefer-concurrent-iteration, shared with the test that applies every suggestion and
 * type-checks the result. Realistic service code; plain JS cases run under ESLint's default parser (espree).
 */
const plainModule = { parser: espree, sourceType: 'module', ecmaVersion: 'latest' } as const;
const plainCommonJs = { parser: espree, sourceType: 'commonjs', ecmaVersion: 'latest' } as const;

type Options = PreferConcurrentIterationOptions;
type MessageId = PreferConcurrentIterationMessageId;

export const valid: ValidTestCase<Options>[] = [
  {
    name: "a hand-written list of paths with a lock file: removed in order, the lock last",
    code: `import { rm } from 'node:fs/promises';
export async function clean(dir: string) {
  const paths = [dir, \`\${dir}.partial\`, \`\${dir}.lock\`];
  for (const path of paths) {
    await rm(path, { recursive: true, force: true });
  }
}`,
  },
  {
    name: "lines added to one script after each await: concurrently they would land in the order the awaits finish",
    code: `import { stat } from 'node:fs/promises';
class Script {
  private readonly lines: string[] = [];
  line(text: string): void { this.lines.push(text); }
}
export async function describe(files: string[]) {
  const script = new Script();
  for (const file of files) {
    const info = await stat(file);
    script.line(\`\${file}: \${info.size}\`);
  }
  return script;
}`,
  },
  {
    name: "an accumulator carried between iterations",
    code: `export async function totalSpent(ids: string[]) {
  let total = 0;
  for (const id of ids) {
    total += await billing.getSpend(id);
  }
  return total;
}`,
  },
  {
    name: "a cursor carried between iterations",
    code: `export async function drain(pages: string[]) {
  let cursor: string | undefined;
  for (const page of pages) {
    const result = await api.listItems(page, cursor);
    cursor = result.next;
  }
  return cursor;
}`,
  },
  {
    name: "an early return that depends on an awaited result",
    code: `export async function firstHealthy(urls: string[]) {
  for (const url of urls) {
    const res = await fetch(url);
    if (res.ok) return url;
  }
  return undefined;
}`,
  },
  {
    name: "break on an awaited result",
    code: `export async function findFree(ports: number[]) {
  let free: number | undefined;
  for (const port of ports) {
    const used = await probe.isPortInUse(port);
    if (!used) { free = port; break; }
  }
  return free;
}`,
  },
  {
    name: "throttled with a sleep",
    code: `import { setTimeout as sleep } from 'node:timers/promises';
export async function crawl(urls: string[]) {
  for (const url of urls) {
    await fetch(url);
    await sleep(500);
  }
}`,
  },
  {
    name: "for await over a stream",
    code: `export async function countLines(lines: AsyncIterable<string>) {
  let count = 0;
  for await (const line of lines) {
    if (line) count++;
  }
  return count;
}`,
  },
  {
    name: "ordered inserts",
    code: `export async function importRows(pool: Pool, rows: Row[]) {
  for (const row of rows) {
    await pool.query('INSERT INTO events (id, payload) VALUES ($1, $2)', [row.id, row.payload]);
  }
}`,
  },
  {
    name: "appends to one log file",
    code: `import { appendFile } from 'node:fs/promises';
export async function log(lines: string[]) {
  for (const line of lines) {
    await appendFile('app.log', line + '\\n');
  }
}`,
  },
  {
    name: "a set shared by iterations",
    code: `export async function crawlLinks(urls: string[], seen: Set<string>) {
  for (const url of urls) {
    if (seen.has(url)) continue;
    seen.add(url);
    await fetch(url);
  }
}`,
  },
  {
    name: "a conditional push is a filter carried in order",
    code: `export async function activeUsers(ids: string[]) {
  const active: User[] = [];
  for (const id of ids) {
    const user = await users.getUser(id);
    if (user.active) active.push(user);
  }
  return active;
}`,
  },
  {
    name: "a lock taken in each iteration",
    code: `export async function updateAll(mutex: Mutex, ids: string[]) {
  for (const id of ids) {
    await mutex.runExclusive(() => counters.bump(id));
  }
}`,
  },
  {
    name: "emails are sent one after another (write by name)",
    code: `export async function notifyAll(users: User[]) {
  for (const user of users) {
    await mailer.sendEmail(user.email, 'Your invoice is ready');
  }
}`,
  },
  {
    name: "migrations run in order",
    code: `export async function migrate(db: Db, migrations: Migration[]) {
  for (const migration of migrations) {
    await migration.up(db);
  }
}`,
  },
  {
    name: "messages sent on a socket keep their order",
    code: `export async function replay(socket: WebSocket, ids: string[]) {
  for (const id of ids) {
    const event = await events.getEvent(id);
    socket.send(JSON.stringify(event));
  }
}`,
  },
  {
    name: "UI steps in a loop",
    code: `export async function fillForm(page: Page, fields: string[]) {
  for (const field of fields) {
    await page.click(field);
  }
}`,
  },
  {
    name: "plain JS: each iteration writes to the same object",
    code: `export async function loadAll(ids, out) {
  for (const id of ids) {
    out[id] = await store.getItem(id);
  }
  return out;
}`,
    languageOptions: plainModule,
  },
  {
    name: "plain JS: a loop in a function that is not async",
    code: `export function names(users) {
  const out = [];
  for (const user of users) out.push(user.name);
  return out;
}`,
    languageOptions: plainModule,
  },
  {
    name: "plain JS: already concurrent",
    code: `export async function loadAll(ids) {
  return Promise.all(ids.map((id) => store.getItem(id)));
}`,
    languageOptions: plainModule,
  },
  {
    name: "plain JS: deleting keys of an outer object through an optional chain",
    code: `export async function dropFocused(room, message, clientId) {
  for (const key of Object.keys(message.changes ?? {})) {
    const focus = await room.getFocusByField(key);
    if (focus && focus !== clientId) delete message.changes?.[key];
  }
}`,
    languageOptions: plainModule,
  },
  {
    name: "plain JS: queries inside one transaction",
    code: `export async function normalizeAll(db, actions) {
  await db.sequelize.transaction(async (transaction) => {
    const normalized = [];
    for (const action of actions) {
      normalized.push(await normalizeAction({ action, transaction }));
    }
    return normalized;
  });
}`,
    languageOptions: plainModule,
  },
  // Issue 11: counting and for...in loops, write-only accumulators, throttles.
  {
    name: "a counting loop throttled by a timer",
    code: `import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
export async function crawl(paths: string[]) {
  const pages: string[] = [];
  for (let i = 0; i < paths.length; i++) {
    pages[i] = await readFile(paths[i]!, 'utf8');
    await sleep(200);
  }
  return pages;
}`,
  },
  {
    name: "a counting loop that moves its own counter",
    code: `import { readFile } from 'node:fs/promises';
export async function skipDuplicates(paths: string[]) {
  const texts: string[] = [];
  for (let i = 0; i < paths.length; i++) {
    const text = await readFile(paths[i]!, 'utf8');
    if (texts.includes(text)) i++;
    texts.push(text);
  }
  return texts;
}`,
  },
  {
    name: "for...in reading back what an iteration wrote",
    code: `import { readFile } from 'node:fs/promises';
export async function merge(paths: Record<string, string>) {
  const merged: Record<string, string> = {};
  for (const key in paths) {
    merged[key] = (merged['base'] ?? '') + (await readFile(paths[key]!, 'utf8'));
  }
  return merged;
}`,
  },
  {
    name: "a counting loop that grows the list it walks",
    code: `import { readFile } from 'node:fs/promises';
export async function drain(queue: string[]) {
  const seen: string[] = [];
  for (let i = 0; i < queue.length; i++) {
    const next = await readFile(queue[i]!, 'utf8');
    if (next.startsWith('include ')) queue.push(next.slice(8));
    seen[i] = next;
  }
  return seen;
}`,
  },
  {
    name: "migrations run in order on one connection",
    code: `export async function migrate(client: Client, steps: string[]) {
  for (let i = 0; i < steps.length; i++) {
    await client.query(steps[i]!);
  }
}`,
  },
  {
    name: "test files are skipped by default",
    code: `import { readFile } from 'node:fs/promises';
export async function transformAll(paths: string[]) {
  const results: string[] = [];
  for (let i = 0; i < paths.length; i++) {
    results[i] = (await readFile(paths[i]!, 'utf8')).trim();
  }
  return results;
}`,
    filename: "src/transform.test.ts",
  },
  {
    name: "a helper that moves each entry within the shared object it is given: every iteration changes what the next one sees",
    languageOptions: plainModule,
    code: `function moveTo(plan, job, zone) {
  plan.byZone[zone] = plan.byZone[zone] || {};
  plan.byZone[zone][job.id] = job;
  delete plan.unplaced[job.id];
}
export async function placeJobs(plan, zones) {
  for (const job of Object.values(plan.unplaced)) {
    const zone = await zones.findZone(job.kind);
    moveTo(plan, job, zone);
  }
}`,
  },
];

export const invalid: InvalidTestCase<MessageId, Options>[] = [
  {
    name: "each iteration closes its own server",
    code: `async function shutdown(servers) {
  for (const server of servers) {
    await server.close();
  }
}
module.exports = { shutdown };`,
    languageOptions: plainCommonJs,
    errors: [
      {
        messageId: "sequentialIterations",
        line: 2,
        column: 3,
        endLine: 2,
        endColumn: 32,
        suggestions: [
          {
            messageId: "suggestConcurrentMap",
            data: {"iterable":"servers"},
            output: `async function shutdown(servers) {
  await Promise.all(Array.from(servers, async (server) => {
    await server.close();
  }));
}
module.exports = { shutdown };`,
          },
        ],
      },
    ],
  },
  {
    name: "collect results of reads in order",
    code: `export async function loadUsers(ids: string[]) {
  const users: User[] = [];
  for (const id of ids) {
    const user = await db.users.findById(id);
    users.push(user);
  }
  return users;
}`,
    errors: [
    {
      messageId: "sequentialIterations",
      line: 3,
      column: 3,
      endLine: 3,
      endColumn: 24,
      suggestions: [
        {
          messageId: "suggestConcurrentMap",
          data: {"iterable":"ids"},
          output: `export async function loadUsers(ids: string[]) {
  const users: User[] = await Promise.all(ids.map(async (id) => {
    const user = await db.users.findById(id);
    return user;
  }));
  return users;
}`,
        },
      ],
    },
    ],
  },
  {
    name: "a single push of an awaited value",
    code: `import { readFile } from 'node:fs/promises';
export async function readAll(paths: string[]) {
  const contents = [];
  for (const path of paths) {
    contents.push(await readFile(path, 'utf8'));
  }
  return contents;
}`,
    errors: [
    {
      messageId: "sequentialIterations",
      line: 4,
      column: 3,
      endLine: 4,
      endColumn: 28,
      suggestions: [
        {
          messageId: "suggestConcurrentMap",
          data: {"iterable":"paths"},
          output: `import { readFile } from 'node:fs/promises';
export async function readAll(paths: string[]) {
  const contents = await Promise.all(paths.map(async (path) => {
    return await readFile(path, 'utf8');
  }));
  return contents;
}`,
        },
      ],
    },
    ],
  },
  {
    name: "each iteration writes its own file; continue becomes return",
    code: `import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
export async function copyAll(files: string[], out: string) {
  for (const file of files) {
    if (file.startsWith('.')) continue;
    const data = await readFile(file, 'utf8');
    await writeFile(path.join(out, path.basename(file)), data.toUpperCase());
  }
}`,
    errors: [
    {
      messageId: "sequentialIterations",
      line: 4,
      column: 3,
      endLine: 4,
      endColumn: 28,
      suggestions: [
        {
          messageId: "suggestConcurrentMap",
          data: {"iterable":"files"},
          output: `import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
export async function copyAll(files: string[], out: string) {
  await Promise.all(files.map(async (file) => {
    if (file.startsWith('.')) return;
    const data = await readFile(file, 'utf8');
    await writeFile(path.join(out, path.basename(file)), data.toUpperCase());
  }));
}`,
        },
      ],
    },
    ],
  },
  {
    name: "a loop body without braces",
    code: `export async function warm(urls: string[]) {
  for (const url of urls) await fetch(url);
}`,
    errors: [
    {
      messageId: "sequentialIterations",
      line: 2,
      column: 3,
      endLine: 2,
      endColumn: 26,
      suggestions: [
        {
          messageId: "suggestConcurrentMap",
          data: {"iterable":"urls"},
          output: `export async function warm(urls: string[]) {
  await Promise.all(urls.map(async (url) => { await fetch(url); }));
}`,
        },
      ],
    },
    ],
  },
  {
    name: "Object.entries with a destructured item",
    code: `export async function checkAll(services: Record<string, string>) {
  for (const [name, url] of Object.entries(services)) {
    const res = await fetch(url, { method: 'HEAD' });
    console.log(name, res.status);
  }
}`,
    errors: [
    {
      messageId: "sequentialIterations",
      line: 2,
      column: 3,
      endLine: 2,
      endColumn: 54,
      suggestions: [
        {
          messageId: "suggestConcurrentMap",
          data: {"iterable":"Object.entries(services)"},
          output: `export async function checkAll(services: Record<string, string>) {
  await Promise.all(Object.entries(services).map(async ([name, url]) => {
    const res = await fetch(url, { method: 'HEAD' });
    console.log(name, res.status);
  }));
}`,
        },
      ],
    },
    ],
  },
  {
    name: "a Map is not an array: Array.from",
    code: `export async function refresh(sessions: Map<string, Session>) {
  for (const [id, session] of sessions) {
    const fresh = await auth.getSession(id);
    console.log(session.expires, fresh?.expires);
  }
}`,
    errors: [
    {
      messageId: "sequentialIterations",
      line: 2,
      column: 3,
      endLine: 2,
      endColumn: 40,
      suggestions: [
        {
          messageId: "suggestConcurrentMap",
          data: {"iterable":"sessions"},
          output: `export async function refresh(sessions: Map<string, Session>) {
  await Promise.all(Array.from(sessions, async ([id, session]) => {
    const fresh = await auth.getSession(id);
    console.log(session.expires, fresh?.expires);
  }));
}`,
        },
      ],
    },
    ],
  },
  {
    name: "a throw inside the body is allowed",
    code: `export async function validateAll(ids: string[]) {
  for (const id of ids) {
    const doc = await documents.getDocument(id);
    if (!doc) throw new Error(\`missing \${id}\`);
  }
}`,
    errors: [
    {
      messageId: "sequentialIterations",
      line: 2,
      column: 3,
      endLine: 2,
      endColumn: 24,
      suggestions: [
        {
          messageId: "suggestConcurrentMap",
          data: {"iterable":"ids"},
          output: `export async function validateAll(ids: string[]) {
  await Promise.all(ids.map(async (id) => {
    const doc = await documents.getDocument(id);
    if (!doc) throw new Error(\`missing \${id}\`);
  }));
}`,
        },
      ],
    },
    ],
  },
  {
    name: "redis reads per key",
    code: `export async function counts(redis: Redis, keys: string[]) {
  const values: (string | null)[] = [];
  for (const key of keys) {
    const value = await redis.get(key);
    values.push(value);
  }
  return values;
}`,
    errors: [
    {
      messageId: "sequentialIterations",
      line: 3,
      column: 3,
      endLine: 3,
      endColumn: 26,
      suggestions: [
        {
          messageId: "suggestConcurrentMap",
          data: {"iterable":"keys"},
          output: `export async function counts(redis: Redis, keys: string[]) {
  const values: (string | null)[] = await Promise.all(keys.map(async (key) => {
    const value = await redis.get(key);
    return value;
  }));
  return values;
}`,
        },
      ],
    },
    ],
  },
  {
    name: "SELECT per id",
    code: `export async function names(pool: Pool, ids: number[]) {
  for (const id of ids) {
    const { rows } = await pool.query('SELECT name FROM users WHERE id = $1', [id]);
    console.log(rows[0]?.name);
  }
}`,
    errors: [
    {
      messageId: "sequentialIterations",
      line: 2,
      column: 3,
      endLine: 2,
      endColumn: 24,
      suggestions: [
        {
          messageId: "suggestConcurrentMap",
          data: {"iterable":"ids"},
          output: `export async function names(pool: Pool, ids: number[]) {
  await Promise.all(ids.map(async (id) => {
    const { rows } = await pool.query('SELECT name FROM users WHERE id = $1', [id]);
    console.log(rows[0]?.name);
  }));
}`,
        },
      ],
    },
    ],
  },
  {
    name: "plain JS: filtered array of ids",
    code: `export async function prices(skus) {
  const result = [];
  for (const sku of skus.filter(Boolean)) {
    const price = await pricing.getPrice(sku);
    result.push({ sku, price });
  }
  return result;
}`,
    languageOptions: plainModule,
    errors: [
    {
      messageId: "sequentialIterations",
      line: 3,
      column: 3,
      endLine: 3,
      endColumn: 42,
      suggestions: [
        {
          messageId: "suggestConcurrentMap",
          data: {"iterable":"skus.filter(Boolean)"},
          output: `export async function prices(skus) {
  const result = await Promise.all(skus.filter(Boolean).map(async (sku) => {
    const price = await pricing.getPrice(sku);
    return { sku, price };
  }));
  return result;
}`,
        },
      ],
    },
    ],
  },
  {
    name: "plain JS: a Set of urls",
    code: `export async function ping(urls) {
  for (const url of new Set(urls)) {
    const res = await fetch(url);
    console.log(url, res.status);
  }
}`,
    languageOptions: plainModule,
    errors: [
    {
      messageId: "sequentialIterations",
      line: 2,
      column: 3,
      endLine: 2,
      endColumn: 35,
      suggestions: [
        {
          messageId: "suggestConcurrentMap",
          data: {"iterable":"new Set(urls)"},
          output: `export async function ping(urls) {
  await Promise.all(Array.from(new Set(urls), async (url) => {
    const res = await fetch(url);
    console.log(url, res.status);
  }));
}`,
        },
      ],
    },
    ],
  },
  // Issue 11: counting and for...in loops, write-only accumulators.
  {
    name: "a counting loop filling results by index",
    code: `import { readFile } from 'node:fs/promises';
export async function transformAll(paths: string[]) {
  const results: string[] = [];
  for (let i = 0; i < paths.length; i++) {
    results[i] = (await readFile(paths[i]!, 'utf8')).trim();
  }
  return results;
}`,
    errors: [
      {
        messageId: "sequentialIterations",
        line: 4,
        column: 3,
        endLine: 4,
        endColumn: 41,
        suggestions: [
          {
            messageId: "suggestConcurrentMap",
            output: `import { readFile } from 'node:fs/promises';
export async function transformAll(paths: string[]) {
  const results: string[] = [];
  await Promise.all(Array.from({ length: paths.length }, async (_, i) => {
    results[i] = (await readFile(paths[i]!, 'utf8')).trim();
  }));
  return results;
}`,
          },
        ],
      },
    ],
  },
  {
    name: "write-only accumulators: a count summed and an object filled under the item's key (medium: items may repeat)",
    code: `import { readdir } from 'node:fs/promises';
export async function inventory(dirs: string[]) {
  let fileCount = 0;
  const byName: Record<string, string[]> = {};
  for (const dir of dirs) {
    const files = await readdir(dir);
    fileCount += files.length;
    byName[dir] = files;
  }
  return { fileCount, byName };
}`,
    errors: [
      {
        messageId: "sequentialIterations",
        line: 5,
        column: 3,
        endLine: 5,
        endColumn: 26,
        suggestions: [
          {
            messageId: "suggestConcurrentMap",
            output: `import { readdir } from 'node:fs/promises';
export async function inventory(dirs: string[]) {
  let fileCount = 0;
  const byName: Record<string, string[]> = {};
  await Promise.all(dirs.map(async (dir) => {
    const files = await readdir(dir);
    fileCount += files.length;
    byName[dir] = files;
  }));
  return { fileCount, byName };
}`,
          },
        ],
      },
    ],
  },
  {
    name: "for...in filling an object under each key",
    code: `import { readFile } from 'node:fs/promises';
export async function loadLocales(paths: Record<string, string>) {
  const messages: Record<string, string> = {};
  for (const locale in paths) {
    messages[locale] = await readFile(paths[locale]!, 'utf8');
  }
  return messages;
}`,
    errors: [
      {
        messageId: "sequentialIterations",
        line: 4,
        column: 3,
        endLine: 4,
        endColumn: 30,
        suggestions: [
          {
            messageId: "suggestConcurrentMap",
            output: `import { readFile } from 'node:fs/promises';
export async function loadLocales(paths: Record<string, string>) {
  const messages: Record<string, string> = {};
  await Promise.all(Object.keys(paths).map(async (locale) => {
    messages[locale] = await readFile(paths[locale]!, 'utf8');
  }));
  return messages;
}`,
          },
        ],
      },
    ],
  },
  {
    name: "plain JS at the top level of a module: a counting loop collecting results",
    code: `const results = [];
for (let i = 0; i < urls.length; i++) {
  const res = await fetch(urls[i]);
  results.push(await res.json());
}
console.log(results);`,
    filename: "file.mjs",
    languageOptions: plainModule,
    errors: [
      {
        messageId: "sequentialIterations",
        line: 2,
        column: 1,
        endLine: 2,
        endColumn: 38,
        suggestions: [
          {
            messageId: "suggestConcurrentMap",
            output: `const results = await Promise.all(Array.from({ length: urls.length }, async (_, i) => {
  const res = await fetch(urls[i]);
  return await res.json();
}));
console.log(results);`,
          },
        ],
      },
    ],
  },
];
