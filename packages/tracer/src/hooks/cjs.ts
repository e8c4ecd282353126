import Module from 'node:module';
import { resolve, sep } from 'node:path';
import { shouldInstrument, TRACER_DIR, type FilterOptions } from '../instrument/filter.js';
import { instrument } from '../instrument/transform.js';
import { mayLoadEsModule } from './esm-entry.js';

type Compile = (this: unknown, content: string, filename: string, ...rest: unknown[]) => unknown;

export interface CommonJsHook {
  /**
   * Called once, before Node compiles a file that may reach its ES module loader (a dynamic `import()`, or an ES
   * module that `require` loads: its own imports go through that loader); null when nothing is waiting for that.
   */
  beforeEsm: (() => void) | null;
}

/** CommonJS: instrument in `Module.prototype._compile`, which every require hook (tsx, ts-node) ends in with compiled JS. */
export function hookCommonJs(options: FilterOptions & { sourceMaps: boolean }): CommonJsHook {
  const hook: CommonJsHook = { beforeEsm: null };
  const proto = (Module as unknown as { prototype: { _compile: Compile } }).prototype;
  const original = proto._compile;
  // Loading the parser itself goes through _compile: never instrument while instrumenting.
  let busy = false;
  proto._compile = function compile(this: unknown, content: string, filename: string, ...rest: unknown[]): unknown {
    let code = content;
    if (busy) return original.call(this, code, filename, ...rest);
    busy = true;
    try {
      const beforeEsm = hook.beforeEsm;
      if (beforeEsm !== null && typeof content === 'string' && (rest[0] === 'module' || mayLoadEsModule(content)) && !ownFile(filename)) {
        hook.beforeEsm = null;
        beforeEsm();
      }
      if (typeof content === 'string' && typeof filename === 'string' && shouldInstrument(filename, options)) {
        const isModule = rest[0] === 'module';
        const out = instrument(content, { id: filename, path: filename, module: isModule, sourceMaps: options.sourceMaps });
        if (out) code = out.code;
      }
    } catch {
      code = content;
    } finally {
      busy = false;
    }
    const restore = makeRoomForLoaderExitListener(this, filename);
    try {
      return original.call(this, code, filename, ...rest);
    } finally {
      restore();
    }
  };
  return hook;
}

const ownFile = (filename: unknown): boolean => typeof filename === 'string' && filename.startsWith(TRACER_DIR + sep);

/**
 * With any `--import`, Node runs a CommonJS entry through its ESM loader, which keeps its own 'exit' listener
 * (`handleProcessExit`) while the entry evaluates. A program adding ten 'exit' listeners there would get a
 * MaxListenersExceededWarning it does not get untraced: allow one more listener while the entry evaluates.
 */
function makeRoomForLoaderExitListener(module: unknown, filename: string): () => void {
  const entry = process.argv[1];
  if ((module as { id?: string }).id !== '.' && (entry === undefined || resolve(entry) !== filename)) return () => {};
  const max = process.getMaxListeners();
  if (max === 0 || !Number.isFinite(max) || !process.listeners('exit').some((f) => f.name === 'handleProcessExit')) return () => {};
  process.setMaxListeners(max + 1);
  return () => {
    if (process.getMaxListeners() === max + 1) process.setMaxListeners(max);
  };
}
