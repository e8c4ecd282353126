import Module from 'node:module';
import { shouldInstrument, type FilterOptions } from '../instrument/filter.js';
import { instrument } from '../instrument/transform.js';

type Compile = (this: unknown, content: string, filename: string, ...rest: unknown[]) => unknown;

/** CommonJS: instrument in `Module.prototype._compile`, which every require hook (tsx, ts-node) ends in with compiled JS. */
export function hookCommonJs(options: FilterOptions & { sourceMaps: boolean }): void {
  const proto = (Module as unknown as { prototype: { _compile: Compile } }).prototype;
  const original = proto._compile;
  proto._compile = function compile(this: unknown, content: string, filename: string, ...rest: unknown[]): unknown {
    let code = content;
    try {
      if (typeof content === 'string' && typeof filename === 'string' && shouldInstrument(filename, options)) {
        const isModule = rest[0] === 'module';
        const out = instrument(content, { id: filename, path: filename, module: isModule, sourceMaps: options.sourceMaps });
        if (out) code = out.code;
      }
    } catch {
      code = content;
    }
    return original.call(this, code, filename, ...rest);
  };
}
