import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { noCheckThenActAcrossAwait } from '../../src/checks/no-check-then-act-across-await.js';
import { noStaleWriteAcrossAwait } from '../../src/checks/no-stale-write-across-await.js';
import { runChecks } from '../../src/engine/run-checks.js';
import { parseFile } from '../../src/parse/parse-file.js';

/**
 * The CLI path (typescript-estree + scope-manager, `parseFile`) over the race rules' fixture programs: the findings
 * of these two rules must be exactly those written beside each fixture. The ESLint path is held to the same files
 * by the plugin's conformance test.
 */
const fixturesRoot = fileURLToPath(new URL('../../../../fixtures/rules/', import.meta.url));
const checks = [noStaleWriteAcrossAwait, noCheckThenActAcrossAwait];
const ids = new Set<string>(checks.map((c) => c.meta.id));

interface Expected {
  ruleId: string;
  messageId: string;
  line: number;
  column: number;
  confidence: string;
}

const cases = [...ids].flatMap((id) =>
  (['valid', 'invalid'] as const).flatMap((kind) => {
    const dir = join(fixturesRoot, id, kind);
    return readdirSync(dir)
      .filter((name) => /\.(?:[cm]?[jt]s)$/u.test(name))
      .map((name) => ({ id, kind, name, file: join(dir, name) }));
  }),
);

describe('race rule fixtures through parseFile', () => {
  it.each(cases)('$id/$kind/$name', ({ file, kind }) => {
    const parsed = parseFile(file, readFileSync(file, 'utf8'));
    if (!parsed.ok) throw new Error(parsed.error.message);
    const { findings, failures } = runChecks(parsed.file, checks.map((check) => ({ check })));
    expect(failures).toEqual([]);
    const expected = (JSON.parse(readFileSync(file.replace(/\.[^.]+$/u, '.expected.json'), 'utf8')) as Expected[]).filter((e) => ids.has(e.ruleId));
    const actual = findings.map((f) => ({
      ruleId: f.ruleId,
      messageId: f.messageId,
      line: f.span.start.line,
      column: f.span.start.column + 1,
      confidence: f.confidence,
    }));
    expect(actual).toEqual(expected);
    if (kind === 'invalid') expect(actual.length).toBeGreaterThan(0);
    for (const finding of findings) {
      expect(finding.related.map((r) => r.role)).toEqual(finding.ruleId === 'no-stale-write-across-await' ? ['read', 'await', 'write'] : ['check', 'await', 'write']);
      expect(finding.message).toMatch(/line \d+/u);
    }
  });
});
