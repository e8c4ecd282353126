import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as core from '@overlap/core';
import type { AnalyzedFile, CalleeResolver, EffectSummary } from '@overlap/core';
import { ts } from 'ts-morph';
import type { Dependency } from './outcome.js';

/** Core's per-export effect summary (`summarizeExportEffects`). */
export type ExportSummarizer = (file: AnalyzedFile, exportName: string) => EffectSummary | undefined;

/**
 * The engine's summariser, when this version of @overlap/core has one. Looked up by name so the CLI builds
 * against engines with and without it; without it imported callees stay unknown, exactly as in ESLint.
 */
export function coreSummarizer(): ExportSummarizer | undefined {
  const candidate = (core as unknown as Record<string, unknown>)['summarizeExportEffects'];
  return typeof candidate === 'function' ? (candidate as ExportSummarizer) : undefined;
}

/** Parsed dependencies kept at once: enough for the helpers a project shares, bounded for huge monorepos. */
const maxParsedFiles = 2000;

const analysable = /\.(?:[cm]?[jt]s|[jt]sx)$/iu;
const declaration = /\.d\.[cm]?ts$/iu;

/**
 * Resolves an import to the file that declares it (TypeScript's module resolution with the project's compiler
 * options, through the TypeScript copy ts-morph bundles), parses that file once, and asks the engine what the
 * named export does. Only the project's own source counts: packages and declaration files stay unknown.
 */
export class ProjectResolver implements CalleeResolver {
  readonly #compilerOptions: ts.CompilerOptions;
  readonly #summarize: ExportSummarizer;
  readonly #parse: (path: string, text: string, resolver: CalleeResolver) => AnalyzedFile | undefined;
  readonly #moduleCache: ts.ModuleResolutionCache;
  readonly #files = new Map<string, { file: AnalyzedFile | undefined; hash: string }>();
  readonly #summaries = new Map<string, EffectSummary | undefined>();
  readonly #inProgress = new Set<string>();
  #touched = new Map<string, string>();

  constructor(
    compilerOptions: Readonly<Record<string, unknown>>,
    summarize: ExportSummarizer,
    parse: (path: string, text: string, resolver: CalleeResolver) => AnalyzedFile | undefined,
  ) {
    this.#compilerOptions = compilerOptions as ts.CompilerOptions;
    this.#summarize = summarize;
    this.#parse = parse;
    this.#moduleCache = ts.createModuleResolutionCache(process.cwd(), (name) => name, this.#compilerOptions);
  }

  /** Starts recording the files read for one analysed file (its cache dependencies). */
  beginFile(): void {
    this.#touched = new Map();
  }

  dependencies(): Dependency[] {
    return [...this.#touched].map(([path, hash]) => ({ path, hash }));
  }

  resolveImport(fromFile: string, source: string, importedName: string): EffectSummary | undefined {
    const resolved = ts.resolveModuleName(source, fromFile, this.#compilerOptions, ts.sys, this.#moduleCache).resolvedModule;
    if (!resolved || resolved.isExternalLibraryImport) return undefined;
    const target = resolved.resolvedFileName;
    if (!analysable.test(target) || declaration.test(target) || /[\\/]node_modules[\\/]/u.test(target)) return undefined;
    const entry = this.#load(target);
    this.#touched.set(target, entry.hash);
    if (!entry.file) return undefined;
    const key = `${target}\u0000${importedName}`;
    if (this.#summaries.has(key)) return this.#summaries.get(key);
    // A cycle of re-exports or mutually recursive helpers: unknown, rather than looping.
    if (this.#inProgress.has(key)) return undefined;
    this.#inProgress.add(key);
    try {
      const summary = this.#summarize(entry.file, importedName);
      this.#summaries.set(key, summary);
      return summary;
    } catch {
      return undefined;
    } finally {
      this.#inProgress.delete(key);
    }
  }

  #load(path: string): { file: AnalyzedFile | undefined; hash: string } {
    const cached = this.#files.get(path);
    if (cached) {
      // Most recently used last, so the oldest entry is the first one dropped.
      this.#files.delete(path);
      this.#files.set(path, cached);
      return cached;
    }
    let entry: { file: AnalyzedFile | undefined; hash: string };
    try {
      const bytes = readFileSync(path);
      entry = { file: this.#parse(path, stripBom(bytes.toString('utf8')), this), hash: hashBytes(bytes) };
    } catch {
      entry = { file: undefined, hash: '' };
    }
    this.#files.set(path, entry);
    if (this.#files.size > maxParsedFiles) this.#files.delete(this.#files.keys().next().value!);
    return entry;
  }
}

export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export function hashBytes(bytes: Uint8Array | string): string {
  return createHash('sha1').update(bytes).digest('hex');
}
