/**
 * Packing and unpacking the pinned npm versions of the evaluation, cached in the gitignored `.eval-cache/`:
 * `npm pack <name>@<version>` once per version, the tarball unpacked once, and a copy for the CLI in which the
 * folders the CLI skips as build output (dist, build, ...) are renamed, since published code lives there.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

/** Folder names `overlap check` skips (packages/cli/src/project/ignores.ts); suffixed with `_` in the CLI's copy. */
export const skippedFolders = new Set(['node_modules', '.git', 'dist', 'build', 'out', 'coverage', '.next', '.nuxt', '.output',
  '.svelte-kit', '.turbo', '.vercel', '.cache', '.parcel-cache', '.docusaurus', 'storybook-static', 'bower_components', 'jspm_packages']);

const safeName = (name, version) => `${name.replace('/', '__')}@${version}`;

/** The package folder of `name@version`, packed from the registry and unpacked on first use. */
export function unpacked(cacheDir, name, version) {
  const folder = join(cacheDir, 'packages', safeName(name, version));
  if (existsSync(join(folder, 'package.json'))) return folder;
  const tarballs = join(cacheDir, 'tarballs');
  mkdirSync(tarballs, { recursive: true });
  const out = execFileSync('npm', ['pack', `${name}@${version}`, '--pack-destination', tarballs, '--json', '--silent', '--ignore-scripts'],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  const tarball = join(tarballs, JSON.parse(out)[0].filename);
  const staging = `${folder}.tmp`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', staging, '--no-same-owner', '--warning=no-unknown-keyword'], { stdio: ['ignore', 'ignore', 'pipe'] });
  // Most tarballs hold `package/`; a few older ones use another single top folder.
  const [top] = readdirSync(staging);
  rmSync(folder, { recursive: true, force: true });
  renameSync(join(staging, top), folder);
  rmSync(staging, { recursive: true, force: true });
  return folder;
}

/** The path of a package file inside the CLI's copy. */
export function cliPath(file) {
  const parts = file.split('/');
  return parts.map((part, index) => (index < parts.length - 1 && skippedFolders.has(part) ? `${part}_` : part)).join('/');
}

/** A fresh copy of the package folder for the CLI, skipped folders renamed. */
export function cliCopy(cacheDir, name, version, from) {
  const to = join(cacheDir, 'cli', safeName(name, version));
  rmSync(to, { recursive: true, force: true });
  for (const file of walk(from)) {
    const target = join(to, cliPath(relative(from, file)));
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(file, target);
  }
  return to;
}

function* walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') yield* walk(path);
    } else if (entry.isFile()) {
      yield path;
    }
  }
}
