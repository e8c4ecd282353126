import { readFileSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';

/**
 * Whether a program's entry file starts Node's ES module loader for its own code: `module` for an ES module (or
 * a file without "type" whose text may reach that loader), `commonjs` for a CommonJS file, `unknown` where Node
 * would decide by rules this check does not repeat (extension search, other extensions).
 * Node 20 runs module loader hooks on a thread of their own (about 100 ms of CPU to start): a CommonJS program
 * has them registered only when it first reaches for an ES module (see `mayLoadEsModule`).
 */
export function entryFormat(entry: string, cwd: string = process.cwd()): 'module' | 'commonjs' | 'unknown' {
  const path = resolve(cwd, entry);
  const ext = extname(path);
  if (ext === '.mjs') return 'module';
  if (ext === '.cjs') return 'commonjs';
  if (ext !== '.js' && ext !== '') return 'unknown';
  let source: string;
  try {
    source = readFileSync(path, 'utf8');
  } catch {
    // `node app` may mean app.js, app/index.js...: Node's search is not repeated here
    return 'unknown';
  }
  const type = packageType(dirname(path));
  if (type === 'module') return 'module';
  if (type === 'commonjs') return 'commonjs';
  // No "type": Node 20.19 runs a file with ES module syntax as an ES module (module syntax detection).
  return mayLoadEsModule(source) ? 'module' : 'commonjs';
}

/**
 * True when CommonJS source text may reach Node's ES module loader: a dynamic `import(...)` (also in a string
 * for `new Function` or `vm`), or `import` / `export` statements (a file Node then runs as an ES module).
 * A mention in a comment also counts: a false alarm only costs the start of the loader hooks.
 */
export function mayLoadEsModule(source: string): boolean {
  return /\bimport\s*\(|^[ \t]*(?:import[\s{*'"]|export[\s{*])/mu.test(source);
}

/** The "type" field of the nearest package.json above `dir`, as Node's package scope lookup finds it. */
function packageType(dir: string): string | undefined {
  for (let d = dir; basename(d) !== 'node_modules'; ) {
    let text: string | undefined;
    try {
      text = readFileSync(join(d, 'package.json'), 'utf8');
    } catch {
      text = undefined;
    }
    if (text !== undefined) {
      try {
        const type = (JSON.parse(text) as { type?: unknown }).type;
        return typeof type === 'string' ? type : undefined;
      } catch {
        return undefined;
      }
    }
    const up = dirname(d);
    if (up === d) return undefined;
    d = up;
  }
  return undefined;
}
