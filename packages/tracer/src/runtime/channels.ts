import diagnostics from 'node:diagnostics_channel';
import { basename } from 'node:path';
import { nowUs, type Recorder } from './recorder.js';
import type { Resources } from './resources.js';

type Message = Record<string, unknown>;

interface Emitter {
  once?: (event: string, fn: (value: unknown) => void) => void;
  listenerCount?: (event: string) => number;
  getMaxListeners?: () => number;
}

/**
 * Listens for the end of an operation unless one more listener would make Node print a
 * MaxListenersExceededWarning the program would not have printed.
 */
function onEnd(emitter: Emitter, event: string, fn: (value: unknown) => void): void {
  if (typeof emitter.once !== 'function') return;
  const max = emitter.getMaxListeners?.() ?? 10;
  if (max !== 0 && (emitter.listenerCount?.(event) ?? 0) + 1 >= max) return;
  emitter.once(event, fn);
}
type Listener = (message: unknown) => void;

/** Records only method, host and path without query string: no argument values, headers or bodies. */
function pathOnly(path: unknown): string {
  const text = typeof path === 'string' ? path : '';
  const q = text.search(/[?#]/);
  return q < 0 ? text : text.slice(0, q);
}

/** express and its router: the matched route's pattern, mounted under the router's base path. */
function expressRoute(request: unknown): string | undefined {
  const req = request as { route?: { path?: unknown }; baseUrl?: unknown };
  const path = req.route?.path;
  if (typeof path !== 'string') return undefined;
  const base = typeof req.baseUrl === 'string' ? req.baseUrl : '';
  return (base + path).slice(0, 200);
}

function guard(listener: (message: Message) => void): Listener {
  return (message) => {
    try {
      listener(message as Message);
    } catch {
      // a tracer bug must never reach the program's I/O path
    }
  };
}

function subscribe(name: string, listener: (message: Message) => void): void {
  diagnostics.subscribe(name, guard(listener));
}

/**
 * Subscribes to the diagnostics channels Node publishes: HTTP server requests become roots; HTTP and
 * fetch client requests, sockets, child processes and workers become resources.
 */
export function subscribeChannels(rec: Recorder, resources: Resources): void {
  const ids = new WeakMap<object, number>();
  let nextRoot = 1;
  let resetQueued = false;

  subscribe('http.server.request.start', ({ request }) => {
    const req = request as { method?: string; url?: string };
    const id = nextRoot++;
    ids.set(request as object, id);
    if (rec.on) rec.sink.line(`["O",${id},"http",${nowUs()},${JSON.stringify(`${req.method ?? ''} ${pathOnly(req.url)}`)}]\n`);
    // The 'request' event is emitted synchronously after this message: frames the handler starts
    // join this root; once the dispatching callback returns, new parentless frames join the process again.
    rec.curRoot = id;
    joinRootWhileEmitting(request as object, id);
    if (!resetQueued) {
      resetQueued = true;
      queueMicrotask(() => {
        resetQueued = false;
        rec.curRoot = 0;
      });
    }
  });
  /**
   * Middleware that reads the body (express.json, body-parser) calls the route handler from the request's
   * 'data'/'end' listeners, after the dispatch window closed: frames started while the request emits an event
   * join its root too. `IncomingMessage.prototype.emit` is wrapped once, on the first request, and looks the
   * request up in a WeakMap: a property added to each request object would change its shape and slow down
   * Node's own code that handles it.
   */
  const requestRoots = new WeakMap<object, number>();
  let emitWrapped = false;
  const joinRootWhileEmitting = (request: object, id: number): void => {
    requestRoots.set(request, id);
    if (emitWrapped) return;
    emitWrapped = true;
    const proto = Object.getPrototypeOf(request) as { emit?: unknown } | null;
    const emit = proto?.emit;
    if (!proto || typeof emit !== 'function') return;
    const wrapped = function (this: object): unknown {
      const id = requestRoots.get(this);
      if (id === undefined) return (emit as (...a: unknown[]) => unknown).apply(this, arguments as unknown as unknown[]);
      const saved = rec.curRoot;
      rec.curRoot = id;
      try {
        return (emit as (...a: unknown[]) => unknown).apply(this, arguments as unknown as unknown[]);
      } finally {
        rec.curRoot = saved;
      }
    };
    Object.defineProperty(proto, 'emit', { configurable: true, writable: true, enumerable: false, value: wrapped });
  };

  /**
   * The route pattern, when the framework exposes it without changing the program: fastify publishes each
   * handler call on its tracing channel (with `route.url`); express (4 and 5) leaves the matched route on the
   * request (`req.baseUrl` + `req.route.path`) where it is read once the response finished. Otherwise the
   * reader names the root by its path without query.
   */
  const fastifyRoutes = new WeakMap<object, string>();
  subscribe('tracing:fastify.request.handler:start', ({ request, route }) => {
    const raw = (request as { raw?: unknown } | undefined)?.raw;
    const url = (route as { url?: unknown } | undefined)?.url;
    if (raw !== null && typeof raw === 'object' && typeof url === 'string') fastifyRoutes.set(raw, url);
  });

  subscribe('http.server.response.finish', ({ request, response }) => {
    const id = ids.get(request as object);
    if (id === undefined) return;
    ids.delete(request as object);
    const status = (response as { statusCode?: number }).statusCode ?? 0;
    // Read once: dropped at once, so the weak maps hold only requests in flight (fewer entries for each GC to trace).
    const route = fastifyRoutes.get(request as object) ?? expressRoute(request);
    fastifyRoutes.delete(request as object);
    if (rec.on) rec.sink.line(`["o",${id},${nowUs()},${status}${route === undefined ? '' : `,${JSON.stringify(route)}`}]\n`);
  });

  subscribe('http.client.request.start', ({ request }) => {
    const req = request as { method?: string; host?: string; path?: string };
    ids.set(request as object, resources.start('http', `${req.method ?? 'GET'} ${req.host ?? ''}${pathOnly(req.path)}`));
  });
  subscribe('http.client.response.finish', ({ request }) => {
    const id = ids.get(request as object);
    if (id === undefined) return;
    ids.delete(request as object);
    resources.end(id, false);
  });
  subscribe('http.client.request.error', ({ request }) => {
    const id = ids.get(request as object);
    if (id === undefined) return;
    ids.delete(request as object);
    resources.end(id, true);
  });

  subscribe('undici:request:create', ({ request }) => {
    const req = request as { method?: string; origin?: string; path?: string };
    ids.set(request as object, resources.start('fetch', `${req.method ?? 'GET'} ${req.origin ?? ''}${pathOnly(req.path)}`));
  });
  const undiciEnd = (failed: boolean) => ({ request }: Message) => {
    const id = ids.get(request as object);
    if (id === undefined) return;
    ids.delete(request as object);
    resources.end(id, failed);
  };
  subscribe('undici:request:trailers', undiciEnd(false));
  subscribe('undici:request:error', undiciEnd(true));

  subscribe('net.client.socket', ({ socket }) => {
    const id = resources.start('net', '');
    onEnd(socket as Emitter, 'close', (hadError) => resources.end(id, hadError === true));
  });

  subscribe('child_process', ({ process: child }) => {
    const cp = child as Emitter & { spawnfile?: string };
    const id = resources.start('child_process', basename(cp.spawnfile ?? ''));
    onEnd(cp, 'exit', (code) => resources.end(id, code !== 0));
  });
  subscribe('worker_threads', ({ worker }) => {
    const id = resources.start('worker', '');
    onEnd(worker as Emitter, 'exit', (code) => resources.end(id, code !== 0));
  });
}
