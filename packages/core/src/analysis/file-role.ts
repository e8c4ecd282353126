/**
 * Test code: a blocking read or a wide fan-out in a test costs the test run, never a user. Recognised by path, the
 * way test runners find tests: `*.test.*`, `*.spec.*`, and files under `test/`, `tests/`, `__tests__/`, `spec/`.
 */
export function isTestFile(filename: string): boolean {
  const path = filename.replace(/\\/gu, '/');
  return /\.(?:test|spec)\.[cm]?[jt]sx?$/u.test(path) || /(?:^|\/)(?:test|tests|__tests__|spec|__mocks__)\//u.test(path);
}
