import type { TSESTree } from '@typescript-eslint/types';
import type { AnalyzedFile } from '../../engine/analyzed-file.js';
import type { Effect } from '../../model/effect.js';
import { resolveIdentifier } from '../references.js';
import { isFunctionLike, memberName, unwrap, walk } from '../syntax.js';

/**
 * One resource reached through an object: `writeFile(join(repo.path, 'x'))` writes inside `repo`'s working tree,
 * and `status(repo)` or `git(repo, …)` read or change the same tree. The call's read and write effects get the
 * local objects they reach (`path:repo` through a path-like property, `arg:repo` when passed whole), and
 * effects/conflicts.ts orders two effects that reach the same object when either writes.
 */
export function reachedThrough(file: AnalyzedFile, call: TSESTree.CallExpression, effects: Effect[]): Effect[] {
  if (!effects.some((effect) => effect.kind === 'read' || effect.kind === 'write')) return effects;
  const via = new Set<string>();
  for (const argument of call.arguments) {
    const inner = unwrap(argument);
    if (inner.type === 'Identifier' && isLocalObject(file, inner)) via.add(`arg:${inner.name}`);
    walk(inner, (node) => {
      if (isFunctionLike(node)) return false;
      if (node.type === 'Identifier') {
        // `mkdir(dirname(destination))`: a path built from a local value reaches that value, and the object its
        // path-like property came from (`const destination = options.destination`).
        if (node !== inner && isPathPart(file, node)) via.add(`path:${node.name}`);
        const source = pathPropertySource(file, node);
        if (source !== undefined) via.add(`path:${source}`);
        return true;
      }
      if (node.type !== 'MemberExpression') return true;
      const name = memberName(node);
      const object = unwrap(node.object);
      if (name !== undefined && pathLike.test(name) && object.type === 'Identifier' && isLocalObject(file, object)) via.add(`path:${object.name}`);
      return true;
    });
  }
  if (via.size === 0) return effects;
  const list = [...via];
  return effects.map((effect) => (effect.kind === 'read' || effect.kind === 'write' ? { ...effect, via: list } : effect));
}

/** `repo.path`, `project.root`, `pkg.dir`, `ws.cwd`, `repo.workTree`, `site.outDir`. */
const pathLike = /^(?:path|dir|directory|root|rootDir|cwd|workdir|workDir|workTree|worktree|gitDir|folder|location|base|baseDir|outDir|srcDir|home|destination|dest|destPath|outputPath|outPath|localPath|filePath)$/u;

/** An identifier passed to a path helper (`dirname(out)`, `join(out, 'a')`, `resolve(dir)`): part of the path built. */
function isPathPart(file: AnalyzedFile, identifier: TSESTree.Identifier): boolean {
  const parent = identifier.parent;
  if (parent?.type !== 'CallExpression' || !parent.arguments.includes(identifier) || !isLocalObject(file, identifier)) return false;
  const callee = unwrap(parent.callee);
  const name = callee.type === 'MemberExpression' ? memberName(callee) : callee.type === 'Identifier' ? callee.name : undefined;
  return name !== undefined && pathHelpers.has(name);
}

const pathHelpers = new Set(['dirname', 'join', 'resolve', 'relative', 'basename', 'normalize']);

/** `const destination = options.destination`: the local object a path-like value was read from. */
function pathPropertySource(file: AnalyzedFile, identifier: TSESTree.Identifier): string | undefined {
  const parent = identifier.parent;
  if (parent?.type === 'MemberExpression' && parent.property === identifier && !parent.computed) return undefined;
  const variable = resolveIdentifier(file, identifier);
  const def = variable?.defs.length === 1 ? variable.defs[0] : undefined;
  if (def?.type !== 'Variable' || variable!.references.some((r) => r.isWrite() && !r.init)) return undefined;
  const init = (def.node as TSESTree.VariableDeclarator).init;
  const member = init ? unwrap(init) : undefined;
  if (member?.type !== 'MemberExpression' || !pathLike.test(memberName(member) ?? '')) return undefined;
  const object = unwrap(member.object);
  return object.type === 'Identifier' && isLocalObject(file, object) ? object.name : undefined;
}

/** A name declared in this file (a parameter or variable), not a global or a function. */
function isLocalObject(file: AnalyzedFile, identifier: TSESTree.Identifier): boolean {
  const variable = resolveIdentifier(file, identifier);
  if (!variable || variable.defs.length === 0) return false;
  return variable.defs.every((def) => def.type === 'Parameter' || def.type === 'Variable');
}

/** The object both effects reach, when one of them reaches it through a path-like property. */
export function sharedReach(a: Effect, b: Effect): string | undefined {
  if (!a.via || !b.via) return undefined;
  for (const entry of a.via) {
    const name = entry.slice(entry.indexOf(':') + 1);
    const path = `path:${name}`;
    const whole = `arg:${name}`;
    if ((entry.startsWith('path:') && (b.via.includes(path) || b.via.includes(whole))) || (entry.startsWith('arg:') && b.via.includes(path))) return name;
  }
  return undefined;
}
