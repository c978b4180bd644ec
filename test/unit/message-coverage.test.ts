/**
 * Chinese for people (issue 12 item 2), held for messages added later: every message the code
 * writes in English — a field problem (`message: …`), a zod refinement's words, an error's
 * message — is read out of shared/ and functions/ and must have its Chinese in the message
 * table. A template's `${…}` parts are filled with a sample of what they hold (a year, fen, a
 * count, a state), so the table's patterns meet the message as a person would.
 */
import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { errorMessage, problemMessage, translate } from '../../shared/domain/messages';
import { REPO_ROOT } from '../../infra/constructs/bundling';

const LITERAL = String.raw`('(?:[^'\\\n]|\\.)*'|\`(?:[^\`\\]|\\.)*\`)`;
/** Where the code writes words for people. */
const PLACES = [
  new RegExp(String.raw`\bmessage:\s*${LITERAL}`, 'g'),
  new RegExp(String.raw`\.(?:refine|regex|min|max|int|positive|nonnegative|length|gte|lte|gt|lt|nonempty)\((?:[^()]|\([^()]*\))*?${LITERAL}\s*\)`, 'g'),
  new RegExp(String.raw`new (?:Validation|BadRequest|NotFound|Conflict|Forbidden|Unauthorized)Error\((?:'[A-Z_]+',\s*)?${LITERAL}`, 'g'),
  new RegExp(String.raw`new ValidationError\([\w.]+,\s*${LITERAL}`, 'g'),
];

/** A sample of what a template's `${expr}` holds, guessed from the expression. */
function sample(expr: string): string {
  if (/join\(' or '\)/.test(expr)) return /decision|allowed|GRADES/.test(expr) ? '优 or 良' : 'amountYuan or amountFen';
  if (/join\(', '\)/.test(expr)) return /date/.test(expr) ? '2020-06-30, 2020-09-30' : 'a, b';
  if (/\.code\b/.test(expr) && !/\?\?/.test(expr)) return 'SOME_CODE';
  if (/\.message\b/.test(expr)) return 'must not be empty';
  if (/decision/.test(expr)) return 'return';
  if (/version/.test(expr)) return '3';
  if (/status|current\b/.test(expr)) return 'appealed';
  if (/outlook/.test(expr)) return 'possible';
  if (/direction/.test(expr)) return '>=';
  if (/\bkind\b/.test(expr)) return 'carryover';
  if (/prefix/.test(expr)) return 'body.indicators';
  if (/year/i.test(expr)) return '2020';
  if (/fen/i.test(expr)) return '1000';
  if (/date|asOf|deadline/i.test(expr)) return '2020-09-30';
  if (/version|sent|index|row|length|count|first|max|MAX|limit|\+ 1|\bi\b/i.test(expr)) return '3';
  return 'P1';
}

/** The messages written in English, with where they are written. */
function englishMessages(): { file: string; written: string; text: string }[] {
  const files = execSync('git ls-files shared functions', { cwd: REPO_ROOT })
    .toString()
    .trim()
    .split('\n')
    .filter((f) => f.endsWith('.ts') && !/shared\/domain\/message/.test(f));
  const found: { file: string; written: string; text: string }[] = [];
  for (const file of files) {
    const source = readFileSync(`${REPO_ROOT}/${file}`, 'utf8');
    for (const place of PLACES) {
      for (const m of source.matchAll(place)) {
        const written = m[1] ?? '';
        let text = written.slice(1, -1);
        if (written.startsWith('`')) text = text.replace(/\$\{((?:[^{}]|\{[^{}]*\})*)\}/g, (_, e: string) => sample(e));
        if (/^[A-Z_]+$/.test(text) || /[\u3400-\u9fff]/.test(text.replace(/\(财预〔2015〕88号\)/, ''))) continue;
        found.push({ file, written, text });
      }
    }
  }
  return found;
}

describe('every message the code writes has its Chinese', () => {
  const messages = englishMessages();

  it('finds the messages (the scan itself works)', () => {
    expect(messages.length).toBeGreaterThan(150);
    expect(messages.map((m) => m.text)).toContain('experts must be distinct');
  });

  it('translates each of them to Chinese', () => {
    const untranslated = messages.filter((m) => !/[\u3400-\u9fff]/.test(translate(m.text, 'zh-CN') ?? '')).map((m) => `${m.file}: ${m.written}`);
    expect(untranslated).toEqual([]);
  });

  it('leaves English as written when English is asked for', () => {
    for (const m of messages) expect(translate(m.text, 'en')).toBe(m.text);
  });
});

describe('the later areas read in Chinese', () => {
  it.each([
    ['The deduction is appealed; only an applied deduction can be appealed', '该扣减申诉中：只有已扣减的可以申诉'],
    ['Project P-1 already has an exemption request for progress-80 (pending)', '项目 P-1 已就规则 progress-80 提出豁免申请（待审核）'],
    ['return goes with grade 中 (财预〔2015〕88号)', '“退回”对应的等级为 中（财预〔2015〕88号）'],
    ['missing column amountYuan or amountFen', '缺少列 amountYuan或amountFen'],
    ['an outlook of possible needs the corrective measures', '预计“有可能”完成时须填写纠偏措施'],
    ['more than the pool balance of 250000 fen', '超过资金池余额 250000 分'],
    ['MISSING_GOAL: the target needs a goal (绩效目标)', 'MISSING_GOAL：绩效目标须填写目标内容'],
    ['P-7 is missing: every new project of the year must be ranked', 'P-7 未列入排序：本年度每个新增项目都须排序'],
  ])('%s', (english, chinese) => {
    expect(problemMessage(english, 'zh-CN')).toBe(chinese);
    expect(problemMessage(english, 'en')).toBe(english);
  });

  it('an error no entry covers still gets its code’s Chinese title', () => {
    expect(errorMessage('NOT_FOUND', 'Something nobody wrote down', 'zh-CN')).toBe('未找到所请求的对象');
  });
});
