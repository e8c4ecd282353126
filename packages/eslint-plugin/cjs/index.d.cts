import type { ESLint, Linter } from 'eslint';

declare const plugin: ESLint.Plugin & { configs: { recommended: Linter.Config; all: Linter.Config } };
export = plugin;
