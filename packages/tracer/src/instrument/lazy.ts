import { createRequire } from 'node:module';
import type * as Acorn from 'acorn';
import type * as TraceMapping from '@jridgewell/trace-mapping';
import type MagicStringType from 'magic-string';
import type remappingType from '@jridgewell/remapping';

/**
 * The parser and source-map libraries are loaded on first use, synchronously (the CommonJS hook cannot await): a thread that
 * never instruments (an ESM-only main thread) or never meets a source map does not pay for loading them.
 */
const require = createRequire(import.meta.url);

let traceMapping: typeof TraceMapping | undefined;
export const loadTraceMapping = (): typeof TraceMapping => (traceMapping ??= require('@jridgewell/trace-mapping') as typeof TraceMapping);

let magicString: typeof MagicStringType | undefined;
export const loadMagicString = (): typeof MagicStringType => {
  if (!magicString) {
    const mod = require('magic-string') as typeof MagicStringType & { default?: typeof MagicStringType };
    magicString = mod.default ?? mod;
  }
  return magicString;
};

let remapping: typeof remappingType | undefined;
export const loadRemapping = (): typeof remappingType => {
  if (!remapping) {
    const mod = require('@jridgewell/remapping') as typeof remappingType & { default?: typeof remappingType };
    remapping = mod.default ?? mod;
  }
  return remapping;
};

let acorn: typeof Acorn | undefined;
export const loadAcorn = (): typeof Acorn => (acorn ??= require('acorn') as typeof Acorn);
