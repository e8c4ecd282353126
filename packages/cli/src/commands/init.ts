import { defineCommand } from '../command.js';

export default defineCommand<{ readonly config: string; readonly force?: boolean }>({
  name: 'init',
  summary: 'Write a starter overlap.config.json',
  details:
    'Lists every rule at its recommended severity, with a $schema for editors, and adds the cache folder to .gitignore. Refuses to overwrite an existing configuration without --force.',
  arguments: [],
  options: [
    { flags: '-c, --config <file>', description: 'where to write it', defaultValue: 'overlap.config.json' },
    { flags: '--force', description: 'overwrite an existing configuration file' },
  ],
  async run(_args, options, io) {
    const { runInit } = await import('../init/run-init.js');
    return runInit(options.config, options.force === true, io);
  },
});
