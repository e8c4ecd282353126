import { relative } from 'node:path';
import { allChecks } from '@overlap/core';
import { describe, expect, it } from 'vitest';
import { comparable, expectationsOf, fixturesRoot, listRuleFixtures, type ExpectedFinding } from '../../../../fixtures/expectations.js';
import { repoRoot, runCli } from '../helpers.js';

interface JsonFinding extends ExpectedFinding {
  readonly file: string;
}

/**
 * The ESLint path and the CLI path give the same findings: one run of the real CLI over fixtures/rules (imports not
 * followed, as inside ESLint), compared file by file with the expectations the ESLint conformance test also uses.
 */
describe('the CLI agrees with the expectations of every rule fixture', () => {
  const fixtures = listRuleFixtures();
  const registered = allChecks.map((check) => check.meta.id);

  it('one run over fixtures/rules', () => {
    if (fixtures.length === 0) return;
    const run = runCli(['check', 'fixtures/rules', '--no-cross-file', '--format', 'json', '--fail-on', 'none', '--threads', '0']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const byFile = new Map<string, ExpectedFinding[]>();
    for (const finding of (JSON.parse(run.stdout) as { findings: JsonFinding[] }).findings) {
      const { file, ...rest } = finding;
      byFile.set(file, [...(byFile.get(file) ?? []), rest]);
    }
    const mismatches: string[] = [];
    for (const fixture of fixtures) {
      const file = relative(repoRoot, fixture.file).split('\\').join('/');
      const actual = comparable(byFile.get(file) ?? [], registered);
      const expected = comparable(expectationsOf(fixture), registered);
      if (JSON.stringify(actual) !== JSON.stringify(expected)) {
        mismatches.push(`${relative(fixturesRoot, fixture.file)}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
      }
    }
    expect(mismatches).toEqual([]);
  });
});
