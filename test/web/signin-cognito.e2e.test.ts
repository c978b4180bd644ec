/**
 * The deployed sign-in in a real browser, against a tiny fake of Cognito's OAuth endpoints: the
 * same web/dist the stack ships, served by the local adapter with a `/config.json` in cognito
 * mode. The fake answers on the console's own origin (Playwright's request routing), so the
 * console's CSP (connect-src 'self') holds; its ID tokens come from the local issuer, so the API
 * accepts them. Checked: the authorization request carries a PKCE S256 challenge that the token
 * request's verifier matches; the callback signs the department in with the menu of its role;
 * the ID token is renewed with the refresh token before it expires; sign-out revokes the refresh
 * token and goes through /logout back to the sign-in page.
 */
import { createHash } from 'node:crypto';
import { type Browser, chromium, type Page, type Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Adapter, startAdapter } from '../../local/adapter';
import { consoleFiles, ensureConsoleBuilt } from '../../local/console';
import { createLocalIssuer, type LocalIssuer } from '../../local/tokens';
import { setupTable } from '../support/harness';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CLIENT_ID = 'fakeclient0123456789';

let adapter: Adapter;
let browser: Browser;
let issuer: LocalIssuer;
let base: string;

/** What the fake authority saw. */
interface Seen {
  authorize: URLSearchParams[];
  token: URLSearchParams[];
  revoke: URLSearchParams[];
  logout: URLSearchParams[];
}

beforeAll(async () => {
  const [built] = await Promise.all([ensureConsoleBuilt(() => undefined), setupTable()]);
  expect(built, 'web/dist could not be built').toBe(true);
  issuer = await createLocalIssuer({ issuer: 'http://localhost/local' });
  adapter = await startAdapter({ port: 0, issuer, quiet: true, log: () => undefined, console: consoleFiles() });
  base = `http://127.0.0.1:${adapter.port}`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await adapter?.close();
});

const b64url = (buf: Buffer) => buf.toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

/** Cognito's endpoints as the console calls them; ID tokens expire in `expiresIn` seconds. */
async function fakeCognito(page: Page, expiresIn: number): Promise<Seen> {
  const seen: Seen = { authorize: [], token: [], revoke: [], logout: [] };
  const codes = new Map<string, string>();
  await page.route(`${base}/config.json`, (route) =>
    route.fulfill({
      json: {
        mode: 'cognito',
        apiUrl: '',
        authority: `${base}/fake-issuer`,
        domain: base,
        clientId: CLIENT_ID,
        redirectUri: `${base}/auth/callback`,
        logoutUri: `${base}/signin`,
        scope: 'openid email profile',
      },
    }),
  );
  await page.route(`${base}/oauth2/authorize?*`, (route: Route) => {
    const q = new URL(route.request().url()).searchParams;
    seen.authorize.push(q);
    const code = `code-${seen.authorize.length}`;
    codes.set(code, q.get('code_challenge') ?? '');
    return route.fulfill({ status: 302, headers: { location: `${q.get('redirect_uri')}?code=${code}&state=${q.get('state')}` } });
  });
  const idToken = async () => (await issuer.sign({ sub: 'officer-WA', roles: ['department'], deptId: 'WA' })).token;
  await page.route(`${base}/oauth2/token`, async (route) => {
    const form = new URLSearchParams(route.request().postData() ?? '');
    seen.token.push(form);
    if (form.get('grant_type') === 'authorization_code') {
      const challenge = codes.get(form.get('code') ?? '');
      const verifier = form.get('code_verifier') ?? '';
      if (!challenge || b64url(createHash('sha256').update(verifier).digest()) !== challenge)
        return route.fulfill({ status: 400, json: { error: 'invalid_grant' } });
      return route.fulfill({ json: { id_token: await idToken(), access_token: 'at-1', refresh_token: 'rt-1', expires_in: expiresIn, token_type: 'Bearer' } });
    }
    if (form.get('grant_type') === 'refresh_token' && form.get('refresh_token') === 'rt-1') {
      // Cognito sends no new refresh token.
      return route.fulfill({ json: { id_token: await idToken(), access_token: `at-${seen.token.length}`, expires_in: 3600, token_type: 'Bearer' } });
    }
    return route.fulfill({ status: 400, json: { error: 'invalid_grant' } });
  });
  await page.route(`${base}/oauth2/revoke`, (route) => {
    seen.revoke.push(new URLSearchParams(route.request().postData() ?? ''));
    return route.fulfill({ status: 200, body: '' });
  });
  await page.route(`${base}/logout?*`, (route) => {
    const q = new URL(route.request().url()).searchParams;
    seen.logout.push(q);
    return route.fulfill({ status: 302, headers: { location: q.get('logout_uri') ?? '/' } });
  });
  return seen;
}

describe('Cognito sign-in (code + PKCE) against a fake authority', () => {
  it('signs a department in, renews its token, and signs it out through /logout', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
    // 61 s: oidc-client-ts renews 60 s before expiry, so about a second after sign-in.
    const seen = await fakeCognito(page, 61);

    await page.goto(`${base}/projects`);
    await page.locator('[data-test=signin-cognito]').click();
    await page.locator('[data-test=who]').waitFor({ timeout: 20_000 });

    // The authorization request: code flow, PKCE S256, the registered redirect, the state.
    expect(seen.authorize).toHaveLength(1);
    const auth = seen.authorize[0]!;
    expect({
      response_type: auth.get('response_type'),
      client_id: auth.get('client_id'),
      redirect_uri: auth.get('redirect_uri'),
      scope: auth.get('scope'),
      method: auth.get('code_challenge_method'),
    }).toEqual({
      response_type: 'code',
      client_id: CLIENT_ID,
      redirect_uri: `${base}/auth/callback`,
      scope: 'openid email profile',
      method: 'S256',
    });
    expect(auth.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    // The token request proved the verifier (the fake refuses otherwise) and came back to the page asked for.
    expect(seen.token[0]!.get('grant_type')).toBe('authorization_code');
    expect(seen.token[0]!.get('code_verifier')!.length).toBeGreaterThanOrEqual(43);
    await expect.poll(() => new URL(page.url()).pathname, { timeout: 10_000 }).toBe('/projects');
    expect(await page.locator('[data-test=who]').innerText()).toContain('WA');
    const menu = await page.locator('nav[aria-label=主菜单] .el-menu-item').allInnerTexts();
    expect(menu).toContain('项目与支出进度');
    expect(menu).not.toContain('绩效目标审核');
    expect(menu).not.toContain('作业运行');

    // Renewed with the refresh token before the first ID token expires.
    await expect.poll(() => seen.token.map((t) => t.get('grant_type')), { timeout: 15_000 }).toEqual(['authorization_code', 'refresh_token']);
    expect(seen.token[1]!.get('refresh_token')).toBe('rt-1');

    // Sign-out: refresh token revoked, Cognito's logout with the client and the registered logout URI.
    await page.getByRole('button', { name: '退出登录' }).click();
    await page.locator('[data-test=signin-cognito]').waitFor({ timeout: 15_000 });
    expect(new URL(page.url()).pathname).toBe('/signin');
    expect(seen.revoke.map((r) => [r.get('token'), r.get('token_type_hint'), r.get('client_id')])).toEqual([['rt-1', 'refresh_token', CLIENT_ID]]);
    expect(seen.logout.map((q) => Object.fromEntries(q))).toEqual([{ client_id: CLIENT_ID, logout_uri: `${base}/signin` }]);
    // Nothing is left to restore: a reload stays signed out.
    await page.reload();
    await page.locator('[data-test=signin-cognito]').waitFor({ timeout: 15_000 });
    await page.close();
  }, 90_000);
});
