/**
 * Who the console is for, as pure functions: the signed-in identity from a token's claims (read
 * as the API reads them, shared/http/claims.ts) and which routes a role may open or sees in its
 * menu. The router's guard and the menu both use these, so the console never offers a page the
 * role may not read. Plain TypeScript: the unit tests run it in Node.
 */
import { principalFromClaims } from '../../../shared/http/claims';
import type { Role } from '../api/types';

/**
 * The role the console acts in when the token carries several groups: the one that reads most.
 * The API allows the union; the console's pages are built for one role at a time.
 */
export const ROLE_PRECEDENCE: readonly Role[] = ['performance', 'finance', 'department', 'expert'];

export interface Identity {
  sub: string;
  role: Role;
  /** Every role the token carries (the API's view). */
  roles: Role[];
  deptId?: string;
  /** A name to show: the token's name or email, else its subject. */
  name: string;
}

export class NoRoleError extends Error {}

/** The identity in an ID token's claims, or a NoRoleError a person can read (Chinese). */
export function identityFromClaims(claims: Readonly<Record<string, unknown>>): Identity {
  const principal = principalFromClaims(claims);
  if (!principal) throw new NoRoleError('令牌中没有用户标识');
  const role = ROLE_PRECEDENCE.find((r) => principal.roles.includes(r));
  if (!role) throw new NoRoleError('您的账号尚未分配角色，请联系绩效管理处');
  if (role === 'department' && !principal.deptId) throw new NoRoleError('您的账号尚未设置所属部门，请联系绩效管理处');
  const name = [claims.name, claims.email].find((v): v is string => typeof v === 'string' && v !== '') ?? principal.sub;
  return { sub: principal.sub, role, roles: principal.roles, ...(principal.deptId ? { deptId: principal.deptId } : {}), name };
}

export interface AccessMeta {
  roles?: readonly Role[];
  menu?: boolean;
  public?: boolean;
}

/** A public page anyone may open; any other needs a role that its `roles` name (none named: every signed-in role). */
export function mayOpen(meta: AccessMeta | undefined, role: Role | undefined): boolean {
  if (meta?.public) return true;
  if (!role) return false;
  return !meta?.roles || meta.roles.includes(role);
}

/** The menu of a role: the routes marked `menu` that it may open, in their order. */
export function menuOf<R extends { meta?: AccessMeta }>(routes: readonly R[], role: Role | undefined): R[] {
  return routes.filter((r) => r.meta?.menu && !r.meta.public && mayOpen(r.meta, role));
}
