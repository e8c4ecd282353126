import Module from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** `--import` values in the order Node evaluates them: NODE_OPTIONS first, then the command line. */
export function importFlags(nodeOptions: string | undefined, execArgv: readonly string[]): string[] {
  const tokens = [...splitOptions(nodeOptions ?? ''), ...execArgv];
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token === '--import' && i + 1 < tokens.length) out.push(tokens[++i]!);
    else if (token.startsWith('--import=')) out.push(token.slice('--import='.length));
  }
  return out;
}

function splitOptions(text: string): string[] {
  const tokens: string[] = [];
  for (const match of text.matchAll(/"((?:\\.|[^"\\])*)"|(\S+)/g)) tokens.push(match[1] !== undefined ? match[1].replace(/\\(.)/g, '$1') : match[2]!);
  return tokens;
}

function isSelf(specifier: string, selfUrl: string, cwd: string): boolean {
  if (specifier === selfUrl || specifier.startsWith('@overlap/tracer/register')) return true;
  try {
    const path = specifier.startsWith('file:') ? fileURLToPath(specifier) : resolve(cwd, specifier);
    return path === fileURLToPath(selfUrl);
  } catch {
    return false;
  }
}

/**
 * Loader hooks run last-registered-first, so to see what tsx or ts-node compiled, the tracer's load hook
 * must be registered after theirs. The `--import` modules that Node evaluates after the tracer: those after it
 * in the flags when the tracer is itself an `--import` (NODE_OPTIONS comes first), all of them when it was
 * preloaded with `--require` (Node runs every `--require` before any `--import`).
 */
export function laterPreloads(selfUrl: string, preloadedBy: 'import' | 'require'): string[] {
  const cwd = process.cwd();
  const flags = importFlags(process.env['NODE_OPTIONS'], process.execArgv);
  const at = preloadedBy === 'require' ? -1 : flags.findIndex((spec) => isSelf(spec, selfUrl, cwd));
  if (at < 0 && preloadedBy === 'import') return [];
  return flags.slice(at + 1).filter((spec) => !isSelf(spec, selfUrl, cwd));
}

/**
 * Imports those modules now, exactly as Node would (resolved from the working directory), so the tracer can
 * register its hooks after theirs; Node's own import of them later finds them in the module cache.
 */
export async function importPreloads(specifiers: readonly string[]): Promise<void> {
  const cwd = process.cwd();
  // A CommonJS module "located" in the working directory: its import() resolves like a --import does.
  const anchor = new Module(join(cwd, '[overlap-preload]'));
  const compile = (anchor as unknown as { _compile(code: string, file: string): void })._compile;
  compile.call(anchor, 'module.exports = (specifier) => import(specifier);', join(cwd, '[overlap-preload].cjs'));
  const load = anchor.exports as (specifier: string) => Promise<unknown>;
  for (const specifier of specifiers) {
    try {
      await load(specifier);
    } catch {
      // Node reports the failure itself when it imports the module in its turn
      return;
    }
  }
}

/**
 * True when the command line or NODE_OPTIONS brings ES module code or loaders besides the tracer: an `--import` of
 * anything else, `--loader` / `--experimental-loader`, or ES modules as the default type. Their modules go
 * through Node's ESM loader, so the tracer's loader hooks are registered at start.
 */
export function otherEsmPreloads(selfUrl: string): boolean {
  const cwd = process.cwd();
  if (importFlags(process.env['NODE_OPTIONS'], process.execArgv).some((spec) => !isSelf(spec, selfUrl, cwd))) return true;
  const tokens = [...splitOptions(process.env['NODE_OPTIONS'] ?? ''), ...process.execArgv];
  return tokens.some((token) => /^--(?:experimental-)?loader(?:=|$)|^--experimental-default-type(?:=module|$)/.test(token));
}
