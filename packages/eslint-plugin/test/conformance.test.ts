import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { allChecks, parseFile, pluginPrefix, runChecks } from '@overlap/core';
import { comparable, expectationsOf, fixturesRoot, listRuleFixtures, type ExpectedFinding } from '../../../fixtures/expectations.js';

/**
 * Every fixture under fixtures/rules, linted by the real ESLint (10, and 9 for compatibility) from a flat config
 * that loads the built plugin as a user would, must give exactly the findings written beside it (for the rules
 * registered so far). The engine's own parse (the CLI's path) must agree, confidence included.
 */
const registered = allChecks.map((check) => check.meta.id);
const fixtures = listRuleFixtures();
const runner = fileURLToPath(new URL('./support/lint-with-eslint.mjs', import.meta.url));

interface LintedMessage {
  ruleId: string | null;
  messageId?: string;
  message: string;
  line: number;
  column: number;
  fatal: boolean;
}

function lintWith(eslintPackage: string): Map<string, LintedMessage[]> {
  const output = execFileSync(process.execPath, [runner, eslintPackage, fixturesRoot], {
    input: JSON.stringify(fixtures.map((f) => f.file)),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const results = JSON.parse(output) as Array<{ filePath: string; messages: LintedMessage[] }>;
  return new Map(results.map((r) => [r.filePath, r.messages]));
}

function withoutConfidence(findings: readonly ExpectedFinding[]) {
  return findings.map(({ ruleId, messageId, line, column }) => ({ ruleId, messageId, line, column }));
}

function fromEslint(messages: readonly LintedMessage[]) {
  const fatal = messages.find((m) => m.fatal);
  if (fatal) throw new Error(`parse error at ${fatal.line}:${fatal.column}: ${fatal.message}`);
  return messages
    .filter((m) => m.ruleId?.startsWith(`${pluginPrefix}/`))
    .map((m) => ({ ruleId: m.ruleId!.slice(pluginPrefix.length + 1), messageId: m.messageId ?? '', line: m.line, column: m.column }))
    .sort((a, b) => a.line - b.line || a.column - b.column || a.ruleId.localeCompare(b.ruleId));
}

describe('fixtures conformance', () => {
  it('finds fixtures', () => {
    expect(fixtures.length).toBeGreaterThan(20);
  });

  for (const eslintPackage of ['eslint', 'eslint9']) {
    describe(`through ${eslintPackage} from a flat config`, () => {
      let linted = new Map<string, LintedMessage[]>();
      // One ESLint run over every fixture; each fixture is then its own test.
      beforeAll(() => {
        linted = lintWith(eslintPackage);
      }, 120_000);
      for (const fixture of fixtures) {
        it(`${fixture.ruleId}/${fixture.kind}/${fixture.name}`, () => {
          const expected = withoutConfidence(comparable(expectationsOf(fixture), registered));
          const messages = linted.get(fixture.file);
          expect(messages, 'ESLint did not lint the file').toBeDefined();
          expect(fromEslint(messages!)).toEqual(expected);
        });
      }
    });
  }

  describe('through the engine parse (the CLI path), with confidence', () => {
    for (const fixture of fixtures) {
      it(`${fixture.ruleId}/${fixture.kind}/${fixture.name}`, () => {
        const parsed = parseFile(fixture.file, readFileSync(fixture.file, 'utf8'));
        if (!parsed.ok) throw new Error(parsed.error.message);
        const { findings, failures } = runChecks(parsed.file, allChecks.map((check) => ({ check })));
        expect(failures).toEqual([]);
        const actual = findings.map((f) => ({
          ruleId: f.ruleId,
          messageId: f.messageId,
          line: f.span.start.line,
          column: f.span.start.column + 1,
          confidence: f.confidence,
        }));
        expect(comparable(actual, registered)).toEqual(comparable(expectationsOf(fixture), registered));
      });
    }
  });
});
