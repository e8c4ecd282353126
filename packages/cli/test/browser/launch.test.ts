import { describe, expect, it } from 'vitest';
import { chooseBrowser, launchBrowser } from './launch.js';

describe('the browser for browser tests', () => {
  const none = () => false;
  const only = (path: string) => (candidate: string) => candidate === path;

  it('takes CHROME_PATH first, then a system Chromium, then the one shipped in @sparticuz/chromium', () => {
    expect(chooseBrowser({ CHROME_PATH: '/opt/chrome' }, () => true)).toEqual({ kind: 'env', executablePath: '/opt/chrome' });
    expect(chooseBrowser({}, only('/usr/bin/chromium'))).toEqual({ kind: 'system', executablePath: '/usr/bin/chromium' });
    expect(chooseBrowser({}, none)).toEqual({ kind: 'bundled' });
    expect(chooseBrowser({ OVERLAP_TEST_BROWSER: 'bundled' }, () => true)).toEqual({ kind: 'bundled' });
  });

  it('says so when CHROME_PATH names nothing runnable', () => {
    expect(() => chooseBrowser({ CHROME_PATH: '/nowhere/chrome' }, none)).toThrow('CHROME_PATH names /nowhere/chrome');
  });

  it('launches the bundled Chromium with no system browser at all', async () => {
    const browser = await launchBrowser({ kind: 'bundled' });
    try {
      const page = await browser.newPage();
      await page.setContent('<p id="x">rendered</p>');
      expect(await page.textContent('#x')).toBe('rendered');
    } finally {
      await browser.close();
    }
  }, 120_000);
});
