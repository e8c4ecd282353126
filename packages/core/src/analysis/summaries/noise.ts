import type { TSESTree } from '@typescript-eslint/types';
import type { AnalyzedFile } from '../../engine/analyzed-file.js';
import { resolveIdentifier } from '../references.js';
import { contains, memberName, shortText, staticString, unwrap, type FunctionLike } from '../syntax.js';
import { resolveCallee } from '../effects/callee.js';
import { compiledCallee, interopArgument } from './compiled-shapes.js';

/**
 * Calls inside a summarised function that no other operation can observe, so they add nothing to its summary:
 * logging (console, `debug`, pino, winston, bunyan loggers), pure helpers (lodash and friends, `performance.now`,
 * `process.hrtime`), updates of collections the function itself created (`const out = []; out.push(x)`), and error
 * construction (`new NotFoundError(id)`). Returns why, or `undefined` when the call may matter.
 */
export function noEffectReason(file: AnalyzedFile, call: TSESTree.CallExpression | TSESTree.NewExpression, owner: FunctionLike): string | undefined {
  const callee = compiledCallee(call.callee);
  if (call.type === 'NewExpression') {
    const name = callee.type === 'Identifier' ? callee.name : callee.type === 'MemberExpression' ? memberName(callee) : undefined;
    return name !== undefined && /(?:Error|Exception)$/u.test(name) ? 'builds an error' : undefined;
  }
  if (call.type === 'CallExpression' && interopArgument(call) !== undefined) return 'is a compiler helper';
  if (callee.type === 'Identifier') {
    if (settlesPromise(file, callee)) return 'settles its promise';
    // `require('fs')`: loading a module is cached after the first time and orders nothing the function awaits.
    if (callee.name === 'require' && call.arguments.length === 1 && staticString(call.arguments[0]) !== undefined) return 'loads a module';
    if (!logFunction.test(callee.name)) return undefined;
    const target = resolveCallee(file, callee);
    // A local `log` that writes a file is summarised like any other function.
    return target.kind === 'local' ? undefined : 'logs';
  }
  if (callee.type !== 'MemberExpression') return undefined;
  const name = memberName(callee);
  if (name === undefined) return undefined;
  const receiver = unwrap(callee.object);
  const receiverText = shortText(file.text, receiver, 60);
  if (logReceiver.test(receiverText) && logMethods.has(name)) return 'logs';
  // `utils.reject(err)`, `Promise.reject(e)`: building a rejection is building an error.
  if (name === 'reject') return 'builds an error';
  if (receiver.type === 'Identifier' && pureStatics[receiver.name]?.has(name) && !resolveIdentifier(file, receiver)) return 'is a pure helper';
  const target = resolveCallee(file, callee);
  if (target.kind === 'module' && pureModules.test(target.module)) return 'is a pure helper';
  // `info.isDirectory()`, `user.hasRole('admin')` used as values: synchronous predicates, not operations.
  if (predicateName.test(name) && !isAwaitedOrReturned(call)) return 'is a predicate';
  if (localCollectionMethods.has(name) && receiver.type === 'Identifier' && declaredInside(file, receiver, owner)) return 'updates a local collection';
  return undefined;
}

const logFunction = /^(?:debug|dbg|log|logger|trace|verbose|info|warn)$|^(?:debug|log)[A-Z_]/u;
const logReceiver = /(?:^|\.)_?(?:log|logger|debug|console|winston|pino|bunyan|signale|consola)$/iu;
const logMethods = new Set(['trace', 'debug', 'info', 'warn', 'warning', 'error', 'fatal', 'verbose', 'silly', 'log', 'notice', 'http', 'success', 'extend']);
const pureStatics: Readonly<Record<string, ReadonlySet<string>>> = {
  performance: new Set(['now', 'mark', 'measure']),
  process: new Set(['hrtime', 'cwd', 'uptime', 'memoryUsage', 'emitWarning']),
  Date: new Set(['now', 'parse', 'UTC']),
  Math: new Set(Object.getOwnPropertyNames(Math)),
  JSON: new Set(['parse', 'stringify']),
  Object: new Set(['keys', 'values', 'entries', 'assign', 'freeze', 'fromEntries', 'create', 'getPrototypeOf', 'defineProperty']),
  Array: new Set(['isArray', 'from', 'of']),
  Number: new Set(['isInteger', 'isFinite', 'isNaN', 'parseInt', 'parseFloat', 'isSafeInteger']),
};
const pureModules = /^(?:lodash|lodash-es|lodash\/.+|lodash\..+|underscore|ramda|path|util|url|querystring|debug|ms|semver|chalk|picocolors|kleur)$/u;
const predicateName = /^(?:is|has|can|should)[A-Z]/u;
const localCollectionMethods = new Set(['push', 'unshift', 'splice', 'set', 'add', 'delete', 'clear', 'sort', 'reverse', 'fill']);

function declaredInside(file: AnalyzedFile, identifier: TSESTree.Identifier, owner: FunctionLike): boolean {
  const variable = resolveIdentifier(file, identifier);
  const def = variable?.defs[0];
  if (!def || variable!.defs.length !== 1 || def.type !== 'Variable') return false;
  return contains(owner, def.name);
}

/** `resolve(value)` inside `new Promise((resolve, reject) => …)`: settling the promise being built. */
function settlesPromise(file: AnalyzedFile, identifier: TSESTree.Identifier): boolean {
  const def = resolveIdentifier(file, identifier)?.defs[0];
  if (def?.type !== 'Parameter') return false;
  const executor = def.node as TSESTree.Node;
  const parent = executor.parent;
  return parent?.type === 'NewExpression' && parent.arguments[0] === executor && parent.callee.type === 'Identifier' && parent.callee.name === 'Promise';
}

function isAwaitedOrReturned(node: TSESTree.Node): boolean {
  const parent = node.parent;
  if (!parent) return false;
  if (parent.type === 'AwaitExpression' || parent.type === 'ReturnStatement' || parent.type === 'YieldExpression') return true;
  return parent.type === 'ArrowFunctionExpression' && parent.body === node;
}
