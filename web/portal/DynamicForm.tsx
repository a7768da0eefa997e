// An application form drawn from its definition (forms are data), checked in the browser the way
// the server checks it, with the server's field problems shown next to their fields.
import { useTranslation } from 'react-i18next';
import { ApiError } from '../shared/api';
import { useLocale } from '../shared/i18n';
import { citizenIdProblem, normaliseCitizenId } from '../shared/validation';
import { tx, type FormDefinition, type FormField } from './svc';

export type Values = Record<string, unknown>;
export type FieldErrors = Record<string, string>;

const PHONE_RE = /^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/;
const CREDIT_RE = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/;

function isEmpty(v: unknown): boolean {
  return v === undefined || v === null || v === '' || v === false || (Array.isArray(v) && v.length === 0);
}

/** Browser-side checks of one value; the server repeats them all. */
function checkField(f: FormField, v: unknown, t: (k: string, o?: Record<string, unknown>) => string): string | null {
  const val = f.validation ?? {};
  if (isEmpty(v)) return f.required ? t('hall.form.required') : null;
  switch (f.type) {
    case 'number': {
      const n = Number(v);
      if (!Number.isFinite(n)) return t('hall.form.number');
      if (val.min !== undefined && n < val.min) return t('hall.form.min', { min: val.min });
      if (val.max !== undefined && n > val.max) return t('hall.form.max', { max: val.max });
      return null;
    }
    case 'text': {
      const s = String(v);
      if (val.min !== undefined && s.length < val.min) return t('hall.form.minLength', { min: val.min });
      if (val.max !== undefined && s.length > val.max) return t('hall.form.maxLength', { max: val.max });
      if (val.pattern && !new RegExp(`^(?:${val.pattern})$`).test(s)) return t('hall.form.pattern');
      return null;
    }
    case 'idNumber':
      return citizenIdProblem(normaliseCitizenId(String(v))) ? t('hall.form.idNumber') : null;
    case 'phone':
      return PHONE_RE.test(String(v)) ? null : t('hall.form.phone');
    case 'creditCode':
      return CREDIT_RE.test(String(v).toUpperCase()) ? null : t('hall.form.creditCode');
    case 'date': {
      const s = String(v);
      if (val.minDate && s < val.minDate) return t('hall.form.minDate', { date: val.minDate });
      if (val.maxDate && s > val.maxDate) return t('hall.form.maxDate', { date: val.maxDate });
      return null;
    }
    default:
      return null;
  }
}

export function validateValues(form: FormDefinition, values: Values, t: (k: string, o?: Record<string, unknown>) => string, full: boolean): FieldErrors {
  const errs: FieldErrors = {};
  for (const f of form.fields) {
    const e = checkField(f, values[f.key], t);
    if (e && (full || e !== t('hall.form.required'))) errs[f.key] = e;
  }
  return errs;
}

/** What is sent: empty values left out, numbers as numbers. */
export function cleanValues(form: FormDefinition, values: Values): Values {
  const out: Values = {};
  for (const f of form.fields) {
    const v = values[f.key];
    if (v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0)) continue;
    if (f.type === 'checkbox' && !f.validation?.options && v === false) continue;
    out[f.key] = f.type === 'number' ? Number(v) : f.type === 'creditCode' || f.type === 'idNumber' ? String(v).toUpperCase() : v;
  }
  return out;
}

/** Field problems of a server answer, by field key (`/data/x`, `/values/x`, `/body/data/x`), and materials by `material:<key>`. */
export function serverFieldErrors(err: unknown): { fields: FieldErrors; other: string[] } {
  const fields: FieldErrors = {};
  const other: string[] = [];
  if (!(err instanceof ApiError)) return { fields, other };
  for (const p of err.problem.errors ?? []) {
    const m = /^(?:\/body)?(?:\/applications\/\d+)?\/(data|values|materials)\/([^/]+)/.exec(p.path);
    if (m) fields[m[1] === 'materials' ? `material:${m[2]}` : m[2]] = p.message;
    else other.push(p.path ? `${p.path}: ${p.message}` : p.message);
  }
  return { fields, other };
}

function inputProps(f: FormField) {
  switch (f.type) {
    case 'phone':
      return { type: 'tel', inputMode: 'tel' as const, autoComplete: 'tel' };
    case 'idNumber':
      return { type: 'text', autoComplete: 'off', maxLength: 18, spellCheck: false };
    case 'creditCode':
      return { type: 'text', autoComplete: 'off', maxLength: 18, spellCheck: false };
    case 'number':
      return { type: 'number', inputMode: 'decimal' as const, min: f.validation?.min, max: f.validation?.max, step: 'any' };
    case 'date':
      return { type: 'date', min: f.validation?.minDate, max: f.validation?.maxDate };
    default:
      return { type: 'text', maxLength: f.validation?.max };
  }
}

export function DynamicForm({ form, values, errors, onChange, disabled }: { form: FormDefinition; values: Values; errors: FieldErrors; onChange: (key: string, v: unknown) => void; disabled?: boolean }) {
  const { t } = useTranslation();
  const locale = useLocale();
  return (
    <div className="dyn-form">
      {form.fields.map((f) => {
        const id = `f-${f.key}`;
        const err = errors[f.key];
        const help = tx(f.help, locale);
        const noteId = err || help ? `${id}-note` : undefined;
        const label = tx(f.label, locale);
        const req = f.required ? (
          <span className="req" aria-hidden>
            *
          </span>
        ) : (
          <span className="field-optional">{t('register.optional')}</span>
        );
        const note = noteId && (
          <p id={noteId} className={err ? 'field-error' : 'field-hint'} data-testid={err ? `error-${f.key}` : undefined}>
            {err || help}
          </p>
        );
        const common = { 'aria-invalid': err ? true : undefined, 'aria-describedby': noteId, 'aria-required': f.required || undefined, disabled, name: f.key };
        if (f.type === 'checkbox' && f.validation?.options) {
          const chosen = Array.isArray(values[f.key]) ? (values[f.key] as string[]) : [];
          return (
            <fieldset key={f.key} className={`field${err ? ' field-invalid' : ''}`} aria-describedby={noteId}>
              <legend>
                {label}
                {req}
              </legend>
              {f.validation.options.map((o) => (
                <label key={o.value} className="check">
                  <input type="checkbox" checked={chosen.includes(o.value)} disabled={disabled} onChange={(e) => onChange(f.key, e.target.checked ? [...chosen, o.value] : chosen.filter((c) => c !== o.value))} />
                  <span>{tx(o.label, locale)}</span>
                </label>
              ))}
              {note}
            </fieldset>
          );
        }
        if (f.type === 'checkbox') {
          return (
            <div key={f.key} className={`field${err ? ' field-invalid' : ''}`}>
              <label className="check" htmlFor={id}>
                <input id={id} type="checkbox" checked={values[f.key] === true} onChange={(e) => onChange(f.key, e.target.checked)} {...common} />
                <span>
                  {label}
                  {req}
                </span>
              </label>
              {note}
            </div>
          );
        }
        return (
          <div key={f.key} className={`field${err ? ' field-invalid' : ''}`}>
            <label htmlFor={id}>
              {label}
              {req}
            </label>
            {f.type === 'select' ? (
              <select id={id} value={String(values[f.key] ?? '')} onChange={(e) => onChange(f.key, e.target.value)} {...common}>
                <option value="">{t('hall.form.choose')}</option>
                {f.validation?.options?.map((o) => (
                  <option key={o.value} value={o.value}>
                    {tx(o.label, locale)}
                  </option>
                ))}
              </select>
            ) : (
              <input id={id} value={values[f.key] === undefined || values[f.key] === null ? '' : String(values[f.key])} onChange={(e) => onChange(f.key, e.target.value)} {...inputProps(f)} {...common} />
            )}
            {note}
          </div>
        );
      })}
    </div>
  );
}
