import type { CliIO } from '../command.js';

/**
 * Colours when writing to a terminal, unless NO_COLOR is set; FORCE_COLOR and --color/--no-color override.
 * https://no-color.org, https://force-color.org
 */
export function useColor(io: CliIO, flag: boolean | undefined, toFile: boolean): boolean {
  if (flag !== undefined) return flag;
  if (toFile) return false;
  const force = io.env['FORCE_COLOR'];
  if (force !== undefined) return force !== '0' && force !== 'false';
  if (io.env['NO_COLOR']) return false;
  return io.stdout.isTTY === true && io.env['TERM'] !== 'dumb';
}

/** A progress bar only helps a person watching: a terminal, outside CI, and a run long enough to wait for. */
export function useProgress(io: CliIO, flag: boolean, files: number): boolean {
  return flag && io.stderr.isTTY === true && !io.env['CI'] && files >= 200;
}
