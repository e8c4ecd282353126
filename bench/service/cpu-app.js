/**
 * A CPU-bound HTTP service for the tracer benchmark (issue 15's saturated server): a fastify route whose async
 * handler awaits two in-memory lookups and then renders a report (about a millisecond of JavaScript), so at 100
 * connections the event loop, not I/O, limits throughput. `node cpu-app.js`; prints its port on stdout and stops
 * cleanly on SIGTERM.
 */
import Fastify from 'fastify';

const users = new Map();
const orders = new Map();
for (let id = 0; id < 500; id++) {
  users.set(id, { id, name: `user ${id}`, plan: id % 3 === 0 ? 'pro' : 'free' });
  orders.set(id, Array.from({ length: 40 }, (_, i) => ({ id: id * 100 + i, sku: `sku-${(id * 7 + i) % 997}`, qty: 1 + (i % 5), price: 3 + ((id + i) % 50) })));
}

async function loadUser(id) {
  const user = users.get(id % 500);
  if (!user) throw new Error(`no user ${id}`);
  return user;
}

async function loadOrders(user) {
  await null;
  return orders.get(user.id) ?? [];
}

/** The CPU-heavy step: totals per sku, a sorted table, a checksum over its text. */
function render(user, list) {
  const bySku = new Map();
  for (let round = 0; round < 60; round++) {
    for (const order of list) bySku.set(order.sku, (bySku.get(order.sku) ?? 0) + order.qty * order.price + round);
  }
  const rows = [...bySku.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const text = rows.map(([sku, total]) => `${sku}\t${total}`).join('\n');
  let hash = 0;
  for (let round = 0; round < 150; round++) for (let i = 0; i < text.length; i++) hash = (hash * 31 + text.charCodeAt(i) + round) | 0;
  return { user: user.name, plan: user.plan, skus: rows.length, top: rows.slice(0, 5), hash };
}

const app = Fastify({ logger: false });
app.get('/report/:id', async (request) => {
  const user = await loadUser(Number(request.params.id) || 0);
  const list = await loadOrders(user);
  return render(user, list);
});

await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`${app.server.address().port}\n`);
process.on('SIGTERM', () => {
  app.close().then(() => process.exit(0));
});
