import { mkdirSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot, repoRoot, runCli, scratchFolder } from '../helpers.js';
import { launchBrowser } from './launch.js';

/**
 * The audit's HTML report in real headless Chromium, on real traced programs: a service with two routes traced
 * with --cpu-profile (the picker, the lanes, hover, zoom, the suggestion's schedule over the recorded one, the
 * flame graph of a CPU step), a CPU-bound program with and without a profile (the offload-cpu flame, and the
 * note that says how to get one), and a program whose source holds markup (shown as text, no network).
 * Screenshots go to test/browser/artifacts/ (gitignored) for people to look at.
 */
const artifacts = join(packageRoot, 'test', 'browser', 'artifacts');
const XSS = '</script><script>alert(1)</script>';

let browser: Browser;

interface AuditJson {
  runtime: { routes: Array<{ route: string; count: number }>; suggestions: Array<{ kind: string; sites: Array<{ line: number }> }> };
}

/** Traces `program` (a fixture under fixtures/programs) with the audit and renders JSON and HTML from one trace. */
function audit(program: string, options: { cpuProfile?: boolean; edit?: (source: string) => string } = {}): { html: string; json: AuditJson } {
  const project = scratchFolder(`html-${program}`);
  const source = readFileSync(join(repoRoot, 'fixtures', 'programs', program, 'main.mjs'), 'utf8');
  writeFileSync(join(project, 'main.mjs'), options.edit ? options.edit(source) : source);
  const traced = runCli(['audit', ...(options.cpuProfile ? ['--cpu-profile'] : []), '--save-trace', 'trace.ndjson', '--format', 'json', 'main.mjs', '--', process.execPath, 'main.mjs'], { cwd: project });
  expect(traced.code, traced.stderr).toBe(0);
  const rendered = runCli(['audit', '--trace', 'trace.ndjson', '--format', 'html', '--output', 'report.html', 'main.mjs'], { cwd: project });
  expect(rendered.code, rendered.stderr).toBe(0);
  return { html: join(project, 'report.html'), json: JSON.parse(traced.stdout) as AuditJson };
}

async function open(html: string): Promise<{ page: Page; errors: string[]; requests: string[]; dialogs: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  const requests: string[] = [];
  const dialogs: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('request', (request) => {
    if (request.url() !== pathToFileURL(html).href) requests.push(request.url());
  });
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.goto(pathToFileURL(html).href, { waitUntil: 'load' });
  return { page, errors, requests, dialogs };
}

async function shot(page: Page, name: string, selector?: string): Promise<void> {
  mkdirSync(artifacts, { recursive: true });
  if (selector) await page.locator(selector).screenshot({ path: join(artifacts, `${name}.png`) });
  else await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
}

/** Clicks the root button of `route` whose label names `pick` (`slowest`, `p95`, `p50`). */
async function pickRoot(page: Page, route: string, pick = 'slowest'): Promise<void> {
  await page.locator('#route-rows tr', { hasText: route }).locator('button.root-pick', { hasText: pick }).first().click();
}

const text = (page: Page, selector: string) => page.locator(selector).first().textContent().then((t) => t ?? '');
const barSignature = (page: Page) => page.locator('#wf-canvas .bar').evaluateAll((bars) => bars.map((b) => (b as unknown as { style: { left: string; width: string; top: string } }).style).map((s) => `${s.left}/${s.width}/${s.top}`).join(' '));

beforeAll(async () => {
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

describe('a service with two routes, traced with --cpu-profile', () => {
  let html: string;
  let json: AuditJson;
  beforeAll(() => {
    ({ html, json } = audit('audit-routes', { cpuProfile: true }));
    mkdirSync(artifacts, { recursive: true });
    copyFileSync(html, join(artifacts, 'audit-routes.html'));
  }, 120_000);

  it('lists every route with its roots, and picking another route redraws the waterfall', async () => {
    const { page, errors } = await open(html);
    expect(json.runtime.routes.map((r) => r.route).sort()).toEqual(['GET /report', 'GET /users', 'process']);
    expect(await page.locator('#route-rows tr').count()).toBe(3);
    // The first view: the slowest request of the busiest route (which one that is depends on the machine's load).
    expect(['GET /users', 'GET /report']).toContain(await text(page, '#wf-title'));
    await pickRoot(page, 'GET /users');
    expect(await text(page, '#wf-title')).toBe('GET /users');
    const users = await barSignature(page);
    expect(await page.locator('#wf-canvas .bar.wait').count()).toBeGreaterThan(3);
    await shot(page, 'routes-users');
    await pickRoot(page, 'GET /report');
    expect(await text(page, '#wf-title')).toBe('GET /report');
    expect(await page.locator('#route-rows tr.picked').textContent()).toContain('GET /report');
    expect(await barSignature(page)).not.toBe(users);
    expect(await page.locator('#wf-canvas .bar.cpu').count()).toBeGreaterThan(0);
    // The median request of a route is a root of its own.
    await pickRoot(page, 'GET /users', 'p50');
    expect(await text(page, '#wf-meta')).toContain('p50');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('draws concurrent work in separate lanes and the suggestion’s schedule over the recorded one', async () => {
    const { page } = await open(html);
    await pickRoot(page, 'GET /users');
    const lanes = await page.locator('#lane-names .lane-name:not(.axis-pad)').allTextContents();
    // The request handler waits on showUser, which waits on lookup: three frames at once, three lanes.
    expect(lanes.slice(0, 3)).toEqual(['createServer callback', 'showUser', 'lookup']);
    const best = json.runtime.suggestions.findIndex((s) => s.kind === 'parallelize' && s.sites.some((site) => site.line === 13));
    expect(best).toBeGreaterThanOrEqual(0);
    // By default the best-ranked suggestion that changes this root is drawn.
    expect(await page.locator('#overlay-pick').inputValue()).not.toBe('-1');
    expect(await text(page, '#overlay-note')).toMatch(/instead of/u);
    await page.selectOption('#overlay-pick', String(best));
    // The three lookups overlap after the rewrite, so they need lanes of their own.
    const ghostLanes = await page.locator('#wf-canvas .ghost').evaluateAll((gs) => new Set(gs.map((g) => (g as unknown as { style: { top: string } }).style.top)).size);
    expect(ghostLanes).toBeGreaterThan(3);
    // The rewritten request ends before the recorded one (the axis spans the longer of the two).
    const ends = await page.locator('#wf-canvas .new-end').evaluate((e) => parseFloat((e as unknown as { style: { left: string } }).style.left));
    expect(ends).toBeLessThan(95);
    expect(await text(page, '#overlay-note')).toMatch(/instead of/u);
    await page.selectOption('#overlay-pick', '-1');
    expect(await page.locator('#wf-canvas .ghost').count()).toBe(0);
    await page.close();
  });

  it('shows the site, wait or CPU, milliseconds and the chain on hover', async () => {
    const { page } = await open(html);
    await pickRoot(page, 'GET /users');
    const waits = page.locator('#wf-canvas .bar.wait');
    const count = await waits.count();
    let found = false;
    for (let i = 0; i < count && !found; i++) {
      await waits.nth(i).hover({ force: true });
      const tip = (await page.locator('#tip').textContent()) ?? '';
      if (!tip.includes('main.mjs:8')) continue;
      found = true;
      expect(await page.locator('#tip').isVisible()).toBe(true);
      expect(tip).toMatch(/^wait [\d.]+ ms · main\.mjs:8 sleep/u);
      expect(tip).toContain('chain:');
      expect(tip).toMatch(/showUser main\.mjs:12 \(awaited at main\.mjs:37\)/u);
      expect(tip).toMatch(/lookup main\.mjs:7 \(awaited at main\.mjs:1[345]\)/u);
      await shot(page, 'hover', '#waterfall-section');
    }
    expect(found).toBe(true);
    await page.mouse.move(5, 5);
    expect(await page.locator('#tip').isVisible()).toBe(false);
    await page.close();
  });

  it('zooms with the buttons and the wheel, and resets', async () => {
    const { page } = await open(html);
    await pickRoot(page, 'GET /users');
    const width = () => page.locator('#wf-canvas').evaluate((e) => (e as unknown as { getBoundingClientRect(): { width: number } }).getBoundingClientRect().width);
    const step = async () => Number(await page.locator('#wf-axis').getAttribute('data-step'));
    const before = { width: await width(), step: await step(), ticks: await page.locator('#wf-axis .tick').allTextContents() };
    await page.click('#zoom-in');
    await page.click('#zoom-in');
    expect(await width()).toBeCloseTo(before.width * 2.25, 0);
    expect(await step()).toBeLessThan(before.step);
    expect(await text(page, '#zoom-level')).toBe('2.3×');
    await page.locator('#wf-scroll').hover();
    await page.mouse.wheel(0, -300);
    await page.waitForFunction(() => Number((globalThis as unknown as { document: { getElementById(id: string): { getAttribute(a: string): string } } }).document.getElementById('wf-canvas').getAttribute('data-zoom')) > 2.3);
    expect(await width()).toBeGreaterThan(before.width * 2.5);
    await shot(page, 'zoomed', '#waterfall-section');
    await page.click('#zoom-reset');
    expect(await width()).toBeCloseTo(before.width, 0);
    expect(await page.locator('#wf-axis .tick').allTextContents()).toEqual(before.ticks);
    await page.close();
  });

  it('draws the flame graph of the CPU-heavy step from the profile samples', async () => {
    const { page, errors } = await open(html);
    await pickRoot(page, 'GET /report');
    const nodes = page.locator('#flame .flame-node');
    expect(await nodes.count()).toBeGreaterThan(2);
    const names = await nodes.allTextContents();
    expect(names[0]).toBe('buildReport');
    expect(names).toContain('renderRows');
    expect(names).toContain('checksum');
    // renderRows holds most of the step's samples: its box is most of the graph's width.
    const box = (name: string) => nodes.filter({ hasText: new RegExp(`^${name}$`, 'u') }).first().boundingBox();
    expect((await box('renderRows'))!.width).toBeGreaterThan(0.7 * (await box('buildReport'))!.width);
    await nodes.filter({ hasText: /^checksum$/u }).first().hover();
    expect(await page.locator('#tip').textContent()).toMatch(/checksum · [\d.]+ ms.*main\.mjs:19/u);
    await shot(page, 'flame-report', '#flame-section');
    await shot(page, 'routes-report');
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('a CPU-bound program', () => {
  it('with --cpu-profile: the offload-cpu suggestion’s flame shows the renders it would move', async () => {
    const { html, json } = audit('audit-cpu', { cpuProfile: true });
    expect(json.runtime.suggestions[0]?.kind).toBe('offload-cpu');
    const { page, errors } = await open(html);
    expect(await text(page, '#flame-steps button')).toContain('offload-cpu');
    const names = await page.locator('#flame .flame-node').allTextContents();
    expect(names).toEqual(expect.arrayContaining(['renderHeader', 'renderBody', 'checksum']));
    await shot(page, 'cpu-profile');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('without a profile: the flame view says how to record one', async () => {
    const { html } = audit('audit-cpu');
    const { page } = await open(html);
    expect(await page.locator('#flame .flame-node').count()).toBe(0);
    expect(await text(page, '#flame-note')).toContain('overlap audit --cpu-profile');
    expect(await page.locator('#flame-note code').count()).toBe(3);
    await shot(page, 'cpu-no-profile', '#flame-section');
    await page.close();
  });
});

describe('source that holds markup', () => {
  it('is one self-contained file, makes no request, and shows markup as text', async () => {
    const { html } = audit('audit-series', { edit: (source) => source.replace('async function main(base) {\n', `async function main(base) {\n  // banner: ${XSS}\n`) });
    const file = readFileSync(html, 'utf8');
    expect(file).toContain('banner: &lt;/script&gt;');
    expect(file).not.toMatch(/<(?:link|img|iframe)\b/iu);
    expect(file).not.toMatch(/\bsrc=|https?:\/\//iu);
    // One data block and one script; the data cannot close its element.
    expect(file.match(/<script\b/giu)).toHaveLength(2);
    expect(file.match(/<\/script>/giu)).toHaveLength(2);
    const { page, requests, dialogs, errors } = await open(html);
    expect(await page.locator('h1').textContent()).toBe('Overlap audit');
    expect((await page.locator('body').textContent()) ?? '').toContain(XSS);
    expect(await page.locator('.suggestion').count()).toBeGreaterThan(0);
    expect(await page.locator('#wf-canvas .bar').count()).toBeGreaterThan(3);
    expect(dialogs).toEqual([]);
    expect(requests).toEqual([]);
    expect(errors).toEqual([]);
    await shot(page, 'series');
    await page.close();
  });
});
