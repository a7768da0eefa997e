// 居民身份证号码 — GB 11643-1999: 6-digit address, YYYYMMDD birth date, 3-digit sequence (odd = male), check.
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

export type CitizenIdProblem = 'format' | 'birth-date' | 'future-birth-date' | 'check-digit';

export interface CitizenIdInfo {
  divisionCode: string;
  birthDate: string; // YYYY-MM-DD
  sex: 'male' | 'female';
}

export function citizenIdCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK[sum % 11];
}

/** Validate an ID number; returns the first problem found, or null. `today` is YYYY-MM-DD (Asia/Shanghai). */
export function citizenIdProblem(id: string, today = todayInShanghai()): CitizenIdProblem | null {
  if (!/^\d{17}[\dX]$/.test(id)) return 'format';
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  const date = new Date(Date.UTC(y, m - 1, d));
  if (y < 1800 || date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return 'birth-date';
  if (`${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}` > today) return 'future-birth-date';
  if (citizenIdCheckChar(id.slice(0, 17)) !== id[17]) return 'check-digit';
  return null;
}

export function isValidCitizenId(id: string, today?: string): boolean {
  return citizenIdProblem(id, today) === null;
}

export function parseCitizenId(id: string): CitizenIdInfo | null {
  if (!isValidCitizenId(id)) return null;
  return {
    divisionCode: id.slice(0, 6),
    birthDate: `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`,
    sex: Number(id[16]) % 2 === 1 ? 'male' : 'female',
  };
}

/** Build a valid ID number (demo data generators): check character appended. */
export function makeCitizenId(divisionCode: string, birthDate: string, sequence: number): string {
  const body = `${divisionCode}${birthDate.replaceAll('-', '')}${String(sequence).padStart(3, '0')}`;
  if (!/^\d{17}$/.test(body)) throw new Error('makeCitizenId: bad parts');
  return body + citizenIdCheckChar(body);
}

/**
 * Show only what a viewer without need may see: the first `keepStart` (3 by default: 370***********1234)
 * and the last 4 characters. The data-sharing gateway keeps 6 (the issuing division) per its masking rules.
 */
export function maskCitizenId(id: string, keepStart = 3): string {
  if (id.length < keepStart + 5) return '*'.repeat(id.length);
  return id.slice(0, keepStart) + '*'.repeat(id.length - keepStart - 4) + id.slice(-4);
}

export function todayInShanghai(at: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}
