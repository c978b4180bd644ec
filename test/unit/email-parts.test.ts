/**
 * An email too big for one item is cut into parts (issue 14): between lines, in order, each part
 * under the budget, 第i/N封 in the subject, items numbered on, each part's own total.
 */
import { describe, expect, it } from 'vitest';
import { MAIL_PART_BYTES, mailParts } from '../../shared/aws/outbox';
import type { EmailLine } from '../../shared/domain/email';

const ctx = { departmentName: '市教育局', runTitle: '2020-09-30 支出进度收回（progress-reclaim）', appUrl: 'http://x' };
const line = (i: number): { lineId: string; line: EmailLine } => ({
  lineId: `L${String(i).padStart(4, '0')}`,
  line: {
    kind: 'deduction',
    deductionId: `PROGRESS_RECLAIM~project~P-${i}~2020-09-30`,
    rule: 'PROGRESS_RECLAIM',
    subject: `校舍维修改造${i}`,
    subjectId: `P-${i}`,
    amountFen: 100,
    budgetBeforeFen: 1000,
    budgetAfterFen: 900,
    asOf: '2020-09-30',
    appealDeadline: '2020-10-11',
  },
});
const bytes = (p: { rendered: { subject: string; text: string; html: string } }) => Buffer.byteLength(p.rendered.subject + p.rendered.text + p.rendered.html);

describe('mailParts', () => {
  it('leaves an email that fits as it was', () => {
    const [one, ...rest] = mailParts(ctx, [line(1), line(2)]);
    expect(rest).toEqual([]);
    expect(one!.rendered.subject).toBe('【绩效管理】2020-09-30 支出进度收回（progress-reclaim）：2 项预算调整，合计 2.00 元');
    expect(one!.rendered.text).toContain('涉及贵单位以下 2 项事项');
  });

  it('cuts 3,000 lines into parts under the budget, in order, numbered on', () => {
    const lines = Array.from({ length: 3000 }, (_, i) => line(i + 1));
    const parts = mailParts(ctx, lines);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.flatMap((p) => p.lines)).toEqual(lines);
    let first = 1;
    for (const [i, p] of parts.entries()) {
      expect(bytes(p)).toBeLessThanOrEqual(MAIL_PART_BYTES);
      expect(p.rendered.subject).toBe(
        `【绩效管理】${ctx.runTitle}：${p.lines.length} 项预算调整，合计 ${p.lines.length}.00 元（第${i + 1}/${parts.length}封）`,
      );
      expect(p.rendered.text).toContain(`分 ${parts.length} 封发送，本封为第 ${i + 1} 封，为第 ${first}–${first + p.lines.length - 1} 项（共 3000 项）`);
      expect(p.rendered.text).toContain(`\n${first}.\n`);
      expect(p.rendered.text).toContain(`本封所列扣减合计：${p.lines.length}.00 元`);
      expect(p.rendered.html).toContain(first === 1 ? '<ol><li>' : `<ol start="${first}"><li>`);
      first += p.lines.length;
    }
  });

  it('names 第1/3封 … 第3/3封 when the lines take three parts', () => {
    const lines = Array.from({ length: 30 }, (_, i) => line(i + 1));
    // The budget of the ten biggest lines as one email (their ids counted as mailParts counts them).
    const ten = lines.slice(20);
    const budget = bytes(mailParts(ctx, ten, 10 ** 9)[0]!) + ten.reduce((n, l) => n + l.lineId.length + 4, 0);
    const parts = mailParts(ctx, lines, budget);
    expect(parts.map((p) => p.rendered.subject.slice(-7))).toEqual(['（第1/3封）', '（第2/3封）', '（第3/3封）']);
    expect(parts.map((p) => p.lines.length).reduce((a, b) => a + b)).toBe(30);
  });
});
