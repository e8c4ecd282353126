import type { AnalyzedFile } from '../../engine/analyzed-file.js';
import { factKey } from '../../engine/fact-cache.js';
import type { EffectSummary } from '../../model/effect.js';
import { summarizeFunction } from '../summaries/function-summary.js';
import { exportedFunction } from '../summaries/local-functions.js';
import { rootContext } from './classify.js';

const exportSummariesKey = factKey<Map<string, EffectSummary | undefined>>('overlap:export-summaries');

/**
 * The effects of calling the function a file exports as `exportName` (`default` for the default export), by the
 * same effects model the checks use: the function's summary (summaries/function-summary.ts). `undefined` when the
 * export is not a function we can see. The cross-file resolver calls this on the file an import resolves to.
 */
export function summarizeExportEffects(file: AnalyzedFile, exportName: string): EffectSummary | undefined {
  const cache = file.facts.get(exportSummariesKey, () => new Map());
  if (cache.has(exportName)) return cache.get(exportName);
  // Mark first: a resolver that comes back to this file for the same export sees "unknown", not a loop.
  cache.set(exportName, undefined);
  const fn = exportedFunction(file, exportName);
  const summary = fn ? summarizeFunction(rootContext(file), fn) : undefined;
  // A caller in another file binds only this function's own command parameters; any other is a plain barrier.
  const effects = summary?.effects.map((effect) => {
    if (!effect.commandParameter || effect.commandParameter.owner === fn) return effect;
    const { commandParameter: _other, ...rest } = effect;
    return rest;
  });
  const result = summary && effects ? { effects, ...(summary.waitsOnly ? { waitsOnly: true } : {}) } : undefined;
  cache.set(exportName, result);
  return result;
}
