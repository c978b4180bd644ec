/** What the targets use cases are handed: the common deps, the ex-ante seam, and where links point. */
import type { AppDeps } from '../context';
import type { ExAnteAssessments } from './ports';

export interface TargetDeps extends AppDeps {
  exAnte: ExAnteAssessments;
  /** Where the links in emails point. */
  appUrl: string;
}
