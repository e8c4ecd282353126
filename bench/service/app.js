/**
 * A small realistic HTTP service for the tracer benchmark: routes that read a database-like store, call a
 * loopback backend over HTTP (fetch, keep-alive), and read and write files. `node app.js <backend-port> <data-dir>`;
 * prints its own port on stdout and stops cleanly on SIGTERM.
 */
import { mkdirSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { Store } from './store.js';

const backend = `http://127.0.0.1:${process.argv[2]}`;
const dataDir = process.argv[3];
mkdirSync(dataDir, { recursive: true });
const store = new Store();

async function seed() {
  for (let id = 0; id < 200; id++) await store.put('users', id, { id, name: `user ${id}`, plan: id % 3 === 0 ? 'pro' : 'free', visits: 0 });
  await writeFile(join(dataDir, 'template.json'), JSON.stringify({ greeting: 'hello', footer: 'x'.repeat(512) }));
}

async function callBackend(path) {
  const response = await fetch(`${backend}${path}`);
  if (!response.ok) throw new Error(`backend ${path}: ${response.status}`);
  return response.json();
}

/** GET /users/:id: store read, then a backend call that needs the row, then a file read (in series). */
async function userPage(id) {
  const user = await store.get('users', id % 200);
  if (!user) return { status: 404, body: { error: 'no such user' } };
  const profile = await callBackend(`/profile/${user.id}`);
  const template = JSON.parse(await readFile(join(dataDir, 'template.json'), 'utf8'));
  return { status: 200, body: { user, profile, greeting: template.greeting } };
}

/** GET /feed/:id: three backend calls in parallel and a store scan. */
async function feed(id) {
  const [prices, inventory, profile] = await Promise.all([
    callBackend(`/prices/${id}`),
    callBackend(`/inventory/${id}`),
    callBackend(`/profile/${id}`),
  ]);
  const users = await store.scan('users', 10);
  return { status: 200, body: { prices, inventory, profile, users: users.length } };
}

/** GET /visit/:id: a locked read-modify-write in the store, then the row written to a file. */
async function visit(id) {
  const user = await store.update('users', id % 200, (row) => ({ ...row, visits: (row?.visits ?? 0) + 1 }));
  await writeFile(join(dataDir, `visit-${id % 16}.json`), JSON.stringify(user));
  return { status: 200, body: { visits: user.visits } };
}

const routes = { users: userPage, feed, visit };

async function handle(request, response) {
  const [, route, id = '0'] = (request.url ?? '/').split('/');
  const handler = routes[route];
  try {
    const result = handler ? await handler(Number(id) || 0) : { status: 404, body: { error: 'no such route' } };
    const body = JSON.stringify(result.body);
    response.writeHead(result.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
  } catch (error) {
    response.writeHead(500).end(String(error));
  }
}

await seed();
const server = createServer((request, response) => void handle(request, response));
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
