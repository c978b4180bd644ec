/**
 * The synth checks pass: cdk-nag's AWS Solutions and Serverless rules and cfn-guard's Control
 * Tower controls. Every acknowledgement says why, none is stale, and docs/deploy.md lists each
 * acknowledged rule.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { REPO_ROOT } from '../../infra/constructs/bundling';
import { JixiaoStack, addComplianceChecks, propsFromContext } from '../../infra/stack';

/** The app as infra/app.ts builds it, bundling off (and without CDK's own template checks). */
function buildApp(outdir?: string): App {
  const app = new App({ stackTraces: false, builtinCloudFormationValidation: false, context: { bundle: 'false' }, ...(outdir ? { outdir } : {}) });
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

interface Finding {
  rule: string;
  path: string;
}

/**
 * What every plugin of addComplianceChecks reports on `app`, from the validation report synth
 * writes. cfn-guard's rule names get the prefix acknowledge() takes for them.
 */
function synthFindings(app: App, outdir: string): Finding[] {
  addComplianceChecks(app);
  try {
    app.synth();
  } catch {
    // A failed validation throws after writing its report.
  }
  const report = JSON.parse(readFileSync(path.join(outdir, 'validation-report.json'), 'utf8')) as {
    pluginReports: { pluginName: string; violations: { ruleName: string; violatingConstructs: { constructPath: string }[] }[] }[];
  };
  return report.pluginReports.flatMap((plugin) =>
    plugin.violations.flatMap((v) =>
      v.violatingConstructs.map((c) => ({
        rule: plugin.pluginName === 'cdk-validator-cfnguard' ? `cdk-validator-cfnguard::${v.ruleName}` : v.ruleName,
        path: c.constructPath,
      })),
    ),
  );
}

const covers = (ackPath: string, findingPath: string) => findingPath === ackPath || findingPath.startsWith(`${ackPath}/`);

describe('cdk-nag AwsSolutions and Serverless, cfn-guard Control Tower', () => {
  it.each([
    ['AwsSolutions', () => new AwsSolutionsChecks()],
    ['Serverless', () => new ServerlessChecks()],
  ])('%s reports no unacknowledged error or warning', (_name, pack) => {
    const report = pack().validateScope(app);
    const findings = report.violations.map((v) => `${v.severity} ${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`);
    expect(findings).toEqual([]);
    expect(report.success).toBe(true);
  });

  it('runs all three as validation plugins on synth, which succeeds', () => {
    addComplianceChecks(app);
    expect(() => app.synth()).not.toThrow();
  }, 120_000);

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
    // The same app with acknowledge() ignored: what the acknowledgements hide, from all three.
    vi.spyOn(Validations.prototype, 'acknowledge').mockImplementation(() => undefined);
    const outdir = mkdtempSync(path.join(tmpdir(), 'jixiao-nag-'));
    let hidden: Finding[];
    try {
      hidden = synthFindings(buildApp(outdir), outdir);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
    for (const ack of acks) {
      const covered = hidden.some((h) => h.rule === ack.id && covers(ack.path, h.path));
      expect({ ...ack, reason: undefined, covered }).toEqual({ ...ack, reason: undefined, covered: true });
    }
    // And nothing is reported that no acknowledgement covers.
    for (const h of hidden) {
      const acked = acks.some((a) => a.id === h.rule && covers(a.path, h.path));
      expect({ ...h, acked }).toEqual({ ...h, acked: true });
    }
  }, 120_000);

  it('lists every acknowledged rule in docs/deploy.md', () => {
    const doc = readFileSync(path.join(REPO_ROOT, 'docs', 'deploy.md'), 'utf8');
    const ids = [...new Set(acknowledgements(app).map((a) => a.id.replace(/^cdk-validator-cfnguard::/, '')))];
    for (const id of ids) expect({ id, documented: doc.includes(id) }).toEqual({ id, documented: true });
  });
});
