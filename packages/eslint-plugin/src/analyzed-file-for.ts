import { isAbsolute } from 'node:path';
import type { ParserServices, TSESLint, TSESTree } from '@typescript-eslint/utils';
import { ModuleResolver, createAnalyzedFile, type AnalyzedFile, type TypeInformation } from '@overlap/core';

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
  const types = typeInformationOf(sourceCode.parserServices);
  const file = createAnalyzedFile({
    filename: context.filename,
    text: sourceCode.text,
    ast: sourceCode.ast,
    scopeManager: sourceCode.scopeManager as NonNullable<typeof sourceCode.scopeManager>,
    types,
    resolver: resolverFor(context, types),
  });
  analyzedFiles.set(sourceCode.ast, file);
  return file;
}

/**
 * Imported callees are judged by what they do, as in the CLI: the engine's resolver (TypeScript's module
 * resolution, targets parsed once and re-read when their modification time changes). It must outlive one file, so
 * it lives as long as the plugin: one for untyped linting, one per typed project's compiler options. Off with
 * `settings: { overlap: { resolveImports: false } }`. ESLint's `--cache` cannot see a change in an imported file
 * (docs/rules/prefer-concurrent-awaits.md).
 */
let untypedResolver: ModuleResolver | undefined;
const typedResolvers = new WeakMap<object, ModuleResolver>();

function resolverFor(context: Readonly<TSESLint.RuleContext<string, readonly unknown[]>>, types: TypeInformation | undefined): ModuleResolver | undefined {
  const settings = (context.settings as { overlap?: { resolveImports?: unknown } } | undefined)?.overlap;
  if (settings?.resolveImports === false || !isAbsolute(context.filename)) return undefined;
  if (!types) return (untypedResolver ??= new ModuleResolver());
  const options = types.program.getCompilerOptions();
  let resolver = typedResolvers.get(options);
  if (!resolver) typedResolvers.set(options, (resolver = new ModuleResolver({ compilerOptions: options })));
  return resolver;
}

function typeInformationOf(services: Partial<ParserServices> | undefined): TypeInformation | undefined {
  if (!services || !('program' in services) || !services.program || !services.esTreeNodeToTSNodeMap) return undefined;
  return {
    program: services.program,
    esTreeNodeToTSNodeMap: services.esTreeNodeToTSNodeMap,
    ...(services.tsNodeToESTreeNodeMap ? { tsNodeToESTreeNodeMap: services.tsNodeToESTreeNodeMap } : {}),
  };
}
