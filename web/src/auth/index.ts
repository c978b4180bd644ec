/**
 * Sign-in for the whole console, in the mode /config.json gives: `local` (the sign-in page gets
 * a token from POST /local/token) or `cognito` (the managed login, code + PKCE, cognito.ts).
 * main.ts awaits `initAuth` before the router's first guard runs, so a deployed console that
 * holds a refreshable session opens signed in.
 */
import { useSession } from '../stores/session';
import { type RuntimeConfig, cognitoLogoutUrl, loadConfig, runtimeConfig, setConfig } from './config';
import { identityFromClaims } from './access';
import type * as CognitoModule from './cognito';

type Session = ReturnType<typeof useSession>;
type SignedIn = CognitoModule.SignedIn;

/** oidc-client-ts is loaded only in cognito mode: the local console's first page does without it. */
let cognito: typeof CognitoModule;

/** signOut() drops the tokens itself (and waits for it before leaving the page). */
let leaving = false;

function enter(session: Session, s: SignedIn): void {
  const id = identityFromClaims(s.claims);
  session.signIn({
    token: s.idToken,
    role: id.role,
    sub: id.sub,
    expiresAt: new Date(s.expiresAt * 1000).toISOString(),
    ...(id.deptId ? { deptId: id.deptId } : {}),
  });
}

export async function initAuth(session: Session = useSession()): Promise<RuntimeConfig> {
  const config = await loadConfig((input, init) => fetch(input, init), window.location.origin);
  setConfig(config);
  if (config.mode !== 'cognito') return config;
  cognito = await import('./cognito');
  cognito.createManager(config);
  // The tab's tokens (sessionStorage) decide; a token another tab left in localStorage does not.
  const restored = await cognito.restore();
  try {
    if (!restored) throw new Error('no session');
    enter(session, restored);
  } catch {
    session.signOut();
    await cognito.forget();
  }
  cognito.onRenewed((s) => {
    try {
      enter(session, s);
    } catch {
      session.signOut();
    }
  });
  cognito.onExpired(() => session.signOut());
  // Whoever signs the session out (the menu, a 401 from the API) drops the Cognito tokens too.
  session.$onAction(({ name, after }) => {
    if (name === 'signOut' && !leaving) after(() => void cognito.forget());
  });
  return config;
}

export const signInMode = () => runtimeConfig().mode;

/** Cognito mode: off to the managed login page, back at CALLBACK_PATH. */
export async function startSignIn(next = '/'): Promise<void> {
  await cognito.redirectToSignIn(next);
}

/** The callback route: the session from the code, and where to go next. */
export async function finishSignIn(url: string, session: Session = useSession()): Promise<string> {
  const s = await cognito.completeSignIn(url);
  try {
    enter(session, s);
  } catch (error) {
    // No role or no department: nothing to keep (the page says why).
    await cognito.forget();
    throw error;
  }
  return s.next ?? '/';
}

/** Signs out; deployed, through Cognito's logout endpoint, which comes back to the sign-in page. */
export async function signOut(session: Session = useSession()): Promise<'local' | 'redirected'> {
  const config = runtimeConfig();
  if (config.mode !== 'cognito') {
    session.signOut();
    return 'local';
  }
  leaving = true;
  session.signOut();
  await cognito.forget();
  window.location.assign(cognitoLogoutUrl(config));
  return 'redirected';
}
