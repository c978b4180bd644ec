/** The effective policy of a year, for use cases that only read it (defaults + the year's override). */
import { DEFAULT_POLICY, mergePolicy, type Policy, type PolicyOverride } from '../domain/policy';
import { type Db, getItem } from './db';
import { keys } from './keys';

export function policyReader(db: Db) {
  return {
    async effective(year: number): Promise<Policy> {
      const item = await getItem<{ override: PolicyOverride }>(db, keys.policy(year));
      return item ? mergePolicy(DEFAULT_POLICY, item.override) : DEFAULT_POLICY;
    },
  };
}
