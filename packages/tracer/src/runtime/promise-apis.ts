import fs from 'node:fs';
import Module, { syncBuiltinESMExports } from 'node:module';
import type { Resources } from './resources.js';

/** `require` requests that load a wrapped API without going through `fs.promises`. */
const LAZY_REQUESTS = new Set(['fs/promises', 'node:fs/promises', 'dns', 'node:dns', 'dns/promises', 'node:dns/promises', 'timers/promises', 'node:timers/promises']);

const FS_METHODS = [
  'access', 'appendFile', 'copyFile', 'cp', 'mkdir', 'mkdtemp', 'open', 'readdir', 'readFile', 'readlink',
  'realpath', 'rename', 'rm', 'rmdir', 'stat', 'lstat', 'unlink', 'writeFile', 'truncate', 'utimes', 'chmod',
] as const;
const DNS_METHODS = ['lookup', 'resolve', 'resolve4', 'resolve6', 'resolveMx', 'resolveTxt', 'resolveSrv', 'reverse'] as const;

type AnyFn = (...args: unknown[]) => unknown;

function wrap(target: Record<string, unknown>, name: string, kind: string, resources: Resources, detail: (args: unknown[]) => string): void {
  const original = target[name];
  if (typeof original !== 'function') return;
  const fn = original as AnyFn;
  const wrapped = {
    [name](this: unknown, ...args: unknown[]): unknown {
      try {
        resources.start(kind, `${name} ${detail(args)}`);
      } catch {
        // never let recording stop the call
      }
      // The caller gets the original promise, untouched: observing it (a `.then`) would add a microtask tick
      // before the caller resumes and could change unhandled-rejection reporting. The reader takes the end of
      // such a resource from the await that waited on it.
      return fn.apply(this, args);
    },
  }[name]!;
  Object.defineProperty(wrapped, 'length', { value: fn.length });
  target[name] = wrapped;
}

/**
 * fs, dns and timers/promises have no diagnostics channel: their promise functions are wrapped to record
 * when each call started and from which frame (its end is when the awaiting frame resumed).
 */
export function wrapPromiseApis(resources: Resources): void {
  const pathArg = (args: unknown[]) => (typeof args[0] === 'string' ? args[0] : args[0] instanceof URL ? args[0].pathname : '');
  const fsp = fs.promises as unknown as Record<string, unknown>;
  for (const name of FS_METHODS) wrap(fsp, name, 'fs', resources, pathArg);
  const dns = process.getBuiltinModule('node:dns') as typeof import('node:dns');
  const dnsp = dns.promises as unknown as Record<string, unknown>;
  for (const name of DNS_METHODS) wrap(dnsp, name, 'dns', resources, (args) => (typeof args[0] === 'string' ? args[0] : ''));
  // The module object itself (not an import binding or a bundler's copy of it): its property is what programs call.
  const timers = process.getBuiltinModule('node:timers/promises') as unknown as Record<string, unknown>;
  wrap(timers, 'setTimeout', 'timer', resources, (args) => `${Number(args[0] ?? 1)}ms`);
  syncBuiltinESMExports();
}

/**
 * `wrapPromiseApis`, done when first needed rather than at start: loading `fs.promises` (which loads Node's streams
 * and readline) and `dns` costs about 7 ms, which a program that never uses them (or exits at once) should not pay.
 * The wrappers go in at whichever comes first: the first instrumented module registering its sites (`ensure`, the
 * returned function; no frame of the program can start an operation before that, so nothing attributable is
 * missed), a read of `fs.promises`, or a CommonJS `require` of `fs/promises`, `dns`, `dns/promises` or
 * `timers/promises`. ES imports of them bound earlier see the wrappers through `syncBuiltinESMExports`.
 */
export function wrapPromiseApisLazily(resources: Resources): () => void {
  let done = false;
  const fsDescriptor = Object.getOwnPropertyDescriptor(fs, 'promises');
  const mod = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
  const load = mod._load;
  const ensure = (): void => {
    if (done) return;
    done = true;
    try {
      if (fsDescriptor?.configurable && Object.getOwnPropertyDescriptor(fs, 'promises')?.get === lazyGetter) Object.defineProperty(fs, 'promises', fsDescriptor);
      if (mod._load === lazyLoad) mod._load = load;
      wrapPromiseApis(resources);
    } catch {
      // never throw into the host
    }
  };
  const lazyGetter = function promises(): unknown {
    ensure();
    return fs.promises;
  };
  const lazyLoad = function _load(this: unknown, request: string, ...rest: unknown[]): unknown {
    if (!done && LAZY_REQUESTS.has(request)) ensure();
    return load.call(this, request, ...rest);
  };
  if (fsDescriptor?.configurable && typeof fsDescriptor.get === 'function') {
    Object.defineProperty(fs, 'promises', { configurable: true, enumerable: fsDescriptor.enumerable, get: lazyGetter });
  }
  if (typeof load === 'function') mod._load = lazyLoad;
  return ensure;
}
