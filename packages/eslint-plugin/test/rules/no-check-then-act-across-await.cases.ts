import * as espree from 'espree';
import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';
import type { NoCheckThenActAcrossAwaitMessageId, NoCheckThenActAcrossAwaitOptions } from '@overlap/core';

/**
 * The RuleTester cases of no-check-then-act-across-await, shared with the test that applies every suggestion and type-checks
 * the result. Realistic service code; plain JS cases run under ESLint's default parser (espree). The valid cases
 * include every false-positive class reported against ESLint's require-atomic-updates and those found on real code.
 */
const plainModule = { parser: espree, sourceType: 'module', ecmaVersion: 'latest' } as const;
const plainCommonJs = { parser: espree, sourceType: 'commonjs', ecmaVersion: 'latest' } as const;

type Options = NoCheckThenActAcrossAwaitOptions;
type MessageId = NoCheckThenActAcrossAwaitMessageId;

export const valid: ValidTestCase<Options>[] = [
    {
      name: "at defaults, a set-up method related by name (medium) is not reported",
      filename: 'file.js',
      languageOptions: plainModule,
      code: `
import { createClient } from './redis.js';

const client = createClient({ url: process.env.REDIS_URL });

export async function getSession(id) {
  if (!client.isOpen) await client.connect();
  return client.get(\`session:\${id}\`);
}
`,
    },
    {
      name: "a stream's _read assigned on the instance: the stream never re-enters it",
      options: [{ reportMediumConfidence: true }],
      filename: 'file.js',
      languageOptions: plainModule,
      code: `
import { Readable } from 'node:stream';

export class Lister {
  listAll(prefix) {
    let marker = '';
    let ended = false;
    let pending = [];
    const stream = new Readable({ objectMode: true });
    stream._read = async () => {
      if (pending.length) return stream.push(pending.shift());
      if (ended) return stream.push(null);
      const page = await this.listPage(prefix, marker);
      if (page.next) marker = page.next;
      else ended = true;
      pending = page.items;
      stream._read();
    };
    return stream;
  }
}
`,
    },
    {
      name: "a Transform subclass's _transform: called again only after its callback",
      filename: 'file.js',
      languageOptions: plainModule,
      code: `
import { Transform } from 'node:stream';
import { compileSchema } from './schemas.js';

export class Validator extends Transform {
  async _transform(record, encoding, callback) {
    if (!this.schema) {
      this.schema = await compileSchema();
    }
    callback(null, this.schema.check(record));
  }
}
`,
    },
    {
      name: "a write option of new Writable(...): serialised by the stream",
      options: [{ reportMediumConfidence: true }],
      filename: 'file.js',
      languageOptions: plainModule,
      code: `
import { Writable } from 'node:stream';
import { openUpload } from './uploads.js';

export function uploadSink(name) {
  let upload;
  return new Writable({
    async write(chunk, encoding, callback) {
      if (!upload) {
        upload = await openUpload(name);
      }
      await upload.append(chunk);
      callback();
    },
  });
}
`,
    },
    {
      name: "a self-rescheduling poll closure started once: one chain",
      options: [{ reportMediumConfidence: true }],
      filename: 'file.js',
      languageOptions: plainCommonJs,
      code: `
const sleep = require('./sleep');

module.exports = (condition, { delay = 50 } = {}) => {
  let fulfilled = false;
  const check = async (resolve, reject) => {
    if (fulfilled) return;
    await sleep(delay);
    try {
      const result = await condition();
      if (result) {
        fulfilled = true;
        return resolve(result);
      }
      check(resolve, reject);
    } catch (error) {
      fulfilled = true;
      reject(error);
    }
  };
  return new Promise((resolve, reject) => check(resolve, reject));
};
`,
    },
    {
      name: "a poll method started by start() that reschedules itself after its wait",
      filename: 'file.js',
      languageOptions: plainModule,
      code: `
import { openCursor, nextJobs } from './jobs.js';

export class Poller {
  start() {
    this.stopped = false;
    this.poll();
  }

  async poll() {
    if (this.stopped) return;
    if (!this.cursor) {
      this.cursor = await openCursor();
    }
    await nextJobs(this.cursor);
    setTimeout(() => this.poll(), 1000);
  }
}
`,
    },
    {
      name: "at defaults, a method of a per-operation class (a query Runner) is not reported",
      filename: 'file.js',
      languageOptions: plainCommonJs,
      code: `
class Runner {
  constructor(client, builder) {
    this.client = client;
    this.builder = builder;
  }

  async ensureConnection(run) {
    if (this.connection) return run(this);
    const connection = await this.client.acquireConnection();
    this.connection = connection;
    try {
      return await run(this);
    } finally {
      await this.client.releaseConnection(connection);
    }
  }
}

module.exports = Runner;
`,
    },
    {
      name: "the called method decides on the state itself before filling it",
      filename: 'file.js',
      languageOptions: plainModule,
      code: `
export class LazyClient {
  async connect() {
    if (!this.raw && this.factory) {
      await this.materialize();
    }
    if (this.hasConnected && this.raw.closed) {
      this.raw = await this.raw.duplicate();
    }
    await this.raw.connect();
    this.hasConnected = true;
  }

  async ensureRaw() {
    if (!this.raw) {
      await this.connect();
    }
    return this.raw;
  }

  materialize() {
    this.materializing ??= this.factory().then((raw) => {
      this.raw = raw;
    });
    return this.materializing;
  }
}
`,
    },
    {
      name: "the promise is stored before anything is awaited",
      code: `
import { connect, type Connection } from './db.js';

export class Repository {
  private connection: Promise<Connection> | undefined;

  async db(): Promise<Connection> {
    if (!this.connection) {
      this.connection = connect(process.env.DATABASE_URL ?? '');
    }
    return this.connection;
  }
}
`,
    },
    {
      name: "cache of promises filled synchronously",
      code: `
import { fetchProfile, type Profile } from './profiles.js';

const profiles = new Map<string, Promise<Profile>>();

export async function profileOf(userId: string): Promise<Profile> {
  if (!profiles.has(userId)) profiles.set(userId, fetchProfile(userId));
  return profiles.get(userId)!;
}
`,
    },
    {
      name: "guard flag claimed before the await (ESLint #12353 class)",
      filename: 'file.js',
      languageOptions: plainModule,
      code: `
export class Syncer {
  async sync(push) {
    if (this.syncing) return;
    this.syncing = true;
    await push();
    this.syncing = false;
  }
}
`,
    },
    {
      name: "double-checked after the await",
      code: `
import { connect, type Connection } from './db.js';

export class Repository {
  private connection: Connection | undefined;

  async db(): Promise<Connection> {
    if (!this.connection) {
      const created = await connect('postgres://localhost');
      if (!this.connection) this.connection = created;
      else await created.close();
    }
    return this.connection;
  }
}
`,
    },
    {
      name: "reset after the await when the state is present",
      code: `
export class Batcher {
  private timer: NodeJS.Timeout | undefined;

  async flushNow(flush: () => Promise<void>): Promise<void> {
    if (this.timer) {
      await flush();
      clearTimeout(this.timer);
      this.timer = undefined;
    }
  }
}
`,
    },
    {
      name: "in-flight map: claim first, clean up after",
      code: `
const inFlight = new Map<string, Promise<Buffer>>();

export async function download(url: string, get: (u: string) => Promise<Buffer>): Promise<Buffer> {
  if (inFlight.has(url)) return inFlight.get(url)!;
  const pending = get(url);
  inFlight.set(url, pending);
  try {
    return await pending;
  } finally {
    inFlight.delete(url);
  }
}
`,
    },
    {
      name: "local map is not shared",
      code: `
export async function uniqueOwners(ids: string[], ownerOf: (id: string) => Promise<string>): Promise<Map<string, string>> {
  const owners = new Map<string, string>();
  for (const id of ids) {
    if (!owners.has(id)) {
      owners.set(id, await ownerOf(id));
    }
  }
  return owners;
}
`,
    },
    {
      name: "main runs once at start-up",
      filename: 'file.js',
      languageOptions: plainModule,
      code: `
import { readSettings } from './settings.js';

let settings;

async function main() {
  if (!settings) {
    settings = await readSettings();
  }
  console.log(settings);
}

main();
`,
    },
    {
      name: "check on an awaited database result (out of scope)",
      code: `
import type { Db } from './db.js';

export async function register(db: Db, email: string): Promise<void> {
  const existing = await db.users.findByEmail(email);
  if (!existing) {
    await db.users.insert({ email });
  }
}
`,
    },
    {
      name: "check and write with no await between",
      code: `
const compiled = new Map<string, RegExp>();

export async function matcher(pattern: string, persist: () => Promise<void>): Promise<RegExp> {
  if (!compiled.has(pattern)) compiled.set(pattern, new RegExp(pattern));
  await persist();
  return compiled.get(pattern)!;
}
`,
    },
    {
      name: "socket closed and cleared when present",
      code: `
export class Connection {
  private socket: { end(): Promise<void> } | null = null;

  async close(): Promise<void> {
    if (this.socket) {
      await this.socket.end();
      this.socket = null;
    }
  }
}
`,
    },
    {
      name: "per-request session object (request handler parameter)",
      filename: 'file.js',
      languageOptions: plainModule,
      code: `
import express from 'express';
import { authenticate } from './auth.js';

const app = express();

app.post('/login', async (req, res) => {
  if (!req.session.user) {
    req.session.user = await authenticate(req.body);
  }
  res.sendStatus(204);
});
`,
    },
    {
      name: "present entry refreshed in place",
      code: `
const leases = new Map<string, number>();

export async function renew(id: string, extend: (id: string) => Promise<number>): Promise<void> {
  if (leases.has(id)) {
    leases.set(id, await extend(id));
  }
}
`,
    },
    {
      name: "nullish assignment of a promise, awaited afterwards",
      code: `
import { connect, type Connection } from './db.js';

export class Pool {
  private ready: Promise<Connection> | undefined;

  async acquire(): Promise<Connection> {
    this.ready ??= connect('postgres://localhost');
    return await this.ready;
  }
}
`,
    },
    {
      name: "lazy init serialised by a mutex",
      code: `
import { Mutex } from 'async-mutex';
import { connect, type Connection } from './db.js';

export class Repository {
  private readonly lock = new Mutex();
  private connection: Connection | undefined;

  async db(): Promise<Connection> {
    return this.lock.runExclusive(async () => {
      if (!this.connection) this.connection = await connect('postgres://localhost');
      return this.connection;
    });
  }
}
`,
    },
    {
      name: "re-check by ??= after the await",
      code: `
import { connect, type Connection } from './db.js';

export class Repository {
  private connection: Connection | undefined;

  async db(): Promise<Connection> {
    if (!this.connection) {
      const created = await connect('postgres://localhost');
      this.connection ??= created;
    }
    return this.connection;
  }
}
`,
    },
    {
      name: "entry deleted after the await",
      code: `
const sessions = new Map<string, { close(): Promise<void> }>();

export async function logout(id: string): Promise<void> {
  if (sessions.has(id)) {
    await sessions.get(id)!.close();
    sessions.delete(id);
  }
}
`,
    },
    {
      name: "top-level IIFE",
      filename: 'file.js',
      languageOptions: plainCommonJs,
      code: `
const { readSettings } = require('./settings');

let settings;

(async () => {
  if (!settings) settings = await readSettings();
  console.log(settings);
})();
`,
    },
    {
      name: "synchronous get-or-create",
      filename: 'file.js',
      languageOptions: plainModule,
      code: `
const registry = new Map();

export function handlerFor(name, create) {
  if (!registry.has(name)) registry.set(name, create(name));
  return registry.get(name);
}
`,
    },
    {
      name: "init flag claimed before connecting (plain JS module object)",
      filename: 'file.js',
      languageOptions: plainCommonJs,
      code: `
const { connect } = require('./db');

let initialized = false;
let db;

module.exports = {
  async init() {
    if (initialized) return;
    initialized = true;
    db = await connect();
  },
  query(sql) {
    return db.query(sql);
  },
};
`,
    },
    {
      name: "different state written after the await",
      code: `
export class Poller {
  private running = false;
  private lastRun = 0;

  async tick(poll: () => Promise<void>): Promise<void> {
    if (!this.running) {
      await poll();
      this.lastRun = Date.now();
    }
  }
}
`,
    },
    {
      name: "state asserted by a throw, not deduplicated (real code: sequelize Transaction.commit)",
      filename: 'file.js',
      languageOptions: plainModule,
      code: `
export class Transaction {
  async commit() {
    if (this.finished) {
      throw new Error('Transaction already finished: ' + this.finished);
    }
    try {
      await this.connection.query('COMMIT');
    } finally {
      this.finished = 'commit';
    }
  }
}
`,
    },
    {
      name: "start-up method filling secondary state (real code: typeorm driver connect)",
      code: `
interface Runner { getVersion(): Promise<string>; getSchema(): Promise<string>; release(): Promise<void> }

export class PostgresDriver {
  version: string | undefined;
  schema: string | undefined;

  constructor(private readonly createRunner: () => Runner) {}

  async connect(): Promise<void> {
    const runner = this.createRunner();
    this.version ??= await runner.getVersion();
    this.schema ??= await runner.getSchema();
    await runner.release();
  }
}
`,
    },
    {
      name: "private method only reached through a stored promise",
      filename: 'file.js',
      languageOptions: plainModule,
      code: `
export class Client {
  connect() {
    this.connecting ??= this._connect();
    return this.connecting;
  }

  async _connect() {
    if (!this.topology) {
      this.topology = await this.openTopology();
    }
    return this;
  }
}
`,
    },
    {
      name: "awaiting a promise stored at construction (real code: bullmq Valkey client)",
      filename: 'file.js',
      languageOptions: plainModule,
      code: `
export class GlideClient {
  constructor(factory) {
    this.rawPromise = factory();
  }

  async ensureRaw() {
    if (this.raw) return this.raw;
    this.raw = await this.rawPromise;
    return this.raw;
  }
}
`,
    },
    {
      name: "per-call details object passed by the caller (real code: graphile-worker plugin hook)",
      filename: 'file.js',
      languageOptions: plainModule,
      code: `
export const LoadTaskPlugin = {
  hooks: {
    async loadTask(ctx, details) {
      if (details.handler) return;
      const mod = await import(details.path);
      details.handler = mod.default;
    },
  },
};
`,
    },
    // Issue 11: precision classes found on unseen code and races across methods and aliases.
    {
      name: "idempotent lazy import (the runtime loads a module once)",
      filename: 'file.js',
      languageOptions: plainModule,
      code: `
let parser;

export async function parse(text) {
  parser = parser || (await import('yaml')).default;
  return parser.parse(text);
}
`,
    },
    {
      name: "busy flag released after the wait (the skip is deliberate)",
      code: `
import { flushQueue } from './queue.js';

export class Flusher {
  private flushing = false;
  private flushed = 0;

  async flush(): Promise<number> {
    if (!this.flushing) {
      this.flushing = true;
      await flushQueue();
      this.flushing = false;
      this.flushed += 1;
    }
    return this.flushed;
  }
}
`,
    },
    {
      name: "method whose promise is stored for later callers",
      code: `
import { connect, type Connection } from './db.js';

export class Client {
  private connection: Connection | undefined;
  private connecting: Promise<Connection> | undefined;

  async db(): Promise<Connection> {
    if (this.connection) return this.connection;
    this.connecting ??= this.open();
    return this.connecting;
  }

  private async open(): Promise<Connection> {
    const connection = await connect();
    this.connection = connection;
    return connection;
  }
}
`,
    },
    {
      name: "cache re-checked after the await with `&&`",
      code: `
import { load } from './store.js';

const cache = new Map<string, string>();

export async function get(key: string): Promise<string> {
  if (cache.has(key)) return cache.get(key)!;
  const value = await load(key);
  if (!cache.has(key) && value !== '') cache.set(key, value);
  return cache.get(key) ?? value;
}
`,
    },
    {
      name: "a closure run once per call (an IIFE) checks a binding of that call: no other execution shares it",
      filename: 'file.js',
      languageOptions: plainModule,
      code: `
import { getMime } from './mime.js';

export class Bucket {
  combine(sources, destination, done) {
    const target = this.file(destination);
    void (async () => {
      if (!target.contentType) {
        const mime = await getMime();
        target.contentType = mime.getType(target.name);
      }
      this.compose(sources, target, done);
    })();
  }
}
`,
    },
    {
      name: "a `once` listener on a stream made per call checks the options of that call",
      filename: 'file.js',
      languageOptions: plainModule,
      code: `
import { getMime } from './mime.js';

export function createUpload(file, options) {
  const settings = { ...options, metadata: { ...options.metadata } };
  const stream = file.openStream();
  stream.once('writing', async () => {
    if (!settings.metadata.contentType) {
      const mime = await getMime();
      settings.metadata.contentType = mime.getType(file.name);
    }
    stream.start(settings);
  });
  return stream;
}
`,
    },
    {
      name: "the set-up of a client is claimed before it is awaited",
      filename: 'file.js',
      languageOptions: plainModule,
      code: `
import { createClient } from './redis.js';

const client = createClient();

export async function getClient() {
  if (!client.isOpen) {
    client.connecting = true;
    await client.connect();
  }
  return client;
}
`,
    },
    {
      name: "a set-up method of this class is judged by its body, not by its name",
      filename: 'file.js',
      languageOptions: plainModule,
      code: `
import { openSocket } from './net.js';

export class Channel {
  async send(message) {
    if (!this.isOpen) await this.open();
    return this.socket.write(message);
  }

  async open() {
    this.isOpen = true;
    this.socket = await openSocket();
  }
}
`,
    },
    {
      name: "a set-up call on start-up paths run one at a time is not inferred from names",
      filename: 'file.js',
      languageOptions: plainModule,
      code: `
export class Boss {
  constructor(db) {
    this.db = db;
  }

  async start() {
    await this.#doStart();
  }

  async #doStart() {
    if (!this.db.opened) {
      await this.db.open();
    }
  }
}
`,
    },
    {
      name: "a helper that fills the flag after its wait, with no claim before it, is a plain check-then-act elsewhere (no skipped wait)",
      filename: 'file.js',
      languageOptions: plainModule,
      code: `
import { listAll } from './api.js';

async function load(ctx) {
  const items = await listAll(ctx.project);
  ctx.items = items;
}

export async function items(ctx) {
  if (!ctx.loaded) {
    await load(ctx);
  }
  return ctx.items;
}
`,
    },
    {
      name: "awaiting the write itself is no wait between the check and the write",
      filename: 'file.js',
      languageOptions: plainModule,
      code: `
import * as store from './store.js';

export async function touch(namespace, key) {
  const valid = await store.get(namespace, key);
  if (!valid) {
    await store.set(namespace, key, 'long', 60);
  }
}
`,
    },
    {
      name: "entries of a store keyed by several arguments differ when their keys differ",
      filename: 'file.js',
      languageOptions: plainModule,
      code: `
import * as store from './store.js';
import { fetchIndex } from './http.js';

export async function indexUrl(namespace, url) {
  const cached = await store.get(namespace, url + ':result');
  if (cached) return cached;
  const index = await fetchIndex(url);
  await store.set(namespace, url + ':raw', index, 60);
  return index.url;
}
`,
    },
    {
      name: "a slot that mirrors a zero-argument getter of another object (the object owns the value and its pending load)",
      filename: 'file.js',
      languageOptions: plainModule,
      code: `
import { TokenSource } from './token-source.js';

export class SignedFetcher {
  constructor(agent) {
    this.source = new TokenSource({ agent });
  }

  async headers() {
    if (!this.signer) {
      this.signer = await this.source.getSigner();
    }
    return this.signer.sign();
  }

  async audience() {
    if (this.tenant) return this.tenant;
    const { tenant_id: tenant } = await this.source.getIdentity();
    this.tenant = tenant ?? 'common';
    return this.tenant;
  }
}
`,
    },
    {
      name: "a private helper whose only caller holds a busy flag cannot overlap itself",
      filename: 'file.js',
      languageOptions: plainModule,
      code: `
import { listStale, openTicket } from './ops.js';

export class Janitor {
  #sweeping = false;
  #reported = false;

  async tick() {
    if (this.#sweeping) return;
    this.#sweeping = true;
    try {
      await this.#sweep();
    } finally {
      this.#sweeping = false;
    }
  }

  async #sweep() {
    const stale = await listStale();
    await this.#reportOnce(stale);
  }

  async #reportOnce(stale) {
    if (this.#reported || stale.length === 0) return;
    const ticket = await openTicket(stale);
    this.#reported = true;
    return ticket;
  }
}
`,
    },
    {
      name: "a method that waits for a busy flag, then claims it, runs one at a time",
      filename: 'file.js',
      languageOptions: plainModule,
      code: `
import { setTimeout as delay } from 'node:timers/promises';
import { openBatch } from './batches.js';

export class Flusher {
  async flush() {
    while (this.flushing) await delay(5);
    this.flushing = true;
    try {
      if (!this.batch) {
        this.batch = await openBatch();
      }
      await this.batch.commit();
    } finally {
      this.flushing = false;
    }
  }
}
`,
    },
    {
      name: "a tear-down method fills what it needs once, at the end of the object's life",
      filename: 'file.js',
      languageOptions: plainModule,
      code: `
export class Upload {
  constructor(api, target) {
    this.api = api;
    this.target = target;
  }

  async finish(extra) {
    if (!this.uploadId) {
      const started = await this.api.startUpload(this.target);
      this.uploadId = started.id;
    }
    return this.api.complete(this.uploadId, extra);
  }

  async stop() {
    if (!this.uploadId) {
      const started = await this.api.startUpload(this.target);
      this.uploadId = started.id;
    }
    return this.api.abort(this.uploadId);
  }
}
`,
    },
    {
      name: "an instance memoises data it reads on state it owns: overlapping calls read twice, nothing is made twice",
      filename: 'file.js',
      languageOptions: plainModule,
      code: `
export class Catalog {
  constructor(http) {
    this.http = http;
    this.products = {};
  }

  async product(sku) {
    const known = this.products[sku];
    if (known) return known;
    const row = await this.http.getJson('/products/' + sku);
    this.products[sku] = row;
    return row;
  }

  async summary() {
    if (this.totals) return this.totals;
    const rows = await this.http.getJson('/totals');
    this.totals = rows.reduce((sum, r) => sum + r.count, 0);
    return this.totals;
  }
}
`,
    },
];

export const invalid: InvalidTestCase<MessageId, Options>[] = [
    {
      name: "a module-level cache filled in a helper called once per call of an exported function (high)",
      filename: 'file.js',
      languageOptions: plainCommonJs,
      code: `
const firestore = require('./firestore');

const dbCache = new Map();

async function getDatabase(project, id) {
  const key = \`\${project}/\${id}\`;
  if (dbCache.has(key)) {
    return dbCache.get(key);
  }
  const db = await firestore.getDatabase(project, id);
  dbCache.set(key, db);
  return db;
}

async function ensureRegion(endpoint) {
  const db = await getDatabase(endpoint.project, endpoint.database);
  return db.locationId;
}

exports.ensureRegion = ensureRegion;
`,
      errors: [
        {
          messageId: 'checkThenAct',
          line: 8,
          column: 7,
          suggestions: [
            {
              messageId: 'shareInFlight',
              output: `
const firestore = require('./firestore');

const dbCache = new Map();
const dbCachePending = new Map();

async function getDatabase(project, id) {
  const key = \`\${project}/\${id}\`;
  if (dbCache.has(key)) {
    return dbCache.get(key);
  }
  const pending = dbCachePending.get(key) ?? firestore.getDatabase(project, id).finally(() => dbCachePending.delete(key));
  dbCachePending.set(key, pending);
  const db = await pending;
  dbCache.set(key, db);
  return db;
}

async function ensureRegion(endpoint) {
  const db = await getDatabase(endpoint.project, endpoint.database);
  return db.locationId;
}

exports.ensureRegion = ensureRegion;
`,
            },
          ],
        },
      ],
    },
    {
      name: "with reportMediumConfidence, a method of a per-operation class is reported",
      options: [{ reportMediumConfidence: true }],
      filename: 'file.js',
      languageOptions: plainCommonJs,
      code: `
class Runner {
  async ensureConnection(run) {
    if (this.connection) return run(this);
    const connection = await this.client.acquireConnection();
    this.connection = connection;
    return run(this);
  }
}

module.exports = Runner;
`,
      errors: [
        {
          messageId: 'checkThenAct',
          line: 4,
          column: 9,
          suggestions: [
          ],
        },
      ],
    },
    {
      name: "a class named for one operation but kept as one module-level instance is shared",
      filename: 'file.js',
      languageOptions: plainCommonJs,
      code: `
class TokenRequest {
  async token() {
    if (!this.cached) {
      this.cached = await this.fetchToken();
    }
    return this.cached;
  }
}

module.exports = new TokenRequest();
`,
      errors: [
        {
          messageId: 'checkThenAct',
          line: 4,
          column: 9,
          suggestions: [
            {
              messageId: 'sharePending',
              output: `
class TokenRequest {
  async token() {
    if (!this.cached) {
      this.cached = await (this.cachedPending ??= this.fetchToken());
    }
    return this.cached;
  }
}

module.exports = new TokenRequest();
`,
            },
          ],
        },
      ],
    },
    {
      name: "a method named _transform in a class that extends nothing is not a stream hook",
      filename: 'file.js',
      languageOptions: plainModule,
      code: `
import { compileSchema } from './schemas.js';

export class Validator {
  async _transform(record) {
    if (!this.schema) {
      this.schema = await compileSchema();
    }
    return this.schema.check(record);
  }
}
`,
      errors: [
        {
          messageId: 'checkThenAct',
          line: 6,
          column: 9,
          suggestions: [
            {
              messageId: 'sharePending',
              output: `
import { compileSchema } from './schemas.js';

export class Validator {
  async _transform(record) {
    if (!this.schema) {
      this.schema = await (this.schemaPending ??= compileSchema());
    }
    return this.schema.check(record);
  }
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "a poll method started from two places is two chains",
      filename: 'file.js',
      languageOptions: plainModule,
      code: `
import { openCursor } from './jobs.js';

export class Poller {
  start() {
    this.poll();
  }

  refresh() {
    this.poll();
  }

  async poll() {
    if (!this.cursor) {
      this.cursor = await openCursor();
    }
    setTimeout(() => this.poll(), 1000);
  }
}
`,
      errors: [
        {
          messageId: 'checkThenAct',
          line: 14,
          column: 9,
          suggestions: [
            {
              messageId: 'sharePending',
              output: `
import { openCursor } from './jobs.js';

export class Poller {
  start() {
    this.poll();
  }

  refresh() {
    this.poll();
  }

  async poll() {
    if (!this.cursor) {
      this.cursor = await (this.cursorPending ??= openCursor());
    }
    setTimeout(() => this.poll(), 1000);
  }
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "lazy connection on a class field",
      code: `
import { connect, type Connection } from './db.js';

export class Repository {
  private connection: Connection | undefined;

  async db(): Promise<Connection> {
    if (!this.connection) {
      this.connection = await connect(process.env.DATABASE_URL ?? '');
    }
    return this.connection;
  }
}
`,
      errors: [
        {
          messageId: 'checkThenAct',
          line: 8,
          column: 9,
          suggestions: [
            {
              messageId: 'sharePending',
              output: `
import { connect, type Connection } from './db.js';

export class Repository {
  private connectionPending: Promise<NonNullable<Repository['connection']>> | undefined;
  private connection: Connection | undefined;

  async db(): Promise<Connection> {
    if (!this.connection) {
      this.connection = await (this.connectionPending ??= connect(process.env.DATABASE_URL ?? ''));
    }
    return this.connection;
  }
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "module-level client created on first use",
      filename: 'file.js',
      languageOptions: plainModule,
      code: `
import { createClient } from 'redis';

let client;

export async function getClient() {
  if (!client) {
    client = await createClient({ url: process.env.REDIS_URL }).connect();
  }
  return client;
}
`,
      errors: [
        {
          messageId: 'checkThenAct',
          line: 7,
          column: 7,
          suggestions: [
            {
              messageId: 'sharePending',
              output: `
import { createClient } from 'redis';

let client;
let clientPending;

export async function getClient() {
  if (!client) {
    client = await (clientPending ??= createClient({ url: process.env.REDIS_URL }).connect());
  }
  return client;
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "cache filled after a has() miss",
      code: `
import { fetchProfile, type Profile } from './profiles.js';

const profiles = new Map<string, Profile>();

export async function profileOf(userId: string): Promise<Profile> {
  if (profiles.has(userId)) return profiles.get(userId)!;
  const profile = await fetchProfile(userId);
  profiles.set(userId, profile);
  return profile;
}
`,
      errors: [
        {
          messageId: 'checkThenAct',
          line: 7,
          column: 7,
          suggestions: [
            {
              messageId: 'shareInFlight',
              output: `
import { fetchProfile, type Profile } from './profiles.js';

const profiles = new Map<string, Profile>();
const profilesPending = new Map<Parameters<(typeof profiles)['get']>[0], Promise<NonNullable<ReturnType<(typeof profiles)['get']>>>>();

export async function profileOf(userId: string): Promise<Profile> {
  if (profiles.has(userId)) return profiles.get(userId)!;
  const pending = profilesPending.get(userId) ?? fetchProfile(userId).finally(() => profilesPending.delete(userId));
  profilesPending.set(userId, pending);
  const profile = await pending;
  profiles.set(userId, profile);
  return profile;
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "cache filled after a get() alias miss",
      code: `
import type { Db, User } from './db.js';

export class UserService {
  private readonly cache = new Map<string, User>();

  constructor(private readonly db: Db) {}

  async find(id: string): Promise<User> {
    const hit = this.cache.get(id);
    if (hit) return hit;
    const user = await this.db.users.provision(id);
    this.cache.set(id, user);
    return user;
  }
}
`,
      errors: [
        {
          messageId: 'checkThenAct',
          line: 11,
          column: 9,
          suggestions: [
            {
              messageId: 'shareInFlight',
              output: `
import type { Db, User } from './db.js';

export class UserService {
  private readonly cachePending = new Map<Parameters<UserService['cache']['get']>[0], Promise<NonNullable<ReturnType<UserService['cache']['get']>>>>();
  private readonly cache = new Map<string, User>();

  constructor(private readonly db: Db) {}

  async find(id: string): Promise<User> {
    const hit = this.cache.get(id);
    if (hit) return hit;
    const pending = this.cachePending.get(id) ?? this.db.users.provision(id).finally(() => this.cachePending.delete(id));
    this.cachePending.set(id, pending);
    const user = await pending;
    this.cache.set(id, user);
    return user;
  }
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "get() === undefined then set inside the branch",
      code: `
import { quote } from './exchange.js';

const prices = new Map<string, number>();

export async function priceOf(symbol: string): Promise<number> {
  if (prices.get(symbol) === undefined) {
    prices.set(symbol, await quote(symbol));
  }
  return prices.get(symbol)!;
}
`,
      errors: [
        {
          messageId: 'checkThenAct',
          line: 7,
          column: 7,
          suggestions: [],
        },
      ],
    },
    {
      name: "nullish assignment with an awaited right-hand side",
      code: `
import { refreshAccessToken } from './oauth.js';

export class ApiClient {
  private token: string | undefined;

  async authorization(): Promise<string> {
    this.token ??= await refreshAccessToken();
    return \`Bearer \${this.token}\`;
  }
}
`,
      errors: [
        {
          messageId: 'checkThenAct',
          line: 8,
          column: 5,
          suggestions: [
            {
              messageId: 'sharePending',
              output: `
import { refreshAccessToken } from './oauth.js';

export class ApiClient {
  private tokenPending: Promise<NonNullable<ApiClient['token']>> | undefined;
  private token: string | undefined;

  async authorization(): Promise<string> {
    this.token ??= await (this.tokenPending ??= refreshAccessToken());
    return \`Bearer \${this.token}\`;
  }
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "set membership checked, awaited, then added",
      code: `
import { sendWelcomeEmail } from './mail.js';

export class Onboarding {
  private readonly welcomed = new Set<string>();

  async welcome(userId: string): Promise<void> {
    if (!this.welcomed.has(userId)) {
      await sendWelcomeEmail(userId);
      this.welcomed.add(userId);
    }
  }
}
`,
      errors: [
        {
          messageId: 'checkThenAct',
          line: 8,
          column: 9,
          suggestions: [],
        },
      ],
    },
    {
      name: "singleton compared with null in a CommonJS export",
      filename: 'file.js',
      languageOptions: plainCommonJs,
      code: `
const { Database } = require('./database');

let instance = null;

module.exports.getInstance = async function getInstance() {
  if (instance === null) {
    instance = await Database.open(process.env.DB_FILE);
  }
  return instance;
};
`,
      errors: [
        {
          messageId: 'checkThenAct',
          line: 7,
          column: 7,
          suggestions: [
            {
              messageId: 'sharePending',
              output: `
const { Database } = require('./database');

let instance = null;
let instancePending;

module.exports.getInstance = async function getInstance() {
  if (instance === null) {
    instance = await (instancePending ??= Database.open(process.env.DB_FILE));
  }
  return instance;
};
`,
            },
          ],
        },
      ],
    },
    {
      name: "express route filling a module-level rate table",
      filename: 'file.js',
      languageOptions: plainModule,
      code: `
import express from 'express';
import { fetchRate } from './rates.js';

const router = express.Router();
const rates = {};

router.get('/rates/:currency', async (req, res) => {
  const { currency } = req.params;
  if (!rates[currency]) {
    rates[currency] = await fetchRate(currency);
  }
  res.json({ rate: rates[currency] });
});

export default router;
`,
      errors: [
        {
          messageId: 'checkThenAct',
          line: 10,
          column: 7,
          suggestions: [],
        },
      ],
    },
    {
      name: "session registry: if not exists then create",
      code: `
import { createSession, type Session } from './sessions.js';

export class SessionManager {
  private readonly sessions = new Map<string, Session>();

  async sessionFor(userId: string): Promise<Session> {
    if (!this.sessions.has(userId)) {
      const session = await createSession(userId);
      this.sessions.set(userId, session);
    }
    return this.sessions.get(userId)!;
  }
}
`,
      errors: [
        {
          messageId: 'checkThenAct',
          line: 8,
          column: 9,
          suggestions: [
            {
              messageId: 'shareInFlight',
              output: `
import { createSession, type Session } from './sessions.js';

export class SessionManager {
  private readonly sessionsPending = new Map<Parameters<SessionManager['sessions']['get']>[0], Promise<NonNullable<ReturnType<SessionManager['sessions']['get']>>>>();
  private readonly sessions = new Map<string, Session>();

  async sessionFor(userId: string): Promise<Session> {
    if (!this.sessions.has(userId)) {
      const pending = this.sessionsPending.get(userId) ?? createSession(userId).finally(() => this.sessionsPending.delete(userId));
      this.sessionsPending.set(userId, pending);
      const session = await pending;
      this.sessions.set(userId, session);
    }
    return this.sessions.get(userId)!;
  }
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "typeof undefined check on a module-level schema",
      code: `
import { loadSchema, type Schema } from './schema.js';

let schema: Schema | undefined;

export async function validate(input: unknown): Promise<boolean> {
  if (typeof schema === 'undefined') {
    schema = await loadSchema('order.json');
  }
  return schema.check(input);
}
`,
      errors: [
        {
          messageId: 'checkThenAct',
          line: 7,
          column: 7,
          suggestions: [
            {
              messageId: 'sharePending',
              output: `
import { loadSchema, type Schema } from './schema.js';

let schema: Schema | undefined;
let schemaPending: Promise<NonNullable<typeof schema>> | undefined;

export async function validate(input: unknown): Promise<boolean> {
  if (typeof schema === 'undefined') {
    schema = await (schemaPending ??= loadSchema('order.json'));
  }
  return schema.check(input);
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "get ?? await then set",
      code: `
import { openConnection, type Connection } from './net.js';

const pool = new Map<string, Connection>();

export async function connectionTo(host: string): Promise<Connection> {
  const connection = pool.get(host) ?? await openConnection(host);
  pool.set(host, connection);
  return connection;
}
`,
      errors: [
        {
          messageId: 'checkThenAct',
          line: 7,
          column: 22,
          suggestions: [],
        },
      ],
    },
    {
      name: "socket message listener opening per-user sessions",
      filename: 'file.js',
      languageOptions: plainModule,
      code: `
import { openSession } from './sessions.js';

const sessions = {};

export function attach(socket) {
  socket.on('message', async (message) => {
    if (!sessions[message.user]) {
      sessions[message.user] = await openSession(message.user);
    }
    sessions[message.user].push(message);
  });
}
`,
      errors: [
        {
          messageId: 'checkThenAct',
          line: 8,
          column: 9,
          suggestions: [],
        },
      ],
    },
    {
      name: "config || await then write back",
      code: `
import { createConfig, type Config } from './config.js';

export class App {
  private config: Config | undefined;

  async settings(): Promise<Config> {
    this.config = this.config || await createConfig();
    return this.config;
  }
}
`,
      errors: [
        {
          messageId: 'checkThenAct',
          line: 8,
          column: 19,
          suggestions: [],
        },
      ],
    },
    {
      name: "browser launched lazily in plain JS class",
      filename: 'file.js',
      languageOptions: plainModule,
      code: `
import puppeteer from 'puppeteer';

export class Renderer {
  async browser() {
    if (!this.instance) {
      this.instance = await puppeteer.launch({ headless: true });
    }
    return this.instance;
  }
}
`,
      errors: [
        {
          messageId: 'checkThenAct',
          line: 6,
          column: 9,
          suggestions: [
            {
              messageId: 'sharePending',
              output: `
import puppeteer from 'puppeteer';

export class Renderer {
  async browser() {
    if (!this.instance) {
      this.instance = await (this.instancePending ??= puppeteer.launch({ headless: true }));
    }
    return this.instance;
  }
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "token refreshed when missing or expired (no suggestion)",
      code: `
import { refresh, type Token } from './auth.js';

let token: Token | undefined;

export async function accessToken(): Promise<string> {
  if (!token || token.expiresAt < Date.now()) {
    token = await refresh();
  }
  return token.value;
}
`,
      errors: [
        {
          messageId: 'checkThenAct',
          line: 7,
          column: 7,
          suggestions: [],
        },
      ],
    },
    // Issue 11: races across methods and through aliases; issue 14: rewrites in generic classes compile.
    {
      name: "let alias reassigned in the branch that fills the cache",
      code: `
import { open, type Client } from './net.js';

export class ConnectionPool {
  private readonly clients = new Map<string, Client>();

  async clientFor(host: string): Promise<Client> {
    let client = this.clients.get(host);
    if (!client) {
      client = await open(host);
      this.clients.set(host, client);
    }
    return client;
  }
}
`,
      errors: [
        {
          messageId: 'checkThenAct',
          line: 9,
          column: 9,
          suggestions: [],
        },
      ],
    },
    {
      name: "flag claimed before the wait lets later callers skip it",
      filename: 'file.js',
      languageOptions: plainModule,
      code: `
import { ready, handle } from './server.js';

let started = false;

export async function onRequest(request) {
  if (!started) {
    started = true;
    await ready;
  }
  return handle(request);
}
`,
      errors: [
        {
          messageId: 'claimSkipsWait',
          line: 7,
          column: 7,
          suggestions: [],
        },
      ],
    },
    {
      name: "key checked with `in` on a module object",
      filename: 'file.js',
      languageOptions: plainModule,
      code: `
import { compile } from './templates.js';

const compiled = {};

export async function template(name) {
  if (name in compiled) return compiled[name];
  const fn = await compile(name);
  compiled[name] = fn;
  return fn;
}
`,
      errors: [
        {
          messageId: 'checkThenAct',
          line: 7,
          column: 7,
          suggestions: [],
        },
      ],
    },
    {
      name: "key checked with Object.hasOwn",
      code: `
import { fetchRates } from './rates.js';

const rates: Record<string, number> = {};

export async function rateFor(currency: string): Promise<number> {
  if (Object.hasOwn(rates, currency)) return rates[currency]!;
  const rate = await fetchRates(currency);
  rates[currency] = rate;
  return rate;
}
`,
      errors: [
        {
          messageId: 'checkThenAct',
          line: 7,
          column: 7,
          suggestions: [],
        },
      ],
    },
    {
      name: "checked in one method, filled after the wait of another",
      code: `
import { loadCredentials, type Credential } from './credentials.js';

export class Auth {
  cached: Credential | null = null;

  async getClient(): Promise<Credential> {
    if (this.cached) return this.cached;
    return this.prepare();
  }

  async prepare(): Promise<Credential> {
    const credential = await loadCredentials();
    this.cached = credential;
    return credential;
  }
}
`,
      errors: [
        {
          messageId: 'checkThenActInCall',
          line: 8,
          column: 9,
          suggestions: [],
        },
      ],
    },
    {
      name: "re-check with `|| force` after the await is no guard",
      code: `
import { connect, type Connection } from './db.js';

export class Database {
  private connection: Connection | undefined;

  async ensure(force: boolean): Promise<void> {
    if (!this.connection) {
      const created = await connect();
      if (!this.connection || force) this.connection = created;
    }
  }
}
`,
      errors: [
        {
          messageId: 'checkThenAct',
          line: 8,
          column: 9,
          suggestions: [],
        },
      ],
    },
    {
      name: "lazy slot in a generic class",
      code: `
export class Lazy<T> {
  private value: T | undefined;

  constructor(private readonly create: () => Promise<T>) {}

  async get(): Promise<T> {
    if (this.value === undefined) {
      this.value = await this.create();
    }
    return this.value;
  }
}
`,
      errors: [
        {
          messageId: 'checkThenAct',
          line: 8,
          column: 9,
          suggestions: [
            {
              messageId: 'sharePending',
              output: `
export class Lazy<T> {
  private valuePending: Promise<T> | undefined;
  private value: T | undefined;

  constructor(private readonly create: () => Promise<T>) {}

  async get(): Promise<T> {
    if (this.value === undefined) {
      this.value = await (this.valuePending ??= this.create());
    }
    return this.value;
  }
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "cache map in a generic class",
      code: `
export class Cache<T> {
  private readonly entries = new Map<string, T>();

  constructor(private readonly load: (key: string) => Promise<T>) {}

  async get(key: string): Promise<T> {
    if (this.entries.has(key)) return this.entries.get(key)!;
    const value = await this.load(key);
    this.entries.set(key, value);
    return value;
  }
}
`,
      errors: [
        {
          messageId: 'checkThenAct',
          line: 8,
          column: 9,
          suggestions: [
            {
              messageId: 'shareInFlight',
              output: `
export class Cache<T> {
  private readonly entriesPending = new Map<string, Promise<T>>();
  private readonly entries = new Map<string, T>();

  constructor(private readonly load: (key: string) => Promise<T>) {}

  async get(key: string): Promise<T> {
    if (this.entries.has(key)) return this.entries.get(key)!;
    const pending = this.entriesPending.get(key) ?? this.load(key).finally(() => this.entriesPending.delete(key));
    this.entriesPending.set(key, pending);
    const value = await pending;
    this.entries.set(key, value);
    return value;
  }
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "cache map keyed by number with a generic method",
      code: `
export class Registry<V extends object> {
  private readonly items = new Map<number, V>();

  async resolve<R>(id: number, fetchItem: (id: number) => Promise<V>, pick: (item: V) => R): Promise<R> {
    if (!this.items.has(id)) {
      const item = await fetchItem(id);
      this.items.set(id, item);
    }
    return pick(this.items.get(id)!);
  }
}
`,
      errors: [
        {
          messageId: 'checkThenAct',
          line: 6,
          column: 9,
          suggestions: [
            {
              messageId: 'shareInFlight',
              output: `
export class Registry<V extends object> {
  private readonly itemsPending = new Map<number, Promise<V>>();
  private readonly items = new Map<number, V>();

  async resolve<R>(id: number, fetchItem: (id: number) => Promise<V>, pick: (item: V) => R): Promise<R> {
    if (!this.items.has(id)) {
      const pending = this.itemsPending.get(id) ?? fetchItem(id).finally(() => this.itemsPending.delete(id));
      this.itemsPending.set(id, pending);
      const item = await pending;
      this.items.set(id, item);
    }
    return pick(this.items.get(id)!);
  }
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "the open flag of a shared client is checked, then its connect() is awaited",
      options: [{ reportMediumConfidence: true }],
      filename: 'file.js',
      languageOptions: plainModule,
      code: `
import { createClient } from './redis.js';

const client = createClient({ url: process.env.REDIS_URL });

export async function getSession(id) {
  if (!client.isOpen) await client.connect();
  return client.get(\`session:\${id}\`);
}
`,
      errors: [
        {
          messageId: 'checkThenSetUp',
          line: 7,
          column: 7,
          suggestions: [],
        },
      ],
    },
    {
      name: "the ready flag of a client held in a field, with an early return",
      options: [{ reportMediumConfidence: true }],
      code: `
import type { Browser } from './browser.js';

export class Renderer {
  constructor(private readonly browser: Browser) {}

  async render(url: string): Promise<string> {
    if (this.browser.isConnected) return this.browser.render(url);
    await this.browser.launch();
    return this.browser.render(url);
  }
}
`,
      errors: [
        {
          messageId: 'checkThenSetUp',
          line: 8,
          column: 9,
          suggestions: [],
        },
      ],
    },
    {
      name: "a helper claims the flag of the object it is handed before its wait",
      filename: 'file.js',
      languageOptions: plainModule,
      code: `
import { listFunctions } from './api.js';

async function loadBackend(ctx) {
  ctx.loadedBackend = true;
  ctx.backend = { endpoints: {} };
  const found = await listFunctions(ctx.projectId);
  for (const fn of found) ctx.backend.endpoints[fn.id] = fn;
}

export async function existingBackend(context, forceRefresh) {
  if (!context.loadedBackend || forceRefresh) {
    await loadBackend(context);
  }
  return context.backend;
}
`,
      errors: [
        {
          messageId: 'claimSkipsWaitInCall',
          line: 12,
          column: 7,
          suggestions: [],
        },
      ],
    },
    {
      name: "a write in an earlier arm of an else-if chain is no claim for the wait in a later arm",
      filename: 'file.js',
      languageOptions: plainModule,
      code: `
import { probeMetadataServer } from './metadata.js';

let environment;

export async function detectEnvironment() {
  if (!environment) {
    if (process.env.FUNCTION_NAME) {
      environment = 'functions';
    } else if (await probeMetadataServer()) {
      environment = 'compute';
    } else {
      environment = 'none';
    }
  }
  return environment;
}
`,
      errors: [
        {
          messageId: 'checkThenAct',
          line: 7,
          column: 7,
          suggestions: [],
        },
      ],
    },
    {
      name: "an entry of an asynchronous store read into a local, a nested early return on a fresh hit, then the store set after the work",
      filename: 'file.js',
      languageOptions: plainModule,
      code: `
import * as store from './store.js';

export async function cached(namespace, key, compute) {
  const record = await store.get(namespace, key);
  if (record) {
    if (Date.now() < record.expires) return record.value;
  }
  const value = await compute();
  await store.set(namespace, key, { value, expires: Date.now() + 60000 });
  return value;
}
`,
      errors: [
        {
          messageId: 'checkThenAct',
          line: 6,
          column: 7,
          suggestions: [],
        },
      ],
    },
    {
      name: "a getter named for a resource handed out per call is no mirror",
      filename: 'file.js',
      languageOptions: plainModule,
      code: `
export class Repository {
  constructor(pool) {
    this.pool = pool;
  }

  async query(sql) {
    if (!this.connection) {
      this.connection = await this.pool.getConnection();
    }
    return this.connection.query(sql);
  }
}
`,
      errors: [
        {
          messageId: 'checkThenAct',
          line: 8,
          column: 9,
          suggestions: [
            {
              messageId: 'sharePending',
              output: `
export class Repository {
  constructor(pool) {
    this.pool = pool;
  }

  async query(sql) {
    if (!this.connection) {
      this.connection = await (this.connectionPending ??= this.pool.getConnection());
    }
    return this.connection.query(sql);
  }
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "a private helper also called without the busy flag can overlap itself",
      filename: 'file.js',
      languageOptions: plainModule,
      code: `
import { openTicket } from './ops.js';

export class Janitor {
  async tick() {
    if (this.sweeping) return;
    this.sweeping = true;
    try {
      await this.#reportOnce();
    } finally {
      this.sweeping = false;
    }
  }

  async reportNow() {
    await this.#reportOnce();
  }

  async #reportOnce() {
    if (this.ticket) return this.ticket;
    const ticket = await openTicket();
    this.ticket = ticket;
    return ticket;
  }
}
`,
      errors: [{ messageId: 'checkThenAct', line: 20, column: 9, suggestions: [] }],
    },
    {
      name: "a cache handed in by the caller is shared with other instances: a read filled after the wait is a race",
      filename: 'file.js',
      languageOptions: plainModule,
      code: `
import { fetchDocument } from './registry.js';

export class DocumentFetcher {
  constructor(name, options) {
    this.name = name;
    this.documents = options.documents || null;
  }

  async document() {
    if (this.documents?.has(this.name)) {
      return this.documents.get(this.name);
    }
    const document = await fetchDocument(this.name);
    this.documents?.set(this.name, document);
    return document;
  }
}
`,
      errors: [
        {
          messageId: 'checkThenAct',
          line: 11,
          column: 9,
          suggestions: [
            {
              messageId: 'shareInFlight',
              output: `
import { fetchDocument } from './registry.js';

export class DocumentFetcher {
  documentsPending = new Map();
  constructor(name, options) {
    this.name = name;
    this.documents = options.documents || null;
  }

  async document() {
    if (this.documents?.has(this.name)) {
      return this.documents.get(this.name);
    }
    const pending = this.documentsPending.get(this.name) ?? fetchDocument(this.name).finally(() => this.documentsPending.delete(this.name));
    this.documentsPending.set(this.name, pending);
    const document = await pending;
    this.documents?.set(this.name, document);
    return document;
  }
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "an instance's own slot filled by a call that makes something (a second channel leaks)",
      filename: 'file.js',
      languageOptions: plainModule,
      code: `
export class Publisher {
  constructor(connection) {
    this.connection = connection;
  }

  async publish(queue, body) {
    if (!this.channel) {
      this.channel = await this.connection.createChannel();
    }
    return this.channel.sendToQueue(queue, body);
  }
}
`,
      errors: [
        {
          messageId: 'checkThenAct',
          line: 8,
          column: 9,
          suggestions: [
            {
              messageId: 'sharePending',
              output: `
export class Publisher {
  constructor(connection) {
    this.connection = connection;
  }

  async publish(queue, body) {
    if (!this.channel) {
      this.channel = await (this.channelPending ??= this.connection.createChannel());
    }
    return this.channel.sendToQueue(queue, body);
  }
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "an instance's own slot set to an object made after a read: a second caller makes a second client",
      filename: 'file.js',
      languageOptions: plainModule,
      code: `
import { readSettings } from './settings.js';
import { SchemaClient } from './schema-client.js';

export class Registry {
  async schemaClient() {
    if (!this.client) {
      const settings = await readSettings();
      this.client = new SchemaClient(settings);
    }
    return this.client;
  }
}
`,
      errors: [{ messageId: 'checkThenAct', line: 7, column: 9, suggestions: [] }],
    },
];
