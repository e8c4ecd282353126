/**
 * Merges a user's rule options over the defaults, the way typescript-eslint's `applyDefault` does: plain objects
 * merge deeply, everything else (arrays included) replaces. Both the ESLint adapter and the CLI call this, so a
 * rule sees the same options whichever way it runs.
 */
export function resolveOptions<Options extends readonly unknown[]>(
  defaults: Options,
  user: readonly unknown[] | undefined,
): Options {
  if (!user || user.length === 0) return defaults;
  return defaults.map((defaultValue, index) =>
    index < user.length ? mergeValue(defaultValue, user[index]) : defaultValue,
  ) as unknown as Options;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function mergeValue(defaultValue: unknown, userValue: unknown): unknown {
  if (userValue === undefined) return defaultValue;
  if (!isPlainObject(defaultValue) || !isPlainObject(userValue)) return userValue;
  const merged: Record<string, unknown> = { ...defaultValue };
  for (const [key, value] of Object.entries(userValue)) merged[key] = mergeValue(defaultValue[key], value);
  return merged;
}
