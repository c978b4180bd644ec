/**
 * An invoker that runs the target function's handler in this process, in the background, as
 * Lambda's asynchronous invoke would. Used by the test suite (JIXIAO_INVOKER_MODULE).
 */
import { JOB_FUNCTIONS } from '../infra/catalog';
import type { Invoker } from '../shared/aws/invoker';
import { lambdaContext, loadHandler } from './invoke';

const running = new Set<Promise<unknown>>();

export const invoker: Invoker = {
  async invokeAsync(target, payload) {
    const handler = await loadHandler(JOB_FUNCTIONS[target].entry);
    const task = handler(payload, lambdaContext(target, `inproc-${Date.now()}`))
      .catch((error: unknown) => console.error(`[in-process ${target}]`, error))
      .finally(() => running.delete(task));
    running.add(task);
  },
};

/** Waits for every background invocation started so far (tests). */
export async function settle(): Promise<void> {
  while (running.size > 0) await Promise.all([...running]);
}
