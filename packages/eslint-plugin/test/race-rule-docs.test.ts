import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import { noCheckThenActAcrossAwait, noStaleWriteAcrossAwait, pluginPrefix } from '@overlap/core';
import plugin from '../src/index.js';

/**
 * The race rules' pages agree with their meta (title, description, recommended severity, options) and their examples
 * do what the page says: every failing example is reported by the rule, every passing example is not.
 */
const checks = [noStaleWriteAcrossAwait, noCheckThenActAcrossAwait];

function page(id: string): string {
  return readFileSync(fileURLToPath(new URL(`../../../docs/rules/${id}.md`, import.meta.url)), 'utf8');
}

function examples(markdown: string, heading: 'Failing' | 'Passing'): { language: string; code: string }[] {
  const section = markdown.split(`### ${heading}`)[1]?.split(/\n##+ /u)[0] ?? '';
  return [...section.matchAll(/```(ts|js)\n([\s\S]*?)```/gu)].map((match) => ({ language: match[1]!, code: match[2]! }));
}

function lint(id: string, language: string, code: string): Linter.LintMessage[] {
  const linter = new Linter({ configType: 'flat' });
  const languageOptions = language === 'ts' ? { parser: tseslint.parser as Linter.Parser } : { sourceType: 'module' as const, ecmaVersion: 'latest' as const };
  return linter.verify(
    code,
    [{ files: ['**/*.ts', '**/*.js'], languageOptions, plugins: { [pluginPrefix]: plugin as never }, rules: { [`${pluginPrefix}/${id}`]: 'error' } }],
    { filename: `example.${language}` },
  );
}

describe.each(checks.map((check) => ({ id: check.meta.id, meta: check.meta })))('docs/rules/$id.md', ({ id, meta }) => {
  const markdown = page(id);

  it('agrees with the rule meta', () => {
    expect(markdown.split('\n')[0]).toBe(`# ${pluginPrefix}/${id}`);
    expect(markdown).toContain(`\n> ${meta.description}\n`);
    expect(markdown).toContain(`| \`${meta.recommended}\` | ${meta.type} | ${meta.hasSuggestions ? 'yes' : 'no'} | none |`);
    expect(meta.schema).toEqual([]);
    expect(markdown).toContain('This rule has no options.');
    for (const section of ['## What it reports', '## Why', '## Examples', '## Options', '## When not to use it', '## Limits']) {
      expect(markdown).toContain(section);
    }
  });

  it('has failing examples that the rule reports', () => {
    const failing = examples(markdown, 'Failing');
    expect(failing.length).toBeGreaterThan(0);
    for (const example of failing) {
      const messages = lint(id, example.language, example.code);
      expect(messages.filter((m) => !m.ruleId)).toEqual([]);
      expect(messages.filter((m) => m.ruleId === `${pluginPrefix}/${id}`).length).toBeGreaterThan(0);
    }
  });

  it('has passing examples that the rule accepts', () => {
    const passing = examples(markdown, 'Passing');
    expect(passing.length).toBeGreaterThan(0);
    for (const example of passing) expect(lint(id, example.language, example.code)).toEqual([]);
  });
});
