/**
 * cdk-nag's AWS Solutions rules pass, every acknowledgement says why, none is stale, and
 * docs/deploy.md lists each acknowledged rule.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { REPO_ROOT } from '../../infra/constructs/bundling';
import { JixiaoStack, addComplianceChecks, propsFromContext } from '../../infra/stack';

/** The app as infra/app.ts builds it, bundling off (and without CDK's own template checks). */
function buildApp(): App {
  const app = new App({ stackTraces: false, builtinCloudFormationValidation: false, context: { bundle: 'false' } });
  new JixiaoStack(app, 'Jixiao', propsFromContext(app));
  return app;
}

interface Acknowledgement {
  path: string;
  id: string;
  reason: unknown;
}

function acknowledgements(root: IConstruct): Acknowledgement[] {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, unknown>).map(([id, reason]) => ({
          path: construct.node.path,
          id: id.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );
}

let app: App;
beforeAll(() => {
  app = buildApp();
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('cdk-nag AwsSolutions', () => {
  it('reports no unacknowledged error or warning', () => {
    const report = new AwsSolutionsChecks().validateScope(app);
    const findings = report.violations.map((v) => `${v.severity} ${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`);
    expect(findings).toEqual([]);
    expect(report.success).toBe(true);
  });

  it('runs as a validation plugin on synth, which succeeds', () => {
    addComplianceChecks(app);
    expect(() => app.synth()).not.toThrow();
  });

  it('has a reason for every acknowledgement', () => {
    const acks = acknowledgements(app);
    expect(acks.length).toBeGreaterThan(0);
    for (const ack of acks) {
      expect({ ...ack, reason: typeof ack.reason }).toEqual({ ...ack, reason: 'string' });
      // A sentence, not a placeholder like "ok" or "n/a".
      expect((ack.reason as string).trim().length, `${ack.path} ${ack.id}`).toBeGreaterThan(40);
    }
  });

  it('acknowledges only what the rules would otherwise report, where they report it', () => {
    const acks = acknowledgements(app);
    // The same app with acknowledge() ignored: what the acknowledgements hide.
    vi.spyOn(Validations.prototype, 'acknowledge').mockImplementation(() => undefined);
    const report = new AwsSolutionsChecks().validateScope(buildApp());
    const hidden = report.violations.flatMap((v) => v.violatingResources.map((r) => ({ rule: v.ruleName, path: r.constructPath ?? '' })));
    for (const ack of acks) {
      const covered = hidden.some((h) => h.rule === ack.id && (h.path === ack.path || h.path.startsWith(`${ack.path}/`)));
      expect({ ...ack, reason: undefined, covered }).toEqual({ ...ack, reason: undefined, covered: true });
    }
    // And nothing is reported that no acknowledgement covers.
    for (const h of hidden) {
      const acked = acks.some((a) => a.id === h.rule && (h.path === a.path || h.path.startsWith(`${a.path}/`)));
      expect({ ...h, acked }).toEqual({ ...h, acked: true });
    }
  });

  it('lists every acknowledged rule in docs/deploy.md', () => {
    const doc = readFileSync(path.join(REPO_ROOT, 'docs', 'deploy.md'), 'utf8');
    const ids = [...new Set(acknowledgements(app).map((a) => a.id))];
    for (const id of ids) expect({ id, documented: doc.includes(id) }).toEqual({ id, documented: true });
  });
});
