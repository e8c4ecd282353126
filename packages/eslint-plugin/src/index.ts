import type { TSESLint } from '@typescript-eslint/utils';
import { allChecks, pluginPrefix } from '@overlap/core';
import { rules } from './rules/index.js';

const recommendedRules: Record<string, 'error' | 'warn'> = {};
for (const check of allChecks) {
  if (check.meta.recommended && rules[check.meta.id]) {
    recommendedRules[`${pluginPrefix}/${check.meta.id}`] = check.meta.recommended;
  }
}

interface OverlapPlugin {
  meta: { name: string; version: string };
  rules: typeof rules;
  configs: { recommended: TSESLint.FlatConfig.Config; all: TSESLint.FlatConfig.Config };
}

const plugin: OverlapPlugin = {
  meta: { name: '@overlap/eslint-plugin', version: '0.1.0' },
  rules,
  configs: {} as OverlapPlugin['configs'],
};

plugin.configs.recommended = {
  name: 'overlap/recommended',
  plugins: { [pluginPrefix]: plugin as unknown as TSESLint.FlatConfig.Plugin },
  rules: recommendedRules,
};
plugin.configs.all = {
  name: 'overlap/all',
  plugins: { [pluginPrefix]: plugin as unknown as TSESLint.FlatConfig.Plugin },
  rules: Object.fromEntries(Object.keys(rules).map((id) => [`${pluginPrefix}/${id}`, 'error' as const])),
};

export { rules };
export default plugin;
