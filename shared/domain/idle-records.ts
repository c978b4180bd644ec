/**
 * The records the idle-fund sweep (SPEC §3.8) reads: carryover funds (结转资金), payables
 * (往来款) and unit account balances (单位实有账户资金). Each belongs to one department, is put
 * by the department or the performance office (or imported from the treasury / bank feeds),
 * and is reclaimed at most once: its whole balance goes to the pool and the record is closed.
 */
import * as z from './zod';
import type { DeductionRule } from './ledger';
import type { Fen } from './money';
import { dateSchema, fenSchema, idSchema, yearSchema } from './project';

export const IDLE_KINDS = ['carryover', 'payable', 'account'] as const;
export type IdleKind = (typeof IDLE_KINDS)[number];

export const carryoverSchema = z.strictObject({
  deptId: idSchema,
  originYear: yearSchema,
  balanceFen: fenSchema,
  projectId: z.optional(idSchema),
});
export const payableSchema = z.strictObject({
  deptId: idSchema,
  counterparty: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
  amountFen: fenSchema,
  since: dateSchema,
});
export const accountBalanceSchema = z.strictObject({
  deptId: idSchema,
  unitName: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
  balanceFen: fenSchema,
  lastMovementDate: dateSchema,
});

export type CarryoverInput = z.infer<typeof carryoverSchema>;
export type PayableInput = z.infer<typeof payableSchema>;
export type AccountBalanceInput = z.infer<typeof accountBalanceSchema>;

export interface InputOf {
  carryover: CarryoverInput;
  payable: PayableInput;
  account: AccountBalanceInput;
}

/** What a record's reclamation left on it (the ledger entry holds the figures). */
export interface Reclamation {
  deductionId: string;
  rule: DeductionRule;
  asOf: string;
  amountFen: Fen;
  runId?: string;
  at: string;
}

/**
 * open: holds money, in the sweep's index (when above 0); reclaimed: its money went to the pool,
 * closed; restored: a reclamation reversed on appeal gave the money back — out of the sweep
 * until a new PUT reopens it.
 */
export type RecordStatus = 'open' | 'reclaimed' | 'restored';

interface RecordMeta {
  status: RecordStatus;
  reclaimed?: Reclamation;
  restored?: { reversalId: string; at: string };
  version: number;
  createdAt: string;
  updatedAt: string;
  createdBy: string;
  updatedBy: string;
  /** Hash of the last accepted body: the same body again is answered unchanged. */
  requestHash: string;
}

export type Carryover = CarryoverInput & RecordMeta & { kind: 'carryover'; carryoverId: string };
export type Payable = PayableInput & RecordMeta & { kind: 'payable'; payableId: string };
export type AccountBalance = AccountBalanceInput & RecordMeta & { kind: 'account'; accountId: string };
export type IdleRecord = Carryover | Payable | AccountBalance;
export interface RecordOf {
  carryover: Carryover;
  payable: Payable;
  account: AccountBalance;
}

/** Everything that differs between the three kinds, in one table. */
export const KIND_INFO = {
  carryover: {
    idField: 'carryoverId',
    amountField: 'balanceFen',
    rule: 'CARRYOVER_RECLAIM',
    entity: 'Carryover',
    schema: carryoverSchema,
    path: 'carryovers',
    zh: '结转资金',
  },
  payable: {
    idField: 'payableId',
    amountField: 'amountFen',
    rule: 'STALE_PAYABLE_RECLAIM',
    entity: 'Payable',
    schema: payableSchema,
    path: 'payables',
    zh: '往来款',
  },
  account: {
    idField: 'accountId',
    amountField: 'balanceFen',
    rule: 'IDLE_BALANCE_RECLAIM',
    entity: 'AccountBalance',
    schema: accountBalanceSchema,
    path: 'account-balances',
    zh: '单位实有账户资金',
  },
} as const satisfies Record<
  IdleKind,
  { idField: string; amountField: string; rule: DeductionRule; entity: string; schema: z.ZodMiniType; path: string; zh: string }
>;

export function recordId(r: IdleRecord): string {
  switch (r.kind) {
    case 'carryover':
      return r.carryoverId;
    case 'payable':
      return r.payableId;
    case 'account':
      return r.accountId;
  }
}

/** The money a record holds: a carryover's or account's balance, a payable's unpaid amount. */
export function recordAmount(r: IdleRecord): Fen {
  return r.kind === 'payable' ? r.amountFen : r.balanceFen;
}

/** The value the sweep's index sorts a record by: origin year, `since`, last movement. */
export function sweepSortValue(r: IdleRecord): string {
  switch (r.kind) {
    case 'carryover':
      return String(r.originYear);
    case 'payable':
      return r.since;
    case 'account':
      return r.lastMovementDate;
  }
}

/** Only open records holding money are candidates for the sweep (its sparse index). */
export function isSweepCandidate(r: IdleRecord): boolean {
  return r.status === 'open' && recordAmount(r) > 0;
}

/** The record as the API shows it. */
export function recordView(r: IdleRecord): Record<string, unknown> {
  const { requestHash: _hash, ...rest } = r;
  return rest;
}

/** A body without its absent optional fields, so that a stored record never holds `undefined`. */
export function definedFields<T extends object>(input: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input)) if (v !== undefined) out[k] = v;
  return out as T;
}
