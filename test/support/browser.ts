/**
 * What the browser tests share: Debian's Chromium launched by playwright-core (Playwright's own
 * browser download cannot work here), axe-core on what a page shows, screenshots, the local
 * sign-in, and waiting for what a page shows once its requests have answered.
 */
import { join } from 'node:path';
import axe from 'axe-core';
import { type Browser, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SHOTS = join(import.meta.dirname, '..', '..', 'docs', 'console');

export const launchChromium = (): Promise<Browser> =>
  chromium.launch({
    executablePath: CHROMIUM,
    // --disable-site-isolation-trials: the annual report sits in a sandboxed srcdoc frame, which
    // site isolation puts in a process of its own; headless Chromium (no GPU) then routed clicks
    // on the toolbar above it into that frame, and 下载 Excel never saw them once CJK fonts
    // changed the layout. A click dispatched in the page worked; the flag makes the mouse's work.
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-site-isolation-trials',
    ],
  });

/**
 * The page at rest for a screenshot or axe: the pointer off every control (no hover highlight
 * left on the menu item or button last clicked) and the focus off it too, unless it is in a
 * dialog or a dropdown (taking it away would close them).
 */
export async function atRest(page: Page) {
  await page.mouse.move(0, 0);
  await page.evaluate(() => {
    const active = (globalThis as unknown as { document: { activeElement: { blur?: () => void; closest?: (s: string) => unknown } | null } }).document
      .activeElement;
    if (active?.closest && !active.closest('.el-dialog, .el-overlay, .el-popper, .el-drawer')) active.blur?.();
  });
}

/** axe-core on what the page shows now: no serious or critical violation. */
export async function accessible(page: Page, name: string) {
  // Judged at rest: no hover (the pointer leaves), no toast (they leave by themselves in a few
  // seconds) and no transition half way.
  await page.mouse.move(0, 0);
  await page.locator('.el-message').first().waitFor({ state: 'detached', timeout: 10_000 });
  await page.waitForFunction(
    () =>
      !(globalThis as unknown as { document: { querySelector(s: string): unknown } }).document.querySelector(
        '[class*="-enter-active"], [class*="-leave-active"]',
      ),
  );
  // Evaluated over CDP, which the console's CSP (script-src 'self') does not govern.
  // Once per document: a page moved on by the router keeps it.
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.evaluate(axe.source);
  // The function runs in the page; the test's tsconfig has no DOM types, so its globals are reached through globalThis.
  const violations = await page.evaluate(async () => {
    const page = globalThis as unknown as { axe: typeof axe; document: Parameters<typeof axe.run>[0] };
    const result = await page.axe.run(page.document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad, `${name}: ${JSON.stringify(bad, null, 1)}`).toEqual([]);
}

/** The whole page, or (a list of hundreds) the first screen of it. */
export async function shot(page: Page, name: string, fullPage = true) {
  await atRest(page);
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage, animations: 'disabled' });
}

export type Role = 'department' | 'finance' | 'performance';

/** Signs in on the local sign-in page; records how long the page and the inbox took. */
export async function signIn(page: Page, base: string, timings: Record<string, number>, role: Role, deptId?: string) {
  const started = Date.now();
  await page.goto(`${base}/signin`);
  await page.getByRole('button', { name: '登录' }).waitFor();
  timings[`signin page interactive (${role})`] ??= Date.now() - started;
  await page.locator(`[data-test=role-${role}]`).click();
  if (deptId) {
    await page.locator('[data-test=dept]').click();
    await page.keyboard.type(deptId);
    await page.keyboard.press('Enter');
  }
  const clicked = Date.now();
  await page.getByRole('button', { name: '登录' }).click();
  await page.locator('[data-test=inbox-table]').waitFor();
  await page
    .locator('[data-test=inbox-table] .el-loading-mask')
    .waitFor({ state: 'detached' })
    .catch(() => undefined);
  timings[`inbox after sign-in (${role})`] ??= Date.now() - clicked;
}

/** What the page shows once its requests have answered (the machine may be busy: generous). */
export const eventually = <T>(read: () => Promise<T>, timeout = 15_000) => expect.poll(read, { timeout });

export const rows = (page: Page, table: string) => page.locator(`[data-test=${table}] .el-table__body tr`);

export const menuOf = (page: Page) => page.locator('nav[aria-label=主菜单] .el-menu-item').allInnerTexts();

/** Opens a page from the menu and waits for its heading. */
export async function open(page: Page, item: string, heading = item) {
  await page.getByRole('menuitem', { name: item, exact: true }).click();
  await page.locator('h1', { hasText: heading }).waitFor();
  await page
    .locator('.el-loading-mask')
    .first()
    .waitFor({ state: 'detached' })
    .catch(() => undefined);
}

/** An input or textarea by its data-test (Element Plus puts it on the input itself, or on a wrapper). */
export const field = (page: Page, test: string) =>
  page.locator(`input[data-test=${test}], textarea[data-test=${test}], [data-test=${test}] input, [data-test=${test}] textarea`).first();

/** The message Element Plus shows under a form item, by the item's label. */
export const fieldError = (page: Page, label: string) =>
  page.locator('.el-form-item', { has: page.locator('.el-form-item__label', { hasText: label }) }).locator('.el-form-item__error');

/** The ex-ante scores both form tests type: 90/80/70/85/60 weigh 78.00 under the default policy (调整后支持). */
export const EX_ANTE_SCORES = { standard: 90, inputOutput: 80, goals: 70, affordability: 85, sustainability: 60 };

/** What the API stores for those scores, a first assessment within the remit. */
export const EX_ANTE_STORED = { version: 1, remit: true, scores: EX_ANTE_SCORES, weightedBp: 7800, outcome: 'adjust' };

/** Types each value into a multiple select that creates what it is given (the evaluation's projects and experts). */
export async function tags(page: Page, test: string, values: string[]) {
  await page.locator(`[data-test=${test}]`).click();
  for (const v of values) {
    await page.keyboard.type(v);
    await page.keyboard.press('Enter');
  }
  await page.keyboard.press('Escape');
}

/** Adds the evaluation's panel members, name and organisation each. */
export async function addPanel(page: Page, members: [string, string][]) {
  for (const [name, org] of members) {
    await page.locator('[data-test=eval-add-member]').click();
    const i = await page.locator('.member').count();
    await page.getByLabel(`第 ${i} 位成员姓名`).fill(name);
    await page.getByLabel(`第 ${i} 位成员单位`).fill(org);
  }
}

/** 事前绩效评估 with a project looked up and not yet assessed: the five scores and the comments typed. */
export async function fillExAnte(page: Page, comments: string) {
  await eventually(() => page.locator('[data-test=ex-ante-outcome]').innerText()).toBe('尚未评估');
  for (const [k, v] of Object.entries(EX_ANTE_SCORES)) {
    const input = field(page, `score-${k}`);
    await input.fill(String(v));
    await input.press('Tab');
  }
  await page.getByLabel('评估意见').fill(comments);
}
