import * as espree from 'espree';
import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';
import type { NoUnboundedConcurrencyMessageId as MessageId, NoUnboundedConcurrencyRuleOptions as Options } from '@overlap/core';

/**
 * The RuleTester cases of no-unbounded-concurrency, shared with the test that applies every suggestion and type-checks the
 * result. Realistic service code; plain JS cases run under ESLint's default parser (espree with eslint-scope).
 * Valid cases include every false-positive class met on published packages (see docs/rules/no-unbounded-concurrency.md).
 */
const plainModule = { parser: espree, sourceType: 'module', ecmaVersion: 'latest' } as const;
const plainCommonJs = { parser: espree, sourceType: 'commonjs', ecmaVersion: 'latest' } as const;
void plainModule;
void plainCommonJs;

export const valid: ValidTestCase<Options>[] = [
  {
    name: "Bluebird's `all` over a list written out in place is a known size",
    languageOptions: plainCommonJs,
    code: `const BbPromise = require('bluebird');
module.exports = {
  checkAll() {
    return BbPromise.all(['us-east-1', 'eu-west-1'].map((region) => this.provider.request('S3', 'listBuckets', { region })));
  },
};`,
  },
  {
    name: "an object literal whose method is not its own (a spread may override it) gives no service evidence: medium, not reported by default",
    languageOptions: plainCommonJs,
    code: `const BbPromise = require('bluebird');
module.exports = {
  ...require('./upload'),
  uploadFunctions() {
    const names = this.serverless.service.getAllFunctions();
    return BbPromise.all(names.map((name) => this.uploadZipFile(name)));
  },
  uploadZipFile(name) {
    return this.provider.request('S3', 'putObject', { Key: name });
  },
};`,
  },
  {
    name: 'a collection the object holds (configured replicas) is medium confidence, opt-in',
    code: `export class ReplicaSet {
  constructor(private readonly replicas: { ping(): Promise<void> }[]) {}
  async healthCheck() {
    await Promise.all(this.replicas.map(async (replica) => replica.ping()));
  }
}`,
  },
  {
    name: 'medium confidence is opt-in: a mapper we cannot see into is not reported by default',
    code: `export async function syncAccounts() {
  const accounts = await db.accounts.findMany();
  await Promise.allSettled(accounts.map((account) => billing.sync(account.id)));
}`,
  },
  {
    name: "fixed-size array literal",
    code: `export async function dashboard(userId: string) {
  const [profile, orders, prefs] = await Promise.all([getProfile(userId), getOrders(userId), getPrefs(userId)]);
  return { profile, orders, prefs };
}`,
  },
  {
    name: "literal list mapped",
    code: `const regions = ['eu-west-1', 'us-east-1', 'ap-south-1'];
export async function pingAll() {
  return Promise.all(regions.map(async (region) => ping(\`https://\${region}.example.com/health\`)));
}`,
  },
  {
    name: "Array.from with a small constant length",
    code: `const WORKERS = 4;
export async function startWorkers(queue: Queue) {
  await Promise.all(Array.from({ length: WORKERS }, async () => {
    for await (const job of queue) await handle(job);
  }));
}`,
  },
  {
    name: "p-limit",
    code: `import pLimit from 'p-limit';
const limit = pLimit(5);
export async function fetchAll(ids: string[]) {
  return Promise.all(ids.map((id) => limit(() => fetch(\`https://api.example.com/items/\${id}\`))));
}`,
  },
  {
    name: "p-map with concurrency",
    code: `import pMap from 'p-map';
export async function resize(paths: string[]) {
  return pMap(paths, async (path) => sharp(path).resize(200).toFile(path + '.thumb.jpg'), { concurrency: 4 });
}`,
  },
  {
    name: "p-queue",
    code: `import PQueue from 'p-queue';
const queue = new PQueue({ concurrency: 2 });
export async function sendAll(messages: Message[]) {
  await Promise.all(messages.map((message) => queue.add(() => smtp.send(message))));
}`,
  },
  {
    name: "Bottleneck",
    code: `import Bottleneck from 'bottleneck';
const limiter = new Bottleneck({ maxConcurrent: 3, minTime: 100 });
export async function crawl(urls: string[]) {
  return Promise.all(urls.map((url) => limiter.schedule(() => fetch(url))));
}`,
  },
  {
    name: "chunked loop with slice(i, i + size)",
    code: `const BATCH_SIZE = 25;
export async function importRows(rows: Row[]) {
  for (let i = 0; i < rows.length; i += BATCH_SIZE) {
    await Promise.all(rows.slice(i, i + BATCH_SIZE).map((row) => db.insert(row)));
  }
}`,
  },
  {
    name: "chunk() helper in a for-of",
    code: `import { chunk } from 'lodash-es';
export async function notifyAll(users: User[]) {
  for (const group of chunk(users, 10)) {
    await Promise.all(group.map((user) => mailer.send(user.email)));
  }
}`,
  },
  {
    name: "async.mapLimit",
    code: `const async = require('async');
module.exports = function download(urls, done) {
  async.mapLimit(urls, 5, fetchUrl, done);
};`,
    languageOptions: plainCommonJs,
  },
  {
    name: "mapping existing promises starts no work",
    code: `export async function settle(tasks: { promise: Promise<void> }[]) {
  await Promise.allSettled(tasks.map((task) => task.promise));
}`,
  },
  {
    name: "push loop that flushes every N (batches)",
    code: `export async function copyAll(keys: string[]) {
  let pending: Promise<void>[] = [];
  for (const key of keys) {
    pending.push(copy(key));
    if (pending.length >= 10) {
      await Promise.all(pending);
      pending = [];
    }
  }
  await Promise.all(pending);
}`,
  },
  {
    name: "a pool that awaits a slot in the loop",
    code: `export async function runPool(jobs: Job[]) {
  const running = new Set<Promise<void>>();
  const all: Promise<void>[] = [];
  for (const job of jobs) {
    if (running.size >= 8) await Promise.race(running);
    const p = run(job).finally(() => running.delete(p));
    running.add(p);
    all.push(p);
  }
  await Promise.all(all);
}`,
  },
  {
    name: "own limiter named in the options",
    code: `import { withSlots } from './slots';
export async function uploadAll(files: string[]) {
  return Promise.all(files.map((file) => withSlots(() => upload(file))));
}`,
    options: [{"limiters":["withSlots"]}],
  },
  {
    name: "a fixed loop count",
    code: `export async function warmUp() {
  const pings: Promise<Response>[] = [];
  for (let i = 0; i < 3; i++) pings.push(fetch('http://localhost:8080/health'));
  await Promise.all(pings);
}`,
  },
  {
    name: "Promise.race of two",
    code: `export async function withTimeout<T>(work: Promise<T>, ms: number) {
  return Promise.race([work, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms))]);
}`,
  },
  {
    name: "sync forEach",
    code: `export function logAll(lines: string[]) {
  lines.forEach((line) => console.log(line));
}`,
  },
  {
    name: "slice(0, 10)",
    code: `export async function topTen(ids: string[]) {
  return Promise.all(ids.slice(0, 10).map((id) => loadScore(id)));
}`,
  },
  {
    name: "a semaphore acquired in the callback",
    code: `import { Semaphore } from 'async-mutex';
const semaphore = new Semaphore(4);
export async function processAll(items: Item[]) {
  await Promise.all(items.map(async (item) => {
    const [, release] = await semaphore.acquire();
    try { await processItem(item); } finally { release(); }
  }));
}`,
  },
  {
    name: "plain JS object keys of a literal",
    code: `const services = { users: 'http://users', billing: 'http://billing' };
async function checkServices() {
  return Promise.all(Object.keys(services).map((name) => fetch(services[name] + '/health')));
}
module.exports = { checkServices };`,
    languageOptions: plainCommonJs,
  },
  {
    name: "mapping to values, not work",
    code: `export async function total(orders: Order[]) {
  const amounts = await Promise.all(orders.map((order) => order.amount));
  return amounts.reduce((a, b) => a + b, 0);
}`,
  },
  {
    name: "parameter named batch",
    code: `export async function flush(batch: Event[]) {
  await Promise.all(batch.map((event) => sink.write(event)));
}`,
  },
  {
    name: "database pool bounds the concurrency",
    code: `import { Pool } from 'pg';
const pool = new Pool({ max: 10 });
export async function loadAll(ids: number[]) {
  return Promise.all(ids.map((id) => pool.query('select * from items where id = $1', [id])));
}`,
  },
  {
    name: "maxKnownSize raised",
    code: `const SHARDS = Array.from({ length: 32 }, (_, i) => i);
export async function scanShards() {
  return Promise.all(SHARDS.map((shard) => scan(shard)));
}`,
    options: [{"maxKnownSize":64}],
  },
  {
    name: "a test file",
    code: `import { test } from 'vitest';
test('handles many requests', async () => {
  const ids = Array.from({ length: 500 }, (_, i) => String(i));
  await Promise.all(ids.map((id) => fetch('http://127.0.0.1:3000/items/' + id)));
});`,
    filename: 'test/load.test.ts',
  },
  {
    name: "closing the workers the program owns",
    code: `export class Pool {
  private workers: Worker[] = [];
  async close() {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}`,
  },
  {
    name: "calling functions the program collected (handshake commands)",
    code: `export async function sendHandshake(commands: { send(): Promise<void> }[]) {
  await Promise.all(commands.map(({ send }) => send()));
}`,
  },
  {
    name: "promises that already exist, with a rejection handler attached",
    code: `export async function validateAll(validators: Promise<void>[]) {
  return Promise.all(validators.map((validator) => validator.catch((error) => ({ error }))));
}`,
  },
  {
    name: "a batch taken with splice",
    code: `export async function drain(queue: string[], batch: number) {
  while (queue.length) {
    const slice = queue.splice(0, batch).map((path) => stat(path));
    for (const entry of await Promise.all(slice)) report(entry);
  }
}`,
  },
  {
    name: "emitting to registered listeners",
    code: `function emitAsync(listeners, event) {
  const promises = [];
  for (let i = 0; i < listeners.length; i++) {
    promises.push(listeners[i].call(this, event));
  }
  return Promise.all(promises);
}
module.exports = { emitAsync };`,
    languageOptions: plainCommonJs,
  },
  {
    name: "quitting every client connection on shutdown",
    code: `async function disconnectAll(nodes) {
  await Promise.all(nodes.map((node) => node.quit().catch(() => undefined)));
}
module.exports = { disconnectAll };`,
    languageOptions: plainCommonJs,
  },
  {
    name: "a fixed number of processing loops: the count is the chosen concurrency",
    code: `Queue.prototype.run = function (concurrency, handlerName) {
  const promises = [];
  while (concurrency--) {
    promises.push(new Promise((resolve) => this.processJobs(handlerName + ':' + concurrency, resolve)));
  }
  return Promise.all(promises);
};`,
    languageOptions: plainCommonJs,
  },
  {
    name: "a queue's own addAll",
    code: `export class PQueue {
  add(task: () => Promise<void>) { return task(); }
  async addAll(tasks: Array<() => Promise<void>>) {
    return Promise.all(tasks.map(async (task) => this.add(task)));
  }
}`,
  },
  {
    name: "closing every connection the program holds, keyed in an object",
    code: `class ConnectionManager {
  async onExit() {
    await Promise.all(Object.keys(this.connections).map((id) => this.connections[id].close()));
  }
}
module.exports = ConnectionManager;`,
    languageOptions: plainCommonJs,
  },
  {
    name: "calling the registered closers",
    code: `function closeAll(closerList) {
  const closers = [];
  closerList.forEach((closer) => {
    const result = closer();
    if (result instanceof Promise) closers.push(result);
  });
  return Promise.all(closers);
}
module.exports = { closeAll };`,
    languageOptions: plainCommonJs,
  },
  {
    name: "values looked up synchronously, already loaded",
    code: `function lastBatch(migrationNames, allMigrations) {
  const found = migrationNames.map((migration) => allMigrations.find((entry) => entry.name === migration.name));
  return Promise.all(found);
}
module.exports = { lastBatch };`,
    languageOptions: plainCommonJs,
  },
    // Issue 11: precision classes found on unseen code and races across methods and aliases.
    {
      name: "explicit worker pool of Math.min(LIMIT, items.length) workers",
      code: `
import { upload } from './storage.js';

const LIMIT = 32;

export async function uploadAll(items: string[]): Promise<void> {
  let next = 0;
  async function worker(): Promise<void> {
    while (next < items.length) {
      const item = items[next++]!;
      await upload(item);
    }
  }
  await Promise.all(Array.from({ length: Math.min(LIMIT, items.length) }, worker));
}
`,
    },
    {
      name: "worker pool sized by a concurrency parameter",
      filename: 'file.js',
      languageOptions: plainModule,
      code: `
export async function drain(queue, concurrency, handle) {
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let job = queue.shift(); job; job = queue.shift()) {
        await handle(job);
      }
    }),
  );
}
`,
    },
  // Issue 11, strict review of unseen packages: fan-outs that queue on libuv's thread pool or are capped by the code.
  {
    name: 'a directory walk: lstat and realpath per entry, recursing into folders, queue on the thread pool',
    languageOptions: plainModule,
    code: `import { lstat, readdir, realpath } from 'node:fs/promises';
import { join } from 'node:path';
const SCRIPT = /^([a-z-]+)\.(js|mjs)$/u;
function remember(found, name, path) {
  const match = SCRIPT.exec(name);
  if (match) found.push({ name: match[1], path });
  else console.warn('skipping', path);
}
export async function findScripts(root, found = []) {
  const names = await readdir(root);
  await Promise.all(names.map(async (name) => {
    const path = join(root, name);
    const info = await lstat(path);
    if (info.isDirectory()) await findScripts(path, found);
    else if (info.isSymbolicLink()) remember(found, name, await realpath(path));
    else remember(found, name, path);
  }));
  return found;
}`,
  },
  {
    name: 'emptying a folder: one rm per entry, each a single thread-pool request',
    languageOptions: plainCommonJs,
    code: `const { readdir, rm } = require('node:fs/promises');
const { join } = require('node:path');
async function emptyFolder(folder) {
  const names = await readdir(folder);
  await Promise.all(names.map((name) => rm(join(folder, name), { recursive: true, force: true })));
}
module.exports = { emptyFolder };`,
  },
  {
    name: 'making every script of a manifest executable: stat and chmod per entry',
    languageOptions: plainCommonJs,
    code: `const { stat, chmod } = require('node:fs/promises');
const { resolve } = require('node:path');
function makeExecutable(manifest, dest) {
  return Promise.all(Object.keys(manifest.scripts).map(async (name) => {
    const file = resolve(dest, manifest.scripts[name]);
    const info = await stat(file);
    if ((info.mode | 0o111) !== info.mode) await chmod(file, info.mode | 0o111);
  }));
}
module.exports = { makeExecutable };`,
  },
  {
    name: 'a worker pool pushed in a counter loop capped with Math.min',
    code: `export async function runPooled<T>(tasks: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const index = next++;
      results[index] = await tasks[index]!();
    }
  };
  const workers: Promise<void>[] = [];
  const workerCount = Math.min(limit, tasks.length);
  for (let i = 0; i < workerCount; i++) workers.push(worker());
  await Promise.all(workers);
  return results;
}`,
  },
  {
    name: 'a batch whose length is checked against the API limit before the fan-out',
    code: `const MAX_BATCH = 500;
export async function sendBatch(messages: { to: string; body: string }[]) {
  const copy = structuredClone(messages);
  if (copy.length > MAX_BATCH) {
    throw new RangeError(\`at most \${MAX_BATCH} messages per batch\`);
  }
  return Promise.allSettled(copy.map(async (message) => {
    const response = await fetch('https://push.example.com/send', { method: 'POST', body: JSON.stringify(message) });
    return response.json();
  }));
}`,
  },
  {
    name: 'a private helper whose every caller passes a short literal list',
    languageOptions: plainCommonJs,
    code: `const ping = async (host) => (await fetch(\`https://\${host}/health\`)).ok;
const pingAll = (hosts) => Promise.all(hosts.map(ping));
const primaries = () => pingAll(['eu.example.com', 'us.example.com', process.env.EXTRA_HOST]);
const backups = () => pingAll(['backup.example.com']);
module.exports = { primaries, backups };`,
  },
  {
    name: 'the keys of an object the instance holds (job definitions) are medium confidence, opt-in',
    code: `export class Scheduler {
  private readonly definitions: Record<string, { run(): Promise<void> }> = {};
  async fillQueues() {
    await Promise.all(Object.keys(this.definitions).map(async (name) => this.fillQueue(name)));
  }
  private async fillQueue(name: string) {
    await fetch(\`https://queue.example.com/\${name}\`);
  }
}`,
  },
  {
    name: 'mirrors read off an options object are sized by configuration, not data',
    code: `export async function fastestMirror(config: { mirrors: string[] }) {
  return Promise.any(config.mirrors.map((mirror) => fetch(mirror + '/index.json')));
}`,
  },
  {
    name: 'a configured set named as one (target architectures) is not data-sized',
    code: `import { writeFile } from 'node:fs/promises';
export async function writeLaunchers(archs: string[], outDir: string) {
  await Promise.all(archs.map(async (arch) => {
    await writeFile(\`\${outDir}/launch-\${arch}.sh\`, \`exec ./app-\${arch}\`);
  }));
}`,
  },
  {
    name: 'a private helper whose every caller passes a configured collection',
    code: `import { copyFile } from 'node:fs/promises';
async function copyEach(sources: string[], dest: string) {
  await Promise.all(sources.map(async (source) => copyFile(source, \`\${dest}/\${source}\`)));
}
export async function stage(options: { extraResources: string[] }, dest: string) {
  await copyEach(options.extraResources, dest);
  await copyEach(['LICENSE', 'README.md'], dest);
}`,
  },
  {
    name: 'an async callback whose work reaches no service we can see is medium, off by default',
    code: `import { render } from './thumbnails.js';
export async function thumbnails(images: Image[]) {
  return Promise.all(images.map(async (image) => ({ id: image.id, thumb: await render(image) })));
}`,
  },
  {
    name: 'files read synchronously block in turn: nothing overlaps',
    code: `import { readFileSync } from 'node:fs';
export async function prepareUploads(uploads: { path: string; title: string }[]) {
  return Promise.all(uploads.map(async (upload) => ({ title: upload.title, data: readFileSync(upload.path) })));
}`,
  },
  {
    name: 'a callback the caller passes is work we cannot see: medium, off by default',
    code: `export async function eachDigest(digests: string[], fn: (digest: string) => Promise<unknown>) {
  return Promise.all(digests.map(async (digest) => fn(digest)));
}`,
  },
  {
    name: 'a private method whose every caller passes a configured collection',
    code: `export class Packager {
  constructor(private readonly options: { locales: string[]; outDir: string }) {}
  async pack() {
    await this.#writeEach(this.options.locales);
  }
  async #writeEach(names: string[]) {
    await Promise.all(names.map(async (name) => fetch(\`https://cdn.example.com/\${name}\`, { method: 'PUT' })));
  }
}`,
  },
  {
    name: 'an async callback that sends through a manager we cannot see into is medium, off by default',
    code: `export class Scheduler {
  constructor(private readonly manager: { send(request: object): Promise<string> }) {}
  async onJobs(jobs: { data: object }[]) {
    return Promise.allSettled(jobs.map(async ({ data }) => this.manager.send(data)));
  }
}`,
  },
];

export const invalid: InvalidTestCase<MessageId, Options>[] = [
  {
    name: "Bluebird's `all` (`const BbPromise = require('bluebird')`) over a map of an object literal's own method that sends a request (serverless-style plugin)",
    languageOptions: plainCommonJs,
    code: `const BbPromise = require('bluebird');
module.exports = {
  uploadFunctions() {
    const names = this.serverless.service.getAllFunctions();
    return BbPromise.all(names.map((name) => this.uploadZipFile(name)));
  },
  uploadZipFile(name) {
    return this.provider.request('S3', 'putObject', { Key: name });
  },
};`,
    errors: [{ messageId: 'unboundedMap', data: { combinator: 'BbPromise.all', work: '\`this.uploadZipFile(...)\`', collection: 'names', sizeNote: '', confidence: 'high', reason: 'the callback\'s promise comes from \`this.uploadZipFile\` and reaches a service or a file per element; its size is set by data (the result of a call)' }, line: 5, column: 12, suggestions: [] }],
  },
  {
    name: 'a request through a client object (receiver and method name) reaches a service',
    code: `export async function loadAll(http: { getJson(url: string): Promise<unknown> }, ids: string[]) {
  return Promise.all(ids.map(async (id) => http.getJson(\`/items/\${id}\`)));
}`,
    errors: [{ messageId: 'unboundedMap', line: 2, column: 10, suggestions: [] }],
  },
  {
    name: 'a group made by kind (not by size) is not a batch',
    code: `export async function runGroups(tests: { concurrent: boolean; url: string }[]) {
  for (const group of partitionByMode(tests)) {
    await Promise.all(group.map(async (test) => fetch(test.url)));
  }
}`,
    errors: [{ messageId: 'unboundedMap', line: 3, column: 11, suggestions: [] }],
  },
  {
    name: 'promises of a private method that sends a request, pushed in a loop',
    code: `export class Resolver {
  async prefetch(edges: { name: string }[]) {
    const promises: Promise<unknown>[] = [];
    for (const edge of edges) {
      promises.push(this.#fetchManifest(edge.name).catch(() => null));
    }
    await Promise.all(promises);
  }
  async #fetchManifest(name: string) {
    return (await fetch(\`https://registry.example.com/\${name}\`)).json();
  }
}`,
    errors: [{ messageId: 'unboundedPushLoop', line: 7, column: 11, suggestions: [] }],
  },
  {
    name: 'a data-named list read off an options object is still data-sized',
    code: `export async function uploadAll(options: { fileUploads: { url: string; body: string }[] }) {
  return Promise.all(options.fileUploads.map(async (upload) => fetch(upload.url, { method: 'POST', body: upload.body })));
}`,
    errors: [{ messageId: 'unboundedMap', line: 2, column: 10, suggestions: [] }],
  },
  {
    name: 'a mapper that calls a method of the same class which sends a request is high confidence',
    code: `export class AddCommand {
  constructor(private readonly targetPackages: { name: string }[]) {}
  collect() {
    const mapper = ({ name }: { name: string }) => this.latestVersion(name).then((version) => ({ name, version }));
    return Promise.all(this.targetPackages.map(mapper));
  }
  async latestVersion(name: string) {
    const response = await fetch(\`https://registry.example.com/\${name}\`);
    return (await response.json()).version as string;
  }
}`,
    errors: [{ messageId: 'unboundedMap', line: 5, column: 12, suggestions: [] }],
  },
  {
    name: 'with reportMediumConfidence, a fan-out over a held collection is reported',
    code: `export class Outbox {
  constructor(private readonly pending: { deliver(): Promise<void> }[]) {}
  async flush() {
    await Promise.all(this.pending.map(async (entry) => entry.deliver()));
  }
}`,
    options: [{ reportMediumConfidence: true }],
    errors: [{ messageId: 'unboundedMap', line: 4, column: 11, suggestions: [] }],
  },
  {
    name: "async map over a parameter",
    code: `export async function fetchItems(ids: string[]) {
  return Promise.all(ids.map(async (id) => {
    const response = await fetch(\`https://api.example.com/items/\${id}\`);
    return response.json();
  }));
}`,
    errors: [
      {
        messageId: 'unboundedMap',
        line: 2,
        column: 10,
        suggestions: [],
      },
    ],
  },
  {
    name: "mapped with a function reference",
    code: `async function fetchUser(id: string) {
  const response = await fetch('/users/' + id);
  return response.json();
}
export async function fetchUsers(ids: string[]) {
  return Promise.all(ids.map(fetchUser));
}`,
    errors: [
      {
        messageId: 'unboundedMap',
        line: 6,
        column: 10,
        suggestions: [],
      },
    ],
  },
  {
    name: "push loop",
    code: `export async function crawl(urls: string[]) {
  const requests: Promise<Response>[] = [];
  for (const url of urls) {
    requests.push(fetch(url));
  }
  return Promise.all(requests);
}`,
    errors: [
      {
        messageId: 'unboundedPushLoop',
        line: 6,
        column: 10,
        suggestions: [],
      },
    ],
  },
  {
    name: "forEach async",
    code: `export function notify(subscribers: Subscriber[], event: Event) {
  subscribers.forEach(async (subscriber) => {
    await fetch(subscriber.url, { method: 'POST', body: JSON.stringify(event) });
  });
}`,
    errors: [
      {
        messageId: 'unboundedAsyncCallback',
        line: 2,
        column: 3,
        suggestions: [],
      },
    ],
  },
  {
    name: "allSettled over an awaited query result",
    options: [{ reportMediumConfidence: true }],
    code: `export async function syncAccounts() {
  const accounts = await db.accounts.findMany();
  await Promise.allSettled(accounts.map((account) => billing.sync(account.id)));
}`,
    errors: [
      {
        messageId: 'unboundedMap',
        line: 3,
        column: 9,
        suggestions: [],
      },
    ],
  },
  {
    name: "p-map without concurrency: suggestion adds it",
    code: `import pMap from 'p-map';
export async function thumbnails(paths: string[]) {
  return pMap(paths, (path) => sharp(path).resize(100).toBuffer());
}`,
    errors: [
      {
        messageId: 'pMapWithoutConcurrency',
        line: 3,
        column: 10,
        suggestions: [
          { messageId: 'addConcurrencyOption', output: `import pMap from 'p-map';
export async function thumbnails(paths: string[]) {
  return pMap(paths, (path) => sharp(path).resize(100).toBuffer(), { concurrency: 8 });
}` },
        ],
      },
    ],
  },
  {
    name: "with p-map imported, Promise.all gets a pMap rewrite",
    options: [{ reportMediumConfidence: true }],
    code: `import pMap from 'p-map';
export async function deleteAll(keys: string[]) {
  await Promise.all(keys.map((key) => s3.deleteObject({ Bucket: 'b', Key: key })));
}`,
    errors: [
      {
        messageId: 'unboundedMap',
        line: 3,
        column: 9,
        suggestions: [
          { messageId: 'useBoundedPMap', output: `import pMap from 'p-map';
export async function deleteAll(keys: string[]) {
  await pMap(keys, (key) => s3.deleteObject({ Bucket: 'b', Key: key }), { concurrency: 8 });
}` },
        ],
      },
    ],
  },
  {
    name: "with p-limit imported, a limiter rewrite",
    code: `import pLimit from 'p-limit';
export async function checkLinks(links: string[]) {
  const results = await Promise.all(links.map(async (link) => (await fetch(link, { method: 'HEAD' })).ok));
  return results;
}`,
    errors: [
      {
        messageId: 'unboundedMap',
        line: 3,
        column: 25,
        suggestions: [
          { messageId: 'usePLimit', output: `import pLimit from 'p-limit';
export async function checkLinks(links: string[]) {
  const limit = pLimit(8);
  const results = await Promise.all(links.map((link) => limit(async () => (await fetch(link, { method: 'HEAD' })).ok)));
  return results;
}` },
        ],
      },
    ],
  },
  {
    name: "plain JS under espree, request body",
    code: `const express = require('express');
const app = express();
app.post('/bulk', async (req, res) => {
  const results = await Promise.all(req.body.ids.map((id) => fetch('http://inventory/items/' + id)));
  res.json(results.map((r) => r.status));
});`,
    languageOptions: plainCommonJs,
    errors: [
      {
        messageId: 'unboundedMap',
        line: 4,
        column: 25,
        suggestions: [],
      },
    ],
  },
  {
    name: "map assigned first, awaited later",
    options: [{ reportMediumConfidence: true }],
    code: `export async function warmCache(keys: string[]) {
  const loads = keys.map((key) => cache.load(key));
  await Promise.all(loads);
}`,
    errors: [
      {
        messageId: 'unboundedMap',
        line: 3,
        column: 9,
        suggestions: [],
      },
    ],
  },
  {
    name: "fire-and-forget map",
    code: `export function prefetch(urls: string[]) {
  urls.map(async (url) => {
    await fetch(url, { priority: 'low' });
  });
}`,
    errors: [
      {
        messageId: 'unboundedAsyncCallback',
        line: 2,
        column: 3,
        suggestions: [],
      },
    ],
  },
  {
    name: "known size above the threshold",
    options: [{ reportMediumConfidence: true }],
    code: `const PORTS = Array.from({ length: 1000 }, (_, i) => 8000 + i);
export async function scanPorts(host: string) {
  return Promise.all(PORTS.map((port) => probe(host, port)));
}`,
    errors: [
      {
        messageId: 'unboundedMap',
        line: 3,
        column: 10,
        suggestions: [],
      },
    ],
  },
  {
    name: "for-of with awaited-at-end pushes in JS",
    options: [{ reportMediumConfidence: true }],
    code: `async function uploadAll(files) {
  const uploads = [];
  for (const file of files) {
    uploads.push(storage.upload(file.path, file.contents));
  }
  await Promise.all(uploads);
}
module.exports = { uploadAll };`,
    languageOptions: plainCommonJs,
    errors: [
      {
        messageId: 'unboundedPushLoop',
        line: 6,
        column: 9,
        suggestions: [],
      },
    ],
  },
  {
    name: "Object.entries of an object parameter",
    code: `export async function saveAll(records: Record<string, Row>) {
  await Promise.all(Object.entries(records).map(async ([id, row]) => {
    await fetch(\`https://api.example.com/rows/\${id}\`, { method: 'PUT', body: JSON.stringify(row) });
  }));
}`,
    errors: [
      {
        messageId: 'unboundedMap',
        line: 2,
        column: 9,
        suggestions: [],
      },
    ],
  },
  {
    name: "classic for loop up to an unknown count",
    code: `export async function pingMany(count: number) {
  const pings = [];
  for (let i = 0; i < count; i++) {
    pings.push(fetch('http://localhost:3000/ping?i=' + i));
  }
  await Promise.all(pings);
}`,
    errors: [
      {
        messageId: 'unboundedPushLoop',
        line: 6,
        column: 9,
        suggestions: [],
      },
    ],
  },
  {
    name: "spread inside an array literal",
    options: [{ reportMediumConfidence: true }],
    code: `export async function loadPage(ids: string[]) {
  const [header, ...items] = await Promise.all([loadHeader(), ...ids.map((id) => loadItem(id))]);
  return { header, items };
}`,
    errors: [
      {
        messageId: 'unboundedMap',
        line: 2,
        column: 36,
        suggestions: [],
      },
    ],
  },
  {
    name: "forEach with a named async function",
    code: `async function reindex(doc: Doc) {
  await fetch(\`https://search.example.com/docs/\${doc.id}\`, { method: 'PUT', body: doc.body });
}
export function reindexAll(docs: Doc[]) {
  docs.forEach(reindex);
}`,
    errors: [
      {
        messageId: 'unboundedAsyncCallback',
        line: 5,
        column: 3,
        suggestions: [],
      },
    ],
  },
  {
    name: "a generic helper that calls its callback for every item",
    options: [{ reportMediumConfidence: true }],
    code: `export async function mapAll<T, R>(items: T[], fn: (item: T) => Promise<R>): Promise<R[]> {
  const pending: Promise<R>[] = [];
  for (const item of items) pending.push(fn(item));
  return Promise.all(pending);
}`,
    errors: [
      {
        messageId: 'unboundedPushLoop',
        line: 4,
        column: 10,
        suggestions: [],
      },
    ],
  },
    // Issue 11: races across methods and through aliases; issue 14: rewrites in generic classes compile.
    {
      name: "Array.from over the input itself is no pool",
      code: `
export async function pingAll(hosts: string[]): Promise<Response[]> {
  return Promise.all(Array.from(hosts, async (host) => fetch(\`https://\${host}/ping\`)));
}
`,
      errors: [
        {
          messageId: 'unboundedMap',
          line: 3,
          column: 10,
          suggestions: [],
        },
      ],
    },
  {
    name: 'reading every file of a folder at once holds a descriptor per file: still reported',
    code: `import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
export async function loadAll(folder: string) {
  const names = await readdir(folder);
  return Promise.all(names.map(async (name) => readFile(join(folder, name), 'utf8')));
}`,
    errors: [{ messageId: 'unboundedMap', line: 5, column: 10, suggestions: [] }],
  },
  {
    name: 'a private helper also called with a caller-sized list is still reported',
    code: `const fetchAll = (urls: string[]) => Promise.all(urls.map(async (url) => (await fetch(url)).text()));
export const mirrors = () => fetchAll(['https://a.example.com', 'https://b.example.com']);
export const pages = (urls: string[]) => fetchAll(urls);`,
    errors: [{ messageId: 'unboundedMap', line: 1, column: 38, suggestions: [] }],
  },
  {
    name: 'a length check that does not leave the function is no cap',
    code: `export async function sendAll(messages: { to: string }[]) {
  if (messages.length > 500) console.warn('a large batch');
  return Promise.allSettled(messages.map(async (message) => fetch(\`https://push.example.com/\${message.to}\`)));
}`,
    errors: [{ messageId: 'unboundedMap', line: 3, column: 10, suggestions: [] }],
  },
  {
    name: 'the keys of a held object are reported at medium confidence when asked',
    options: [{ reportMediumConfidence: true }],
    code: `export class Scheduler {
  private readonly definitions: Record<string, { run(): Promise<void> }> = {};
  async fillQueues() {
    await Promise.all(Object.keys(this.definitions).map(async (name) => this.fillQueue(name)));
  }
  private async fillQueue(name: string) {
    await fetch(\`https://queue.example.com/\${name}\`);
  }
}`,
    errors: [{ messageId: 'unboundedMap', line: 4, column: 11, suggestions: [] }],
  },
];
