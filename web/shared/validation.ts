// Quick checks in the browser that mirror the server's rules, so a person hears about a typo at once.
// The server checks everything again; these only save a round trip.
import { shanghaiToday } from './format';

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK_CHARS = '10X98765432';

/** The check character (GB 11643) for the first 17 digits of a citizen ID number. */
export function citizenIdCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i];
  return ID_CHECK_CHARS[sum % 11];
}

export type CitizenIdProblem = 'format' | 'birth-date' | 'check-digit';

/** Why an 18-character citizen ID number cannot be right, or null when it may be. Expects upper-case X. */
export function citizenIdProblem(id: string, today = shanghaiToday()): CitizenIdProblem | null {
  if (!/^\d{17}[\dX]$/.test(id)) return 'format';
  const ymd = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  const born = new Date(`${ymd}T00:00:00Z`);
  if (Number.isNaN(born.getTime()) || born.toISOString().slice(0, 10) !== ymd || ymd < '1800-01-01' || ymd > today) return 'birth-date';
  if (citizenIdCheckChar(id) !== id[17]) return 'check-digit';
  return null;
}

/** What people type: spaces dropped, a lower-case x made upper-case. */
export function normaliseCitizenId(raw: string): string {
  return raw.replace(/\s+/g, '').toUpperCase();
}

export type PasswordProblem = 'short' | 'long' | 'classes';

/** The platform's password rule: 10 to 256 characters mixing three of lower, upper, digits, symbols. */
export function passwordProblem(pw: string): PasswordProblem | null {
  if (pw.length < 10) return 'short';
  if (pw.length > 256) return 'long';
  const kinds = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((re) => re.test(pw)).length;
  return kinds < 3 ? 'classes' : null;
}

export const USERNAME_RE = /^[A-Za-z0-9_.@-]{3,64}$/;
export const MOBILE_RE = /^1\d{10}$/;
