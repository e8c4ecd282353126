import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import type { CliIO, CommandSpec, OptionSpec } from './command.js';
import { commands } from './commands/index.js';
import { firstLine, isOverlapError } from './errors.js';
import { toolVersion } from './version.js';

/**
 * Parses the command line and runs one command. Returns the exit code; never calls `process.exit` (the bin does
 * that), so tests can run the whole CLI in-process too.
 */
export async function main(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  const dashDash = argv.indexOf('--');
  const own = dashDash === -1 ? [...argv] : argv.slice(0, dashDash);
  const passThrough = dashDash === -1 ? [] : argv.slice(dashDash + 1);
  const operands = own.filter((arg) => !arg.startsWith('-'));
  // `overlap help check` needs the check command loaded to print its options.
  const invoked = operands[0] === 'help' ? operands[1] : operands[0];
  let exitCode = 0;

  const program = new Command('overlap')
    .description('Find async code that waits in series where it could wait in parallel, and races across awaits.')
    .version(toolVersion, '-v, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      outputError: (text, write) => write(`overlap: ${text.replace(/^error: /u, '')}`),
    });

  try {
    for (const [name, entry] of Object.entries(commands)) {
      if (name === invoked) {
        const spec = (await entry.load()).default;
        configureCommand(program.command(spec.name), spec).action(async (...actionArgs: unknown[]) => {
          const self = actionArgs[actionArgs.length - 1] as Command;
          exitCode = await spec.run(self.args, { ...self.opts(), '--': passThrough }, io);
        });
      } else {
        program.command(name).description(entry.summary);
      }
    }
    if (own.length === 0) {
      program.outputHelp();
      return 2;
    }
    await program.parseAsync(own, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help' ? 0 : 2;
    }
    if (isOverlapError(error)) {
      io.stderr.write(`overlap: ${error.message}\n`);
      return 2;
    }
    const debug = io.env['OVERLAP_DEBUG'];
    io.stderr.write(`overlap: internal error: ${firstLine(error)}${debug ? '' : ' (set OVERLAP_DEBUG=1 for details)'}\n`);
    if (debug && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
    return 2;
  }
}

/** Fills a commander command (which inherits the program's output and exit settings) from an option table. */
function configureCommand(command: Command, spec: CommandSpec<any>): Command {
  command.description(spec.summary);
  for (const argument of spec.arguments) {
    command.argument(argument.required ? `<${argument.name}>` : `[${argument.name}]`, argument.description);
  }
  for (const optionSpec of spec.options) command.addOption(toOption(optionSpec));
  if (spec.details) command.addHelpText('after', `\n${spec.details}`);
  return command;
}

function toOption(spec: OptionSpec): Option {
  const option = new Option(spec.flags, spec.description);
  if (spec.choices) option.choices([...spec.choices]);
  if (spec.defaultValue !== undefined) option.default(spec.defaultValue);
  if (spec.parse === 'integer') option.argParser(parseInteger);
  if (spec.parse === 'collect') option.argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]);
  return option;
}

function parseInteger(value: string): number {
  if (!/^\d+$/u.test(value)) throw new InvalidArgumentError('expected a whole number.');
  return Number(value);
}

function processIO(): CliIO {
  return { cwd: process.cwd(), env: process.env, stdout: process.stdout, stderr: process.stderr };
}
