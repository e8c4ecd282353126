import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseFile } from '../../../src/parse/parse-file.js';
import { runChecks } from '../../../src/engine/run-checks.js';
import { preferConcurrentAwaits } from '../../../src/checks/prefer-concurrent-awaits.js';
import { ModuleResolver } from '../../../src/analysis/summaries/module-resolver.js';

const folder = mkdtempSync(join(tmpdir(), 'overlap-resolver-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const page = `import { getUser, getStats } from './helpers';
export async function page(id: string) {
  const user = await getUser(id);
  const stats = await getStats(id);
  return { user, stats };
}
`;

function findings(resolver: ModuleResolver | undefined) {
  const path = join(folder, 'page.ts');
  const parsed = parseFile(path, page, resolver ? { resolver } : {});
  if (!parsed.ok) throw new Error(parsed.error.message);
  return runChecks(parsed.file, [{ check: preferConcurrentAwaits }]).findings.map((f) => `${f.span.start.line} ${f.confidence}`);
}

describe('ModuleResolver', () => {
  it('never loses a finding the single-file run makes: an unknown helper body falls back to the name', () => {
    writeFileSync(join(folder, 'page.ts'), page);
    writeFileSync(join(folder, 'helpers.ts'), `import thirdParty from 'third-party';
import createDebug from 'debug';
const debug = createDebug('helpers');
export async function getUser(id: string) { debug('user %s', id); return thirdParty(id); }
export async function getStats(id: string) { const t0 = Date.now(); const s = await thirdParty(id); console.log(Date.now() - t0); return s; }
`);
    const alone = findings(undefined);
    expect(alone).toEqual(['4 medium']);
    expect(findings(new ModuleResolver())).toEqual(alone);
  });

  it('sharpens a guess with what the helper does, and reads a changed helper again (path and modification time)', () => {
    const helpers = join(folder, 'helpers.ts');
    writeFileSync(helpers, `import { readFile } from 'node:fs/promises';
export async function getUser(id: string) { return JSON.parse(await readFile(\`users/\${id}.json\`, 'utf8')); }
export async function getStats(id: string) { return readFile(\`stats/\${id}.json\`, 'utf8'); }
`);
    const resolver = new ModuleResolver();
    resolver.beginFile();
    expect(findings(resolver)).toEqual(['4 high']);
    expect(resolver.dependencies().map((d) => d.path)).toEqual([helpers]);
    writeFileSync(helpers, `import { readFile } from 'node:fs/promises';
import { Mutex } from 'async-mutex';
const lock = new Mutex();
export async function getUser(id: string) { await lock.acquire(); return JSON.parse(await readFile(\`users/\${id}.json\`, 'utf8')); }
export async function getStats(id: string) { return readFile(\`stats/\${id}.json\`, 'utf8'); }
`);
    const later = new Date(Date.now() + 5000);
    utimesSync(helpers, later, later);
    expect(findings(resolver)).toEqual([]);
  });
});

describe('ModuleResolver: published packages', () => {
  it('reads the JavaScript a declaration file stands beside, as Node would run it', () => {
    // Compiled output: page.js imports './helpers', and helpers.d.ts (no bodies) sits beside helpers.js.
    const dir = mkdtempSync(join(tmpdir(), 'overlap-resolver-published-'));
    try {
      const pageJs = page.replace(/: string/gu, '').replace("'./helpers'", "'./helpers.js'");
      writeFileSync(join(dir, 'helpers.d.ts'), 'export declare function getUser(id: string): Promise<unknown>;\nexport declare function getStats(id: string): Promise<unknown>;\n');
      writeFileSync(join(dir, 'helpers.js'), `import { Mutex } from 'async-mutex';
const lock = new Mutex();
export async function getUser(id) { await lock.acquire(); return id; }
export async function getStats(id) { return id; }
`);
      const resolver = new ModuleResolver();
      resolver.beginFile();
      const parsed = parseFile(join(dir, 'page.js'), pageJs, { resolver });
      if (!parsed.ok) throw new Error(parsed.error.message);
      // The lock in getUser is only visible in the JavaScript: with the declaration the pair would be reported.
      expect(runChecks(parsed.file, [{ check: preferConcurrentAwaits }]).findings).toEqual([]);
      expect(resolver.dependencies().map((d) => d.path)).toEqual([join(dir, 'helpers.js')]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('ModuleResolver: bounded trees, complete dependencies', () => {
  const base = mkdtempSync(join(tmpdir(), 'overlap-resolver-bounds-'));
  afterAll(() => rmSync(base, { recursive: true, force: true }));
  writeFileSync(join(base, 'store.ts'), `import { readFile } from 'node:fs/promises';
export async function readStore(key: string) { return readFile(\`store/\${key}\`, 'utf8'); }
`);
  writeFileSync(join(base, 'helpers.ts'), `import { readStore } from './store';
export async function getUser(id: string) { return readStore(\`users/\${id}\`); }
export async function getStats(id: string) { return readStore(\`stats/\${id}\`); }
`);
  const pagePath = join(base, 'page.ts');

  function analyse(resolver: ModuleResolver): string[] {
    resolver.beginFile();
    const parsed = parseFile(pagePath, page, { resolver });
    if (!parsed.ok) throw new Error(parsed.error.message);
    return runChecks(parsed.file, [{ check: preferConcurrentAwaits }]).findings.map((f) => `${f.span.start.line} ${f.confidence}`);
  }

  it('records imports of imports as dependencies, also when the summary comes from its cache', () => {
    const resolver = new ModuleResolver();
    expect(analyse(resolver)).toEqual(['4 high']);
    const first = resolver.dependencies().map((d) => d.path).sort();
    expect(first).toEqual([join(base, 'helpers.ts'), join(base, 'store.ts')]);
    // The second file to take the same summaries reads nothing, but rests on the same two files.
    expect(analyse(resolver)).toEqual(['4 high']);
    expect(resolver.dependencies().map((d) => d.path).sort()).toEqual(first);
  });

  it('drops trees beyond its bound, and parses a dropped one again only for an export it has not summarised', () => {
    const parsed: string[] = [];
    const resolver = new ModuleResolver({
      maxParsedFiles: 1,
      parse: (path, text, self) => {
        parsed.push(path.slice(base.length + 1));
        const result = parseFile(path, text, { resolver: self });
        return result.ok ? result.file : undefined;
      },
    });
    expect(analyse(resolver)).toEqual(['4 high']);
    // getUser's summary reads store.ts, which takes helpers.ts's place: getStats needs helpers.ts parsed again.
    expect(parsed).toEqual(['helpers.ts', 'store.ts', 'helpers.ts']);
    // Every export the page uses is summarised now: nothing is parsed again.
    expect(analyse(resolver)).toEqual(['4 high']);
    expect(parsed).toEqual(['helpers.ts', 'store.ts', 'helpers.ts']);
  });
});
