import { isAbsolute } from 'node:path';
import type { ParserServices, TSESLint, TSESTree } from '@typescript-eslint/utils';
import { ModuleResolver, createAnalyzedFile, mayHaveFindings, type AnalyzedFile, type TypeInformation } from '@overlap/core';

/**
 * One analysed file per linted program, shared by all of our rules, so facts (await points, effects, shared
 * state) are computed once per file however many rules are on. Keyed by the AST, which ESLint makes anew for
 * every lint, so nothing outlives the file it describes.
 */
const analyzedFiles = new WeakMap<TSESTree.Program, AnalyzedFile>();

/** The prefilter's answer per linted program: asked by every rule, computed once. */
const mayFind = new WeakMap<TSESTree.Program, boolean>();

export function mayHaveFindingsIn(context: Readonly<TSESLint.RuleContext<string, readonly unknown[]>>): boolean {
  const { ast, text } = context.sourceCode;
  let answer = mayFind.get(ast);
  if (answer === undefined) {
    answer = mayHaveFindings(text);
    mayFind.set(ast, answer);
  }
  return answer;
}

export function analyzedFileFor(context: Readonly<TSESLint.RuleContext<string, readonly unknown[]>>): AnalyzedFile {
  const { sourceCode } = context;
  const cached = analyzedFiles.get(sourceCode.ast);
  if (cached) return cached;
  const types = typeInformationOf(sourceCode.parserServices);
  const file = createAnalyzedFile({
    filename: context.filename,
    text: sourceCode.text,
    ast: sourceCode.ast,
    scopeManager: withEslintMethods(sourceCode.scopeManager as NonNullable<typeof sourceCode.scopeManager>, context),
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

type ScopeManagerOf = NonNullable<TSESLint.SourceCode['scopeManager']>;

/**
 * Hosts other than ESLint run our rules too: oxlint's JS plugin host gives a scope manager without
 * `isGlobalReturn` (ESLint's and typescript-eslint's have it). The engine asks it whether a script's top level is
 * a CommonJS module; outside ESLint the answer comes from the language options: CommonJS, or a `globalReturn`
 * ecma feature. Every other member is the host's own.
 */
function withEslintMethods(scopeManager: ScopeManagerOf, context: Readonly<TSESLint.RuleContext<string, readonly unknown[]>>): ScopeManagerOf {
  if (typeof (scopeManager as { isGlobalReturn?: unknown }).isGlobalReturn === 'function') return scopeManager;
  const options = (context as { languageOptions?: { sourceType?: string; parserOptions?: { ecmaFeatures?: { globalReturn?: boolean } } } }).languageOptions;
  const sourceType = options?.sourceType ?? (context.sourceCode.ast as { sourceType?: string }).sourceType;
  const globalReturn = sourceType === 'commonjs' || options?.parserOptions?.ecmaFeatures?.globalReturn === true;
  // oxlint's scope manager is frozen: an object that inherits every member from it and adds the one missing.
  return Object.create(scopeManager, { isGlobalReturn: { value: () => globalReturn } }) as ScopeManagerOf;
}
