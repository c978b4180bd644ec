/**
 * What a browser test of the console needs (the same launch as test/web/console.e2e.test.ts):
 * web/dist built, the local adapter on a free port over the test's table, Debian's Chromium by
 * playwright-core, and the checks every page gets — axe-core (no serious or critical
 * violation) and a screenshot into docs/console/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import { type Adapter, startAdapter } from '../../local/adapter';
import { consoleFiles, ensureConsoleBuilt } from '../../local/console';
import { createLocalIssuer } from '../../local/tokens';

import { accessible, atRest, eventually, launchChromium, menuOf, open, SHOTS } from '../support/browser';

export { accessible, eventually, menuOf, open };

export interface Console {
  adapter: Adapter;
  browser: Browser;
  base: string;
  close(): Promise<void>;
}

/** Builds the console if stale (while `fixtures` run), serves it and starts Chromium. */
export async function startConsole(fixtures: () => Promise<void>): Promise<Console> {
  const [built] = await Promise.all([ensureConsoleBuilt(() => undefined), fixtures()]);
  expect(built, 'web/dist could not be built').toBe(true);
  const issuer = await createLocalIssuer({ issuer: 'http://localhost/local' });
  const adapter = await startAdapter({ port: 0, issuer, quiet: true, log: () => undefined, console: consoleFiles() });
  const browser = await launchChromium();
  mkdirSync(SHOTS, { recursive: true });
  return {
    adapter,
    browser,
    base: `http://127.0.0.1:${adapter.port}`,
    close: async () => {
      await browser.close();
      await adapter.close();
    },
  };
}

/** A screenshot at rest (no hover or focus ring left on what was clicked); a dialog's page as the viewport shows it. */
export async function shot(page: Page, name: string, opts: { dialog?: boolean } = {}) {
  await atRest(page);
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: !opts.dialog, animations: 'disabled' });
}

/** Signs in on the local sign-in page as a role (and department) and waits for the inbox. */
export async function signIn(page: Page, base: string, role: 'department' | 'finance' | 'performance', deptId?: string) {
  await page.goto(`${base}/signin`);
  await page.getByRole('button', { name: '登录' }).waitFor();
  await page.locator(`[data-test=role-${role}]`).click();
  if (deptId) {
    await page.locator('[data-test=dept]').click();
    await page.keyboard.type(deptId);
    await page.keyboard.press('Enter');
  }
  await page.getByRole('button', { name: '登录' }).click();
  await page.locator('[data-test=inbox-table]').waitFor();
}

/** The toast that says a write worked (Element Plus's success message). */
export async function toast(page: Page): Promise<string> {
  const el = page.locator('.el-message--success').last();
  await el.waitFor();
  return el.innerText();
}
