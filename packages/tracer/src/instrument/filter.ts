import { dirname, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The tracer's own package directory: never instrumented. */
export const TRACER_DIR = dirname(dirname(dirname(fileURLToPath(import.meta.url))));

export interface FilterOptions {
  nodeModules: boolean;
}

/**
 * User code only: not node_modules (unless asked), not the tracer itself. Any extension: the hooks only see
 * JavaScript (a `.ts` file arrives already compiled by tsx or ts-node), and acorn rejects anything else.
 */
export function shouldInstrument(path: string, options: FilterOptions): boolean {
  if (path.startsWith(TRACER_DIR + sep)) return false;
  if (!options.nodeModules && path.includes(`${sep}node_modules${sep}`)) return false;
  return !/\.(?:json|node|wasm)$/.test(path);
}
