import type { TSESLint } from '@typescript-eslint/utils';

/**
 * Every rule of the plugin by id (without the `overlap/` prefix). One file per rule in this folder, named by its
 * id, each a single `ruleFromCheck` call on the engine's check of the same name.
 */
export const rules: Record<string, TSESLint.RuleModule<string, readonly unknown[]>> = {};
