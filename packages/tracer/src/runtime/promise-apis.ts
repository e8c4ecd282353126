import dns from 'node:dns';
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
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
  const dnsp = dns.promises as unknown as Record<string, unknown>;
  for (const name of DNS_METHODS) wrap(dnsp, name, 'dns', resources, (args) => (typeof args[0] === 'string' ? args[0] : ''));
  // The module object itself (not an import binding or a bundler's copy of it): its property is what programs call.
  const timers = process.getBuiltinModule('node:timers/promises') as unknown as Record<string, unknown>;
  wrap(timers, 'setTimeout', 'timer', resources, (args) => `${Number(args[0] ?? 1)}ms`);
  syncBuiltinESMExports();
}
