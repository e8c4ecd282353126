import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { coreVersion, toolVersion } from '../version.js';
import type { FileOutcome } from './outcome.js';
import { hashBytes } from './resolver.js';

/** What a file's content hash was when its metadata read `stamp`; `hashedAt` is when it was read (ms since 1970). */
interface HashRecord {
  readonly stamp: string;
  readonly hash: string;
  readonly hashedAt: number;
}

interface CacheFile {
  readonly key: string;
  readonly entries: Record<string, FileOutcome>;
  readonly hashes?: Record<string, HashRecord>;
}

/**
 * A stamp younger than this when its file was hashed is not trusted: a file system that keeps times to the second
 * (or two, on FAT) could give a second edit within that tick the same stamp. Such files are read again, as git
 * treats "racily clean" index entries.
 */
const racyWindowMs = 2000;

export interface CacheOptions {
  /** The clock (ms since 1970); tests move it. */
  readonly now?: () => number;
}

/**
 * Results of unchanged files, kept between runs. An entry is reused only when the file's content hash, the hash
 * of every file it read to resolve imports, the configuration and the tool and engine builds are all the same.
 *
 * A content hash is taken from the file's bytes, or from the last run when the file's metadata (size, modification
 * and status-change times, inode) is the same as when those bytes were hashed: an unchanged tree is checked with
 * one `stat` per file instead of reading it all. The status-change time cannot be set back by tools that restore a
 * modification time (tar, rsync, `touch -d`), so a same-size edit under an old modification time is still seen.
 */
export class ResultCache {
  readonly #file: string;
  readonly #key: string;
  readonly #entries: Record<string, FileOutcome>;
  readonly #known: Record<string, HashRecord>;
  readonly #hashes = new Map<string, HashRecord | undefined>();
  readonly #now: () => number;
  #dirty = false;

  private constructor(file: string, key: string, stored: CacheFile, now: () => number) {
    this.#file = file;
    this.#key = key;
    this.#entries = stored.entries;
    this.#known = stored.hashes ?? {};
    this.#now = now;
  }

  /** `location` is a folder (or a file path ending in .json); a missing or stale cache is simply empty. */
  static open(location: string, configurationHash: string, options: CacheOptions = {}): ResultCache {
    const file = location.endsWith('.json') ? location : join(location, 'results.json');
    const key = hashBytes(JSON.stringify([toolVersion, coreVersion, engineStamp(), configurationHash]));
    let stored: CacheFile = { key, entries: {} };
    let fresh = true;
    try {
      const read = JSON.parse(readFileSync(file, 'utf8')) as CacheFile;
      if (read.key === key && typeof read.entries === 'object' && read.entries !== null) {
        stored = { key, entries: read.entries, hashes: typeof read.hashes === 'object' && read.hashes !== null ? read.hashes : {} };
        fresh = false;
      }
    } catch {
      // No cache yet, or an unreadable one: start afresh.
    }
    const cache = new ResultCache(file, key, stored, options.now ?? Date.now);
    cache.#dirty = fresh;
    return cache;
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
    if (outcome.kind === 'read-error') return;
    this.#entries[outcome.path] = outcome;
    this.#dirty = true;
    // Hash records for the next run, which then needs only their stamps. Each record is read on its own (stamp,
    // then bytes), so a file edited since the analysis read it gets a record that no longer matches the entry.
    this.hashOf(outcome.path);
    if (outcome.kind === 'analyzed') for (const dependency of outcome.dependencies) this.hashOf(dependency.path);
  }

  /** Writes the cache when this run changed it: an unchanged tree costs no write. */
  save(): void {
    if (!this.#dirty) return;
    // The hashes of the files this run looked at: files gone from the project drop out.
    const hashes: Record<string, HashRecord> = {};
    for (const [path, record] of this.#hashes) if (record) hashes[path] = record;
    mkdirSync(dirname(this.#file), { recursive: true });
    writeFileSync(this.#file, JSON.stringify({ key: this.#key, entries: this.#entries, hashes } satisfies CacheFile));
    this.#dirty = false;
  }

  /** The content hash of `path` ('' when it cannot be read), from its metadata when that is unchanged. */
  hashOf(path: string): string {
    if (!this.#hashes.has(path)) this.#hashes.set(path, this.#record(path));
    return this.#hashes.get(path)?.hash ?? '';
  }

  #record(path: string): HashRecord | undefined {
    let stamp: string;
    let changed: number;
    try {
      const stat = statSync(path);
      stamp = `${stat.size}:${stat.mtimeMs}:${stat.ctimeMs}:${stat.ino}`;
      changed = Math.max(stat.mtimeMs, stat.ctimeMs);
    } catch {
      return undefined;
    }
    const known = this.#known[path];
    if (known && known.stamp === stamp && changed < known.hashedAt - racyWindowMs) return known;
    // Stamped before the read: an edit between the two leaves a stamp that no longer matches, never a stale hash.
    const hashedAt = this.#now();
    let hash: string;
    try {
      hash = hashBytes(readFileSync(path));
    } catch {
      return undefined;
    }
    if (!known || known.stamp !== stamp || known.hash !== hash || known.hashedAt !== hashedAt) this.#dirty = true;
    return { stamp, hash, hashedAt };
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
