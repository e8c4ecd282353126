/**
 * V8's RangeError for recursion deeper than the stack allows: generated code with expressions nested thousands
 * deep. The parser and some analyses recurse over the tree; such a file is reported in one line, never thrown.
 */
export function isStackOverflow(error: unknown): boolean {
  return error instanceof RangeError && /call stack/iu.test(error.message);
}
