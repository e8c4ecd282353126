import type { RuleId } from '@overlap/core';

export type Severity = 'off' | 'warn' | 'error';

/** The lowest severity that fails the run; `none` never fails on findings. */
export type FailOn = 'error' | 'warn' | 'none';

export interface RuleSetting {
  readonly severity: Severity;
  /** The user's options, before the rule's defaults are merged in (core's `resolveOptions` does that). */
  readonly options: readonly unknown[] | undefined;
}

/** A validated configuration: every implemented rule has a setting, defaults filled in. */
export interface ResolvedConfig {
  readonly rules: Readonly<Partial<Record<RuleId, RuleSetting>>>;
  /** Gitignore-style patterns, relative to `root`. */
  readonly ignores: readonly string[];
  readonly failOn: FailOn | undefined;
  /** The file it came from, or undefined when no configuration was found (defaults only). */
  readonly source: string | undefined;
  /** The directory ignores are relative to. */
  readonly root: string;
}

/** The configuration as a user writes it (overlap.config.json, or the `overlap` key of package.json). */
export interface UserConfig {
  readonly $schema?: string;
  readonly rules?: Readonly<Record<string, unknown>>;
  readonly ignores?: readonly string[];
  readonly failOn?: FailOn;
}
