import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import { allChecks, docsUrl, pluginPrefix, ruleIds } from '@overlap/core';
import plugin from '../src/index.js';

/**
 * The plugin, its docs and the README agree with the engine's rule meta (as eslint-plugin-unicorn checks its own):
 * every rule has its adapter, its RuleTester suite and its docs page; each page's header states the meta; each
 * failing example is reported and no passing example is; the README's rule table lists every rule as its meta says.
 */
const repoFile = (path: string) => fileURLToPath(new URL(`../../../${path}`, import.meta.url));

function examples(markdown: string, heading: 'Failing' | 'Passing'): { language: string; code: string }[] {
  const section = markdown.split(`### ${heading}`)[1]?.split(/\n##+ /u)[0] ?? '';
  return [...section.matchAll(/```(ts|js)\n([\s\S]*?)```/gu)].map((match) => ({ language: match[1]!, code: match[2]! }));
}

function lint(id: string, language: string, code: string): Linter.LintMessage[] {
  const linter = new Linter({ configType: 'flat' });
  const languageOptions =
    language === 'ts'
      ? { parser: tseslint.parser as Linter.Parser }
      : { sourceType: 'module' as const, ecmaVersion: 'latest' as const };
  return linter.verify(
    code,
    [{ files: ['**/*.ts', '**/*.js'], languageOptions, plugins: { [pluginPrefix]: plugin as never }, rules: { [`${pluginPrefix}/${id}`]: 'error' } }],
    { filename: `example.${language}` },
  );
}

function optionNames(schema: readonly unknown[]): string[] {
  return Object.keys((schema[0] as { properties?: Record<string, unknown> } | undefined)?.properties ?? {});
}

describe('the plugin', () => {
  it('has exactly one rule per engine check, under the documented ids', () => {
    expect(Object.keys(plugin.rules).sort()).toEqual([...ruleIds].sort());
    expect(allChecks.map((check) => check.meta.id)).toEqual([...ruleIds]);
  });

  it('recommends the rules their meta recommends, at that severity', () => {
    const expected = Object.fromEntries(
      allChecks.filter((check) => check.meta.recommended).map((check) => [`${pluginPrefix}/${check.meta.id}`, check.meta.recommended]),
    );
    expect(plugin.configs.recommended.rules).toEqual(expected);
  });

  it('lists every rule in the README table as its meta says', () => {
    const readme = readFileSync(repoFile('README.md'), 'utf8');
    for (const { meta } of allChecks) {
      const row = `| [\`${pluginPrefix}/${meta.id}\`](docs/rules/${meta.id}.md) | ${meta.description} | ${meta.recommended ? `\`${meta.recommended}\`` : 'no'} | ${meta.hasSuggestions ? 'yes' : 'no'} |`;
      expect(readme).toContain(row);
    }
  });
});

describe.each(allChecks.map((check) => ({ id: check.meta.id, meta: check.meta })))('rule $id', ({ id, meta }) => {
  const markdown = readFileSync(repoFile(`docs/rules/${id}.md`), 'utf8');

  it('has its adapter, its RuleTester suite and its docs url', () => {
    expect(existsSync(fileURLToPath(new URL(`../src/rules/${id}.ts`, import.meta.url)))).toBe(true);
    expect(existsSync(fileURLToPath(new URL(`./rules/${id}.test.ts`, import.meta.url)))).toBe(true);
    expect(plugin.rules[id]?.meta.docs?.url).toBe(docsUrl(id));
  });

  it('has a docs page whose header agrees with the meta', () => {
    expect(markdown.split('\n')[0]).toBe(`# ${pluginPrefix}/${id}`);
    expect(markdown).toContain(`\n> ${meta.description}\n`);
    const options = optionNames(meta.schema);
    const optionCell = options.length > 0 ? options.map((option) => `\`${option}\``).join(', ') : 'none';
    expect(markdown).toContain(
      `| ${meta.recommended ? `\`${meta.recommended}\`` : 'no'} | ${meta.type} | ${meta.hasSuggestions ? 'yes' : 'no'} | ${optionCell} |`,
    );
    for (const section of ['## What it reports', '## Why', '## Examples', '## Options', '## When not to use it', '## Limits']) {
      expect(markdown).toContain(section);
    }
    const optionsSection = markdown.split('## Options')[1]?.split(/\n## /u)[0] ?? '';
    if (options.length === 0) expect(optionsSection).toContain('This rule has no options.');
    for (const option of options) expect(optionsSection).toContain(`\`${option}\``);
  });

  it('has failing examples that the rule reports', () => {
    const failing = examples(markdown, 'Failing');
    expect(failing.length).toBeGreaterThan(0);
    for (const example of failing) {
      const messages = lint(id, example.language, example.code);
      expect(messages.filter((message) => !message.ruleId)).toEqual([]);
      expect(messages.filter((message) => message.ruleId === `${pluginPrefix}/${id}`).length).toBeGreaterThan(0);
    }
  });

  it('has passing examples that the rule accepts', () => {
    const passing = examples(markdown, 'Passing');
    expect(passing.length).toBeGreaterThan(0);
    for (const example of passing) expect(lint(id, example.language, example.code)).toEqual([]);
  });
});
