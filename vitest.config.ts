process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The SDK facade (shared/aws/sdk.ts) by its bare name, as tsconfig.json paths map it for tsx and tsc.
  resolve: { alias: { '@jixiao/aws-sdk': fileURLToPath(new URL('./shared/aws/sdk.ts', import.meta.url)) } },
  test: {
    // forks, not threads: CDK bundling and DynamoDB Local clients misbehave in worker threads.
    pool: 'forks',
    globalSetup: ['test/support/global-setup.ts'],
    setupFiles: ['test/support/setup.ts'],
    include: ['test/**/*.test.ts'],
    // The console on the full demo (test/web/demo.e2e.test.ts) seeds the whole demo year through
    // `npm start` first (minutes): `npm run test:demo` runs it; `npm test` and CI do not.
    exclude: ['**/node_modules/**', ...(process.env.DEMO_E2E ? [] : ['test/web/demo.e2e.test.ts'])],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    maxWorkers: 2,
  },
});
