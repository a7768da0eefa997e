import { describe, expect, it } from 'vitest';
import {
  citizenIdProblem,
  creditCodeProblem,
  isValidCitizenId,
  isValidCreditCode,
  makeCitizenId,
  makeCreditCode,
  maskCitizenId,
  parseCitizenId,
  PLACEHOLDER_CREDIT_CODE,
} from './index';

describe('GB 32100 unified social credit code', () => {
  it.each(['91350200776049653A', '91440101MA5CJQ4N59', '913502000728319549', '914403001922038216', '11230500001755309F'])(
    'accepts the standard examples: %s',
    (code) => expect(creditCodeProblem(code)).toBeNull(),
  );
  it('rejects a wrong check character', () => {
    expect(creditCodeProblem('91350200776049653B')).toBe('check-character');
    expect(creditCodeProblem('913502000728319548')).toBe('check-character');
  });
  it('rejects letters outside the alphabet (I O S V Z) and bad lengths', () => {
    expect(creditCodeProblem('9135020077604965IA')).toBe('format');
    expect(creditCodeProblem('91350200776049653')).toBe('format');
    expect(creditCodeProblem('91350200776049653AA')).toBe('format');
    expect(creditCodeProblem('91A50200776049653A')).toBe('format'); // division must be digits
  });
  it('accepts the placeholder only when allowed', () => {
    expect(creditCodeProblem(PLACEHOLDER_CREDIT_CODE)).toBe('placeholder-not-allowed');
    expect(isValidCreditCode(PLACEHOLDER_CREDIT_CODE, { allowPlaceholder: true })).toBe(true);
  });
  it('generates codes that validate', () => {
    for (let i = 0; i < 200; i++) {
      const code = makeCreditCode('370202', `MA${String(i).padStart(7, '0')}`);
      expect(isValidCreditCode(code)).toBe(true);
    }
  });
});

describe('GB 11643 citizen ID number', () => {
  it.each(['11010519491231002X', '440524188001010014'])('accepts the standard examples: %s', (id) =>
    expect(citizenIdProblem(id)).toBeNull(),
  );
  it('rejects a wrong check digit', () => {
    expect(citizenIdProblem('110105194912310021')).toBe('check-digit');
  });
  it('rejects impossible and future birth dates', () => {
    expect(citizenIdProblem(makeCitizenIdUnchecked('370202', '20230230'))).toBe('birth-date');
    expect(citizenIdProblem(makeCitizenId('370202', '2030-01-01', 11), '2026-11-26')).toBe('future-birth-date');
    expect(citizenIdProblem(makeCitizenId('370202', '2000-02-29', 11))).toBeNull(); // leap day is real
    expect(citizenIdProblem(makeCitizenIdUnchecked('370202', '19000229'))).toBe('birth-date'); // 1900 was not leap
  });
  it('rejects bad formats (lowercase x, letters, lengths)', () => {
    expect(citizenIdProblem('11010519491231002x')).toBe('format');
    expect(citizenIdProblem('1101051949123100')).toBe('format');
    expect(citizenIdProblem('A1010519491231002X')).toBe('format');
  });
  it('parses sex and birth date, and masks', () => {
    expect(parseCitizenId('11010519491231002X')).toEqual({ divisionCode: '110105', birthDate: '1949-12-31', sex: 'female' });
    expect(parseCitizenId('440524188001010014')?.sex).toBe('male');
    expect(maskCitizenId('11010519491231002X')).toBe('110***********002X');
    expect(isValidCitizenId(makeCitizenId('370212', '1990-06-15', 123))).toBe(true);
  });
});

function makeCitizenIdUnchecked(div: string, ymd: string): string {
  return `${div}${ymd}0010`;
}
