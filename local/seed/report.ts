/**
 * The demo publishes its 2020 annual report (SPEC §3.11), so that without a token
 * `GET /v1/public/2020/annual?format=html` shows it on a fresh `npm start`. The report itself is
 * computed when asked, from whatever the table holds then (after `npm run replay -- 2020` it
 * includes the year's jobs). Written as the publish use case writes it, without the audit.
 */
import { keys } from '../../shared/aws/keys';
import { DEMO, SEED_ACTOR } from './demo-2020';
import type { SeedGenerator } from './generator';

export const reportSeed: SeedGenerator = {
  name: 'annual-report',
  async run(ctx) {
    const publishedAt = `${DEMO.year + 1}-05-31T02:00:00.000Z`;
    await ctx.write([{ ...keys.reportPublication(DEMO.year), entity: 'ReportPublication', v: 1, year: DEMO.year, publishedAt, publishedBy: SEED_ACTOR }]);
    return { published: DEMO.year, publishedAt };
  },
};
