import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { committedInputs, deeplyNested, generatedInputs, writeInputs, type HostileInput } from '../../../fixtures/hostile/hostile-inputs.js';

/**
 * The real ESLint with the built plugin over hostile and unusual files: ESLint never throws (a rule that throws
 * would abort the whole lint run), a file that does not parse gets ESLint's one fatal message, and the others get
 * the expected findings (BOM, CRLF, JSX/TSX, decorators, `using`, top-level await, `with` in a script...).
 */
interface Linted {
  filePath: string;
  messages: Array<{ ruleId: string | null; messageId?: string; message: string; line: number; column: number; fatal: boolean }>;
}

const runner = fileURLToPath(new URL('./support/lint-hostile.mjs', import.meta.url));

describe('ESLint with the plugin on hostile input', () => {
  // Nesting ESLint's parser and scope analysis accept (ESLint itself overflows on 2,000 nested blocks) but deep
  // enough to exhaust the stack of a recursive analysis of ours.
  const midDepth: HostileInput[] = [{ name: 'mid-deep-binary.js', content: deeplyNested(2_000)['deep-binary.js']! }];
  const inputs = [...committedInputs(), ...generatedInputs(), ...midDepth];
  let results = new Map<string, Linted['messages']>();

  beforeAll(() => {
    const dir = mkdtempSync(join(tmpdir(), 'overlap-eslint-hostile-'));
    writeInputs(dir, inputs);
    const output = execFileSync(process.execPath, [runner, dir], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 150_000 });
    results = new Map((JSON.parse(output) as Linted[]).map((r) => [basename(r.filePath), r.messages]));
  }, 180_000);

  for (const input of inputs) {
    it(input.name, () => {
      const messages = results.get(input.name);
      expect(messages, 'not linted').toBeDefined();
      const fatal = messages!.filter((m) => m.fatal);
      for (const m of fatal) expect(m.message).not.toMatch(/\n/u);
      if (!input.expect) return;
      if ('parseError' in input.expect) {
        expect(fatal).toHaveLength(1);
        return;
      }
      expect(fatal).toEqual([]);
      const findings = messages!
        .filter((m) => m.ruleId?.startsWith('overlap/'))
        .map((m) => ({ ruleId: m.ruleId!.slice('overlap/'.length), messageId: m.messageId, line: m.line, column: m.column }));
      expect(findings).toEqual(input.expect.findings.map(({ ruleId, messageId, line, column }) => ({ ruleId, messageId, line, column })));
    });
  }

  it('reports a rule that runs out of stack on a file as one message on that file, and lints the rest', () => {
    const tooDeep = [...results.values()].flat().filter((m) => m.messageId === 'codeTooDeep');
    expect(tooDeep.length).toBeGreaterThan(0);
    for (const m of tooDeep) expect(m.message).toBe('Overlap skipped this rule on this file: code nested too deeply to analyse (ran out of stack).');
    expect(results.size).toBe(inputs.length);
  });
});
