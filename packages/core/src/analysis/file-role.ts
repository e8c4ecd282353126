/**
 * Test code: a blocking read or a wide fan-out in a test costs the test run, never a user. Recognised by path, the
 * way test runners find tests: `*.test.*` and `*.spec.*` files, files under `__tests__/` or `__mocks__/`, and files
 * whose own folder or its parent is `test`, `tests` or `spec`. Only those two nearest folders count, so a checkout
 * that happens to live under `/home/me/test/` is not all test code.
 */
export function isTestFile(filename: string): boolean {
  const segments = filename.replace(/\\/gu, '/').split('/');
  const base = segments.at(-1) ?? '';
  if (/\.(?:test|spec)\.[cm]?[jt]sx?$/u.test(base)) return true;
  const folders = segments.slice(0, -1);
  if (folders.some((folder) => folder === '__tests__' || folder === '__mocks__')) return true;
  return folders.slice(-2).some((folder) => folder === 'test' || folder === 'tests' || folder === 'spec');
}

/**
 * What a rule does with test files. `skip`: nothing (no-unbounded-concurrency and no-blocking-in-async always
 * skip); `medium`: report, at medium confidence, so `--fix` leaves them and a confidence filter drops them;
 * `report`: as any other file.
 */
export type TestFilePolicy = 'skip' | 'medium' | 'report';

export const testFilesSchema: { type: 'string'; enum: string[]; description: string } = {
  type: 'string',
  enum: ['skip', 'medium', 'report'],
  description: 'What to do in test files: skip them (default), report at medium confidence, or report as any file.',
};

/**
 * An entry script by place: a file directly in a `bin/` or `scripts/` folder (npm's `bin` targets, build and
 * release scripts). It runs as its own short-lived process, once per invocation.
 */
export function isEntryScriptFile(filename: string): boolean {
  const folder = filename.replace(/\\/gu, '/').split('/').at(-2);
  return folder === 'bin' || folder === 'scripts';
}
