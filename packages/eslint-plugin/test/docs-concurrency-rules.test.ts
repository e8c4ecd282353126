import { readFileSync } from 'node:fs';
import { Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import { preferConcurrentAwaits, preferConcurrentIteration } from '@overlap/core';
import plugin from '../src/index.js';

/**
 * The docs page of each concurrency rule agrees with its meta (title, description, recommended severity, type,
 * options), and its examples are honest: every failing block is reported, no passing block is.
 */
const checks = [preferConcurrentAwaits, preferConcurrentIteration];

interface Block {
  readonly section: 'Failing' | 'Passing';
  readonly language: string;
  readonly code: string;
}

function exampleBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  let section: Block['section'] | undefined;
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith('#')) section = line === '### Failing' ? 'Failing' : line === '### Passing' ? 'Passing' : undefined;
    const fence = /^```(\w+)/u.exec(line);
    if (!fence) continue;
    const end = lines.indexOf('```', i + 1);
    if (section) blocks.push({ section, language: fence[1]!, code: lines.slice(i + 1, end).join('\n') });
    i = end;
  }
  return blocks;
}

function lint(ruleId: string, block: Block) {
  const linter = new Linter({ configType: 'flat' });
  const isTs = block.language === 'ts';
  return linter.verify(
    block.code,
    [
      {
        files: ['**/*.ts', '**/*.js'],
        ...(isTs ? { languageOptions: { parser: tseslint.parser as Linter.Parser } } : {}),
        plugins: { overlap: plugin as never },
        rules: { [`overlap/${ruleId}`]: 'warn' },
      },
    ],
    isTs ? 'example.ts' : 'example.js',
  );
}

describe('docs of the concurrency rules', () => {
  for (const check of checks) {
    const { meta } = check;
    const markdown = readFileSync(new URL(`../../../docs/rules/${meta.id}.md`, import.meta.url), 'utf8');

    it(`${meta.id}: header agrees with meta`, () => {
      const [title, , quote] = markdown.split('\n');
      expect(title).toBe(`# overlap/${meta.id}`);
      expect(quote).toBe(`> ${meta.description}`);
      const row = markdown.split('\n').find((line) => line.startsWith('| `'))!;
      const cells = row.split('|').map((cell) => cell.trim()).filter(Boolean);
      expect(cells[0]).toBe(meta.recommended ? `\`${meta.recommended}\`` : 'no');
      expect(cells[1]).toBe(meta.type);
      expect(cells[2]).toBe(meta.hasSuggestions ? 'yes' : 'no');
      const options = Object.keys(((meta.schema[0] as { properties?: Record<string, unknown> } | undefined)?.properties ?? {}));
      expect(cells[3]).toBe(options.length ? options.map((o) => `\`${o}\``).join(', ') : 'none');
      for (const option of options) expect(markdown).toContain(`\`${option}\``);
    });

    const blocks = exampleBlocks(markdown);
    it(`${meta.id}: has failing and passing examples`, () => {
      expect(blocks.some((b) => b.section === 'Failing')).toBe(true);
      expect(blocks.some((b) => b.section === 'Passing')).toBe(true);
    });
    blocks.forEach((block, index) => {
      it(`${meta.id}: ${block.section.toLowerCase()} example ${index + 1} ${block.section === 'Failing' ? 'is' : 'is not'} reported`, () => {
        const messages = lint(meta.id, block);
        expect(messages.filter((m) => m.fatal)).toEqual([]);
        const reported = messages.some((m) => m.ruleId === `overlap/${meta.id}`);
        expect(reported).toBe(block.section === 'Failing');
      });
    });
  }
});
