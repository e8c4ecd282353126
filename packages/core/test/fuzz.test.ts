import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { allChecks } from '../src/checks/index.js';
import { runChecks } from '../src/engine/run-checks.js';
import { parseFile } from '../src/parse/parse-file.js';
import { prng } from '../../../fixtures/hostile/hostile-inputs.js';

/**
 * Mutation fuzzing: the fixtures' source with tokens deleted, duplicated or swapped. A mutant may fail to parse
 * (that is a one-line parse error); once it parses, no check may throw. The PRNG is seeded, so a failure names
 * a mutant that reproduces: the seed, the fixture and the mutation are in the test's message.
 */
const fixturesRoot = fileURLToPath(new URL('../../../fixtures/', import.meta.url));
const seed = 20_261_121;
const mutantCount = 600;
const enabled = allChecks.map((check) => ({ check }));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (entry === 'node_modules') return [];
    if (statSync(path).isDirectory()) return sources(path);
    return /^\.[cm]?[jt]sx?$/u.test(extname(entry)) && !entry.endsWith('.d.ts') && entry !== 'hostile-inputs.ts' && entry !== 'expectations.ts' ? [path] : [];
  });
}

/** Tokens with their offsets: words, numbers, strings, punctuation (a coarse lexer is enough to break code realistically). */
function tokens(text: string): Array<{ start: number; end: number }> {
  const out: Array<{ start: number; end: number }> = [];
  const pattern = /[A-Za-z_$#][\w$]*|\d+(?:\.\d+)?|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`|=>|\.\.\.|[?][?.]|[=!]==?|&&|\|\||[{}()[\];,.<>+\-*/%=!?:&|^~@]/gu;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) out.push({ start: match.index, end: match.index + match[0].length });
  return out;
}

function mutate(text: string, random: () => number): { text: string; description: string } {
  const list = tokens(text);
  if (list.length === 0) return { text, description: 'no tokens' };
  const pick = () => list[Math.floor(random() * list.length)]!;
  const edits = random() < 0.7 ? 1 : 2;
  let result = text;
  const done: string[] = [];
  // Apply from the end so earlier offsets stay valid.
  const chosen = Array.from({ length: edits }, pick).sort((a, b) => b.start - a.start);
  for (const token of chosen) {
    const word = text.slice(token.start, token.end);
    const kind = random();
    if (kind < 0.45) {
      result = result.slice(0, token.start) + result.slice(token.end);
      done.push(`delete "${word}"@${token.start}`);
    } else if (kind < 0.9) {
      result = result.slice(0, token.end) + ` ${word}` + result.slice(token.end);
      done.push(`duplicate "${word}"@${token.start}`);
    } else {
      const other = pick();
      const otherWord = text.slice(other.start, other.end);
      result = result.slice(0, token.start) + otherWord + result.slice(token.end);
      done.push(`replace "${word}"@${token.start} with "${otherWord}"`);
    }
  }
  return { text: result, description: done.join(', ') };
}

describe('fuzz: mutated fixtures never make a check throw', () => {
  const files = sources(fixturesRoot).sort();

  it('has fixtures to mutate', () => {
    expect(files.length).toBeGreaterThan(30);
  });

  it(`${mutantCount} mutants (seed ${seed})`, () => {
    const random = prng(seed);
    const texts = files.map((file) => readFileSync(file, 'utf8'));
    const problems: string[] = [];
    let parsed = 0;
    for (let i = 0; i < mutantCount; i++) {
      const index = Math.floor(random() * files.length);
      const file = files[index]!;
      const mutant = mutate(texts[index]!, random);
      const where = `mutant ${i} of ${relative(fixturesRoot, file)} (${mutant.description})`;
      try {
        const result = parseFile(file, mutant.text);
        if (!result.ok) {
          if (/\n/u.test(result.error.message)) problems.push(`${where}: multi-line parse error`);
          continue;
        }
        parsed++;
        const { failures } = runChecks(result.file, enabled);
        for (const failure of failures) problems.push(`${where}: ${failure.ruleId} threw: ${failure.message}`);
      } catch (error) {
        problems.push(`${where}: threw ${(error as Error).message}`);
      }
    }
    expect(problems).toEqual([]);
    // Enough mutants must still parse for the checks to be exercised, not only the parser.
    expect(parsed).toBeGreaterThan(mutantCount / 8);
  }, 120_000);
});
