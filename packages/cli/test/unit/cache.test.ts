import { readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ResultCache } from '../../src/analysis/cache.js';
import type { FileOutcome } from '../../src/analysis/outcome.js';
import { hashBytes } from '../../src/analysis/resolver.js';
import { join, scratchFolder } from '../helpers.js';

/** A clock a minute ahead: every file looks long settled when it is hashed, so its stamp is trusted next time. */
const later = () => Date.now() + 60_000;

function analysed(path: string, dependencies: readonly string[]): FileOutcome {
  return {
    kind: 'analyzed',
    path,
    hash: hashBytes(readFileSync(path)),
    findings: [],
    failures: [],
    dependencies: dependencies.map((dependency) => ({ path: dependency, hash: hashBytes(readFileSync(dependency)) })),
  };
}

function project(): { folder: string; page: string; helper: string } {
  const folder = scratchFolder('cache');
  const page = join(folder, 'page.js');
  const helper = join(folder, 'helper.js');
  writeFileSync(page, "import { load } from './helper.js';\nexport async function show() { return load(); }\n");
  writeFileSync(helper, 'export async function load() { return 1; }\n');
  // A whole second, so that putting it back later restores it exactly.
  utimesSync(helper, 1_600_000_000, 1_600_000_000);
  return { folder, page, helper };
}

describe('the result cache', () => {
  it('reuses an entry while the file and its imports are unchanged, and writes nothing then', () => {
    const { folder, page, helper } = project();
    const first = ResultCache.open(folder, 'config', { now: later });
    expect(first.get(page)).toBeUndefined();
    first.set(analysed(page, [helper]));
    first.save();
    const file = join(folder, 'results.json');
    const written = statSync(file).mtimeMs;

    const second = ResultCache.open(folder, 'config', { now: later });
    expect(second.get(page)).toMatchObject({ kind: 'analyzed', path: page });
    second.save();
    expect(statSync(file).mtimeMs).toBe(written);
    // Another configuration is another cache.
    expect(ResultCache.open(folder, 'other config', { now: later }).get(page)).toBeUndefined();
  });

  it('notices a same-size edit of an imported file whose modification time was put back', () => {
    const { folder, page, helper } = project();
    const first = ResultCache.open(folder, 'config', { now: later });
    first.get(page);
    first.set(analysed(page, [helper]));
    first.save();
    const second = ResultCache.open(folder, 'config', { now: later });
    expect(second.get(page)).toBeDefined();
    second.save();

    // The same number of bytes, the old modification time restored (as tar or rsync would): only the status-change
    // time and the content say the file changed.
    const before = statSync(helper);
    writeFileSync(helper, 'export async function save() { return 2; }\n');
    utimesSync(helper, 1_600_000_000, 1_600_000_000);
    expect(statSync(helper).size).toBe(before.size);
    expect(statSync(helper).mtimeMs).toBe(before.mtimeMs);
    expect(ResultCache.open(folder, 'config', { now: later }).get(page)).toBeUndefined();
  });

  it('reads a file changed just before it was hashed again, rather than trust its stamp', () => {
    const { folder, page } = project();
    // The real clock: the page was written a moment ago, inside the window where a coarse clock could not tell
    // two edits apart.
    const first = ResultCache.open(folder, 'config');
    first.get(page);
    first.set(analysed(page, []));
    first.save();
    const stored = JSON.parse(readFileSync(join(folder, 'results.json'), 'utf8')) as { hashes: Record<string, { hash: string }> };
    // Plant a wrong hash under the page's real stamp: a run that trusted the stamp would now miss the entry.
    stored.hashes[page]!.hash = 'not the content';
    writeFileSync(join(folder, 'results.json'), JSON.stringify(stored));
    expect(ResultCache.open(folder, 'config').get(page)).toMatchObject({ path: page });
    // With the clock a minute on, the same stamp is trusted, so the planted hash is what the cache believes.
    writeFileSync(join(folder, 'results.json'), JSON.stringify({ ...stored, hashes: { [page]: { ...stored.hashes[page], hashedAt: later() } } }));
    expect(ResultCache.open(folder, 'config').get(page)).toBeUndefined();
  });
});
