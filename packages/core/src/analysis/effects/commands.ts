import type { TSESTree } from '@typescript-eslint/types';
import type { AnalyzedFile } from '../../engine/analyzed-file.js';
import type { Effect } from '../../model/effect.js';
import { resolveIdentifier } from '../references.js';
import { isFunctionLike, staticString, unwrap } from '../syntax.js';

/**
 * Child processes that only query: `git rev-parse HEAD`, `npm info <pkg> version`, `node --version`. Such a command
 * reads (the working tree, the registry, the machine) and changes nothing, so two of them may run together; it
 * still reads everything (`*`), so a write before it keeps its order (`writeFile` then `git status`). Every other
 * command, and any command line we cannot see whole, stays a barrier.
 */
export const childProcessModules = new Set(['child_process', 'execa', 'cross-spawn', 'zx']);

/** Calls that take one command line (`exec('git log -1')`) rather than a file and an argument list. */
const commandLineCalls = new Set(['exec', 'execSync', 'execaCommand', 'execaCommandSync', 'command', 'commandSync']);
/** Shell syntax that runs more than one program, redirects, or substitutes: the line is no longer one query. */
const shellSyntax = /[;&|<>`\n]|\$\(/u;

/** The words of the command a child-process call runs, `${}` for an interpolated part; `undefined` when not visible. */
export function commandWords(name: string, args: readonly TSESTree.Node[]): string[] | undefined {
  const first = staticString(args[0]);
  if (first === undefined) return undefined;
  if (commandLineCalls.has(name)) return shellSyntax.test(first) ? undefined : first.trim().split(/\s+/u);
  if (first.includes('${}') || shellSyntax.test(first)) return undefined;
  const list = args[1] ? unwrap(args[1]) : undefined;
  if (!list) return [first];
  if (list.type !== 'ArrayExpression') return undefined;
  const words = [first];
  for (const element of list.elements) {
    const word = element && element.type !== 'SpreadElement' ? staticString(element) : undefined;
    if (word === undefined) return undefined;
    words.push(word);
  }
  return words;
}

const gitQueries = new Set([
  'rev-parse', 'describe', 'log', 'show', 'ls-files', 'ls-remote', 'ls-tree', 'rev-list', 'cat-file', 'merge-base',
  'diff', 'shortlog', 'blame', 'for-each-ref', 'show-ref', 'name-rev', 'var', 'version', 'status', 'grep', 'check-ignore',
]);
const packageManagerQueries: Readonly<Record<string, ReadonlySet<string>>> = {
  npm: new Set(['info', 'view', 'v', 'show', 'ls', 'list', 'outdated', 'whoami', 'ping', 'root', 'prefix', 'search', 'explain', 'why']),
  yarn: new Set(['info', 'list', 'why', 'outdated']),
  pnpm: new Set(['view', 'info', 'list', 'ls', 'why', 'outdated', 'root']),
};
const listFlags = new Set(['--show-current', '--list', '-l']);
const changingFlags = new Set(['-d', '-D', '--delete', '-m', '-M', '--move', '-c', '-C', '--copy', '-f', '--force', '-a', '-s', '-u', '--set-upstream-to', '--unset-upstream', '--edit-description']);
const versionFlags = new Set(['--version', '-v', '-V', 'version']);
const machineQueries = new Set(['which', 'where', 'uname', 'hostname', 'whoami', 'pwd', 'id', 'nproc', 'arch']);

/** `git -C dir --no-pager log`: options before the subcommand that change nothing. */
function gitSubcommand(words: readonly string[]): { sub: string; rest: readonly string[] } | undefined {
  let i = 1;
  while (i < words.length && words[i]!.startsWith('-')) {
    const option = words[i]!;
    if (option === '-C' || option === '-c') i += 2;
    else if (option === '--no-pager' || option.startsWith('--git-dir=') || option.startsWith('--work-tree=') || option === '--no-optional-locks') i += 1;
    else return undefined;
  }
  const sub = words[i];
  return sub === undefined || sub.includes('${}') ? undefined : { sub, rest: words.slice(i + 1) };
}

/** Whether the command only queries. Interpolated words are allowed as arguments, never as program or subcommand. */
export function isQueryCommand(words: readonly string[]): boolean {
  const program = words[0]?.replace(/^.*\//u, '');
  if (program === undefined || program.includes('${}')) return false;
  if (words.length === 2 && versionFlags.has(words[1]!)) return true;
  if (machineQueries.has(program)) return true;
  if (program === 'git') {
    const parsed = gitSubcommand(words);
    if (!parsed) return false;
    const { sub, rest } = parsed;
    if (gitQueries.has(sub)) return !rest.some((w) => w.startsWith('--output'));
    if (sub === 'config') return rest.some((w) => ['--get', '--get-all', '--get-regexp', '--list', '-l'].includes(w));
    if (sub === 'remote') return rest.length === 0 || rest[0] === '-v' || rest[0] === 'get-url' || rest[0] === 'show';
    if (sub === 'branch' || sub === 'tag') {
      return rest.some((w) => listFlags.has(w)) && !rest.some((w) => changingFlags.has(w));
    }
    if (sub === 'symbolic-ref') return rest.filter((w) => !w.startsWith('-')).length === 1;
    return false;
  }
  const queries = packageManagerQueries[program];
  if (queries) {
    const sub = words[1];
    if (sub === undefined || sub.includes('${}')) return false;
    if (queries.has(sub)) return true;
    return sub === 'config' && (words[2] === 'get' || words[2] === 'list');
  }
  return false;
}

/** The effect of running `words`: a read of anything when it only queries, a barrier otherwise. */
export function commandEffect(words: readonly string[] | undefined, label: string): Effect {
  if (words && isQueryCommand(words)) {
    const shown = words.slice(0, 2).join(' ');
    return { kind: 'read', resource: '*', reason: `\`${shown}\` only queries`, command: shown };
  }
  return { kind: 'barrier', resource: '*', reason: `\`${label}\` runs a child process, which may touch anything` };
}

/** The position of the parameter `node` names, with the function it belongs to; `undefined` for anything else. */
function parameterPosition(file: AnalyzedFile, node: TSESTree.Node | undefined): { owner: object; index: number } | undefined {
  const inner = node ? unwrap(node) : undefined;
  if (inner?.type !== 'Identifier') return undefined;
  const variable = resolveIdentifier(file, inner);
  const def = variable?.defs.length === 1 ? variable.defs[0] : undefined;
  if (def?.type !== 'Parameter' || variable!.references.some((r) => r.isWrite())) return undefined;
  const owner = def.node as TSESTree.Node;
  if (!isFunctionLike(owner)) return undefined;
  const index = owner.params.findIndex((p) => p === def.name || (p.type === 'AssignmentPattern' && p.left === def.name));
  return index < 0 ? undefined : { owner, index };
}

/** What a call of a child-process API runs: a query, a barrier, or a barrier its caller's argument may still decide. */
export function childProcessEffect(file: AnalyzedFile, name: string, args: readonly TSESTree.Node[], label: string): Effect {
  const words = commandWords(name, args);
  const effect = commandEffect(words, label);
  if (words !== undefined || !commandLineCalls.has(name)) return effect;
  const parameter = parameterPosition(file, args[0]);
  return parameter ? { ...effect, commandParameter: parameter } : effect;
}

/**
 * At a call of a function whose summary runs its parameter as a command, the argument decides: a query is a read,
 * another parameter passes the question on to the caller's caller, anything else stays a barrier. `callee` is the
 * function called when it is known (a local one); a summary from another file carries only its own parameters.
 */
export function bindCommandArguments(file: AnalyzedFile, effects: readonly Effect[], call: TSESTree.CallExpression, callee: object | undefined): Effect[] {
  if (!effects.some((effect) => effect.commandParameter)) return [...effects];
  return effects.map((effect) => {
    const parameter = effect.commandParameter;
    if (!parameter || (callee !== undefined && parameter.owner !== callee)) return effect;
    const { commandParameter: _bound, ...rest } = effect;
    const argument = call.arguments[parameter.index];
    if (!argument || argument.type === 'SpreadElement') return rest;
    const words = commandWords('exec', [argument]);
    if (words) return isQueryCommand(words) ? commandEffect(words, '') : rest;
    const passed = parameterPosition(file, argument);
    return passed ? { ...rest, commandParameter: passed } : rest;
  });
}
