import type { ScopeVariable } from '@typescript-eslint/scope-manager';
import type { TSESTree } from '@typescript-eslint/types';
import type { AnalyzedFile } from '../engine/analyzed-file.js';
import { factKey } from '../engine/fact-cache.js';
import { propertyName } from './walk-ast.js';
import { unwrap } from './syntax.js';

/**
 * A value that comes from a module: `{ module: 'fs', path: ['readFileSync'] }` for `fs.readFileSync` when `fs` was
 * imported or required from `node:fs`. Module names lose their `node:` prefix, and `x/promises` subpaths of Node's
 * built-ins become a `promises` path step, so `node:fs/promises`' `readFile` and `fs.promises.readFile` are equal.
 * A default import counts as the module itself (for CommonJS modules they are the same object).
 */
export interface ModuleMember {
  readonly module: string;
  readonly path: readonly string[];
  /** The import or `require` declaration the value comes from, for messages ("imported on line 3"). */
  readonly origin: TSESTree.Node;
  /** The module specifier as written: `'node:fs'`, `'fs/promises'`. */
  readonly source: string;
  readonly via: 'import' | 'require';
}

const referenceMapKey = factKey<ReadonlyMap<TSESTree.Identifier, ScopeVariable | null>>('import-bindings:references');

/** Every identifier that scope analysis saw as a reference, with the variable it resolves to (null: undeclared). */
function referenceMap(file: AnalyzedFile): ReadonlyMap<TSESTree.Identifier, ScopeVariable | null> {
  return file.facts.get(referenceMapKey, () => {
    const map = new Map<TSESTree.Identifier, ScopeVariable | null>();
    for (const scope of file.scopeManager.scopes) {
      for (const reference of scope.references) {
        if (reference.identifier.type === 'Identifier') {
          map.set(reference.identifier, (reference.resolved as ScopeVariable | null) ?? null);
        }
      }
    }
    return map;
  });
}

/** The variable an identifier reads, `null` when it is undeclared (a global), `undefined` when it is no reference. */
export function variableOf(file: AnalyzedFile, identifier: TSESTree.Identifier): ScopeVariable | null | undefined {
  return referenceMap(file).get(identifier);
}

/**
 * True when `identifier` reads the global of that name: undeclared, or declared only by the environment
 * (typescript-eslint's lib globals and ESLint's configured globals have no definitions in the file).
 */
export function isGlobalReference(file: AnalyzedFile, identifier: TSESTree.Identifier): boolean {
  const variable = variableOf(file, identifier);
  if (variable === undefined) return false;
  return variable === null || variable.defs.length === 0;
}

/** Is `name` declared or referenced anywhere in the file? A rewrite may only introduce a name nobody uses. */
export function isNameInUse(file: AnalyzedFile, name: string): boolean {
  for (const scope of file.scopeManager.scopes) {
    if (scope.set.has(name)) return true;
    if (scope.through.some((reference) => reference.identifier.name === name)) return true;
  }
  return false;
}

/** The variable declared by a binding identifier (a declaration's name), if scope analysis knows it. */
export function declaredVariable(file: AnalyzedFile, identifier: TSESTree.Identifier): ScopeVariable | undefined {
  for (let node: TSESTree.Node | undefined = identifier; node; node = node.parent) {
    const scope = file.scopeManager.acquire(node, true);
    if (!scope) continue;
    for (let s: typeof scope | null = scope; s; s = s.upper) {
      const variable = s.set.get(identifier.name);
      if (variable && variable.identifiers.includes(identifier)) return variable as ScopeVariable;
    }
    return undefined;
  }
  return undefined;
}

export function normaliseModuleName(source: string): { module: string; path: string[] } {
  const name = source.startsWith('node:') ? source.slice('node:'.length) : source;
  const promises = /^(fs|dns|stream|timers|readline)\/promises$/u.exec(name);
  if (promises) return { module: promises[1]!, path: ['promises'] };
  return { module: name, path: [] };
}

function fromSource(source: string, rest: readonly string[], origin: TSESTree.Node, via: ModuleMember['via']): ModuleMember {
  const normal = normaliseModuleName(source);
  const steps = rest[0] === 'default' ? rest.slice(1) : rest;
  return { module: normal.module, path: [...normal.path, ...steps], origin, source, via };
}

/** True when a variable holds its initial value for its whole life (`const`, or never reassigned). */
export function isSingleAssignment(variable: ScopeVariable): boolean {
  if (variable.defs.length !== 1) return false;
  const def = variable.defs[0]!;
  if (def.type !== 'Variable') return true;
  if ((def.parent as TSESTree.VariableDeclaration | null)?.kind === 'const') return true;
  return variable.references.filter((reference) => reference.isWrite() && !reference.init).length === 0;
}

/**
 * Resolves an expression to the module member it denotes, following imports, `require`, destructuring,
 * namespace members and aliases (`const fsp = fs.promises`). `undefined` for anything else.
 */
export function resolveModuleMember(file: AnalyzedFile, expression: TSESTree.Node, depth = 0): ModuleMember | undefined {
  if (depth > 8) return undefined;
  const node = unwrap(expression);
  switch (node.type) {
    case 'Identifier': {
      const variable = variableOf(file, node);
      return variable ? resolveVariable(file, variable, depth + 1) : undefined;
    }
    case 'MemberExpression': {
      const name = propertyName(node);
      if (name === undefined) return undefined;
      const base = resolveModuleMember(file, node.object, depth + 1);
      if (!base) return undefined;
      const steps = base.path.length === 0 && name === 'default' ? [] : [name];
      return { ...base, path: [...base.path, ...steps] };
    }
    case 'CallExpression': {
      const source = requiredSource(file, node);
      if (source !== undefined) return fromSource(source, [], node, 'require');
      // Compiled ES modules wrap `require`: tsc's `__importDefault(require('fs'))`, Babel's
      // `_interopRequireDefault(require('fs'))`, esbuild's `__toESM(require('fs'))`; all keep the module's members.
      const callee = unwrap(node.callee);
      const helper = callee.type === 'Identifier' ? callee.name : callee.type === 'MemberExpression' ? propertyName(callee) : undefined;
      if (helper !== undefined && interopHelper.test(helper) && node.arguments.length >= 1 && node.arguments[0]) {
        return resolveModuleMember(file, node.arguments[0], depth + 1);
      }
      return undefined;
    }
    case 'AwaitExpression': {
      const argument = unwrap(node.argument);
      if (argument.type === 'ImportExpression' && argument.source.type === 'Literal' && typeof argument.source.value === 'string') {
        return fromSource(argument.source.value, [], argument, 'import');
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

const interopHelper = /^_*(?:interopRequireDefault|interopRequireWildcard|importDefault|importStar|toESM|interopDefault|interopNamespace|interopNamespaceDefault|interopDefaultLegacy|interopNamespaceCompat)$/u;

/** `require('x')` with the global `require`: returns `'x'`. */
export function requiredSource(file: AnalyzedFile, call: TSESTree.CallExpression): string | undefined {
  const callee = unwrap(call.callee);
  if (callee.type !== 'Identifier' || callee.name !== 'require' || !isGlobalReference(file, callee)) return undefined;
  const [argument] = call.arguments;
  if (call.arguments.length !== 1 || !argument) return undefined;
  if (argument.type === 'Literal' && typeof argument.value === 'string') return argument.value;
  if (argument.type === 'TemplateLiteral' && argument.expressions.length === 0) return argument.quasis[0]?.value.cooked ?? undefined;
  return undefined;
}

/** The module member a variable holds for its whole life, if any. */
export function resolveVariableMember(file: AnalyzedFile, variable: ScopeVariable): ModuleMember | undefined {
  return resolveVariable(file, variable, 0);
}

function resolveVariable(file: AnalyzedFile, variable: ScopeVariable, depth: number): ModuleMember | undefined {
  if (!isSingleAssignment(variable)) return undefined;
  const def = variable.defs[0]!;
  if (def.type === 'ImportBinding') {
    const node = def.node as TSESTree.Node;
    if (node.type === 'TSImportEqualsDeclaration') {
      const reference = node.moduleReference;
      if (reference.type === 'TSExternalModuleReference' && reference.expression.type === 'Literal') {
        return fromSource(String(reference.expression.value), [], node, 'require');
      }
      return undefined;
    }
    const declaration = def.parent as TSESTree.ImportDeclaration | null;
    if (!declaration || declaration.type !== 'ImportDeclaration') return undefined;
    const source = String(declaration.source.value);
    if (node.type === 'ImportNamespaceSpecifier' || node.type === 'ImportDefaultSpecifier') {
      return fromSource(source, [], declaration, 'import');
    }
    if (node.type === 'ImportSpecifier') {
      const imported = node.imported.type === 'Identifier' ? node.imported.name : String(node.imported.value);
      return fromSource(source, [imported], declaration, 'import');
    }
    return undefined;
  }
  if (def.type !== 'Variable') return undefined;
  const declarator = def.node as TSESTree.VariableDeclarator;
  if (!declarator.init) return undefined;
  const steps = patternPath(declarator.id, def.name as TSESTree.Identifier);
  if (!steps) return undefined;
  const base = resolveModuleMember(file, declarator.init, depth + 1);
  if (!base) return undefined;
  const joined = base.path.length === 0 && steps[0] === 'default' ? steps.slice(1) : steps;
  return { ...base, path: [...base.path, ...joined] };
}

/** The property keys leading from a destructuring pattern to one of its names; `undefined` through arrays or rests. */
function patternPath(pattern: TSESTree.Node, name: TSESTree.Identifier): string[] | undefined {
  const steps: string[] = [];
  let node: TSESTree.Node = name;
  while (node !== pattern) {
    const parent: TSESTree.Node | undefined = node.parent;
    if (!parent) return undefined;
    if (parent.type === 'Property') {
      if (parent.value !== node) return undefined;
      const key = !parent.computed && parent.key.type === 'Identifier' ? parent.key.name
        : parent.key.type === 'Literal' && typeof parent.key.value === 'string' ? parent.key.value : undefined;
      if (key === undefined) return undefined;
      steps.unshift(key);
    } else if (parent.type === 'AssignmentPattern') {
      if (parent.left !== node) return undefined;
    } else if (parent.type !== 'ObjectPattern') {
      return undefined;
    }
    node = parent;
  }
  return steps;
}

/** "imported from 'node:fs' on line 1" / "required from 'fs' on line 3", for the reason part of messages. */
export function describeOrigin(member: ModuleMember): string {
  return `${member.via === 'import' ? 'imported' : 'required'} from '${member.source}' on line ${member.origin.loc.start.line}`;
}
