import { describe, expect, it } from 'vitest';
import { allChecks } from '../../src/checks/index.js';
import { runChecks } from '../../src/engine/run-checks.js';
import { parseFile } from '../../src/parse/parse-file.js';
import { committedInputs, deeplyNested, generatedInputs, type HostileInput } from '../../../../fixtures/hostile/hostile-inputs.js';

/**
 * The engine (the CLI's parse + runChecks) on hostile and unusual input: never a throw, never an internal error
 * from a check; a file that cannot be analysed comes back as one short line; the rest gives the expected findings.
 */
const enabled = allChecks.map((check) => ({ check }));

function analyse(input: HostileInput) {
  // The CLI reads bytes as UTF-8 and removes a byte-order mark before parsing; so does ESLint.
  const text = (typeof input.content === 'string' ? input.content : input.content.toString('utf8')).replace(/^\uFEFF/u, '');
  const parsed = parseFile(input.name, text);
  if (!parsed.ok) return { parseError: parsed.error };
  const { findings, failures } = runChecks(parsed.file, enabled);
  return {
    failures,
    findings: findings.map((f) => ({ ruleId: f.ruleId, messageId: f.messageId, line: f.span.start.line, column: f.span.start.column + 1, confidence: f.confidence })),
  };
}

function expectOneLine(message: string) {
  expect(message).not.toMatch(/\n/u);
  expect(message.length).toBeLessThan(200);
  expect(message).not.toMatch(/\bat \S+ \(/u);
}

describe('hostile input through parseFile + runChecks', () => {
  const inputs = [...committedInputs(), ...generatedInputs({ largeBytes: 5 * 1024 * 1024 })];

  const results = new Map<string, ReturnType<typeof analyse>>();
  const resultOf = (input: HostileInput) => {
    if (!results.has(input.name)) results.set(input.name, analyse(input));
    return results.get(input.name)!;
  };

  for (const input of inputs) {
    it(input.name, () => {
      const result = resultOf(input);
      if (result.parseError) {
        expectOneLine(result.parseError.message);
        expect(result.parseError.line).toBeGreaterThanOrEqual(1);
      } else {
        expect(result.failures).toEqual([]);
      }
      if (!input.expect) return;
      if ('parseError' in input.expect) expect(result.parseError, 'expected a one-line parse error').toBeDefined();
      else expect(result.findings).toEqual(input.expect.findings);
      // The 5 MB file takes seconds of CPU; on a loaded machine the wall time is several times that.
    }, 240_000);
  }

  it('finds the sequential awaits in every function of the 5 MB file', () => {
    const large = inputs.find((input) => input.name === 'large.js')!;
    expect(Buffer.byteLength(large.content)).toBeGreaterThanOrEqual(5 * 1024 * 1024);
    const result = resultOf(large);
    const functions = (large.content as string).match(/^export async function /gmu)!.length;
    expect(result.findings).toHaveLength(functions);
  }, 240_000);

  it('reports code nested deeper than the parser can go as one clear line', () => {
    const result = analyse({ name: 'deep.js', content: deeplyNested(10_000)['deep-calls.js']! });
    expect(result.parseError?.message).toBe('code nested too deeply to analyse (the parser ran out of stack); file skipped');
  });

  it('analyses nesting the parser accepts without a check running out of stack', () => {
    for (const [name, content] of Object.entries(deeplyNested(300))) {
      const result = analyse({ name, content });
      expect(result.parseError, name).toBeUndefined();
      expect(result.failures, name).toEqual([]);
    }
  });

  it('reports a check that runs out of stack as a skipped rule in one line, and runs the other checks', () => {
    const parsed = parseFile('ok.js', 'export async function load(api) {\n  const user = await api.getUser(1);\n  const stats = await api.getStats(1);\n  return { user, stats };\n}\n');
    if (!parsed.ok) throw new Error(parsed.error.message);
    const recurse = (n: number): number => recurse(n + 1) + 1;
    const deepCheck = { ...allChecks[0]!, meta: { ...allChecks[0]!.meta }, run: () => [recurse(0)] as never[] };
    const { failures, findings } = runChecks(parsed.file, [{ check: deepCheck }, ...enabled]);
    expect(failures).toEqual([{ ruleId: allChecks[0]!.meta.id, message: 'code nested too deeply to analyse (ran out of stack); rule skipped for this file' }]);
    expect(findings.length).toBeGreaterThan(0);
  });
});
