import type { Effect } from '../../model/effect.js';
import { effectsFromName } from '../effects/names.js';

/**
 * A summary never says less than the callee's name: where it is `unknown` (a call into a package we cannot see),
 * the name's guess stands in for that part, as it does for a callee nobody resolved. So resolving an import (the
 * CLI, or ESLint with the resolver) can only sharpen what the single-file run says, never turn a guess into unknown.
 */
export function withNameForUnknown(effects: readonly Effect[], name: string, label: string): Effect[] {
  if (!effects.some((effect) => effect.kind === 'unknown')) return [...effects];
  const guess = effectsFromName(name, label, false);
  if (guess.every((effect) => effect.kind === 'unknown')) return [...effects];
  return [...effects.filter((effect) => effect.kind !== 'unknown'), ...guess];
}
