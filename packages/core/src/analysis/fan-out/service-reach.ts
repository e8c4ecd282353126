import type { TSESTree } from '@typescript-eslint/types';
import type { AnalyzedFile } from '../../engine/analyzed-file.js';
import { resolveCallee } from '../effects/callee.js';
import { effectsOfExpression, rootContext } from '../effects/classify.js';
import { childProcessModules } from '../effects/commands.js';
import { compiledCallee } from '../summaries/compiled-shapes.js';
import { isFunctionLike, memberName, unwrap, walk, type FunctionLike } from '../syntax.js';

/**
 * Packages whose calls reach a service or another process, beside what the effects model already knows (Node's
 * `fs`, `http`, `child_process`, the common HTTP clients): process spawners, npm registry clients and the cloud
 * SDKs. A fan-out over them is what opens one connection or process per element.
 */
const serviceModules: ReadonlySet<string> = new Set([
  'spawndamnit', '@npmcli/promise-spawn', 'pacote', 'npm-registry-fetch', 'package-json', 'libnpmpublish',
  'aws-sdk', 'nodemailer', 'mongodb', 'pg', 'mysql', 'mysql2', 'ioredis', 'redis',
]);
const serviceScopes = /^@(?:aws-sdk|google-cloud|octokit|azure|slack)\//u;

/** Single libuv requests (`stat`, `mkdir`): queued on the thread pool, no descriptor held, no service reached. */
const threadPoolNames = /^(?:stat|lstat|access|realpath|readlink|readdir|mkdir|mkdirp|mkdirs|ensureDir|rm|rmdir|unlink|remove|rename|chmod|chown|utimes|exists|pathExists)$/u;

const maxDepth = 4;

/**
 * True when the work one element starts visibly reaches a service or the file system through a descriptor: a call
 * the effects model knows (not by name alone) as an HTTP request, a query, a child process or a file read or
 * write, or a call into a package of `serviceModules`, somewhere in `root` or in the functions of this file it
 * calls (methods of `this` class included), at most `maxDepth` calls deep. Synchronous calls (`readFileSync`)
 * block instead of overlapping, and single thread-pool requests queue; neither counts.
 */
export function reachesService(file: AnalyzedFile, root: TSESTree.Node, depth = 0, seen: Set<TSESTree.Node> = new Set()): boolean {
  if (depth > maxDepth || seen.has(root)) return false;
  seen.add(root);
  let found = false;
  walk(root, (node) => {
    if (found) return false;
    if (node.type !== 'CallExpression') return true;
    if (callReachesService(file, node, depth, seen)) found = true;
    return !found;
  });
  return found;
}

function callReachesService(file: AnalyzedFile, call: TSESTree.CallExpression, depth: number, seen: Set<TSESTree.Node>): boolean {
  const callee = compiledCallee(call.callee);
  const name = callee.type === 'Identifier' ? callee.name : callee.type === 'MemberExpression' ? memberName(callee) : undefined;
  if (name !== undefined && (/Sync$/u.test(name) || threadPoolNames.test(name))) return false;
  const target = resolveCallee(file, callee);
  if (target.kind === 'local') return bodyOf(target.fn) !== undefined && reachesService(file, target.fn, depth + 1, seen);
  if (target.kind === 'module' && (serviceModules.has(target.module) || serviceScopes.test(target.module) || childProcessModules.has(target.module))) return true;
  // `foo().then(...)`: the inner call is visited on its own.
  if (callee.type === 'MemberExpression' && unwrap(callee.object).type === 'CallExpression' && ['then', 'catch', 'finally'].includes(name ?? '')) return false;
  // `this.fetchFn(url, init)`, `fetchImpl(url)`: a fetch function injected for tests or polyfills.
  if (name !== undefined && /^_?fetch(?:Fn|Impl|Function)?$/u.test(name)) return true;
  if (callee.type === 'MemberExpression' && name !== undefined && requestMethod.test(name) && clientReceiver.test(receiverName(callee.object) ?? '')) return true;
  const effects = effectsOfExpression(rootContext(file), call);
  // An HTTP effect read off the receiver and the verb (`apiClient.get(url)`) is a request even when guessed.
  return effects.some((effect) => !effect.timer && (effect.kind === 'read' || effect.kind === 'write' || effect.kind === 'barrier' || effect.kind === 'unknown')
    && (effect.resource.startsWith('http:') || (!effect.guessed && effect.kind !== 'unknown' && effect.resource !== '*')));
}

/** `client.request(...)`, `api.getJson(...)`, `this.provider.request('S3', ...)`: a request through a client. */
const requestMethod = /^(?:request|requestJson|getJson|postJson|putJson|patchJson|deleteJson|getJSON|postJSON|graphql)$/u;
const clientReceiver = /(?:api|client|http|https|rest|provider|sdk|octokit|agent)$/iu;

function receiverName(node: TSESTree.Node): string | undefined {
  const inner = unwrap(node);
  if (inner.type === 'Identifier') return inner.name;
  if (inner.type === 'MemberExpression') return memberName(inner);
  return undefined;
}

function bodyOf(fn: FunctionLike): TSESTree.Node | undefined {
  return isFunctionLike(fn) ? fn.body ?? undefined : undefined;
}
