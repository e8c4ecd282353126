import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { applyEdits } from '@overlap/core';
import { compatibleEditSets } from '../../src/fix/apply-edits.js';
import { planFixes } from '../../src/fix/plan-fixes.js';
import { escapeData, escapeProperty } from '../../src/reporters/github.js';
import { inShard, parseShard } from '../../src/project/shard.js';
import { validateConfig } from '../../src/config/validate-config.js';
import { commands } from '../../src/commands/index.js';
import { commandMarkdown, updateGeneratedBlocks } from '../../src/help/markdown.js';
import { join, repoRoot } from '../helpers.js';
import type { FileFinding } from '../../src/analysis/outcome.js';

describe('edits', () => {
  it('applies edits back to front and skips sets that overlap an earlier one', () => {
    expect(applyEdits('abcdef', [{ range: [0, 1], text: 'A' }, { range: [4, 6], text: 'EF!' }])).toBe('AbcdEF!');
    const sets = [{ edits: [{ range: [0, 3] as const, text: 'x' }] }, { edits: [{ range: [2, 4] as const, text: 'y' }] }, { edits: [{ range: [4, 5] as const, text: 'z' }] }];
    expect(compatibleEditSets(sets)).toEqual([sets[0], sets[2]]);
  });

  it('--fix takes only high-confidence rewrites and keeps a byte-order mark', () => {
    const finding = (confidence: 'high' | 'medium', range: [number, number], text: string): FileFinding => ({
      ruleId: 'no-blocking-in-async', messageId: 'm', message: 'm', confidence, line: 1, column: 1, endLine: 1, endColumn: 1, fingerprint: 'f',
      suggestion: { description: 'd', edits: [{ range, text, start: { line: 1, column: 1 }, end: { line: 1, column: 1 } }] },
    });
    expect(planFixes('\uFEFFabc', [finding('high', [0, 1], 'A'), finding('medium', [2, 3], 'C')])).toEqual({ text: '\uFEFFAbc', applied: 1 });
    expect(planFixes('abc', [finding('medium', [0, 1], 'A')])).toBeUndefined();
  });
});

describe('github annotations', () => {
  it('escapes what would end or split a workflow command', () => {
    expect(escapeData('50% done\r\nnext')).toBe('50%25 done%0D%0Anext');
    expect(escapeProperty('a:b,c%')).toBe('a%3Ab%2Cc%25');
  });
});

describe('shards', () => {
  it('put every file in exactly one shard, the same one on every run', () => {
    const files = Array.from({ length: 200 }, (_, index) => `packages/p${index % 7}/src/file-${index}.ts`);
    const shards = [1, 2, 3, 4].map((index) => ({ index, count: 4 }));
    for (const file of files) expect(shards.filter((shard) => inShard(file, shard))).toHaveLength(1);
    const sizes = shards.map((shard) => files.filter((file) => inShard(file, shard)).length);
    expect(Math.min(...sizes)).toBeGreaterThan(25);
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    expect(() => parseShard('0/4')).toThrow(/expected i\/n/u);
  });
});

describe('config validation', () => {
  it('fills recommended severities and keeps options', () => {
    const config = validateConfig({ rules: { 'overlap/prefer-concurrent-awaits': ['error'] } }, 'x.json', '/');
    expect(config.rules['prefer-concurrent-awaits']).toEqual({ severity: 'error', options: undefined });
    expect(config.rules['no-blocking-in-async']?.severity).toBe('error');
    expect(() => validateConfig([], 'x.json', '/')).toThrow('x.json: expected an object');
  });
});

describe('docs/cli.md', () => {
  it('shows every command\'s current option table', async () => {
    const docs = readFileSync(join(repoRoot, 'docs', 'cli.md'), 'utf8');
    const blocks: Record<string, string> = {};
    for (const [name, entry] of Object.entries(commands)) blocks[name] = commandMarkdown((await entry.load()).default);
    expect(updateGeneratedBlocks(docs, blocks), 'docs/cli.md is out of date: run `npm run build && npm run docs` in packages/cli').toBe(docs);
  });
});
