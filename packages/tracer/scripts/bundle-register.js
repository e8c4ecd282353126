/**
 * Bundles the register entry (the runtime every traced process loads) into one file, dist/bundle/register.js:
 * Node's ESM loader resolves, reads and links each module file of an `--import` one by one, which was most of
 * the tracer's start-up cost. The loader hooks (dist/hooks/esm-hooks.js, on their own thread) and the parser and
 * source-map libraries (loaded on first use) stay separate files. Same folder depth as dist/runtime, so the
 * relative URLs of the runtime (../hooks/esm-hooks.js) and the tracer's own directory still resolve.
 */
import { buildSync } from 'esbuild';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
buildSync({
  entryPoints: [`${dist}register.js`],
  outfile: `${dist}bundle/register.js`,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['acorn', 'magic-string', '@jridgewell/*'],
  logLevel: 'warning',
});
