// A small streaming reader for multipart/form-data requests with one file part (credit and data-sharing uploads):
// text fields before the file are collected, the file part is handed to the consumer as a stream while
// the request is still arriving, so a 50,000-row file is validated without being held in memory.
import { PassThrough, type Readable } from 'node:stream';
import { shownText, textProblem } from '../text';
import { AppError } from './problem';

export interface FilePart {
  fieldName: string;
  fileName: string;
  contentType: string;
  stream: Readable;
}

const bad = (detail: string) => new AppError(400, 'bad-request', 'Bad request', detail, [{ path: '/body/file', message: detail }]);
/** A field or file name refused by the platform's text rule (see platform/text). */
const textRefused = (path: string, message: string) => new AppError(400, 'validation', 'Invalid request', `${path}: ${message}`, [{ path, message }]);

function decodeFileName(encoded: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch {
    throw bad('the file name (filename*) is not valid percent-encoded UTF-8');
  }
}

export function boundaryOf(contentType: string | undefined): string | null {
  const m = /^multipart\/form-data\s*;.*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
  return m ? (m[1] ?? m[2]) : null;
}

function parseHeaders(block: string): { name: string | null; fileName: string | null; contentType: string } {
  let name: string | null = null;
  let fileName: string | null = null;
  let contentType = 'application/octet-stream';
  for (const line of block.split('\r\n')) {
    const i = line.indexOf(':');
    if (i < 0) continue;
    const key = line.slice(0, i).trim().toLowerCase();
    const value = line.slice(i + 1).trim();
    if (key === 'content-disposition') {
      name = /\bname="([^"]*)"/i.exec(value)?.[1] ?? null;
      const star = /\bfilename\*=UTF-8''([^;]+)/i.exec(value)?.[1];
      fileName = star ? decodeFileName(star) : (/\bfilename="([^"]*)"/i.exec(value)?.[1] ?? null);
    } else if (key === 'content-type') contentType = value;
  }
  return { name, fileName, contentType };
}

/**
 * Read the body: `onFile` receives the file part named `fileField` as a stream (it must consume it) and
 * its result is returned with the text fields. Fields after the file are read too. Fails with 400 when
 * the body is not multipart or has no such file.
 */
export async function readMultipart<T>(
  body: Readable,
  contentType: string | undefined,
  fileField: string,
  onFile: (part: FilePart, fields: Record<string, string>) => Promise<T>,
  limits: { fieldBytes?: number } = {},
): Promise<{ fields: Record<string, string>; result: T }> {
  const boundary = boundaryOf(contentType);
  if (!boundary) throw bad('expected multipart/form-data with a boundary');
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  const fieldMax = limits.fieldBytes ?? 64 * 1024;
  const fields: Record<string, string> = {};
  let buf = Buffer.from('\r\n');
  let state: 'preamble' | 'after' | 'headers' | 'field' | 'file' | 'skip' | 'done' = 'preamble';
  let fieldName = '';
  let fieldChunks: Buffer[] = [];
  let fieldSize = 0;
  let file: PassThrough | null = null;
  let consumer: Promise<{ ok: true; value: T } | { ok: false; error: unknown }> | null = null;
  let consumerError: unknown = null;
  let seenFile = false;

  const write = async (chunk: Buffer) => {
    if (!chunk.length) return;
    if (state === 'field') {
      fieldSize += chunk.length;
      if (fieldSize > fieldMax) throw bad(`field ${fieldName} is too long`);
      fieldChunks.push(chunk);
    } else if (state === 'file' && file) {
      if (!file.write(chunk)) {
        await new Promise<void>((resolve) => {
          file!.once('drain', resolve);
          void consumer!.then(() => resolve());
        });
      }
    }
  };
  const endPart = () => {
    if (state === 'field') {
      const value = Buffer.concat(fieldChunks).toString('utf8');
      const p = textProblem(value) ?? (textProblem(fieldName) && `field name ${textProblem(fieldName)}`);
      if (p) throw textRefused(`/body/${shownText(fieldName)}`, p);
      fields[fieldName] = value;
    }
    if (state === 'file' && file) file.end();
  };

  const advance = async (final: boolean) => {
    for (;;) {
      if (consumerError) throw consumerError;
      if (state === 'done') return;
      if (state === 'preamble' || state === 'field' || state === 'file' || state === 'skip') {
        const at = buf.indexOf(delimiter);
        if (at < 0) {
          const keep = delimiter.length - 1;
          if (buf.length > keep) {
            if (state !== 'preamble') await write(buf.subarray(0, buf.length - keep));
            buf = buf.subarray(buf.length - keep);
          }
          if (final) throw bad('the multipart body ends without its closing boundary');
          return;
        }
        if (state !== 'preamble') await write(buf.subarray(0, at));
        endPart();
        buf = buf.subarray(at + delimiter.length);
        state = 'after';
      }
      if (state === 'after') {
        if (buf.length < 2) {
          if (final) throw bad('truncated multipart body');
          return;
        }
        if (buf[0] === 0x2d && buf[1] === 0x2d) {
          state = 'done';
          return;
        }
        state = 'headers';
      }
      if (state === 'headers') {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) {
          if (buf.length > 16 * 1024) throw bad('multipart part headers are too long');
          if (final) throw bad('truncated multipart body');
          return;
        }
        const h = parseHeaders(buf.subarray(0, end).toString('utf8'));
        buf = buf.subarray(end + 4);
        const nameProblem = h.fileName !== null ? textProblem(h.fileName) : null;
        if (nameProblem) throw textRefused(`/body/${shownText(h.name ?? 'file')}/filename`, `the file name ${nameProblem}`);
        if (h.fileName !== null && h.name === fileField && !seenFile) {
          seenFile = true;
          file = new PassThrough();
          // The consumer sees a destroyed stream through its own reads; no 'error' may go unheard.
          file.on('error', () => undefined);
          state = 'file';
          // Settled into a value so a failing consumer is never an unhandled rejection; rethrown below.
          consumer = Promise.resolve()
            .then(() => onFile({ fieldName: h.name!, fileName: h.fileName!, contentType: h.contentType, stream: file! }, { ...fields }))
            .then(
              (value) => ({ ok: true as const, value }),
              (error: unknown) => {
                consumerError = error;
                return { ok: false as const, error };
              },
            );
        } else if (h.fileName === null && h.name) {
          state = 'field';
          fieldName = h.name;
          fieldChunks = [];
          fieldSize = 0;
        } else state = 'skip';
      }
    }
  };

  try {
    for await (const chunk of body) {
      buf = Buffer.concat([buf, chunk as Buffer]);
      await advance(false);
      if ((state as string) === 'done') break;
    }
    await advance(true);
  } catch (err) {
    const f = file as PassThrough | null;
    if (f && !f.destroyed) f.destroy(err instanceof Error ? err : new Error(String(err)));
    if (consumer) await consumer;
    throw err;
  }
  if (!consumer) throw bad(`the form has no file field "${fileField}"`);
  type Settled = { ok: true; value: T } | { ok: false; error: unknown };
  const settled = (await (consumer as Promise<Settled> | null))!;
  if (!settled.ok) throw settled.error;
  return { fields, result: settled.value };
}
