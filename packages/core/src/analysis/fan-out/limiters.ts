import type { TSESTree } from '@typescript-eslint/types';
import type { AnalyzedFile } from '../../engine/analyzed-file.js';
import { isSingleAssignment, resolveModuleMember, variableOf } from '../import-bindings.js';
import { propertyName } from '../walk-ast.js';
import { unwrap } from '../syntax.js';

/**
 * Packages whose job is to bound how much async work runs at once. A function or object coming from them (or made
 * by calling or constructing what they export) limits whatever work is passed through it.
 */
const limiterModules: ReadonlySet<string> = new Set([
  'p-limit', 'p-queue', 'p-throttle', 'p-all', 'p-map', 'bottleneck', 'async-sema', 'async-mutex', 'limiter',
  '@supercharge/promise-pool', 'promise-pool', 'es6-promise-pool', 'p-ratelimit', 'plimit-lit', 'piscina', 'tinypool',
  'generic-pool', 'semaphore-async-await', 'await-semaphore', 'throat', 'async', 'neo-async', 'fastq', 'better-queue',
]);

/**
 * Words that people use in the names of limiters and queues: `limit`, `withLimit`, `throttled`, `jobQueue`,
 * `semaphore`, `pool`. Matched against whole words of a camelCase or snake_case name, so `fetchBlock` is no lock.
 */
const limiterWord = /^(?:limit|limited|limiter|limits|throttle|throttled|throttler|queue|queued|sem|sema|semaphore|mutex|lock|pool|bottleneck|scheduler|schedule|concurrency|bounded|gate)$/u;

/** Exported for loop bounds: `while (concurrency--)` starts as many tasks as the code chose to run at once. */
export function isLimiterName(name: string): boolean {
  return limiterName(name) || /^(?:parallel|parallelism|threads|slots|workers|maxWorkers|maxParallel)$/iu.test(name);
}

function limiterName(name: string): boolean {
  const words = name.replace(/([a-z0-9])([A-Z])/gu, '$1 $2').replace(/([A-Z])([A-Z][a-z])/gu, '$1 $2').toLowerCase().split(/[\s_$-]+/u);
  return words.some((word) => limiterWord.test(word));
}

/** A database or worker pool bounds how much runs at once whatever method is called on it. */
function poolName(name: string): boolean {
  return /(?:^|[a-z_])pool$/iu.test(name) || /^pool/iu.test(name);
}

export interface LimiterOptions {
  /** Extra names of limiter functions or of factories that make them, from the rule's `limiters` option. */
  readonly limiters: readonly string[];
}

/**
 * True when `callee` is a limiter: imported from a limiter package (directly or as the result of calling or
 * constructing what the package exports: `const limit = pLimit(4)`, `new PQueue({ concurrency: 2 })`), named in
 * `options.limiters` (itself or the factory it came from), or named like one (see `limiterName`).
 */
export function isLimiter(file: AnalyzedFile, callee: TSESTree.Node, options: LimiterOptions, depth = 0): boolean {
  if (depth > 4) return false;
  const node = unwrap(callee);
  if (node.type === 'MemberExpression') {
    const method = propertyName(node);
    if (method !== undefined && (options.limiters.includes(method) || limiterName(method))) return true;
    return isLimiter(file, node.object, options, depth + 1);
  }
  // Inside a queue or limiter class, `this.add(...)` is the limiter itself (p-queue's own addAll).
  if (node.type === 'ThisExpression') return enclosingClassName(node).some((name) => limiterName(name));
  if (node.type === 'CallExpression' || node.type === 'NewExpression') {
    // `pLimit(2)(() => f())`, `new PQueue().add(...)`
    return isLimiter(file, node.callee, options, depth + 1);
  }
  if (node.type !== 'Identifier') return false;
  if (options.limiters.includes(node.name) || limiterName(node.name)) return true;
  const member = resolveModuleMember(file, node);
  if (member && limiterModules.has(member.module)) return true;
  const variable = variableOf(file, node);
  if (!variable || !isSingleAssignment(variable)) return false;
  const def = variable.defs[0];
  if (def?.type !== 'Variable') return false;
  const init = (def.node as TSESTree.VariableDeclarator).init;
  if (!init) return false;
  const made = unwrap(init);
  if (made.type === 'CallExpression' || made.type === 'NewExpression') return isLimiter(file, made.callee, options, depth + 1);
  return false;
}

/** Methods that take work and run it under the limiter's bound: `queue.add(fn)`, `limiter.schedule(fn)`. */
const submitMethods: ReadonlySet<string> = new Set([
  'add', 'addAll', 'schedule', 'wrap', 'run', 'submit', 'push', 'enqueue', 'exec', 'execute', 'runExclusive', 'use', 'acquire', 'removeTokens',
]);

/**
 * True when the call runs its work through a limiter: `limit(() => f(x))`, `queue.add(() => f(x))`,
 * `limiter.schedule(...)`, `await semaphore.acquire()`.
 */
export function isLimiterCall(file: AnalyzedFile, call: TSESTree.CallExpression, options: LimiterOptions): boolean {
  const callee = unwrap(call.callee);
  if (callee.type === 'MemberExpression') {
    const method = propertyName(callee);
    if (method !== undefined && submitMethods.has(method) && isLimiter(file, callee.object, options)) return true;
    if (method !== undefined && (options.limiters.includes(method))) return true;
    const object = unwrap(callee.object);
    const objectName = object.type === 'Identifier' ? object.name
      : object.type === 'MemberExpression' ? propertyName(object) : undefined;
    return objectName !== undefined && poolName(objectName);
  }
  return isLimiter(file, callee, options);
}

function enclosingClassName(node: TSESTree.Node): string[] {
  for (let current = node.parent; current; current = current.parent) {
    if ((current.type === 'ClassDeclaration' || current.type === 'ClassExpression') && current.id) return [current.id.name];
  }
  return [];
}
