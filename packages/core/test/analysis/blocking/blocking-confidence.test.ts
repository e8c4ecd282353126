import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { noBlockingInAsync, parseFile } from '../../../src/index.js';

/** One async function whose callers nobody can see, and one concurrent callback: the two levels of evidence. */
const source = `import { readFileSync } from 'node:fs';
export async function loadTemplate(name: string): Promise<string> {
  return readFileSync(\`templates/\${name}.html\`, 'utf8');
}
export async function loadAll(names: string[]): Promise<string[]> {
  return Promise.all(names.map(async (name) => readFileSync(\`pages/\${name}.html\`, 'utf8')));
}
`;

describe('no-blocking-in-async: confidence from what is in flight and from the package', () => {
  const root = mkdtempSync(join(tmpdir(), 'overlap-blocking-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  function findingsIn(manifest: object | undefined, path = 'src/pages.ts', text = source): Array<{ line: number; confidence: string }> {
    const folder = mkdtempSync(join(root, 'package-'));
    if (manifest) writeFileSync(join(folder, 'package.json'), JSON.stringify(manifest));
    const filename = join(folder, path);
    mkdirSync(join(filename, '..'), { recursive: true });
    writeFileSync(filename, text);
    const parsed = parseFile(filename, text);
    if (!parsed.ok) throw new Error(parsed.error.message);
    return noBlockingInAsync.run(parsed.file, []).map((finding) => ({ line: finding.span.start.line, confidence: finding.confidence }));
  }

  it('in a server: unknown callers at medium, a concurrent callback at high', () => {
    expect(findingsIn({ name: 'api', dependencies: { express: '^4.0.0' } })).toEqual([
      { line: 3, confidence: 'medium' },
      { line: 6, confidence: 'high' },
    ]);
  });

  it('in a command-line tool or a library: only where other work is demonstrably in flight', () => {
    expect(findingsIn({ name: 'tool', bin: 'cli.js' })).toEqual([{ line: 6, confidence: 'high' }]);
    expect(findingsIn({ name: 'lib', dependencies: { 'fs-extra': '^11.0.0' } })).toEqual([{ line: 6, confidence: 'high' }]);
  });

  it('in an entry script under bin/: nothing outside request handlers', () => {
    expect(findingsIn({ name: 'api', dependencies: { express: '^4.0.0' } }, 'bin/pages.ts')).toEqual([]);
  });

  it('in a command-line tool that can start a dev server: only where other work is demonstrably in flight', () => {
    expect(findingsIn({ name: 'cli', bin: { cli: 'bin/cli.js' }, dependencies: { express: '^4.0.0' } })).toEqual([{ line: 6, confidence: 'high' }]);
    // A private application with a start script is still a server.
    expect(findingsIn({ name: 'app', private: true, bin: { app: 'bin/app.js' }, dependencies: { express: '^4.0.0' } })).toEqual([
      { line: 3, confidence: 'medium' },
      { line: 6, confidence: 'high' },
    ]);
  });

  it('a callback mapped over a list written in the code is no concurrent fan-out', () => {
    const literal = `import { existsSync } from 'node:fs';
export async function restore(dir: string): Promise<void> {
  const backups = ['prefs.js', 'user.js'];
  await Promise.allSettled(backups.map(async (file) => {
    if (existsSync(dir + '/' + file)) await rename(dir + '/' + file);
  }));
}
export async function restoreAll(files: string[]): Promise<void> {
  await Promise.allSettled(files.map(async (file) => {
    if (existsSync(file)) await rename(file);
  }));
}
`;
    expect(findingsIn({ name: 'lib', dependencies: { 'fs-extra': '^11.0.0' } }, 'src/restore.ts', literal)).toEqual([{ line: 10, confidence: 'medium' }]);
    // Where callers may overlap (a server), it is an ordinary async function: medium, not the fan-out's evidence.
    expect(findingsIn({ name: 'api', dependencies: { express: '^4.0.0' } }, 'src/restore.ts', literal)).toEqual([
      { line: 5, confidence: 'medium' },
      { line: 10, confidence: 'medium' },
    ]);
  });
});
