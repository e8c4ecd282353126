import type { CommandSpec } from '../command.js';

/**
 * The usage line and option table of a command, as docs/cli.md shows them. docs/cli.md holds this text between
 * `<!-- generated:<command> -->` and `<!-- /generated:<command> -->`; a test fails when they differ and
 * `npm run docs` (in packages/cli) rewrites them.
 */
export function commandMarkdown(spec: CommandSpec<any>): string {
  const args = spec.arguments.map((argument) => (argument.required ? `<${argument.name}>` : `[${argument.name}]`)).join(' ');
  const lines = ['```', `overlap ${spec.name} [options]${args ? ` ${args}` : ''}`, '```', '', spec.summary + '.', ''];
  if (spec.arguments.length > 0) {
    lines.push('| Argument | Description |', '| --- | --- |');
    for (const argument of spec.arguments) lines.push(`| \`${argument.name}\` | ${escapeCell(argument.description)} |`);
    lines.push('');
  }
  lines.push('| Option | Description | Values | Default |', '| --- | --- | --- | --- |');
  for (const option of spec.options) {
    const values = option.choices ? option.choices.map((choice) => `\`${choice}\``).join(', ') : option.parse === 'integer' ? 'integer' : '';
    const defaultValue = option.defaultValue === undefined ? '' : `\`${String(option.defaultValue)}\``;
    lines.push(`| \`${option.flags}\` | ${escapeCell(option.description)} | ${values} | ${defaultValue} |`);
  }
  return lines.join('\n');
}

function escapeCell(text: string): string {
  return text.replace(/\|/gu, '\\|');
}

/**
 * Replaces each generated block of `markdown` with the current text; unknown blocks are left alone. A command
 * without a block yet gets a new section at the end, to be moved and described by hand.
 */
export function updateGeneratedBlocks(markdown: string, blocks: Readonly<Record<string, string>>): string {
  const block = (name: string) => `<!-- generated:${name} -->\n${blocks[name]}\n<!-- /generated:${name} -->`;
  let updated = markdown.replace(/<!-- generated:([a-z-]+) -->\n[\s\S]*?<!-- \/generated:\1 -->/gu, (whole, name: string) =>
    blocks[name] === undefined ? whole : block(name),
  );
  for (const name of Object.keys(blocks)) {
    if (!updated.includes(`<!-- generated:${name} -->`)) updated = `${updated.trimEnd()}\n\n## overlap ${name}\n\n${block(name)}\n`;
  }
  return updated;
}
