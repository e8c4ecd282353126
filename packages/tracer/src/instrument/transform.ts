import type { Node } from 'acorn';
import { loadAcorn, loadMagicString, loadRemapping } from './lazy.js';
import { mapPosition, readInputMap, type InputMap } from './input-map.js';
import { LineIndex, SITE_KIND_CODE, type SiteInfo } from './sites.js';

export interface TransformOptions {
  /** Name V8 gives the file in stack traces: a file URL for ESM, an absolute path for CommonJS. */
  id: string;
  /** Absolute path of the loaded file (for source maps and the trace). */
  path: string;
  module: boolean;
  /** True under `--enable-source-maps`: a file with a source map gets a composed one, so Node maps stacks itself. */
  sourceMaps: boolean;
}

export interface TransformResult {
  code: string;
  sites: SiteInfo[];
}

/** Fallback runtime used if a module is evaluated in a thread where the tracer did not start: everything passes through. */
const NOOP_RUNTIME =
  '{m(){return 0},e(){return 0},E(){return 0},ek(){return 0},s(f,k,v){return v},sk(f,k,v){return v},r(f,v){return v},R(f,v){return v},rk(f,v){return v},c(){},t(f,e){return e},x(){},fa(f,k,i){return i}}';

interface Insertion {
  pos: number;
  text: string;
  /** Closings sort before openings at the same offset; among openings outer first, among closings inner first. */
  order: number;
}

interface FnContext {
  instrumented: boolean;
  inserts: Insertion[];
  hasAwait: boolean;
  /** Awaits after whose resumption only call-free code runs until the frame's next hook (see `quickHooks`). */
  quick: ReadonlySet<AnyNode>;
  /** Awaits after whose resumption only call-free code runs until a call of a known async function (see `quickHooks`). */
  toKnown: ReadonlySet<AnyNode>;
}

type AnyNode = Node & Record<string, unknown>;

/** Parents whose statements may be followed by one more statement. */
const STATEMENT_LISTS = new Set(['BlockStatement', 'Program', 'StaticBlock', 'SwitchCase']);

const SKIP_KEYS = new Set(['type', 'start', 'end', 'loc', 'range', 'raw', 'regex', 'bigint']);

/**
 * Rewrites every async function and await in user code so the runtime sees enter, suspend, resume and exit.
 * Only text is inserted, never a line break, so lines stay where they were and columns are mapped back.
 * Returns undefined when there is nothing to instrument or the source does not parse as JavaScript.
 */
export function instrument(source: string, options: TransformOptions): TransformResult | undefined {
  if (!/\b(?:async|await)\b/.test(source) || source.includes('function __ovD(){return[')) return undefined;
  let program: AnyNode;
  try {
    program = loadAcorn().parse(source, {
      ecmaVersion: 'latest',
      sourceType: options.module ? 'module' : 'script',
      allowHashBang: true,
      allowReturnOutsideFunction: !options.module,
      allowAwaitOutsideFunction: options.module,
      allowImportExportEverywhere: false,
    }) as unknown as AnyNode;
  } catch {
    return undefined;
  }

  const lines = new LineIndex(source);
  const inputMap = readInputMap(source, options.path);
  const sites: SiteInfo[] = [];
  const addSite = (kind: SiteInfo['kind'], offset: number, name: string): number => {
    const { line, column } = lines.locate(offset);
    const mapped = inputMap ? mapPosition(inputMap, line, column) : undefined;
    sites.push({
      kind,
      offset,
      name,
      file: mapped?.file ?? options.path,
      line: mapped?.line ?? line,
      column: (mapped?.column ?? column) + 1,
    });
    return sites.length - 1;
  };
  addSite('module', 0, '');

  const moduleCtx: FnContext = { instrumented: options.module, inserts: [], hasAwait: false, quick: NO_QUICK, toKnown: NO_QUICK };
  const known = knownAsyncFunctions(program, source);
  const all: Insertion[] = [];
  const text = (node: Node) => source.slice(node.start, node.end);

  const walk = (node: AnyNode, ctx: FnContext, depth: number, nameHint: string, parent?: AnyNode): void => {
    switch (node.type) {
      case 'FunctionDeclaration':
      case 'FunctionExpression':
      case 'ArrowFunctionExpression': {
        const instrumented = node.async === true && node.generator !== true;
        const hooks = instrumented ? quickHooks(node.body as AnyNode, known) : NO_HOOKS;
        const fnCtx: FnContext = { instrumented, inserts: [], hasAwait: false, quick: hooks.awaits, toKnown: hooks.awaitsToKnown };
        for (const param of node.params as AnyNode[]) walk(param, fnCtx, depth + 1, '');
        walk(node.body as AnyNode, fnCtx, depth + 1, '');
        if (fnCtx.instrumented) {
          const id = node.id as AnyNode | null | undefined;
          const k = addSite('fn', node.start, (id?.name as string | undefined) ?? nameHint);
          wrapFunction(node, k, depth, hooks.enter ? 'E' : hooks.enterToKnown ? 'ek' : 'e');
          all.push(...fnCtx.inserts);
        }
        return;
      }
      case 'AwaitExpression': {
        if (ctx.instrumented) {
          const arg = node.argument as AnyNode;
          const label = arg.type === 'CallExpression' ? calleeName(arg.callee as AnyNode, text) : arg.type === 'NewExpression' ? `new ${calleeName(arg.callee as AnyNode, text)}` : '';
          const k = addSite('await', node.start, label.length > 80 ? label.slice(0, 77) + '...' : label);
          ctx.hasAwait = true;
          const resume = ctx.quick.has(node) ? 'R' : ctx.toKnown.has(node) ? 'rk' : 'r';
          ctx.inserts.push({ pos: node.start, text: `__ovR.${resume}(__ovF,`, order: depth });
          ctx.inserts.push({ pos: node.start + 5, text: ` __ovR.${knownCall(arg, known) ? 'sk' : 's'}(__ovF,${k},`, order: depth });
          ctx.inserts.push({ pos: node.end, text: '))', order: -depth });
        }
        break;
      }
      case 'ForOfStatement': {
        if (node.await === true && ctx.instrumented) {
          // The iterable is wrapped so each next() marks a suspension; the original promises are returned
          // untouched (no extra microtask ticks) and the resumption is marked where the frame goes on: at the
          // start of the body and, when it is a statement in a list, right after the loop.
          const right = node.right as AnyNode;
          const body = node.body as AnyNode;
          const k = addSite('for-await', node.start, text(right).slice(0, 80));
          ctx.hasAwait = true;
          ctx.inserts.push({ pos: right.start, text: `__ovR.fa(__ovF,${k},(`, order: depth });
          ctx.inserts.push({ pos: right.end, text: '))', order: -depth });
          if (body.type === 'BlockStatement') {
            ctx.inserts.push({ pos: body.start + 1, text: '__ovR.r(__ovF);', order: depth + 1 });
          } else {
            ctx.inserts.push({ pos: body.start, text: '{__ovR.r(__ovF);', order: depth + 1 });
            ctx.inserts.push({ pos: body.end, text: '}', order: -(depth + 1) });
          }
          if (parent && STATEMENT_LISTS.has(parent.type)) ctx.inserts.push({ pos: node.end, text: ';__ovR.r(__ovF);', order: -depth });
        }
        break;
      }
      case 'CatchClause': {
        if (ctx.instrumented) ctx.inserts.push({ pos: (node.body as AnyNode).start + 1, text: '__ovR.c(__ovF);', order: depth });
        break;
      }
      case 'TryStatement': {
        const fin = node.finalizer as AnyNode | null;
        if (fin && ctx.instrumented) ctx.inserts.push({ pos: fin.start + 1, text: '__ovR.c(__ovF);', order: depth });
        break;
      }
      default:
        break;
    }
    for (const key in node) {
      if (SKIP_KEYS.has(key)) continue;
      const value = node[key];
      if (Array.isArray(value)) {
        for (const child of value) if (isNode(child)) walk(child, ctx, depth + 1, hintFor(node, child), node);
      } else if (isNode(value)) {
        walk(value, ctx, depth + 1, hintFor(node, value), node);
      }
    }
  };

  const hintFor = (parent: AnyNode, child: AnyNode): string => {
    if (parent.type === 'VariableDeclarator' && child === parent.init && (parent.id as AnyNode).type === 'Identifier') {
      return (parent.id as AnyNode).name as string;
    }
    if ((parent.type === 'Property' || parent.type === 'MethodDefinition' || parent.type === 'PropertyDefinition') && child === parent.value) {
      const key = parent.key as AnyNode;
      if (key.type === 'Identifier' && parent.computed !== true) return key.name as string;
      if (key.type === 'PrivateIdentifier') return `#${key.name as string}`;
      if (key.type === 'Literal') return String(key.value);
    }
    if (parent.type === 'AssignmentExpression' && child === parent.right) return text(parent.left as Node).slice(0, 60);
    if (parent.type === 'CallExpression' && isNameHelper(parent, child)) {
      // esbuild's keepNames (tsx): `const sleep = __name(async () => ..., "sleep")` names the function "sleep".
      return String(((parent.arguments as AnyNode[])[1] as AnyNode).value);
    }
    if ((parent.type === 'CallExpression' || parent.type === 'NewExpression') && child !== parent.callee) {
      // A callback: name it after the call it is passed to, with a leading string argument (a route, an event).
      const args = parent.arguments as AnyNode[];
      const first = args[0];
      const label = first && first !== child && first.type === 'Literal' && typeof first.value === 'string' ? `(${JSON.stringify(first.value)})` : '';
      return `${text(parent.callee as Node).slice(0, 40)}${label.slice(0, 40)} callback`;
    }
    return '';
  };

  const wrapFunction = (node: AnyNode, k: number, depth: number, hook: 'e' | 'E' | 'ek'): void => {
    const enter = `const __ovF=(__ovR||__ovI()).${hook}(__ovM,${k});try{`;
    const leave = '}catch(__ovE){throw __ovR.t(__ovF,__ovE)}finally{__ovR.x(__ovF)}';
    const body = node.body as AnyNode;
    if (body.type === 'BlockStatement') {
      const statements = body.body as AnyNode[];
      let at = body.start + 1;
      let prefix = '';
      for (const statement of statements) {
        if (typeof statement.directive !== 'string') break;
        at = statement.end;
        prefix = ';';
      }
      if (at === body.end - 1) {
        // Empty body: one insertion, so the opening cannot sort after the closing.
        all.push({ pos: at, text: prefix + enter + leave, order: depth });
      } else {
        all.push({ pos: at, text: prefix + enter, order: depth });
        all.push({ pos: body.end - 1, text: leave, order: -depth });
      }
    } else {
      const params = node.params as AnyNode[];
      const from = params.length > 0 ? params[params.length - 1]!.end : node.start;
      const arrow = source.indexOf('=>', from);
      all.push({ pos: arrow + 2, text: `{${enter}return(`, order: depth });
      all.push({ pos: node.end, text: `)${leave}}`, order: -depth });
    }
  };

  walk(program, moduleCtx, 0, '');

  const topLevelAwait = options.module && moduleCtx.hasAwait;
  if (topLevelAwait) all.push(...moduleCtx.inserts);
  if (sites.length === 1) return undefined;

  const statements = program.body as AnyNode[];
  let headerAt = statements.length > 0 ? statements[0]!.start : source.length;
  let headerPrefix = '';
  for (const statement of statements) {
    if (typeof statement.directive !== 'string') break;
    headerAt = statement.end;
    headerPrefix = ';';
  }
  // The runtime is looked up by a hoisted function, so an async function called before this module's body
  // runs (a circular import calling a hoisted declaration) still finds it; the header only makes sure.
  const header = `${headerPrefix}var __ovR,__ovM;__ovR||__ovI();` + (topLevelAwait ? 'var __ovF=__ovR.e(__ovM,0);' : '');
  all.push({ pos: headerAt, text: header, order: -1e9 });

  all.sort((a, b) => a.pos - b.pos || a.order - b.order);
  return { code: render(source, all, sites, options, lines, inputMap, topLevelAwait), sites };
}

const NO_QUICK: ReadonlySet<AnyNode> = new Set();

interface QuickHooks {
  enter: boolean;
  awaits: ReadonlySet<AnyNode>;
  enterToKnown: boolean;
  awaitsToKnown: ReadonlySet<AnyNode>;
}
const NO_HOOKS: QuickHooks = { enter: false, awaits: NO_QUICK, enterToKnown: false, awaitsToKnown: NO_QUICK };

/**
 * Hooks after which the frame's next hook can reuse the time just read: the code that runs in between is
 * call-free (no call, `new`, tagged template, loop, spread or destructuring of an iterable), so it takes
 * nanoseconds, well under the trace's microsecond. `enter`: from the frame's start to its first await's
 * suspension or its exit (`async (i) => i & 7`); `awaits`: from that await's resumption to the next
 * suspension or the exit (`const v = await load(); return v.data;`). Each saves one clock read, which is most
 * of the tracer's cost per await. Only statements directly in the function body are considered.
 * `enterToKnown` and `awaitsToKnown`: where the code after the hook is call-free up to a call of a known async
 * function (see `knownAsyncFunctions`), whose entry is then the very next hook and reuses the time.
 */
function quickHooks(body: AnyNode, known: ReadonlySet<string>): QuickHooks {
  if (body.type !== 'BlockStatement') {
    // An arrow's expression body: `async () => x + 1` (enter) or `async () => await p` (enter and resume).
    if (body.type === 'AwaitExpression') {
      const quick = new Set<AnyNode>([body]);
      return { enter: callFree(body.argument as AnyNode), awaits: quick, enterToKnown: knownCall(body.argument as AnyNode, known), awaitsToKnown: NO_QUICK };
    }
    return { enter: callFree(body), awaits: NO_QUICK, enterToKnown: knownCall(body, known), awaitsToKnown: NO_QUICK };
  }
  const list = body.body as AnyNode[];
  const awaits = new Set<AnyNode>();
  const awaitsToKnown = new Set<AnyNode>();
  for (let i = 0; i < list.length; i++) {
    const found = statementAwait(list[i]!);
    if (!found) continue;
    if (quickFrom(list, i + 1)) awaits.add(found);
    else if (known.size > 0 && knownFrom(list, i + 1, known)) awaitsToKnown.add(found);
  }
  const enter = quickFrom(list, 0);
  return { enter, awaits, enterToKnown: !enter && known.size > 0 && knownFrom(list, 0, known), awaitsToKnown };
}

/** True when running `list` from `from` reaches a call of a known async function through call-free code only. */
function knownFrom(list: readonly AnyNode[], from: number, known: ReadonlySet<string>): boolean {
  for (let i = from; i < list.length; i++) {
    const statement = list[i]!;
    if (callFree(statement)) continue;
    let expr = statementValue(statement);
    if (expr?.type === 'AwaitExpression') expr = expr.argument as AnyNode;
    return knownCall(expr, known);
  }
  return false;
}

/** `f(a, b)` where `f` is a known async function and the arguments are call-free: the call's first hook is `f`'s entry. */
function knownCall(node: AnyNode | null | undefined, known: ReadonlySet<string>): boolean {
  if (node?.type !== 'CallExpression' || node.optional === true) return false;
  const callee = node.callee as AnyNode;
  return callee.type === 'Identifier' && known.has(callee.name as string) && (node.arguments as AnyNode[]).every((arg) => callFree(arg));
}

/**
 * Async functions (not generators) declared at the top of the file whose name is bound nowhere else and never
 * assigned: a call `f(...)` anywhere in the file runs the instrumented function, whose entry hook is the first
 * thing it does and whose last hook (its first suspension or its exit) is the last thing before the call
 * returns. So the caller and the callee can share clock reads across the call (`ek`, `rk`, `sk`). Files that
 * use `eval` or `with`, which can rebind names at run time, have none.
 */
function knownAsyncFunctions(program: AnyNode, source: string): ReadonlySet<string> {
  const candidates = new Set<string>();
  for (const statement of program.body as AnyNode[]) {
    const decl = statement.type === 'ExportNamedDeclaration' || statement.type === 'ExportDefaultDeclaration' ? (statement.declaration as AnyNode | null) : statement;
    if (decl?.type === 'FunctionDeclaration' && decl.async === true && decl.generator !== true && decl.id) candidates.add((decl.id as AnyNode).name as string);
  }
  if (candidates.size === 0 || /eval/.test(source)) return candidates.size === 0 ? candidates : new Set();
  const bound = new Map<string, number>();
  const bind = (node: AnyNode | null | undefined): void => {
    if (!node) return;
    switch (node.type) {
      case 'Identifier':
        bound.set(node.name as string, (bound.get(node.name as string) ?? 0) + 1);
        return;
      case 'ObjectPattern':
        for (const prop of node.properties as AnyNode[]) bind(prop.type === 'RestElement' ? prop : (prop.value as AnyNode));
        return;
      case 'ArrayPattern':
        for (const element of node.elements as (AnyNode | null)[]) bind(element);
        return;
      case 'RestElement':
        bind(node.argument as AnyNode);
        return;
      case 'AssignmentPattern':
        bind(node.left as AnyNode);
        return;
      case 'MemberExpression':
        return;
      default:
        // anything else in a binding or assignment target: give up on every name
        bound.set('', 2);
    }
  };
  let rebinds = false;
  const visit = (node: AnyNode): void => {
    switch (node.type) {
      case 'FunctionDeclaration':
      case 'FunctionExpression':
      case 'ArrowFunctionExpression':
      case 'ClassDeclaration':
      case 'ClassExpression':
        bind(node.id as AnyNode | null);
        for (const param of (node.params as AnyNode[] | undefined) ?? []) bind(param);
        break;
      case 'VariableDeclarator':
        bind(node.id as AnyNode);
        break;
      case 'CatchClause':
        bind(node.param as AnyNode | null);
        break;
      case 'ImportSpecifier':
      case 'ImportDefaultSpecifier':
      case 'ImportNamespaceSpecifier':
        bind(node.local as AnyNode);
        break;
      case 'AssignmentExpression':
        bind(node.left as AnyNode);
        break;
      case 'UpdateExpression':
        bind(node.argument as AnyNode);
        break;
      case 'ForInStatement':
      case 'ForOfStatement':
        if ((node.left as AnyNode).type !== 'VariableDeclaration') bind(node.left as AnyNode);
        break;
      case 'WithStatement':
        rebinds = true;
        break;
      default:
        break;
    }
    for (const key in node) {
      if (SKIP_KEYS.has(key)) continue;
      const value = node[key];
      if (Array.isArray(value)) {
        for (const child of value) if (isNode(child)) visit(child);
      } else if (isNode(value)) {
        visit(value);
      }
    }
  };
  visit(program);
  if (rebinds || bound.has('')) return new Set();
  return new Set([...candidates].filter((name) => bound.get(name) === 1));
}

/** True when running `list` from `from` reaches the frame's next hook (an await's suspension, or the exit) through call-free code only. */
function quickFrom(list: readonly AnyNode[], from: number): boolean {
  for (let i = from; i < list.length; i++) {
    const statement = list[i]!;
    if (callFree(statement)) continue;
    const found = statementAwait(statement);
    return found !== undefined && callFree(found.argument as AnyNode);
  }
  return true;
}

/** The value of `x;`, `return x;`, `const v = x;` and `v = x;` (a single identifier binding): what the statement computes. */
function statementValue(statement: AnyNode): AnyNode | null | undefined {
  let expr: AnyNode | null | undefined;
  if (statement.type === 'ExpressionStatement') {
    expr = statement.expression as AnyNode;
    if (expr.type === 'AssignmentExpression' && expr.operator === '=' && (expr.left as AnyNode).type === 'Identifier') expr = expr.right as AnyNode;
  } else if (statement.type === 'ReturnStatement') {
    expr = statement.argument as AnyNode | null;
  } else if (statement.type === 'VariableDeclaration') {
    const declarations = statement.declarations as AnyNode[];
    if (declarations.length === 1 && (declarations[0]!.id as AnyNode).type === 'Identifier') expr = declarations[0]!.init as AnyNode | null;
  }
  return expr;
}

/** The await of `await x;`, `return await x;`, `const v = await x;` and `v = await x;`: after it only a binding runs. */
function statementAwait(statement: AnyNode): AnyNode | undefined {
  const expr = statementValue(statement);
  return expr?.type === 'AwaitExpression' ? expr : undefined;
}

/** Node types that run no user code of their own besides their children (getters and `valueOf` aside). */
const CALL_FREE = new Set([
  'Identifier', 'Literal', 'ThisExpression', 'TemplateLiteral', 'TemplateElement', 'UnaryExpression', 'BinaryExpression',
  'LogicalExpression', 'ConditionalExpression', 'AssignmentExpression', 'UpdateExpression', 'MemberExpression',
  'ChainExpression', 'ParenthesizedExpression', 'SequenceExpression', 'ObjectExpression', 'Property', 'ArrayExpression',
  'ExpressionStatement', 'ReturnStatement', 'IfStatement', 'BlockStatement', 'EmptyStatement', 'VariableDeclaration',
  'VariableDeclarator', 'PrivateIdentifier',
]);

/** True when evaluating `node` calls nothing: only CALL_FREE nodes, plain bindings, and function values (not run). */
function callFree(node: AnyNode | null | undefined): boolean {
  if (node === null || node === undefined) return true;
  if (node.type === 'ArrowFunctionExpression' || node.type === 'FunctionExpression') return true;
  if (!CALL_FREE.has(node.type)) return false;
  if (node.type === 'VariableDeclarator' && (node.id as AnyNode).type !== 'Identifier') return false;
  if (node.type === 'Property' && (node.kind !== 'init' || node.method === true)) return node.method === true && node.computed !== true;
  for (const key in node) {
    if (SKIP_KEYS.has(key)) continue;
    const value = node[key];
    if (Array.isArray(value)) {
      for (const child of value) if (child !== null && (!isNode(child) || !callFree(child))) return false;
    } else if (isNode(value) && !callFree(value)) {
      return false;
    }
  }
  return true;
}

/** `__name(fn, "name")`, the helper esbuild's keepNames (tsx) wraps functions in. */
function isNameHelper(call: AnyNode, child: AnyNode): boolean {
  const callee = call.callee as AnyNode;
  const args = call.arguments as AnyNode[];
  return (
    callee.type === 'Identifier' &&
    callee.name === '__name' &&
    args[0] === child &&
    args[1]?.type === 'Literal' &&
    typeof args[1].value === 'string'
  );
}

/** A compiler's module object: tsc's `svc_1`, esbuild's `import_svc`; Babel's `_svc` only inside `(0, _svc.f)`. */
const COMPILED_MODULE = /^(?:[\w$]+_\d+|import_[\w$]+)$/;
const BABEL_MODULE = /^_[\w$]+$/;

/**
 * The callee as the user wrote it. Compilers call imports through the module object and without a `this`:
 * tsc's `(0, svc_1.loadUser)` and esbuild's `(0, import_svc.loadUser)` were `loadUser` in the source; a
 * `__name(fn, "x")` wrapper is `fn`.
 */
export function calleeName(callee: AnyNode, text: (node: Node) => string): string {
  let node = callee;
  let indirect = false;
  for (;;) {
    if (node.type === 'SequenceExpression') {
      const list = node.expressions as AnyNode[];
      if (list.length === 2 && list[0]!.type === 'Literal' && list[0]!.value === 0) {
        node = list[1]!;
        indirect = true;
        continue;
      }
    } else if (node.type === 'ParenthesizedExpression') {
      node = node.expression as AnyNode;
      continue;
    } else if (node.type === 'CallExpression' && isNameHelper(node, (node.arguments as AnyNode[])[0]!)) {
      node = (node.arguments as AnyNode[])[0]!;
      continue;
    }
    break;
  }
  if (
    node.type === 'MemberExpression' &&
    node.computed !== true &&
    (node.object as AnyNode).type === 'Identifier' &&
    (COMPILED_MODULE.test((node.object as AnyNode).name as string) || (indirect && BABEL_MODULE.test((node.object as AnyNode).name as string))) &&
    (node.property as AnyNode).type === 'Identifier'
  ) {
    const name = (node.property as AnyNode).name as string;
    // A default import keeps the module's name: `(0, fetch_1.default)` is the `fetch` the user imported.
    if (name !== 'default') return name;
    const object = (node.object as AnyNode).name as string;
    return object.replace(/^import_/, '').replace(/_\d+$/, '').replace(/^_/, '');
  }
  return text(node);
}

function isNode(value: unknown): value is AnyNode {
  return value !== null && typeof value === 'object' && typeof (value as { type?: unknown }).type === 'string';
}

function render(
  source: string,
  inserts: Insertion[],
  sites: SiteInfo[],
  options: TransformOptions,
  lines: LineIndex,
  inputMap: InputMap | undefined,
  topLevelAwait: boolean,
): string {
  // Column shifts per line, for mapping stack-trace columns back: [line, col, len, col, len, ...].
  const shifts: number[][] = [];
  let row: number[] | undefined;
  for (const ins of inserts) {
    const { line, column } = lines.locate(ins.pos);
    if (row === undefined || row[0] !== line) {
      row = [line];
      shifts.push(row);
    }
    if (row.length >= 3 && row[row.length - 2] === column) row[row.length - 1]! += ins.text.length;
    else row.push(column, ins.text.length);
  }

  const files: string[] = [];
  const fileIndex = new Map<string, number>();
  const flat: (string | number)[] = [];
  for (const site of sites) {
    let index = fileIndex.get(site.file);
    if (index === undefined) {
      index = files.length;
      files.push(site.file);
      fileIndex.set(site.file, index);
    }
    flat.push(SITE_KIND_CODE[site.kind], site.line, site.column, site.name, index);
  }
  // With a composed source map Node maps stack columns itself; otherwise the stack formatter uses the shifts.
  const composeMap = options.sourceMaps && inputMap !== undefined;
  const tail =
    (topLevelAwait ? '\n;__ovR.x(__ovF);' : '\n') +
    `function __ovI(){__ovR=globalThis[Symbol.for("overlap.tracer.runtime")]||${NOOP_RUNTIME};__ovM=__ovR.m.apply(__ovR,__ovD());return __ovR}` +
    `function __ovD(){return[${JSON.stringify(options.id)},${JSON.stringify(files)},${JSON.stringify(flat)},${JSON.stringify(composeMap ? [] : shifts)}]}\n`;

  if (!composeMap || !inputMap) {
    let out = '';
    let last = 0;
    for (const ins of inserts) {
      out += source.slice(last, ins.pos) + ins.text;
      last = ins.pos;
    }
    return out + source.slice(last) + tail;
  }

  // Under --enable-source-maps Node maps stack traces of a file with a source map through the map it finds
  // in the code: give it ours composed with the file's own, so stacks point at the original source as untraced.
  const MagicString = loadMagicString();
  const remapping = loadRemapping();
  const ms = new MagicString(source);
  for (const ins of inserts) ms.appendLeft(ins.pos, ins.text);
  if (inputMap) ms.remove(inputMap.comment.start, inputMap.comment.end);
  ms.append(tail);
  const ours = ms.generateMap({ hires: true, source: options.path, includeContent: true });
  // The input map's own sources often have the same name as the generated file (tsx): load it only once.
  let loaded = false;
  const composed = remapping(ours.toString(), (file) => {
    if (loaded || file !== options.path) return null;
    loaded = true;
    return inputMap.raw as never;
  });
  const encoded = Buffer.from(composed.toString()).toString('base64');
  return `${ms.toString()}//# sourceMappingURL=data:application/json;charset=utf-8;base64,${encoded}\n`;
}
