#!/usr/bin/env node
// The only place that ends the process: everything below returns an exit code.
import module from 'node:module';
import { statSync } from 'node:fs';

// Node >= 22.1 keeps compiled code on disk between runs; Node 20 has no compile cache (a no-op there).
module.enableCompileCache?.();

const { main } = await import(entry());
process.exitCode = await main(process.argv.slice(2));

/**
 * The bundle `npm run build` writes (one file to load instead of about 150 modules), unless it is missing or older
 * than a later build of the CLI or the engine (a package rebuilt on its own with tsc): then the modules themselves.
 */
function entry() {
  const bundle = new URL('../dist/bundle/cli.js', import.meta.url);
  const modules = new URL('../dist/cli.js', import.meta.url);
  try {
    const built = statSync(bundle).mtimeMs;
    const sources = [modules, new URL(import.meta.resolve('@overlap/core'))];
    return sources.every((source) => statSync(source).mtimeMs <= built) ? bundle.href : modules.href;
  } catch {
    return modules.href;
  }
}
