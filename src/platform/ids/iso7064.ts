// ISO/IEC 7064 MOD 37,36: the hybrid system for alphanumeric strings that GB/T 36904 uses for the check
// character of e-certificate identifiers. Hybrid systems (MOD M+1,M) work with two moduli: a running
// value P starts at M; for every character a, S = (P + a) mod M (0 counts as M) and P = 2·S mod (M+1).
// The check character c makes (P + c) mod M equal 1. It is taken from the same M characters as the data
// (0-9A-Z), so a hybrid check is never the supplementary '*' that the pure system MOD 37-2 needs.
export const MOD37_36_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const M = 36;

function valueOf(ch: string): number {
  const v = MOD37_36_ALPHABET.indexOf(ch);
  if (v < 0 || ch.length !== 1) throw new Error(`character ${JSON.stringify(ch)} is not in the ISO 7064 MOD 37,36 alphabet`);
  return v;
}

/** The running value P after the characters of `data` (P starts at M). */
function run(data: string, p = M): number {
  for (const ch of data) {
    const s = (p + valueOf(ch)) % M || M;
    p = (s * 2) % (M + 1);
  }
  return p;
}

/** The check character for `data` (upper-case 0-9A-Z only; throws on other characters). */
export function mod37_36CheckChar(data: string): string {
  const p = run(data);
  return MOD37_36_ALPHABET[(M + 1 - p) % M];
}

/** True when the last character of `withCheck` is the right MOD 37,36 check character of the rest. */
export function isValidMod37_36(withCheck: string): boolean {
  if (withCheck.length < 2 || !/^[0-9A-Z]+$/.test(withCheck)) return false;
  const p = run(withCheck.slice(0, -1));
  return (p + valueOf(withCheck.slice(-1))) % M === 1;
}
