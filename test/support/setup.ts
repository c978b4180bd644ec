/**
 * Runs in every test file before its imports: points the AWS SDK at the local services and
 * gives the file a table of its own, so handler modules that read the environment at module
 * scope see it.
 */
import 'aws-sdk-client-mock-vitest/extend';
import { inject } from 'vitest';
import { localAwsEnv } from '../../local/services';

const worker = process.env.VITEST_POOL_ID ?? '0';
const table = `jixiao-test-${worker}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
Object.assign(process.env, localAwsEnv(inject('ddbEndpoint'), inject('sesEndpoint'), table));

// Asynchronous invokes (jobs API → runner → outbox) run in this process during tests.
process.env.JIXIAO_INVOKER_MODULE = new URL('../../local/inprocess-invoker.ts', import.meta.url).pathname;
