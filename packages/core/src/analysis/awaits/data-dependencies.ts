import type { Variable } from '@typescript-eslint/scope-manager';
import type { TSESTree } from '@typescript-eslint/types';
import type { AnalyzedFile } from '../../engine/analyzed-file.js';
import { factKey } from '../../engine/fact-cache.js';
import { resolveCallee } from '../effects/callee.js';
import { declarationRange, referencesIn, resolveIdentifier } from '../references.js';
import { contains, memberName, unwrap, walk, type FunctionLike } from '../syntax.js';

/**
 * What a stretch of code reads and writes, by binding. A binding is a scope-analysis variable, or `this.<name>`
 * for instance state (`this.user = await …` then `getPosts(this.user.id)`). Writes include mutation through a
 * binding (`obj.x = 1`, `obj.count++`, `delete obj.k`) and whatever local functions called from the code write
 * to variables they capture, followed two calls deep.
 */
export type Binding = Variable | `this.${string}`;

export interface Access {
  readonly reads: ReadonlySet<Binding>;
  readonly writes: ReadonlySet<Binding>;
}

/** Methods that change the collection they are called on. */
const mutatingMethods = new Set(['push', 'unshift', 'pop', 'shift', 'splice', 'set', 'add', 'delete', 'clear', 'sort', 'reverse', 'fill']);

const accessCacheKey = factKey<WeakMap<TSESTree.Node, Access>>('overlap:access');
const capturedCacheKey = factKey<WeakMap<FunctionLike, Access>>('overlap:captured-access');

export function accessOf(file: AnalyzedFile, node: TSESTree.Node): Access {
  const cache = file.facts.get(accessCacheKey, () => new WeakMap());
  const cached = cache.get(node);
  if (cached) return cached;
  const access = computeAccess(file, node, undefined, 0, new Set());
  cache.set(node, access);
  return access;
}

function thisKey(member: TSESTree.MemberExpression): Binding | undefined {
  if (unwrap(member.object).type !== 'ThisExpression') return undefined;
  const name = memberName(member);
  return `this.${name ?? '*'}`;
}

/** The binding whose object a member chain mutates: `a` for `a.b.c = 1`, `this.b` for `this.b.c = 1`. */
function mutatedBinding(file: AnalyzedFile, target: TSESTree.Node): Binding | undefined {
  let current = unwrap(target);
  let last: TSESTree.MemberExpression | undefined;
  while (current.type === 'MemberExpression') {
    last = current;
    current = unwrap(current.object);
  }
  if (current.type === 'ThisExpression' && last) return thisKey(last);
  if (current.type === 'Identifier') return resolveIdentifier(file, current) ?? undefined;
  return undefined;
}

/**
 * `outside`: when given (a function being summarised for its callers), only bindings declared outside that range
 * count: a function's own locals are invisible to its caller.
 */
function computeAccess(
  file: AnalyzedFile,
  node: TSESTree.Node,
  outside: readonly [number, number] | undefined,
  depth: number,
  visiting: Set<FunctionLike>,
): Access {
  const reads = new Set<Binding>();
  const writes = new Set<Binding>();
  const visible = (variable: Variable): boolean => {
    if (!outside) return true;
    const declared = declarationRange(variable);
    return declared !== undefined && !(outside[0] <= declared[0] && declared[1] <= outside[1]);
  };
  for (const reference of referencesIn(file, node.range)) {
    const variable = reference.resolved as Variable | null;
    if (!variable || variable.defs.length === 0 || !visible(variable)) continue;
    if (reference.isRead()) reads.add(variable);
    if (reference.isWrite()) writes.add(variable);
  }
  walk(node, (child) => {
    switch (child.type) {
      case 'AssignmentExpression':
        if (unwrap(child.left).type === 'MemberExpression') addMutation(unwrap(child.left) as TSESTree.MemberExpression);
        break;
      case 'UpdateExpression':
        if (unwrap(child.argument).type === 'MemberExpression') addMutation(unwrap(child.argument) as TSESTree.MemberExpression);
        break;
      case 'UnaryExpression':
        if (child.operator === 'delete' && unwrap(child.argument).type === 'MemberExpression') addMutation(unwrap(child.argument) as TSESTree.MemberExpression);
        break;
      case 'MemberExpression': {
        const key = thisKey(child);
        if (key) reads.add(key);
        break;
      }
      case 'CallExpression': {
        // `visited.add(dir)`, `seen.set(k, v)`, `queue.push(x)`: the call changes the object it is called on.
        const callee = unwrap(child.callee);
        if (callee.type === 'MemberExpression' && mutatingMethods.has(memberName(callee) ?? '')) addMutation(callee);
        if (depth < 2) addCallee(child);
        break;
      }
      default:
        break;
    }
    return true;
  });
  return { reads, writes };

  function addMutation(target: TSESTree.MemberExpression): void {
    const binding = mutatedBinding(file, target);
    if (binding === undefined) return;
    if (typeof binding !== 'string' && !visible(binding)) return;
    writes.add(binding);
  }

  function addCallee(call: TSESTree.CallExpression): void {
    const target = resolveCallee(file, call.callee);
    if (target.kind !== 'local' || visiting.has(target.fn)) return;
    // Declared inside the analysed code: already walked as part of it.
    if (contains(node, target.fn)) return;
    const captured = capturedAccess(file, target.fn, depth + 1, new Set([...visiting, target.fn]));
    for (const binding of captured.reads) if (typeof binding === 'string' || visible(binding)) reads.add(binding);
    for (const binding of captured.writes) if (typeof binding === 'string' || visible(binding)) writes.add(binding);
  }
}

/** What a local function reads and writes of the bindings it captures: what a call to it does to its caller. */
export function capturedAccess(file: AnalyzedFile, fn: FunctionLike, depth = 1, visiting = new Set<FunctionLike>([fn])): Access {
  const cache = file.facts.get(capturedCacheKey, () => new WeakMap());
  const cached = cache.get(fn);
  if (cached) return cached;
  const access = computeAccess(file, fn.body ?? fn, fn.range, depth, visiting);
  if (depth === 1) cache.set(fn, access);
  return access;
}

/** Why `later` depends on `earlier` by data, or `undefined`. */
export function dataDependency(earlier: Access, later: Access, nameOf: (binding: Binding) => string): string | undefined {
  for (const binding of earlier.writes) {
    if (later.reads.has(binding)) return `uses \`${nameOf(binding)}\``;
    if (later.writes.has(binding)) return `also writes \`${nameOf(binding)}\``;
  }
  for (const binding of later.writes) if (earlier.reads.has(binding)) return `overwrites \`${nameOf(binding)}\``;
  return undefined;
}

export function bindingName(binding: Binding): string {
  return typeof binding === 'string' ? binding : binding.name;
}
