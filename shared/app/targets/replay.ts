/**
 * Idempotency-Key replays of submit and review, as today: the last action's key and body hash
 * ride on the target (`StoredTarget.lastAction`). The idempotency record + HTTP middleware
 * (issue 8, arch-platform) replaces this; drop this file and its two call sites at merge.
 */
import { ConflictError } from '../../domain/errors';
import type { StoredTarget } from '../../domain/targets';
import { requestHash } from '../ports';

export interface Replay {
  /** True: this request was already answered; answer with the target as it is. */
  replayed: boolean;
  /** What to store on the target so a retry is recognised. */
  stamp: Pick<StoredTarget, 'lastAction'>;
}

export function replayOf(t: StoredTarget, key: string | undefined, action: string, body: Record<string, unknown>): Replay {
  const hash = requestHash({ action, ...body });
  const stamp = key ? { lastAction: { key, action, hash } } : {};
  if (!key || t.lastAction?.key !== key) return { replayed: false, stamp };
  if (t.lastAction.action !== action || t.lastAction.hash !== hash) {
    throw new ConflictError('ID_CONFLICT', `Idempotency-Key ${key} was used for a different request`);
  }
  return { replayed: true, stamp };
}
