import { createHash } from 'node:crypto';
import { OverlapError } from '../errors.js';

export interface Shard {
  /** 1-based. */
  readonly index: number;
  readonly count: number;
}

export function parseShard(value: string): Shard {
  const match = /^(\d+)\/(\d+)$/u.exec(value);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count) {
    throw new OverlapError('OVERLAP_USAGE', `--shard ${value}: expected i/n with 1 <= i <= n, e.g. --shard 2/4`);
  }
  return { index, count };
}

/**
 * Whether a file (path relative to the working directory, forward slashes) belongs to a shard. By a hash of the
 * path, so every CI job agrees without coordination and adding a file never moves the others.
 */
export function inShard(relativePath: string, shard: Shard): boolean {
  const hash = createHash('sha1').update(relativePath).digest().readUInt32BE(0);
  return hash % shard.count === shard.index - 1;
}
