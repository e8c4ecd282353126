import type { ScopeVariable } from '@typescript-eslint/scope-manager';
import type { TSESTree } from '@typescript-eslint/types';
import type * as ts from 'typescript';
import type { AnalyzedFile } from '../../engine/analyzed-file.js';
import { isGlobalReference, isSingleAssignment, variableOf } from '../import-bindings.js';
import { calledMethodName, descendants as descendantsOf, propertyName } from '../walk-ast.js';
import { memberName as memberNameOf, unwrap } from '../syntax.js';
import { isRelativeSource, resolveCallee } from '../effects/callee.js';
import { reachesService } from './service-reach.js';

/**
 * How many elements a collection expression has, as far as the code shows.
 * - `known`: an exact count or a constant upper bound (`[a, b]`, `Array.from({ length: 4 })`, `xs.slice(0, 10)`).
 * - `bounded`: a chunk or batch whose bound is set by construction but not a constant we can read
 *   (`xs.slice(i, i + size)`, the loop variable of `for (const batch of chunk(xs, n))`).
 * - `unknown`: anything else. `input` when the elements come from outside the function (a parameter, a call's or
 *   an await's result, a property): its size is set by data, which is the case the rule is about.
 */
export type CollectionSize =
  | { readonly kind: 'known'; readonly size: number }
  | { readonly kind: 'bounded'; readonly how: string }
  /**
   * `configured`: sized by configuration rather than data: the build's target architectures, its icons, the
   * configured publishers, a property of an options object. Its size is what someone wrote in a config file.
   */
  | { readonly kind: 'configured'; readonly how: string }
  /**
   * `input`: from outside the function (a parameter, an awaited or returned value): sized by data.
   * `held`: a property of an object (`this.replicas`, `schema.paths`): more often sized by topology, configuration
   * or schema than by data. `local`: built here, of a size the code does not fix.
   */
  | { readonly kind: 'unknown'; readonly origin: 'input' | 'held' | 'local'; readonly how: string };

const sizePreservingMethods: ReadonlySet<string> = new Set([
  'map', 'filter', 'sort', 'toSorted', 'reverse', 'toReversed', 'fill', 'slice', 'flat', 'values', 'keys', 'entries',
]);
const mutatingMethods: ReadonlySet<string> = new Set(['push', 'unshift', 'splice', 'add', 'set']);
const chunkingName = /chunk|batch|partition|paginat|split(?:Every|Into)|window|inGroups/iu;
/** A variable named like one chunk or batch (`chunk`, `currentBatch`, `page_chunk`). */
const chunkVariableName = /(?:^|[a-z_])(?:chunk|batch)$/iu;

/**
 * Collections of things the program itself holds open (workers, clients, connections, sessions, listeners): their
 * number is set by how many the program made, not by input data, and fanning out over them (to close or notify
 * them) is how they are meant to be used.
 */
const heldResourceWord = /^(?:workers|clients|connections|conns|sockets|servers|children|processes|listeners|handlers|watchers|sessions|cursors|closers|transports|streams|channels|sentinels|pools)$/u;

export function heldResourceName(name: string): boolean {
  const words = name.replace(/([a-z0-9])([A-Z])/gu, '$1 $2').replace(/([A-Z])([A-Z][a-z])/gu, '$1 $2').toLowerCase().split(/[\s_$]+/u);
  const last = words.at(-1);
  return last !== undefined && heldResourceWord.test(last);
}

function words(name: string): string[] {
  return name.replace(/([a-z0-9])([A-Z])/gu, '$1 $2').replace(/([A-Z])([A-Z][a-z])/gu, '$1 $2').toLowerCase().split(/[\s_$#]+/u).filter(Boolean);
}

/**
 * Last words of names of collections that configuration sizes: a build's target architectures and platforms, its
 * icons and file associations, the configured publishers, providers, plugins, locales or regions. One element
 * each per entry someone wrote in a config file, a handful, whoever runs the program and on whatever input.
 */
const configuredWord = /^(?:archs|arches|architectures|platforms|targets|publishers|providers|icons|sizes|formats|locales|languages|langs|plugins|presets|hooks|associations|protocols|patterns|matchers|algorithms|algos|regions|stages|environments|envs|browsers|themes|variants|reporters|loaders|engines|transformers|middlewares|schemes|mirrors|registries|replicas|binaries|suffixes|flavors|flavours)$/u;
/** Words that say a collection holds data (files, rows, packages, uploads): these win over an options object. */
const dataWord = /^(?:files?|paths?|urls?|uris?|links?|ids?|rows?|records?|items?|entries|documents?|docs?|messages?|users?|packages?|pkgs?|deps?|dependencies|uploads?|downloads?|objects?|blobs?|images?|pages?|results?|jobs?|tasks?|events?|names?|emails?|artifacts?|lines?|keys?|accounts?|orders?|products?|posts?|comments?|issues?|repos?|repositories|commits?|releases?|manifests?|specs?|tests?|chunks?|batch|batches|list|queue)$/u;
/** An object that holds options or configuration: `options.x`, `this.config.x`, `buildOptions.x`. */
const optionsObject = /^(?:options|opts|config|cfg|conf|settings|configuration|[a-z]+(?:Options|Config|Configuration|Settings))$/u;

/** A collection named like a configured set and like no data: `archs`, `publishers`, `fileAssociations`. */
export function configuredName(name: string): boolean {
  const all = words(name);
  const last = all.at(-1);
  return last !== undefined && configuredWord.test(last) && !all.some((word) => dataWord.test(word));
}

function dataName(name: string): boolean {
  return words(name).some((word) => dataWord.test(word));
}

/**
 * Evidence that configuration, not data, sizes the collection: its name (`icons`, `targetArchs`,
 * `asArray(publishers)`), or a property read off an options object (`options.binaries`, `this.config.hooks`)
 * unless the name says data (`options.file_uploads`, `this.options.pkgNames` stay data).
 */
function configuredSource(file: AnalyzedFile, node: TSESTree.Node, depth = 0): string | undefined {
  if (depth > 3) return undefined;
  const converted = convertedConfiguration(file, node, depth);
  if (converted !== undefined) return converted;
  const name = collectionName(node) ?? wrappedName(node);
  if (name !== undefined && configuredName(name)) return `\`${name}\` names a configured set`;
  if (name !== undefined && dataName(name)) return undefined;
  const member = node.type === 'MemberExpression' ? node : undefined;
  for (let part: TSESTree.Node | undefined = member?.object; part; ) {
    const inner = unwrap(part);
    const segment = inner.type === 'Identifier' ? inner.name : inner.type === 'MemberExpression' && !inner.computed ? propertyName(inner) : undefined;
    if (segment !== undefined && optionsObject.test(segment)) return `\`${textOf(file, node)}\` is read off an options object`;
    part = inner.type === 'MemberExpression' ? inner.object : undefined;
  }
  return undefined;
}

/**
 * `getSchemas(options.schema)`, `asArray(config.targets)`: a function of this file that reaches no service, given a
 * configured value, converts configuration into a list; the list is as large as what was configured. A call that
 * reads or fetches (`readdir(options.dir)`) makes data out of configuration, and is not this.
 */
function convertedConfiguration(file: AnalyzedFile, node: TSESTree.Node, depth: number): string | undefined {
  if (node.type !== 'CallExpression' || node.arguments.length === 0) return undefined;
  if (!convertsOnly(file, node)) return undefined;
  for (const argument of node.arguments) {
    if (argument.type === 'SpreadElement') continue;
    const configured = configuredSource(file, unwrap(argument), depth + 1);
    if (configured !== undefined) return `\`${textOf(file, node.callee)}\` converts configuration (${configured})`;
  }
  return undefined;
}

/**
 * A call of a function that starts nothing: declared in this file and reaching no service, or (with the CLI's
 * resolver) imported from a file of the project whose summary has no effect.
 */
function convertsOnly(file: AnalyzedFile, call: TSESTree.CallExpression): boolean {
  const target = resolveCallee(file, call.callee);
  if (target.kind === 'local') return !reachesService(file, target.fn);
  if (target.kind !== 'module' || !isRelativeSource(target.source) || !file.resolver) return false;
  const summary = file.resolver.resolveImport(file.filename, target.source, target.path[0] ?? 'default');
  return summary !== undefined && !summary.waitsOnly && summary.effects.every((effect) => effect.kind === 'none');
}

/** `asArray(publishers)`, `toArray(opts.targets)`: a one-argument wrapper keeps the name of what it wraps. */
function wrappedName(node: TSESTree.Node): string | undefined {
  if (node.type !== 'CallExpression' || node.arguments.length !== 1) return undefined;
  const argument = unwrap(node.arguments[0]!);
  return argument.type === 'Identifier' || argument.type === 'MemberExpression' ? collectionName(argument) : undefined;
}

function collectionName(node: TSESTree.Node): string | undefined {
  if (node.type === 'Identifier') return node.name;
  if (node.type === 'MemberExpression' && !node.computed && node.property.type === 'Identifier') return node.property.name;
  if (node.type === 'CallExpression') {
    const callee = unwrap(node.callee);
    // this.s.activeSessions.values(), Array.from(this.clients)
    if (callee.type === 'MemberExpression' && ['values', 'keys', 'entries', 'filter', 'slice'].includes(propertyName(callee) ?? '')) {
      return collectionName(unwrap(callee.object));
    }
    // Array.from(this.clients), Object.keys(this.connections)
    if (callee.type === 'MemberExpression' && ['from', 'keys', 'values', 'entries', 'getOwnPropertyNames'].includes(propertyName(callee) ?? '') && node.arguments[0]) {
      return collectionName(unwrap(node.arguments[0]));
    }
  }
  return undefined;
}

export function collectionSize(file: AnalyzedFile, expression: TSESTree.Node, depth = 0): CollectionSize {
  if (depth > 6) return unknownLocal('too many steps to follow');
  const node = unwrap(expression);
  const name = collectionName(node);
  if (name !== undefined && heldResourceName(name)) return { kind: 'bounded', how: `\`${name}\` holds resources the program opened` };
  const configured = configuredSource(file, node);
  if (configured !== undefined) return { kind: 'configured', how: configured };
  const fromTypes = tupleLength(file, node);
  if (fromTypes !== undefined) return { kind: 'known', size: fromTypes };
  switch (node.type) {
    case 'ArrayExpression':
      return sumOf(file, node.elements, depth);
    case 'NewExpression':
    case 'CallExpression':
      return callSize(file, node, depth);
    case 'Identifier':
      return lengthCheckBefore(file, node) ?? identifierSize(file, node, depth);
    case 'ObjectExpression':
      // The array-like of `Array.from({ length: n }, fn)`.
      return arrayFromSize(file, node, depth);
    case 'AwaitExpression':
      return { kind: 'unknown', origin: 'input', how: 'an awaited result' };
    case 'MemberExpression':
      return memberSize(file, node);
    default:
      return unknownLocal('an expression');
  }
}

/**
 * A property is data when the object it hangs off came in as data (`req.body.ids`, `(await api.list()).items`);
 * a property of `this` or of an object the module holds (`this.replicas`, `registry.handlers`) is more often
 * sized by topology, configuration or schema.
 */
function memberSize(file: AnalyzedFile, member: TSESTree.MemberExpression): CollectionSize {
  let root: TSESTree.Node = member;
  while (root.type === 'MemberExpression' || root.type === 'ChainExpression' || root.type === 'TSNonNullExpression') {
    root = root.type === 'MemberExpression' ? root.object : root.expression;
  }
  const fromData = { kind: 'unknown', origin: 'input', how: 'a property of a value that came in as data' } as const;
  if (root.type === 'AwaitExpression' || root.type === 'CallExpression') return fromData;
  if (root.type === 'Identifier') {
    const variable = variableOf(file, root);
    const def = variable?.defs.length === 1 ? variable.defs[0] : undefined;
    if (def?.type === 'Parameter') return fromData;
    const init = def?.type === 'Variable' ? (def.node as TSESTree.VariableDeclarator).init : undefined;
    if (init && (unwrap(init).type === 'AwaitExpression' || unwrap(init).type === 'CallExpression')) return fromData;
  }
  // `this.targetPackages`, `this.pendingUploads`: the object holds data, named as such.
  const name = propertyName(member);
  if (name !== undefined && dataName(name)) return { kind: 'unknown', origin: 'input', how: `\`${name}\` names data the object holds` };
  return { kind: 'unknown', origin: 'held', how: 'a property of an object the code holds, often sized by configuration or schema' };
}

function unknownLocal(how: string): CollectionSize {
  return { kind: 'unknown', origin: 'local', how };
}

function sumOf(file: AnalyzedFile, elements: readonly (TSESTree.Node | null)[], depth: number): CollectionSize {
  let size = 0;
  for (const element of elements) {
    if (element?.type !== 'SpreadElement') {
      size += 1;
      continue;
    }
    const inner = collectionSize(file, element.argument, depth + 1);
    if (inner.kind !== 'known') return inner;
    size += inner.size;
  }
  return { kind: 'known', size };
}

function callSize(file: AnalyzedFile, call: TSESTree.CallExpression | TSESTree.NewExpression, depth: number): CollectionSize {
  const callee = unwrap(call.callee);
  const args = call.arguments;
  // Array(n), new Array(n), new Set(xs), new Map(xs)
  if (callee.type === 'Identifier' && isGlobalReference(file, callee)) {
    if (callee.name === 'Array' && args.length === 1 && args[0]) {
      const n = constantNumber(file, args[0]);
      return n === undefined ? unknownLocal('`Array(n)` of a size we cannot read') : { kind: 'known', size: n };
    }
    if ((callee.name === 'Set' || callee.name === 'Map') && args[0]) return collectionSize(file, args[0], depth + 1);
  }
  if (callee.type === 'MemberExpression') {
    const object = unwrap(callee.object);
    const method = propertyName(callee);
    if (object.type === 'Identifier' && isGlobalReference(file, object)) {
      if (object.name === 'Array' && method === 'from' && args[0]) return arrayFromSize(file, args[0], depth);
      if (object.name === 'Array' && method === 'of') return sumOf(file, args, depth);
      if (object.name === 'Object' && (method === 'keys' || method === 'values' || method === 'entries') && args[0]) {
        const target = objectLiteralOf(file, unwrap(args[0]));
        if (target.type === 'ObjectExpression' && target.properties.every((p) => p.type === 'Property')) {
          return { kind: 'known', size: target.properties.length };
        }
        // Object.keys(this.agenda.definitions), Object.keys(pkg.bin): as sized as the object they hang off.
        if (target.type === 'MemberExpression') {
          const held = memberSize(file, target);
          return held.kind === 'unknown' ? { ...held, how: `the keys of \`${textOf(file, target)}\`, ${held.how}` } : held;
        }
        const fromParameter = target.type === 'Identifier' && variableOf(file, target)?.defs[0]?.type === 'Parameter';
        const origin = target.type === 'Identifier' && !fromParameter ? 'local' : 'input';
        return { kind: 'unknown', origin, how: fromParameter ? `the keys of the parameter \`${(target as TSESTree.Identifier).name}\`` : 'the keys of an object' };
      }
    }
    if (method === 'slice' || method === 'splice') return sliceSize(file, call as TSESTree.CallExpression, method, depth);
    if (method === 'concat') {
      const parts = [callee.object, ...args];
      return sumOf(file, parts.map((p) => ({ type: 'SpreadElement', argument: p }) as unknown as TSESTree.SpreadElement), depth);
    }
    if (method !== undefined && sizePreservingMethods.has(method)) return collectionSize(file, callee.object, depth + 1);
  }
  // `getSchemas(options.schema)` from a module we cannot see: a list made from configuration by a call that
  // reaches no service we know of is more likely the configured values than data. Reading calls make data.
  if (call.type === 'CallExpression' && !reachesService(file, call)
    && call.arguments.some((argument) => argument.type !== 'SpreadElement' && configuredSource(file, unwrap(argument), depth + 1) !== undefined)) {
    return { kind: 'unknown', origin: 'held', how: `\`${textOf(file, call.callee)}(...)\` of configured values, by a call we cannot see into` };
  }
  return { kind: 'unknown', origin: 'input', how: 'the result of a call' };
}

/** The object literal a never-reassigned constant was initialised with, or the node itself. */
function objectLiteralOf(file: AnalyzedFile, node: TSESTree.Node): TSESTree.Node {
  if (node.type !== 'Identifier') return node;
  const variable = variableOf(file, node);
  if (!variable || !isSingleAssignment(variable)) return node;
  const def = variable.defs[0];
  const init = def?.type === 'Variable' ? (def.node as TSESTree.VariableDeclarator).init : null;
  return init && unwrap(init).type === 'ObjectExpression' ? unwrap(init) : node;
}

function arrayFromSize(file: AnalyzedFile, source: TSESTree.Node, depth: number): CollectionSize {
  const node = unwrap(source);
  if (node.type === 'ObjectExpression') {
    for (const property of node.properties) {
      if (property.type === 'Property' && !property.computed && property.key.type === 'Identifier' && property.key.name === 'length') {
        const n = constantNumber(file, property.value);
        if (n !== undefined) return { kind: 'known', size: n };
        return cappedByMin(file, property.value) ? { kind: 'bounded', how: '`{ length: Math.min(...) }`, capped by the code' } : unknownLocal('`{ length }` of a size we cannot read');
      }
    }
    return unknownLocal('an array-like object');
  }
  return collectionSize(file, node, depth + 1);
}

function sliceSize(file: AnalyzedFile, call: TSESTree.CallExpression, method: string, depth: number): CollectionSize {
  const [start, end] = call.arguments;
  if (method === 'splice') {
    if (!end) return unknownLocal('a splice to the end');
    const count = constantNumber(file, end);
    // `queue.splice(0, batchSize)` takes one batch of a chosen width.
    return count === undefined ? { kind: 'bounded', how: `\`.splice(start, ${textOf(file, end)})\`` } : { kind: 'known', size: count };
  }
  if (!end) return collectionSize(file, (unwrap(call.callee) as TSESTree.MemberExpression).object, depth + 1);
  const startValue = start ? constantNumber(file, start) : 0;
  const endValue = constantNumber(file, end);
  if (startValue !== undefined && endValue !== undefined) return { kind: 'known', size: Math.max(0, endValue - startValue) };
  // xs.slice(i, i + n): at most n, whatever i is.
  const endNode = unwrap(end);
  if (start && endNode.type === 'BinaryExpression' && endNode.operator === '+' && sameText(file, endNode.left, start)) {
    // A window of a chosen width is a deliberate batch, whatever the width: the author picked it.
    return { kind: 'bounded', how: `\`.slice(start, start + ${textOf(file, endNode.right)})\`` };
  }
  return unknownLocal('a slice of a size we cannot read');
}

function identifierSize(file: AnalyzedFile, identifier: TSESTree.Identifier, depth: number): CollectionSize {
  const variable = variableOf(file, identifier);
  if (!variable || variable.defs.length !== 1) return { kind: 'unknown', origin: 'input', how: `\`${identifier.name}\`, a variable from outside the file` };
  const def = variable.defs[0]!;
  if (def.type === 'Parameter') {
    if (chunkVariableName.test(identifier.name)) return { kind: 'bounded', how: `\`${identifier.name}\` is named as one chunk or batch` };
    return argumentsSize(file, def.node as TSESTree.Node, def.name as TSESTree.Identifier, depth) ?? { kind: 'unknown', origin: 'input', how: `\`${identifier.name}\` is a parameter` };
  }
  if (def.type !== 'Variable') return unknownLocal(`\`${identifier.name}\``);
  const declarator = def.node as TSESTree.VariableDeclarator;
  const loop = declarator.parent?.parent;
  if (loop?.type === 'ForOfStatement' && loop.left === declarator.parent) {
    const iterated = unwrap(loop.right);
    if (iterated.type === 'CallExpression' && chunksBySize(iterated)) {
      return { kind: 'bounded', how: `\`${identifier.name}\` is one chunk of \`${textOf(file, iterated)}\`` };
    }
  }
  if (chunkVariableName.test(identifier.name)) return { kind: 'bounded', how: `\`${identifier.name}\` is named as one chunk or batch` };
  if (!declarator.init || declarator.id.type !== 'Identifier') {
    return { kind: 'unknown', origin: 'input', how: `\`${identifier.name}\` comes from destructuring or a loop` };
  }
  if (!isSingleAssignment(variable) || isMutated(variable)) {
    return unknownLocal(`\`${identifier.name}\` grows after it is created`);
  }
  const inner = collectionSize(file, declarator.init, depth + 1);
  return inner;
}

/**
 * A parameter of a function private to the module, every use of which is a direct call in this file: the largest of
 * the collections its callers pass (`const DENYLIST = resolvePaths(['/usr', '/lib', ...])`), when all of them have a
 * known size. `undefined` when the function escapes or any caller's size is not known.
 */
function argumentsSize(file: AnalyzedFile, fn: TSESTree.Node, parameter: TSESTree.Identifier, depth: number): CollectionSize | undefined {
  if (fn.type !== 'FunctionDeclaration' && fn.type !== 'FunctionExpression' && fn.type !== 'ArrowFunctionExpression') return undefined;
  const index = fn.params.indexOf(parameter);
  if (index < 0) return undefined;
  const calls = privateCallSites(file, fn);
  if (!calls || calls.length === 0) return undefined;
  let largest = 0;
  let configured: string | undefined;
  for (const call of calls) {
    const argument = call.arguments[index];
    if (!argument || argument.type === 'SpreadElement') return undefined;
    const size = collectionSize(file, argument, depth + 1);
    if (size.kind === 'known') largest = Math.max(largest, size.size);
    else if (size.kind === 'configured' || size.kind === 'bounded') configured ??= size.how;
    else return undefined;
  }
  // Every caller passes a configured or bounded collection (or one of known size): so is the parameter.
  if (configured !== undefined) return { kind: 'configured', how: `every caller passes a configured or bounded collection (${configured})` };
  return { kind: 'known', size: largest };
}

/**
 * Every call of a function nobody outside this file can call: a function that is not exported (each use a direct
 * call), or a private method of a class (`#load`, TypeScript's `private load`) called as `this.load(...)`.
 * `undefined` when the function escapes or is public.
 */
function privateCallSites(file: AnalyzedFile, fn: TSESTree.FunctionDeclaration | TSESTree.FunctionExpression | TSESTree.ArrowFunctionExpression): TSESTree.CallExpression[] | undefined {
  const method = fn.parent?.type === 'MethodDefinition' && fn.parent.value === fn ? fn.parent : undefined;
  if (method) {
    const isPrivate = method.key.type === 'PrivateIdentifier' || method.accessibility === 'private';
    if (!isPrivate || method.computed || method.static) return undefined;
    const name = method.key.type === 'PrivateIdentifier' ? `#${method.key.name}` : method.key.type === 'Identifier' ? method.key.name : undefined;
    const classBody = method.parent;
    if (name === undefined || classBody?.type !== 'ClassBody') return undefined;
    const calls: TSESTree.CallExpression[] = [];
    for (const node of descendantsOf(classBody)) {
      if (node.type !== 'MemberExpression' || unwrap(node.object).type !== 'ThisExpression' || memberNameOf(node) !== name) continue;
      if (node.parent?.type !== 'CallExpression' || node.parent.callee !== node) return undefined;
      calls.push(node.parent);
    }
    return calls;
  }
  const binding = fn.type === 'FunctionDeclaration' ? fn.id
    : fn.parent?.type === 'VariableDeclarator' && fn.parent.init === fn && fn.parent.id.type === 'Identifier' ? fn.parent.id : null;
  if (!binding || exported(binding)) return undefined;
  const variable = file.scopeManager.getDeclaredVariables(fn.type === 'FunctionDeclaration' ? fn : fn.parent!)
    .find((v) => v.name === binding.name);
  const uses = variable?.references.filter((reference) => !reference.init && reference.identifier !== binding) ?? [];
  const calls: TSESTree.CallExpression[] = [];
  for (const reference of uses) {
    const call = (reference.identifier as TSESTree.Node).parent;
    if (call?.type !== 'CallExpression' || call.callee !== reference.identifier) return undefined;
    calls.push(call);
  }
  return calls;
}

function exported(binding: TSESTree.Identifier): boolean {
  for (let node: TSESTree.Node | undefined = binding.parent; node; node = node.parent) {
    if (node.type === 'ExportNamedDeclaration' || node.type === 'ExportDefaultDeclaration') return true;
    if (node.type === 'Program' || node.type === 'BlockStatement') break;
  }
  return false;
}

function isMutated(variable: ScopeVariable): boolean {
  return variable.references.some((reference) => {
    const parent = (reference.identifier as TSESTree.Node).parent;
    if (parent?.type !== 'MemberExpression' || parent.object !== reference.identifier) return false;
    const grand = parent.parent;
    if (grand?.type === 'CallExpression' && grand.callee === parent) return mutatingMethods.has(propertyName(parent) ?? '');
    return grand?.type === 'AssignmentExpression' && grand.left === parent;
  });
}

/**
 * `chunk(xs, 50)`, `batches(rows)`, `paginate(query)`: a call that cuts a collection into pieces of a chosen size.
 * `partition`, `split` and `window` words also name grouping by kind (`partitionSuiteChildren(suite)` groups
 * tests by mode, whatever their number), so those count only when a size is passed beside the collection.
 */
function chunksBySize(call: TSESTree.CallExpression): boolean {
  const name = calleeName(call) ?? '';
  if (!chunkingName.test(name)) return false;
  return /chunk|batch|paginat/iu.test(name) || call.arguments.length >= 2;
}

function calleeName(call: TSESTree.CallExpression): string | undefined {
  const callee = unwrap(call.callee);
  if (callee.type === 'Identifier') return callee.name;
  return calledMethodName(call);
}

/** A number the code fixes: a literal, a never-reassigned constant, simple arithmetic, `Math.min` with a constant. */
export function constantNumber(file: AnalyzedFile, expression: TSESTree.Node, depth = 0): number | undefined {
  if (depth > 6) return undefined;
  const node = unwrap(expression);
  if (node.type === 'Literal' && typeof node.value === 'number') return node.value;
  if (node.type === 'UnaryExpression' && node.operator === '-') {
    const value = constantNumber(file, node.argument, depth + 1);
    return value === undefined ? undefined : -value;
  }
  if (node.type === 'BinaryExpression' && ['+', '-', '*', '/'].includes(node.operator)) {
    const left = constantNumber(file, node.left, depth + 1);
    const right = constantNumber(file, node.right, depth + 1);
    if (left === undefined || right === undefined) return undefined;
    switch (node.operator) {
      case '+': return left + right;
      case '-': return left - right;
      case '*': return left * right;
      default: return right === 0 ? undefined : Math.ceil(left / right);
    }
  }
  if (node.type === 'CallExpression' && node.callee.type === 'MemberExpression') {
    const object = node.callee.object;
    if (object.type === 'Identifier' && object.name === 'Math' && propertyName(node.callee) === 'min') {
      const bounds = node.arguments.map((a) => constantNumber(file, a, depth + 1)).filter((n): n is number => n !== undefined);
      return bounds.length > 0 ? Math.min(...bounds) : undefined;
    }
  }
  if (node.type === 'Identifier') {
    const variable = variableOf(file, node);
    if (!variable || !isSingleAssignment(variable)) return undefined;
    const def = variable.defs[0];
    if (def?.type !== 'Variable') return undefined;
    const declarator = def.node as TSESTree.VariableDeclarator;
    return declarator.init && declarator.id.type === 'Identifier' ? constantNumber(file, declarator.init, depth + 1) : undefined;
  }
  return undefined;
}

/**
 * `if (messages.length > MAX_BATCH) throw new Error(...)` earlier on the way to the fan-out: the author capped the
 * collection (an API's batch limit), so it is as large as they chose, like a chunk. Only for a never-reassigned
 * variable, and only when the check leaves the function (throw or return).
 */
function lengthCheckBefore(file: AnalyzedFile, identifier: TSESTree.Identifier): CollectionSize | undefined {
  const variable = variableOf(file, identifier);
  if (!variable || !isSingleAssignment(variable)) return undefined;
  for (let node: TSESTree.Node = identifier; node.parent; node = node.parent) {
    const block: TSESTree.Node = node.parent;
    if (block.type !== 'BlockStatement' && block.type !== 'Program') continue;
    for (const statement of block.body as TSESTree.Node[]) {
      if (statement === node) break;
      if (statement.type !== 'IfStatement' || !exits(statement.consequent)) continue;
      const cap = lengthAbove(file, statement.test, variable);
      if (cap) return { kind: 'bounded', how: `\`${identifier.name}\` is checked against \`${cap}\` before` };
    }
  }
  return undefined;
}

/** `xs.length > N`, `xs.length >= N`, `N < xs.length`: the text of N. */
function lengthAbove(file: AnalyzedFile, test: TSESTree.Node, variable: ScopeVariable): string | undefined {
  const node = unwrap(test);
  if (node.type === 'LogicalExpression' && node.operator === '||') return lengthAbove(file, node.left, variable) ?? lengthAbove(file, node.right, variable);
  if (node.type !== 'BinaryExpression') return undefined;
  const isLength = (side: TSESTree.Node): boolean => {
    const member = unwrap(side);
    if (member.type !== 'MemberExpression' || propertyName(member) !== 'length') return false;
    const object = unwrap(member.object);
    return object.type === 'Identifier' && variableOf(file, object) === variable;
  };
  if ((node.operator === '>' || node.operator === '>=') && isLength(node.left)) return textOf(file, node.right);
  if ((node.operator === '<' || node.operator === '<=') && isLength(node.right)) return textOf(file, node.left as TSESTree.Node);
  return undefined;
}

function exits(statement: TSESTree.Statement): boolean {
  if (statement.type === 'ThrowStatement' || statement.type === 'ReturnStatement') return true;
  if (statement.type !== 'BlockStatement') return false;
  const last = statement.body.at(-1);
  return last !== undefined && (last.type === 'ThrowStatement' || last.type === 'ReturnStatement');
}

/**
 * `Math.min(limit, tasks.length)`, directly or through a never-reassigned constant: the author capped the count
 * (a worker pool of at most `limit`), whether or not the cap is a constant we can read.
 */
export function cappedByMin(file: AnalyzedFile, expression: TSESTree.Node, depth = 0): boolean {
  if (depth > 4) return false;
  const node = unwrap(expression);
  if (node.type === 'Identifier') {
    const variable = variableOf(file, node);
    if (!variable || !isSingleAssignment(variable)) return false;
    const def = variable.defs[0];
    const init = def?.type === 'Variable' ? (def.node as TSESTree.VariableDeclarator).init : null;
    return init ? cappedByMin(file, init, depth + 1) : false;
  }
  if (node.type !== 'CallExpression' || node.arguments.length < 2) return false;
  const callee = unwrap(node.callee);
  return callee.type === 'MemberExpression' && unwrap(callee.object).type === 'Identifier'
    && (unwrap(callee.object) as TSESTree.Identifier).name === 'Math' && isGlobalReference(file, unwrap(callee.object) as TSESTree.Identifier)
    && propertyName(callee) === 'min';
}

/** Tuples have a length in their type: `[User, Settings]` has two elements whatever the code does. */
function tupleLength(file: AnalyzedFile, node: TSESTree.Node): number | undefined {
  const types = file.types;
  if (!types) return undefined;
  const tsNode = types.esTreeNodeToTSNodeMap.get(node);
  if (!tsNode) return undefined;
  const checker = types.program.getTypeChecker();
  const type = checker.getTypeAtLocation(tsNode);
  if (!checker.isTupleType(type)) return undefined;
  const target = (type as ts.TupleTypeReference).target;
  return target.hasRestElement ? undefined : target.fixedLength;
}

function textOf(file: AnalyzedFile, node: TSESTree.Node): string {
  return file.text.slice(node.range[0], node.range[1]);
}

function sameText(file: AnalyzedFile, a: TSESTree.Node, b: TSESTree.Node): boolean {
  return textOf(file, a) === textOf(file, b);
}
