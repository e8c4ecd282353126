import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { coreVersion, toolVersion } from '../version.js';
import type { FileOutcome } from './outcome.js';
import { hashBytes } from './resolver.js';

interface CacheFile {
  readonly key: string;
  readonly entries: Record<string, FileOutcome>;
}

/**
 * Results of unchanged files, kept between runs. An entry is reused only when the file's content hash, the hash
 * of every file it read to resolve imports, the configuration and the tool and engine builds are all the same.
 */
export class ResultCache {
  readonly #file: string;
  readonly #key: string;
  readonly #entries: Record<string, FileOutcome>;
  readonly #hashes = new Map<string, string>();

  private constructor(file: string, key: string, entries: Record<string, FileOutcome>) {
    this.#file = file;
    this.#key = key;
    this.#entries = entries;
  }

  /** `location` is a folder (or a file path ending in .json); a missing or stale cache is simply empty. */
  static open(location: string, configurationHash: string): ResultCache {
    const file = location.endsWith('.json') ? location : join(location, 'results.json');
    const key = hashBytes(JSON.stringify([toolVersion, coreVersion, engineStamp(), configurationHash]));
    let entries: Record<string, FileOutcome> = {};
    try {
      const stored = JSON.parse(readFileSync(file, 'utf8')) as CacheFile;
      if (stored.key === key && typeof stored.entries === 'object') entries = stored.entries;
    } catch {
      // No cache yet, or an unreadable one: start afresh.
    }
    return new ResultCache(file, key, entries);
  }

  get(path: string): FileOutcome | undefined {
    const entry = this.#entries[path];
    if (!entry || entry.kind === 'read-error') return undefined;
    if (this.hashOf(path) !== entry.hash) return undefined;
    if (entry.kind === 'analyzed' && entry.dependencies.some((dependency) => this.hashOf(dependency.path) !== dependency.hash)) {
      return undefined;
    }
    return entry;
  }

  set(outcome: FileOutcome): void {
    if (outcome.kind !== 'read-error') this.#entries[outcome.path] = outcome;
  }

  save(): void {
    mkdirSync(dirname(this.#file), { recursive: true });
    writeFileSync(this.#file, JSON.stringify({ key: this.#key, entries: this.#entries } satisfies CacheFile));
  }

  hashOf(path: string): string {
    let hash = this.#hashes.get(path);
    if (hash === undefined) {
      try {
        hash = hashBytes(readFileSync(path));
      } catch {
        hash = '';
      }
      this.#hashes.set(path, hash);
    }
    return hash;
  }
}

/** node_modules/.cache/overlap when the project has node_modules (the convention of babel, eslint-loader...), else .overlap-cache. */
export function defaultCacheLocation(cwd: string): string {
  return existsSync(join(cwd, 'node_modules')) ? join(cwd, 'node_modules', '.cache', 'overlap') : join(cwd, '.overlap-cache');
}

/** Changes whenever the engine is rebuilt, so a development build never serves results of the previous one. */
function engineStamp(): string {
  try {
    const entry = fileURLToPath(import.meta.resolve('@overlap/core'));
    const stat = statSync(resolve(entry));
    return `${stat.size}:${stat.mtimeMs}`;
  } catch {
    return '';
  }
}
