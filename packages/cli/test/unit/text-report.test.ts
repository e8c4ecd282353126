import { describe, expect, it } from 'vitest';
import text, { codeFrame } from '../../src/reporters/text.js';
import { rewriteHunks } from '../../src/report/rewrite-diff.js';
import { reportVersion, summarize, type Report, type ReportFinding } from '../../src/report/model.js';

const source = ['import a from "a";', 'export async function f() {', '  const x = await a();', '  return x;', '}', ''].join('\n');
const offset = (line: number, column: number) => source.split('\n').slice(0, line - 1).reduce((sum, text) => sum + text.length + 1, 0) + column - 1;

function finding(overrides: Partial<ReportFinding>): ReportFinding {
  return {
    ruleId: 'prefer-concurrent-awaits',
    severity: 'warn',
    confidence: 'high',
    file: 'src/f.ts',
    line: 3,
    column: 3,
    endLine: 3,
    endColumn: 23,
    message: 'Message.',
    messageId: 'm',
    fingerprint: 'f',
    ...overrides,
  };
}

function render(findings: ReportFinding[], text_ = source): string {
  const report: Report = {
    version: reportVersion,
    tool: { name: 'overlap', version: '0' },
    findings,
    errors: [],
    summary: summarize(findings, 1, { baselined: 0, unparsed: 0, durationMs: 0 }),
  };
  return text(report, { cwd: '/', color: false, readSource: () => text_ });
}

describe('rewrite hunks', () => {
  it('are labelled with the line the edit lands on, the same in check and audit (one helper)', () => {
    // An import inserted before line 2, and line 3 rewritten.
    const edits = [
      { range: [offset(2, 1), offset(2, 1)] as const, text: 'import b from "b";\n', start: { line: 2, column: 1 }, end: { line: 2, column: 1 } },
      { range: [offset(3, 13), offset(3, 22)] as const, text: 'b()', start: { line: 3, column: 13 }, end: { line: 3, column: 22 } },
    ];
    expect(rewriteHunks(source, edits).map((hunk) => hunk.line)).toEqual([2, 3]);
    const out = render([finding({ suggestion: { description: 'Do it.', edits } })]);
    expect(out).toContain('@@ line 2 @@\n      +import b from "b";\n      @@ line 3 @@');
  });
});

describe('code frames', () => {
  const long = Array.from({ length: 40 }, (_, index) => `  line${index + 1}();`).join('\n');

  it('show the first lines of a finding spanning many lines and a count of the rest', () => {
    const out = render([finding({ line: 2, column: 3, endLine: 30, endColumn: 11 })], long);
    expect(out).toContain('line7();');
    expect(out).not.toContain('line8();');
    expect(out).toContain('\n        | … 23 more lines of this finding (to line 30)\n');
  });

  it('never draw carets past the end of the source line', () => {
    const frame = codeFrame(source, { line: 4, column: 3, endLine: 4, endColumn: 200 }, false);
    const caretLine = frame.split('\n').find((line) => line.includes('^'))!;
    const sourceLine = frame.split('\n').find((line) => line.startsWith('>'))!;
    expect(caretLine.length).toBeLessThanOrEqual(sourceLine.length);
    const truncated = codeFrame(long, { line: 2, column: 3, endLine: 30, endColumn: 11 }, false);
    for (const [index, line] of truncated.split('\n').entries()) {
      if (line.includes('^')) expect(line.trimEnd().length, line).toBeLessThanOrEqual(truncated.split('\n')[index - 1]!.length);
    }
  });
});

describe('columns', () => {
  it('line:column is padded to the widest in the file, so every message starts in one column', () => {
    const many = Array.from({ length: 1200 }, (_, index) => `f${index}();`).join('\n');
    const out = render([finding({ line: 3, column: 1, endLine: 3, endColumn: 2 }), finding({ line: 1104, column: 12, endLine: 1104, endColumn: 13 })], many);
    const starts = out.split('\n').filter((line) => /^ {2}\d/u.test(line)).map((line) => line.indexOf('warn'));
    expect(starts).toHaveLength(2);
    expect(new Set(starts).size).toBe(1);
  });
});

describe('confidence', () => {
  it('follows the rule id once, and not again when the message already states it with its reason', () => {
    expect(render([finding({ message: 'Message.' })])).toContain('overlap/prefer-concurrent-awaits (high confidence)\n');
    const stated = render([finding({ message: 'Blocks the loop. (high confidence: resolved through the import.)' })]);
    expect(stated.match(/high confidence/gu)).toHaveLength(1);
    expect(stated).toContain('(high confidence: resolved through the import.)  overlap/prefer-concurrent-awaits\n');
  });
});
