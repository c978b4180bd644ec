/**
 * Who may do what (SPEC §1), as pure functions of the caller. Handlers declare the roles a
 * route needs; use cases call `assertDepartment` where the data belongs to a department.
 */
import { ForbiddenError } from './errors';

export const ROLES = ['department', 'finance', 'performance', 'expert'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  sub: string;
  roles: Role[];
  /** Set for department officers: the one department they act for. */
  deptId?: string;
}

export const PUBLIC: Principal = { sub: 'public', roles: [] };
export const SYSTEM: Principal = { sub: 'system:scheduler', roles: ['performance'] };

export function hasRole(p: Principal, ...roles: Role[]): boolean {
  return roles.some((r) => p.roles.includes(r));
}

/** finance and performance read everything. */
export function readsEverything(p: Principal): boolean {
  return hasRole(p, 'finance', 'performance');
}

/** May this caller read this department's unpublished data? */
export function canReadDepartment(p: Principal, deptId: string): boolean {
  return readsEverything(p) || (hasRole(p, 'department') && p.deptId === deptId);
}

/** May this caller write this department's own data (projects, expenditures, targets...)? */
export function canWriteDepartment(p: Principal, deptId: string): boolean {
  return hasRole(p, 'performance') || (hasRole(p, 'department') && p.deptId === deptId);
}

export function assertReadDepartment(p: Principal, deptId: string): void {
  if (!canReadDepartment(p, deptId)) throw new ForbiddenError('This belongs to another department');
}

export function assertWriteDepartment(p: Principal, deptId: string): void {
  if (!canWriteDepartment(p, deptId)) throw new ForbiddenError('This belongs to another department');
}

/**
 * The department filter a list must use: a department officer sees only its own department,
 * whatever it asked for; asking for another is refused rather than silently narrowed.
 */
export function scopeDepartment(p: Principal, requested: string | undefined): string | undefined {
  if (readsEverything(p)) return requested;
  if (hasRole(p, 'department') && p.deptId) {
    if (requested !== undefined && requested !== p.deptId) {
      throw new ForbiddenError('A department may list only its own data');
    }
    return p.deptId;
  }
  throw new ForbiddenError();
}
