/**
 * The console's runtime configuration, read from `/config.json` before the app mounts, so one
 * build serves both places: `npm start` has no such file (a 404 means local: the sign-in page of
 * POST /local/token and the API on the same origin); the stack writes one (infra/constructs/
 * console.ts) that names the API and the Cognito app client for the hosted sign-in.
 * Plain TypeScript, no DOM: the unit tests run it in Node.
 */

/** The console's route Cognito sends the code back to (infra/console-policy.ts CALLBACK_PATH). */
export const CALLBACK_PATH = '/auth/callback';
/** Where sign-out ends (infra/console-policy.ts SIGNED_OUT_PATH). */
export const SIGNED_OUT_PATH = '/signin';

export interface LocalConfig {
  mode: 'local';
  /** Base URL of the API; '' is the console's own origin. */
  apiUrl: string;
}

export interface CognitoConfig {
  mode: 'cognito';
  apiUrl: string;
  /** The user pool's issuer, https://cognito-idp.<region>.amazonaws.com/<poolId>. */
  authority: string;
  /** The Cognito domain of the managed login pages, https://<prefix>.auth.<region>.amazoncognito.com. */
  domain: string;
  clientId: string;
  redirectUri: string;
  logoutUri: string;
  scope: string;
}

export type RuntimeConfig = LocalConfig | CognitoConfig;

export const LOCAL_CONFIG: LocalConfig = { mode: 'local', apiUrl: '' };

export class ConfigError extends Error {}

const trimSlash = (url: string) => url.replace(/\/+$/, '');

function httpsUrl(raw: Record<string, unknown>, key: string, origin: string | undefined): string {
  const value = raw[key];
  if (typeof value !== 'string' || value === '') throw new ConfigError(`config.json: ${key} is missing`);
  let url: URL;
  try {
    url = new URL(value, origin);
  } catch {
    throw new ConfigError(`config.json: ${key} is not a URL`);
  }
  // Tokens travel to these: only over TLS, but for a developer's localhost.
  if (url.protocol !== 'https:' && url.hostname !== 'localhost' && url.hostname !== '127.0.0.1') {
    throw new ConfigError(`config.json: ${key} must be https`);
  }
  return trimSlash(url.href);
}

/**
 * Checks what /config.json holds. `origin` (the page's) completes relative redirect URIs and
 * gives their defaults, the console's own callback and sign-in routes.
 */
export function parseConfig(raw: unknown, origin?: string): RuntimeConfig {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new ConfigError('config.json: not an object');
  const r = raw as Record<string, unknown>;
  const apiUrl = r.apiUrl === undefined || r.apiUrl === '' ? '' : httpsUrl(r, 'apiUrl', origin);
  if (r.mode === 'local') return { mode: 'local', apiUrl };
  if (r.mode !== 'cognito') throw new ConfigError(`config.json: mode must be local or cognito, not ${JSON.stringify(r.mode)}`);
  if (typeof r.clientId !== 'string' || !/^[\w+]{1,128}$/.test(r.clientId)) throw new ConfigError('config.json: clientId is missing');
  const withDefault = (key: string, path: string) => (r[key] === undefined && origin ? `${trimSlash(origin)}${path}` : r[key]);
  return {
    mode: 'cognito',
    apiUrl,
    authority: httpsUrl(r, 'authority', origin),
    domain: httpsUrl(r, 'domain', origin),
    clientId: r.clientId,
    redirectUri: httpsUrl({ redirectUri: withDefault('redirectUri', CALLBACK_PATH) }, 'redirectUri', origin),
    logoutUri: httpsUrl({ logoutUri: withDefault('logoutUri', SIGNED_OUT_PATH) }, 'logoutUri', origin),
    scope: typeof r.scope === 'string' && r.scope.split(' ').includes('openid') ? r.scope : 'openid email profile',
  };
}

type Fetch = (
  input: string,
  init?: { cache?: 'no-store'; headers?: Record<string, string> },
) => Promise<{ status: number; ok: boolean; json(): Promise<unknown> }>;

/** Reads /config.json: 404 is the local runtime; anything else that is not a valid config fails. */
export async function loadConfig(fetchFn: Fetch, origin?: string, path = '/config.json'): Promise<RuntimeConfig> {
  const res = await fetchFn(path, { cache: 'no-store', headers: { accept: 'application/json' } });
  if (res.status === 404) return LOCAL_CONFIG;
  if (!res.ok) throw new ConfigError(`config.json: HTTP ${res.status}`);
  let raw: unknown;
  try {
    raw = await res.json();
  } catch {
    throw new ConfigError('config.json: not JSON');
  }
  return parseConfig(raw, origin);
}

let current: RuntimeConfig = LOCAL_CONFIG;

export function setConfig(config: RuntimeConfig): void {
  current = config;
}

export function runtimeConfig(): RuntimeConfig {
  return current;
}

/** An API path (`/v1/...`) as the URL to fetch. */
export function apiPath(path: string): string {
  return `${current.apiUrl}${path}`;
}

/**
 * Cognito's logout endpoint: it ends the managed login session too (else the next sign-in would
 * pass without a password) and sends the browser to `logout_uri`, which must be one of the app
 * client's logout URLs. It takes client_id and logout_uri, not OIDC's end-session parameters.
 */
export function cognitoLogoutUrl(c: CognitoConfig): string {
  const q = new URLSearchParams({ client_id: c.clientId, logout_uri: c.logoutUri });
  return `${c.domain}/logout?${q.toString()}`;
}
