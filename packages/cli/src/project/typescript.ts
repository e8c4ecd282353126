import { createRequire } from 'node:module';
import type * as ts from 'typescript';

let typescript: typeof ts | undefined;

/**
 * The `typescript` package, loaded the first time a tsconfig is read or a config file transpiled (about 0.3 s of
 * CPU): a run without a tsconfig never pays for it. The same copy core's module resolver loads, so a process holds
 * one TypeScript at most (ts-morph's bundled copy was a second one).
 */
export function loadTypeScript(): typeof ts {
  typescript ??= createRequire(import.meta.url)('typescript') as typeof ts;
  return typescript;
}
