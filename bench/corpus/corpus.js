/**
 * The static-analysis corpus: async-heavy packages installed from the npm registry at pinned versions, their
 * shipped JS/TS copied into one source tree that every tool under test reads.
 *
 * Why a copy: `overlap check` (like most linters) skips node_modules and build-output folder names (dist,
 * build, ...), and ESLint skips node_modules. To give every tool exactly the same files, the package sources
 * are copied to `<set>/src/<package>/` with such folder names suffixed by `_`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, copyFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { corpusRoot } from '../lib/paths.js';

/** Pinned: figures are comparable between runs only on the same code. */
export const corpusSets = {
  full: [
    'mongodb@7.8.0',
    'mongoose@9.12.1',
    'discord.js@14.28.1',
    'undici@8.12.4',
    'fastify@5.12.8',
    'knex@3.3.0',
    'sequelize@6.37.8',
    'ioredis@6.0.0',
  ],
  quick: ['knex@3.3.0', 'ioredis@6.0.0'],
  // Issue 13's corpus: the published tarballs alone (`npm pack`, no dependencies), their .js files only: 2,220 files.
  issue13: ['typeorm@1.1.1', '@npmcli/arborist@10.0.4', 'sequelize@6.37.8', 'knex@3.3.0', 'firebase-tools@15.34.2'],
};

/** Sets taken from `npm pack` tarballs rather than an install, and the files they keep. */
const packedSets = { issue13: /\.js$/u };

const sourceFile = /\.(?:[cm]?[jt]s|[jt]sx)$/u;
const declarationFile = /\.d\.[cm]?ts$/u;
/** Folder names `overlap check` skips (packages/cli/src/project/ignores.ts); renamed in the copy. */
const renamedFolders = new Set(['node_modules', '.git', 'dist', 'build', 'out', 'coverage', '.next', '.nuxt', '.output',
  '.svelte-kit', '.turbo', '.vercel', '.cache', '.parcel-cache', '.docusaurus', 'storybook-static', 'bower_components', 'jspm_packages']);
/** Bundled or minified files are not code anyone lints; one line over this length marks them. */
const maxLineLength = 5000;
const maxFileBytes = 1024 * 1024;

function nameOf(spec) {
  return spec.slice(0, spec.lastIndexOf('@'));
}

/**
 * Installs (once; reused while the pinned list is unchanged) and copies the corpus.
 * @returns {{ dir: string, srcDir: string, files: string[], lines: number, bytes: number, packages: string[], tsconfig: string }}
 */
export function prepareCorpus(setName, log = () => {}) {
  const specs = corpusSets[setName];
  const dir = join(corpusRoot, setName);
  const marker = join(dir, 'corpus.json');
  if (existsSync(marker)) {
    const known = JSON.parse(readFileSync(marker, 'utf8'));
    if (JSON.stringify(known.packages) === JSON.stringify(specs)) return { ...known, dir, srcDir: join(dir, 'src'), tsconfig: join(dir, 'tsconfig.typed.json') };
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{ "private": true }\n');
  const packed = packedSets[setName];
  if (packed) {
    log(`packing corpus "${setName}" from the npm registry: ${specs.join(' ')}`);
    unpack(specs, dir);
  } else {
    log(`installing corpus "${setName}" from the npm registry: ${specs.join(' ')}`);
    // Serialised with the other engineers' and CI's npm runs; --legacy-peer-deps: these packages' optional peers conflict.
    execFileSync('flock', ['/tmp/npm.lock', 'npm', 'install', '--prefix', dir, '--no-save', '--ignore-scripts', '--no-audit',
      '--no-fund', '--legacy-peer-deps', '--loglevel=error', ...specs], { stdio: ['ignore', 'ignore', 'inherit'] });
  }

  const srcDir = join(dir, 'src');
  const files = [];
  let lines = 0;
  let bytes = 0;
  for (const spec of specs) {
    const from = join(dir, 'node_modules', nameOf(spec));
    for (const file of walk(from)) {
      if (packed && !packed.test(file)) continue;
      const text = readFileSync(file, 'utf8');
      // A packed set is taken whole, as published (its figures are compared with the issue's).
      if (!packed && text.length > maxFileBytes || text.split('\n').some((line) => line.length > maxLineLength)) continue;
      const parts = relative(from, file).split('/').map((part, index, all) => (index < all.length - 1 && renamedFolders.has(part) ? `${part}_` : part));
      const target = join(srcDir, nameOf(spec), ...parts);
      mkdirSync(join(target, '..'), { recursive: true });
      copyFileSync(file, target);
      files.push(relative(dir, target));
      lines += text.split('\n').length;
      bytes += Buffer.byteLength(text);
    }
  }
  files.sort();
  // Typed linting needs a program over the corpus: JavaScript included, nothing checked or emitted.
  const tsconfig = join(dir, 'tsconfig.typed.json');
  writeFileSync(tsconfig, JSON.stringify({
    compilerOptions: { allowJs: true, checkJs: false, noEmit: true, skipLibCheck: true, target: 'es2022', module: 'nodenext', moduleResolution: 'nodenext', types: [] },
    include: ['src/**/*'],
  }, null, 2));
  const info = { packages: specs, files, lines, bytes };
  writeFileSync(marker, JSON.stringify(info));
  return { ...info, dir, srcDir, tsconfig };
}

/** `npm pack` each package (the tarball alone, no dependencies) and unpack it where an install would put it. */
function unpack(specs, dir) {
  const tarballs = join(dir, 'tarballs');
  mkdirSync(tarballs, { recursive: true });
  for (const spec of specs) {
    const name = execFileSync('flock', ['/tmp/npm.lock', 'npm', 'pack', spec, '--silent', '--pack-destination', tarballs],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim().split('\n').pop();
    const target = join(dir, 'node_modules', nameOf(spec));
    mkdirSync(target, { recursive: true });
    execFileSync('tar', ['-xzf', join(tarballs, name), '-C', target, '--strip-components=1']);
  }
}

function* walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') yield* walk(path);
    } else if (entry.isFile() && sourceFile.test(entry.name) && !declarationFile.test(entry.name) && statSync(path).size > 0) {
      yield path;
    }
  }
}
