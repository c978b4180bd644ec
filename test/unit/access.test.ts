import { describe, expect, it } from 'vitest';
import { canReadDepartment, canWriteDepartment, scopeDepartment } from '../../shared/domain/access';
import { ForbiddenError } from '../../shared/domain/errors';
import { principalFromEvent } from '../../shared/http/claims';

const officer = { sub: 'a', roles: ['department' as const], deptId: 'D01' };
const finance = { sub: 'f', roles: ['finance' as const] };
const perf = { sub: 'p', roles: ['performance' as const] };
const expert = { sub: 'e', roles: ['expert' as const] };

describe('access', () => {
  it('a department reads and writes only its own data', () => {
    expect(canReadDepartment(officer, 'D01')).toBe(true);
    expect(canReadDepartment(officer, 'D02')).toBe(false);
    expect(canWriteDepartment(officer, 'D02')).toBe(false);
    expect(canReadDepartment(finance, 'D02')).toBe(true);
    expect(canWriteDepartment(finance, 'D02')).toBe(false);
    expect(canWriteDepartment(perf, 'D02')).toBe(true);
    expect(canReadDepartment(expert, 'D01')).toBe(false);
  });

  it('narrows a department’s list to itself and refuses asking for another', () => {
    expect(scopeDepartment(officer, undefined)).toBe('D01');
    expect(() => scopeDepartment(officer, 'D02')).toThrow(ForbiddenError);
    expect(scopeDepartment(finance, undefined)).toBeUndefined();
    expect(() => scopeDepartment(expert, undefined)).toThrow(ForbiddenError);
  });

  it('reads claims as API Gateway renders them, from local and Cognito tokens', () => {
    const ev = (claims: Record<string, unknown>) => ({ requestContext: { authorizer: { jwt: { claims, scopes: [] } } } }) as never;
    expect(principalFromEvent(ev({ sub: 'u', roles: '[finance performance]' }))).toEqual({ sub: 'u', roles: ['finance', 'performance'] });
    expect(principalFromEvent(ev({ sub: 'u', roles: ['department'], deptId: 'D07' }))).toEqual({ sub: 'u', roles: ['department'], deptId: 'D07' });
    expect(principalFromEvent(ev({ sub: 'u', 'cognito:groups': '[department]', 'custom:deptId': 'D09' }))).toEqual({
      sub: 'u',
      roles: ['department'],
      deptId: 'D09',
    });
    expect(principalFromEvent(ev({ sub: 'u', roles: '[admin root]' }))).toEqual({ sub: 'u', roles: [] });
    expect(principalFromEvent({} as never)).toBeUndefined();
  });
});
