/**
 * `node --require @overlap/tracer/register.cjs app.js`: the same tracer as `--import @overlap/tracer/register`,
 * loaded as CommonJS. On Node 20 a `--require` preload skips the ES module loader that any `--import` starts
 * (resolving, linking, its `fs/promises`), which is most of the start-up cost of a program that exits at once.
 * Built into dist/bundle/register.cjs (scripts/bundle-register.js).
 */
import { pathToFileURL } from 'node:url';
import { startTracer } from './runtime/start.js';

declare const __filename: string;

// Not awaited: a preload cannot be. Without other loaders (`--import tsx`) startTracer installs everything before
// its first await; with them, it imports them first and registers its ES module hooks after theirs, before Node
// goes on to the entry (Node awaits the same imports).
// Node also runs `--require` preloads on the thread of ES module loader hooks (an `--import` is not run there):
// that thread runs no program code, so it gets no part.
const loaded = (process as unknown as { moduleLoadList?: string[] }).moduleLoadList;
if (!loaded?.includes('NativeModule internal/modules/esm/worker')) {
  startTracer(pathToFileURL(__filename).href, 'require').catch(() => {
    // the tracer must never stop the program from starting
  });
}
