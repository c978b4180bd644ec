/**
 * The synth checks pass: cdk-nag's AWS Solutions and Serverless rules and cfn-guard's Control
 * Tower controls. Every acknowledgement says why, none is stale, and docs/deploy.md lists each
 * acknowledged rule.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App, CfnElement, Stack, Validations } from 'aws-cdk-lib';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { REPO_ROOT } from '../../infra/constructs/bundling';
import { GUARD_DISABLED_RULES, JixiaoStack, addComplianceChecks, propsFromContext } from '../../infra/stack';

/** The app as infra/app.ts builds it, bundling off (and without CDK's own template checks). */
const outdirs: string[] = [];
function buildApp(): App {
  const outdir = mkdtempSync(path.join(tmpdir(), 'jixiao-nag-'));
  outdirs.push(outdir);
  const app = new App({ stackTraces: false, builtinCloudFormationValidation: false, context: { bundle: 'false' }, outdir });
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
/** cfn-guard's findings on the app, acknowledged or not (the guard test fills it). */
let guard: Finding[] = [];
beforeAll(() => {
  app = buildApp();
});

afterEach(() => {
  vi.restoreAllMocks();
});

afterAll(() => {
  for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
});

interface Finding {
  rule: string;
  path: string;
}

/**
 * cfn-guard's Control Tower findings on `app`'s template, by construct path and under the id
 * acknowledge() takes for them. The validator is called directly, so acknowledgements do not
 * hide anything here (on synth, CDK filters the acknowledged ones out).
 */
function guardFindings(app: App): Finding[] {
  const synthesized = app.synth();
  const stack = app.node.findAll().find((c): c is Stack => Stack.isStack(c))!;
  const pathOf = new Map(
    stack.node
      .findAll()
      .filter((c): c is CfnElement => CfnElement.isCfnElement(c))
      .map((c) => [stack.getLogicalId(c), c.node.path] as const),
  );
  const templatePaths = synthesized.stacks.map((st) => st.templateFullPath);
  const report = new CfnGuardValidator({ disabledRules: [...GUARD_DISABLED_RULES] }).validate({ templatePaths, appConstruct: app });
  return report.violations.flatMap((v) =>
    v.violatingResources.map((r) => ({ rule: `cdk-validator-cfnguard::${v.ruleName}`, path: pathOf.get(r.resourceLogicalId) ?? r.resourceLogicalId })),
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

  it('cfn-guard (its bundled binary, offline) finds nothing that is not acknowledged', () => {
    guard = guardFindings(app);
    const acks = acknowledgements(app);
    // Every unacknowledged finding at once, so that one run lists all there is to answer.
    const open = guard.filter((g) => !acks.some((a) => a.id === g.rule && covers(a.path, g.path)));
    expect(open).toEqual([]);
  }, 120_000);

  it('registers all three as validation plugins (npm run synth runs them)', () => {
    const added = vi.spyOn(Validations.prototype, 'addPlugins');
    addComplianceChecks(new App());
    const names = added.mock.calls.flat().map((p) => p.name);
    expect(names).toEqual(['AwsSolutions', 'Serverless', 'cdk-validator-cfnguard']);
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
    // The same app with acknowledge() ignored: what the acknowledgements hide, from all three.
    vi.spyOn(Validations.prototype, 'acknowledge').mockImplementation(() => undefined);
    const bare = buildApp();
    const hidden: Finding[] = [
      ...[new AwsSolutionsChecks(), new ServerlessChecks()].flatMap((pack) =>
        pack.validateScope(bare).violations.flatMap((v) => v.violatingResources.map((r) => ({ rule: v.ruleName, path: r.constructPath ?? '' }))),
      ),
      ...guard,
    ];
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
