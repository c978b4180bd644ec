process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The two files that take minutes each: the console on the full demo (npm start seeds the demo
 * first) and the demo's evaluation season with its replayed year. They start first, one on each
 * worker, the rest filling in behind them, so that neither is the last to start and ends the run
 * alone (a clean clone has no durations cached, and by size they would start anywhere).
 */
const HEAVY = ['test/web/demo.e2e.test.ts', 'test/integration/evaluations-seed.test.ts'];

class HeavyFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (f: TestSpecification) => {
      const i = HEAVY.findIndex((h) => f.moduleId.endsWith(h));
      return i < 0 ? HEAVY.length : i;
    };
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}

export default defineConfig({
  // The SDK facade (shared/aws/sdk.ts) by its bare name, as tsconfig.json paths map it for tsx and tsc.
  resolve: { alias: { '@jixiao/aws-sdk': fileURLToPath(new URL('./shared/aws/sdk.ts', import.meta.url)) } },
  test: {
    // forks, not threads: CDK bundling and DynamoDB Local clients misbehave in worker threads.
    pool: 'forks',
    globalSetup: ['test/support/global-setup.ts'],
    setupFiles: ['test/support/setup.ts'],
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    maxWorkers: 2,
    sequence: { sequencer: HeavyFirst },
  },
});
