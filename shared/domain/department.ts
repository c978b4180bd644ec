import * as z from 'zod';
import { idSchema } from './project';

export const departmentSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  contactEmails: z.array(z.email()).min(1).max(20),
  domain: z.string().trim().min(1).max(100).optional(),
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
