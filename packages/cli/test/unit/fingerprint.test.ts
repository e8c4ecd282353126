import { allChecks, parseFile, runChecks } from '@overlap/core';
import { describe, expect, it } from 'vitest';
import { enclosingName, fingerprintFindings } from '../../src/analysis/fingerprint.js';

const source = `import { readFileSync } from 'node:fs';

export class Templates {
  async render(name: string) {
    return readFileSync(name, 'utf8');
  }
}

export const handler = async (path: string) => {
  const first = readFileSync(path, 'utf8');
  const second = readFileSync(path, 'utf8');
  return first + second;
};
`;

function fingerprints(text: string, file = 'src/a.ts'): string[] {
  const parsed = parseFile('/project/src/a.ts', text);
  if (!parsed.ok) throw new Error(parsed.error.message);
  const { findings } = runChecks(parsed.file, allChecks.filter((check) => check.meta.id === 'no-blocking-in-async').map((check) => ({ check })));
  return fingerprintFindings(findings, parsed.file.ast, text, file);
}

describe('fingerprints', () => {
  it('are distinct for identical code by occurrence, and stable under line shifts and re-indentation', () => {
    const original = fingerprints(source);
    expect(original).toHaveLength(3);
    expect(new Set(original).size).toBe(3);
    const shifted = `// header\n\n${source.replace("    return readFileSync(name, 'utf8');", "        return readFileSync(\n          name,\n          'utf8'\n        );")}`;
    expect(fingerprints(shifted)).toEqual(original);
  });

  it('change with the file, the enclosing function, and removal of an earlier identical finding', () => {
    const original = fingerprints(source);
    expect(fingerprints(source, 'src/b.ts')).not.toEqual(original);
    expect(fingerprints(source.replace('async render', 'async draw'))[0]).not.toBe(original[0]);
    const withoutFirst = fingerprints(source.replace("  const first = readFileSync(path, 'utf8');\n", "  const first = '';\n"));
    expect(withoutFirst).toEqual([original[0], original[1]]);
  });

  it('names the enclosing functions and classes', () => {
    const parsed = parseFile('/x.ts', source);
    if (!parsed.ok) throw new Error('parse');
    expect(enclosingName(parsed.file.ast, [source.indexOf('readFileSync(name'), source.indexOf('readFileSync(name') + 5])).toBe('Templates.render');
    expect(enclosingName(parsed.file.ast, [source.indexOf('readFileSync(path'), source.indexOf('readFileSync(path') + 5])).toBe('handler');
    expect(enclosingName(parsed.file.ast, [0, 5])).toBe('<module>');
  });
});
