import { existsSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { glob } from 'tinyglobby';
import { ts } from 'ts-morph';
import { OverlapError } from '../errors.js';
import { IgnoreRules, gitignoreScopes, skippedFolders } from './ignores.js';

/** File extensions we analyse (declaration files are skipped: they hold no code that runs). */
export const sourceExtensions = ['ts', 'tsx', 'mts', 'cts', 'js', 'jsx', 'mjs', 'cjs'] as const;
const sourcePattern = /\.(?:[cm]?[jt]s|[jt]sx)$/iu;
const declarationPattern = /\.d\.[cm]?ts$/iu;

/**
 * Compiler options for module resolution, shared by the files of one tsconfig. Plain data, so it can be sent to
 * worker threads.
 */
export interface ProjectUnit {
  /** The tsconfig these options come from; undefined for folders without one (defaults are used). */
  readonly tsconfig: string | undefined;
  readonly compilerOptions: Readonly<Record<string, unknown>>;
}

export interface ProjectFile {
  readonly path: string;
  /** Index into `units`. */
  readonly unit: number;
}

export interface DiscoveredProject {
  readonly units: readonly ProjectUnit[];
  readonly files: readonly ProjectFile[];
  /** One line each: a tsconfig that could not be read (we fell back to a folder scan). */
  readonly warnings: readonly string[];
}

export interface DiscoverOptions {
  readonly cwd: string;
  readonly paths: readonly string[];
  /** --project: one tsconfig to take the file list from. */
  readonly project?: string | undefined;
  /** Ignores from the configuration, relative to `configRoot`. */
  readonly configIgnores: readonly string[];
  readonly configRoot: string;
  /** --ignore globs, relative to cwd. */
  readonly cliIgnores: readonly string[];
}

/** Options used where no tsconfig applies: resolve like a bundler, which accepts every import style. */
const defaultCompilerOptions = {
  allowJs: true,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  resolveJsonModule: false,
};

/**
 * Finds the files a user means by `paths`, the way their tools would: a folder with a tsconfig.json gives its
 * files (include/files/references, JavaScript too), a folder without one gives every JS/TS file under it, a file
 * or glob gives itself. Dependencies, build output, .gitignore'd files and ignores are left out.
 */
export async function discoverProject(options: DiscoverOptions): Promise<DiscoveredProject> {
  const units: ProjectUnit[] = [];
  const unitIndex = new Map<string, number>();
  const warnings: string[] = [];
  const found = new Map<string, number>();
  const scanRoots = new Set<string>();
  // Parsed once per run: a tsconfig is both a file list and, through `extends`, the options of others.
  const tsconfigs = new Map<string, ParsedTsconfig>();
  const parseTsconfig = (tsconfig: string) => {
    const known = tsconfigs.get(tsconfig);
    if (known) return known;
    const parsed = readTsconfig(tsconfig);
    tsconfigs.set(tsconfig, parsed);
    return parsed;
  };

  const unitFor = (tsconfig: string | undefined): number => {
    const key = tsconfig ?? '';
    const known = unitIndex.get(key);
    if (known !== undefined) return known;
    let compilerOptions: Record<string, unknown> = { ...defaultCompilerOptions };
    if (tsconfig) {
      const parsed = parseTsconfig(tsconfig);
      if (parsed.ok) compilerOptions = { ...parsed.options, allowJs: true };
    }
    units.push({ tsconfig, compilerOptions });
    unitIndex.set(key, units.length - 1);
    return units.length - 1;
  };
  const add = (file: string, unit: number) => {
    if (!found.has(file) && sourcePattern.test(file) && !declarationPattern.test(file)) found.set(file, unit);
  };

  if (options.project) {
    const tsconfig = resolve(options.cwd, options.project);
    if (!existsSync(tsconfig)) throw new OverlapError('OVERLAP_USAGE', `${options.project}: no such tsconfig`);
    scanRoots.add(dirname(tsconfig));
    addTsconfigFiles(tsconfig, parseTsconfig, unitFor, add, warnings, new Set());
  }
  const targets = options.paths.length > 0 || options.project ? options.paths : ['.'];
  for (const target of targets) {
    const absolute = resolve(options.cwd, target);
    if (isGlob(target) && !existsSync(absolute)) {
      const files = await glob(target, { cwd: options.cwd, absolute: true, ignore: skippedFolders.map((folder) => `**/${folder}/**`) });
      for (const file of files) add(resolve(file), unitFor(nearestTsconfig(dirname(file))));
      scanRoots.add(resolve(options.cwd));
      continue;
    }
    if (!existsSync(absolute)) throw new OverlapError('OVERLAP_USAGE', `${target}: no such file or directory`);
    if (statSync(absolute).isFile()) {
      add(absolute, unitFor(nearestTsconfig(dirname(absolute))));
      scanRoots.add(dirname(absolute));
      continue;
    }
    scanRoots.add(absolute);
    const tsconfig = join(absolute, 'tsconfig.json');
    if (existsSync(tsconfig) && addTsconfigFiles(tsconfig, parseTsconfig, unitFor, add, warnings, new Set())) continue;
    const unit = unitFor(nearestTsconfig(absolute));
    const files = await glob(`**/*.{${sourceExtensions.join(',')}}`, {
      cwd: absolute,
      absolute: true,
      ignore: skippedFolders.map((folder) => `**/${folder}/**`),
    });
    for (const file of files) add(resolve(file), unit);
  }

  const rules = new IgnoreRules().add(options.configRoot, options.configIgnores).add(options.cwd, options.cliIgnores);
  for (const root of scanRoots) for (const scope of await gitignoreScopes(root)) rules.add(scope.base, scope.patterns);
  const files = [...found]
    .filter(([file]) => !rules.ignores(file))
    .map(([path, unit]) => ({ path, unit }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { units, files, warnings };
}

/** Adds a tsconfig's files (and its references'); false when the tsconfig could not be read. */
function addTsconfigFiles(
  tsconfig: string,
  parseTsconfig: (tsconfig: string) => ParsedTsconfig,
  unitFor: (tsconfig: string | undefined) => number,
  add: (file: string, unit: number) => void,
  warnings: string[],
  seen: Set<string>,
): boolean {
  if (seen.has(tsconfig)) return true;
  seen.add(tsconfig);
  const parsed = parseTsconfig(tsconfig);
  if (!parsed.ok) {
    warnings.push(`${tsconfig}: ${parsed.message} (scanning the folder instead)`);
    return false;
  }
  const unit = unitFor(tsconfig);
  for (const file of parsed.fileNames) add(resolve(file), unit);
  for (const reference of parsed.references) {
    const referenced = existsSync(reference) && statSync(reference).isDirectory() ? join(reference, 'tsconfig.json') : reference;
    if (existsSync(referenced)) addTsconfigFiles(referenced, parseTsconfig, unitFor, add, warnings, seen);
  }
  return true;
}

type ParsedTsconfig =
  | { ok: true; fileNames: string[]; references: string[]; options: Record<string, unknown> }
  | { ok: false; message: string };

/** Reads a tsconfig with TypeScript's own rules (extends, include/exclude, files), JavaScript files included. */
function readTsconfig(tsconfig: string): ParsedTsconfig {
  const read = ts.readConfigFile(tsconfig, ts.sys.readFile);
  let result: ParsedTsconfig;
  if (read.error) {
    result = { ok: false, message: ts.flattenDiagnosticMessageText(read.error.messageText, ' ') };
  } else {
    const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, dirname(tsconfig), { allowJs: true }, tsconfig);
    // "No inputs were found" (TS18003) is normal for a solution-style tsconfig that only lists references.
    const fatal = parsed.errors.find((error) => error.category === ts.DiagnosticCategory.Error && error.code !== 18003);
    result = fatal
      ? { ok: false, message: ts.flattenDiagnosticMessageText(fatal.messageText, ' ') }
      : {
          ok: true,
          fileNames: parsed.fileNames,
          references: (parsed.projectReferences ?? []).map((reference) => reference.path),
          options: parsed.options as Record<string, unknown>,
        };
  }
  return result;
}

function nearestTsconfig(dir: string): string | undefined {
  for (let current = dir; ; current = dirname(current)) {
    if (existsSync(join(current, 'tsconfig.json'))) return join(current, 'tsconfig.json');
    if (existsSync(join(current, '.git')) || dirname(current) === current) return undefined;
  }
}

function isGlob(target: string): boolean {
  return /[*?{}[\]!]/u.test(target);
}

export function relativePath(cwd: string, file: string): string {
  return relative(cwd, file).split('\\').join('/');
}
