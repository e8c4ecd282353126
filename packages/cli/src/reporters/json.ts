import type { Reporter } from './index.js';

/** The stable machine format (docs/report-format.md). `overlap merge` reads it back. */
const json: Reporter = (report) => `${JSON.stringify(report, null, 2)}\n`;

export default json;
