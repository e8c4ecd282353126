/**
 * Bundles the CLI (and the engine it imports) into dist/bundle/, run by `npm run build` after tsc. A one-file
 * `overlap check` used to spend most of its time in Node's module loader: about 150 ES modules of the CLI and the
 * engine resolved, read and linked one by one, then scope-manager's 240 CommonJS modules. The bundle is one entry
 * (dist/bundle/cli.js) plus the worker entry and lazily imported chunks (commands, reporters), built from the tsc
 * output, so the source layout is unchanged and dist/*.js stay usable on their own (bin/overlap.js falls back to
 * them when the bundle is missing or older than a build of the CLI or the engine).
 *
 * - dist/bundle/ sits two folders below the package root like dist/<folder>/, so the CLI's relative URLs
 *   (../../preload/listen-probe.cjs) still resolve; the pool's `./worker.js` is the bundle's own worker entry.
 * - The engine's runtime `createRequire(import.meta.url)` (oxc-parser, TypeScript, typescript-estree) would
 *   resolve from the CLI's folder once bundled: they are rewritten to resolve from @overlap/core's entry.
 * - scope-manager becomes its own CommonJS file (dist/bundle/scope-manager.cjs), still required on the first parse
 *   only, with its table of lib globals left out: the engine always asks for `lib: []` (names it cannot resolve
 *   are globals already), and any other lib would throw scope-manager's own "Invalid value for lib provided".
 * - The bundled CommonJS packages (commander, picomatch...) require Node's built-ins: each chunk defines `require`.
 * - Packages the CLI loads only on some paths stay outside (the tracer, the trace analysis, TypeScript, ajv,
 *   diff, cli-progress, autocannon), loaded from node_modules as before.
 */
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageRoot = fileURLToPath(new URL('..', import.meta.url));
const dist = join(packageRoot, 'dist');
const outdir = join(dist, 'bundle');
const coreDist = dirname(createRequire(join(packageRoot, 'package.json')).resolve('@overlap/core'));

const external = [
  '@overlap/tracer',
  '@overlap/runtime-analysis',
  'typescript',
  '@typescript-eslint/typescript-estree',
  'oxc-parser',
  'ajv',
  'diff',
  'cli-progress',
  'autocannon',
];

/** Rewrites of the engine's runtime requires; the build fails if one no longer matches (the engine changed). */
const engineRewrites = [
  {
    file: join(coreDist, 'parse', 'parse-file.js'),
    replace: [
      ['createRequire(import.meta.url)', "createRequire(import.meta.resolve('@overlap/core'))"],
      ["createRequire(import.meta.resolve('@overlap/core'))('@typescript-eslint/scope-manager')", "createRequire(import.meta.url)('./scope-manager.cjs')"],
    ],
  },
  {
    file: join(coreDist, 'analysis', 'summaries', 'module-resolver.js'),
    replace: [['createRequire(import.meta.url)', "createRequire(import.meta.resolve('@overlap/core'))"]],
  },
];

const engineRequires = {
  name: 'engine-requires',
  setup(pluginBuild) {
    for (const { file, replace } of engineRewrites) {
      const filter = new RegExp(`${escape(file)}$`); // esbuild takes Go regular expressions: no flags
      pluginBuild.onLoad({ filter }, () => {
        let contents = readFileSync(file, 'utf8');
        for (const [from, to] of replace) {
          if (!contents.includes(from)) throw new Error(`bundle: ${file} no longer contains ${from}; update scripts/bundle.js`);
          contents = contents.split(from).join(to);
        }
        return { contents, loader: 'js' };
      });
    }
  },
};

/** scope-manager without its lib globals (`require("../lib")` from the referencer: 240 modules). */
const noLibGlobals = {
  name: 'no-lib-globals',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^\.\.\/lib$/ }, (args) =>
      args.importer.includes(`${sep}scope-manager${sep}dist${sep}referencer${sep}`) ? { path: 'lib', namespace: 'no-lib-globals' } : undefined,
    );
    pluginBuild.onLoad({ filter: /.*/, namespace: 'no-lib-globals' }, () => ({ contents: 'exports.lib = new Map();', loader: 'js' }));
  },
};

/**
 * The engine reads `AST_NODE_TYPES.X` and `visitorKeys[type]` in its hottest loops. Bundled as CommonJS, each
 * named import becomes a getter on esbuild's interop object, called on every read (2.8% of `overlap check`'s CPU
 * on issue 13's corpus, the largest self time after the parser and GC). Imported through this ES module instead,
 * whose exports are constants taken once from the CommonJS module, the reads are plain variable reads again.
 */
const constantCommonJs = ['@typescript-eslint/types', '@typescript-eslint/visitor-keys'];
const constantImports = {
  name: 'constant-imports',
  setup(pluginBuild) {
    const filter = new RegExp(`^(?:${constantCommonJs.map(escape).join('|')})$`);
    pluginBuild.onResolve({ filter }, (args) =>
      args.kind === 'import-statement' && args.namespace === 'file'
        ? { path: createRequire(args.importer).resolve(args.path), namespace: 'constant-imports' }
        : undefined,
    );
    pluginBuild.onLoad({ filter: /.*/, namespace: 'constant-imports' }, (args) => {
      const names = Object.keys(createRequire(args.path)(args.path)).filter((name) => /^[A-Za-z_$][\w$]*$/u.test(name) && name !== 'default');
      const contents = [
        `import * as commonJs from ${JSON.stringify(args.path)};`,
        ...names.map((name) => `export const ${name} = commonJs.${name};`),
      ].join('\n');
      return { contents, loader: 'js', resolveDir: dirname(args.path) };
    });
  },
};

function escape(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&');
}

rmSync(outdir, { recursive: true, force: true });

const common = { bundle: true, platform: 'node', target: 'node20', logLevel: 'warning', legalComments: 'none' };

await build({
  ...common,
  entryPoints: { 'scope-manager': createRequire(join(coreDist, 'index.js')).resolve('@typescript-eslint/scope-manager') },
  outfile: join(outdir, 'scope-manager.cjs'),
  format: 'cjs',
  plugins: [noLibGlobals],
});

await build({
  ...common,
  entryPoints: { cli: join(dist, 'cli.js'), worker: join(dist, 'analysis', 'worker.js') },
  outdir,
  format: 'esm',
  splitting: true,
  // The bundled CommonJS packages (commander, picomatch...) require Node's built-in modules.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  external,
  plugins: [engineRequires, constantImports],
});
