import * as z from './zod';
import { idSchema } from './project';

export const departmentSchema = z.strictObject({
  name: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
  contactEmails: z.array(z.email()).check(z.minLength(1), z.maxLength(20)),
  domain: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(100))),
});
export type DepartmentInput = z.infer<typeof departmentSchema>;

export const deptIdParams = z.object({ deptId: idSchema });

export interface Department extends DepartmentInput {
  deptId: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export function departmentView(d: Department) {
  const view: Record<string, unknown> = {
    deptId: d.deptId,
    name: d.name,
    contactEmails: d.contactEmails,
    version: d.version,
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
  };
  if (d.domain) view.domain = d.domain;
  return view;
}
