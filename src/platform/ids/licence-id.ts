// 电子证照标识 — GB/T 36904: `1.2.156.3005.2.` + licence-type code (the defining authority's 18-character
// credit code + a 3-digit number) + `.` + the issuer's credit code (18) + `.` + serial + `.` + 3-digit
// version + `.` + an ISO/IEC 7064 MOD 37,36 check character over type + issuer + serial + version.
import { creditCodeProblem } from './credit-code';
import { isValidMod37_36, mod37_36CheckChar } from './iso7064';

export const LICENCE_ID_PREFIX = '1.2.156.3005.2.';

export interface LicenceIdParts {
  /** 21 characters: credit code of the authority that defines the type + 3 digits. */
  typeCode: string;
  /** 18-character unified social credit code of the issuing authority. */
  issuerCode: string;
  /** Digits (and upper-case letters), at most 32 characters. */
  serial: string;
  /** 1..999, written with 3 digits. */
  version: number;
}

export type LicenceIdProblem = 'prefix' | 'format' | 'type-code' | 'issuer-code' | 'serial' | 'version' | 'check-character';

const SERIAL = /^[0-9A-Z]{1,32}$/;

function partsProblem(p: LicenceIdParts): LicenceIdProblem | null {
  if (!/^[0-9A-Z]{18}\d{3}$/.test(p.typeCode) || creditCodeProblem(p.typeCode.slice(0, 18)) !== null) return 'type-code';
  if (creditCodeProblem(p.issuerCode) !== null) return 'issuer-code';
  if (!SERIAL.test(p.serial)) return 'serial';
  if (!Number.isInteger(p.version) || p.version < 1 || p.version > 999) return 'version';
  return null;
}

const checkBody = (p: LicenceIdParts) => `${p.typeCode}${p.issuerCode}${p.serial}${String(p.version).padStart(3, '0')}`;

/** The identifier for these parts; throws when a part is malformed (callers build from validated data). */
export function buildLicenceId(p: LicenceIdParts): string {
  const problem = partsProblem(p);
  if (problem) throw new Error(`buildLicenceId: bad ${problem}`);
  const version = String(p.version).padStart(3, '0');
  return `${LICENCE_ID_PREFIX}${p.typeCode}.${p.issuerCode}.${p.serial}.${version}.${mod37_36CheckChar(checkBody(p))}`;
}

/** The first problem with an identifier, or null when it is well formed and its check character is right. */
export function licenceIdProblem(id: string): LicenceIdProblem | null {
  if (!id.startsWith(LICENCE_ID_PREFIX)) return 'prefix';
  const rest = id.slice(LICENCE_ID_PREFIX.length).split('.');
  if (rest.length !== 5) return 'format';
  const [typeCode, issuerCode, serial, version, check] = rest;
  if (!/^\d{3}$/.test(version)) return 'version';
  if (!/^[0-9A-Z]$/.test(check)) return 'check-character';
  const parts = { typeCode, issuerCode, serial, version: Number(version) };
  const p = partsProblem(parts);
  if (p) return p;
  return isValidMod37_36(checkBody(parts) + check) ? null : 'check-character';
}

export function parseLicenceId(id: string): (LicenceIdParts & { check: string }) | null {
  if (licenceIdProblem(id) !== null) return null;
  const [typeCode, issuerCode, serial, version, check] = id.slice(LICENCE_ID_PREFIX.length).split('.');
  return { typeCode, issuerCode, serial, version: Number(version), check };
}

export const isValidLicenceId = (id: string) => licenceIdProblem(id) === null;
