import type { ESLint, Linter } from 'eslint';
import { allChecks, pluginPrefix } from '@overlap/core';
import { rules } from './rules/index.js';

const recommendedRules: Record<string, 'error' | 'warn'> = {};
for (const check of allChecks) {
  if (check.meta.recommended && rules[check.meta.id]) {
    recommendedRules[`${pluginPrefix}/${check.meta.id}`] = check.meta.recommended;
  }
}

/**
 * The configs are typed as ESLint's own `Linter.Config`: that type is accepted both by ESLint's `defineConfig`
 * and by typescript-eslint's `config()`, so an `eslint.config.ts` type-checks with either (typescript-eslint's
 * `FlatConfig.Config` is not assignable to ESLint's `defineConfig`).
 */
interface OverlapPlugin {
  meta: { name: string; version: string };
  rules: typeof rules;
  configs: { recommended: Linter.Config; all: Linter.Config };
}

const plugin: OverlapPlugin = {
  meta: { name: '@overlap/eslint-plugin', version: '0.1.0' },
  rules,
  configs: {} as OverlapPlugin['configs'],
};

plugin.configs.recommended = {
  name: 'overlap/recommended',
  plugins: { [pluginPrefix]: plugin as unknown as ESLint.Plugin },
  rules: recommendedRules,
};
plugin.configs.all = {
  name: 'overlap/all',
  plugins: { [pluginPrefix]: plugin as unknown as ESLint.Plugin },
  rules: Object.fromEntries(Object.keys(rules).map((id) => [`${pluginPrefix}/${id}`, 'error' as const])),
};

export { rules };
export default plugin;
