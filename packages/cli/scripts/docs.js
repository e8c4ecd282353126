// Rewrites the generated option tables of docs/cli.md from the commands' option tables, and the shipped JSON schema of
// overlap.config.json from the rules' metadata (run after a build).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { commands } from '../dist/commands/index.js';
import { commandMarkdown, updateGeneratedBlocks } from '../dist/help/markdown.js';

const docs = fileURLToPath(new URL('../../../docs/cli.md', import.meta.url));
const blocks = {};
for (const [name, entry] of Object.entries(commands)) blocks[name] = commandMarkdown((await entry.load()).default);
writeFileSync(docs, updateGeneratedBlocks(readFileSync(docs, 'utf8'), blocks));

// The JSON schema of overlap.config.json that the package ships for editors.
const { configJsonSchema, configSchemaPath } = await import('../dist/config/schema.js');
writeFileSync(fileURLToPath(new URL(`../${configSchemaPath}`, import.meta.url)), `${JSON.stringify(configJsonSchema(), null, 2)}\n`);
