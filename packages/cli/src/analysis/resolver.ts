import { createHash } from 'node:crypto';
import * as core from '@overlap/core';
import { ModuleResolver, type AnalyzedFile, type CalleeResolver, type EffectSummary } from '@overlap/core';

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

/**
 * The engine's import resolver (core's `ModuleResolver`, shared with the ESLint plugin) with the project's compiler
 * options. It loads the `typescript` package once, lazily; never ts-morph's bundled copy, so a worker that only
 * analyses files does not pay for a second TypeScript.
 */
export class ProjectResolver extends ModuleResolver {
  constructor(
    compilerOptions: Readonly<Record<string, unknown>>,
    summarize: ExportSummarizer,
    parse: (path: string, text: string, resolver: CalleeResolver) => AnalyzedFile | undefined,
  ) {
    super({ compilerOptions, summarize, parse });
  }
}

export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export function hashBytes(bytes: Uint8Array | string): string {
  return createHash('sha1').update(bytes).digest('hex');
}
