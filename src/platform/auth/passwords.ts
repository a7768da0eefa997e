// Password hashing with argon2id (OWASP's first choice); parameters live in the hash string.
import { hash, verify } from '@node-rs/argon2';
import { dictionary as commonDictionary } from '@zxcvbn-ts/language-common';

// Algorithm 2 = Argon2id. 19 MiB, 2 passes: OWASP's minimum recommendation, fast enough for a login.
const OPTIONS = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(hashed: string, password: string): Promise<boolean> {
  try {
    return await verify(hashed, password);
  } catch {
    return false;
  }
}

/** What a password must not contain: the account's own names and the city's (attackers try them first). */
export interface PasswordContext {
  username?: string;
  displayName?: string;
  /** The city's names (青岛, Qingdao …), from the city file. */
  cityNames?: string[];
}

/** How many of the most used passwords are refused (the list ships with the project, ranked by use). */
export const COMMON_PASSWORDS_REFUSED = 10_000;
let common: Set<string> | undefined;
function commonPasswords(): Set<string> {
  // @zxcvbn-ts/language-common carries a frequency-ranked list of leaked passwords; the top ones are refused.
  common ??= new Set(commonDictionary['passwords-common'].slice(0, COMMON_PASSWORDS_REFUSED).map((p) => String(p).toLowerCase()));
  return common;
}

/** Rules a new password must meet; returns the reason it fails or null. */
export function passwordProblem(password: string, ctx: PasswordContext = {}): string | null {
  if (password.length < 10) return 'must be at least 10 characters';
  if (password.length > 256) return 'must be at most 256 characters';
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((r) => r.test(password)).length;
  if (classes < 3) return 'must mix at least three of: lower case, upper case, digits, symbols';
  const lower = password.toLowerCase();
  // "Password2026!" is "password" with decoration: the core without leading and trailing digits and symbols.
  const core = lower.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
  const list = commonPasswords();
  if (list.has(lower) || (core.length >= 4 && list.has(core))) return `is too common: it is among the ${COMMON_PASSWORDS_REFUSED.toLocaleString('en')} most used passwords`;
  const squash = (s: string) => s.toLowerCase().replace(/\s+/g, '');
  for (const name of ctx.cityNames ?? []) {
    const n = squash(name);
    if (n.length >= 2 && lower.includes(n)) return "must not contain the city's name";
  }
  const own = [ctx.username, ctx.username?.split('@')[0], ctx.displayName].filter((x): x is string => !!x).map(squash);
  for (const n of own) {
    // Short names (two-character Chinese names, three-letter logins) still count: they are the first guesses.
    if (n.length >= (/[\u3400-\u9fff]/.test(n) ? 2 : 3) && squash(password).includes(n)) return 'must not contain your username or name';
  }
  return null;
}

// A fixed hash to verify against when the user does not exist, so timing does not reveal valid usernames.
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword('not-a-real-password-Xy1!');
  return dummyHash;
}
