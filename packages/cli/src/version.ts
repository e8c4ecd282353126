import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** This package's version, read once from its package.json (by the package's own name: src, dist and the bundle all find it). */
export const toolVersion: string = (require('overlap/package.json') as { version: string }).version;

/** The engine's version: part of every cache key, since new checks change results. */
export const coreVersion: string = (require('@overlap/core/package.json') as { version: string }).version;
