/**
 * ESM loader hooks (registered with `module.register`; on Node 20 they run on the loader thread).
 * The load hook instruments user modules after any other loader (tsx, ts-node) has compiled them.
 */
import { fileURLToPath } from 'node:url';
import { shouldInstrument } from '../instrument/filter.js';
import { instrument } from '../instrument/transform.js';

export interface HookData {
  nodeModules: boolean;
  sourceMaps: boolean;
}

interface LoadResult {
  format?: string | null;
  source?: string | ArrayBuffer | Uint8Array | null;
  shortCircuit?: boolean;
}
type NextLoad = (url: string, context: unknown) => Promise<LoadResult>;

let config: HookData = { nodeModules: false, sourceMaps: false };

export function initialize(data: HookData | undefined): void {
  if (data) config = data;
}

export async function load(url: string, context: unknown, nextLoad: NextLoad): Promise<LoadResult> {
  const result = await nextLoad(url, context);
  try {
    const format = result.format;
    if ((format !== 'module' && format !== 'commonjs') || result.source == null || !url.startsWith('file:')) return result;
    const path = fileURLToPath(url);
    if (!shouldInstrument(path, config)) return result;
    const source = typeof result.source === 'string' ? result.source : Buffer.from(result.source as Uint8Array).toString('utf8');
    const isModule = format === 'module';
    const out = instrument(source, { id: isModule ? url : path, path, module: isModule, sourceMaps: config.sourceMaps });
    return out ? { ...result, source: out.code } : result;
  } catch {
    return result;
  }
}
