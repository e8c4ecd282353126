import { describe, expect, it } from 'vitest';
import { isTestFile } from '../../src/analysis/file-role.js';

describe('isTestFile', () => {
  it.each([
    '/repo/src/user.test.ts',
    '/repo/src/user.spec.mjs',
    '/repo/test/helpers.js',
    '/repo/test/fixtures/server.js',
    '/repo/packages/api/__tests__/deep/nested/case.ts',
    'C:\\repo\\tests\\load.js',
  ])('%s is test code', (path) => {
    expect(isTestFile(path)).toBe(true);
  });

  it.each([
    '/repo/src/user.ts',
    '/home/me/test/project/src/server/routes.ts',
    '/repo/src/testing-utils.ts',
    '/repo/lib/contest/score.js',
  ])('%s is not', (path) => {
    expect(isTestFile(path)).toBe(false);
  });
});
