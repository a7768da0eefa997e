import { describe, expect, it } from 'vitest';
import { maskAddress, maskCitizenId, maskDateOfBirth, maskIdNumber, maskName, maskPhoneLast4 } from '../../../platform/ids';
import type { ResourceDataShape } from '../contracts';
import { bindingHash, requestHash } from './gateway.hash';
import { MASKING_RULES, rowMasker } from './masking';

describe('platform masking functions', () => {
  it.each([
    ['37020219850314123X', '370202********123X'],
    ['110101199003070019', '110101********0019'],
    ['1234', '****'],
  ])('ID number %s → %s (first 6, last 4)', (v, out) => expect(maskIdNumber(v)).toBe(out));

  it('keeps the credit module\'s 3+4 form by default', () => expect(maskCitizenId('37020219850314123X')).toBe('370***********123X'));

  it.each([
    ['张伟', '张*'],
    ['欧阳娜娜', '欧***'],
    ['李', '*'],
  ])('name %s → %s', (v, out) => expect(maskName(v)).toBe(out));

  it.each([
    ['13805321234', '*******1234'],
    ['0532-8888123', '********8123'],
    ['123', '***'],
  ])('phone %s → %s', (v, out) => expect(maskPhoneLast4(v)).toBe(out));

  it.each([
    ['山东省青岛市市南区香港中路10号', '山东省青岛市市南区****'],
    ['青岛市崂山区松岭路1号', '青岛市崂山区****'],
    ['山东省青岛市胶州市福州路8号', '山东省青岛市胶州市****'],
    ['平度市人民路3号', '平度市****'],
    ['青岛市胶州市经济开发区福州路8号', '青岛市胶州市****'],
    ['青岛市市北区', '青岛市市北区'],
    ['某地某路', '****'],
  ])('address %s → %s', (v, out) => expect(maskAddress(v)).toBe(out));

  it.each([
    ['1985-03-14', '1985-**-**'],
    ['x', '****'],
  ])('date of birth %s → %s', (v, out) => expect(maskDateOfBirth(v)).toBe(out));
});

describe('row masker', () => {
  const shape = (grade: ResourceDataShape['grade']): ResourceDataShape => ({
    resourceId: '00000000-0000-0000-0000-000000000001',
    code: 'T',
    name: 't',
    grade,
    providerOrgId: '00000000-0000-0000-0000-000000000002',
    items: [
      { name: 'id_number', label: '身份证号', type: 'string', key: true, personal: 'id_number' },
      { name: 'name', label: '姓名', type: 'string', personal: 'name' },
      { name: 'phone', label: '电话', type: 'string', personal: 'phone' },
      { name: 'address', label: '住址', type: 'string', personal: 'address' },
      { name: 'birth_date', label: '出生日期', type: 'date', personal: 'date_of_birth' },
      { name: 'bank_account', label: '账号', type: 'string', personal: 'account' },
      { name: 'district_code', label: '区划', type: 'string' },
    ],
  });
  const row = {
    id_number: '37020219850314123X',
    name: '王小明',
    phone: '13805321234',
    address: '山东省青岛市市南区香港中路10号',
    birth_date: '1985-03-14',
    bank_account: '6222021234567890123',
    district_code: '370202',
    secret: 'never',
  };
  const fields = ['id_number', 'name', 'phone', 'address', 'birth_date', 'bank_account', 'district_code'];

  it('masks every personal kind and passes non-personal fields; only the asked fields leave', () => {
    const out = rowMasker(shape('important'), fields, [])(row);
    expect(out).toEqual({
      id_number: '370202********123X',
      name: '王**',
      phone: '*******1234',
      address: '山东省青岛市市南区****',
      birth_date: '1985-**-**',
      bank_account: '***************0123',
      district_code: '370202',
    });
    expect(out).not.toHaveProperty('secret');
  });

  it('every personal kind has a rule whose example holds', () => {
    for (const [kind, r] of Object.entries(MASKING_RULES)) expect(r.mask(r.example[0]), kind).toBe(r.example[1]);
  });

  it('a clear field is clear for important and general grade, never for core', () => {
    expect(rowMasker(shape('general'), ['name'], ['name'])(row).name).toBe('王小明');
    expect(rowMasker(shape('important'), ['name'], ['name'])(row).name).toBe('王小明');
    expect(rowMasker(shape('core'), ['name'], ['name'])(row).name).toBe('王**');
  });

  it('null stays null', () => expect(rowMasker(shape('general'), ['phone'], [])({ phone: null }).phone).toBeNull());
});

describe('binding hash', () => {
  const base = { at: '2026-11-27T01:00:00.000Z', consumerXroadId: 'CN-370200/GOV/RSJ/pension-audit', serviceId: 'CN-370200/X', operation: 'lookup', status: 200, rows: 1, responseBytes: 10 };
  it('changes when the response, the request or the status changes', () => {
    const rq = requestHash({ consumer: base.consumerXroadId, service: base.serviceId, operation: 'lookup', params: { key: 'a' }, at: base.at });
    const h = bindingHash({ ...base, requestHash: rq, responseHash: 'r1' });
    expect(bindingHash({ ...base, requestHash: rq, responseHash: 'r1' })).toBe(h);
    expect(bindingHash({ ...base, requestHash: rq, responseHash: 'r2' })).not.toBe(h);
    expect(bindingHash({ ...base, status: 403, requestHash: rq, responseHash: 'r1' })).not.toBe(h);
    const rq2 = requestHash({ consumer: base.consumerXroadId, service: base.serviceId, operation: 'lookup', params: { key: 'b' }, at: base.at });
    expect(bindingHash({ ...base, requestHash: rq2, responseHash: 'r1' })).not.toBe(h);
  });
});
