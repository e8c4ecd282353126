import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { entryFormat, mayLoadEsModule } from '../src/hooks/esm-entry.js';
import { framesNamed, mainPart, runBoth, tempDir } from './helpers.js';

/**
 * Node 20 runs module loader hooks on a thread of their own, about 100 ms of CPU to start: a CommonJS program gets
 * the tracer's ES module hooks only when it first compiles a file that may reach the ES module loader.
 */
const hooksThread = "process.moduleLoadList.includes('NativeModule internal/modules/esm/hooks')";

function project(files: Record<string, string>): string {
  const dir = tempDir();
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

describe('ES module hooks in CommonJS programs', () => {
  it('are not registered for a CommonJS program that loads no ES module, which is still traced', async () => {
    const dir = project({
      'main.cjs': `async function work() { await new Promise((r) => setTimeout(r, 5)); return 1; }\nwork().then(() => console.log('hooks', ${hooksThread}));\n`,
    });
    const run = await runBoth([join(dir, 'main.cjs')]);
    expect(run.plain.stdout).toBe('hooks false\n');
    expect(run.traced).toEqual(run.plain);
    expect(framesNamed(mainPart(run.trace), 'work')).toHaveLength(1);
  });

  it('are registered before a CommonJS file with a dynamic import() runs, so the imported ES modules are traced', async () => {
    const dir = project({
      'lib.mjs': `import { deep } from './deep.mjs';\nexport async function viaImport() { return await deep(); }\n`,
      'deep.mjs': 'export async function deep() { await null; return 2; }\n',
      'loader.cjs': `exports.load = () => import('./lib.mjs');\n`,
      'main.cjs': `const before = ${hooksThread};\nconst { load } = require('./loader.cjs');\nasync function main() { const { viaImport } = await load(); console.log(before, await viaImport()); }\nmain();\n`,
    });
    const run = await runBoth([join(dir, 'main.cjs')]);
    expect(run.plain.stdout).toBe('false 2\n');
    expect(run.traced).toEqual(run.plain);
    const part = mainPart(run.trace);
    for (const name of ['main', 'viaImport', 'deep']) expect(framesNamed(part, name)).toHaveLength(1);
  });

  it('are registered at start for an ES module entry', async () => {
    const dir = project({ 'package.json': '{"type":"module"}', 'main.js': `export async function f() { await null; }\nawait f();\nconsole.log('ok');\n` });
    const run = await runBoth([join(dir, 'main.js')]);
    expect(run.traced).toEqual(run.plain);
    expect(framesNamed(mainPart(run.trace), 'f')).toHaveLength(1);
  });
});

describe('entryFormat', () => {
  it('follows the extension, the package scope "type", then module syntax', () => {
    const dir = project({
      'a.mjs': '',
      'b.cjs': 'import x from "y"',
      'c.ts': '',
      'plain/a.js': 'module.exports = 1;\n',
      'plain/esm.js': 'const a = 1;\nexport { a };\n',
      'plain/dyn.js': 'module.exports = () => import("./x.mjs");\n',
      'plain/bin': '#!/usr/bin/env node\nrequire("./a.js");\n',
      'typed/package.json': '{"type":"module"}',
      'typed/sub/a.js': 'module.exports = 1;\n',
      'cjs/package.json': '{"type":"commonjs"}',
      'cjs/a.js': 'export const a = 1;\n',
    });
    expect(entryFormat(join(dir, 'a.mjs'))).toBe('module');
    expect(entryFormat(join(dir, 'b.cjs'))).toBe('commonjs');
    expect(entryFormat(join(dir, 'c.ts'))).toBe('unknown');
    expect(entryFormat(join(dir, 'missing.js'))).toBe('unknown');
    expect(entryFormat(join(dir, 'plain/a.js'))).toBe('commonjs');
    expect(entryFormat(join(dir, 'plain/esm.js'))).toBe('module');
    expect(entryFormat(join(dir, 'plain/dyn.js'))).toBe('module');
    expect(entryFormat(join(dir, 'plain/bin'))).toBe('commonjs');
    expect(entryFormat('a.js', join(dir, 'typed/sub'))).toBe('module');
    expect(entryFormat(join(dir, 'cjs/a.js'))).toBe('commonjs');
    // a bin link: the package scope of the file it points to
    symlinkSync(join(dir, 'typed/sub/a.js'), join(dir, 'plain/link'));
    expect(entryFormat(join(dir, 'plain/link'))).toBe('module');
  });

  it('tells source that may reach the ES module loader', () => {
    expect(mayLoadEsModule('const m = await import("x");')).toBe(true);
    expect(mayLoadEsModule('new Function("s", "return import (s)")')).toBe(true);
    expect(mayLoadEsModule("import fs from 'node:fs';")).toBe(true);
    expect(mayLoadEsModule('  export default 1;')).toBe(true);
    expect(mayLoadEsModule('module.exports = { important: 1, exporter() {} };\nexports.x = 1;\n')).toBe(false);
    expect(mayLoadEsModule('const imported = require("x"); // imports it')).toBe(false);
  });
});
