/** A button's action: busy while it runs, a toast when it is done, the API's problems when not. */
import { ref } from 'vue';
import { done, failed } from './notify';

export function useAction() {
  const busy = ref(false);
  async function run(action: () => Promise<string | undefined>): Promise<boolean> {
    busy.value = true;
    try {
      const message = await action();
      if (message) done(message);
      return true;
    } catch (e) {
      failed(e);
      return false;
    } finally {
      busy.value = false;
    }
  }
  return { busy, run };
}
