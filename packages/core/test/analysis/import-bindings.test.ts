import { describe, expect, it } from 'vitest';
import type { TSESTree } from '@typescript-eslint/types';
import type { AnalyzedFile } from '../../src/engine/analyzed-file.js';
import { parseFile } from '../../src/parse/parse-file.js';
import { resolveModuleMember } from '../../src/analysis/import-bindings.js';
import { descendants } from '../../src/analysis/walk-ast.js';

/** Parses `text` and resolves the callee of the last call in it. */
function calleeOfLastCall(text: string, filename = 'file.ts'): { module: string; path: readonly string[] } | undefined {
  const parsed = parseFile(filename, text);
  if (!parsed.ok) throw new Error(parsed.error.message);
  const file: AnalyzedFile = parsed.file;
  let last: TSESTree.CallExpression | undefined;
  for (const node of descendants(file.ast)) {
    if (node.type === 'CallExpression' && !(node.callee.type === 'Identifier' && node.callee.name === 'require')) last = node;
  }
  const member = last ? resolveModuleMember(file, last.callee) : undefined;
  return member ? { module: member.module, path: member.path } : undefined;
}

describe('resolveModuleMember', () => {
  const readFileSync = { module: 'fs', path: ['readFileSync'] };

  it.each([
    ['default import', `import fs from 'fs';\nfs.readFileSync('a');`],
    ['node: namespace import', `import * as fs from 'node:fs';\nfs.readFileSync('a');`],
    ['renamed named import', `import { readFileSync as read } from 'fs';\nread('a');`],
    ['import = require', `import fs = require('fs');\nfs.readFileSync('a');`],
    ['require', `const fs = require('fs');\nfs.readFileSync('a');`],
    ['destructured require with a default', `const { readFileSync = () => '' } = require('node:fs');\nreadFileSync('a');`],
    ['require member', `require('fs').readFileSync('a');`],
    ['alias of the module', `const fs = require('fs');\nconst files = fs;\nfiles.readFileSync('a');`],
    ['tsc interop', `const fs_1 = __importDefault(require('fs'));\nfs_1.default.readFileSync('a');`],
    ['computed string member', `import fs from 'fs';\nfs['readFileSync']('a');`],
  ])('%s', (_name, text) => {
    expect(calleeOfLastCall(text)).toEqual(readFileSync);
  });

  it('maps fs/promises subpaths onto fs.promises', () => {
    expect(calleeOfLastCall(`import { readFile } from 'node:fs/promises';\nreadFile('a');`)).toEqual({ module: 'fs', path: ['promises', 'readFile'] });
    expect(calleeOfLastCall(`const { promises: fsp } = require('fs');\nfsp.readFile('a');`)).toEqual({ module: 'fs', path: ['promises', 'readFile'] });
  });

  it('does not resolve parameters, locals, reassigned bindings or a shadowed require', () => {
    expect(calleeOfLastCall(`function f(fs: any) { fs.readFileSync('a'); }`)).toBeUndefined();
    expect(calleeOfLastCall(`function readFileSync(p: string) { return p; }\nreadFileSync('a');`)).toBeUndefined();
    expect(calleeOfLastCall(`let fs = require('fs');\nfs = makeFake();\nfs.readFileSync('a');`)).toBeUndefined();
    expect(calleeOfLastCall(`function load(require: (id: string) => any) { require('fs').readFileSync('a'); }`)).toBeUndefined();
  });
});
