/** The error mapper: only exposed 4xx messages reach the client; a 409 carries its context. */
import { describe, expect, it } from 'vitest';
import { logger } from '../../shared/aws/logger';
import { ConflictError, DomainError, ValidationError } from '../../shared/domain/errors';
import { errorResponse } from '../../shared/http/errors';

const bodyOf = (res: { body?: string }) => JSON.parse(res.body ?? 'null');

class Outage extends DomainError {
  readonly statusCode = 503;
  readonly code = 'UPSTREAM_DOWN';
}

class Hidden extends DomainError {
  readonly statusCode = 400;
  readonly code = 'HIDDEN';
  override readonly expose = false;
}

describe('error mapper', () => {
  it('puts the current version of a STALE_VERSION beside its code', () => {
    const res = errorResponse(new ConflictError('STALE_VERSION', 'The target is at version 3, not 2', { version: 3, status: 'draft' }), 'en');
    expect(res.statusCode).toBe(409);
    expect(bodyOf(res)).toEqual({ error: { code: 'STALE_VERSION', message: 'The target is at version 3, not 2', version: 3, status: 'draft' } });
  });

  it('never lets context overwrite the code or message of a 409', () => {
    const res = errorResponse(new ConflictError('ID_CONFLICT', 'used', { code: 'X', message: 'Y', id: 'a' }), 'en');
    expect(bodyOf(res)).toEqual({ error: { code: 'ID_CONFLICT', message: 'used', id: 'a' } });
  });

  it('speaks Chinese by default and English when asked, with the same code and paths', () => {
    const zh = bodyOf(errorResponse(new ConflictError('STALE_VERSION', 'The target is at version 3, not 2', { version: 3 })));
    expect(zh).toEqual({ error: { code: 'STALE_VERSION', message: '绩效目标当前为第 3 版，不是第 2 版，请重新读取', version: 3 } });
    const mixed = new ConflictError('NOT_SCORED', '尚无专家打分，不能完成评价 (no expert has scored it yet)');
    expect(bodyOf(errorResponse(mixed)).error.message).toBe('尚无专家打分，不能完成评价');
    expect(bodyOf(errorResponse(mixed, 'en')).error.message).toBe('no expert has scored it yet');
    const untranslated = new ConflictError('OVER_BUDGET', 'Something new nobody translated');
    expect(bodyOf(errorResponse(untranslated)).error.message).toBe('该笔支付将使支出超过预算');
    const problems = bodyOf(errorResponse(new ValidationError([{ path: 'body.deptId', message: 'no department D9' }])));
    expect(problems.error).toEqual({ code: 'VALIDATION_FAILED', message: '请求内容有误', details: [{ path: 'body.deptId', message: '部门 D9 不存在' }] });
  });

  it('lists every field problem of a 400', () => {
    const res = errorResponse(
      new ValidationError([
        { path: 'body.a', message: 'required' },
        { path: 'body.b', message: 'too big' },
      ]),
    );
    expect(bodyOf(res).error.details).toHaveLength(2);
  });

  it('shows a generic message for a 5xx and for an error that is not exposed, and no internals for anything else', () => {
    logger.setLogLevel('SILENT');
    const outage = errorResponse(new Outage('db at 10.0.0.1 refused'), 'en');
    expect(outage.statusCode).toBe(503);
    expect(bodyOf(outage)).toEqual({ error: { code: 'UPSTREAM_DOWN', message: 'Something went wrong on our side' } });
    expect(bodyOf(errorResponse(new Hidden('secret detail'), 'en'))).toEqual({ error: { code: 'HIDDEN', message: 'Something went wrong on our side' } });
    expect(bodyOf(errorResponse(new Hidden('secret detail')))).toEqual({ error: { code: 'HIDDEN', message: '服务器内部错误' } });
    const crash = errorResponse(new TypeError('x is undefined at /var/task/index.mjs'));
    expect(crash.statusCode).toBe(500);
    expect(crash.body).not.toContain('/var/task');
    logger.setLogLevel('WARN');
  });
});
