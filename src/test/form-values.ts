// Valid values for every required field of a service item's form, for tests and benchmarks that apply:
// the applicant's own ID number and phone where asked, one date for every date field.
import type { CertificateFieldDef } from '../modules/cert';
import type { FormDefinition } from '../modules/svc/form';

export function validFormValues(form: FormDefinition, person: { idNumber: string; phone: string; date: string }, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const v: Record<string, unknown> = {};
  for (const f of form.fields) {
    if (!f.required) continue;
    const opts = f.validation?.options;
    v[f.key] =
      f.type === 'idNumber' ? person.idNumber
      : f.type === 'phone' ? person.phone
      : f.type === 'number' ? (f.validation?.min ?? 1)
      : f.type === 'date' ? person.date
      : f.type === 'select' ? opts![0].value
      : f.type === 'checkbox' ? (opts ? [opts[0].value] : true)
      : f.type === 'creditCode' ? '91370200MA3C5LXXXX'
      : 'x'.repeat(Math.max(f.validation?.min ?? 2, 2)) + '路1号';
    // Fields with a digits-only pattern: a provident-fund account number and a bank card number.
    if (f.validation?.pattern === '\\d{12}') v[f.key] = '123456789012';
    if (f.validation?.pattern === '\\d{16,19}') v[f.key] = '6222020200112233445';
  }
  return { ...v, ...extra };
}

/** Sample values for a certificate type's required fields other than the holder's name and ID number
 *  (those come from the holder), for tests and benchmarks that issue a certificate to apply with. */
export function sampleCertificateFields(fields: CertificateFieldDef[]): Record<string, unknown> {
  const sample = { string: '示例', date: '2024-01-01', number: 1, boolean: true } as const;
  return Object.fromEntries(fields.filter((f) => f.required && f.key !== 'name' && f.key !== 'idNumber').map((f) => [f.key, sample[f.type]]));
}
