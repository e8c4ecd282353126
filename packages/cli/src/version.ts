import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** This package's version, read once from its package.json (the dist and src layouts sit at the same depth). */
export const toolVersion: string = (require('../package.json') as { version: string }).version;

/** The engine's version: part of every cache key, since new checks change results. */
export const coreVersion: string = (require('@overlap/core/package.json') as { version: string }).version;
