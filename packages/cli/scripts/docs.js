// Rewrites the generated option tables of docs/cli.md from the commands' option tables (run after a build).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { commands } from '../dist/commands/index.js';
import { commandMarkdown, updateGeneratedBlocks } from '../dist/help/markdown.js';

const docs = fileURLToPath(new URL('../../../docs/cli.md', import.meta.url));
const blocks = {};
for (const [name, entry] of Object.entries(commands)) blocks[name] = commandMarkdown((await entry.load()).default);
writeFileSync(docs, updateGeneratedBlocks(readFileSync(docs, 'utf8'), blocks));
