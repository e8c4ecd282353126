import type { TSESTree } from '@typescript-eslint/types';
import type { AnalyzedFile } from '../../engine/analyzed-file.js';
import type { Effect } from '../../model/effect.js';
import { factKey } from '../../engine/fact-cache.js';
import { resolveIdentifier } from '../references.js';
import { isFunctionLike, memberName, shortText, stringHead, unwrap, walk, type FunctionLike } from '../syntax.js';
import { isRelativeSource, resolveCallee, type CalleeTarget } from './callee.js';
import { compiledCallee, interopArgument } from '../summaries/compiled-shapes.js';
import { httpEffect, httpMethodOf, knownModuleEffects } from './known-modules.js';
import { effectsFromName, leadingVerb } from './names.js';
import { classifySql, looksLikeSql } from './sql.js';
import { bindCommandArguments, childProcessEffect, childProcessModules, commandEffect, commandWords, isQueryCommand } from './commands.js';
import { summarizeFunction } from '../summaries/function-summary.js';
import { withNameForUnknown } from '../summaries/name-fallback.js';
import { reachedThrough } from '../summaries/reach.js';

/**
 * Classifies what evaluating an expression (usually the operand of an `await`) does outside the function.
 * An empty list means "no outside effect". Local functions are followed at most `maxDepth` calls deep, never
 * round a cycle; imported functions are asked of the file's resolver when there is one.
 */
export interface EffectContext {
  readonly file: AnalyzedFile;
  readonly depth: number;
  readonly visiting: ReadonlySet<TSESTree.Node>;
  /** Functions a summary in progress met again (recursion): the summaries computed meanwhile are partial. */
  readonly cuts?: Set<TSESTree.Node>;
}

const maxDepth = 2;

export function rootContext(file: AnalyzedFile): EffectContext {
  return { file, depth: 0, visiting: new Set() };
}

const sqlMethods = new Set([
  'query', 'execute', 'exec', 'run', 'all', 'get', 'one', 'oneOrNone', 'many', 'manyOrNone', 'any', 'none', 'result',
  'raw', 'unsafe', '$queryRaw', '$executeRaw', '$queryRawUnsafe', '$executeRawUnsafe', 'sql', 'prepare', 'each', 'map',
]);
const sqlTags = /^(?:sql|SQL|db|query|q|pg|mysql|postgres|psql|knex\.raw)$/u;
/** A connection or transaction handle runs its statements one at a time: overlapping them gains nothing. */
const connectionReceiver = /(?:^|\.)(?:trx|tx|transaction|session|conn|connection|client)$/iu;
const lockReceiver = /mutex|lock|semaphore|limiter|throttle/iu;
const lockMethods = new Set(['acquire', 'lock', 'runExclusive', 'withLock', 'release', 'unlock', 'waitForUnlock', 'tryAcquire', 'using', 'run', 'schedule', 'wrap']);
const uiReceiver = /(?:^|\.)(?:page|browser|frame|locator|element|el|driver|cy|user|context|tab|mouse|keyboard)$/iu;
const streamReceiver = /(?:^|\.)(?:res|response|stream|socket|out|output|writer|writable|stdout|stderr|file|handle|fh|ws|sink)$/iu;
const kvReceiver = /redis|cache|kv|store|memcache|keyv|map|registry|storage/iu;
const kvReads = new Set(['get', 'mget', 'hget', 'hgetall', 'hmget', 'exists', 'ttl', 'pttl', 'keys', 'scan', 'smembers', 'sismember', 'zrange', 'zscore', 'lrange', 'llen', 'scard', 'zcard', 'strlen', 'has', 'getItem', 'hkeys', 'hvals', 'hexists']);
const kvWrites = new Set(['set', 'setex', 'setnx', 'psetex', 'mset', 'del', 'hset', 'hdel', 'hincrby', 'incr', 'incrby', 'decr', 'decrby', 'expire', 'pexpire', 'persist', 'lpush', 'rpush', 'lpop', 'rpop', 'sadd', 'srem', 'zadd', 'zrem', 'publish', 'xadd', 'getset', 'getdel', 'delete', 'clear', 'setItem', 'removeItem', 'hmset', 'flushall', 'flushdb']);
/** A single connection, session or channel (TypeORM's `queryRunner` too): commands on it are serialised and often order-sensitive. */
const oneConnection = /(?:^|\.)(?:[a-z_$][\w$]*(?:Connection|Conn|Session|Socket|Channel)|connection|conn|session|socket|channel|queryRunner)$/u;
const consumingMethods = new Set(['read', 'readLine', 'readline', 'next', 'receive', 'recv', 'take', 'pull', 'consume', 'question', 'readBytes', 'readUntil']);
const httpReceiver = /axios|http|api|client|got|ky|request|fetcher|rest|agent|superagent/iu;
const httpVerbs = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options']);
const commandMethods = new Set(['run', 'exec', 'execute', 'command', 'runCommand', 'sh', 'shell', 'spawn']);
const arrayHigherOrder = new Set(['map', 'filter', 'forEach', 'reduce', 'reduceRight', 'some', 'every', 'find', 'findIndex', 'findLast', 'flatMap', 'sort', 'toSorted']);
const pureMethods = new Set([
  'toString', 'trim', 'split', 'join', 'slice', 'includes', 'indexOf', 'concat', 'json', 'text', 'arrayBuffer', 'blob',
  'formData', 'toLowerCase', 'toUpperCase', 'startsWith', 'endsWith', 'padStart', 'padEnd', 'charAt', 'substring',
  'at', 'flat', 'toJSON', 'toISOString', 'valueOf', 'keys', 'values', 'entries', 'clone', 'lastIndexOf', 'replaceAll',
  'toFixed', 'localeCompare', 'normalize', 'isArray', 'from', 'of', 'freeze', 'assign', 'stringify',
]);
const pureGlobals = new Set([
  'parseInt', 'parseFloat', 'String', 'Number', 'Boolean', 'BigInt', 'Symbol', 'Array', 'Object', 'JSON', 'Math',
  'encodeURIComponent', 'decodeURIComponent', 'encodeURI', 'decodeURI', 'structuredClone', 'isNaN', 'isFinite', 'Date',
  'RegExp', 'Error', 'TypeError', 'RangeError', 'URL', 'URLSearchParams', 'Buffer', 'Map', 'Set', 'WeakMap', 'atob', 'btoa',
  'TextEncoder', 'TextDecoder', 'AbortController', 'Headers', 'Response', 'Request', 'console', 'Reflect', 'Intl',
]);
const queryModifiers = new Set([
  'where', 'andWhere', 'orWhere', 'whereIn', 'whereNot', 'whereNull', 'first', 'orderBy', 'limit', 'offset', 'returning', 'select',
  'from', 'join', 'leftJoin', 'innerJoin', 'rightJoin', 'groupBy', 'having', 'single', 'maybeSingle', 'eq', 'neq', 'gt',
  'gte', 'lt', 'lte', 'in', 'is', 'like', 'ilike', 'lean', 'exec', 'populate', 'sort', 'skip', 'toArray', 'project',
  'count', 'distinct', 'sum', 'pluck', 'range', 'match', 'filter', 'order', 'columns', 'as', 'timeout', 'withSchema', 'modify', 'clone',
]);
const chainWrites = new Set(['insert', 'update', 'delete', 'del', 'upsert', 'increment', 'decrement', 'truncate', 'save', 'create', 'remove', 'destroy', 'merge', 'onConflict', 'ignore']);

function labelOf(ctx: EffectContext, node: TSESTree.Node): string {
  return shortText(ctx.file.text, node, 32);
}

function union(lists: readonly (readonly Effect[])[]): Effect[] {
  const seen = new Set<string>();
  const out: Effect[] = [];
  for (const list of lists) {
    for (const effect of list) {
      const key = `${effect.kind}|${effect.resource}|${effect.reason}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(effect);
    }
  }
  return out;
}

export function effectsOfExpression(ctx: EffectContext, node: TSESTree.Node): Effect[] {
  const inner = unwrap(node);
  switch (inner.type) {
    case 'AwaitExpression':
      return effectsOfExpression(ctx, inner.argument);
    case 'CallExpression':
      return effectsOfCall(ctx, inner);
    case 'NewExpression':
      return effectsOfNew(ctx, inner);
    case 'TaggedTemplateExpression': {
      const tag = shortText(ctx.file.text, inner.tag, 20);
      const head = stringHead(inner.quasi);
      if (head !== undefined && (sqlTags.test(tag) || /\.(?:sql|query)$/u.test(tag)) && looksLikeSql(head)) return classifySql(head, tag);
      if (/^\$$|(?:^|\.)(?:exec|sh|shell|cmd)$/u.test(tag)) {
        // zx's $`git rev-parse HEAD`: a query when the whole command line is visible.
        const line = head === undefined || /[;&|<>`\n]|\$\(/u.test(head) ? undefined : head.trim().split(/\s+/u);
        return [line && isQueryCommand(line) ? commandEffect(line, tag) : { kind: 'barrier', resource: '*', reason: `\`${tag}\` runs a command` }];
      }
      return effectsFromName(tag.replace(/^.*\./u, ''), tag, false);
    }
    case 'Identifier': {
      const variable = resolveIdentifier(ctx.file, inner);
      const def = variable?.defs.length === 1 ? variable.defs[0] : undefined;
      const declarator = def?.type === 'Variable' ? (def.node as TSESTree.VariableDeclarator) : undefined;
      if (declarator?.init && declarator.id === def?.name && variable && !variable.references.some((r) => r.isWrite() && !r.init)) {
        return effectsOfExpression(ctx, declarator.init);
      }
      if (inner.name === 'undefined') return [];
      return [{ kind: 'unknown', resource: '*', reason: `\`${inner.name}\` is a promise made elsewhere` }];
    }
    case 'ConditionalExpression':
      return union([effectsOfExpression(ctx, inner.consequent), effectsOfExpression(ctx, inner.alternate)]);
    case 'LogicalExpression':
      return union([effectsOfExpression(ctx, inner.left), effectsOfExpression(ctx, inner.right)]);
    case 'ArrayExpression':
      return union(inner.elements.map((element) => (element && element.type !== 'SpreadElement' ? effectsOfExpression(ctx, element) : [])));
    case 'Literal':
    case 'TemplateLiteral':
    case 'ObjectExpression':
    case 'ArrowFunctionExpression':
    case 'FunctionExpression':
      return [];
    case 'ImportExpression':
      return [{ kind: 'unknown', resource: '*', reason: 'a dynamic import runs the module' }];
    default:
      return [{ kind: 'unknown', resource: '*', reason: `\`${labelOf(ctx, inner)}\` is not a call we can follow` }];
  }
}

function effectsOfNew(ctx: EffectContext, node: TSESTree.NewExpression): Effect[] {
  const callee = unwrap(node.callee);
  if (callee.type === 'Identifier' && callee.name === 'Promise') {
    const executor = node.arguments[0];
    if (executor && isFunctionLike(executor)) {
      const summary = summarizeFunction(ctx, executor);
      if (summary.waitsOnly) return [{ kind: 'barrier', resource: '*', reason: 'a promise around a timer waits on purpose', timer: true }];
      return summary.effects.length > 0 ? [...summary.effects] : [{ kind: 'unknown', resource: '*', reason: 'a hand-made promise settles when its code says' }];
    }
  }
  if (callee.type === 'Identifier' && pureGlobals.has(callee.name)) return [];
  return [{ kind: 'unknown', resource: '*', reason: `\`new ${labelOf(ctx, callee)}\` is not a call we can follow` }];
}

/** Effects of calling a function declared in this file: its summary (see summaries/function-summary.ts). */
export function summarizeFunctionBody(ctx: EffectContext, fn: FunctionLike): Effect[] {
  return [...summarizeFunction(ctx, fn).effects];
}

const transactionNames = /^(?:trx|tx|txn|transaction|session)$/u;

function passesTransaction(argument: TSESTree.Node): boolean {
  const inner = unwrap(argument);
  if (inner.type === 'Identifier') return transactionNames.test(inner.name);
  if (inner.type !== 'ObjectExpression') return false;
  return inner.properties.some((p) => p.type === 'Property' && !p.computed && p.key.type === 'Identifier' && transactionNames.test(p.key.name) &&
    !(p.value.type === 'Literal' && (p.value.value === null || p.value.value === false)) && !(p.value.type === 'Identifier' && p.value.name === 'undefined'));
}

function effectsOfCall(ctx: EffectContext, call: TSESTree.CallExpression): Effect[] {
  const callee = compiledCallee(call.callee);
  const label = labelOf(ctx, callee);
  // Promise combinators: the effects of what they combine.
  if (callee.type === 'MemberExpression' && callee.object.type === 'Identifier' && callee.object.name === 'Promise') {
    const name = memberName(callee);
    // `Promise.resolve(provider.load())`: what matters is the argument's evaluation.
    if (name === 'resolve' || name === 'reject') return call.arguments[0] ? effectsOfExpression(ctx, call.arguments[0]) : [];
    return union(call.arguments.map((argument) => effectsOfExpression(ctx, argument)));
  }
  // `find({ where, transaction })`, `save(doc, { session })`, `normalize(ctx, trx)`: work on one transaction.
  if (call.arguments.some(passesTransaction)) return [{ kind: 'barrier', resource: 'sql:*', reason: `\`${label}\` runs inside a transaction, in order` }];
  if (callee.type === 'MemberExpression' && unwrap(callee.object).type === 'CallExpression' && !isInteropChain(callee)) return effectsOfChain(ctx, call, callee);
  const target = resolveCallee(ctx.file, callee);
  const effects = effectsOfTarget(ctx, call, target, label);
  // Only in the awaiting function itself do its local names mean something to the other awaits.
  return ctx.depth === 0 ? reachedThrough(ctx.file, call, effects) : effects;
}

/** `__importDefault(require('fs')).default.promises.readFile(f)`: a module member, not a chain of calls. */
function isInteropChain(callee: TSESTree.MemberExpression): boolean {
  let object: TSESTree.Node = unwrap(callee.object);
  while (object.type === 'MemberExpression') object = unwrap(object.object);
  return object.type === 'CallExpression' && interopArgument(object) !== undefined;
}

function effectsOfTarget(ctx: EffectContext, call: TSESTree.CallExpression, target: CalleeTarget, label: string): Effect[] {
  switch (target.kind) {
    case 'module': {
      if (childProcessModules.has(target.module)) return [childProcessEffect(ctx.file, target.path[target.path.length - 1] ?? 'default', call.arguments, label)];
      const known = knownModuleEffects(target.module, target.path, call.arguments, label);
      if (known) return known;
      const resolver = ctx.file.resolver;
      if (resolver && ctx.depth <= maxDepth) {
        const importedName = target.path[0] ?? 'default';
        const summary = resolver.resolveImport(ctx.file.filename, target.source, importedName);
        if (summary && (summary.effects.length > 0 || target.path.length <= 1)) {
          if (summary.waitsOnly) return [{ kind: 'barrier', resource: '*', reason: `\`${label}\` waits on a timer`, timer: true }];
          return withNameForUnknown(bindCommandArguments(ctx.file, summary.effects, call, undefined), target.name, label);
        }
      }
      // `fs_1.copyAsync(…)` where the project module hands on fs-extra's `copy`: what the package member does.
      if (resolver?.resolveReexport && isRelativeSource(target.source) && ctx.depth <= maxDepth) {
        const [first, ...rest] = target.path;
        const found = resolver.resolveReexport(ctx.file.filename, target.source, first ?? 'default');
        const handedOn = found && !isRelativeSource(found.source) ? knownModuleEffects(found.module, [...found.path, ...rest], call.arguments, label) : undefined;
        if (handedOn) return handedOn;
      }
      if (isRelativeSource(target.source) || target.path.length > 0) return effectsFromName(target.name, label, false);
      return [{ kind: 'unknown', resource: '*', reason: `\`${label}\` comes from \`${target.source}\`, which we cannot see into` }];
    }
    case 'local': {
      const summary = summarizeFunction(ctx, target.fn);
      if (summary.waitsOnly) return [{ kind: 'barrier', resource: '*', reason: `\`${label}\` waits on a timer`, timer: true }];
      return withNameForUnknown(bindCommandArguments(ctx.file, summary.effects, call, target.fn), target.name.replace(/^.*\./u, ''), label);
    }
    case 'global':
      return effectsOfGlobal(ctx, call, target.name, label);
    case 'method':
      return effectsOfMethod(ctx, call, target.receiver, target.name, label);
    case 'other':
      return target.name ? effectsFromName(target.name, label, false) : [{ kind: 'unknown', resource: '*', reason: `\`${label}\` is not a call we can follow` }];
  }
}

function effectsOfGlobal(ctx: EffectContext, call: TSESTree.CallExpression, name: string, label: string): Effect[] {
  if (name === 'fetch') return httpEffect(httpMethodOf(call.arguments[1]), call.arguments[0], label);
  if (name === 'setTimeout' || name === 'setImmediate') return [{ kind: 'barrier', resource: '*', reason: `\`${label}\` waits on purpose`, timer: true }];
  if (name === 'setInterval' || name === 'queueMicrotask') return [{ kind: 'barrier', resource: '*', reason: `\`${label}\` waits on purpose` }];
  if (pureGlobals.has(name)) return [];
  if (name === 'require') return [{ kind: 'unknown', resource: '*', reason: '`require` runs the module' }];
  return effectsFromName(name, label, false);
}

function receiverText(ctx: EffectContext, receiver: TSESTree.Node): string {
  return shortText(ctx.file.text, receiver, 40);
}

/** Statements on one transaction run one at a time and in order: `trx('users').where(…)`, `tx.user.findMany()`. */
const transactionRoot = /^(?:trx|tx|transaction|txn)$/iu;

function onTransaction(node: TSESTree.Node): boolean {
  let current = unwrap(node);
  for (;;) {
    if (current.type === 'MemberExpression') current = unwrap(current.object);
    else if (current.type === 'CallExpression') current = unwrap(current.callee);
    else break;
  }
  return current.type === 'Identifier' && transactionRoot.test(current.name);
}

function effectsOfMethod(ctx: EffectContext, call: TSESTree.CallExpression, receiver: TSESTree.Node, name: string, label: string): Effect[] {
  const recv = receiverText(ctx, receiver);
  if (onTransaction(receiver)) return [{ kind: 'barrier', resource: 'sql:*', reason: `\`${label}\` runs on one transaction, in order` }];
  if (oneConnection.test(recv)) return [{ kind: 'barrier', resource: '*', reason: `\`${recv}\` is one connection; its commands run one at a time, in order` }];
  const args = call.arguments;
  if (receiver.type === 'Identifier' && (pureGlobals.has(receiver.name) && resolveIdentifier(ctx.file, receiver) === null)) {
    return receiver.name === 'console' ? [] : [];
  }
  if (sqlMethods.has(name)) {
    const head = sqlText(ctx, args[0]);
    if (head !== undefined && looksLikeSql(head)) {
      if (connectionReceiver.test(recv)) return [{ kind: 'barrier', resource: 'sql:*', reason: `\`${recv}\` is one connection or transaction; its statements run one at a time` }];
      return classifySql(head, label);
    }
  }
  if (lockReceiver.test(recv) && (lockMethods.has(name) || leadingVerb(name) === 'run')) {
    return [{ kind: 'barrier', resource: '*', reason: `\`${label}\` takes or releases a lock` }];
  }
  if (['acquire', 'runExclusive', 'withLock', 'lock', 'unlock', 'release'].includes(name)) {
    return [{ kind: 'barrier', resource: '*', reason: `\`${label}\` takes or releases a lock` }];
  }
  // Reading from a stream, reader, socket or iterator consumes it: two reads must stay in order.
  if (consumingMethods.has(name)) return [{ kind: 'barrier', resource: '*', reason: `\`${label}\` consumes input in order` }];
  if (name === 'once' || name === 'on' || name === 'waitForEvent' || name === 'listen') {
    return [{ kind: 'barrier', resource: '*', reason: name === 'listen' ? `\`${label}\` starts a server` : `\`${label}\` waits for an event` }];
  }
  if (name === 'then' || name === 'catch' || name === 'finally') {
    return union([effectsOfExpression(ctx, receiver), ...args.map((a) => (isFunctionLike(a) ? summarizeFunctionBody(ctx, a) : []))]);
  }
  if (arrayHigherOrder.has(name) && args[0] && isFunctionLike(args[0])) return summarizeFunctionBody(ctx, args[0]);
  // `shell.run('npm whoami')`, `this.exec('git rev-parse HEAD')`: a wrapper that runs one whole command line we can
  // read. Only a query counts; any other command keeps the judgement of the method's name.
  if (commandMethods.has(name)) {
    const words = commandWords('exec', args);
    if (words && isQueryCommand(words)) return [commandEffect(words, label)];
  }
  if (pureMethods.has(name)) return [];
  if ((name === 'write' || name === 'end' || name === 'writeHead') && streamReceiver.test(recv)) {
    return [{ kind: 'write', resource: `stream:${recv}`, reason: `\`${label}\` writes to a stream` }];
  }
  if (name === 'fetch') return httpEffect(httpMethodOf(args[1]), args[0], label).map((e) => ({ ...e, guessed: true }));
  // Octokit-style `request('POST /repos/{owner}/{repo}/releases', …)`.
  const route = name === 'request' ? stringHead(args[0]) : undefined;
  const routeMethod = route === undefined ? undefined : /^(GET|HEAD|OPTIONS|POST|PUT|PATCH|DELETE)\s/u.exec(route)?.[1];
  if (routeMethod) return httpEffect(routeMethod, undefined, label).map((e) => ({ ...e, guessed: true }));
  if (httpVerbs.has(name) && httpReceiver.test(recv) && !kvReceiver.test(recv)) {
    return httpEffect(name.toUpperCase(), args[0], label).map((e) => ({ ...e, guessed: true }));
  }
  const mapLike = typedAsMap(ctx, receiver);
  if (mapLike || kvReceiver.test(recv)) {
    const key = args[0] ? stringHead(args[0]) : undefined;
    const resource = `kv:${recv}:${key !== undefined && !key.includes('${}') ? key : '*'}`;
    if (kvReads.has(name)) return [{ kind: 'read', resource, reason: `\`${label}\` reads a key-value store`, guessed: !mapLike }];
    if (kvWrites.has(name)) return [{ kind: 'write', resource, reason: `\`${label}\` writes a key-value store`, guessed: !mapLike }];
  }
  return effectsFromName(name, label, uiReceiver.test(recv));
}

/** The SQL text passed to a query method: a literal, a template, a `sql` tag, or a `const` holding one. */
function sqlText(ctx: EffectContext, node: TSESTree.Node | undefined): string | undefined {
  if (!node) return undefined;
  const inner = unwrap(node);
  if (inner.type === 'Identifier') {
    const variable = resolveIdentifier(ctx.file, inner);
    const def = variable?.defs.length === 1 ? variable.defs[0] : undefined;
    if (def?.type === 'Variable') {
      const declarator = def.node as TSESTree.VariableDeclarator;
      if (declarator.id === def.name && declarator.init) return stringHead(declarator.init);
    }
    return undefined;
  }
  if (inner.type === 'ObjectExpression') {
    for (const property of inner.properties) {
      if (property.type === 'Property' && property.key.type === 'Identifier' && property.key.name === 'text') return stringHead(property.value);
    }
  }
  return stringHead(inner);
}

/** With type information: is the receiver a `Map`/`Set` (an in-memory store)? */
function typedAsMap(ctx: EffectContext, receiver: TSESTree.Node): boolean {
  const types = ctx.file.types;
  if (!types) return false;
  const tsNode = types.esTreeNodeToTSNodeMap.get(receiver);
  if (!tsNode) return false;
  const type = types.program.getTypeChecker().getTypeAtLocation(tsNode);
  const name = type.getSymbol()?.getName();
  return name === 'Map' || name === 'Set' || name === 'WeakMap';
}

/** `db('users').where(...).first()`, `fetch(u).then(r => r.json())`: judge the chain by all its method names. */
function effectsOfChain(ctx: EffectContext, call: TSESTree.CallExpression, callee: TSESTree.MemberExpression): Effect[] {
  const name = memberName(callee) ?? '';
  const label = labelOf(ctx, callee);
  if (name === 'then' || name === 'catch' || name === 'finally') {
    return union([effectsOfExpression(ctx, callee.object), ...call.arguments.map((a) => (isFunctionLike(a) ? summarizeFunctionBody(ctx, a) : []))]);
  }
  if (pureMethods.has(name) || (arrayHigherOrder.has(name) && call.arguments[0] && isFunctionLike(call.arguments[0]))) {
    const callbacks = call.arguments.map((a) => (isFunctionLike(a) ? summarizeFunctionBody(ctx, a) : []));
    return union([effectsOfExpression(ctx, callee.object), ...callbacks]);
  }
  if (onTransaction(callee.object)) return [{ kind: 'barrier', resource: 'sql:*', reason: `\`${label}\` runs on one transaction, in order` }];
  const names: string[] = [name];
  let base: TSESTree.Node = unwrap(callee.object);
  while (base.type === 'CallExpression' && unwrap(base.callee).type === 'MemberExpression') {
    const member = unwrap(base.callee) as TSESTree.MemberExpression;
    names.push(memberName(member) ?? '');
    const next = unwrap(member.object);
    if (next.type !== 'CallExpression') break;
    base = next;
  }
  if (names.some((n) => chainWrites.has(n))) return [{ kind: 'write', resource: '*', reason: `\`${label}\` writes (\`${names.find((n) => chainWrites.has(n))}\` in the chain)`, guessed: true }];
  if (names.every((n) => queryModifiers.has(n) || effectsFromName(n, n, false)[0]?.kind === 'read')) {
    return [{ kind: 'read', resource: `name:${label}`, reason: `\`${label}\` is a query, a read`, guessed: true }];
  }
  return union([effectsOfExpression(ctx, callee.object), effectsFromName(name, label, false)]);
}
