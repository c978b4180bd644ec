/**
 * Local JWTs, issued and verified the way Cognito and API Gateway's JWT authorizer would: RS256,
 * a JWKS, issuer and audience checked, `exp` required. The key pair is kept in DATA_DIR when
 * there is one, so tokens survive a restart (on the same PORT: the issuer names it); with
 * DATA_DIR=memory a fresh key is made at every start.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { calculateJwkThumbprint, createLocalJWKSet, exportJWK, generateKeyPair, importJWK, type JWK, type JWTPayload, jwtVerify, SignJWT } from 'jose';
import * as z from 'zod';
import { ROLES } from '../shared/domain/access';

export const LOCAL_AUDIENCE = 'jixiao-local';
export const TOKEN_TTL_SECONDS = 12 * 60 * 60;
const ALG = 'RS256';

export const tokenRequestSchema = z.strictObject({
  sub: z.string().trim().min(1).max(128),
  roles: z.array(z.enum(ROLES)).max(ROLES.length),
  deptId: z.string().trim().min(1).max(64).optional(),
});
export type TokenRequest = z.infer<typeof tokenRequestSchema>;

export interface LocalIssuer {
  issuer: string;
  audience: string;
  sign(claims: TokenRequest): Promise<{ token: string; expiresAt: string }>;
  /** The verified payload, or undefined for anything API Gateway would refuse. */
  verify(token: string): Promise<JWTPayload | undefined>;
  jwks(): { keys: JWK[] };
}

/** Makes the issuer; `keyFile` keeps the private key between runs. */
export async function createLocalIssuer(options: { issuer: string; audience?: string; keyFile?: string }): Promise<LocalIssuer> {
  const audience = options.audience ?? LOCAL_AUDIENCE;
  const privateJwk = await loadOrCreateKey(options.keyFile);
  const { d, p, q, dp, dq, qi, ...publicFields } = privateJwk;
  const kid = await calculateJwkThumbprint(publicFields);
  const publicJwk: JWK = { ...publicFields, kid, alg: ALG, use: 'sig' };
  const privateKey = await importJWK(privateJwk, ALG);
  const keySet = createLocalJWKSet({ keys: [publicJwk] });

  return {
    issuer: options.issuer,
    audience,
    async sign(claims) {
      const now = Math.floor(Date.now() / 1000);
      const exp = now + TOKEN_TTL_SECONDS;
      const payload: JWTPayload = { roles: claims.roles, token_use: 'id' };
      if (claims.deptId) payload.deptId = claims.deptId;
      const token = await new SignJWT(payload)
        .setProtectedHeader({ alg: ALG, kid, typ: 'JWT' })
        .setSubject(claims.sub)
        .setIssuer(options.issuer)
        .setAudience(audience)
        .setIssuedAt(now)
        .setExpirationTime(exp)
        .sign(privateKey);
      return { token, expiresAt: new Date(exp * 1000).toISOString() };
    },
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, keySet, {
          issuer: options.issuer,
          audience,
          algorithms: [ALG],
          requiredClaims: ['exp'],
        });
        return payload;
      } catch {
        return undefined;
      }
    },
    jwks: () => ({ keys: [publicJwk] }),
  };
}

async function loadOrCreateKey(keyFile: string | undefined): Promise<JWK> {
  if (keyFile && existsSync(keyFile)) return JSON.parse(readFileSync(keyFile, 'utf8')) as JWK;
  const { privateKey } = await generateKeyPair(ALG, { extractable: true, modulusLength: 2048 });
  const jwk = await exportJWK(privateKey);
  if (keyFile) {
    mkdirSync(dirname(keyFile), { recursive: true });
    writeFileSync(keyFile, `${JSON.stringify(jwk)}\n`, { mode: 0o600 });
  }
  return jwk;
}

/**
 * Claims as API Gateway HTTP APIs hand them to the function: every value a string, arrays as
 * "[a b]" and objects as "map[k:v]" (Go's rendering), numbers and booleans as their text.
 */
export function apiGatewayClaims(payload: JWTPayload): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(payload)) {
    if (value !== undefined) out[key] = render(value);
  }
  return out;
}

function render(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(render).join(' ')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b));
    return `map[${entries.map(([k, v]) => `${k}:${render(v)}`).join(' ')}]`;
  }
  return String(value);
}
