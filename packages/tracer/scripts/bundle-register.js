/**
 * Bundles the register entry (the runtime every traced process loads) into one file, dist/bundle/register.js:
 * Node's ESM loader resolves, reads and links each module file of an `--import` one by one, which was most of
 * the tracer's start-up cost. The loader hooks (dist/hooks/esm-hooks.js, on their own thread) and the parser and
 * source-map libraries (loaded on first use) stay separate files. Same folder depth as dist/runtime, so the
 * relative URLs of the runtime (../hooks/esm-hooks.js) and the tracer's own directory still resolve.
 *
 * Node's built-in modules are taken with `process.getBuiltinModule` (Node >= 20.16) instead of `import`: an ES
 * import of a built-in builds its ESM facade, which reads every export once (`node:fs` then loads its streams
 * through the `ReadStream` getter), and the bundle would pay that for each of them at every start.
 */
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const builtins = {
  name: 'builtins-without-esm-facades',
  setup(build) {
    build.onResolve({ filter: /^node:/ }, (args) => ({ path: args.path, namespace: 'builtin' }));
    build.onLoad({ filter: /.*/, namespace: 'builtin' }, (args) => ({
      contents: `module.exports = process.getBuiltinModule(${JSON.stringify(args.path)});`,
      loader: 'js',
    }));
  },
};

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
await build({
  entryPoints: [`${dist}register.js`],
  outfile: `${dist}bundle/register.js`,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['acorn', 'magic-string', '@jridgewell/*'],
  plugins: [builtins],
  logLevel: 'warning',
});
