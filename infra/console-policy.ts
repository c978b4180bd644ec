/**
 * What the console's responses must carry, wherever it is served: the local adapter
 * (local/console.ts) and CloudFront's response-headers policy (infra/constructs/console.ts) both
 * build their headers from here. No aws-cdk-lib import: `npm start` loads this file.
 */

/** Where Cognito sends the browser back with the authorization code (a console route). */
export const CALLBACK_PATH = '/auth/callback';
/** Where Cognito's logout endpoint sends the browser (the sign-in page). */
export const SIGNED_OUT_PATH = '/signin';

/**
 * The content security policy of the console's bundle: every script, style and font comes from
 * its own origin (nothing from a CDN); inline styles are Element Plus's; the page may call its
 * own origin and the given origins (the API, Cognito's token endpoint) and may not be framed.
 */
export function consoleCsp(connectSrc: readonly string[] = []): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src ${["'self'", ...connectSrc].join(' ')}`,
    "object-src 'none'",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
  ].join('; ');
}

export const REFERRER_POLICY = 'strict-origin-when-cross-origin';
/** Two years, the HSTS preload list's minimum. */
export const HSTS_MAX_AGE_SECONDS = 2 * 365 * 24 * 60 * 60;
export const PERMISSIONS_POLICY = 'camera=(), microphone=(), geolocation=(), payment=()';
