import { parse, type TSESTreeOptions } from '@typescript-eslint/typescript-estree';
import { analyze } from '@typescript-eslint/scope-manager';
import type { TSESTree } from '@typescript-eslint/types';
import { visitorKeys } from '@typescript-eslint/visitor-keys';
import { createAnalyzedFile, type AnalyzedFile } from '../engine/analyzed-file.js';
import { isStackOverflow } from '../engine/stack-overflow.js';
import type { CalleeResolver } from '../model/effect.js';

export interface ParseError {
  readonly filename: string;
  readonly line: number;
  readonly column: number;
  /** One line, no stack: "Unexpected token. A constructor, method, accessor, or property was expected." */
  readonly message: string;
}

export type ParseResult =
  | { readonly ok: true; readonly file: AnalyzedFile }
  | { readonly ok: false; readonly error: ParseError };

export interface ParseFileOptions {
  readonly resolver?: CalleeResolver;
}

const jsxExtensions = /\.(?:[jt]sx)$/iu;
const plainJsExtensions = /\.(?:[cm]?js)$/iu;
const commonJsExtensions = /\.cjs$/iu;

/**
 * Parses one file the way typescript-eslint would inside ESLint, without type information, and runs scope
 * analysis. Never throws for bad input: a file that does not parse comes back as a one-line error.
 * The text given must already have its byte-order mark removed (ESLint does the same), so offsets match.
 */
export function parseFile(filename: string, text: string, options: ParseFileOptions = {}): ParseResult {
  const parseOptions: TSESTreeOptions = {
    filePath: filename,
    loc: true,
    range: true,
    comment: false,
    tokens: false,
    // .js files may hold JSX (React code bases); .ts files may not, since `<T>x` is a type assertion there.
    jsx: jsxExtensions.test(filename) || plainJsExtensions.test(filename),
    errorOnUnknownASTType: false,
    suppressDeprecatedPropertyWarnings: true,
  };
  let ast: TSESTree.Program;
  try {
    ast = parse(text, parseOptions) as TSESTree.Program;
  } catch (error) {
    const jsxRetry = plainJsExtensions.test(filename) ? tryParse(text, { ...parseOptions, jsx: false }) : undefined;
    if (!jsxRetry) return { ok: false, error: toParseError(filename, error) };
    ast = jsxRetry;
  }
  setParents(ast);
  const commonJs = commonJsExtensions.test(filename);
  // ESLint's flat config treats .cjs as CommonJS and every other file as a module, whether or not it has
  // imports; typescript-estree alone would call an import-free file a script. Follow ESLint, so the CLI and the
  // plugin see the same scopes and give the same findings.
  (ast as { sourceType: 'module' | 'script' }).sourceType = commonJs ? 'script' : 'module';
  let scopeManager: ReturnType<typeof analyze>;
  try {
    scopeManager = analyze(ast, {
      sourceType: ast.sourceType,
      globalReturn: commonJs,
      jsxPragma: null,
      lib: ['esnext'],
    });
  } catch (error) {
    // Scope analysis recurses over the tree: code nested deeper than the stack allows is reported, not thrown.
    return { ok: false, error: toParseError(filename, error) };
  }
  return { ok: true, file: createAnalyzedFile({ filename, text, ast, scopeManager, resolver: options.resolver }) };
}

function tryParse(text: string, options: TSESTreeOptions): TSESTree.Program | undefined {
  try {
    return parse(text, options) as TSESTree.Program;
  } catch {
    return undefined;
  }
}

function toParseError(filename: string, error: unknown): ParseError {
  const record = error as { lineNumber?: number; column?: number; message?: string; location?: { start?: { line?: number; column?: number } } };
  const line = record.location?.start?.line ?? record.lineNumber ?? 1;
  const column = record.location?.start?.column ?? record.column ?? 0;
  const message = isStackOverflow(error)
    ? 'code nested too deeply to analyse (the parser ran out of stack); file skipped'
    : (String(record.message ?? error).split('\n')[0] ?? 'Parsing error');
  return { filename, line, column, message };
}

/**
 * ESLint gives every node a `parent`; typescript-estree alone does not. The checks walk upwards, so the CLI's
 * parse must set them. Iterative, so a 10,000-deep expression cannot overflow the stack.
 */
function setParents(root: TSESTree.Node): void {
  const stack: TSESTree.Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    const keys = visitorKeys[node.type] ?? [];
    for (const key of keys) {
      const child = (node as unknown as Record<string, unknown>)[key];
      if (Array.isArray(child)) {
        for (const item of child) {
          if (item && typeof item === 'object' && typeof (item as TSESTree.Node).type === 'string') {
            (item as { parent: TSESTree.Node }).parent = node;
            stack.push(item as TSESTree.Node);
          }
        }
      } else if (child && typeof child === 'object' && typeof (child as TSESTree.Node).type === 'string') {
        (child as { parent: TSESTree.Node }).parent = node;
        stack.push(child as TSESTree.Node);
      }
    }
  }
}
