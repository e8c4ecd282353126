import { existsSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { globSync } from 'tinyglobby';
import { OverlapError } from '../errors.js';
import { loadTypeScript } from './typescript.js';
import { IgnoreRules, gitignoreScopes, skippedFolderOf, skippedFolders } from './ignores.js';

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
  /** One line each: why the file list is what it is when that is not obvious (a tsconfig's `files` entry points). */
  readonly notes: readonly string[];
  /** Files found but left out, counted by the ignore that left them out (filled only when no file is left). */
  readonly excluded: ReadonlyMap<string, number>;
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

/**
 * Options where no tsconfig applies. Core's resolver fills in the rest (ESNext modules, `Bundler` resolution, which
 * accepts every import style, JavaScript allowed), so TypeScript need not be loaded to spell its enums here.
 */
const defaultCompilerOptions: Readonly<Record<string, unknown>> = { resolveJsonModule: false };

/**
 * Finds the files a user means by `paths`, the way their tools would: a folder with a tsconfig.json gives its
 * files (include/files/references, JavaScript too), a folder without one gives every JS/TS file under it, a file
 * or glob gives itself. Dependencies, build output, .gitignore'd files and ignores are left out.
 */
export async function discoverProject(options: DiscoverOptions): Promise<DiscoveredProject> {
  const units: ProjectUnit[] = [];
  const unitIndex = new Map<string, number>();
  const warnings: string[] = [];
  const notes: string[] = [];
  const found = new Map<string, number>();
  /** Files the user named one by one: the default ignores and .gitignore do not apply to them. */
  const named = new Set<string>();
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
    addTsconfigFiles(tsconfig, parseTsconfig, unitFor, add, warnings, notes, options.cwd, new Set());
  }
  const targets = options.paths.length > 0 || options.project ? options.paths : ['.'];
  for (const target of targets) {
    const absolute = resolve(options.cwd, target);
    if (isGlob(target) && !existsSync(absolute)) {
      const files = globSync(target, { cwd: options.cwd, absolute: true, ignore: defaultIgnoreGlobs(target) });
      for (const file of files) add(resolve(file), unitFor(nearestTsconfig(dirname(file))));
      scanRoots.add(resolve(options.cwd));
      continue;
    }
    if (!existsSync(absolute)) throw new OverlapError('OVERLAP_USAGE', `${target}: no such file or directory`);
    if (statSync(absolute).isFile()) {
      add(absolute, unitFor(nearestTsconfig(dirname(absolute))));
      named.add(absolute);
      continue;
    }
    scanRoots.add(absolute);
    const tsconfig = join(absolute, 'tsconfig.json');
    if (existsSync(tsconfig) && addTsconfigFiles(tsconfig, parseTsconfig, unitFor, add, warnings, notes, options.cwd, new Set())) continue;
    const unit = unitFor(nearestTsconfig(absolute));
    // Synchronous: the run waits for the list anyway, and the sync walk takes about half the CPU of the promise one.
    const files = globSync(`**/*.{${sourceExtensions.join(',')}}`, { cwd: absolute, absolute: true, ignore: defaultIgnoreGlobs() });
    for (const file of files) add(resolve(file), unit);
  }

  // The user's own ignores apply to every file; .gitignore files, like the default folders, only to what
  // discovery found on its own (naming a file means auditing it, as naming a folder does).
  const userRules = new IgnoreRules()
    .add(options.configRoot, options.configIgnores, `\`ignores\` in the configuration (${relativePath(options.cwd, options.configRoot) || '.'})`)
    .add(options.cwd, options.cliIgnores, '--ignore');
  const gitRules = new IgnoreRules();
  for (const root of scanRoots) {
    for (const scope of await gitignoreScopes(root)) gitRules.add(scope.base, scope.patterns, `${relativePath(options.cwd, join(scope.base, '.gitignore'))}`);
  }
  const excluded = new Map<string, number>();
  const files: ProjectFile[] = [];
  for (const [path, unit] of found) {
    const by = userRules.excludedBy(path) ?? (named.has(path) ? undefined : gitRules.excludedBy(path));
    if (by === undefined) files.push({ path, unit });
    else excluded.set(by, (excluded.get(by) ?? 0) + 1);
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  if (files.length === 0) for (const root of scanRoots) await countDefaultIgnored(root, excluded);
  return { units, files, warnings, notes, excluded };
}

/**
 * Glob ignores for the default folders, except those the user's own path or glob names (`dist/**` audits dist).
 * Patterns are relative to the folder walked, so a named folder's own name never excludes it.
 */
function defaultIgnoreGlobs(named = ''): string[] {
  const segments = named.split(/[\\/]/u);
  return skippedFolders.filter((folder) => !segments.includes(folder)).map((folder) => `**/${folder}/**`);
}

/**
 * Counts the source files the default ignores left out below `root`, for the message when nothing is left. Only
 * on that path, so the walk into build output costs nothing in a normal run; dependencies are not walked.
 */
async function countDefaultIgnored(root: string, excluded: Map<string, number>): Promise<void> {
  const files = globSync(`**/*.{${sourceExtensions.join(',')}}`, { cwd: root, absolute: true, ignore: ['**/node_modules/**', '**/.git/**'] });
  for (const file of files) {
    const folder = skippedFolderOf(resolve(file), root);
    if (folder && !declarationPattern.test(file)) excluded.set(`the default ignore of \`${folder}/\``, (excluded.get(`the default ignore of \`${folder}/\``) ?? 0) + 1);
  }
  if (existsSync(join(root, 'node_modules'))) excluded.set('the default ignore of `node_modules/`', excluded.get('the default ignore of `node_modules/`') ?? 0);
}

/** The one-line error when discovery left no file, naming what excluded the files it found. */
export function noFilesMessage(project: DiscoveredProject, where: string): string {
  const reasons = [...project.excluded].map(([by, count]) => (count > 0 ? `${count} by ${by}` : `dependencies by ${by}`));
  if (reasons.length === 0) return `no JavaScript or TypeScript files found in ${where}`;
  return `no JavaScript or TypeScript files left in ${where}: excluded ${reasons.join(', ')} (name a file or folder to audit it anyway)`;
}

/** Adds a tsconfig's files (and its references'); false when the tsconfig could not be read. */
function addTsconfigFiles(
  tsconfig: string,
  parseTsconfig: (tsconfig: string) => ParsedTsconfig,
  unitFor: (tsconfig: string | undefined) => number,
  add: (file: string, unit: number) => void,
  warnings: string[],
  notes: string[],
  cwd: string,
  seen: Set<string>,
): boolean {
  if (seen.has(tsconfig)) return true;
  seen.add(tsconfig);
  const parsed = parseTsconfig(tsconfig);
  if (!parsed.ok) {
    warnings.push(`${tsconfig}: ${parsed.message} (scanning the folder instead)`);
    return false;
  }
  // A published package often ships its tsconfig without the sources it names: those files are not there to read.
  if (parsed.fileNames.length === 0 && parsed.references.length === 0) {
    warnings.push(`${relativePath(cwd, tsconfig)}: matches no files (its sources are not here); scanning the folder instead`);
    return false;
  }
  const listed = parsed.fileNames.filter((file) => existsSync(file));
  if (listed.length < parsed.fileNames.length) {
    const missing = parsed.fileNames.filter((file) => !existsSync(file)).map((file) => relativePath(cwd, file));
    const shown = missing.length > 3 ? [...missing.slice(0, 3), `and ${missing.length - 3} more`] : missing;
    if (listed.length === 0) {
      warnings.push(`${relativePath(cwd, tsconfig)}: none of the files it lists exist (${shown.join(', ')}); scanning the folder instead`);
      return false;
    }
    warnings.push(`${relativePath(cwd, tsconfig)}: skipped ${missing.length} listed file${missing.length === 1 ? '' : 's'} that do${missing.length === 1 ? 'es' : ''} not exist: ${shown.join(', ')}`);
  }
  const present = { ...parsed, fileNames: listed };
  const unit = unitFor(tsconfig);
  const fileNames = present.entryPointsOnly ? programFiles(present) : present.fileNames;
  if (present.entryPointsOnly) notes.push(entryPointNote(tsconfig, present.fileNames, fileNames, cwd));
  for (const file of fileNames) add(resolve(file), unit);
  for (const reference of parsed.references) {
    const referenced = existsSync(reference) && statSync(reference).isDirectory() ? join(reference, 'tsconfig.json') : reference;
    if (existsSync(referenced)) addTsconfigFiles(referenced, parseTsconfig, unitFor, add, warnings, notes, cwd, seen);
  }
  return true;
}

/**
 * The source files of the program a tsconfig's `files` entry points make, by TypeScript's own rules: the entries
 * and every file they import, transitively, that is not a package or a declaration file.
 */
function programFiles(parsed: Extract<ParsedTsconfig, { ok: true }>): string[] {
  // No lib and no @types: only the user's imports matter here, and they are all a program needs to find them.
  const ts = loadTypeScript();
  const program = ts.createProgram({ rootNames: parsed.fileNames, options: { ...parsed.options, allowJs: true, noLib: true, types: [], noEmit: true } });
  return program
    .getSourceFiles()
    .filter((file) => !file.isDeclarationFile && !program.isSourceFileFromExternalLibrary(file) && !file.fileName.split('/').includes('node_modules'))
    .map((file) => file.fileName);
}

function entryPointNote(tsconfig: string, entries: readonly string[], files: readonly string[], cwd: string): string {
  const entrySet = new Set(entries.map((file) => resolve(file)));
  const imported = files.filter((file) => !entrySet.has(resolve(file))).map((file) => relativePath(cwd, file));
  const shown = imported.length > 8 ? [...imported.slice(0, 8), `and ${imported.length - 8} more`] : imported;
  const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
  return (
    `${relativePath(cwd, tsconfig)}: "files" lists ${plural(entries.length, 'entry point')} and no "include"; ` +
    `analysing ${entries.map((file) => relativePath(cwd, file)).join(', ')} and the ${plural(imported.length, 'file')} ${imported.length === 1 ? 'it imports' : 'they import'}, as TypeScript's program does` +
    (shown.length > 0 ? `: ${shown.join(', ')}` : '')
  );
}

type ParsedTsconfig =
  | {
      ok: true;
      fileNames: string[];
      references: string[];
      options: Record<string, unknown>;
      /** `files` without `include`: the listed files are entry points, and the program is what they import. */
      entryPointsOnly: boolean;
    }
  | { ok: false; message: string };

/** Reads a tsconfig with TypeScript's own rules (extends, include/exclude, files), JavaScript files included. */
function readTsconfig(tsconfig: string): ParsedTsconfig {
  const ts = loadTypeScript();
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
          entryPointsOnly: hasOwn(parsed.raw, 'files') && !hasOwn(parsed.raw, 'include') && parsed.fileNames.length > 0,
        };
  }
  return result;
}

function hasOwn(raw: unknown, key: string): boolean {
  return typeof raw === 'object' && raw !== null && Object.hasOwn(raw, key);
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
