import { describe, expect, it } from 'vitest';
import { parseFile, summarizeExportEffects, type AnalyzedFile } from '@overlap/core';

function parse(text: string, filename = 'service.ts'): AnalyzedFile {
  const result = parseFile(filename, text);
  if (!result.ok) throw new Error(result.error.message);
  return result.file;
}

function kinds(text: string, name: string): string[] | undefined {
  return summarizeExportEffects(parse(text), name)?.effects.map((e) => `${e.kind} ${e.resource}`);
}

describe('summarizeExportEffects', () => {
  it('classifies fs reads and writes through imports', () => {
    const text = `import { readFile, writeFile } from 'node:fs/promises';
export async function load() { return JSON.parse(await readFile('config.json', 'utf8')); }
export async function save(data: unknown) { await writeFile('out.json', JSON.stringify(data)); }`;
    expect(kinds(text, 'load')).toEqual(['read fs:config.json']);
    expect(kinds(text, 'save')).toEqual(['write fs:out.json']);
  });

  it('follows local helpers and require', () => {
    const text = `const fs = require('fs');
function helper(p) { return fs.promises.readFile(p); }
exports.load = async (p) => helper(p);
module.exports.sleep = () => new Promise((r) => setTimeout(r, 10));`;
    expect(kinds(text, 'load')).toEqual(['read fs:*']);
    // A timer is latency inside a summary; a function that only waits is marked so its callers keep it in place.
    expect(kinds(text, 'sleep')?.every((kind) => kind === 'none *')).toBe(true);
    expect(summarizeExportEffects(parse(text), 'sleep')?.waitsOnly).toBe(true);
  });

  it('classifies SQL by verb and table', () => {
    const text = `export async function users(db) { return db.query('SELECT * FROM users WHERE id = $1', [1]); }
export default async function begin(db) { await db.query('BEGIN'); }
export const add = async (pool, u) => pool.query(\`INSERT INTO users (name) VALUES ($1)\`, [u]);`;
    expect(kinds(text, 'users')).toEqual(['read sql:users']);
    expect(kinds(text, 'default')).toEqual(['barrier sql:*']);
    expect(kinds(text, 'add')).toEqual(['write sql:users']);
  });

  it('classifies fetch by method and survives recursion', () => {
    const text = `export async function get(u: string) { return fetch(u); }
export async function post(u: string) { return fetch(u, { method: 'POST' }); }
export async function loop(n: number): Promise<number> { return n > 0 ? loop(n - 1) : 0; }`;
    expect(kinds(text, 'get')).toEqual(['read http:*']);
    expect(kinds(text, 'post')).toEqual(['write http:*']);
    expect(kinds(text, 'loop')).toEqual([]);
    expect(kinds(text, 'missing')).toBeUndefined();
  });

  it('reads files through glob packages and orders lock files', () => {
    const text = `import fg from 'fast-glob';
import { rm, writeFile } from 'node:fs/promises';
export async function list(root: string) { return fg('**/*.json', { cwd: root }); }
export async function unlock(dir: string) { await rm(\`\${dir}.lock\`, { force: true }); }
export async function lockfile(dir: string) { await writeFile(\`\${dir}/package-lock.json\`, '{}'); }`;
    expect(kinds(text, 'list')).toEqual(['read fs:*']);
    expect(kinds(text, 'unlock')).toEqual(['barrier *']);
    expect(kinds(text, 'lockfile')).toEqual(['write fs:*']);
  });
});
