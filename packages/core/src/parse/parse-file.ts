import { createRequire } from 'node:module';
import type { TSESTreeOptions } from '@typescript-eslint/typescript-estree';
import type { analyze as analyzeScopes } from '@typescript-eslint/scope-manager';
import type { ParserOptions } from 'oxc-parser';
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
  /**
   * `oxc` (the default): oxc-parser, native and several times faster, in its TS-ESTree shape; a file it reports
   * an error in (sloppy-mode code it reads strictly, TypeScript it does not support) is parsed again with
   * typescript-estree, so no file parses worse than before. `typescript-estree`: the parser typescript-eslint uses
   * inside ESLint, every time (the reference the bench compares findings with).
   */
  readonly parser?: ParserChoice;
}

export type ParserChoice = 'oxc' | 'typescript-estree';

const jsxExtensions = /\.(?:[jt]sx)$/iu;
const plainJsExtensions = /\.(?:[cm]?js)$/iu;
const commonJsExtensions = /\.cjs$/iu;

/**
 * Parses one file the way typescript-eslint would inside ESLint, without type information, and runs scope
 * analysis. Never throws for bad input: a file that does not parse comes back as a one-line error.
 * The text given must already have its byte-order mark removed (ESLint does the same), so offsets match.
 */
export function parseFile(filename: string, text: string, options: ParseFileOptions = {}): ParseResult {
  const commonJs = commonJsExtensions.test(filename);
  const parsed = (options.parser ?? 'oxc') === 'oxc' ? parseWithOxc(filename, text, commonJs) : undefined;
  const ast = parsed ?? parseWithTypescriptEstree(filename, text);
  if ('message' in ast) return { ok: false, error: ast };
  setParentsAndLocations(ast, parsed ? lineStartsOf(text) : undefined);
  // ESLint's flat config treats .cjs as CommonJS and every other file as a module, whether or not it has
  // imports; typescript-estree alone would call an import-free file a script. Follow ESLint, so the CLI and the
  // plugin see the same scopes and give the same findings.
  (ast as { sourceType: 'module' | 'script' }).sourceType = commonJs ? 'script' : 'module';
  let scopeManager: ReturnType<typeof analyzeScopes>;
  try {
    scopeManager = scopeAnalysis()(ast, {
      sourceType: ast.sourceType,
      globalReturn: commonJs,
      jsxPragma: null,
      // No lib globals: a name declared nowhere in the file stays unresolved, which is what every check already
      // reads as "a global" (ESLint's plain-JS scopes know no lib globals either). Populating them cost about 3%.
      lib: [],
    });
  } catch (error) {
    // Scope analysis recurses over the tree: code nested deeper than the stack allows is reported, not thrown.
    return { ok: false, error: toParseError(filename, error) };
  }
  return { ok: true, file: createAnalyzedFile({ filename, text, ast, scopeManager, resolver: options.resolver }) };
}

/**
 * True when oxc parses `text` without an error. Only the native parse runs (the tree is never handed to
 * JavaScript): the CLI's check for files it need not analyse, so that a broken file is still reported.
 */
export function parsesWithoutErrors(filename: string, text: string): boolean {
  if (tooDeepForOxc(text)) return false;
  try {
    const options: ParserOptions = { lang: oxcLanguage(filename), astType: 'ts', sourceType: commonJsExtensions.test(filename) ? 'commonjs' : 'module' };
    return parseSync(filename, text, options).errors.length === 0;
  } catch {
    return false;
  }
}

/** Nesting oxc is never given: well below where its native parser overflows a worker thread's stack. */
const maxOxcNesting = 500;

/**
 * oxc's parser recurses natively: past a few thousand levels of nesting (calls, blocks, functions, a chain of
 * `?:`, a run of unary operators) it overflows the stack and the whole process dies, where typescript-estree
 * throws a RangeError we report in one line. A linear scan over-estimates the nesting (brackets in strings and
 * comments count too); text that may be too deep goes to typescript-estree.
 */
function tooDeepForOxc(text: string): boolean {
  let brackets = 0;
  let conditionals = 0;
  let unaryRun = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === 0x28 || code === 0x5b || code === 0x7b) {
      if (++brackets > maxOxcNesting) return true;
    } else if (code === 0x29 || code === 0x5d || code === 0x7d) {
      if (brackets > 0) brackets--;
    } else if (code === 0x3f) {
      // `?` of a conditional, not `?.` or `??`: counted until the statement ends.
      const next = text.charCodeAt(index + 1);
      if (next === 0x3f) index++;
      else if (next !== 0x2e && ++conditionals > maxOxcNesting) return true;
    } else if (code === 0x3b) {
      conditionals = 0;
    }
    if (code === 0x21 || code === 0x7e || code === 0x2d || code === 0x2b) {
      if (++unaryRun > maxOxcNesting) return true;
    } else if (code !== 0x20 && code !== 0x0a && code !== 0x0d && code !== 0x09) {
      unaryRun = 0;
    }
  }
  return false;
}

/** oxc's language from the file name: JSX is allowed in .js files, as typescript-estree is asked to below. */
function oxcLanguage(filename: string): NonNullable<ParserOptions['lang']> {
  if (/\.tsx$/iu.test(filename)) return 'tsx';
  if (/\.[cm]?ts$/iu.test(filename)) return 'ts';
  return 'jsx';
}

/**
 * undefined when oxc reports an error in every reading: typescript-estree, more lenient with sloppy-mode code,
 * gets the file. A .js file that oxc rejects as a module (a CommonJS top-level `return`) is read again as
 * CommonJS first, as typescript-estree, which never checks that, would accept it.
 */
function parseWithOxc(filename: string, text: string, commonJs: boolean): TSESTree.Program | undefined {
  if (tooDeepForOxc(text)) return undefined;
  const first: ParserOptions['sourceType'] = commonJs ? 'commonjs' : 'module';
  const retry: ParserOptions['sourceType'] = !commonJs && plainJsExtensions.test(filename) ? 'commonjs' : undefined;
  for (const sourceType of retry ? [first, retry] : [first]) {
    let result: ReturnType<typeof parseSync>;
    try {
      result = parseSync(filename, text, { lang: oxcLanguage(filename), astType: 'ts', sourceType, range: true, preserveParens: false });
    } catch {
      return undefined;
    }
    if (result.errors.length > 0) continue;
    const program = result.program as unknown as TSESTree.Program & { hashbang?: unknown };
    // Not part of typescript-estree's Program: keep the two parsers' trees alike.
    delete program.hashbang;
    return program;
  }
  return undefined;
}

function parseWithTypescriptEstree(filename: string, text: string): TSESTree.Program | ParseError {
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
  try {
    return typescriptEstree().parse(text, parseOptions) as TSESTree.Program;
  } catch (error) {
    const jsxRetry = plainJsExtensions.test(filename) ? tryParse(text, { ...parseOptions, jsx: false }) : undefined;
    return jsxRetry ?? toParseError(filename, error);
  }
}

/**
 * oxc-parser loads a native binding: required on first use (Node >= 20.19 requires ES modules), so that the
 * ESLint plugin, which imports this package but never parses, does not load it.
 */
let oxcModule: typeof import('oxc-parser') | undefined;
function parseSync(...args: Parameters<typeof import('oxc-parser').parseSync>): ReturnType<typeof import('oxc-parser').parseSync> {
  oxcModule ??= createRequire(import.meta.url)('oxc-parser') as typeof import('oxc-parser');
  return oxcModule.parseSync(...args);
}

/**
 * scope-manager loads its 240 modules of lib globals (about 0.2 s of CPU) whatever the options: required on the first
 * parse, so that a run served from the cache, or whose files all miss the prefilter, never loads it, nor does the
 * ESLint plugin, which takes ESLint's scope manager.
 */
let scopeAnalysisFunction: typeof analyzeScopes | undefined;
function scopeAnalysis(): typeof analyzeScopes {
  scopeAnalysisFunction ??= (createRequire(import.meta.url)('@typescript-eslint/scope-manager') as typeof import('@typescript-eslint/scope-manager')).analyze;
  return scopeAnalysisFunction;
}

/**
 * typescript-estree loads the TypeScript compiler (about 0.2 s): required only when a file needs it, so a run
 * where oxc parses every file never pays for it.
 */
let typescriptEstreeModule: typeof import('@typescript-eslint/typescript-estree') | undefined;
function typescriptEstree(): typeof import('@typescript-eslint/typescript-estree') {
  typescriptEstreeModule ??= createRequire(import.meta.url)('@typescript-eslint/typescript-estree') as typeof import('@typescript-eslint/typescript-estree');
  return typescriptEstreeModule;
}

function tryParse(text: string, options: TSESTreeOptions): TSESTree.Program | undefined {
  try {
    return typescriptEstree().parse(text, options) as TSESTree.Program;
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

/** Offsets where each line starts, with the line terminators typescript-estree and ESLint count. */
function lineStartsOf(text: string): number[] {
  const starts = [0];
  const pattern = /\r\n|[\r\n\u2028\u2029]/gu;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) starts.push(match.index + match[0].length);
  return starts;
}

/**
 * Line and column of `offset`. `hint` holds the line found last: nodes are visited near their parent, so the
 * line is usually the same or the next one, and the binary search is the exception.
 */
function positionOf(starts: readonly number[], offset: number, hint: { line: number }): TSESTree.Position {
  let line = hint.line;
  if (!(starts[line]! <= offset && (line + 1 >= starts.length || offset < starts[line + 1]!))) {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (starts[middle]! <= offset) low = middle;
      else high = middle - 1;
    }
    line = low;
    hint.line = line;
  }
  return { line: line + 1, column: offset - starts[line]! };
}

/**
 * ESLint gives every node a `parent`; typescript-estree alone does not. The checks walk upwards, so the CLI's
 * parse must set them. oxc gives ranges but no `loc`: with `lineStarts`, every node gets its line and column
 * too. Iterative, so a 10,000-deep expression cannot overflow the stack.
 */
function setParentsAndLocations(root: TSESTree.Node, lineStarts: readonly number[] | undefined): void {
  const stack: TSESTree.Node[] = [root];
  const hint = { line: 0 };
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (lineStarts) {
      (node as { loc: TSESTree.SourceLocation }).loc = { start: positionOf(lineStarts, node.range[0], hint), end: positionOf(lineStarts, node.range[1], hint) };
    }
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
