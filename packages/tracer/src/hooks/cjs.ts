import Module from 'node:module';
import { shouldInstrument, type FilterOptions } from '../instrument/filter.js';
import { instrument } from '../instrument/transform.js';

type Compile = (this: unknown, content: string, filename: string, ...rest: unknown[]) => unknown;

/** CommonJS: instrument in `Module.prototype._compile`, which every require hook (tsx, ts-node) ends in with compiled JS. */
export function hookCommonJs(options: FilterOptions & { sourceMaps: boolean }): void {
  const proto = (Module as unknown as { prototype: { _compile: Compile } }).prototype;
  const original = proto._compile;
  // Loading the parser itself goes through _compile: never instrument while instrumenting.
  let busy = false;
  proto._compile = function compile(this: unknown, content: string, filename: string, ...rest: unknown[]): unknown {
    let code = content;
    if (busy) return original.call(this, code, filename, ...rest);
    busy = true;
    try {
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
    return original.call(this, code, filename, ...rest);
  };
}
