import type { Effect } from '../../model/effect.js';
import { effectsFromName } from '../effects/names.js';

/**
 * A summary never says less than the callee's name. Where it is `unknown` (a call into a package we cannot see) or
 * only a guess (an inner call judged by its own name: `utils.reject(…)`, `openConfig(…)`, a POST to
 * `…:getIamPolicy`), the callee's own name stands in for that part, as it does for a callee nobody resolved. So
 * resolving an import (the CLI, or ESLint with the resolver) sharpens what the single-file run says only with what
 * it knows (files, SQL, timers, locks, HTTP clients it recognises), never with one guess in place of another.
 */
export function withNameForUnknown(effects: readonly Effect[], name: string, label: string): Effect[] {
  const replaceable = (effect: Effect): boolean => effect.kind === 'unknown' || (effect.guessed === true && effect.timer !== true && effect.kind !== 'none');
  if (!effects.some(replaceable)) return [...effects];
  const guess = effectsFromName(name, label, false);
  if (guess.every((effect) => effect.kind === 'unknown')) return [...effects];
  return [...effects.filter((effect) => !replaceable(effect)), ...guess];
}
