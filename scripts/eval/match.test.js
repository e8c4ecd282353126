import { describe, expect, it } from 'vitest';
import { matchingFindings, spansOf, summarise, validateCase } from './match.js';

const base = {
  id: 'pkg-case', kind: 'sequential', rule: 'prefer-concurrent-awaits', package: 'pkg', version: '1.2.3',
  file: 'lib/a.js', lines: [10, 12], evidence: { repo: 'o/r', commit: 'abcdef1', summary: 'made it concurrent' },
};

describe('matchingFindings', () => {
  it('counts a finding of the case rule that overlaps the span', () => {
    expect(matchingFindings(base, [{ ruleId: 'prefer-concurrent-awaits', line: 12, endLine: 12 }])).toHaveLength(1);
  });
  it('ignores another rule and a finding outside the span', () => {
    expect(matchingFindings(base, [
      { ruleId: 'no-unbounded-concurrency', line: 11 },
      { ruleId: 'prefer-concurrent-awaits', line: 13, endLine: 14 },
    ])).toHaveLength(0);
  });
  it('counts a finding whose suggestion edits or extra spans reach the span', () => {
    const edit = { start: { line: 9, column: 1 }, end: { line: 10, column: 4 } };
    expect(matchingFindings(base, [{ ruleId: 'prefer-concurrent-awaits', line: 20, suggestion: { edits: [edit] } }])).toHaveLength(1);
    expect(matchingFindings(base, [{ ruleId: 'prefer-concurrent-awaits', line: 20, extraSpans: [[12, 15]] }])).toHaveLength(1);
  });
  it('takes either race rule for a race case', () => {
    const race = { ...base, kind: 'race', rule: 'no-stale-write-across-await' };
    expect(matchingFindings(race, [{ ruleId: 'no-check-then-act-across-await', line: 10 }])).toHaveLength(1);
  });
});

describe('spansOf', () => {
  it('reads related locations in the core shape', () => {
    const finding = { line: 3, related: [{ role: 'await', span: { start: { line: 1, column: 0 }, end: { line: 2, column: 0 } } }] };
    expect(spansOf(finding)).toEqual([[3, 3], [1, 2]]);
  });
});

describe('validateCase', () => {
  it('accepts a well-formed case and rejects a broken one', () => {
    expect(validateCase(base, 'pkg-case.json')).toEqual([]);
    const problems = validateCase({ ...base, kind: 'slow', lines: [5, 2], extra: 1 }, 'other.json');
    expect(problems.join('\n')).toMatch(/kind/u);
    expect(problems.join('\n')).toMatch(/lines/u);
    expect(problems.join('\n')).toMatch(/unknown field extra/u);
    expect(problems.join('\n')).toMatch(/file name/u);
  });
});

describe('summarise', () => {
  it('gives recall over positive kinds and the false-positive rate on must-stay cases', () => {
    const s = summarise([
      { kind: 'sequential', plugin: true, cli: true },
      { kind: 'race', plugin: false, cli: null },
      { kind: 'must-stay-sequential', plugin: true, cli: false },
      { kind: 'must-stay-sequential', plugin: false, cli: false },
    ]);
    expect(s.overall.plugin).toEqual({ found: 1, cases: 2, recall: 0.5 });
    expect(s.overall.cli.found).toBe(1);
    expect(s.falsePositives.plugin).toEqual({ flagged: 1, cases: 2, rate: 0.5 });
    expect(s.falsePositives.cli.flagged).toBe(0);
    expect(s.failures.cli).toBe(1);
  });
});

describe('sampleStratified', async () => {
  const { sampleStratified } = await import('./sample.js');
  const items = [...Array.from({ length: 50 }, (_, i) => ({ id: i, rule: 'a' })), { id: 50, rule: 'b' }, { id: 51, rule: 'c' }];
  it('keeps every stratum, draws without replacement and repeats with the same seed', () => {
    const one = sampleStratified(items, 10, 7, (x) => x.rule);
    expect(one).toHaveLength(10);
    expect(new Set(one.map((x) => x.id)).size).toBe(10);
    expect(one.map((x) => x.rule)).toEqual(expect.arrayContaining(['a', 'b', 'c']));
    expect(sampleStratified(items, 10, 7, (x) => x.rule)).toEqual(one);
    expect(sampleStratified(items, 10, 8, (x) => x.rule)).not.toEqual(one);
  });
});

describe('summarise with a tool that applies to some cases only', () => {
  it('leaves out the cases where the tool does not apply', async () => {
    const { summarise: sum, coreRuleFor } = await import('./match.js');
    expect(coreRuleFor({ kind: 'sequential' })).toBeUndefined();
    expect(coreRuleFor({ kind: 'race' })).toBe('require-atomic-updates');
    const s = sum([
      { kind: 'sequential', plugin: false, cli: false, core: undefined },
      { kind: 'sequential-loop', plugin: false, cli: false, core: true },
    ], ['plugin', 'cli', 'core']);
    expect(s.overall.core).toEqual({ found: 1, cases: 1, recall: 1 });
    expect(s.overall.plugin.cases).toBe(2);
  });
});
