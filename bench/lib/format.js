/** Formatting of figures and plain-text/markdown tables. */
import { summarize } from './stats.js';

export function fmt(value, digits = 1) {
  if (value === undefined || value === null || Number.isNaN(value)) return 'n/a';
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString('en-US');
  return value.toFixed(digits);
}

/** "12.3 s ±4%" from raw repetitions. */
export function withSpread(values, unit = '', digits = 1) {
  const s = summarize(values);
  if (s.n === 0) return 'n/a';
  const figure = `${fmt(s.median, digits)}${unit ? ` ${unit}` : ''}`;
  return s.n > 1 ? `${figure} ±${Math.round(s.spread * 100)}%` : figure;
}

export function mb(bytes) {
  return bytes / (1024 * 1024);
}

/** A markdown table (also readable as plain text in a terminal). */
export function table(headers, rows) {
  const cells = [headers, ...rows].map((row) => row.map((cell) => String(cell ?? '')));
  const widths = headers.map((_, column) => Math.max(...cells.map((row) => row[column].length)));
  const line = (row) => `| ${row.map((cell, column) => cell.padEnd(widths[column])).join(' | ')} |`;
  return [line(cells[0]), `| ${widths.map((width) => '-'.repeat(width)).join(' | ')} |`, ...cells.slice(1).map(line)].join('\n');
}

/** "met" / "MISSED" beside a target. */
export function verdict(ok) {
  if (ok === undefined) return 'not measured';
  return ok ? 'met' : 'MISSED';
}
