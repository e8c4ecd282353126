import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../browser/launch.js';
import { packageRoot, repoRoot, runCli, scratchFolder } from '../helpers.js';

/**
 * The HTML report in real headless Chromium: it renders, the waterfall has one bar per critical-path step, the
 * page makes no network request, and source text that looks like markup stays text. The screenshot is kept in
 * test-artifacts/ for people to look at.
 */
const XSS = '</script><script>alert(1)</script>';

let browser: Browser;
let project: string;
let html: string;
let json: { runtime: { criticalPath: unknown[]; suggestions: Array<{ kind: string }> } };

beforeAll(async () => {
  project = scratchFolder('html-report');
  const source = readFileSync(join(repoRoot, 'fixtures', 'programs', 'audit-series', 'main.mjs'), 'utf8');
  // Markup in a comment inside the code frame of the top suggestion.
  const withXss = source.replace('async function main(base) {\n', `async function main(base) {\n  // banner: ${XSS}\n`);
  expect(withXss).not.toBe(source);
  writeFileSync(join(project, 'main.mjs'), withXss);
  const traced = runCli(['audit', '--save-trace', 'trace.ndjson', '--format', 'json', '--', process.execPath, 'main.mjs'], { cwd: project });
  expect(traced.code, traced.stderr).toBe(0);
  json = JSON.parse(traced.stdout) as typeof json;
  const rendered = runCli(['audit', '--trace', 'trace.ndjson', '--format', 'html', '--output', 'report.html'], { cwd: project });
  expect(rendered.code, rendered.stderr).toBe(0);
  html = join(project, 'report.html');
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

describe('overlap audit --format html', () => {
  it('is one self-contained file: no external references', () => {
    const text = readFileSync(html, 'utf8');
    expect(text).not.toMatch(/<(?:link|img|iframe)\b/iu);
    expect(text).not.toMatch(/\bsrc=|https?:\/\//iu);
    expect(text.split('<script>').length - 1).toBe(1);
  });

  it('renders in Chromium with one waterfall bar per critical-path step, no network, and markup shown as text', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const requests: string[] = [];
    const dialogs: string[] = [];
    page.on('request', (request) => {
      if (request.url() !== pathToFileURL(html).href) requests.push(request.url());
    });
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(pathToFileURL(html).href, { waitUntil: 'load' });
    expect(await page.locator('h1').textContent()).toBe('Overlap audit');
    expect(json.runtime.criticalPath.length).toBeGreaterThan(3);
    expect(await page.locator('.waterfall .step-bar').count()).toBe(json.runtime.criticalPath.length);
    expect(await page.locator('.waterfall .step-bar.wait').count()).toBeGreaterThan(0);
    expect(await page.locator('.waterfall .step-bar.cpu').count()).toBeGreaterThan(0);
    // Waits and CPU are drawn in different colours.
    const colour = (kind: string) => page.locator(`.waterfall .step-bar.${kind}`).first().evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }).getComputedStyle(el).backgroundColor);
    expect(await colour('wait')).not.toBe(await colour('cpu'));
    // The suggested overlap is drawn over the path.
    expect(json.runtime.suggestions[0]?.kind).toBe('parallelize');
    expect(await page.locator('.waterfall .ghost').count()).toBeGreaterThan(0);
    expect(await page.locator('.suggestion').count()).toBe(json.runtime.suggestions.length);
    expect(await page.locator('.finding').count()).toBeGreaterThan(0);
    const body = (await page.locator('body').textContent()) ?? '';
    expect(body).toContain(XSS);
    expect(dialogs).toEqual([]);
    expect(requests).toEqual([]);
    const artifacts = join(packageRoot, 'test-artifacts');
    if (!existsSync(artifacts)) mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, 'audit-report.png'), fullPage: true });
    copyFileSync(html, join(artifacts, 'audit-report.html'));
    await page.close();
  });
});
