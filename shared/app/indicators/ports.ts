/** The indicators port: what its use cases ask of storage (implemented in shared/aws). */
import type { AuditEntry } from '../../domain/audit';
import type { Indicator, IndicatorFilter, LibraryChanges, LibraryMeta } from '../../domain/indicators';

/** The port (shared/aws/indicators-repo.ts). */
export interface IndicatorsRepo {
  getMany(codes: string[]): Promise<Map<string, Indicator>>;
  page(f: IndicatorFilter, limit: number, nextToken?: string): Promise<{ items: Indicator[]; nextToken?: string }>;
  count(f: IndicatorFilter): Promise<number>;
  all(f?: IndicatorFilter): Promise<Indicator[]>;
  applyImport(c: LibraryChanges): Promise<void>;
  meta(): Promise<LibraryMeta | undefined>;
  saveMeta(meta: LibraryMeta, audit: AuditEntry): Promise<boolean>;
  takeImportLock(owner: string, now: Date, leaseSeconds: number): Promise<boolean>;
  releaseImportLock(owner: string): Promise<void>;
}
