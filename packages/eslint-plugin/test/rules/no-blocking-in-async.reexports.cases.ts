import { fileURLToPath } from 'node:url';
import * as espree from 'espree';
import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';
import type { NoBlockingInAsyncMessageId as MessageId, NoBlockingInAsyncOptions as Options } from '@overlap/core';

/**
 * no-blocking-in-async through a project module that re-exports fs-extra (core's analysis/summaries/reexports.ts,
 * asked of the plugin's import resolver). The linted file sits in fixtures/reexports/, beside the `util/` modules it
 * imports, so the resolver reads them from disk.
 */
const plainModule = { parser: espree, sourceType: 'module', ecmaVersion: 'latest' } as const;
const plainCommonJs = { parser: espree, sourceType: 'commonjs', ecmaVersion: 'latest' } as const;
const filename = fileURLToPath(new URL('./fixtures/reexports/tasks.js', import.meta.url));

export const valid: ValidTestCase<Options>[] = [
  {
    name: "a project module's own function named like a sync fs call is not fs-extra's",
    filename,
    languageOptions: plainCommonJs,
    code: `const own = require('./util/own');
async function copyAll(files, dest) {
  await Promise.all(files.map(async (file) => {
    own.copySync(file, dest + '/' + file);
  }));
}
module.exports = { copyAll };`,
  },
  {
    name: "a helper the re-exporting module defines itself is a function, not a package member",
    filename,
    languageOptions: plainModule,
    code: `import * as fse from './util/index.js';
export async function kinds(paths) {
  return Promise.all(paths.map(async (path) => fse.isDirectory(path)));
}`,
  },
];

export const invalid: InvalidTestCase<MessageId, Options>[] = [
  {
    name: "`exports.copySync = fsExtra.copySync` in a project module: fs-extra's copySync, no mechanical rewrite",
    filename,
    languageOptions: plainCommonJs,
    code: `const fs = require('./util/fs');
async function copyAll(files, dest) {
  await Promise.all(files.map(async (file) => {
    fs.ensureDirSync(dest);
    fs.copySync(file, dest + '/' + file);
  }));
}
module.exports = { copyAll };`,
    errors: [
      { messageId: 'syncFileSystem', line: 4, column: 5, suggestions: [] },
      { messageId: 'syncFileSystem', line: 5, column: 5, suggestions: [] },
    ],
  },
  {
    name: "a barrel (`export * from './fse.js'`) over `module.exports = { ...require('fs-extra'), … }`",
    filename,
    languageOptions: plainModule,
    code: `import * as fse from './util/index.js';
export async function copyPages(names) {
  return Promise.all(names.map(async (name) => {
    fse.copySync(\`pages/\${name}.md\`, \`out/\${name}.md\`);
    return name;
  }));
}`,
    errors: [{ messageId: 'syncFileSystem', line: 4, column: 5, suggestions: [] }],
  },
];
