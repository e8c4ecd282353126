/**
 * A database-like in-memory store: every operation is asynchronous (it answers on a later turn of the event
 * loop, as a driver's socket would), values are copied in and out, and writes take a per-key lock.
 */
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

export class Store {
  #rows = new Map();
  #locks = new Map();

  async get(table, id) {
    await nextTurn();
    const row = this.#rows.get(`${table}:${id}`);
    return row === undefined ? undefined : structuredClone(row);
  }

  async put(table, id, value) {
    await nextTurn();
    this.#rows.set(`${table}:${id}`, structuredClone(value));
  }

  async scan(table, limit) {
    await nextTurn();
    const rows = [];
    for (const [key, value] of this.#rows) {
      if (key.startsWith(`${table}:`)) rows.push(value);
      if (rows.length === limit) break;
    }
    return structuredClone(rows);
  }

  /** Runs `update` with the key locked: concurrent updates of one key wait their turn. */
  async update(table, id, update) {
    const key = `${table}:${id}`;
    const previous = this.#locks.get(key) ?? Promise.resolve();
    let release;
    const held = new Promise((resolve) => (release = resolve));
    const chained = previous.then(() => held);
    this.#locks.set(key, chained);
    await previous;
    try {
      const current = await this.get(table, id);
      const next = update(current);
      await this.put(table, id, next);
      return next;
    } finally {
      release();
      if (this.#locks.get(key) === chained) this.#locks.delete(key);
    }
  }
}
