/**
 * The annual report (SPEC §3.11) as JSON, XLSX or printable HTML — for finance and
 * performance, and for everyone once the performance office publishes the year — and the
 * what-if scenarios (performance).
 */
import * as z from '../../shared/domain/zod';
import type { AppDeps } from '../../shared/app/context';
import { getAnnualReport, publicAnnualReport, publishAnnualReport } from '../../shared/app/reports/annual';
import { createScenario, getScenario } from '../../shared/app/reports/scenario';
import { annualReportXlsx, XLSX_TYPE } from '../../shared/app/reports/xlsx';
import { policyOverrideSchema } from '../../shared/domain/policy';
import { idSchema, yearSchema } from '../../shared/domain/project';
import type { AnnualReport } from '../../shared/domain/report/annual';
import { annualReportHtml } from '../../shared/domain/report/html';
import { httpFunction, ok, route } from '../../shared/http/api';
import { binary, json, type HttpResponse, text } from '../../shared/http/response';
import * as R from '../../shared/http/responses';
import { liveDeps } from '../compose';
import * as repo from '../../shared/aws/repositories';

const yearParams = z.object({ year: z.pipe(z.coerce.number(), yearSchema) });
export const annualQuery = z.strictObject({ format: z._default(z.enum(['json', 'xlsx', 'html']), 'json') });
export const scenarioBody = z.strictObject({ scenarioId: idSchema, year: yearSchema, policy: z._default(policyOverrideSchema, {}) });

const figure = z.object({ value: z.nullable(z.number()), source: z.string() });
/** The response of GET …/annual (JSON): sections of figures, each `{value, source}`. */
export const annualResponse = z
  .looseObject({
    year: z.number(),
    generatedAt: z.string(),
    published: z.boolean(),
    cleanup: z.record(z.string(), figure),
    library: z.record(z.string(), figure),
    publication: z.record(z.string(), figure),
  })
  .check(z.meta({ id: 'AnnualReport' }));
const tally = z.looseObject({ deductions: z.number(), amountFen: z.number(), reversedFen: z.number() });
/** The response of POST /v1/scenarios and GET /v1/scenarios/{id}. */
export const scenarioResponse = z
  .looseObject({
    scenarioId: z.string(),
    year: z.number(),
    result: z.looseObject({
      reproducesLedger: z.boolean(),
      totals: z.object({ actual: tally, alternative: tally, difference: tally }),
      rules: z.array(z.looseObject({ rule: z.string(), actual: tally, alternative: tally, difference: tally })),
      departments: z.array(z.looseObject({ deptId: z.string(), actual: tally, alternative: tally, difference: tally })),
    }),
  })
  .check(z.meta({ id: 'Scenario' }));

function render(r: AnnualReport, format: 'json' | 'xlsx' | 'html'): Promise<HttpResponse> | HttpResponse {
  if (format === 'html') return text(200, annualReportHtml(r), 'text/html; charset=utf-8');
  if (format === 'xlsx') return annualReportXlsx(r).then((b) => binary(200, b, XLSX_TYPE, `annual-report-${r.year}.xlsx`));
  return ok(r);
}

export function makeHandler(deps: AppDeps) {
  return httpFunction({
    'GET /v1/reports/{year}/annual': route({
      access: ['finance', 'performance'],
      params: yearParams,
      query: annualQuery,
      response: R.file(['text/html', R.XLSX], annualResponse),
      handle: async (req) => render(await getAnnualReport(deps, req.params.year), req.query.format),
    }),
    'POST /v1/reports/{year}/annual/publish': route({
      access: ['performance'],
      params: yearParams,
      response: R.upsert(z.looseObject({ year: z.number().check(z.int()), published: z.literal(true), publishedAt: z.string() })),
      handle: async (req) => {
        const out = await publishAnnualReport(deps, req.principal, req.params.year);
        return json(out.status, out.body);
      },
    }),
    'GET /v1/public/{year}/annual': route({
      access: 'public',
      params: yearParams,
      query: annualQuery,
      response: R.file(['text/html', R.XLSX], annualResponse),
      handle: async (req) => render(await publicAnnualReport(deps, req.params.year), req.query.format),
    }),
    'POST /v1/scenarios': route({
      access: ['performance'],
      body: scenarioBody,
      response: R.upsert(scenarioResponse),
      handle: async (req) => {
        const out = await createScenario(deps, req.principal, req.body);
        return json(out.status, out.body);
      },
    }),
    'GET /v1/scenarios/{scenarioId}': route({
      access: ['performance'],
      params: z.object({ scenarioId: idSchema }),
      response: scenarioResponse,
      handle: async (req) => ok(await getScenario(deps, req.params.scenarioId)),
    }),
  });
}

export const handler = makeHandler(
  liveDeps({
    departments: repo.departments,
    cleanup: repo.cleanup,
    idempotency: repo.idempotency,
    idleFunds: repo.idleFunds,
    indicators: repo.indicators,
    jobRuns: repo.jobRuns,
    leaves: repo.leaves,
    ledger: repo.ledger,
    monitoring: repo.monitoring,
    policies: repo.policies,
    pool: repo.pool,
    projectFlags: repo.projectFlags,
    projects: repo.projects,
    targets: repo.targets,
    selfEvaluations: repo.selfEvaluations,
    keyEvaluations: repo.keyEvaluations,
    suggestions: repo.suggestions,
    evaluationSources: repo.evaluationSources,
    reports: repo.reports,
  }),
);
