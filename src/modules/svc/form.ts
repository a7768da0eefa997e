// Application forms as data: a form definition (fields with type, validation and help text) and the
// validator that checks submitted values against it. The applications work calls validateFormValues();
// the catalogue calls validateFormDefinition() when staff save an item.
import { citizenIdProblem, creditCodeProblem } from '../../platform/ids';
import type { FieldError } from '../../platform/http/problem';
import { isValidDate } from '../../platform/calendar';

export const FIELD_TYPES = ['text', 'number', 'date', 'select', 'checkbox', 'idNumber', 'creditCode', 'phone'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export interface Text2 {
  zh: string;
  en: string;
}

export interface FieldOption {
  value: string;
  label: Text2;
}

export interface FieldValidation {
  /** number: smallest value; text: shortest length; checkbox with options: fewest choices. */
  min?: number;
  max?: number;
  /** A regular expression the whole text must match (text fields). */
  pattern?: string;
  /** Choices for select (one) and checkbox (several). */
  options?: FieldOption[];
  /** date: earliest / latest allowed date (YYYY-MM-DD). */
  minDate?: string;
  maxDate?: string;
}

export interface FormField {
  key: string;
  label: Text2;
  type: FieldType;
  required?: boolean;
  validation?: FieldValidation;
  help?: Text2;
}

export interface FormDefinition {
  fields: FormField[];
}

/** Free text is capped even when the form sets no maximum. */
export const TEXT_MAX = 2000;
const PATTERN_MAX = 200;
const KEY_RE = /^[a-z][a-zA-Z0-9_]{0,39}$/;
const PHONE_RE = /^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/;

/** Problems with a form definition itself (as staff write it), paths relative to `base`. */
export function validateFormDefinition(def: FormDefinition, base = '/form'): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  if (!def || !Array.isArray(def.fields)) return [{ path: `${base}/fields`, message: 'must be a list of fields' }];
  if (def.fields.length > 100) errs.push({ path: `${base}/fields`, message: 'at most 100 fields' });
  def.fields.forEach((f, i) => {
    const p = `${base}/fields/${i}`;
    if (!KEY_RE.test(f.key ?? '')) errs.push({ path: `${p}/key`, message: 'use a letter then letters, digits or _ (at most 40)' });
    else if (seen.has(f.key)) errs.push({ path: `${p}/key`, message: `duplicate key ${f.key}` });
    seen.add(f.key);
    if (!FIELD_TYPES.includes(f.type)) errs.push({ path: `${p}/type`, message: `one of ${FIELD_TYPES.join(', ')}` });
    if (!f.label?.zh?.trim() || !f.label?.en?.trim()) errs.push({ path: `${p}/label`, message: 'needs Chinese and English labels' });
    const v = f.validation ?? {};
    if (v.min !== undefined && v.max !== undefined && v.min > v.max) errs.push({ path: `${p}/validation`, message: 'min is larger than max' });
    if (v.pattern !== undefined) {
      if (f.type !== 'text') errs.push({ path: `${p}/validation/pattern`, message: 'only text fields take a pattern' });
      else if (v.pattern.length > PATTERN_MAX) errs.push({ path: `${p}/validation/pattern`, message: `at most ${PATTERN_MAX} characters` });
      else
        try {
          new RegExp(v.pattern, 'u');
        } catch {
          errs.push({ path: `${p}/validation/pattern`, message: 'not a valid regular expression' });
        }
    }
    if (f.type === 'select' && !(v.options && v.options.length)) errs.push({ path: `${p}/validation/options`, message: 'a select needs options' });
    if (v.options) {
      const values = new Set<string>();
      v.options.forEach((o, j) => {
        if (!o.value || values.has(o.value)) errs.push({ path: `${p}/validation/options/${j}/value`, message: 'option values must be unique and not empty' });
        values.add(o.value);
      });
      if (f.type !== 'select' && f.type !== 'checkbox') errs.push({ path: `${p}/validation/options`, message: 'only select and checkbox fields take options' });
    }
    for (const k of ['minDate', 'maxDate'] as const) {
      if (v[k] !== undefined && (f.type !== 'date' || !isValidDate(v[k]!))) errs.push({ path: `${p}/validation/${k}`, message: 'a date field takes YYYY-MM-DD limits' });
    }
  });
  return errs;
}

export interface FormCheck {
  ok: boolean;
  errors: FieldError[];
  /** The values normalised (numbers as numbers, trimmed text, upper-case ID check characters). */
  values: Record<string, unknown>;
}

const empty = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0);

/**
 * Check submitted values against a form. Every problem is reported (not only the first), with paths
 * `${base}/<key>`. Unknown keys are errors; optional empty fields are dropped from the normalised values.
 */
export function validateFormValues(def: FormDefinition, input: Record<string, unknown>, base = '/values', today?: string): FormCheck {
  const errors: FieldError[] = [];
  const values: Record<string, unknown> = {};
  const keys = new Set(def.fields.map((f) => f.key));
  for (const k of Object.keys(input ?? {})) if (!keys.has(k)) errors.push({ path: `${base}/${k}`, message: 'unknown field' });
  for (const f of def.fields) {
    const p = `${base}/${f.key}`;
    const raw = input?.[f.key];
    const v = f.validation ?? {};
    if (empty(raw) || (f.type === 'checkbox' && !v.options && raw === false)) {
      if (f.required) errors.push({ path: p, message: 'is required' });
      else if (f.type === 'checkbox' && !v.options && raw === false) values[f.key] = false;
      continue;
    }
    const fail = (message: string) => errors.push({ path: p, message });
    switch (f.type) {
      case 'text': {
        if (typeof raw !== 'string') {
          fail('must be text');
          break;
        }
        const s = raw.trim();
        const len = [...s].length;
        if (len > Math.min(v.max ?? TEXT_MAX, TEXT_MAX)) fail(`at most ${Math.min(v.max ?? TEXT_MAX, TEXT_MAX)} characters`);
        else if (v.min !== undefined && len < v.min) fail(`at least ${v.min} characters`);
        else if (v.pattern && !new RegExp(`^(?:${v.pattern})$`, 'u').test(s)) fail('does not have the expected format');
        else values[f.key] = s;
        break;
      }
      case 'number': {
        const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^-?\d+(\.\d+)?$/.test(raw.trim()) ? Number(raw) : NaN;
        if (!Number.isFinite(n)) fail('must be a number');
        else if (v.min !== undefined && n < v.min) fail(`must be at least ${v.min}`);
        else if (v.max !== undefined && n > v.max) fail(`must be at most ${v.max}`);
        else values[f.key] = n;
        break;
      }
      case 'date': {
        if (typeof raw !== 'string' || !isValidDate(raw)) fail('must be a date (YYYY-MM-DD)');
        else if (v.minDate && raw < v.minDate) fail(`must be on or after ${v.minDate}`);
        else if (v.maxDate && raw > v.maxDate) fail(`must be on or before ${v.maxDate}`);
        else values[f.key] = raw;
        break;
      }
      case 'select': {
        if (typeof raw !== 'string' || !(v.options ?? []).some((o) => o.value === raw)) fail('must be one of the listed options');
        else values[f.key] = raw;
        break;
      }
      case 'checkbox': {
        if (!v.options) {
          if (typeof raw !== 'boolean') fail('must be true or false');
          else values[f.key] = raw;
          break;
        }
        const allowed = new Set(v.options.map((o) => o.value));
        if (!Array.isArray(raw) || raw.some((x) => typeof x !== 'string' || !allowed.has(x))) fail('must be a list of the listed options');
        else if (new Set(raw).size !== raw.length) fail('lists an option twice');
        else if (v.min !== undefined && raw.length < v.min) fail(`choose at least ${v.min}`);
        else if (v.max !== undefined && raw.length > v.max) fail(`choose at most ${v.max}`);
        else values[f.key] = raw;
        break;
      }
      case 'idNumber': {
        const s = typeof raw === 'string' ? raw.trim().toUpperCase() : '';
        const problem = s ? citizenIdProblem(s, today) : 'format';
        if (problem) fail(`not a valid citizen ID number (${problem})`);
        else values[f.key] = s;
        break;
      }
      case 'creditCode': {
        const s = typeof raw === 'string' ? raw.trim().toUpperCase() : '';
        const problem = s ? creditCodeProblem(s) : 'format';
        if (problem) fail(`not a valid unified social credit code (${problem})`);
        else values[f.key] = s;
        break;
      }
      case 'phone': {
        const s = typeof raw === 'string' ? raw.trim() : '';
        if (!PHONE_RE.test(s)) fail('not a valid mainland mobile or landline number');
        else values[f.key] = s;
        break;
      }
    }
  }
  return { ok: errors.length === 0, errors, values };
}
