import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { globSync } from 'tinyglobby';

/** Folders that hold dependencies or build output: never the user's source, never analysed. */
export const skippedFolders: readonly string[] = [
  'node_modules', '.git', 'dist', 'build', 'out', 'coverage', '.next', '.nuxt', '.output', '.svelte-kit',
  '.turbo', '.vercel', '.cache', '.parcel-cache', '.docusaurus', 'storybook-static', 'bower_components', 'jspm_packages',
];

/** One set of gitignore-style patterns, relative to the folder it belongs to, and where they come from. */
interface IgnoreScope {
  readonly base: string;
  readonly matcher: Ignore;
  readonly source: string;
}

/**
 * Decides whether a file is out of the audit, and says which ignore left it out: .gitignore files, config
 * ignores, --ignore. (The default folders, `skippedFolders`, are left out by discovery itself.)
 */
export class IgnoreRules {
  readonly #scopes: IgnoreScope[] = [];

  /** `source` names the ignore in messages: "--ignore", "the .gitignore in src", "`ignores` in overlap.config.json". */
  add(base: string, patterns: readonly string[], source: string): this {
    if (patterns.some((pattern) => pattern.trim() !== '')) this.#scopes.push({ base, matcher: ignore().add([...patterns]), source });
    return this;
  }

  /** The ignore that leaves `file` out, or undefined when the file is in. */
  excludedBy(file: string): string | undefined {
    return this.#scopes.find(({ base, matcher }) => {
      const path = relative(base, file);
      // Patterns only speak about files below their folder.
      if (path === '' || path === '..' || path.startsWith(`..${sep}`) || isAbsolute(path)) return false;
      return matcher.ignores(path.split(sep).join('/'));
    })?.source;
  }
}

/** The default-ignored folder `file` is in, counting only the folders below `root` (the folder discovery walked). */
export function skippedFolderOf(file: string, root: string): string | undefined {
  const path = relative(root, file);
  if (path.startsWith('..') || isAbsolute(path)) return undefined;
  return path.split(/[\\/]/u).slice(0, -1).find((segment) => skippedFolders.includes(segment));
}

/**
 * The .gitignore files that apply below `root`: those of its ancestors up to the repository root, and those
 * inside it (outside skipped folders).
 */
export async function gitignoreScopes(root: string): Promise<Array<{ base: string; patterns: string[] }>> {
  const scopes: Array<{ base: string; patterns: string[] }> = [];
  for (let dir = dirname(root); dir !== root && existsSync(join(root, '.git')) === false; dir = dirname(dir)) {
    const file = join(dir, '.gitignore');
    if (existsSync(file)) {
      const patterns = readLines(file);
      // A folder the user named explicitly is audited even if an outer .gitignore hides it (a scratch copy).
      const named = relative(dir, root).split(sep).join('/');
      if (!ignore().add(patterns).ignores(`${named}/`)) scopes.push({ base: dir, patterns });
    }
    if (existsSync(join(dir, '.git')) || dirname(dir) === dir) break;
  }
  const inside = globSync('**/.gitignore', {
    cwd: root,
    absolute: true,
    dot: true,
    ignore: skippedFolders.map((folder) => `**/${folder}/**`),
  });
  for (const file of inside) scopes.push({ base: dirname(file), patterns: readLines(file) });
  return scopes;
}

function readLines(file: string): string[] {
  return readFileSync(file, 'utf8').split(/\r?\n/u);
}
