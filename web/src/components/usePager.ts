/** Server-side paging over `{items, nextToken}`: a stack of tokens for 上一页 / 下一页. */
import { ref } from 'vue';
import type { Page } from '../api/client';

export function usePager<T>(load: (nextToken?: string) => Promise<Page<T>>) {
  const items = ref<T[]>([]) as { value: T[] };
  const loading = ref(false);
  const error = ref('');
  const tokens = ref<(string | undefined)[]>([undefined]);
  const next = ref<string>();
  const page = ref(0);

  async function show(index: number) {
    loading.value = true;
    error.value = '';
    try {
      const out = await load(tokens.value[index]);
      items.value = out.items;
      next.value = out.nextToken;
      page.value = index;
      if (out.nextToken) tokens.value[index + 1] = out.nextToken;
    } catch (e) {
      error.value = (e as Error).message;
    } finally {
      loading.value = false;
    }
  }
  const reload = () => {
    tokens.value = [undefined];
    return show(0);
  };
  return {
    items,
    loading,
    error,
    page,
    hasNext: () => next.value !== undefined,
    next: () => show(page.value + 1),
    prev: () => show(Math.max(0, page.value - 1)),
    reload,
    refresh: () => show(page.value),
  };
}
