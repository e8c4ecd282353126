import type { Writable } from 'node:stream';

/**
 * One option of one command. The same table builds the commander parser, `--help` and the option tables of
 * docs/cli.md (a test checks that the docs match), so an option can never be documented differently from how
 * it parses.
 */
export interface OptionSpec {
  /** Commander flags: `-o, --output <file>`, `--fix`, `--no-color`. */
  readonly flags: string;
  readonly description: string;
  readonly choices?: readonly string[];
  readonly defaultValue?: string | number | boolean;
  /** How the value is read: integers are checked, `collect` gathers a repeatable option into an array. */
  readonly parse?: 'integer' | 'collect';
}

export interface ArgumentSpec {
  /** `paths...` for a variadic argument, `file` for a single one. */
  readonly name: string;
  readonly description: string;
  readonly required?: boolean;
}

/** What a command may touch of the outside world. Tests give their own; the bin gives the process's. */
export interface CliIO {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: Writable & { isTTY?: boolean; columns?: number };
  readonly stderr: Writable & { isTTY?: boolean; columns?: number };
}

/**
 * A command module (src/commands/<name>.ts) default-exports one of these. The module itself stays light: heavy
 * code (TypeScript, the engine) is imported inside `run`, so `overlap --help` starts fast.
 */
export interface CommandSpec<Options = Record<string, unknown>> {
  readonly name: string;
  readonly summary: string;
  /** Extra paragraphs for `--help` and the docs. */
  readonly details?: string;
  readonly arguments: readonly ArgumentSpec[];
  readonly options: readonly OptionSpec[];
  /** Accept arguments after `--` (for commands that run a program). */
  readonly passThrough?: boolean;
  /** Returns the exit code: 0 success, 1 findings at or above the gate, 2 usage or internal error. */
  run(args: readonly string[], options: Options, io: CliIO): Promise<number>;
}

export function defineCommand<Options>(spec: CommandSpec<Options>): CommandSpec<Options> {
  return spec;
}
