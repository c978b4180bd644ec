/**
 * The annual report's HTML page in Debian's Chromium (playwright-core): a screenshot (a PNG
 * file) and an A4 PDF, with every console error, page error and network request the page
 * made — a self-contained page makes none. Used by the report tests and `bench/report.ts
 * --screenshot` (the demo year's docs/report/annual-demo.png).
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { chromium } from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Where the README's pictures of the report live. */
export const SHOTS = join(import.meta.dirname, '..', 'docs', 'report');

export async function renderReportPage(html: string, png: string, opts: { fullPage?: boolean; width?: number } = {}) {
  mkdirSync(dirname(png), { recursive: true });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: opts.width ?? 1000, height: 1400 } });
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('request', (r) => errors.push(`network: ${r.url()}`));
    await page.setContent(html, { waitUntil: 'load' });
    const headings = await page.locator('h2').count();
    const shot = await page.screenshot({ path: png, fullPage: opts.fullPage ?? false });
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    return { headings, shot, pdf, errors };
  } finally {
    await browser.close();
  }
}
