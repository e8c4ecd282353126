// Preloaded with `--require` by startup.test.ts: at exit, names the heavy packages the process loaded (CommonJS
// packages, which is what all of them are, land in require.cache however they were imported).
const heavy = /node_modules\/((?:@[^/]+\/)?[^/]+)\//u;
// Packages the build bundles into a file of their own (scripts/bundle.js) still count under their name.
const bundled = { 'scope-manager.cjs': '@typescript-eslint/scope-manager' };
const watched = new Set(['typescript', 'ts-morph', '@ts-morph/common', 'ajv', 'cli-progress', '@typescript-eslint/typescript-estree', '@typescript-eslint/scope-manager']);
process.on('exit', () => {
  const names = new Set();
  const fromBundle = new Set();
  for (const path of Object.keys(require.cache)) {
    const inBundle = bundled[/\/dist\/bundle\/([^/]+)$/u.exec(path)?.[1]];
    const name = heavy.exec(path)?.[1] ?? inBundle;
    if (name && watched.has(name)) names.add(name);
    if (inBundle) fromBundle.add(inBundle);
  }
  process.stderr.write(`loaded modules: ${[...names].sort().join(' ')}\nfrom the bundle: ${[...fromBundle].sort().join(' ')}\n`);
});
