import type { ParserServices, TSESLint, TSESTree } from '@typescript-eslint/utils';
import { createAnalyzedFile, type AnalyzedFile, type TypeInformation } from '@overlap/core';

/**
 * One analysed file per linted program, shared by all of our rules, so facts (await points, effects, shared
 * state) are computed once per file however many rules are on. Keyed by the AST, which ESLint makes anew for
 * every lint, so nothing outlives the file it describes.
 */
const analyzedFiles = new WeakMap<TSESTree.Program, AnalyzedFile>();

export function analyzedFileFor(context: Readonly<TSESLint.RuleContext<string, readonly unknown[]>>): AnalyzedFile {
  const { sourceCode } = context;
  const cached = analyzedFiles.get(sourceCode.ast);
  if (cached) return cached;
  const file = createAnalyzedFile({
    filename: context.filename,
    text: sourceCode.text,
    ast: sourceCode.ast,
    scopeManager: sourceCode.scopeManager as NonNullable<typeof sourceCode.scopeManager>,
    types: typeInformationOf(sourceCode.parserServices),
  });
  analyzedFiles.set(sourceCode.ast, file);
  return file;
}

function typeInformationOf(services: Partial<ParserServices> | undefined): TypeInformation | undefined {
  if (!services || !('program' in services) || !services.program || !services.esTreeNodeToTSNodeMap) return undefined;
  return { program: services.program, esTreeNodeToTSNodeMap: services.esTreeNodeToTSNodeMap };
}
