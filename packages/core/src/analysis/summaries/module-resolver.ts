import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as ts from 'typescript';
import { createAnalyzedFile, type AnalyzedFile } from '../../engine/analyzed-file.js';
import type { CalleeResolver, EffectSummary, ReexportedMember } from '../../model/effect.js';
import { parseFile } from '../../parse/parse-file.js';
import { summarizeExportEffects } from '../effects/summarize.js';
import { reexportedMember } from './reexports.js';

/** A file an analysed file's verdicts rest on, with the hash of the bytes that were read. */
export interface ResolvedDependency {
  readonly path: string;
  readonly hash: string;
}

export interface ModuleResolverOptions {
  /** The project's compiler options (the CLI's tsconfig, a typed lint's program); a bundler-style default without. */
  readonly compilerOptions?: Readonly<Record<string, unknown>>;
  /** What an export does; the engine's own summary by default. */
  readonly summarize?: (file: AnalyzedFile, exportName: string) => EffectSummary | undefined;
  /** How a target is parsed; the engine's `parseFile` by default. */
  readonly parse?: (path: string, text: string, resolver: CalleeResolver) => AnalyzedFile | undefined;
  /**
   * Parsed targets kept at once (100 by default), the least recently used dropped first. A dropped target's
   * summaries stay; it is parsed again only for an export not summarised yet.
   */
  readonly maxParsedFiles?: number;
}

/**
 * Trees (with their facts) cost about 0.5 MB each. On issue 13's corpus (388 targets in 2,220 files, read in path
 * order), holding all of them kept 192 MB live and the peak at 750 MB; 100 keep 66 MB live for 86 parses more.
 */
const defaultMaxParsedFiles = 100;
const analysable = /\.(?:[cm]?[jt]s|[jt]sx)$/iu;
const declarationFile = /\.d\.[cm]?ts$/iu;

/**
 * TypeScript prefers `x.d.ts` to `x.js` for `./x`; a published package ships both, and Node runs the JavaScript.
 * The declaration has no bodies to summarise, so its JavaScript sibling is the file the import really means.
 */
function runtimeFile(target: string): string {
  const match = /\.d\.([cm]?)ts$/iu.exec(target);
  if (!match) return target;
  const sibling = `${target.slice(0, match.index)}.${match[1] ?? ''}js`;
  return existsSync(sibling) ? sibling : target;
}

let typescript: typeof ts | undefined;

/**
 * One copy of TypeScript, loaded the first time an import is resolved (about 0.2 s), through `createRequire` so the
 * ESLint plugin and the CLI's workers share the copy typescript-eslint already loaded; never ts-morph's bundled one.
 */
function loadTypeScript(): typeof ts {
  typescript ??= createRequire(import.meta.url)('typescript') as typeof ts;
  return typescript;
}

/**
 * Resolves an import to the file that declares it, the way eslint-plugin-import's TypeScript resolver does
 * (TypeScript's module resolution), parses that file once, and asks the engine what the named export does. Only a
 * project's own source counts: packages and declaration files stay unknown. Parsed targets are cached by path and
 * checked against their modification time and size, so an edited helper is read again. Shared by the ESLint plugin
 * and the CLI.
 */
export class ModuleResolver implements CalleeResolver {
  readonly #options: ModuleResolverOptions;
  #compilerOptions: ts.CompilerOptions | undefined;
  #moduleCache: ts.ModuleResolutionCache | undefined;
  /** Parsed trees, least recently used first: the memory the bound is about. */
  readonly #files = new Map<string, AnalyzedFile | undefined>();
  /** Every target read, by path: its stamp and content hash when it was read (kept when its tree is dropped). */
  readonly #read = new Map<string, { hash: string; stamp: string }>();
  readonly #summaries = new Map<string, EffectSummary | undefined>();
  /** By target and stamp: the files read while summarising its exports, with their hashes. */
  readonly #targetDependencies = new Map<string, Map<string, string>>();
  readonly #inProgress = new Set<string>();
  #touched = new Map<string, string>();

  constructor(options: ModuleResolverOptions = {}) {
    this.#options = options;
  }

  /** Starts recording the files read for one analysed file (its cache dependencies). */
  beginFile(): void {
    this.#touched = new Map();
  }

  /** The files the analysis of the current file read, since `beginFile`. */
  dependencies(): ResolvedDependency[] {
    return [...this.#touched].map(([path, hash]) => ({ path, hash }));
  }

  /**
   * The tree this resolver already parsed from exactly these bytes of `path` (the file was imported before its own
   * turn came), so the check of the file does not parse it again: the same tree and scopes, with fresh facts.
   */
  parsedTree(path: string, hash: string): AnalyzedFile | undefined {
    const file = this.#read.get(path)?.hash === hash ? this.#files.get(path) : undefined;
    return file ? withFreshFacts(file) : undefined;
  }

  resolveImport(fromFile: string, source: string, importedName: string): EffectSummary | undefined {
    const target = this.#resolve(fromFile, source);
    if (target === undefined) return undefined;
    const stamp = stampOf(target);
    const key = `${target}\u0000${stamp}\u0000${importedName}`;
    // A summary of the unchanged file needs no tree: a target dropped from `#files` is not parsed again for it.
    const known = this.#read.get(target);
    const targetKey = `${target}\u0000${stamp}`;
    if (stamp !== undefined && known?.stamp === stamp && this.#summaries.has(key)) {
      this.#touched.set(target, known.hash);
      this.#touchTargetDependencies(targetKey);
      return this.#summaries.get(key);
    }
    const entry = this.#load(target, stamp);
    this.#touched.set(target, entry.hash);
    if (!entry.file) return undefined;
    if (this.#summaries.has(key)) {
      this.#touchTargetDependencies(targetKey);
      return this.#summaries.get(key);
    }
    // A cycle of re-exports or mutually recursive helpers: unknown, rather than looping.
    if (this.#inProgress.has(key)) return undefined;
    this.#inProgress.add(key);
    // The files read while summarising (imports of imports) are the target's dependencies too: recorded under
    // the target, and added to the dependencies of every later file that takes one of its summaries.
    const outer = this.#touched;
    this.#touched = new Map();
    try {
      const summary = (this.#options.summarize ?? summarizeExportEffects)(entry.file, importedName);
      this.#summaries.set(key, summary);
      return summary;
    } catch {
      return undefined;
    } finally {
      this.#inProgress.delete(key);
      const inner = this.#touched;
      this.#touched = outer;
      let recorded = this.#targetDependencies.get(targetKey);
      if (!recorded) this.#targetDependencies.set(targetKey, (recorded = new Map()));
      for (const [path, hash] of inner) recorded.set(path, hash);
      this.#touchTargetDependencies(targetKey);
    }
  }

  resolveReexport(fromFile: string, source: string, importedName: string, depth = 0): ReexportedMember | undefined {
    if (depth > 4) return undefined;
    const target = this.#resolve(fromFile, source);
    if (target === undefined) return undefined;
    const entry = this.#load(target, stampOf(target));
    this.#touched.set(target, entry.hash);
    if (!entry.file) return undefined;
    const found = reexportedMember(entry.file, importedName);
    if (!found) return undefined;
    // A project module handing on another project module's export: follow it there.
    if (found.source.startsWith('.') || found.source.startsWith('/')) {
      const [next, ...rest] = found.path;
      const further = this.resolveReexport(target, found.source, next ?? 'default', depth + 1);
      return further ? { ...further, path: [...further.path, ...rest] } : undefined;
    }
    return found;
  }

  #touchTargetDependencies(targetKey: string): void {
    for (const [path, hash] of this.#targetDependencies.get(targetKey) ?? []) this.#touched.set(path, hash);
  }

  #resolve(fromFile: string, source: string): string | undefined {
    // Packages are never analysed: do not pay for TypeScript to find them.
    if (!source.startsWith('.') && !source.startsWith('/') && !source.startsWith('#') && !source.startsWith('~') && !source.startsWith('@/')) {
      if (!this.#options.compilerOptions?.['paths'] && !this.#options.compilerOptions?.['baseUrl']) return undefined;
    }
    const tsApi = loadTypeScript();
    this.#compilerOptions ??= {
      allowJs: true,
      module: tsApi.ModuleKind.ESNext,
      moduleResolution: tsApi.ModuleResolutionKind.Bundler,
      ...(this.#options.compilerOptions as ts.CompilerOptions | undefined),
    };
    this.#moduleCache ??= tsApi.createModuleResolutionCache(process.cwd(), (name) => name, this.#compilerOptions);
    let resolved: ts.ResolvedModuleFull | undefined;
    try {
      resolved = tsApi.resolveModuleName(source, fromFile, this.#compilerOptions, tsApi.sys, this.#moduleCache).resolvedModule;
    } catch {
      return undefined;
    }
    if (!resolved || resolved.isExternalLibraryImport) return undefined;
    const target = runtimeFile(resolved.resolvedFileName);
    if (!analysable.test(target) || declarationFile.test(target) || /[\\/]node_modules[\\/]/u.test(target)) return undefined;
    return target;
  }

  #load(path: string, stamp: string | undefined): { file: AnalyzedFile | undefined; hash: string } {
    if (stamp === undefined) return { file: undefined, hash: '' };
    const known = this.#read.get(path);
    if (known?.stamp === stamp && this.#files.has(path)) {
      const file = this.#files.get(path);
      // Most recently used last, so the oldest entry is the first one dropped.
      this.#files.delete(path);
      this.#files.set(path, file);
      return { file, hash: known.hash };
    }
    let file: AnalyzedFile | undefined;
    let hash = '';
    try {
      const bytes = readFileSync(path);
      const text = bytes.toString('utf8').replace(/^\uFEFF/u, '');
      const parse = this.#options.parse ?? defaultParse;
      hash = createHash('sha1').update(bytes).digest('hex');
      file = parse(path, text, this);
    } catch {
      file = undefined;
    }
    this.#read.set(path, { hash, stamp });
    this.#files.delete(path);
    this.#files.set(path, file);
    if (this.#files.size > (this.#options.maxParsedFiles ?? defaultMaxParsedFiles)) this.#files.delete(this.#files.keys().next().value!);
    return { file, hash };
  }
}

function withFreshFacts(file: AnalyzedFile): AnalyzedFile {
  return createAnalyzedFile({ filename: file.filename, text: file.text, ast: file.ast, scopeManager: file.scopeManager, types: file.types, resolver: file.resolver });
}

/** Modification time and size: a changed file is read again. Undefined when the file cannot be read. */
function stampOf(path: string): string | undefined {
  try {
    const stat = statSync(path);
    return `${stat.mtimeMs}:${stat.size}`;
  } catch {
    return undefined;
  }
}

function defaultParse(path: string, text: string, resolver: CalleeResolver): AnalyzedFile | undefined {
  const parsed = parseFile(path, text, { resolver });
  return parsed.ok ? parsed.file : undefined;
}
