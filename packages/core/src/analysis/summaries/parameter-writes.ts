import type { TSESTree } from '@typescript-eslint/types';
import type { AnalyzedFile } from '../../engine/analyzed-file.js';
import { factKey } from '../../engine/fact-cache.js';
import { resolveIdentifier } from '../references.js';
import { memberName, unwrap, walk, type FunctionLike } from '../syntax.js';

const cacheKey = factKey<WeakMap<FunctionLike, ReadonlySet<number>>>('overlap:parameter-writes');
const mutatingMethods = new Set(['push', 'pop', 'shift', 'unshift', 'splice', 'set', 'add', 'delete', 'clear', 'sort', 'reverse', 'fill', 'copyWithin', 'append']);

/**
 * The positions of the parameters a function changes the object of: `backend.endpoints[r] = e`,
 * `delete backend.byId[id]`, `list.push(x)`, `counts.n++`. A caller that passes shared state there shares it with
 * every other caller (`moveEndpoint(want, endpoint, region)` in a loop moves entries of one `want`).
 * Only plain identifier parameters; reassigning the parameter itself changes nothing the caller sees.
 */
export function mutatedParameters(file: AnalyzedFile, fn: FunctionLike): ReadonlySet<number> {
  const cache = file.facts.get(cacheKey, () => new WeakMap());
  const cached = cache.get(fn);
  if (cached) return cached;
  const positions = new Map<TSESTree.Node, number>();
  fn.params.forEach((param, index) => {
    const id = param.type === 'AssignmentPattern' ? param.left : param;
    if (id.type === 'Identifier') positions.set(id, index);
  });
  const out = new Set<number>();
  /** The parameter `target` reaches into (`p.a.b`), or with `bare` the parameter `target` is itself (`p.push`). */
  const parameterOf = (target: TSESTree.Node, bare = false): number | undefined => {
    let root = unwrap(target);
    if (root.type !== 'MemberExpression' && !bare) return undefined;
    while (root.type === 'MemberExpression') root = unwrap(root.object);
    if (root.type !== 'Identifier') return undefined;
    const def = resolveIdentifier(file, root)?.defs[0];
    return def?.type === 'Parameter' ? positions.get(def.name) : undefined;
  };
  const note = (index: number | undefined): void => {
    if (index !== undefined) out.add(index);
  };
  if (fn.body && positions.size > 0) {
    walk(fn.body, (node) => {
      if (node.type === 'AssignmentExpression') note(parameterOf(node.left));
      else if (node.type === 'UpdateExpression') note(parameterOf(node.argument));
      else if (node.type === 'UnaryExpression' && node.operator === 'delete') note(parameterOf(node.argument));
      else if (node.type === 'CallExpression') {
        const callee = unwrap(node.callee);
        if (callee.type === 'MemberExpression' && mutatingMethods.has(memberName(callee) ?? '')) {
          note(parameterOf(callee.object, true));
        }
      }
      return true;
    });
  }
  cache.set(fn, out);
  return out;
}
