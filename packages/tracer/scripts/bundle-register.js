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
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The names the compiled sources import from each built-in (`import fs, { writeSync } from 'node:fs'`). Each
 * built-in becomes an ES module exporting the module object as default and those names read once: esbuild's
 * CommonJS interop (`__toESM`) would copy every property of every built-in (fs has about a hundred) at each start.
 */
function importedNames(dir) {
  const names = new Map();
  const walk = (folder) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'bundle') walk(path);
      } else if (entry.name.endsWith('.js')) {
        for (const match of readFileSync(path, 'utf8').matchAll(/^import\s+([^;]*?)\s+from\s+['"](node:[^'"]+)['"]/gmu)) {
          const list = names.get(match[2]) ?? new Set();
          names.set(match[2], list);
          const braces = /\{([^}]*)\}/u.exec(match[1]);
          if (braces) for (const part of braces[1].split(',')) if (part.trim()) list.add(part.trim().split(/\s+as\s+/u)[0]);
          if (/\*\s+as/u.test(match[1])) throw new Error(`${path}: a namespace import of ${match[2]}; import names instead`);
        }
      }
    }
  };
  walk(dir);
  return names;
}

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const used = importedNames(dist);
const builtins = {
  name: 'builtins-without-esm-facades',
  setup(build) {
    build.onResolve({ filter: /^node:/ }, (args) => ({ path: args.path, namespace: 'builtin' }));
    build.onLoad({ filter: /.*/, namespace: 'builtin' }, (args) => ({
      contents: [
        `const m = process.getBuiltinModule(${JSON.stringify(args.path)});`,
        'export default m;',
        ...[...(used.get(args.path) ?? [])].map((name) => `export const ${name} = m.${name};`),
      ].join('\n'),
      loader: 'js',
    }));
  },
};

// Both entries bundle the same runtime with the same built-ins mapping; only the module format differs.
const runtime = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  external: ['acorn', 'magic-string', '@jridgewell/*'],
  plugins: [builtins],
  logLevel: 'warning',
};

await build({ ...runtime, entryPoints: [`${dist}register.js`], outfile: `${dist}bundle/register.js`, format: 'esm' });

// The same runtime as CommonJS, for `--require` (no ES module loader at start on Node 20). `import.meta.url`
// becomes this file's URL; the bundle sits at the same depth, so the runtime's relative URLs still resolve.
await build({
  ...runtime,
  entryPoints: [`${dist}register-cjs.js`],
  outfile: `${dist}bundle/register.cjs`,
  format: 'cjs',
  banner: { js: 'const __overlapSelfUrl = require("node:url").pathToFileURL(__filename).href;' },
  define: { 'import.meta.url': '__overlapSelfUrl' },
});
