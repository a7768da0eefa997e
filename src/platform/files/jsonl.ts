// JSON lines (one JSON object per line) read as a stream: bounded memory for files of any size.
// Blank lines are skipped; a line that is not a JSON object fails with 422 naming the line.
import readline from 'node:readline';
import type { Readable } from 'node:stream';
import { AppError } from '../http/problem';
import { checkRowText, type RowTextProblem } from '../text';

export async function* readJsonLines(
  input: Readable,
  opts: { maxLineBytes?: number } = {},
): AsyncGenerator<{ row: number; values: Record<string, unknown>; textProblems?: RowTextProblem[] }> {
  const max = opts.maxLineBytes ?? 1_000_000;
  const lines = readline.createInterface({ input, crlfDelay: Infinity });
  let n = 0;
  for await (const raw of lines) {
    n++;
    const line = n === 1 ? raw.replace(/^\uFEFF/, '') : raw;
    if (!line.trim()) continue;
    if (line.length > max) throw new AppError(422, 'unprocessable', 'Cannot process', `line ${n} is longer than ${max} characters`, [{ path: `/row/${n}`, message: 'line too long' }]);
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch (err) {
      throw new AppError(422, 'unprocessable', 'Cannot process', `line ${n} is not JSON: ${(err as Error).message}`, [{ path: `/row/${n}`, message: 'not JSON' }]);
    }
    if (!v || typeof v !== 'object' || Array.isArray(v)) throw new AppError(422, 'unprocessable', 'Cannot process', `line ${n} is not a JSON object`, [{ path: `/row/${n}`, message: 'not a JSON object' }]);
    // Strings that break the platform's text rule: the importer rejects the line with these problems.
    const bad = checkRowText(v as Record<string, unknown>);
    yield bad ? { row: n, values: bad.shown, textProblems: bad.problems } : { row: n, values: v as Record<string, unknown> };
  }
}
