/**
 * Stable error codes. Scripts and tests match on `code`, never on message text, so messages can improve freely.
 * Every user error prints as one line (`overlap: <message>`) and exits with 2; none prints a stack.
 */
export type OverlapErrorCode =
  | 'OVERLAP_USAGE'
  | 'OVERLAP_CONFIG'
  | 'OVERLAP_CONFIG_EXISTS'
  | 'OVERLAP_NO_FILES'
  | 'OVERLAP_NOTHING_ANALYSED'
  | 'OVERLAP_BASELINE'
  | 'OVERLAP_REPORT'
  | 'OVERLAP_IO'
  | 'OVERLAP_INTERNAL';

export class OverlapError extends Error {
  readonly code: OverlapErrorCode;

  constructor(code: OverlapErrorCode, message: string) {
    super(message);
    this.name = 'OverlapError';
    this.code = code;
  }
}

export function isOverlapError(error: unknown): error is OverlapError {
  return error instanceof OverlapError;
}

/** The first line of whatever was thrown, for one-line messages about other people's errors. */
export function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split(/\r?\n/u)[0] ?? text;
}
