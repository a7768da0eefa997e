import { describe, expect, it } from 'vitest';
import { makeCitizenId, makeCreditCode } from '../../platform/ids';
import { validateFormDefinition, validateFormValues, type FormDefinition } from './form';
import { RICH_FORMS } from './svc.reference';

const form: FormDefinition = {
  fields: [
    { key: 'name', label: { zh: '姓名', en: 'Name' }, type: 'text', required: true, validation: { min: 2, max: 10 } },
    { key: 'age', label: { zh: '年龄', en: 'Age' }, type: 'number', required: true, validation: { min: 18, max: 120 } },
    { key: 'born', label: { zh: '出生日期', en: 'Born' }, type: 'date', validation: { minDate: '1900-01-01', maxDate: '2026-12-31' } },
    { key: 'edu', label: { zh: '学历', en: 'Education' }, type: 'select', required: true, validation: { options: [{ value: 'b', label: { zh: '本科', en: 'BA' } }, { value: 'm', label: { zh: '硕士', en: 'MA' } }] } },
    { key: 'agree', label: { zh: '同意', en: 'Agree' }, type: 'checkbox', required: true },
    { key: 'langs', label: { zh: '语言', en: 'Languages' }, type: 'checkbox', validation: { min: 1, options: [{ value: 'zh', label: { zh: '中文', en: 'Chinese' } }, { value: 'en', label: { zh: '英文', en: 'English' } }] } },
    { key: 'id', label: { zh: '身份证号', en: 'ID' }, type: 'idNumber', required: true },
    { key: 'credit', label: { zh: '信用代码', en: 'Credit code' }, type: 'creditCode' },
    { key: 'phone', label: { zh: '电话', en: 'Phone' }, type: 'phone', required: true },
    { key: 'account', label: { zh: '账号', en: 'Account' }, type: 'text', validation: { pattern: '\\d{12}' } },
  ],
};
const id = makeCitizenId('370202', '1990-05-17', 12);
const good = { name: '张三', age: '36', born: '1990-05-17', edu: 'm', agree: true, langs: ['zh'], id: id.toLowerCase(), credit: makeCreditCode('370202', 'MA3100000'), phone: '13800000001', account: '123456789012' };

describe('form definitions', () => {
  it('accepts the seeded rich forms', () => {
    for (const [name, f] of Object.entries(RICH_FORMS)) expect(validateFormDefinition(f.form), name).toEqual([]);
    expect(validateFormDefinition(form)).toEqual([]);
  });

  it('reports duplicate keys, bad patterns, selects without options and misplaced limits', () => {
    const errs = validateFormDefinition({
      fields: [
        { key: 'a', label: { zh: 'A', en: 'A' }, type: 'text', validation: { pattern: '(' } },
        { key: 'a', label: { zh: 'A', en: 'A' }, type: 'select' },
        { key: '9x', label: { zh: '', en: 'x' }, type: 'number', validation: { min: 5, max: 1, minDate: '2020-01-01' } },
      ],
    });
    const paths = errs.map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['/form/fields/0/validation/pattern', '/form/fields/1/key', '/form/fields/1/validation/options', '/form/fields/2/key', '/form/fields/2/label', '/form/fields/2/validation', '/form/fields/2/validation/minDate']));
  });
});

describe('form values', () => {
  it('accepts and normalises good values', () => {
    const r = validateFormValues(form, good);
    expect(r.errors).toEqual([]);
    expect(r.values.age).toBe(36);
    expect(r.values.id).toBe(id); // upper-cased check character
  });

  it('reports every problem with its path', () => {
    const r = validateFormValues(form, { name: 'x', age: 12, born: '1990-02-30', edu: 'phd', agree: false, langs: ['zh', 'zh'], id: '370202199005170000', credit: '91370202MA31000000', phone: '12345', account: '12ab', extra: 1 });
    expect(r.ok).toBe(false);
    const byPath = Object.fromEntries(r.errors.map((e) => [e.path, e.message]));
    expect(Object.keys(byPath).sort()).toEqual(['/values/account', '/values/age', '/values/agree', '/values/born', '/values/credit', '/values/edu', '/values/extra', '/values/id', '/values/langs', '/values/name', '/values/phone'].sort());
    expect(byPath['/values/agree']).toBe('is required');
    expect(byPath['/values/extra']).toBe('unknown field');
  });

  it('drops optional empty fields and requires required ones', () => {
    const r = validateFormValues(form, { ...good, born: '', credit: undefined, account: '   ' });
    expect(r.ok).toBe(true);
    expect('born' in r.values).toBe(false);
    const missing = validateFormValues(form, {});
    expect(missing.errors.map((e) => e.path)).toEqual(['/values/name', '/values/age', '/values/edu', '/values/agree', '/values/id', '/values/phone']);
  });

  it('checks types strictly (no objects where text belongs, no text in a checkbox)', () => {
    const r = validateFormValues(form, { ...good, name: { x: 1 }, agree: 'yes', langs: 'zh' });
    expect(r.errors.map((e) => e.path).sort()).toEqual(['/values/agree', '/values/langs', '/values/name']);
  });
});
