// Streaming tabular files: write CSV or Excel (.xlsx) from an async sequence of rows without building the
// file in memory, and read CSV or Excel uploads row by row with their row numbers, for imports that
// report every bad row. Modules describe their columns; this file knows nothing about what the rows mean.
import { PassThrough, Readable, Transform, type TransformCallback } from 'node:stream';
import { parse as parseCsv } from 'csv-parse';
import ExcelJS from 'exceljs';
import { AppError } from '../http/problem';
import { checkRowText, type RowTextProblem } from '../text';

export type TabularFormat = 'csv' | 'xlsx';

export interface Column {
  key: string;
  /** The header written on export and accepted (as well as the key) on import. */
  header: string;
  /** Excel column width in characters. */
  width?: number;
}

export const CONTENT_TYPES: Record<TabularFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** The import format from a request's content type, or null when it is neither CSV nor Excel. */
export function formatOfContentType(contentType: string | undefined): TabularFormat | null {
  const t = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (t === 'text/csv' || t === 'application/csv') return 'csv';
  if (t === CONTENT_TYPES.xlsx) return 'xlsx';
  return null;
}

// ---- writing -----------------------------------------------------------------------------------

/** One CSV field per RFC 4180; a leading =, +, - or @ gets a quote mark so spreadsheets do not run it as a formula. */
export function csvField(v: unknown): string {
  let s = v === null || v === undefined ? '' : typeof v === 'string' ? v : String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function cellText(v: unknown): string {
  return v === null || v === undefined ? '' : typeof v === 'string' ? v : String(v);
}

/**
 * A readable stream of the file. Rows are pulled from `rows` as the client reads (back-pressure is
 * respected), so memory stays flat whatever the row count. An error while producing destroys the stream.
 */
export function exportStream(format: TabularFormat, columns: Column[], rows: AsyncIterable<Record<string, unknown>>, sheetName = 'Sheet1'): Readable {
  if (format === 'csv') {
    async function* lines() {
      // A byte-order mark lets Excel open UTF-8 Chinese text correctly.
      yield '\uFEFF' + columns.map((c) => csvField(c.header)).join(',') + '\r\n';
      for await (const r of rows) yield columns.map((c) => csvField(r[c.key])).join(',') + '\r\n';
    }
    return Readable.from(lines(), { objectMode: false });
  }
  const out = new PassThrough();
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
  const ws = wb.addWorksheet(sheetName.slice(0, 31));
  ws.columns = columns.map((c) => ({ header: c.header, key: c.key, width: c.width ?? 16 }));
  (async () => {
    for await (const r of rows) {
      const values: Record<string, string | number> = {};
      for (const c of columns) {
        const v = r[c.key];
        values[c.key] = typeof v === 'number' ? v : cellText(v);
      }
      ws.addRow(values).commit();
      // Let the zip stream drain before producing more when the client is slow.
      if (out.writableNeedDrain) await new Promise((res) => out.once('drain', res));
    }
    ws.commit();
    await wb.commit();
  })().catch((err: unknown) => out.destroy(err instanceof Error ? err : new Error(String(err))));
  return out;
}

// ---- reading -----------------------------------------------------------------------------------

export interface ReadRow {
  /** 1-based row number as a spreadsheet shows it (the header is row 1). */
  row: number;
  values: Record<string, string>;
  /**
   * Cells that break the platform's text rule (control characters, unpaired surrogates): the importer
   * rejects the row with these. The values then show the offending characters as U+FFFD.
   */
  textProblems?: RowTextProblem[];
}

export interface ReadOptions {
  columns: Column[];
  /** Columns that must be present in the header. */
  required?: string[];
  maxRows?: number;
}

/** Counts bytes through and fails with 413 past the limit (streams given to a content-type parser bypass the body limit). */
export function byteLimit(max: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, cb: TransformCallback) {
      seen += chunk.length;
      if (seen > max) return cb(new AppError(413, 'payload-too-large', 'Payload too large', `the file is larger than ${max} bytes`));
      cb(null, chunk);
    },
  });
}

function headerMap(header: string[], opts: ReadOptions): string[] {
  const byName = new Map<string, string>();
  for (const c of opts.columns) {
    byName.set(c.key.toLowerCase(), c.key);
    byName.set(c.header.toLowerCase(), c.key);
  }
  const keys = header.map((h) => byName.get(h.replace(/^\uFEFF/, '').trim().toLowerCase()) ?? '');
  const unknown = header.filter((h, i) => h.trim() && !keys[i]);
  const missing = (opts.required ?? []).filter((k) => !keys.includes(k));
  if (unknown.length || missing.length) {
    const errs = [
      ...unknown.map((h) => ({ path: `/row/1/${h}`, message: 'unknown column' })),
      ...missing.map((k) => ({ path: `/row/1/${k}`, message: 'required column is missing' })),
    ];
    throw new AppError(422, 'unprocessable', 'Cannot process', 'the header row does not match the expected columns', errs);
  }
  return keys;
}

function toRecord(keys: string[], cells: string[]): Record<string, string> {
  const values: Record<string, string> = {};
  keys.forEach((k, i) => {
    if (k) values[k] = (cells[i] ?? '').trim();
  });
  return values;
}

/**
 * Rows of an uploaded CSV or Excel file, as they stream in. The first row is the header (column keys or
 * headers, in any order). Blank rows are skipped; a file with more than maxRows data rows fails with 413.
 * Malformed CSV fails with 422 naming the row.
 */
export async function* readRows(format: TabularFormat, input: Readable, opts: ReadOptions): AsyncGenerator<ReadRow> {
  const maxRows = opts.maxRows ?? 50_000;
  let count = 0;
  const guard = () => {
    if (++count > maxRows) throw new AppError(413, 'payload-too-large', 'Too many rows', `at most ${maxRows} rows per file`);
  };
  if (format === 'csv') {
    const parser = input.pipe(parseCsv({ bom: true, relax_column_count: true, skip_empty_lines: true, trim: false, max_record_size: 1_000_000, info: true }));
    input.on('error', (e) => parser.destroy(e));
    let keys: string[] | null = null;
    try {
      for await (const { info, record } of parser as AsyncIterable<{ info: { lines: number }; record: string[] }>) {
        const line = info.lines;
        if (!keys) {
          keys = headerMap(record, opts);
          continue;
        }
        if (record.every((c) => !c.trim())) continue;
        guard();
        yield withTextCheck(line, toRecord(keys, record));
      }
    } catch (err) {
      if (err instanceof AppError) throw err;
      const e = err as { code?: string; message?: string; lines?: number };
      if (e.code?.startsWith('CSV_')) throw new AppError(422, 'unprocessable', 'Cannot process', `malformed CSV: ${e.message}`, [{ path: `/row/${e.lines ?? '?'}`, message: e.message ?? 'malformed CSV' }]);
      throw err;
    }
    if (!keys) throw new AppError(422, 'unprocessable', 'Cannot process', 'the file is empty: expected a header row');
    return;
  }
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, { worksheets: 'emit', sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'ignore', entries: 'ignore' });
  let keys: string[] | null = null;
  try {
    for await (const sheet of reader) {
      for await (const row of sheet) {
        const cells: string[] = [];
        const raw = row.values as unknown[];
        for (let i = 1; i < raw.length; i++) cells.push(excelCellText(raw[i]));
        if (!keys) {
          keys = headerMap(cells, opts);
          continue;
        }
        if (cells.every((c) => !c.trim())) continue;
        guard();
        yield withTextCheck(row.number, toRecord(keys, cells));
      }
      break; // the first worksheet only
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError(422, 'unprocessable', 'Cannot process', `not a readable Excel (.xlsx) file: ${(err as Error).message}`);
  }
  if (!keys) throw new AppError(422, 'unprocessable', 'Cannot process', 'the workbook is empty: expected a header row');
}

function withTextCheck(row: number, values: Record<string, string>): ReadRow {
  const bad = checkRowText(values);
  return bad ? { row, values: bad.shown, textProblems: bad.problems } : { row, values };
}

function excelCellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    const o = v as { text?: unknown; result?: unknown; richText?: { text: string }[] };
    if (o.richText) return o.richText.map((t) => t.text).join('');
    if (o.text !== undefined) return String(o.text);
    if (o.result !== undefined) return String(o.result);
  }
  return String(v);
}

/** Per-row problems an import collects instead of stopping at the first. */
export interface RowProblem {
  row: number;
  field: string;
  message: string;
}
