/**
 * Deployed sign-in: Cognito's managed login with the authorization code flow and PKCE
 * (oidc-client-ts). The endpoints are the Cognito domain's, given here rather than discovered,
 * so the page talks only to the domain's token endpoint (the CSP names it) and nothing else.
 * The API wants the ID token (its audience is the app client, and it carries cognito:groups and
 * custom:deptId); it is refreshed with the refresh token a minute before it expires.
 */
import { type User, UserManager, WebStorageStateStore } from 'oidc-client-ts';
import type { CognitoConfig } from './config';

export interface SignedIn {
  idToken: string;
  claims: Record<string, unknown>;
  /** Seconds since the epoch. */
  expiresAt: number;
  /** Where to go after the callback (a console path). */
  next?: string;
}

let manager: UserManager | undefined;

const signedIn = (user: User, next?: string): SignedIn | undefined =>
  user.id_token && user.expires_at ? { idToken: user.id_token, claims: user.profile as Record<string, unknown>, expiresAt: user.expires_at, next } : undefined;

export function createManager(c: CognitoConfig): UserManager {
  manager = new UserManager({
    authority: c.authority,
    client_id: c.clientId,
    redirect_uri: c.redirectUri,
    post_logout_redirect_uri: c.logoutUri,
    response_type: 'code',
    scope: c.scope,
    metadata: {
      issuer: c.authority,
      authorization_endpoint: `${c.domain}/oauth2/authorize`,
      token_endpoint: `${c.domain}/oauth2/token`,
      revocation_endpoint: `${c.domain}/oauth2/revoke`,
      userinfo_endpoint: `${c.domain}/oauth2/userInfo`,
      end_session_endpoint: `${c.domain}/logout`,
    },
    // Refresh with the refresh token (Cognito issues one with the code); no iframe.
    automaticSilentRenew: true,
    accessTokenExpiringNotificationTimeInSeconds: 60,
    loadUserInfo: false,
    revokeTokenTypes: ['refresh_token'],
    // Closing the tab signs out: tokens are kept for the tab only.
    userStore: new WebStorageStateStore({ store: window.sessionStorage }),
  });
  return manager;
}

function need(): UserManager {
  if (!manager) throw new Error('Cognito sign-in is not configured');
  return manager;
}

/** The user kept from an earlier page of this tab, refreshed when its ID token has expired. */
export async function restore(): Promise<SignedIn | undefined> {
  const m = need();
  const user = await m.getUser();
  if (!user) return undefined;
  if (!user.expired) return signedIn(user);
  if (!user.refresh_token) return undefined;
  try {
    const renewed = await m.signinSilent();
    return renewed ? signedIn(renewed) : undefined;
  } catch {
    await m.removeUser();
    return undefined;
  }
}

/** Goes to Cognito's sign-in page; `next` comes back in the state. */
export async function redirectToSignIn(next: string): Promise<void> {
  await need().signinRedirect({ state: { next } });
}

/** Handles the redirect back to CALLBACK_PATH: exchanges the code (with the PKCE verifier). */
export async function completeSignIn(url: string): Promise<SignedIn> {
  const user = await need().signinRedirectCallback(url);
  const state = user.state as { next?: unknown } | undefined;
  const next = typeof state?.next === 'string' && state.next.startsWith('/') && !state.next.startsWith('//') ? state.next : undefined;
  const out = signedIn(user, next);
  if (!out) throw new Error('登录响应中没有 ID 令牌');
  return out;
}

/** Every renewed ID token, for the session. */
export function onRenewed(listener: (s: SignedIn) => void): void {
  need().events.addUserLoaded((user) => {
    const s = signedIn(user);
    if (s) listener(s);
  });
}

export function onExpired(listener: () => void): void {
  need().events.addAccessTokenExpired(listener);
  need().events.addSilentRenewError(listener);
}

/** Forgets the tokens here and revokes the refresh token (best effort). */
export async function forget(): Promise<void> {
  const m = need();
  try {
    await m.revokeTokens(['refresh_token']);
  } catch {
    // Already expired or revoked, or Cognito unreachable: the tokens are dropped below anyway.
  }
  await m.removeUser();
}
