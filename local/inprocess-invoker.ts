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
    const { entry, timeoutSeconds } = JOB_FUNCTIONS[target];
    const handler = await loadHandler(entry);
    // The function's own timeout (the runner's is 15 minutes), not an API handler's 30 s.
    const task = handler(payload, lambdaContext(target, `inproc-${Date.now()}`, timeoutSeconds * 1000))
      .catch((error: unknown) => console.error(`[in-process ${target}]`, error))
      .finally(() => running.delete(task));
    running.add(task);
  },
};

/** Waits for every background invocation started so far (tests). */
export async function settle(): Promise<void> {
  while (running.size > 0) await Promise.all([...running]);
}
