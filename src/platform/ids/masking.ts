// Masking (GB/T 37964 suppression/masking) of personal values shown to someone without the need to see
// them in clear. Each function keeps a fixed, documented part and replaces the rest with '*', so the shape
// of the value stays recognisable (a clerk can still match the last digits a citizen reads out).
import { maskCitizenId } from './citizen-id';

/** A person's name: the surname (the first character), then one star per further character (张**). */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  return chars.length <= 1 ? '*' : chars[0] + '*'.repeat(chars.length - 1);
}

/** An ID number shown as its first 6 (the issuing division) and last 4 characters: 370202********123X. */
export function maskIdNumber(id: string): string {
  return maskCitizenId(id, 6);
}

/** A phone number: only the last 4 digits stay (*******5678); shorter values are starred entirely. */
export function maskPhoneLast4(phone: string): string {
  const s = phone.trim();
  if (s.length <= 4) return '*'.repeat(s.length);
  return '*'.repeat(s.length - 4) + s.slice(-4);
}

/** An account or card number: the last 4 characters stay. */
export const maskAccount = maskPhoneLast4;

/**
 * An address generalised to its district or county: the province (省/自治区) and the prefecture city (市) if
 * present, then the first district-level unit (a name ending in 区, 县, 旗 or 市 — a county-level city such
 * as 胶州市); everything after it becomes '****'. 山东省青岛市市南区香港中路10号 → 山东省青岛市市南区****.
 * Without a recognisable district the city is kept (平度市人民路3号 → 平度市****); without either, all is starred.
 */
export function maskAddress(address: string): string {
  const s = address.trim();
  if (!s) return s;
  let keep = '';
  let rest = s;
  const take = (re: RegExp) => {
    const m = re.exec(rest);
    if (!m) return false;
    keep += m[0];
    rest = rest.slice(m[0].length);
    return true;
  };
  take(/^[^省区市县]{1,8}(?:省|自治区)/u);
  const city = take(/^[^省区市县]{1,8}市/u);
  const district = take(/^[^省区县旗]{1,8}?(?:区|县|旗|市)/u);
  if (!city && !district) return '****';
  return rest ? keep + '****' : keep;
}

/** A date of birth generalised to the year: 1985-03-14 → 1985-**-**. */
export function maskDateOfBirth(value: string): string {
  const m = /^(\d{4})/.exec(value.trim());
  return m ? `${m[1]}-**-**` : '****';
}
