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
