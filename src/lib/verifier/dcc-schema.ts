// The structure of an EU DCC payload (hcert claim -260, key 1) per the eHealth Network JSON schema
// 1.3.0, checked in one place. Only the structure is checked: required members and their JSON types,
// the `dob` pattern and the 1.x `ver` line. Members the schema does not name are ignored (later 1.x
// schemas and national extensions add some), and codes outside the value sets are not refused (value
// sets change; business rules judge them). A failure names the member as a JSON pointer (`/v/0/dn`).
import { CborSimple, CborTag } from './cbor';

export type DccType = 'vaccination' | 'test' | 'recovery';

/** The payload member holding each certificate type. */
export const DCC_GROUPS = { v: 'vaccination', t: 'test', r: 'recovery' } as const satisfies Record<string, DccType>;
type Group = keyof typeof DCC_GROUPS;

/** The schema's date of birth: YYYY, YYYY-MM or YYYY-MM-DD in 1900-2099, or empty. */
export const DCC_DOB_RE = /^((19|20)\d\d(-\d\d){0,2}){0,1}$/;
/** Payload schema versions this verifier reads (`ver` major version). */
export const DCC_SCHEMA_MAJOR = 1;

type Kind = 'text' | 'posint';
/** Required (true) and optional (false) members of each entry, with their kind. */
const ENTRY: Record<Group, Record<string, [Kind, boolean]>> = {
  v: {
    tg: ['text', true],
    vp: ['text', true],
    mp: ['text', true],
    ma: ['text', true],
    dn: ['posint', true],
    sd: ['posint', true],
    dt: ['text', true],
    co: ['text', true],
    is: ['text', true],
    ci: ['text', true],
  },
  t: {
    tg: ['text', true],
    tt: ['text', true],
    nm: ['text', false],
    ma: ['text', false],
    sc: ['text', true],
    tr: ['text', true],
    tc: ['text', false],
    co: ['text', true],
    is: ['text', true],
    ci: ['text', true],
  },
  r: {
    tg: ['text', true],
    fr: ['text', true],
    co: ['text', true],
    is: ['text', true],
    df: ['text', true],
    du: ['text', true],
    ci: ['text', true],
  },
};

export type DccSchemaResult = { ok: true; type: DccType; ver: string } | { ok: false; pointer: string; message: string };

/** What a value is, for messages ("must be text, not a byte string"). */
export function describeValue(v: unknown): string {
  if (v === undefined) return 'missing';
  if (v === null) return 'null';
  if (typeof v === 'string') return 'text';
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : Number.isFinite(v) ? 'a number' : 'an infinite number';
  if (typeof v === 'bigint') return 'an integer';
  if (typeof v === 'boolean') return 'a boolean';
  if (v instanceof Uint8Array) return 'a byte string';
  if (Array.isArray(v)) return 'an array';
  if (v instanceof CborTag) return `tag ${v.tag}`;
  if (v instanceof CborSimple) return `simple value ${v.value}`;
  return typeof v === 'object' ? 'a map' : typeof v;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array) && Object.getPrototypeOf(v) === Object.prototype;

/**
 * Check a DCC payload given as plain JSON values (objects with text keys, arrays, strings, numbers);
 * a value of any other kind (a byte string, a tag) counts as the wrong type.
 */
export function checkDccSchema(dcc: unknown): DccSchemaResult {
  const fail = (pointer: string, message: string): DccSchemaResult => ({ ok: false, pointer, message });
  if (!isObject(dcc)) return fail('', `the DCC payload must be a map, not ${describeValue(dcc)}`);
  const { ver } = dcc;
  if (typeof ver !== 'string') return fail('/ver', ver === undefined ? 'is required' : `must be text, not ${describeValue(ver)}`);
  const semver = /^(\d+)\.(\d+)\.(\d+)$/.exec(ver);
  if (!semver) return fail('/ver', `${JSON.stringify(ver)} is not a schema version (major.minor.patch)`);
  if (Number(semver[1]) !== DCC_SCHEMA_MAJOR) return fail('/ver', `schema version ${ver} is not supported (this verifier reads ${DCC_SCHEMA_MAJOR}.x)`);

  const { nam } = dcc;
  if (!isObject(nam)) return fail('/nam', nam === undefined ? 'is required' : `must be a map, not ${describeValue(nam)}`);
  for (const k of ['fnt', 'fn', 'gnt', 'gn']) {
    const v = nam[k];
    if (v === undefined && k !== 'fnt') continue;
    if (typeof v !== 'string') return fail(`/nam/${k}`, v === undefined ? 'is required' : `must be text, not ${describeValue(v)}`);
  }
  const { dob } = dcc;
  if (typeof dob !== 'string') return fail('/dob', dob === undefined ? 'is required' : `must be text, not ${describeValue(dob)}`);
  if (!DCC_DOB_RE.test(dob)) return fail('/dob', `${JSON.stringify(dob)} is not YYYY, YYYY-MM or YYYY-MM-DD (1900-2099)`);

  const present = (Object.keys(DCC_GROUPS) as Group[]).filter((g) => dcc[g] !== undefined);
  if (present.length === 0) return fail('', 'the DCC must hold one of v (vaccination), t (test) or r (recovery)');
  if (present.length > 1) return fail(`/${present[1]}`, `the DCC holds ${present.join(' and ')}; exactly one of v, t or r is allowed`);
  const group = present[0];
  const entries = dcc[group];
  if (!Array.isArray(entries) || entries.length === 0) return fail(`/${group}`, `must be a non-empty array, not ${Array.isArray(entries) ? 'an empty one' : describeValue(entries)}`);
  for (const [i, entry] of entries.entries()) {
    const at = `/${group}/${i}`;
    if (!isObject(entry)) return fail(at, `must be a map, not ${describeValue(entry)}`);
    for (const [k, [kind, required]] of Object.entries(ENTRY[group])) {
      const v = entry[k];
      if (v === undefined) {
        if (required) return fail(`${at}/${k}`, 'is required');
        continue;
      }
      if (kind === 'text' && typeof v !== 'string') return fail(`${at}/${k}`, `must be text, not ${describeValue(v)}`);
      if (kind === 'posint' && !((Number.isInteger(v) && (v as number) >= 1) || (typeof v === 'bigint' && v >= 1n))) {
        return fail(`${at}/${k}`, `must be an integer ≥ 1, not ${typeof v === 'number' ? String(v) : describeValue(v)}`);
      }
    }
  }
  return { ok: true, type: DCC_GROUPS[group], ver };
}
