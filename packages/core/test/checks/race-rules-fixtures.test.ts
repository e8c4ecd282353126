import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
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

const scenariosRoot = fileURLToPath(new URL('../../../../fixtures/scenarios/', import.meta.url));

/** Every source file of every scenario, with the scenario's expectations for that file. */
function scenarioFiles(): { scenario: string; rel: string; file: string; expected: Expected[] }[] {
  if (!existsSync(scenariosRoot)) return [];
  const out: { scenario: string; rel: string; file: string; expected: Expected[] }[] = [];
  for (const scenario of readdirSync(scenariosRoot).sort()) {
    const dir = join(scenariosRoot, scenario);
    const expectedFile = join(dir, 'expected.json');
    if (!existsSync(expectedFile)) continue;
    const all = JSON.parse(readFileSync(expectedFile, 'utf8')) as (Expected & { file: string })[];
    const walk = (sub: string): void => {
      for (const name of readdirSync(join(dir, sub)).sort()) {
        const rel = sub ? `${sub}/${name}` : name;
        if (statSync(join(dir, rel)).isDirectory()) walk(rel);
        else if (/\.(?:[cm]?[jt]s)$/u.test(name) && !name.endsWith('.d.ts')) {
          out.push({ scenario, rel, file: join(dir, rel), expected: all.filter((e) => e.file === rel).map(({ file: _file, ...rest }) => rest) });
        }
      }
    };
    walk('');
  }
  return out;
}

function raceFindings(file: string): Expected[] {
  const parsed = parseFile(file, readFileSync(file, 'utf8'));
  if (!parsed.ok) throw new Error(parsed.error.message);
  const { findings, failures } = runChecks(parsed.file, checks.map((check) => ({ check })));
  expect(failures).toEqual([]);
  return findings.map((f) => ({ ruleId: f.ruleId, messageId: f.messageId, line: f.span.start.line, column: f.span.start.column + 1, confidence: f.confidence }));
}

describe('race rules on scenarios through parseFile', () => {
  it.each(scenarioFiles())('$scenario/$rel', ({ file, expected }) => {
    expect(raceFindings(file)).toEqual(expected.filter((e) => ids.has(e.ruleId)));
  });
});

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
      // Related locations in the order things happen: a per-call value is written, then waited on, then read; a
      // skipped wait's claim comes before its await.
      const order: Record<string, string[]> = { perCallState: ['write', 'await', 'read'], claimSkipsWait: ['check', 'write', 'await'], claimSkipsWaitInCall: ['check', 'write', 'await'] };
      expect(finding.related.map((r) => r.role)).toEqual(order[finding.messageId] ?? (finding.ruleId === 'no-stale-write-across-await' ? ['read', 'await', 'write'] : ['check', 'await', 'write']));
      expect(finding.message).toMatch(/line \d+/u);
    }
  });
});
