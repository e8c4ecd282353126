import { allChecks, pluginPrefix, type AnyCheck } from '@overlap/core';

/** Where the package ships the schema, relative to the package root (listed in package.json "files"). */
export const configSchemaPath = 'schema/overlap.config.schema.json';

/**
 * The JSON schema of overlap.config.json, for editors (completion, hover, squiggles): built from the same rule
 * metadata the validator reads, so the two cannot disagree. `npm run docs` writes it; a test checks the shipped
 * file is current.
 */
export function configJsonSchema(checks: readonly AnyCheck[] = allChecks): Record<string, unknown> {
  const severity = { enum: ['off', 'warn', 'error', 0, 1, 2] };
  const rules: Record<string, unknown> = {};
  for (const check of checks) {
    const setting = {
      description: check.meta.description,
      oneOf: [severity, { type: 'array', items: [severity, ...check.meta.schema], minItems: 1, maxItems: 1 + check.meta.schema.length }],
    };
    rules[check.meta.id] = setting;
    rules[`${pluginPrefix}/${check.meta.id}`] = setting;
  }
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'Overlap configuration (overlap.config.json)',
    type: 'object',
    additionalProperties: false,
    properties: {
      $schema: { type: 'string' },
      rules: { type: 'object', additionalProperties: false, properties: rules },
      ignores: { type: 'array', items: { type: 'string' }, description: 'gitignore-style patterns relative to this file' },
      failOn: { enum: ['error', 'warn', 'none'], description: 'lowest severity that fails `overlap check`' },
    },
  };
}
