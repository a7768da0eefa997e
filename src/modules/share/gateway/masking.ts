// The gateway's masking rules: which function masks which kind of personal data item, and when a grant
// may receive a value in clear. The functions themselves are the platform's (src/platform/ids/masking.ts).
import { maskAccount, maskAddress, maskDateOfBirth, maskIdNumber, maskName, maskPhoneLast4 } from '../../../platform/ids';
import type { DataItem, PersonalKind, ResourceDataShape } from '../contracts';

type Kind = Exclude<PersonalKind, null>;

/** One rule per personal kind: the function and how the documentation describes it. */
export const MASKING_RULES: Record<Kind, { mask: (s: string) => string; rule: string; example: [string, string] }> = {
  id_number: { mask: maskIdNumber, rule: 'first 6 and last 4 characters', example: ['37020219850314123X', '370202********123X'] },
  name: { mask: maskName, rule: 'surname, one * per further character', example: ['张伟明', '张**'] },
  phone: { mask: maskPhoneLast4, rule: 'last 4 digits', example: ['13805321234', '*******1234'] },
  address: { mask: maskAddress, rule: 'generalised to the district or county', example: ['山东省青岛市市南区香港中路10号', '山东省青岛市市南区****'] },
  date_of_birth: { mask: maskDateOfBirth, rule: 'generalised to the year', example: ['1985-03-14', '1985-**-**'] },
  account: { mask: maskAccount, rule: 'last 4 characters', example: ['6222021234567890123', '***************0123'] },
};

/**
 * Whether a personal field goes out in clear: only when the grant lists it in clearFields and the resource
 * is not core grade (GB/T 43697: core data is never handed out unmasked through the gateway; createGrant
 * refuses clear fields on a core resource, and this check holds even if the grade changed afterwards).
 */
export function inClear(item: DataItem, grade: ResourceDataShape['grade'], clearFields: readonly string[]): boolean {
  return grade !== 'core' && clearFields.includes(item.name);
}

function text(v: unknown): string {
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  return typeof v === 'string' ? v : String(v);
}

/** Mask one value of a personal item; null and undefined stay as they are. */
export function maskValue(kind: Kind, v: unknown): unknown {
  if (v === null || v === undefined) return v;
  return MASKING_RULES[kind].mask(text(v));
}

/** A row masker for a resource and a grant: built once per call, applied to every row. */
export function rowMasker(shape: ResourceDataShape, fields: readonly string[], clearFields: readonly string[]): (row: Record<string, unknown>) => Record<string, unknown> {
  const masked: [string, Kind][] = [];
  for (const f of fields) {
    const item = shape.items.find((i) => i.name === f);
    if (item?.personal && !inClear(item, shape.grade, clearFields)) masked.push([f, item.personal]);
  }
  return (row) => {
    const out: Record<string, unknown> = {};
    for (const f of fields) out[f] = row[f] instanceof Date ? (row[f] as Date).toISOString() : row[f];
    for (const [f, kind] of masked) out[f] = maskValue(kind, row[f]);
    return out;
  };
}
