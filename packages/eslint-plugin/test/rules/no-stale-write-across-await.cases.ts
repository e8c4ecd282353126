import * as espree from 'espree';
import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';
import type { NoStaleWriteAcrossAwaitMessageId, NoStaleWriteAcrossAwaitOptions } from '@overlap/core';

/**
 * The RuleTester cases of no-stale-write-across-await, shared with the test that applies every suggestion and type-checks
 * the result. Realistic service code; plain JS cases run under ESLint's default parser (espree). The valid cases
 * include every false-positive class reported against ESLint's require-atomic-updates and those found on real code.
 */
const plainModule = { parser: espree, sourceType: 'module', ecmaVersion: 'latest' } as const;
const plainCommonJs = { parser: espree, sourceType: 'commonjs', ecmaVersion: 'latest' } as const;

type Options = NoStaleWriteAcrossAwaitOptions;
type MessageId = NoStaleWriteAcrossAwaitMessageId;

export const valid: ValidTestCase<Options>[] = [
    {
      name: "local accumulator (ESLint #11899 class)",
      code: `
export async function sumPrices(ids: string[], priceOf: (id: string) => Promise<number>): Promise<number> {
  let total = 0;
  for (const id of ids) {
    total += await priceOf(id);
  }
  return total;
}
`,
    },
    {
      name: "fresh local object updated after an await",
      code: `
export async function buildReport(load: () => Promise<number[]>) {
  const report = { count: 0, sum: 0 };
  const values = await load();
  report.count += values.length;
  report.sum = report.sum + values.reduce((a, b) => a + b, 0);
  return report;
}
`,
    },
    {
      name: "new instance configured after awaiting (ESLint #18785 class)",
      code: `
class Player { width = 0; volume = 1; ready(): Promise<void> { return Promise.resolve(); } }

export async function createPlayer(): Promise<Player> {
  const player = new Player();
  await player.ready();
  player.width = 640;
  player.volume = player.volume / 2;
  return player;
}
`,
    },
    {
      name: "write that never used a stale read",
      code: `
export class Settings {
  config: Record<string, string> = {};

  async reload(read: () => Promise<Record<string, string>>): Promise<void> {
    this.config = await read();
  }
}
`,
    },
    {
      name: "koa middleware writing ctx after awaiting (per-request object)",
      filename: 'file.js',
      languageOptions: plainModule,
      code: `
import Koa from 'koa';
import { render } from './views.js';

const app = new Koa();

app.use(async (ctx) => {
  ctx.state.renders = (ctx.state.renders ?? 0) + 1;
  ctx.body = ctx.body ?? '' + await render(ctx.path);
  ctx.status = 200;
});
`,
    },
    {
      name: "await first, then update from the current value",
      code: `
let processed = 0;

export async function processBatch(run: () => Promise<number>): Promise<void> {
  const done = await run();
  processed += done;
}
`,
    },
    {
      name: "await evaluated before the read",
      code: `
let bytes = 0;

export async function addChunk(read: () => Promise<number>): Promise<void> {
  bytes = await read() + bytes;
}
`,
    },
    {
      name: "guard flag set before and cleared after the await (ESLint #12353 class)",
      code: `
export class Syncer {
  private syncing = false;

  async sync(push: () => Promise<void>): Promise<void> {
    if (this.syncing) return;
    this.syncing = true;
    try {
      await push();
    } finally {
      this.syncing = false;
    }
  }
}
`,
    },
    {
      name: "top-level IIFE runs once (ESLint #15076 class)",
      filename: 'file.js',
      languageOptions: plainCommonJs,
      code: `
const run = require('./run');

(async () => {
  try {
    const { exitCode } = await run(process.argv.slice(2));
    process.exitCode = exitCode;
  } catch (error) {
    console.error(error);
    process.exitCode = 1;
  }
})();
`,
    },
    {
      name: "parameter object written without reading it first (ESLint #17312 class)",
      code: `
async function sign(headers: Record<string, string>): Promise<void> {
  headers.authorization = 'Bearer token';
}

export async function withHeaders(headers: Record<string, string>): Promise<Record<string, string>> {
  await sign(headers);
  headers['x-request-id'] = 'abc';
  return headers;
}
`,
    },
    {
      name: "conditional assignment of an awaited value (ESLint #11950 class)",
      filename: 'file.js',
      languageOptions: plainModule,
      code: `
const flasher = { manifestId: 'main', config: null };

export async function tryFetchManifest(fetchManifest) {
  const config = await fetchManifest(flasher.manifestId);
  if (config) {
    flasher.config = config;
  }
}
`,
    },
    {
      name: "save and restore of a mode around the await",
      code: `
export class Maintenance {
  mode: 'live' | 'maintenance' = 'live';

  async during(task: () => Promise<void>): Promise<void> {
    const previous = this.mode;
    this.mode = 'maintenance';
    try {
      await task();
    } finally {
      this.mode = previous;
    }
  }
}
`,
    },
    {
      name: "main called once at top level",
      filename: 'file.js',
      languageOptions: plainModule,
      code: `
import { readConfig, migrate } from './setup.js';

let applied = 0;

async function main() {
  const config = await readConfig();
  applied += await migrate(config);
  console.log('applied', applied);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
`,
    },
    {
      name: "counter updated before awaiting and after it",
      code: `
export class Limiter {
  active = 0;

  async run<T>(task: () => Promise<T>): Promise<T> {
    this.active += 1;
    try {
      return await task();
    } finally {
      this.active -= 1;
    }
  }
}
`,
    },
    {
      name: "increment after the await",
      code: `
export class Stats {
  requests = 0;

  async handle(work: () => Promise<void>): Promise<void> {
    await work();
    this.requests++;
    this.requests = this.requests + 1;
  }
}
`,
    },
    {
      name: "stale value written to a different field",
      code: `
export class Progress {
  done = 0;
  lastReported = 0;

  async report(send: (n: number) => Promise<void>): Promise<void> {
    const done = this.done;
    await send(done);
    this.lastReported = done;
  }
}
`,
    },
    {
      name: "the await is on a path that returns before the write",
      code: `
export class Sequence {
  next = 1;

  async take(dryRun: boolean, log: (n: number) => Promise<void>): Promise<number> {
    const n = this.next;
    if (dryRun) {
      await log(n);
      return n;
    }
    this.next = n + 1;
    return n;
  }
}
`,
    },
    {
      name: "synchronous callback inside an async method",
      code: `
export class Totals {
  sum = 0;

  async add(load: () => Promise<number[]>): Promise<void> {
    const values = await load();
    values.forEach((value) => {
      this.sum += value;
    });
  }
}
`,
    },
    {
      name: "update serialised by a mutex",
      code: `
import { Mutex } from 'async-mutex';

const mutex = new Mutex();
let balance = 0;

export async function deposit(amount: () => Promise<number>): Promise<void> {
  await mutex.runExclusive(async () => {
    balance = balance + await amount();
  });
}
`,
    },
    {
      name: "lock acquired before the read",
      code: `
import { Mutex } from 'async-mutex';

export class Wallet {
  private readonly lock = new Mutex();
  private balance = 0;

  async withdraw(amount: number, confirm: () => Promise<void>): Promise<void> {
    const release = await this.lock.acquire();
    try {
      const current = this.balance;
      await confirm();
      this.balance = current - amount;
    } finally {
      release();
    }
  }
}
`,
    },
    {
      name: "CommonJS local accumulator",
      filename: 'file.js',
      languageOptions: plainCommonJs,
      code: `
const { readdir, stat } = require('fs/promises');

module.exports.folderSize = async function folderSize(dir) {
  let size = 0;
  for (const name of await readdir(dir)) {
    size += (await stat(dir + '/' + name)).size;
  }
  return size;
};
`,
    },
    {
      name: "value re-read after the await through the same object",
      code: `
const counters = { sent: 0 };

export async function send(deliver: () => Promise<void>): Promise<void> {
  const c = counters;
  await deliver();
  c.sent = c.sent + 1;
}
`,
    },
    {
      name: "stale value passed through an awaited call (real code: mongodb auth)",
      code: `
import { exchange } from './sts.js';

export class AwsAuth {
  async auth(context: { credentials: { key: string } }): Promise<void> {
    context.credentials = await exchange(context.credentials);
  }
}
`,
    },
    {
      name: "parameter binding reassigned after an await (real code: mongodb createCollection)",
      code: `
export async function createCollection(options: { fields?: string[] }, plan: () => Promise<string[]>): Promise<object> {
  const fields = options.fields;
  const planned = await plan();
  options = { ...options, fields: fields ?? planned };
  return options;
}
`,
    },
    {
      name: "method only called through a stored promise (real code: MongoClient._connect)",
      filename: 'file.js',
      languageOptions: plainModule,
      code: `
export class Client {
  async connect() {
    if (this.connecting) return this.connecting;
    this.connecting = this._connect();
    try {
      return await this.connecting;
    } finally {
      this.connecting = undefined;
    }
  }

  async _connect() {
    const attempts = this.attempts;
    await this.topology.open();
    this.attempts = attempts + 1;
    return this;
  }
}
`,
    },
    {
      name: "stale read used as an offset from a value re-read after the await",
      filename: 'file.js',
      languageOptions: plainModule,
      code: `
const pending = { events: 0 };

export function track() {
  pending.events += 1;
}

setInterval(async () => {
  const batch = pending.events;
  await fetch('https://metrics.example.com/ingest', { method: 'POST', body: String(batch) });
  pending.events = pending.events - batch;
}, 5000);
`,
    },
    {
      name: "buffer taken and emptied before the await",
      code: `
export class LogShipper {
  private buffer = '';

  constructor(private readonly send: (text: string) => Promise<void>) {}

  async flush(): Promise<void> {
    const text = this.buffer;
    this.buffer = '';
    await this.send(text);
  }
}
`,
    },
    {
      name: "retry counter reset to zero after a successful reconnect",
      code: `
export class Reconnector {
  private failures = 0;

  constructor(private readonly connect: () => Promise<void>) {}

  async reconnect(): Promise<void> {
    if (this.failures > 5) throw new Error('giving up');
    await this.connect();
    this.failures = 0;
  }
}
`,
    },
    {
      name: "loading flag around an assignment of fresh data",
      code: `
export class TodoStore {
  loading = false;
  todos: string[] = [];

  async load(api: { list(): Promise<string[]> }): Promise<void> {
    this.loading = true;
    this.todos = await api.list();
    this.loading = false;
  }
}
`,
    },
    {
      name: "push into a shared array after the await (one synchronous step)",
      code: `
export class Collector {
  results: number[] = [];

  async collect(inputs: number[], score: (n: number) => Promise<number>): Promise<void> {
    for (const input of inputs) {
      this.results.push(await score(input));
    }
  }
}
`,
    },
    {
      name: "Express middleware writing per-request objects",
      filename: 'file.js',
      languageOptions: plainModule,
      code: `
import express from 'express';
import { authenticate, countVisits } from './auth.js';

const app = express();

app.use(async (req, res, next) => {
  req.user = req.user ?? await authenticate(req);
  res.locals.visits = (res.locals.visits || 0) + await countVisits(req.user);
  next();
});
`,
    },
    {
      name: "old value only chooses which awaited call runs (real code: bullmq reconnect)",
      filename: 'file.js',
      languageOptions: plainModule,
      code: `
export class RedisClient {
  async reconnect() {
    const fresh = this.raw ? await this.duplicate(this.raw) : await this.createRaw();
    this.raw = fresh;
    this.closed = false;
  }
}
`,
    },
    {
      name: "generation re-checked after the await (real code: bullmq stalled checker)",
      code: `
export class Worker {
  private generation = 0;
  private checker: Promise<void> = Promise.resolve();

  async restartChecker(trace: () => Promise<void>, loop: () => Promise<void>): Promise<void> {
    const generation = ++this.generation;
    const previous = this.checker;
    await trace();
    if (generation !== this.generation) return;
    this.checker = previous.catch(() => undefined).then(loop);
  }
}
`,
    },
    // Issue 11: precision classes found on unseen code and races across methods and aliases.
    {
      name: "idempotent lazy initialisation loses no update",
      filename: 'file.js',
      languageOptions: plainModule,
      code: `
let highlighter;

export async function highlight(code) {
  highlighter = highlighter || (await import('shiki')).default;
  return highlighter.codeToHtml(code);
}
`,
    },
    {
      name: "queue reset only when still the batch this call took",
      code: `
import { send } from './transport.js';

export class Batcher {
  private queue: string[] = [];

  async flush(): Promise<void> {
    const batch = this.queue;
    await send(batch);
    if (this.queue === batch) this.queue = [];
  }
}
`,
    },
    {
      name: "per-call value re-checked after the wait",
      code: `
import { fetchPage } from './pages.js';

export class Router {
  private current = '/';

  navigate(route: string): Promise<string | undefined> {
    this.current = route;
    return this.render(route);
  }

  private async render(route: string): Promise<string | undefined> {
    const body = await fetchPage(route);
    if (this.current !== route) return undefined;
    return \`<main>\${body}</main>\`;
  }
}
`,
    },
    {
      name: "constant state marker, not a per-call value",
      code: `
import { connect } from './db.js';

export class Service {
  private state = 'idle';

  async start(): Promise<string> {
    this.state = 'starting';
    await connect();
    return this.state;
  }
}
`,
    },
    {
      name: "a start-up method runs once per object: its read-await-write of a field has no overlapping call",
      filename: 'file.js',
      languageOptions: plainModule,
      code: `
import { evaluateEnv } from './env.js';

export class Flow {
  async start() {
    this.env = { ...this.env, ...(await evaluateEnv(this.config)) };
    this.running = true;
  }
}
`,
    },
    // Round 4 (issue 11): shapes of published state machines, clients and stores that are not lost updates.
    {
      name: "phase claimed before the first wait: later calls leave at the guard (string phases)",
      code: `
export class Connection {
  private state: 'idle' | 'connecting' | 'ready' = 'idle';
  private attempts = 0;

  constructor(private readonly socket: { open(): Promise<void> }) {}

  async handshake(): Promise<void> {
    if (this.state !== 'idle') return;
    this.state = 'connecting';
    const attempt = this.attempts;
    await this.socket.open();
    this.attempts = attempt + 1;
    this.state = 'ready';
  }
}
`,
    },
    {
      name: "phase claimed before the first wait (enum members, a guard of two phases)",
      code: `
enum Phase { Idle, Joining, Joined }

export class Channel {
  private phase = Phase.Idle;
  private joins = 0;

  constructor(private readonly transport: { join(): Promise<void> }) {}

  async rejoin(): Promise<void> {
    if (this.phase === Phase.Joining || this.phase === Phase.Joined) return;
    this.phase = Phase.Joining;
    const joins = this.joins;
    await this.transport.join();
    this.joins = joins + 1;
    this.phase = Phase.Joined;
  }
}
`,
    },
    {
      name: "the claim is the per-call value: later calls leave at the guard",
      code: `
export class Relations {
  private target: { id: string } | undefined;

  constructor(private readonly store: { lastEdit(id: string): Promise<string | undefined> }) {}

  async setTarget(event: { id: string }): Promise<string | undefined> {
    if (this.target) return undefined;
    this.target = event;
    const edit = await this.store.lastEdit(event.id);
    return edit ?? this.target.id;
  }
}
`,
    },
    {
      name: "private helper its class only calls under a lock",
      filename: 'file.js',
      languageOptions: plainModule,
      code: `
export class LinkEntity {
  constructor(lock, auth) {
    this.lock = lock;
    this.auth = auth;
    this.lockKey = 'link-' + Math.random();
  }

  initLink(options) {
    return this.lock.acquire(this.lockKey, () => this._initLinkImpl(options));
  }

  async _initLinkImpl(options) {
    this.name = options.name;
    await this.auth.getToken();
    return this.name;
  }
}
`,
    },
    {
      name: "per-call value stored by an internal start-up method (_connect)",
      filename: 'file.js',
      languageOptions: plainModule,
      code: `
export class Sender {
  async _connect(connection) {
    this.connection = connection;
    await connection.open();
    return this.connection.id;
  }
}
`,
    },
    {
      name: "frame passed in to a transform: each call has its own object",
      code: `
export async function encodeFrame(frame: { data: ArrayBuffer }, encrypt: (data: ArrayBuffer) => Promise<ArrayBuffer>): Promise<void> {
  const plain = frame.data;
  const cipher = await encrypt(plain);
  frame.data = join(plain, cipher);
}

declare function join(a: ArrayBuffer, b: ArrayBuffer): ArrayBuffer;
`,
    },
    {
      name: "previous value (with a fallback) restored when the switch fails",
      code: `
export class Room {
  private options = { audio: { deviceId: 'default' } };
  private active = new Map<string, string>();

  async switchDevice(deviceId: string, apply: (id: string) => Promise<void>): Promise<void> {
    const previous = this.active.get('audio') ?? this.options.audio.deviceId;
    this.options.audio.deviceId = deviceId;
    try {
      await apply(deviceId);
    } catch (error) {
      this.options.audio.deviceId = previous;
      throw error;
    }
  }
}
`,
    },
    {
      name: "empty slot filled after the wait: cache[k] || (cache[k] = {})",
      filename: 'file.js',
      languageOptions: plainModule,
      code: `
const cache = {};

export async function getKeys(type, store) {
  const known = cache[type];
  if (known) return known;
  const fetched = await store.get(type);
  cache[type] || (cache[type] = {});
  Object.assign(cache[type], fetched);
  return cache[type];
}
`,
    },
    {
      name: "buffer reset only when the last execution in flight finishes",
      filename: 'file.js',
      languageOptions: plainModule,
      code: `
let mutations = {};
let inFlight = 0;

export async function transaction(work, save) {
  inFlight += 1;
  try {
    await work();
    await save(mutations);
  } finally {
    inFlight -= 1;
    if (inFlight === 0) {
      mutations = {};
    }
  }
}
`,
    },
    {
      name: "tear-down method empties the watchers it closed",
      code: `
export class Emulator {
  private watchers: { close(): Promise<void> }[] = [];

  async stop(): Promise<void> {
    for (const watcher of this.watchers) {
      await watcher.close();
    }
    this.watchers = [];
  }
}
`,
    },
    {
      name: "per-call value stored by a method that builds the instance's machinery (set-up, once per object)",
      filename: 'file.js',
      languageOptions: plainModule,
      code: `
export class Accessory {
  async publish(info, storage) {
    this.displayName = info.name;
    this.server = new Server(info.port);
    await storage.load(info.username);
    return this.displayName;
  }
}
`,
    },
];

export const invalid: InvalidTestCase<MessageId, Options>[] = [
    {
      name: "module-level counter updated with an awaited amount",
      code: `
import { fetchVisitCount } from './analytics.js';

let visits = 0;

export async function recordVisits(page: string): Promise<number> {
  visits += await fetchVisitCount(page);
  return visits;
}
`,
      errors: [
        {
          messageId: 'staleWrite',
          line: 7,
          column: 3,
          suggestions: [
            {
              messageId: 'hoistAwait',
              output: `
import { fetchVisitCount } from './analytics.js';

let visits = 0;

export async function recordVisits(page: string): Promise<number> {
  const delta = await fetchVisitCount(page);
  visits += delta;
  return visits;
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "class field copied to a local, awaited, then written back",
      code: `
export class RateCounter {
  private count = 0;

  constructor(private readonly audit: { log(event: string): Promise<void> }) {}

  async increment(): Promise<void> {
    const current = this.count;
    await this.audit.log('increment');
    this.count = current + 1;
  }
}
`,
      errors: [
        {
          messageId: 'staleWrite',
          line: 10,
          column: 5,
          suggestions: [
            {
              messageId: 'rereadAfterAwait',
              output: `
export class RateCounter {
  private count = 0;

  constructor(private readonly audit: { log(event: string): Promise<void> }) {}

  async increment(): Promise<void> {
    const current = this.count;
    await this.audit.log('increment');
    this.count = this.count + 1;
  }
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "this.total = this.total + await",
      code: `
import type { PriceService } from './prices.js';

export class Cart {
  total = 0;

  constructor(private readonly prices: PriceService) {}

  async add(sku: string): Promise<void> {
    this.total = this.total + await this.prices.priceOf(sku);
  }
}
`,
      errors: [
        {
          messageId: 'staleWrite',
          line: 10,
          column: 5,
          suggestions: [
            {
              messageId: 'hoistAwait',
              output: `
import type { PriceService } from './prices.js';

export class Cart {
  total = 0;

  constructor(private readonly prices: PriceService) {}

  async add(sku: string): Promise<void> {
    const delta = await this.prices.priceOf(sku);
    this.total = this.total + delta;
  }
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "accumulator captured by Promise.all(map) callbacks",
      code: `
import { stat } from 'node:fs/promises';

export async function totalSize(paths: string[]): Promise<number> {
  let bytes = 0;
  await Promise.all(
    paths.map(async (path) => {
      bytes += (await stat(path)).size;
    }),
  );
  return bytes;
}
`,
      errors: [
        {
          messageId: 'staleWrite',
          line: 8,
          column: 7,
          suggestions: [
            {
              messageId: 'hoistAwait',
              output: `
import { stat } from 'node:fs/promises';

export async function totalSize(paths: string[]): Promise<number> {
  let bytes = 0;
  await Promise.all(
    paths.map(async (path) => {
      const delta = await stat(path);
      bytes += delta.size;
    }),
  );
  return bytes;
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "property of a module object read into a local and written back",
      code: `
import { chargeCard } from './payments.js';

const stats = { revenue: 0, orders: 0 };

export async function checkout(orderId: string, amount: number): Promise<void> {
  const revenue = stats.revenue;
  await chargeCard(orderId, amount);
  stats.revenue = revenue + amount;
}
`,
      errors: [
        {
          messageId: 'staleWrite',
          line: 9,
          column: 3,
          suggestions: [
            {
              messageId: 'rereadAfterAwait',
              output: `
import { chargeCard } from './payments.js';

const stats = { revenue: 0, orders: 0 };

export async function checkout(orderId: string, amount: number): Promise<void> {
  const revenue = stats.revenue;
  await chargeCard(orderId, amount);
  stats.revenue = stats.revenue + amount;
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "Map counter read before the await and set after it",
      code: `
import { notifyTenant } from './notify.js';

const quota = new Map<string, number>();

export async function consume(tenant: string): Promise<void> {
  const used = quota.get(tenant) ?? 0;
  await notifyTenant(tenant, used + 1);
  quota.set(tenant, used + 1);
}
`,
      errors: [
        {
          messageId: 'staleWrite',
          line: 9,
          column: 3,
          suggestions: [],
        },
      ],
    },
    {
      name: "express route handler with a module-level counter",
      filename: 'file.js',
      languageOptions: plainModule,
      code: `
import express from 'express';
import { db } from './db.js';

const app = express();
let served = 0;

app.get('/orders/:id', async (req, res) => {
  const before = served;
  const order = await db.orders.findById(req.params.id);
  served = before + 1;
  res.json(order);
});

export default app;
`,
      errors: [
        {
          messageId: 'staleWrite',
          line: 11,
          column: 3,
          suggestions: [
            {
              messageId: 'rereadAfterAwait',
              output: `
import express from 'express';
import { db } from './db.js';

const app = express();
let served = 0;

app.get('/orders/:id', async (req, res) => {
  const before = served;
  const order = await db.orders.findById(req.params.id);
  served = served + 1;
  res.json(order);
});

export default app;
`,
            },
          ],
        },
      ],
    },
    {
      name: "event listener accumulating into a module object",
      code: `
import { EventEmitter } from 'node:events';
import { runJob } from './jobs.js';

export const queue = new EventEmitter();
const metrics = { processedMs: 0 };

queue.on('job', async (job: { id: string }) => {
  metrics.processedMs = metrics.processedMs + await runJob(job.id);
});
`,
      errors: [
        {
          messageId: 'staleWrite',
          line: 9,
          column: 3,
          suggestions: [
            {
              messageId: 'hoistAwait',
              output: `
import { EventEmitter } from 'node:events';
import { runJob } from './jobs.js';

export const queue = new EventEmitter();
const metrics = { processedMs: 0 };

queue.on('job', async (job: { id: string }) => {
  const delta = await runJob(job.id);
  metrics.processedMs = metrics.processedMs + delta;
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "setInterval callback subtracting an awaited fee",
      filename: 'file.js',
      languageOptions: plainModule,
      code: `
import { fetchFees } from './billing.js';

let balance = 1000;

setInterval(async () => {
  balance -= await fetchFees();
}, 60_000);

export function currentBalance() {
  return balance;
}
`,
      errors: [
        {
          messageId: 'staleWrite',
          line: 7,
          column: 3,
          suggestions: [
            {
              messageId: 'hoistAwait',
              output: `
import { fetchFees } from './billing.js';

let balance = 1000;

setInterval(async () => {
  const delta = await fetchFees();
  balance -= delta;
}, 60_000);

export function currentBalance() {
  return balance;
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "CommonJS export writing a computed entry back",
      filename: 'file.js',
      languageOptions: plainCommonJs,
      code: `
const inventory = {};

module.exports = async function reserve(item, audit) {
  const stock = inventory[item];
  await audit.record('reserve', item);
  inventory[item] = stock - 1;
};
`,
      errors: [
        {
          messageId: 'staleWrite',
          line: 7,
          column: 3,
          suggestions: [
            {
              messageId: 'rereadAfterAwait',
              output: `
const inventory = {};

module.exports = async function reserve(item, audit) {
  const stock = inventory[item];
  await audit.record('reserve', item);
  inventory[item] = inventory[item] - 1;
};
`,
            },
          ],
        },
      ],
    },
    {
      name: "connection pool returning a connection to a copied idle list",
      filename: 'file.js',
      languageOptions: plainModule,
      code: `
export class Pool {
  constructor() {
    this.idle = [];
  }

  async release(connection) {
    const idle = this.idle;
    await connection.query('DISCARD ALL');
    this.idle = [...idle, connection];
  }
}
`,
      errors: [
        {
          messageId: 'staleWrite',
          line: 10,
          column: 5,
          suggestions: [
            {
              messageId: 'rereadAfterAwait',
              output: `
export class Pool {
  constructor() {
    this.idle = [];
  }

  async release(connection) {
    const idle = this.idle;
    await connection.query('DISCARD ALL');
    this.idle = [...this.idle, connection];
  }
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "object rebuilt from a spread of the stale copy",
      code: `
interface Stats { hits: number; misses: number }

export class CacheStats {
  private stats: Stats = { hits: 0, misses: 0 };

  async recordHit(report: (s: Stats) => Promise<void>): Promise<void> {
    const snapshot = this.stats;
    await report(snapshot);
    this.stats = { ...snapshot, hits: snapshot.hits + 1 };
  }
}
`,
      errors: [
        {
          messageId: 'staleWrite',
          line: 10,
          column: 5,
          suggestions: [
            {
              messageId: 'rereadAfterAwait',
              output: `
interface Stats { hits: number; misses: number }

export class CacheStats {
  private stats: Stats = { hits: 0, misses: 0 };

  async recordHit(report: (s: Stats) => Promise<void>): Promise<void> {
    const snapshot = this.stats;
    await report(snapshot);
    this.stats = { ...this.stats, hits: this.stats.hits + 1 };
  }
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "loop adding awaited sizes into a field",
      code: `
export class UploadTracker {
  bytesSent = 0;

  async send(chunks: Array<{ upload(): Promise<number> }>): Promise<void> {
    for (const chunk of chunks) {
      this.bytesSent += await chunk.upload();
    }
  }
}
`,
      errors: [
        {
          messageId: 'staleWrite',
          line: 7,
          column: 7,
          suggestions: [
            {
              messageId: 'hoistAwait',
              output: `
export class UploadTracker {
  bytesSent = 0;

  async send(chunks: Array<{ upload(): Promise<number> }>): Promise<void> {
    for (const chunk of chunks) {
      const delta = await chunk.upload();
      this.bytesSent += delta;
    }
  }
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "named function handed to Promise.all(map)",
      code: `
import { readFile } from 'node:fs/promises';

let totalWords = 0;

async function countWords(path: string): Promise<void> {
  totalWords += (await readFile(path, 'utf8')).split(/\\s+/).length;
}

export async function countAll(paths: string[]): Promise<number> {
  await Promise.all(paths.map(countWords));
  return totalWords;
}
`,
      errors: [
        {
          messageId: 'staleWrite',
          line: 7,
          column: 3,
          suggestions: [],
        },
      ],
    },
    {
      name: "fastify route handler property",
      filename: 'file.js',
      languageOptions: plainModule,
      code: `
import Fastify from 'fastify';
import { enqueue } from './queue.js';

const fastify = Fastify();
let queueDepth = 0;

fastify.route({
  method: 'POST',
  url: '/jobs',
  handler: async (request, reply) => {
    queueDepth = queueDepth + await enqueue(request.body);
    reply.send({ queueDepth });
  },
});
`,
      errors: [
        {
          messageId: 'staleWrite',
          line: 12,
          column: 5,
          suggestions: [
            {
              messageId: 'hoistAwait',
              output: `
import Fastify from 'fastify';
import { enqueue } from './queue.js';

const fastify = Fastify();
let queueDepth = 0;

fastify.route({
  method: 'POST',
  url: '/jobs',
  handler: async (request, reply) => {
    const delta = await enqueue(request.body);
    queueDepth = queueDepth + delta;
    reply.send({ queueDepth });
  },
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "buffer emptied after awaiting the send of its contents",
      code: `
export class LogShipper {
  private buffer = '';

  constructor(private readonly send: (text: string) => Promise<void>) {}

  append(line: string): void {
    this.buffer += line + '\\n';
  }

  async flush(): Promise<void> {
    if (this.buffer.length === 0) return;
    await this.send(this.buffer);
    this.buffer = '';
  }
}
`,
      errors: [
        {
          messageId: 'resetAfterAwait',
          line: 14,
          column: 5,
          suggestions: [],
        },
      ],
    },
    {
      name: "queue drained after processing a copy (plain JS)",
      filename: 'file.js',
      languageOptions: plainModule,
      code: `
const pending = { events: [] };

export function enqueue(event) {
  pending.events.push(event);
}

export async function drain(publish) {
  const batch = pending.events;
  await publish(batch);
  pending.events = [];
}
`,
      errors: [
        {
          messageId: 'resetAfterAwait',
          line: 11,
          column: 3,
          suggestions: [],
        },
      ],
    },
    {
      name: "infinite-scroll list extended from a copy taken before the fetch",
      code: `
export class Feed {
  items: string[] = [];

  constructor(private readonly api: { next(): Promise<string[]> }) {}

  async loadMore(): Promise<void> {
    this.items = [...this.items, ...(await this.api.next())];
  }
}
`,
      errors: [
        {
          messageId: 'staleWrite',
          line: 8,
          column: 5,
          suggestions: [],
        },
      ],
    },
    // Issue 11: races across methods and through aliases; issue 14: rewrites in generic classes compile.
    {
      name: "per-call value kept on the instance while another method waits",
      code: `
import { fetchPage } from './pages.js';

export class Router {
  private current = '/';

  navigate(route: string): Promise<string> {
    this.current = route;
    return this.render();
  }

  private async render(): Promise<string> {
    const body = await fetchPage();
    return \`<main data-route="\${this.current}">\${body}</main>\`;
  }
}
`,
      errors: [
        {
          messageId: 'perCallState',
          line: 8,
          column: 5,
          suggestions: [],
        },
      ],
    },
    {
      name: "per-call value kept on the instance across the function's own wait",
      filename: 'file.js',
      languageOptions: plainModule,
      code: `
export class Uploader {
  async upload(file, storage) {
    this.file = file;
    await storage.reserve(file.size);
    return storage.write(this.file);
  }
}
`,
      errors: [
        {
          messageId: 'perCallState',
          line: 4,
          column: 5,
          suggestions: [],
        },
      ],
    },

    // Round 4 (issue 11): the evidence above does not reach these.
    {
      name: "claim the guard lets through (it only leaves when ready)",
      code: `
export class Connection {
  private state: 'idle' | 'connecting' | 'ready' = 'idle';
  private attempts = 0;

  constructor(private readonly socket: { open(): Promise<void> }) {}

  async handshake(): Promise<void> {
    if (this.state === 'ready') return;
    this.state = 'connecting';
    const attempt = this.attempts;
    await this.socket.open();
    this.attempts = attempt + 1;
  }
}
`,
      errors: [{ messageId: 'staleWrite', line: 13, column: 5, suggestions: [{ messageId: 'rereadAfterAwait', output: `
export class Connection {
  private state: 'idle' | 'connecting' | 'ready' = 'idle';
  private attempts = 0;

  constructor(private readonly socket: { open(): Promise<void> }) {}

  async handshake(): Promise<void> {
    if (this.state === 'ready') return;
    this.state = 'connecting';
    const attempt = this.attempts;
    await this.socket.open();
    this.attempts = this.attempts + 1;
  }
}
` }] }],
    },
    {
      name: "phase released before the wait",
      code: `
export class Connection {
  private state: 'idle' | 'busy' = 'idle';
  private attempts = 0;

  constructor(private readonly socket: { open(): Promise<void> }) {}

  async retry(): Promise<void> {
    if (this.state !== 'idle') return;
    this.state = 'busy';
    const attempt = this.attempts;
    this.state = 'idle';
    await this.socket.open();
    this.attempts = attempt + 1;
  }
}
`,
      errors: [{ messageId: 'staleWrite', line: 14, column: 5, suggestions: [{ messageId: 'rereadAfterAwait', output: `
export class Connection {
  private state: 'idle' | 'busy' = 'idle';
  private attempts = 0;

  constructor(private readonly socket: { open(): Promise<void> }) {}

  async retry(): Promise<void> {
    if (this.state !== 'idle') return;
    this.state = 'busy';
    const attempt = this.attempts;
    this.state = 'idle';
    await this.socket.open();
    this.attempts = this.attempts + 1;
  }
}
` }] }],
    },
    {
      name: "private helper also called outside the lock",
      filename: 'file.js',
      languageOptions: plainModule,
      code: `
export class LinkEntity {
  constructor(lock, auth) {
    this.lock = lock;
    this.auth = auth;
  }

  initLink(options) {
    return this.lock.acquire('link', () => this._initLinkImpl(options));
  }

  refresh(options) {
    return this._initLinkImpl(options);
  }

  async _initLinkImpl(options) {
    this.name = options.name;
    await this.auth.getToken();
    return this.name;
  }
}
`,
      errors: [{ messageId: 'perCallState', line: 17, column: 5, suggestions: [] }],
    },
    {
      name: "per-call value stored by an internal method that is not start-up (_send)",
      filename: 'file.js',
      languageOptions: plainModule,
      code: `
export class Sender {
  async _send(message) {
    this.message = message;
    await this.flush();
    return this.message.id;
  }

  async flush() {}
}
`,
      errors: [{ messageId: 'perCallState', line: 4, column: 5, suggestions: [] }],
    },
    {
      name: "frame kept on the instance, not passed in",
      code: `
export class Encoder {
  private frame = { data: new ArrayBuffer(0) };

  async encode(encrypt: (data: ArrayBuffer) => Promise<ArrayBuffer>): Promise<void> {
    const plain = this.frame.data;
    const cipher = await encrypt(plain);
    this.frame.data = join(plain, cipher);
  }
}

declare function join(a: ArrayBuffer, b: ArrayBuffer): ArrayBuffer;
`,
      errors: [{ messageId: 'staleWrite', line: 8, column: 5, suggestions: [{ messageId: 'rereadAfterAwait', output: `
export class Encoder {
  private frame = { data: new ArrayBuffer(0) };

  async encode(encrypt: (data: ArrayBuffer) => Promise<ArrayBuffer>): Promise<void> {
    const plain = this.frame.data;
    const cipher = await encrypt(plain);
    this.frame.data = join(this.frame.data, cipher);
  }
}

declare function join(a: ArrayBuffer, b: ArrayBuffer): ArrayBuffer;
` }] }],
    },
    {
      name: "value computed from the saved one (not a restore)",
      code: `
export class Player {
  private volume = 1;
  private saved = new Map<string, number>();

  async duck(fade: () => Promise<void>): Promise<void> {
    const previous = this.saved.get('volume') ?? this.volume;
    this.volume = 0.2;
    await fade();
    this.volume = previous * 0.9;
  }
}
`,
      errors: [{ messageId: 'staleWrite', line: 10, column: 5, suggestions: [] }],
    },
    {
      name: "cache emptied after the wait without a re-check",
      filename: 'file.js',
      languageOptions: plainModule,
      code: `
const cache = {};

export async function flushKeys(type, store) {
  const pending = cache[type];
  await store.put(type, pending);
  cache[type] = {};
}
`,
      errors: [{ messageId: 'resetAfterAwait', line: 7, column: 3, suggestions: [] }],
    },
    {
      name: "buffer reset under a test of a counter other code keeps",
      filename: 'file.js',
      languageOptions: plainModule,
      code: `
let mutations = {};
let queued = 0;

export function enqueue(key, value) {
  queued += 1;
  mutations[key] = value;
}

export async function commit(save) {
  await save(mutations);
  if (queued > 0) {
    mutations = {};
    queued = 0;
  }
}
`,
      errors: [{ messageId: 'resetAfterAwait', line: 13, column: 5, suggestions: [] }],
    },
    {
      name: "watchers emptied after closing them outside tear-down",
      code: `
export class Emulator {
  private watchers: { close(): Promise<void> }[] = [];

  async reloadWatchers(): Promise<void> {
    for (const watcher of this.watchers) {
      await watcher.close();
    }
    this.watchers = [];
  }
}
`,
      errors: [{ messageId: 'resetAfterAwait', line: 9, column: 5, suggestions: [] }],
    },
    {
      name: "per-call value stored by a method that only reuses the instance's machinery",
      filename: 'file.js',
      languageOptions: plainModule,
      code: `
export class Accessory {
  async rename(info, storage) {
    this.displayName = info.name;
    const server = new Server(info.port);
    await storage.load(info.username, server);
    return this.displayName;
  }
}
`,
      errors: [{ messageId: 'perCallState', line: 4, column: 5, suggestions: [] }],
    },
];
