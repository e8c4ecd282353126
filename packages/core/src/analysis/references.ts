import type { Reference, Variable } from '@typescript-eslint/scope-manager';
import type { TSESTree } from '@typescript-eslint/types';
import type { AnalyzedFile } from '../engine/analyzed-file.js';
import { factKey } from '../engine/fact-cache.js';

/**
 * Every reference scope analysis found in a file, once, sorted by position, so "the references inside this
 * statement" is a binary search rather than a walk over every scope. Works with eslint-scope (plain JS in ESLint)
 * and typescript-eslint's scope manager alike.
 */
export interface ReferenceIndex {
  readonly sorted: readonly Reference[];
  readonly byIdentifier: ReadonlyMap<TSESTree.Node, Reference>;
}

const referenceIndexKey = factKey<ReferenceIndex>('overlap:reference-index');

export function referenceIndex(file: AnalyzedFile): ReferenceIndex {
  return file.facts.get(referenceIndexKey, () => {
    const sorted: Reference[] = [];
    const byIdentifier = new Map<TSESTree.Node, Reference>();
    for (const scope of file.scopeManager.scopes) {
      for (const reference of scope.references) {
        sorted.push(reference);
        byIdentifier.set(reference.identifier as TSESTree.Node, reference);
      }
    }
    sorted.sort((a, b) => a.identifier.range[0] - b.identifier.range[0]);
    return { sorted, byIdentifier };
  });
}

/** The references whose identifiers lie inside `range`, in source order. */
export function referencesIn(file: AnalyzedFile, range: readonly [number, number]): Reference[] {
  const { sorted } = referenceIndex(file);
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (sorted[mid]!.identifier.range[0] < range[0]) low = mid + 1;
    else high = mid;
  }
  const out: Reference[] = [];
  for (let i = low; i < sorted.length && sorted[i]!.identifier.range[0] < range[1]; i++) out.push(sorted[i]!);
  return out;
}

/** The variable an identifier refers to; `null` for globals and undeclared names; `undefined` if not a reference. */
export function resolveIdentifier(file: AnalyzedFile, identifier: TSESTree.Node): Variable | null | undefined {
  const reference = referenceIndex(file).byIdentifier.get(identifier);
  if (!reference) return undefined;
  const variable = reference.resolved as Variable | null;
  // Globals declared only by the environment (lib types, ESLint globals) have no definitions: treat as global.
  if (variable && variable.defs.length === 0) return null;
  return variable;
}

/** Where a variable is declared, as a range; undefined for implicit globals. */
export function declarationRange(variable: Variable): readonly [number, number] | undefined {
  const def = variable.defs[0];
  return def ? def.name.range : undefined;
}
