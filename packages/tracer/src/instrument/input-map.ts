import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { SourceMapInput, TraceMap } from '@jridgewell/trace-mapping';
import { loadTraceMapping } from './lazy.js';

const MAGIC = /\/[*/][#@]\s*sourceMappingURL=([^\s'"*]+)\s*(?:\*\/\s*)?$/gm;

export interface InputMap {
  map: TraceMap;
  raw: SourceMapInput;
  /** Range of the magic comment in the source, replaced when a composed map is appended. */
  comment: { start: number; end: number };
}

/** Reads the source map a loaded file points to (inline data URL or a file beside it); undefined if none or unreadable. */
export function readInputMap(source: string, path: string): InputMap | undefined {
  let match: RegExpExecArray | null;
  let last: RegExpExecArray | undefined;
  MAGIC.lastIndex = 0;
  while ((match = MAGIC.exec(source)) !== null) last = match;
  if (last === undefined) return undefined;
  try {
    const url = last[1]!;
    let text: string;
    if (url.startsWith('data:')) {
      const comma = url.indexOf(',');
      const meta = url.slice(5, comma);
      const body = url.slice(comma + 1);
      text = meta.endsWith(';base64') ? Buffer.from(body, 'base64').toString('utf8') : decodeURIComponent(body);
    } else {
      const mapPath = url.startsWith('file:') ? fileURLToPath(url) : resolve(dirname(path), decodeURIComponent(url));
      text = readFileSync(mapPath, 'utf8');
    }
    const raw = JSON.parse(text) as SourceMapInput;
    const mapUrl = url.startsWith('data:') ? pathToFileURL(path).href : pathToFileURL(resolve(dirname(path), url)).href;
    return { map: new (loadTraceMapping().TraceMap)(raw, mapUrl), raw, comment: { start: last.index, end: last.index + last[0].length } };
  } catch {
    return undefined;
  }
}

/** Original position of a generated 1-based line and 0-based column; the file is an absolute path when it can be. */
export function mapPosition(
  input: InputMap,
  line: number,
  column: number,
): { file: string; line: number; column: number } | undefined {
  const pos = loadTraceMapping().originalPositionFor(input.map, { line, column });
  if (pos.source === null || pos.line === null || pos.column === null) return undefined;
  const file = pos.source.startsWith('file:') ? fileURLToPath(pos.source) : pos.source;
  return { file, line: pos.line, column: pos.column };
}
