import { defineCommand } from '../command.js';

export default defineCommand<{ readonly config: string }>({
  name: 'init',
  summary: 'Write a starter overlap.config.json',
  details: 'Lists every rule at its recommended severity. Refuses to overwrite an existing configuration.',
  arguments: [],
  options: [{ flags: '-c, --config <file>', description: 'where to write it', defaultValue: 'overlap.config.json' }],
  async run(_args, options, io) {
    const { runInit } = await import('../init/run-init.js');
    return runInit(options.config, io);
  },
});
