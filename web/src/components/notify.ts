/** Toasts, with Element Plus's message imported on its own (the resolver covers templates only). */
import { ElMessage } from 'element-plus/es/components/message/index.mjs';
import 'element-plus/es/components/message/style/css';
import { ApiError } from '../api/client';

export const done = (message: string) => ElMessage({ type: 'success', message, duration: 2500 });

/** The API's message and every field problem it listed. */
export function failed(error: unknown) {
  const text = error instanceof ApiError ? [error.message, ...error.details.map((d) => `${d.path}：${d.message}`)].join('；') : '操作失败：无法连接服务';
  ElMessage({ type: 'error', message: text, duration: 5000 });
}

/** A new attempt starts clean: the last attempt's error toasts go. */
export const dismissErrors = () => ElMessage.closeAll('error');
