// Files in and out of the credit module: reading an upload or a local file row by row through the
// platform's streaming tabular reader, and validating it with the one validator (CLI, batches, bench).
import fs from 'node:fs';
import type { Readable } from 'node:stream';
import { readRows, type TabularFormat } from '../../platform/files';
import { columnsOf, type CreditKind } from './fields';
import { validateRows, type Problem } from './validator';

/** csv or xlsx from a file name, or null. */
export function formatOfFileName(name: string): TabularFormat | null {
  const ext = name.toLowerCase().split('.').pop();
  return ext === 'csv' ? 'csv' : ext === 'xlsx' ? 'xlsx' : null;
}

/** Rows of a credit file: headers may be the field codes or their Chinese names. */
export function creditRows(kind: CreditKind, format: TabularFormat, input: Readable, maxRows = 50_000) {
  return readRows(format, input, { columns: columnsOf(kind), maxRows });
}

export interface FileReport {
  kind: CreditKind;
  total: number;
  valid: number;
  invalid: number;
  problems: Problem[];
  byCode: Record<string, number>;
}

/** Validate a local file (the `dq credit validate` command): streamed, no database, duplicates within the file. */
export async function validateFile(kind: CreditKind, file: string, opts: { today?: string } = {}): Promise<FileReport> {
  const format = formatOfFileName(file);
  if (!format) throw new Error('the file must end in .csv or .xlsx');
  const report: FileReport = { kind, total: 0, valid: 0, invalid: 0, problems: [], byCode: {} };
  const rows = creditRows(kind, format, fs.createReadStream(file), Number.MAX_SAFE_INTEGER);
  for await (const r of validateRows(kind, rows, { today: opts.today })) {
    report.total++;
    if (r.problems.length) report.invalid++;
    else report.valid++;
    for (const p of r.problems) {
      report.problems.push(p);
      report.byCode[p.code] = (report.byCode[p.code] ?? 0) + 1;
    }
  }
  return report;
}
