/**
 * The language of a response (issue 12 item 2): Chinese unless Accept-Language prefers
 * English. zod's field problems are rendered again from their issue with zod 4's zh-CN locale
 * — the one locale module, not `z.locales` (which would put every locale in every bundle) —
 * unless the schema wrote its own words, which the message table translates.
 */
import * as z from '../domain/zod';
import zhCN from 'zod/v4/locales/zh-CN.js';
import type { FieldProblem } from '../domain/errors';
import { type Locale, localeOf, problemMessage } from '../domain/messages';
import { issueOf } from '../domain/validation';

export { type Locale, localeOf };

const zh = zhCN().localeError;

const text = (out: ReturnType<typeof zh> | undefined) => (typeof out === 'string' ? out : out?.message);

/** A field problem in the language asked for: zod's own words in zh-CN, ours through the table. */
export function localizeProblem(p: FieldProblem, locale: Locale): FieldProblem {
  const issue = issueOf(p);
  if (issue && locale === 'zh-CN') {
    // zod's default (English) words for the issue: if the message is those, the schema wrote none of its own.
    const english = text(z.config().localeError?.(issue as never));
    if (english === p.message) return { path: p.path, message: text(zh(issue as never)) ?? p.message };
  }
  return { path: p.path, message: problemMessage(p.message, locale) };
}
