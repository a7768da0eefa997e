// The hashes of an operational record. requestHash covers the canonical request (who asked which service
// what, when), responseHash the exact bytes answered, and bindingHash ties both to the record's own facts,
// so a record cannot be re-pointed at another response or another consumer without the hash failing.
// Records are not chained to each other (that would serialise every call on one row); tamper evidence
// over time comes from the audit chain, whose entry for each call carries the binding hash.
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../../platform/audit/audit.service';

export const sha256 = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');

export interface CanonicalRequest {
  consumer: string | null;
  service: string;
  operation: string;
  /** The parameters as received (key, where, fields, limit, offset). */
  params: Record<string, unknown>;
  /** ISO time of arrival, ms precision. */
  at: string;
}

export const requestHash = (r: CanonicalRequest) => sha256(canonicalJson(r));

export interface BindingFacts {
  at: string;
  consumerXroadId: string | null;
  serviceId: string;
  operation: string;
  status: number;
  rows: number;
  responseBytes: number;
  requestHash: string;
  responseHash: string;
}

/** sha256 over "v1" and the facts joined by '|', in this order. */
export function bindingHash(f: BindingFacts): string {
  return sha256(['v1', f.at, f.consumerXroadId ?? '-', f.serviceId, f.operation, f.status, f.rows, f.responseBytes, f.requestHash, f.responseHash].join('|'));
}
