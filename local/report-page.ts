/**
 * The annual report's HTML page in Debian's Chromium (playwright-core): a screenshot (written to
 * docs/report/) and an A4 PDF, with every console error, page error and network request the
 * page made — a self-contained page makes none.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SHOTS = join(import.meta.dirname, '..', '..', 'docs', 'report');

export async function renderReportPage(html: string, png: string, opts: { fullPage?: boolean; width?: number } = {}) {
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
    mkdirSync(SHOTS, { recursive: true });
    const shot = await page.screenshot({ path: join(SHOTS, png), fullPage: opts.fullPage ?? false });
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    return { headings, shot, pdf, errors };
  } finally {
    await browser.close();
  }
}
