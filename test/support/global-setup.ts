/**
 * Starts DynamoDB Local (in memory, -sharedDb) and the SES v2 emulator on free ports for the
 * whole run, and stops both by their handles at the end. Each test file makes its own table
 * (see table.ts), so files never see each other's data.
 */
import type { TestProject } from 'vitest/node';
import { freePort, startDynamoLocal, startSesLocal } from '../../local/services';

export default async function setup(project: TestProject) {
  const [ddbPort, sesPort] = [await freePort(), await freePort()];
  const [dynamo, ses] = await Promise.all([startDynamoLocal(ddbPort), startSesLocal(sesPort)]);
  project.provide('ddbEndpoint', dynamo.endpoint);
  project.provide('sesEndpoint', ses.endpoint);
  return async () => {
    await Promise.all([dynamo.stop(), ses.stop()]);
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    ddbEndpoint: string;
    sesEndpoint: string;
  }
}
