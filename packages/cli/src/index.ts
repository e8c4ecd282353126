// Public API of the `overlap` package: the CLI entry, and the pieces other commands (trace, audit) and tools build on.
export { main } from './cli.js';
export type { CliIO, CommandSpec, OptionSpec, ArgumentSpec } from './command.js';
export { defineCommand } from './command.js';
export { commands, type CommandEntry } from './commands/index.js';
export { OverlapError, isOverlapError, type OverlapErrorCode } from './errors.js';
export { reporters, formatNames, type Reporter, type ReporterContext } from './reporters/index.js';
export type { Report, ReportFinding, ReportError, ReportSummary, ReportSeverity } from './report/model.js';
export { reportVersion } from './report/model.js';
export type { ReportSuggestion, ReportEdit } from './analysis/outcome.js';
export { loadConfig } from './config/load-config.js';
export type { ResolvedConfig, UserConfig, Severity, FailOn } from './config/types.js';
export { ProjectResolver } from './analysis/resolver.js';
export { toolVersion } from './version.js';
