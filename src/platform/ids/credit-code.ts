// 统一社会信用代码 — GB 32100-2015: authority (1) + type (1) + division (6) + subject id (9) + check (1).
export const CREDIT_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
/** Sole traders without a code use this placeholder where the publication standard allows it. */
export const PLACEHOLDER_CREDIT_CODE = '00000000000000000X';

export type CreditCodeProblem = 'format' | 'check-character' | 'placeholder-not-allowed';

export function creditCodeCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = CREDIT_ALPHABET.indexOf(first17[i]);
    if (v < 0) throw new Error(`character ${first17[i]} is not in the credit-code alphabet`);
    sum += v * WEIGHTS[i];
  }
  return CREDIT_ALPHABET[(31 - (sum % 31)) % 31];
}

export function creditCodeProblem(code: string, opts: { allowPlaceholder?: boolean } = {}): CreditCodeProblem | null {
  if (code === PLACEHOLDER_CREDIT_CODE) return opts.allowPlaceholder ? null : 'placeholder-not-allowed';
  if (!/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/.test(code)) return 'format';
  if (creditCodeCheckChar(code.slice(0, 17)) !== code[17]) return 'check-character';
  return null;
}

export function isValidCreditCode(code: string, opts: { allowPlaceholder?: boolean } = {}): boolean {
  return creditCodeProblem(code, opts) === null;
}

/** Build a valid code (demo data): authority 9 (industry & commerce), type 1 (enterprise) by default. */
export function makeCreditCode(divisionCode: string, subjectId: string, authority = '9', type = '1'): string {
  const body = `${authority}${type}${divisionCode}${subjectId}`;
  if (body.length !== 17) throw new Error('makeCreditCode: need 6-digit division and 9-character subject id');
  return body + creditCodeCheckChar(body);
}
