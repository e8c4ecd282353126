import dns from 'node:dns';
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import timers from 'node:timers/promises';
import type { Resources } from './resources.js';

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
      let id = 0;
      try {
        id = resources.start(kind, `${name} ${detail(args)}`);
      } catch {
        return fn.apply(this, args);
      }
      const result = fn.apply(this, args) as Promise<unknown>;
      if (result === null || typeof result !== 'object' || typeof result.then !== 'function') return result;
      // The caller gets a promise derived from the original with the same value or reason, so an
      // unhandled rejection is still reported exactly once, with the same error.
      return result.then(
        (value) => {
          resources.end(id, false);
          return value;
        },
        (error: unknown) => {
          resources.end(id, true);
          throw error;
        },
      );
    },
  }[name]!;
  Object.defineProperty(wrapped, 'length', { value: fn.length });
  target[name] = wrapped;
}

/** fs and dns have no diagnostics channel: their promise APIs are wrapped (a resource per call). */
export function wrapPromiseApis(resources: Resources): void {
  const pathArg = (args: unknown[]) => (typeof args[0] === 'string' ? args[0] : args[0] instanceof URL ? args[0].pathname : '');
  const fsp = fs.promises as unknown as Record<string, unknown>;
  for (const name of FS_METHODS) wrap(fsp, name, 'fs', resources, pathArg);
  const dnsp = dns.promises as unknown as Record<string, unknown>;
  for (const name of DNS_METHODS) wrap(dnsp, name, 'dns', resources, (args) => (typeof args[0] === 'string' ? args[0] : ''));
  wrap(timers as unknown as Record<string, unknown>, 'setTimeout', 'timer', resources, (args) => `${Number(args[0] ?? 1)}ms`);
  syncBuiltinESMExports();
}
