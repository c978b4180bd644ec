/**
 * Monitoring reports (监控表, SPEC §2 and §3.5; 财预〔2019〕136号): per project per checkpoint,
 * for every indicator the actual value to date, the outlook for the year (确定能 / 有可能 /
 * 完全不可能), the cause of any deviation (经费/制度/人员/硬件条件保障/其他) and the corrective
 * measures.
 *
 * A report is checked against the project's performance target when there is one: every target
 * indicator must be reported, none that the target does not have, and each actual value must be
 * of the indicator's kind (a number for `>=` `<=` `=`, a text for `qualitative`). The target's
 * direction and value are copied into the report, so a report says by itself what it was
 * measured against, and the snapshot needs nothing else. A project without a target may give
 * `direction` and `targetValue` per indicator itself (the 监控表 form has a column for the year's
 * target value).
 *
 * Pure: the target and the policy come in as arguments.
 */
import * as z from './zod';
import type { FieldProblem } from './errors';
import type { Policy } from './policy';

export const OUTLOOKS = ['certain', 'possible', 'impossible'] as const;
export type Outlook = (typeof OUTLOOKS)[number];
export const OUTLOOK_ZH: Record<Outlook, string> = { certain: '确定能', possible: '有可能', impossible: '完全不可能' };

export const DEVIATION_CAUSES = ['funding', 'institution', 'staffing', 'hardware', 'other'] as const;
export type DeviationCause = (typeof DEVIATION_CAUSES)[number];
export const DEVIATION_CAUSE_ZH: Record<DeviationCause, string> = {
  funding: '经费保障',
  institution: '制度保障',
  staffing: '人员保障',
  hardware: '硬件条件保障',
  other: '其他',
};

export const REPORT_DIRECTIONS = ['>=', '<=', '=', 'qualitative'] as const;
export type ReportDirection = (typeof REPORT_DIRECTIONS)[number];

const CODE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
export const CHECKPOINT_PATTERN = /^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

const value = z.union([
  z.number().check(z.refine(Number.isFinite, 'must be a finite number')),
  z.string().check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(500)),
]);

export const reportIndicatorInput = z
  .strictObject({
    code: z.optional(z.string().check(z.regex(CODE, 'not an indicator code'))),
    name: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(200))),
    /** A number (to date) for a quantitative indicator, a text for a qualitative one. */
    actualValue: value,
    outlook: z.enum(OUTLOOKS),
    deviationCause: z.optional(z.enum(DEVIATION_CAUSES)),
    measures: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(2000))),
    /** Only for a project without a target (else taken from the target; if sent, must match it). */
    direction: z.optional(z.enum(REPORT_DIRECTIONS)),
    targetValue: z.optional(value),
    unit: z.optional(z.string().check(z.trim(), z.maxLength(20))),
  })
  .check(
    z.superRefine((i, ctx) => {
      if (i.code === undefined && i.name === undefined) {
        ctx.addIssue({ code: 'custom', path: ['code'], message: 'give the indicator code or its name' });
      }
      if (i.outlook !== 'certain') {
        if (i.deviationCause === undefined) {
          ctx.addIssue({ code: 'custom', path: ['deviationCause'], message: `an outlook of ${i.outlook} needs the cause: ${DEVIATION_CAUSES.join(', ')}` });
        }
        if (i.measures === undefined) {
          ctx.addIssue({ code: 'custom', path: ['measures'], message: `an outlook of ${i.outlook} needs the corrective measures` });
        }
      }
      if (i.direction !== undefined && i.direction !== 'qualitative' && i.targetValue !== undefined && typeof i.targetValue !== 'number') {
        ctx.addIssue({ code: 'custom', path: ['targetValue'], message: `a ${i.direction} indicator needs a number` });
      }
    }),
  );
export type ReportIndicatorInput = z.infer<typeof reportIndicatorInput>;

export const reportBody = z.strictObject({
  indicators: z.array(reportIndicatorInput).check(z.minLength(1, 'report at least one indicator'), z.maxLength(200)),
  note: z.optional(z.string().check(z.trim(), z.maxLength(4000))),
  /** The version this edit is based on (0: none yet); a stale one gets 409 STALE_VERSION. */
  baseVersion: z.optional(z.number().check(z.int(), z.gte(0))),
});
export type ReportBody = z.infer<typeof reportBody>;

/** An indicator as stored in a report: what was reported and what it is measured against. */
export interface ReportIndicator {
  code?: string;
  name: string;
  level1?: string;
  unit?: string;
  direction?: ReportDirection;
  targetValue?: number | string;
  actualValue: number | string;
  outlook: Outlook;
  deviationCause?: DeviationCause;
  measures?: string;
}

/** What a report is checked against: the indicators of the project's target. */
export interface TargetIndicatorRef {
  code?: string;
  name: string;
  level1?: string;
  unit?: string;
  direction?: ReportDirection;
  targetValue?: number | string;
}

/** The checkpoint 'MM-DD' of a year's policy, or a problem listing the valid ones. */
export function findCheckpoint(policy: Pick<Policy, 'monitoring'>, checkpoint: string): { date: string; benchmarkBp: number; last: boolean } | FieldProblem {
  const list = policy.monitoring.checkpoints;
  const index = list.findIndex((c) => c.date === checkpoint);
  if (index < 0) {
    return { path: 'path.checkpoint', message: `expected one of ${list.map((c) => c.date).join(', ')} (the monitoring checkpoints of the project's year)` };
  }
  const c = list[index] as { date: string; benchmarkBp: number };
  return { ...c, last: index === list.length - 1 };
}

const key = (i: { code?: string | undefined; name?: string | undefined }) => (i.code ? `code:${i.code}` : `name:${(i.name ?? '').trim()}`);

/**
 * The report's indicators, checked against the target's (when there is a target), or every
 * problem with its path. Matching is by code where the report gives one, else by name.
 */
export function resolveReport(
  inputs: ReportIndicatorInput[],
  target: TargetIndicatorRef[] | undefined,
  prefix = 'body.indicators',
): { indicators: ReportIndicator[]; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const indicators: ReportIndicator[] = [];
  const seen = new Map<string, number>();
  inputs.forEach((input, index) => {
    const path = `${prefix}[${index}]`;
    let ref: TargetIndicatorRef | undefined;
    if (target) {
      ref = input.code ? target.find((t) => t.code === input.code) : target.find((t) => t.name.trim() === input.name);
      if (!ref) {
        problems.push({ path, message: `${input.code ?? input.name} is not an indicator of the project's target` });
        return;
      }
      if (input.code && input.name !== undefined && input.name !== ref.name) {
        problems.push({ path: `${path}.name`, message: `indicator ${input.code} is named ${ref.name} in the target` });
      }
      if (input.direction !== undefined && ref.direction !== undefined && input.direction !== ref.direction) {
        problems.push({ path: `${path}.direction`, message: `the target says ${ref.direction}` });
      }
      if (input.targetValue !== undefined && ref.targetValue !== undefined && input.targetValue !== ref.targetValue) {
        problems.push({ path: `${path}.targetValue`, message: `the target says ${String(ref.targetValue)}` });
      }
    }
    const id = ref ? key(ref) : key(input);
    const first = seen.get(id);
    if (first !== undefined) {
      problems.push({ path, message: `the same indicator as ${prefix}[${first}]` });
      return;
    }
    seen.set(id, index);
    const direction = ref?.direction ?? input.direction;
    const targetValue = ref?.targetValue ?? input.targetValue;
    if (direction === 'qualitative' && typeof input.actualValue !== 'string') {
      problems.push({ path: `${path}.actualValue`, message: 'a qualitative indicator is reported in words' });
    }
    if (direction !== undefined && direction !== 'qualitative' && typeof input.actualValue !== 'number') {
      problems.push({ path: `${path}.actualValue`, message: `a ${direction} indicator is reported as a number` });
    }
    const out: ReportIndicator = {
      name: ref?.name ?? input.name ?? (input.code as string),
      actualValue: input.actualValue,
      outlook: input.outlook,
    };
    const code = ref?.code ?? input.code;
    if (code) out.code = code;
    if (ref?.level1) out.level1 = ref.level1;
    const unit = ref?.unit ?? input.unit;
    if (unit) out.unit = unit;
    if (direction) out.direction = direction;
    if (targetValue !== undefined) out.targetValue = targetValue;
    if (input.deviationCause) out.deviationCause = input.deviationCause;
    if (input.measures) out.measures = input.measures;
    indicators.push(out);
  });
  if (target) {
    const reported = new Set(
      inputs.map((i) => {
        const ref = i.code ? target.find((t) => t.code === i.code) : target.find((t) => t.name.trim() === i.name);
        return ref ? key(ref) : '';
      }),
    );
    target.forEach((t, index) => {
      if (!reported.has(key(t))) {
        problems.push({ path: prefix, message: `missing target indicator ${[t.code, t.name].filter(Boolean).join(' ')} (target indicator ${index + 1})` });
      }
    });
  }
  return { indicators, problems };
}

/** The worst outlook of a report: impossible > possible > certain. */
export function worstOutlook(indicators: Pick<ReportIndicator, 'outlook'>[]): Outlook | undefined {
  if (indicators.length === 0) return undefined;
  if (indicators.some((i) => i.outlook === 'impossible')) return 'impossible';
  if (indicators.some((i) => i.outlook === 'possible')) return 'possible';
  return 'certain';
}

/** A project's report for a checkpoint, as stored (the latest, and every version beside it). */
export interface MonitoringReport {
  projectId: string;
  deptId: string;
  year: number;
  /** 'MM-DD' of the policy's checkpoint. */
  checkpoint: string;
  /** The checkpoint's date in the project's year. */
  date: string;
  version: number;
  indicators: ReportIndicator[];
  note?: string;
  /** The target the report was checked against (none: the project had no target). */
  target?: { version: number; status: string };
  filedAt: string;
  filedBy: string;
  firstFiledAt: string;
  requestHash: string;
}

/** The project's target as a report is checked against it (the target kept beside the project). */
export interface ReportTarget {
  version: number;
  status: string;
  indicators: TargetIndicatorRef[];
}
