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
 * must be registered after theirs. The tracer is usually the first `--import` (NODE_OPTIONS comes first),
 * so it imports the `--import` modules that follow it now, exactly as Node would (resolved from the
 * working directory); Node's own import of them later finds them in the module cache.
 */
export async function importLaterPreloads(selfUrl: string): Promise<void> {
  const cwd = process.cwd();
  const flags = importFlags(process.env['NODE_OPTIONS'], process.execArgv);
  const at = flags.findIndex((spec) => isSelf(spec, selfUrl, cwd));
  if (at < 0) return;
  const later = flags.slice(at + 1).filter((spec) => !isSelf(spec, selfUrl, cwd));
  if (later.length === 0) return;
  // A CommonJS module "located" in the working directory: its import() resolves like a --import does.
  const anchor = new Module(join(cwd, '[overlap-preload]'));
  const compile = (anchor as unknown as { _compile(code: string, file: string): void })._compile;
  compile.call(anchor, 'module.exports = (specifier) => import(specifier);', join(cwd, '[overlap-preload].cjs'));
  const load = anchor.exports as (specifier: string) => Promise<unknown>;
  for (const specifier of later) {
    try {
      await load(specifier);
    } catch {
      // Node reports the failure itself when it imports the module in its turn
      return;
    }
  }
}
