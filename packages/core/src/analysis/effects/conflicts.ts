import type { Effect } from '../../model/effect.js';
import { sharedReach } from '../summaries/reach.js';

/**
 * Whether two resources may be the same. `*` anywhere means "could be anything"; families (`fs`, `sql`, `kv`,
 * `http`) never meet; file paths meet when one contains the other (`mkdir out` orders `writeFile out/a.json`).
 */
export function resourcesMayOverlap(a: string, b: string): boolean {
  if (a === '*' || b === '*') return true;
  const [familyA, ...restA] = a.split(':');
  const [familyB, ...restB] = b.split(':');
  if (familyA !== familyB) return false;
  const pathA = restA.join(':');
  const pathB = restB.join(':');
  if (pathA === '*' || pathB === '*' || pathA === pathB) return true;
  if (familyA === 'fs') return pathA.startsWith(`${pathB}/`) || pathB.startsWith(`${pathA}/`);
  if (familyA === 'kv') {
    // `kv:<store>:<key>`: same store and same or unknown key.
    const [storeA, keyA] = splitLast(pathA);
    const [storeB, keyB] = splitLast(pathB);
    return storeA === storeB && (keyA === '*' || keyB === '*' || keyA === keyB);
  }
  return false;
}

function splitLast(value: string): [string, string] {
  const index = value.lastIndexOf(':');
  return index < 0 ? [value, '*'] : [value.slice(0, index), value.slice(index + 1)];
}

/** Why `later` must wait for `earlier`, or `undefined` when their effects allow them to overlap. */
export function effectConflict(earlier: readonly Effect[], later: readonly Effect[]): string | undefined {
  for (const e of earlier) if (e.kind === 'barrier') return e.reason;
  for (const l of later) if (l.kind === 'barrier') return l.reason;
  for (const e of earlier) {
    for (const l of later) {
      const writes = e.kind === 'write' || l.kind === 'write';
      const touches = (e.kind === 'write' || e.kind === 'read') && (l.kind === 'write' || l.kind === 'read');
      if (writes && touches && resourcesMayOverlap(e.resource, l.resource)) {
        return e.kind === 'write' ? e.reason : l.reason;
      }
      const shared = writes && touches ? sharedReach(e, l) : undefined;
      if (shared !== undefined) return `${e.kind === 'write' ? e.reason : l.reason}, and both reach \`${shared}\``;
    }
  }
  return undefined;
}

export type OverallKind = 'none' | 'read' | 'write' | 'unknown' | 'barrier';

/** The strongest kind in a list: barrier > unknown > write > read > none. */
export function overallKind(effects: readonly Effect[]): OverallKind {
  let kind: OverallKind = 'none';
  const rank: Record<OverallKind, number> = { none: 0, read: 1, write: 2, unknown: 3, barrier: 4 };
  for (const effect of effects) if (rank[effect.kind] > rank[kind]) kind = effect.kind;
  return kind;
}

export function isGuessed(effects: readonly Effect[]): boolean {
  return effects.some((effect) => effect.guessed === true || effect.kind === 'unknown');
}
