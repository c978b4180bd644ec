/** zod results turned into the field problems a 400 lists: every problem, with its path. */
import type * as z from './zod';
import { type FieldProblem, ValidationError } from './errors';

const issues = new WeakMap<FieldProblem, z.core.$ZodIssue>();

/** The zod issue a problem came from (to say it again in another language), if any. */
export const issueOf = (p: FieldProblem): z.core.$ZodIssue | undefined => issues.get(p);

export function issuesToProblems(list: readonly z.core.$ZodIssue[], prefix = ''): FieldProblem[] {
  return list.map((issue) => {
    const problem = { path: formatPath(prefix, issue.path), message: issue.message };
    issues.set(problem, issue);
    return problem;
  });
}

function formatPath(prefix: string, path: readonly PropertyKey[]): string {
  let out = prefix;
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out || '(root)';
}

/** Issues keep their input, so that a problem can be said again in Chinese (its type, its value). */
export const PARSE_PARAMS = { reportInput: true } as const;

/** Parse or throw a ValidationError naming every problem. */
export function parseOrThrow<T extends z.ZodMiniType>(schema: T, value: unknown, prefix = ''): z.infer<T> {
  const result = schema.safeParse(value, PARSE_PARAMS);
  if (!result.success) throw new ValidationError(issuesToProblems(result.error.issues, prefix));
  return result.data;
}
