import type { TSESTree } from '@typescript-eslint/types';
import type { Effect } from '../../model/effect.js';
import { staticString, unwrap } from '../syntax.js';

/**
 * Effects of the modules whose behaviour we know: Node's built-ins and the common HTTP clients. `undefined`
 * means "not a function we model"; the caller then asks the resolver or falls back to the name.
 */
const fsReads = new Set([
  'readFile', 'readdir', 'stat', 'lstat', 'access', 'readlink', 'realpath', 'opendir', 'exists', 'pathExists',
  'readJson', 'readJSON', 'statfs', 'glob', 'readv', 'createReadStream', 'watch',
]);
const fsWrites = new Set([
  'writeFile', 'appendFile', 'mkdir', 'mkdirp', 'mkdirs', 'ensureDir', 'ensureFile', 'rm', 'rmdir', 'unlink', 'rename',
  'copyFile', 'cp', 'copy', 'move', 'remove', 'emptyDir', 'chmod', 'chown', 'lchown', 'lchmod', 'truncate', 'symlink', 'link',
  'utimes', 'lutimes', 'mkdtemp', 'outputFile', 'outputJson', 'outputJSON', 'writeJson', 'writeJSON', 'ensureSymlink',
  'ensureLink', 'writev', 'createWriteStream', 'futimes', 'ftruncate', 'fsync', 'fdatasync',
]);
const httpClients = new Set(['axios', 'got', 'ky', 'node-fetch', 'undici', 'superagent', 'request', 'needle', 'phin', 'cross-fetch', 'isomorphic-fetch', 'ofetch']);
const safeHttpMethods = new Set(['GET', 'HEAD', 'OPTIONS']);
const timerPackages = new Set(['delay', 'sleep-promise', 'timeout-as-promise', 'await-sleep', 'wait', 'sleep']);
/** Packages that match file names against patterns: they list directories, a read of the file system. */
const globModules = new Set(['glob', 'fast-glob', 'globby', 'tinyglobby', 'fdir']);
const pureModules = new Set(['path', 'url', 'querystring', 'zlib', 'crypto', 'util', 'string_decoder', 'buffer', 'os', 'assert']);

function fsResource(arg: TSESTree.Node | undefined): string {
  const path = staticString(arg ?? null);
  return path !== undefined && !path.includes('${}') ? `fs:${path.replace(/\/+$/u, '')}` : 'fs:*';
}

/** A path that names a lock file: `'app.lock'`, `` `${dir}.lock` ``. */
export function isLockFile(node: TSESTree.Node | undefined): boolean {
  const path = staticString(node ?? null);
  return path !== undefined && /\.lock$/u.test(path) && !/(?:^|\/)(?:package-lock|yarn|pnpm-lock|bun|composer|Cargo|Gemfile|poetry|Pipfile|flake)\.lock$/u.test(path) && !/-lock\.ya?ml$/u.test(path);
}

/** The HTTP method of a `fetch`-style options object, `undefined` when it is not visible. */
export function httpMethodOf(options: TSESTree.Node | undefined): string | undefined {
  if (!options) return 'GET';
  const inner = unwrap(options);
  if (staticString(inner) !== undefined) return 'GET';
  if (inner.type !== 'ObjectExpression') return undefined;
  let method: string | undefined = 'GET';
  for (const property of inner.properties) {
    if (property.type === 'SpreadElement') return undefined;
    const key = property.key.type === 'Identifier' ? property.key.name : staticString(property.key);
    if (key !== 'method') continue;
    const value = staticString(property.value);
    method = value === undefined ? undefined : value.toUpperCase();
  }
  return method;
}

export function httpEffect(method: string | undefined, url: TSESTree.Node | undefined, label: string): Effect[] {
  if (method === undefined) return [{ kind: 'unknown', resource: 'http:*', reason: `\`${label}\` sends a request whose method we cannot see` }];
  if (safeHttpMethods.has(method)) {
    const target = staticString(url ?? null);
    return [{ kind: 'read', resource: `http:${target ?? '*'}`, reason: `\`${label}\` is a ${method} request, a read` }];
  }
  return [{ kind: 'write', resource: 'http:*', reason: `\`${label}\` is a ${method} request, a write` }];
}

export function knownModuleEffects(
  module: string,
  path: readonly string[],
  args: readonly TSESTree.Node[],
  label: string,
): Effect[] | undefined {
  const name = path[path.length - 1] ?? 'default';
  if (module === 'fs' || module === 'fs-extra' || module === 'graceful-fs' || module === 'node:fs') {
    if (fsReads.has(name)) {
      const opensHandle = ['opendir', 'createReadStream', 'watch'].includes(name) ? { opensHandle: true } : {};
      return [{ kind: 'read', resource: fsResource(args[0]), reason: `\`${label}\` reads the file system`, ...opensHandle }];
    }
    if (fsWrites.has(name) && isLockFile(args[0])) {
      // Creating or removing `x.lock` takes or releases a lock other processes wait on: it keeps its place.
      return [{ kind: 'barrier', resource: '*', reason: `\`${label}\` takes or releases a lock file` }];
    }
    if (fsWrites.has(name)) {
      // rename, copy and move touch two paths: order them against anything on the file system.
      const resource = ['rename', 'copyFile', 'cp', 'copy', 'move', 'mkdtemp'].includes(name) ? 'fs:*' : fsResource(args[0]);
      return [{ kind: 'write', resource, reason: `\`${label}\` changes the file system` }];
    }
    if (name === 'open') {
      const flags = staticString(args[1] ?? null);
      return flags === undefined || flags === 'r'
        ? [{ kind: 'read', resource: fsResource(args[0]), reason: `\`${label}\` opens a file for reading`, opensHandle: true }]
        : [{ kind: 'write', resource: fsResource(args[0]), reason: `\`${label}\` opens a file for writing` }];
    }
    return [{ kind: 'unknown', resource: 'fs:*', reason: `\`${label}\` is a file system call we do not classify` }];
  }
  if (globModules.has(module)) return [{ kind: 'read', resource: 'fs:*', reason: `\`${label}\` lists files` }];
  if (module === 'timers' || module === 'timers/promises' || (module === 'node:timers')) {
    return [{ kind: 'barrier', resource: '*', reason: `\`${label}\` waits on purpose`, timer: name !== 'setInterval' }];
  }
  // The `delay`, `sleep-promise` and `p-timeout`-free timer packages: a promise that resolves after a while.
  if (timerPackages.has(module)) return [{ kind: 'barrier', resource: '*', reason: `\`${label}\` waits on purpose`, timer: true }];
  // child_process, execa, cross-spawn and zx: commands.ts (a query reads, anything else is a barrier).
  if (module === 'events') return [{ kind: 'barrier', resource: '*', reason: `\`${label}\` waits for an event` }];
  if (module === 'stream') return [{ kind: 'barrier', resource: '*', reason: `\`${label}\` waits for a stream` }];
  if (module === 'readline') return [{ kind: 'barrier', resource: '*', reason: `\`${label}\` waits for input` }];
  if (module === 'dns') return [{ kind: 'read', resource: 'dns:*', reason: `\`${label}\` looks up a name` }];
  if (module === 'net' || module === 'http2' || module === 'worker_threads') {
    return [{ kind: 'barrier', resource: '*', reason: `\`${label}\` opens a connection or thread` }];
  }
  if (module === 'http' || module === 'https') {
    if (name === 'get') return httpEffect('GET', args[0], label);
    if (name === 'request') return httpEffect(httpMethodOf(args[1] ?? args[0]), args[0], label);
    return undefined;
  }
  if (pureModules.has(module)) return [];
  if (httpClients.has(module)) {
    const upper = name.toUpperCase();
    if (['GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH', 'DELETE'].includes(upper)) return httpEffect(upper, args[0], label);
    if (name === 'default' || name === 'request' || name === 'fetch') return httpEffect(httpMethodOf(args[1] ?? args[0]), args[0], label);
    if (name === 'create' || name === 'extend') return [];
    return undefined;
  }
  return undefined;
}
