/**
 * The ports: what use cases ask of storage, one repository per entity. `shared/aws/` implements
 * them (structurally: adapters import domain types, never this file) and the composition root
 * (`functions/compose.ts`) hands them over. Use cases never see a table, a key or an expression.
 */
import type { CleanupRepos } from './cleanup/ports';
import type { ExAnteRepos } from './ex-ante/ports';
import type { RankingRepos } from './ranking/ports';

export interface Repositories {
  exAnte: ExAnteRepos;
  ranking: RankingRepos;
  cleanup: CleanupRepos;
}
