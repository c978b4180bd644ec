/**
 * The console's sign-in logic that runs without a browser (web/src/auth/config.ts, access.ts):
 * the runtime config (/config.json), the identity from an ID token's claims as the API reads
 * them, and which routes and menu entries a role gets.
 */
import { describe, expect, it } from 'vitest';
import { principalFromEvent } from '../../shared/http/claims';
import { identityFromClaims, mayOpen, menuOf, NoRoleError } from '../../web/src/auth/access';
import { ConfigError, LOCAL_CONFIG, apiPath, cognitoLogoutUrl, loadConfig, parseConfig, runtimeConfig, setConfig } from '../../web/src/auth/config';
import type { Role } from '../../web/src/api/types';

const ORIGIN = 'https://d1234abcd.cloudfront.net';
const deployed = {
  mode: 'cognito',
  apiUrl: 'https://a1b2c3.execute-api.ap-southeast-1.amazonaws.com/',
  authority: 'https://cognito-idp.ap-southeast-1.amazonaws.com/ap-southeast-1_AbC123',
  domain: 'https://jixiao-123456789012.auth.ap-southeast-1.amazoncognito.com',
  clientId: '4h5j6k7l8m9n0p1q2r3s4t5u6v',
  redirectUri: `${ORIGIN}/auth/callback`,
  logoutUri: `${ORIGIN}/signin`,
  scope: 'openid email profile',
};

const reply = (status: number, body?: unknown) => async () => ({
  status,
  ok: status >= 200 && status < 300,
  json: async () => (typeof body === 'string' ? JSON.parse(body) : body),
});

describe('runtime config', () => {
  it('is local when the server has no /config.json (npm start)', async () => {
    expect(await loadConfig(reply(404), 'http://localhost:3000')).toEqual({ mode: 'local', apiUrl: '' });
  });

  it('reads what the stack writes, without the trailing slash of the API URL', async () => {
    const requested: string[] = [];
    const config = await loadConfig(async (input, init) => {
      requested.push(`${input} ${init?.cache}`);
      return reply(200, deployed)();
    }, ORIGIN);
    expect(requested).toEqual(['/config.json no-store']);
    expect(config).toEqual({ ...deployed, apiUrl: 'https://a1b2c3.execute-api.ap-southeast-1.amazonaws.com' });
  });

  it('defaults the redirect URIs to the console origin and the scope to openid email profile', () => {
    const { redirectUri: _r, logoutUri: _l, scope: _s, ...rest } = deployed;
    expect(parseConfig(rest, ORIGIN)).toMatchObject({ redirectUri: `${ORIGIN}/auth/callback`, logoutUri: `${ORIGIN}/signin`, scope: 'openid email profile' });
    expect(parseConfig({ mode: 'local', apiUrl: 'http://localhost:3160' })).toEqual({ mode: 'local', apiUrl: 'http://localhost:3160' });
  });

  it('fails rather than fall back to local sign-in when the file is there but wrong', async () => {
    await expect(loadConfig(reply(403), ORIGIN)).rejects.toThrow('HTTP 403');
    await expect(loadConfig(reply(200, '<!doctype html>'), ORIGIN)).rejects.toThrow('not JSON');
    const cases: Array<[unknown, string]> = [
      [[], 'not an object'],
      [{ mode: 'saml' }, 'mode must be local or cognito'],
      [{ ...deployed, clientId: undefined }, 'clientId is missing'],
      [{ ...deployed, domain: undefined }, 'domain is missing'],
      [{ ...deployed, authority: 'http://cognito-idp.example.com/pool' }, 'authority must be https'],
      [{ ...deployed, apiUrl: 'not a url at all' }, 'apiUrl is not a URL'],
    ];
    for (const [raw, message] of cases) {
      expect(() => parseConfig(raw)).toThrow(ConfigError);
      expect(() => parseConfig(raw)).toThrow(message);
    }
  });

  it('prefixes API paths with the API URL once set', () => {
    try {
      expect(apiPath('/v1/inbox?year=2020')).toBe('/v1/inbox?year=2020');
      setConfig(parseConfig(deployed, ORIGIN));
      expect(runtimeConfig().mode).toBe('cognito');
      expect(apiPath('/v1/inbox?year=2020')).toBe('https://a1b2c3.execute-api.ap-southeast-1.amazonaws.com/v1/inbox?year=2020');
    } finally {
      setConfig(LOCAL_CONFIG);
    }
  });

  it("signs out through Cognito's logout endpoint, back to a registered logout URL", () => {
    const config = parseConfig(deployed, ORIGIN);
    if (config.mode !== 'cognito') throw new Error('expected cognito');
    const url = new URL(cognitoLogoutUrl(config));
    expect(`${url.origin}${url.pathname}`).toBe('https://jixiao-123456789012.auth.ap-southeast-1.amazoncognito.com/logout');
    expect(Object.fromEntries(url.searchParams)).toEqual({ client_id: deployed.clientId, logout_uri: `${ORIGIN}/signin` });
  });
});

describe('identity from the ID token', () => {
  const idToken = { sub: 'a1b2-c3', 'cognito:groups': ['department'], 'custom:deptId': 'D001', email: 'officer@d001.xm.gov.cn', aud: deployed.clientId };

  it('reads cognito:groups and custom:deptId as the API does', () => {
    expect(identityFromClaims(idToken)).toEqual({ sub: 'a1b2-c3', role: 'department', roles: ['department'], deptId: 'D001', name: 'officer@d001.xm.gov.cn' });
    // The API's reading of the same claims (as API Gateway flattens them) gives the same principal.
    const flattened = { ...idToken, 'cognito:groups': '[department]' };
    expect(principalFromEvent({ requestContext: { authorizer: { jwt: { claims: flattened, scopes: [] } } } } as never)).toEqual({
      sub: 'a1b2-c3',
      roles: ['department'],
      deptId: 'D001',
    });
  });

  it('acts in the role that reads most when the user is in several groups, and ignores unknown groups', () => {
    expect(identityFromClaims({ sub: 'u', 'cognito:groups': ['expert', 'finance', 'admins'], name: '李四' })).toEqual({
      sub: 'u',
      role: 'finance',
      roles: ['expert', 'finance'],
      name: '李四',
    });
    expect(identityFromClaims({ sub: 'u', 'cognito:groups': ['finance', 'performance'] }).role).toBe('performance');
  });

  it('refuses a user with no role, or a department officer with no department, in Chinese', () => {
    expect(() => identityFromClaims({ sub: 'u', 'cognito:groups': ['admins'] })).toThrow(new NoRoleError('您的账号尚未分配角色，请联系绩效管理处'));
    expect(() => identityFromClaims({ sub: 'u' })).toThrow(NoRoleError);
    expect(() => identityFromClaims({ sub: 'u', 'cognito:groups': ['department'] })).toThrow('尚未设置所属部门');
    expect(() => identityFromClaims({ 'cognito:groups': ['finance'] })).toThrow('没有用户标识');
  });
});

describe('routes and menu by role', () => {
  const readers: Role[] = ['department', 'finance', 'performance'];
  const bureau: Role[] = ['finance', 'performance'];
  // The shape of web/src/router.ts consoleRoutes (meta only).
  const routes = [
    { path: '', meta: { title: '待办事项', roles: [...readers, 'expert'] as Role[], menu: true } },
    { path: 'projects', meta: { title: '项目与支出进度', roles: readers, menu: true } },
    { path: 'projects/:projectId', meta: { title: '项目详情', roles: readers } },
    { path: 'targets', meta: { title: '绩效目标审核', roles: bureau, menu: true } },
    { path: 'jobs', meta: { title: '作业运行', roles: ['performance'] as Role[], menu: true } },
    { path: 'public', meta: { title: '绩效目标公开', public: true, menu: true } },
  ];
  const menu = (role: Role | undefined) => menuOf(routes, role).map((r) => r.meta.title);

  it('shows each role only the pages it may read, in order, never a detail page or a public one', () => {
    expect(menu('department')).toEqual(['待办事项', '项目与支出进度']);
    expect(menu('finance')).toEqual(['待办事项', '项目与支出进度', '绩效目标审核']);
    expect(menu('performance')).toEqual(['待办事项', '项目与支出进度', '绩效目标审核', '作业运行']);
    expect(menu('expert')).toEqual(['待办事项']);
    expect(menu(undefined)).toEqual([]);
  });

  it('lets the guard open a page only for its roles; public pages for anyone', () => {
    const meta = (path: string) => routes.find((r) => r.path === path)!.meta;
    expect(readers.concat('expert').map((role) => mayOpen(meta('targets'), role))).toEqual([false, true, true, false]);
    expect(mayOpen(meta('projects/:projectId'), 'expert')).toBe(false);
    expect(mayOpen(meta('public'), undefined)).toBe(true);
    expect(mayOpen({}, 'expert')).toBe(true);
    expect(mayOpen({}, undefined)).toBe(false);
  });
});
