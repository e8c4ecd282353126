import type { ScopeVariable } from '@typescript-eslint/scope-manager';
import type { TSESTree } from '@typescript-eslint/types';
import type { AnalyzedFile } from '../engine/analyzed-file.js';
import type { Check } from '../engine/check.js';
import { formatMessage } from '../engine/format-message.js';
import { blockingApiFor, mayNameBlockingApi, isKernelVirtualFile, type BlockingApi, type BlockingKind } from '../analysis/blocking/blocking-calls.js';
import { blockingConfidence, blockingContextOf, type BlockingContext } from '../analysis/blocking/blocking-context.js';
import { describeOrigin, isGlobalReference, isNameInUse, resolveModuleMember, resolveVariableMember, type ModuleMember } from '../analysis/import-bindings.js';
import { descendants, propertyName } from '../analysis/walk-ast.js';
import { unwrap } from '../analysis/syntax.js';
import { isEntryScriptFile, isTestFile } from '../analysis/file-role.js';
import { packageRoleOfFile, type PackageRole } from '../analysis/package-role.js';
import type { Confidence } from '../model/confidence.js';
import type { Finding } from '../model/finding.js';
import type { Rewrite, TextEdit } from '../model/fix.js';
import { spanOf } from '../model/location.js';

export type Options = readonly [];
export type MessageId = 'syncFileSystem' | 'syncChildProcess' | 'syncCpu' | 'atomicsWait' | 'useAsyncVariant';

const messages: Readonly<Record<MessageId, string>> = {
  syncFileSystem:
    '`{{call}}` does file-system I/O synchronously {{context}}: the whole process, every other request included, waits for the disk. {{alternative}} ({{confidence}} confidence: {{reason}}.)',
  syncChildProcess:
    '`{{call}}` runs a child process synchronously {{context}}: the whole process waits until it exits. {{alternative}} ({{confidence}} confidence: {{reason}}.)',
  syncCpu:
    '`{{call}}` {{work}} synchronously {{context}}, holding the event loop for the whole computation. {{alternative}} For heavy or repeated CPU work, move it to a worker thread. ({{confidence}} confidence: {{reason}}.)',
  atomicsWait:
    '`Atomics.wait` suspends the thread {{context}} until another thread notifies it, so no other callback can run meanwhile. Use `Atomics.waitAsync`, which returns a promise. ({{confidence}} confidence: {{reason}}.)',
  useAsyncVariant: 'Replace with `await {{replacement}}(...)`{{importNote}}.',
};

const messageIdByKind: Readonly<Record<BlockingKind, MessageId>> = {
  'file-system': 'syncFileSystem',
  'child-process': 'syncChildProcess',
  cpu: 'syncCpu',
  atomics: 'atomicsWait',
};

/**
 * Synchronous I/O, child processes and CPU-heavy library calls where other work is in flight: request handlers,
 * concurrent callbacks, loops that start concurrent work (high confidence), and async functions whose callers are
 * unknown in a package that may serve concurrent work (medium). Callees are resolved through imports and `require`,
 * never by bare names. Start-up, command and shutdown code, module level, entry scripts, tests and worker threads
 * are left alone (see the rule's docs for how each is recognised).
 */
export const noBlockingInAsync: Check<Options, MessageId> = {
  meta: {
    id: 'no-blocking-in-async',
    type: 'problem',
    description: 'Disallow synchronous I/O, child processes and CPU-heavy synchronous calls in async functions and request handlers',
    recommended: 'error',
    messages,
    schema: [],
    defaultOptions: [],
    hasSuggestions: true,
  },
  run(file) {
    if (isTestFile(file.filename) || isWorkerThreadFile(file)) return [];
    const oneOffFile = file.text.startsWith('#!') || isEntryScriptFile(file.filename);
    let role: PackageRole | undefined;
    const packageRole = (): PackageRole => (role ??= packageRoleOfFile(file.filename));
    const findings: Finding[] = [];
    for (const node of descendants(file.ast)) {
      if (node.type !== 'CallExpression') continue;
      const target = blockingTarget(file, node);
      if (!target) continue;
      if (target.api.kind === 'file-system' && isKernelVirtualFile(leadingText(node.arguments[0]))) continue;
      const context = blockingContextOf(file, node, oneOffFile);
      if (!context) continue;
      const confidence = blockingConfidence(context, target.api.confidence, packageRole);
      if (!confidence) continue;
      findings.push(toFinding(file, node, target, context, confidence, role));
    }
    return findings;
  },
};

interface BlockingTarget {
  readonly api: BlockingApi;
  /** `undefined` for `Atomics.wait`, a global. */
  readonly member: ModuleMember | undefined;
  /** The call goes through a project module that re-exports the package member (`./util/fs` handing on fs-extra). */
  readonly reexported?: boolean;
}

function blockingTarget(file: AnalyzedFile, call: TSESTree.CallExpression): BlockingTarget | undefined {
  const callee = unwrap(call.callee);
  if (callee.type === 'MemberExpression' && propertyName(callee) === 'wait') {
    const object = unwrap(callee.object);
    if (object.type === 'Identifier' && object.name === 'Atomics' && isGlobalReference(file, object)) {
      return {
        api: { kind: 'atomics', display: 'Atomics.wait', work: 'waits', alternative: '', confidence: 'high' },
        member: undefined,
      };
    }
  }
  const member = resolveModuleMember(file, callee);
  if (!member) return undefined;
  const api = blockingApiFor(member);
  if (api) return { api, member };
  const handedOn = reexportedTarget(file, member);
  const reexportedApi = handedOn && blockingApiFor(handedOn);
  return reexportedApi ? { api: reexportedApi, member: handedOn, reexported: true } : undefined;
}

/**
 * `fs_1.copySync(…)` where `fs_1` is a project module (`./util/fs`) whose `copySync` is fs-extra's, handed on by
 * `exports.copySync = fsExtra.copySync` or `module.exports = require('fs-extra')`: the package member, asked of
 * the cross-file resolver. The origin stays the local import, which is what the message points at.
 */
function reexportedTarget(file: AnalyzedFile, member: ModuleMember): ModuleMember | undefined {
  const resolver = file.resolver;
  if (!resolver?.resolveReexport || !(member.source.startsWith('.') || member.source.startsWith('/')) || !mayNameBlockingApi(member.path)) return undefined;
  const [name, ...rest] = member.path;
  const found = resolver.resolveReexport(file.filename, member.source, name ?? 'default');
  return found ? { ...member, module: found.module, path: [...found.path, ...rest] } : undefined;
}

function toFinding(
  file: AnalyzedFile,
  call: TSESTree.CallExpression,
  target: BlockingTarget,
  context: BlockingContext,
  confidence: Confidence,
  role: PackageRole | undefined,
): Finding {
  const { api, member } = target;
  const messageId = messageIdByKind[api.kind];
  const calleeText = file.text.slice(call.callee.range[0], call.callee.range[1]);
  const resolved = member ? describeOrigin(member).replace(/^(imported|required)/u, (word) => (word === 'imported' ? 'resolved through the import' : 'resolved through the `require`')) : '';
  const origin = !member ? '`Atomics` is the global'
    : calleeText === api.display ? resolved
      : `\`${calleeText}\` is \`${api.display}\`, ${resolved}`;
  const inFlight = context.inFlight ?? (role === 'server'
    ? 'whether other work is in flight when this runs is not known, though the package serves requests'
    : 'whether other work is in flight when this runs is not known');
  const handedOn = target.reexported ? ', a project module that re-exports it' : '';
  const notes = [`${origin}${handedOn}`, inFlight, api.confidenceReason, context.viaHelper ? 'reached through a helper, whose other callers may be start-up code' : undefined];
  const reason = notes.filter((note) => note !== undefined).join('; ');
  const data = {
    call: calleeText,
    context: context.description,
    alternative: api.alternative,
    work: api.work,
    confidence,
    reason,
  };
  // Through a re-exporting module the async twin may not be handed on: no mechanical rewrite.
  const rewrite = context.canAwait && member && !target.reexported ? asyncRewrite(file, call, api, member) : undefined;
  return {
    ruleId: 'no-blocking-in-async',
    messageId,
    data,
    message: formatMessage(messages[messageId], data),
    span: spanOf(call),
    confidence,
    suggestions: rewrite ? [rewrite] : [],
    related: [{ role: 'call', span: spanOf(context.owner), label: context.description.replace(/^in /u, '') }],
  };
}

/**
 * `await fs.promises.readFile(...)` for `fs.readFileSync(...)`, or `await readFile(...)` with an added
 * `node:fs/promises` import for a named `readFileSync`. Only where the arguments and the awaited result are the
 * same, and only directly inside the async function (an `await` in a nested callback would not be valid).
 */
function asyncRewrite(file: AnalyzedFile, call: TSESTree.CallExpression, api: BlockingApi, member: ModuleMember): Rewrite | undefined {
  const plan = api.rewrite;
  if (!plan) return undefined;
  if ((plan.name === 'stat' || plan.name === 'lstat') && call.arguments.length > 1) return undefined; // throwIfNoEntry has no async twin
  if (call.arguments.some((argument) => argument.type === 'SpreadElement') && plan.style === 'fsPromises') return undefined;
  const callee = unwrap(call.callee);
  const edits: TextEdit[] = [];
  let replacement: string;
  let importNote = '';
  if (callee.type === 'MemberExpression' && !callee.computed) {
    const objectMember = resolveModuleMember(file, callee.object);
    if (!objectMember || objectMember.path.length !== 0) return undefined;
    const objectText = file.text.slice(callee.object.range[0], callee.object.range[1]);
    replacement = plan.style === 'fsPromises' ? `${objectText}.promises.${plan.name}` : `${objectText}.${plan.name}`;
  } else if (callee.type === 'Identifier' && plan.style === 'fsPromises') {
    const added = importFsPromises(file, member, plan.name);
    if (!added) return undefined;
    replacement = plan.name;
    if (added.edit) {
      edits.push(added.edit);
      importNote = ` and import \`${plan.name}\` from '${added.source}'`;
    }
  } else {
    return undefined;
  }
  const needsParens = needsParenthesesForAwait(call);
  edits.push({ range: [call.range[0], callee.range[1]], text: `${needsParens ? '(' : ''}await ${replacement}` });
  if (needsParens) edits.push({ range: [call.range[1], call.range[1]], text: ')' });
  const data = { replacement, importNote };
  return { messageId: 'useAsyncVariant', data, description: formatMessage(messages.useAsyncVariant, data), edits };
}

function needsParenthesesForAwait(call: TSESTree.CallExpression): boolean {
  const parent = call.parent;
  if (!parent) return false;
  switch (parent.type) {
    case 'MemberExpression':
      return parent.object === call;
    case 'CallExpression':
    case 'NewExpression':
      return parent.callee === call;
    case 'TaggedTemplateExpression':
      return parent.tag === call;
    case 'BinaryExpression':
      return parent.operator === '**' && parent.left === call;
    default:
      return false;
  }
}

/**
 * Finds or adds a module-level binding for `name` from `fs/promises`. Adds an import (or `require`) right after
 * the statement that brought in the sync function, only when the name is free everywhere in the file.
 */
function importFsPromises(
  file: AnalyzedFile,
  member: ModuleMember,
  name: string,
): { edit?: TextEdit; source: string } | undefined {
  if (member.module !== 'fs') return undefined;
  const moduleScope = file.scopeManager.globalScope?.childScopes.find((scope) => scope.type === 'module') ?? file.scopeManager.globalScope;
  const existing = moduleScope?.set.get(name);
  if (existing) {
    const bound = resolveVariableMember(file, existing as ScopeVariable);
    const same = bound?.module === 'fs' && bound.path.length === 2 && bound.path[0] === 'promises' && bound.path[1] === name;
    return same ? { source: bound.source } : undefined;
  }
  if (isNameInUse(file, name)) return undefined;
  const source = `${member.source.startsWith('node:') ? 'node:' : ''}fs/promises`;
  const statement = member.via === 'import' ? member.origin : statementOf(member.origin);
  if (!statement || statement.parent?.type !== 'Program') return undefined;
  const text = member.via === 'import'
    ? `\nimport { ${name} } from '${source}';`
    : `\nconst { ${name} } = require('${source}');`;
  return { edit: { range: [statement.range[1], statement.range[1]], text }, source };
}


function statementOf(node: TSESTree.Node): TSESTree.Node | undefined {
  for (let current: TSESTree.Node | undefined = node; current; current = current.parent) {
    if (current.parent?.type === 'Program') return current;
  }
  return undefined;
}

/** The constant start of a path argument: `'/proc/version'`, or the head of `` `/proc/${pid}/stat` ``. */
function leadingText(argument: TSESTree.Node | undefined): string | undefined {
  const node = argument && unwrap(argument);
  if (node?.type === 'Literal' && typeof node.value === 'string') return node.value;
  if (node?.type === 'TemplateLiteral') return node.quasis[0]?.value.cooked ?? undefined;
  return undefined;
}

function isWorkerThreadFile(file: AnalyzedFile): boolean {
  // Worker threads exist to run blocking work off the main thread; `parentPort` only exists inside one.
  return /\bparentPort\b/u.test(file.text) && /['"](?:node:)?worker_threads['"]/u.test(file.text);
}
