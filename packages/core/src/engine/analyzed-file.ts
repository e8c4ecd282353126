import type { TSESTree } from '@typescript-eslint/types';
import type { ScopeManager } from '@typescript-eslint/scope-manager';
import type * as ts from 'typescript';
import type { CalleeResolver } from '../model/effect.js';
import { FactCache } from './fact-cache.js';

/**
 * Type information, when the file was parsed with a TypeScript program. Only sharpens decisions: every check
 * must work without it.
 */
export interface TypeInformation {
  readonly program: ts.Program;
  readonly esTreeNodeToTSNodeMap: { get(node: TSESTree.Node): ts.Node | undefined };
  /** The way back, to find the function a typed callee lands on in this file (typescript-eslint's parser services). */
  readonly tsNodeToESTreeNodeMap?: { get(node: ts.Node): TSESTree.Node | undefined };
}

/**
 * One parsed file with everything a check may ask about it. The ESLint plugin builds it from ESLint's
 * `SourceCode` (espree + eslint-scope for plain JS, typescript-eslint for TS); the CLI builds it with
 * `parseFile`. Nodes must carry `parent`, `range` and `loc`.
 */
export interface AnalyzedFile {
  readonly filename: string;
  readonly text: string;
  readonly ast: TSESTree.Program;
  /** eslint-scope's and typescript-eslint's scope managers have the same shape for everything we use. */
  readonly scopeManager: ScopeManager;
  readonly types: TypeInformation | undefined;
  readonly resolver: CalleeResolver | undefined;
  readonly facts: FactCache;
}

export interface AnalyzedFileInput {
  readonly filename: string;
  readonly text: string;
  readonly ast: TSESTree.Program;
  readonly scopeManager: ScopeManager;
  readonly types?: TypeInformation | undefined;
  readonly resolver?: CalleeResolver | undefined;
}

export function createAnalyzedFile(input: AnalyzedFileInput): AnalyzedFile {
  return {
    filename: input.filename,
    text: input.text,
    ast: input.ast,
    scopeManager: input.scopeManager,
    types: input.types,
    resolver: input.resolver,
    facts: new FactCache(),
  };
}
