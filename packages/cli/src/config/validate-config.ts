import { createRequire } from 'node:module';
import type { Ajv as AjvClass, ValidateFunction } from 'ajv';
import { allChecks, pluginPrefix, ruleIds, type AnyCheck, type RuleId } from '@overlap/core';
import { OverlapError } from '../errors.js';
import type { FailOn, ResolvedConfig, RuleSetting, Severity, UserConfig } from './types.js';

const topLevelKeys = new Set(['$schema', 'rules', 'ignores', 'failOn']);
const severities: Readonly<Record<string, Severity>> = { off: 'off', warn: 'warn', error: 'error', 0: 'off', 1: 'warn', 2: 'error' };
const failOnValues: readonly FailOn[] = ['error', 'warn', 'none'];

/**
 * Checks a user's configuration and fills in the defaults (each rule's recommended severity). Every problem names
 * the file and the key, like ESLint's "Configuration for rule ... is invalid", and all of them are reported at once
 * (one line: "3 problems: ...; ...; ..."), so a user fixes the file in one go.
 */
export function validateConfig(raw: unknown, source: string | undefined, root: string, checks: readonly AnyCheck[] = allChecks): ResolvedConfig {
  const where = source ?? 'configuration';
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new OverlapError('OVERLAP_CONFIG', `${where}: expected an object`);
  const problems: string[] = [];
  const fail = (message: string): void => {
    problems.push(message);
  };
  const user = raw as UserConfig & Record<string, unknown>;
  for (const key of Object.keys(user)) {
    if (!topLevelKeys.has(key)) fail(`unknown key "${key}" (expected one of: ${[...topLevelKeys].join(', ')})`);
  }
  if (user.failOn !== undefined && !failOnValues.includes(user.failOn)) {
    fail(`"failOn" must be one of ${failOnValues.join(', ')}, got ${JSON.stringify(user.failOn)}`);
  }
  if (user.ignores !== undefined && (!Array.isArray(user.ignores) || user.ignores.some((item) => typeof item !== 'string'))) {
    fail('"ignores" must be an array of glob strings');
  }
  if (user.rules !== undefined && (typeof user.rules !== 'object' || user.rules === null || Array.isArray(user.rules))) {
    fail('"rules" must be an object mapping rule ids to "off", "warn", "error" or ["warn", { ...options }]');
  }

  const rules: Partial<Record<RuleId, RuleSetting>> = {};
  for (const check of checks) {
    rules[check.meta.id] = { severity: check.meta.recommended === false ? 'off' : check.meta.recommended, options: undefined };
  }
  const userRules = typeof user.rules === 'object' && user.rules !== null && !Array.isArray(user.rules) ? user.rules : {};
  for (const [name, value] of Object.entries(userRules)) {
    const id = name.startsWith(`${pluginPrefix}/`) ? name.slice(pluginPrefix.length + 1) : name;
    if (!(ruleIds as readonly string[]).includes(id)) {
      fail(`unknown rule "${name}" in "rules" (known: ${ruleIds.join(', ')})`);
      continue;
    }
    const check = checks.find((candidate) => candidate.meta.id === id);
    const setting = parseSetting(value);
    if (typeof setting === 'string') {
      fail(`rule "${name}": ${setting}`);
      continue;
    }
    // A known rule this version does not implement yet is accepted, so one config serves several versions.
    if (!check) continue;
    if (setting.options) {
      const problem = optionsProblem(check, setting.options);
      if (problem) fail(`rule "${name}": invalid options: ${problem}`);
    }
    rules[id as RuleId] = setting;
  }
  if (problems.length === 1) throw new OverlapError('OVERLAP_CONFIG', `${where}: ${problems[0]}`);
  if (problems.length > 1) throw new OverlapError('OVERLAP_CONFIG', `${where}: ${problems.length} problems: ${problems.join('; ')}`);
  return { rules, ignores: (user.ignores as string[] | undefined) ?? [], failOn: user.failOn, source, root };
}

/** The rule's setting, or what is wrong with it. */
function parseSetting(value: unknown): RuleSetting | string {
  const [level, ...options] = Array.isArray(value) ? value : [value];
  const severity = typeof level === 'string' || typeof level === 'number' ? severities[String(level)] : undefined;
  if (!severity) return `severity must be "off", "warn" or "error", got ${JSON.stringify(level)}`;
  return { severity, options: options.length > 0 ? options : undefined };
}

const validators = new WeakMap<AnyCheck, ValidateFunction>();

/** Validates options against the rule's ESLint schema (the array form), as ESLint would. */
function optionsProblem(check: AnyCheck, options: readonly unknown[]): string | undefined {
  if (check.meta.schema.length === 0) return options.length > 0 ? 'the rule takes no options' : undefined;
  let validate = validators.get(check);
  if (!validate) {
    // Loaded only when a rule is given options (most configs give none): ajv costs about 0.1 s to load.
    const { Ajv } = createRequire(import.meta.url)('ajv') as { Ajv: typeof AjvClass };
    const ajv = new Ajv({ strict: false, allErrors: false });
    validate = ajv.compile({ type: 'array', items: [...check.meta.schema], minItems: 0, maxItems: check.meta.schema.length });
    validators.set(check, validate);
  }
  if (validate(options)) return undefined;
  const error = validate.errors?.[0];
  if (!error) return 'does not match the rule schema';
  return `${error.instancePath || 'options'} ${error.message ?? 'is invalid'}`.trim();
}
