/**
 * Files the API gives behind a token (exports, reports): fetched with the session's token and
 * handed to the browser as a download, since a plain link cannot carry the Authorization header.
 */
import { ApiError } from '../api/client';
import { apiPath } from '../auth/config';
import { useSession } from '../stores/session';

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

export async function download(path: string): Promise<string> {
  const { blob, filename } = await fetchFile(path);
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return filename;
}
