import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { join, packageRoot, runCli } from '../helpers.js';

// ajv-formats is CommonJS with a default export.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/** The published SARIF 2.1.0 schema (see test/sarif/README.md); its draft-04 spellings adapted for ajv 8. */
function sarifValidator() {
  const schema = JSON.parse(readFileSync(join(packageRoot, 'test', 'sarif', 'sarif-schema-2.1.0.json'), 'utf8')) as Record<string, unknown>;
  const { $schema: _draft, id, ...rest } = schema;
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile({ $id: String(id), ...rest });
}

describe('SARIF report', () => {
  it('validates against the SARIF 2.1.0 schema and carries what GitHub code scanning reads', () => {
    const run = runCli(['check', 'fixtures/projects/ts-service', 'fixtures/projects/broken', '--format', 'sarif']);
    expect(run.code).toBe(1);
    const log = JSON.parse(run.stdout) as {
      version: string;
      runs: Array<{
        tool: { driver: { name: string; rules: Array<{ id: string; helpUri: string }> } };
        results: Array<{
          ruleId: string;
          ruleIndex: number;
          level: string;
          partialFingerprints: Record<string, string>;
          locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }>;
          fixes?: Array<{ artifactChanges: Array<{ replacements: unknown[] }> }>;
        }>;
        invocations: Array<{ toolExecutionNotifications: Array<{ message: { text: string } }> }>;
      }>;
    };
    const validate = sarifValidator();
    expect(validate(log), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);

    const [sarifRun] = log.runs;
    expect(log.version).toBe('2.1.0');
    expect(sarifRun!.tool.driver.name).toBe('overlap');
    for (const rule of sarifRun!.tool.driver.rules) expect(rule.helpUri).toMatch(new RegExp(`/docs/rules/${rule.id}\\.md$`, 'u'));
    const blocking = sarifRun!.results.find((result) => result.ruleId === 'no-blocking-in-async' && result.locations[0]!.physicalLocation.artifactLocation.uri.endsWith('reports.ts'))!;
    expect(blocking.locations[0]!.physicalLocation.artifactLocation.uri).toBe('fixtures/projects/ts-service/src/handlers/reports.ts');
    expect(blocking.locations[0]!.physicalLocation.region.startLine).toBe(7);
    expect(blocking.level).toBe('error');
    expect(sarifRun!.tool.driver.rules[blocking.ruleIndex]!.id).toBe('no-blocking-in-async');
    expect(Object.values(blocking.partialFingerprints)[0]).toMatch(/^[0-9a-f]{32}$/u);
    expect(blocking.fixes?.[0]?.artifactChanges[0]?.replacements.length).toBeGreaterThan(0);
    expect(sarifRun!.invocations[0]!.toolExecutionNotifications.map((notification) => notification.message.text)).toEqual(["')' expected."]);
  });
});
