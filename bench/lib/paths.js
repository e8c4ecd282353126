/** Where things are: the repository, the bench folder, the built packages and tools a bench runs. */
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const benchDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const repoDir = resolve(benchDir, '..');
export const corpusRoot = join(benchDir, '.corpus');
export const resultsDir = join(benchDir, 'results');
export const probeFile = join(benchDir, 'lib', 'rss-probe.js');

const require = createRequire(join(repoDir, 'package.json'));

/** Absolute path of a module as the repository root resolves it (the bench uses the root's tools). */
export function resolveFromRoot(specifier) {
  return require.resolve(specifier);
}

export const overlapBin = join(repoDir, 'packages', 'cli', 'bin', 'overlap.js');
export const eslintBin = join(dirname(resolveFromRoot('eslint/package.json')), 'bin', 'eslint.js');
export const oxlintBin = join(dirname(resolveFromRoot('oxlint/package.json')), 'bin', 'oxlint');
