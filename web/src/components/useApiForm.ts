/**
 * A form that writes to the API: Element Plus checks the fields first (rules that mirror the
 * API's schema), then the request runs; a 400's problems are shown under the fields they name
 * (`body.scores.standard` → the form item `scores.standard`), the rest above the form; a
 * success shows a toast. One busy flag for the submit button.
 */
import type { FormInstance } from 'element-plus';
import { reactive, ref } from 'vue';
import { ApiError, type FieldProblem } from '../api/client';
import { yuanToFen } from '../format';
import { dismissErrors, done, failed } from './notify';

/** "body.panel[0].name" → "panel.0.name": the form item's `prop` for a problem the API listed. */
export const fieldOf = (path: string) =>
  path
    .replace(/^(body|query|params)(\.|$)/, '')
    .replace(/\[(\d+)\]/g, '.$1')
    .replace(/^\./, '');

export interface ApiFormOptions {
  /** Which problem paths have a form item (default: all). */
  isField?: (prop: string) => boolean;
  /** The API's field → the form's, where they differ (an amount in fen entered in 元). */
  alias?: Record<string, string>;
}

export function useApiForm(options: ApiFormOptions = {}) {
  const isField = options.isField ?? (() => true);
  const form = ref<FormInstance>();
  /** The API's problem for each field it named. */
  const errors = reactive<Record<string, string>>({});
  /** Problems that name no field of the form (or the whole request). */
  const others = ref<FieldProblem[]>([]);
  const busy = ref(false);

  function clear() {
    dismissErrors();
    for (const k of Object.keys(errors)) delete errors[k];
    others.value = [];
  }

  /** Validates the form, then runs `action` (it answers the success message); answers whether it succeeded. */
  async function submit(action: () => Promise<string>): Promise<boolean> {
    clear();
    const valid = form.value ? await form.value.validate().catch(() => false) : true;
    if (!valid) return false;
    busy.value = true;
    try {
      done(await action());
      return true;
    } catch (e) {
      if (e instanceof ApiError && e.details.length > 0) {
        for (const p of e.details) {
          const raw = fieldOf(p.path);
          const prop = options.alias?.[raw] ?? raw;
          if (prop && isField(prop)) errors[prop] = errors[prop] ? `${errors[prop]}；${p.message}` : p.message;
          else others.value.push(p);
        }
        failed(new ApiError(e.status, e.code, `${e.message}（共 ${e.details.length} 处问题，见表单）`));
      } else failed(e);
      return false;
    } finally {
      busy.value = false;
    }
  }

  /** The problems of a list field and of its items (`experts`, `experts.1`) as one message. */
  const under = (prop: string) =>
    Object.entries(errors)
      .filter(([k]) => k === prop || (k.startsWith(`${prop}.`) && /^\d+$/.test(k.slice(prop.length + 1))))
      .map(([, m]) => m)
      .join('；') || undefined;

  return { form, errors, others, busy, submit, clear, under };
}

/** Element Plus rules that mirror the API's schemas (shared/domain): the same limits, said in Chinese. */
export const rules = {
  required: (what: string) => ({ required: true, message: `请填写${what}`, trigger: ['blur', 'change'] }),
  chosen: (what: string) => ({ required: true, message: `请选择${what}`, trigger: 'change' }),
  /** idSchema: 1–64 letters, digits, dot, underscore, hyphen, starting with a letter or digit. */
  id: (what: string) => ({
    pattern: /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/,
    message: `${what}只能用字母、数字、点、下划线和连字符（最多 64 位）`,
    trigger: 'blur',
  }),
  max: (n: number) => ({ max: n, message: `最多 ${n} 个字`, trigger: 'blur' }),
  /** 元 with at most two decimals, separators allowed (→ integer fen, as format.ts's yuanToFen reads it). */
  yuan: {
    validator: (_rule: unknown, v: string, cb: (e?: Error) => void) =>
      cb(!v || yuanToFen(v) !== undefined ? undefined : new Error('请填写金额（元），最多两位小数')),
    trigger: 'blur',
  },
};
