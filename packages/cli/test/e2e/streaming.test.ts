import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { chooseThreads } from '../../src/analysis/pool.js';
import { startProgress } from '../../src/check/progress.js';
import { main } from '../../src/cli.js';
import { repoRoot, runCli, runInProcess } from '../helpers.js';

/** A stream that says it is a terminal and keeps every write apart, so the order of the parts can be checked. */
function fakeTerminal(): { stream: Writable & { isTTY: boolean; columns: number }; writes: string[] } {
  const writes: string[] = [];
  const stream = Object.assign(
    new Writable({
      write(chunk: Buffer | string, _encoding, callback) {
        writes.push(chunk.toString());
        callback();
      },
    }),
    { isTTY: true, columns: 100 },
  );
  return { stream, writes };
}

const withoutDuration = (text: string) => text.replace(/ · \d+\.\d\ds\n$/u, '\n');

describe('results as they come', () => {
  it('text on a terminal: each file as soon as it is done, in the run\'s order, the summary last; the same text as the whole report', async () => {
    const terminal = fakeTerminal();
    const errors = fakeTerminal();
    const code = await main(['check', 'fixtures/projects/ts-service', '--threads', '0'], {
      cwd: repoRoot,
      env: { NO_COLOR: '1' },
      stdout: terminal.stream,
      stderr: errors.stream,
    });
    expect(code).toBe(1);
    const parts = terminal.writes.filter((part) => part.length > 0);
    const summary = parts.at(-1)!;
    expect(summary).toMatch(/^✖ \d+ findings/u);
    const fileParts = parts.slice(0, -1);
    // One write per file with findings, each starting with its file name, in the order the files were listed.
    expect(fileParts.length).toBeGreaterThan(1);
    const names = fileParts.map((part) => part.split('\n')[0]!);
    expect(names.every((name) => name.startsWith('fixtures/projects/ts-service/'))).toBe(true);
    expect(new Set(names).size).toBe(names.length);
    const whole = await runInProcess(['check', 'fixtures/projects/ts-service', '--threads', '0']);
    expect(withoutDuration(parts.join(''))).toBe(withoutDuration(whole.stdout));
  });

  it('--format ndjson through the real CLI: one finding per line, the same findings as JSON, the summary last', () => {
    const lines = runCli(['check', 'fixtures/projects/ts-service', '--format', 'ndjson', '--fail-on', 'none']).stdout.trimEnd().split('\n');
    const records = lines.map((line) => JSON.parse(line) as { type: string; file?: string; line?: number; ruleId?: string; findings?: number });
    const json = JSON.parse(runCli(['check', 'fixtures/projects/ts-service', '--format', 'json', '--fail-on', 'none']).stdout) as {
      findings: Array<{ file: string; line: number; ruleId: string }>;
      summary: { findings: number };
    };
    const findings = records.filter((record) => record.type === 'finding');
    expect(findings.length).toBeGreaterThan(2);
    expect(findings.map(({ file, line, ruleId }) => ({ file, line, ruleId }))).toEqual(json.findings.map(({ file, line, ruleId }) => ({ file, line, ruleId })));
    expect(records.at(-1)).toMatchObject({ type: 'summary', findings: json.summary.findings });
    expect(records.filter((record) => record.type === 'summary')).toHaveLength(1);
  });

  it('--format ndjson reports a file that does not parse as an error record', () => {
    const records = runCli(['check', 'fixtures/projects/broken', '--format', 'ndjson', '--fail-on', 'none']).stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as { type: string; file?: string });
    expect(records.some((record) => record.type === 'error' && record.file?.startsWith('fixtures/projects/broken/'))).toBe(true);
  });

  it('keeps the progress bar below what is written above it', () => {
    const errors = fakeTerminal();
    const progress = startProgress({ cwd: repoRoot, env: {}, stdout: errors.stream, stderr: errors.stream }, true, 500);
    progress.update(10);
    const before = errors.writes.length;
    progress.above(() => errors.stream.write('finding\n'));
    const after = errors.writes.slice(before).join('');
    progress.stop();
    // The bar's line is erased, the text written, and the bar drawn again after it.
    expect(after.indexOf('\r\u001b[2K')).toBeLessThan(after.indexOf('finding\n'));
    expect(after.slice(after.indexOf('finding\n'))).toMatch(/overlap .*10\/500 files/u);
  });
});

describe('worker threads only when they pay', () => {
  it('analyses small runs in this thread', () => {
    expect(chooseThreads(50, undefined, 8, 0)).toBe(0);
  });

  it('uses one worker per idle core the files can keep busy', () => {
    expect(chooseThreads(2220, undefined, 8, 0)).toBe(7);
    expect(chooseThreads(2220, undefined, 2, 0)).toBe(2);
    expect(chooseThreads(400, undefined, 8, 0)).toBe(1);
  });

  it('takes one worker (for its young generation) on a busy machine', () => {
    expect(chooseThreads(2220, undefined, 2, 12)).toBe(1);
  });

  it('obeys --threads', () => {
    expect(chooseThreads(2220, 0, 8, 0)).toBe(0);
  });
});
