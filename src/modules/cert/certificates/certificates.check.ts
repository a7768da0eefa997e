// Checking one row to issue (form, API or an import line): GB/T 36903 core metadata, the holder code
// (GB 11643 citizen ID or GB 32100 credit code) and the type's own fields. Pure: every problem, or the clean row.
import { citizenIdProblem, creditCodeProblem } from '../../../platform/ids';
import { type CleanRow, CORE_KEYS, type FieldValue, isRealDate, text, type TypeRow, typedField } from './certificates.model';

/** Every problem of one row (field, reason), or the clean row. `raw` holds core keys and type field keys. */
export function checkRow(t: TypeRow, raw: Record<string, unknown>, row: number, defaults: { today: string; jurisdiction: string }): { ok: CleanRow } | { problems: { field: string; reason: string }[] } {
  const problems: { field: string; reason: string }[] = [];
  const number = text(raw.number);
  if (!number) problems.push({ field: 'number', reason: 'required' });
  else if (number.length > 64 || [...number].some((c) => c.charCodeAt(0) < 32)) problems.push({ field: 'number', reason: 'at most 64 printable characters' });
  const holderName = text(raw.holderName);
  if (!holderName) problems.push({ field: 'holderName', reason: 'required' });
  else if (holderName.length > 200) problems.push({ field: 'holderName', reason: 'at most 200 characters' });
  const holderCode = text(raw.holderCode).toUpperCase();
  if (!holderCode) problems.push({ field: 'holderCode', reason: 'required' });
  else if (t.holderKind === 'person') {
    const p = citizenIdProblem(holderCode, defaults.today);
    if (p) problems.push({ field: 'holderCode', reason: `not a valid GB 11643 citizen ID number (${p})` });
  } else {
    const p = creditCodeProblem(holderCode);
    if (p) problems.push({ field: 'holderCode', reason: `not a valid GB 32100 unified social credit code (${p})` });
  }
  const issuedOn = text(raw.issuedOn) || defaults.today;
  if (!isRealDate(issuedOn)) problems.push({ field: 'issuedOn', reason: 'not a real date (YYYY-MM-DD)' });
  else if (issuedOn > defaults.today) problems.push({ field: 'issuedOn', reason: 'must not be in the future' });
  const validFrom = text(raw.validFrom) || issuedOn;
  // A validFrom taken from a bad issuedOn is not a second problem.
  if (text(raw.validFrom) && !isRealDate(validFrom)) problems.push({ field: 'validFrom', reason: 'not a real date (YYYY-MM-DD)' });
  const validUntil = text(raw.validUntil) || null;
  if (validUntil !== null) {
    if (!isRealDate(validUntil)) problems.push({ field: 'validUntil', reason: 'not a real date (YYYY-MM-DD), or empty for no end date' });
    else if (isRealDate(validFrom) && validUntil < validFrom) problems.push({ field: 'validUntil', reason: 'must not be before validFrom' });
  }
  const jurisdiction = text(raw.jurisdiction) || defaults.jurisdiction;
  if (!/^\d{6}$/.test(jurisdiction)) problems.push({ field: 'jurisdiction', reason: 'a GB/T 2260 division code has 6 digits' });

  const fields: Record<string, FieldValue> = {};
  const known = new Set(t.fields.map((f) => f.key));
  for (const key of Object.keys(raw)) if (!CORE_KEYS.has(key) && !known.has(key)) problems.push({ field: key, reason: 'not a field of this certificate type' });
  for (const def of t.fields) {
    let v = raw[def.key];
    // Values the core metadata already carry need not be typed twice (and are checked there, not again).
    const given = text(v) !== '';
    if (!given && holderName && ['name', 'enterpriseName', 'institutionName', 'owner'].includes(def.key)) v = holderName;
    if (!given && holderCode && ((def.key === 'idNumber' && t.holderKind === 'person') || (def.key === 'creditCode' && t.holderKind === 'organisation'))) v = holderCode;
    const r = typedField(def, v);
    if ('error' in r) problems.push({ field: def.key, reason: r.error });
    else fields[def.key] = r.value;
    if (given && 'value' in r && typeof r.value === 'string' && r.value) {
      if (def.key.endsWith('IdNumber') || def.key === 'idNumber') {
        const p = citizenIdProblem(r.value.toUpperCase(), defaults.today);
        if (p) problems.push({ field: def.key, reason: `not a valid GB 11643 citizen ID number (${p})` });
      }
      if (def.key === 'creditCode' && creditCodeProblem(r.value) !== null) problems.push({ field: def.key, reason: 'not a valid GB 32100 unified social credit code' });
    }
  }
  if (problems.length) return { problems };
  return { ok: { row, number, holderName, holderCode, issuedOn, validFrom, validUntil, jurisdiction, fields } };
}
