import { parseSync } from 'oxc-parser';
import { parse } from '@typescript-eslint/typescript-estree';
import { readFileSync } from 'node:fs';
const files = process.argv.slice(2);
const src0 = `#!/usr/bin/env node
// héllo 😀
const s = "😀é"; async function f() { await g(s, 1n, /a/g, \`x\${s}\`); }
class A { #x = 1; static { } get y() { return this.#x?.z } }
label: for (;;) { break label; }
`;
const diffs = new Map();
function cmp(a, b, path) {
  if (typeof a !== typeof b) return note(path, `${typeof a} vs ${typeof b}: ${String(a).slice(0,40)} | ${String(b).slice(0,40)}`);
  if (a === null || b === null || typeof a !== 'object') { if (a !== b && !(a instanceof RegExp)) note(path, `${String(a).slice(0,40)} vs ${String(b).slice(0,40)}`); return; }
  if (a instanceof RegExp || b instanceof RegExp) return;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) { if (k === 'loc' || k === 'start' || k === 'end' || k === 'parent') continue; if (!(k in a)) { note(path + '.' + k, 'missing in oxc'); continue; } if (!(k in b)) { note(path + '.' + k, 'extra in oxc'); continue; } cmp(a[k], b[k], (a.type ? a.type : path) + '.' + k); }
}
function note(path, what) { const key = path + ' ' + what.replace(/\d+/g, 'N'); diffs.set(key, (diffs.get(key) ?? 0) + 1); }
for (const f of files.length ? files : [null]) {
  const src = f ? readFileSync(f, 'utf8') : src0;
  const r = parseSync(f ?? 'a.js', src, { astType: 'ts', range: true, preserveParens: false, sourceType: 'module' });
  if (r.errors.length) { note('ERR', r.errors[0].message); continue; }
  let t; try { t = parse(src, { range: true, loc: true, jsx: true }); } catch { continue; }
  cmp(r.program, t, 'Program');
}
console.log([...diffs].sort((x, y) => y[1] - x[1]).slice(0, 40));
