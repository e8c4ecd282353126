import { readFileSync, realpathSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';

/**
 * Whether a program's entry file starts Node's ES module loader for its own code: `module` for an ES module (or
 * a file without "type" whose text may reach that loader), `commonjs` for a CommonJS file, `unknown` where Node
 * would decide by rules this check does not repeat (extension search, other extensions).
 * Node 20 runs module loader hooks on a thread of their own (about 100 ms of CPU to start): a CommonJS program
 * has them registered only when it first reaches for an ES module (see `mayLoadEsModule`).
 */
export function entryFormat(entry: string, cwd: string = process.cwd()): 'module' | 'commonjs' | 'unknown' {
  let path = resolve(cwd, entry);
  try {
    // Node runs the entry's real path (a bin link in node_modules/.bin points into its package)
    path = realpathSync(path);
  } catch {
    return 'unknown';
  }
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
 * A mention in a comment also counts: a false alarm only costs the start of the loader hooks. Scans with
 * `indexOf` (a regular expression anchored at every line takes about a second over a 9 MB file).
 */
export function mayLoadEsModule(source: string): boolean {
  return mentions(source, 'import', true) || mentions(source, 'export', false);
}

function mentions(source: string, word: string, call: boolean): boolean {
  for (let i = source.indexOf(word); i >= 0; i = source.indexOf(word, i + word.length)) {
    if (i > 0 && isWordChar(source.charCodeAt(i - 1))) continue;
    let j = i + word.length;
    while (j < source.length && isSpace(source.charCodeAt(j))) j++;
    const next = source.charCodeAt(j);
    if (call && next === 40) return true; // import(
    if (j === i + word.length && (isWordChar(next) || Number.isNaN(next))) continue; // imports, exported, end of text
    if (!call && next !== 123 && next !== 42 && j === i + word.length) continue;
    if (call && j === i + word.length && next !== 123 && next !== 42 && next !== 39 && next !== 34) continue;
    // a statement: only spaces or tabs before it on its line
    let k = i - 1;
    while (k >= 0 && (source.charCodeAt(k) === 32 || source.charCodeAt(k) === 9)) k--;
    if (k < 0 || source.charCodeAt(k) === 10 || source.charCodeAt(k) === 13) return true;
  }
  return false;
}

const isSpace = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13;
const isWordChar = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36;

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
