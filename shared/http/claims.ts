/**
 * The caller, from the JWT claims API Gateway's authorizer put in the event. Cognito ID tokens
 * carry `cognito:groups` and `custom:deptId`; local tokens carry `roles` and `deptId`. API
 * Gateway flattens array claims to strings like "[finance performance]", so both shapes parse.
 */
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { type Principal, ROLES, type Role } from '../domain/access';

type Claims = Record<string, string | number | boolean | string[]>;

function listClaim(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value !== 'string') return [];
  const trimmed = value.trim();
  if (trimmed.startsWith('[') && trimmed.endsWith(']')) {
    try {
      const parsed = JSON.parse(trimmed) as unknown;
      if (Array.isArray(parsed)) return parsed.map(String);
    } catch {
      // "[a b]" is API Gateway's rendering of an array claim, not JSON.
    }
    return trimmed
      .slice(1, -1)
      .split(/[\s,]+/)
      .filter(Boolean);
  }
  return trimmed.split(/[\s,]+/).filter(Boolean);
}

export function principalFromEvent(event: Partial<APIGatewayProxyEventV2WithJWTAuthorizer>): Principal | undefined {
  const claims = event.requestContext?.authorizer?.jwt?.claims as Claims | undefined;
  return claims ? principalFromClaims(claims) : undefined;
}

/** The caller from a token's claims; the web console reads its ID token with this too. */
export function principalFromClaims(claims: Readonly<Record<string, unknown>>): Principal | undefined {
  if (typeof claims.sub !== 'string') return undefined;
  const raw = claims.roles !== undefined ? listClaim(claims.roles) : listClaim(claims['cognito:groups']);
  const roles = raw.filter((r): r is Role => (ROLES as readonly string[]).includes(r));
  const deptId = claims.deptId ?? claims['custom:deptId'];
  const principal: Principal = { sub: claims.sub, roles };
  if (typeof deptId === 'string' && deptId !== '') principal.deptId = deptId;
  return principal;
}
