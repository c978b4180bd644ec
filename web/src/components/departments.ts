/**
 * Department names (市委办公厅) for the pages that show departments by code: GET /v1/departments
 * answers the bureau every department and a department its own. Loaded once per page.
 */
import { ref } from 'vue';
import { api } from '../api/client';

export function useDepartmentNames() {
  const names = ref<Record<string, string>>({});
  const load = async () => {
    const { items } = await api.get('/v1/departments', {});
    names.value = Object.fromEntries(items.map((d) => [d.deptId, d.name]));
  };
  /** The name, or the code while the names load (or for a code the list does not know). */
  const nameOf = (deptId: string) => names.value[deptId] ?? deptId;
  return { names, load, nameOf };
}
