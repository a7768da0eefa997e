// How credit rows are shown: batches, records (masked for the public and for viewers without need),
// the name query of the lookups, and the single-record API's 422.
import { AppError } from '../../platform/http/problem';
import { maskCitizenId, maskName } from '../../platform/ids';
import { bigrams, lexeme, unigrams } from '../../platform/search';
import type { creditBatches, creditRecords } from './credit.schema';
import { type CreditKind, KEYS } from './fields';
import type { Problem } from './validator';

export type RecordRow = typeof creditRecords.$inferSelect;
export type BatchRow = typeof creditBatches.$inferSelect;

export interface BatchView {
  id: string;
  kind: CreditKind;
  fileName: string;
  state: string;
  total: number;
  valid: number;
  invalid: number;
  published: number | null;
  createdAt: string;
  publishedAt: string | null;
}

export const batchView = (b: BatchRow): BatchView => ({
  id: b.id,
  kind: b.kind as CreditKind,
  fileName: b.fileName,
  state: b.state,
  total: b.total,
  valid: b.valid,
  invalid: b.invalid,
  published: b.published,
  createdAt: b.createdAt.toISOString(),
  publishedAt: b.publishedAt?.toISOString() ?? null,
});

/** A person's name shown without need: the surname, then one star per further character (the platform's rule). */
export { maskName };

const ID_FIELDS = ['XK_XDR_ZJHM', 'XK_FR_ZJHM', 'CF_XDR_ZJHM', 'CF_FR_ZJHM'];

/** The record as the public (or a viewer without need) sees it: every ID number masked, persons' names masked. */
export function maskedRecord(r: RecordRow): Record<string, string> {
  const rec = { ...(r.record as Record<string, string>) };
  for (const f of ID_FIELDS) if (rec[f]) rec[f] = maskCitizenId(rec[f]);
  if (r.subjectCategory === '自然人') {
    const p = KEYS[r.kind as CreditKind].prefix;
    rec[`${p}_XDR_MC`] = maskName(rec[`${p}_XDR_MC`] ?? '');
  }
  return rec;
}

export function recordView(r: RecordRow, masked: boolean) {
  const person = r.subjectCategory === '自然人';
  return {
    id: r.id,
    kind: r.kind as CreditKind,
    status: r.status,
    record: masked ? maskedRecord(r) : (r.record as Record<string, string>),
    subjectName: masked && person ? maskName(r.subjectName) : r.subjectName,
    subjectCode: masked && person ? maskCitizenId(r.subjectCode) : r.subjectCode,
    subjectKey: r.subjectKey,
    documentNo: r.docNo,
    authorityCode: r.authorityCode,
    decisionDate: r.decisionDate,
    severity: r.severity,
    repairableFrom: r.repairableFrom,
    publicationEnds: r.publicationEnds,
    publishedAt: r.publishedAt.toISOString(),
    withdrawnAt: r.withdrawnAt?.toISOString() ?? null,
  };
}
export type RecordView = ReturnType<typeof recordView>;

/** tsquery literal matching every bigram of the name (one-character queries match the character). */
export function nameQuery(q: string): string | null {
  const grams = [...new Set(bigrams(q))];
  const use = grams.length ? grams : unigrams(q);
  if (!use.length) return null;
  return use.map(lexeme).join(' & ');
}

/** 422 for the single-record API: the same problems, as paths into the request body. */
export function recordErrors(problems: Problem[]): AppError {
  const errs = problems.map((p) => ({ path: `/record/${p.field}`, code: p.code, message: p.message }));
  return new AppError(422, 'unprocessable', 'Cannot process', `the record has ${problems.length} problem(s): ${errs.map((e) => `${e.path} ${e.code}`).join('; ')}`, errs);
}
