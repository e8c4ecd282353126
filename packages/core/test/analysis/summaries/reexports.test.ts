import { describe, expect, it } from 'vitest';
import { parseFile } from '../../../src/parse/parse-file.js';
import { reexportedMember } from '../../../src/analysis/summaries/reexports.js';

function member(text: string, name: string, filename = 'util/fs.js') {
  const parsed = parseFile(filename, text);
  if (!parsed.ok) throw new Error(parsed.error.message);
  const found = reexportedMember(parsed.file, name);
  return found ? `${found.module}:${found.path.join('.')}` : undefined;
}

describe('reexportedMember: what a project module hands on from another module', () => {
  it('follows the CommonJS shapes', () => {
    expect(member(`module.exports = require('fs-extra');`, 'copySync')).toBe('fs-extra:copySync');
    expect(member(`const fse = require('fs-extra');\nmodule.exports = fse;`, 'copySync')).toBe('fs-extra:copySync');
    expect(member(`module.exports = { ...require('fs-extra'), own: () => 1 };`, 'copySync')).toBe('fs-extra:copySync');
    expect(member(`const fse = require('fs-extra');\nexports.copySync = fse.copySync;`, 'copySync')).toBe('fs-extra:copySync');
    expect(member(`const { copySync } = require('fs-extra');\nmodule.exports = { copySync };`, 'copySync')).toBe('fs-extra:copySync');
  });

  it("follows tsc's and ES module re-exports", () => {
    expect(member(`"use strict";\nexports.copySync = void 0;\nvar fs_extra_1 = require("fs-extra");\nObject.defineProperty(exports, "copySync", { enumerable: true, get: function () { return fs_extra_1.copySync; } });`, 'copySync'))
      .toBe('fs-extra:copySync');
    expect(member(`__exportStar(require("fs-extra"), exports);`, 'copySync')).toBe('fs-extra:copySync');
    expect(member(`export { copySync } from 'fs-extra';`, 'copySync', 'util/fs.mjs')).toBe('fs-extra:copySync');
    expect(member(`export * from 'node:fs';`, 'readFileSync', 'util/fs.mjs')).toBe('fs:readFileSync');
    expect(member(`import fse from 'fs-extra';\nexport const copySync = fse.copySync;`, 'copySync', 'util/fs.mjs')).toBe('fs-extra:copySync');
  });

  it('says nothing for a function of its own, an unclear barrel or a name set twice', () => {
    expect(member(`module.exports = { ...require('fs-extra'), copySync: (a, b) => [a, b] };`, 'copySync')).toBeUndefined();
    expect(member(`export * from 'fs-extra';\nexport function copySync() {}`, 'copySync', 'util/fs.mjs')).toBeUndefined();
    expect(member(`export * from 'fs-extra';\nexport * from 'graceful-fs';`, 'copySync', 'util/fs.mjs')).toBeUndefined();
    expect(member(`const fse = require('fs-extra');\nexports.copySync = fse.copySync;\nexports.copySync = (a) => a;`, 'copySync')).toBeUndefined();
    expect(member(`module.exports = { ...require('fs-extra'), ...require('./more') };`, 'copySync')).toBeUndefined();
  });
});
