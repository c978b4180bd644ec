/**
 * Files the API gives behind a token (exports, reports): fetched with the session's token,
 * since a plain link cannot carry the Authorization header, then saved. Chromium drops a
 * download that starts after the click's user activation has expired (a report that takes
 * seconds to build), so the automatic save is only a first try: the page also shows the
 * fetched file as a link of its own (<a download> on an object URL, SavedFile.vue) that a
 * click always saves.
 */
import { onBeforeUnmount, ref } from 'vue';
import { ApiError } from '../api/client';
import { apiPath } from '../auth/config';
import { useSession } from '../stores/session';
import { done, failed } from './notify';

export async function fetchFile(path: string): Promise<{ blob: Blob; filename: string }> {
  const session = useSession();
  const res = await fetch(apiPath(path), { headers: session.token ? { authorization: `Bearer ${session.token}` } : {} });
  if (!res.ok) {
    const body = (await res.json().catch(() => ({}))) as { error?: { code?: string; message?: string } };
    throw new ApiError(
      res.status,
      body.error?.code ?? String(res.status),
      res.status === 404 ? '该文件尚未生成或接口尚未上线' : (body.error?.message ?? res.statusText),
    );
  }
  const disposition = res.headers.get('content-disposition') ?? '';
  const named = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1] ?? /filename="?([^";]+)"?/i.exec(disposition)?.[1];
  return { blob: await res.blob(), filename: named ? decodeURIComponent(named) : (path.split('/').pop()?.split('?')[0] ?? 'download') };
}

/** A fetched file, held as an object URL until the next one or until the page goes. */
export interface SavedFile {
  url: string;
  filename: string;
  bytes: number;
}

/**
 * `save(path, filename?)` fetches the file, tries the automatic save and keeps it in `saved`
 * for the page's link; it answers the file's name. `offer` is `save` with the page's toast
 * (已生成 … or the error) and `saving` while it runs.
 */
export function useDownload() {
  const saved = ref<SavedFile>();
  const release = () => {
    if (saved.value) URL.revokeObjectURL(saved.value.url);
    saved.value = undefined;
  };
  onBeforeUnmount(release);
  async function save(path: string, filename?: string): Promise<string> {
    const file = await fetchFile(path);
    release();
    const name = filename ?? file.filename;
    const url = URL.createObjectURL(file.blob);
    saved.value = { url, filename: name, bytes: file.blob.size };
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    return name;
  }
  const saving = ref(false);
  async function offer(path: string, filename?: string): Promise<void> {
    saving.value = true;
    try {
      done(`已生成 ${await save(path, filename)}`);
    } catch (e) {
      failed(e);
    } finally {
      saving.value = false;
    }
  }
  return { saved, save, offer, saving, release };
}
