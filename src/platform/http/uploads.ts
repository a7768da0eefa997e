// File uploads (multipart/form-data with one file part) on top of @fastify/multipart, for every route
// that takes one: credit batches and repair materials, data-sharing loads, certificate imports, sealing.
//   registerUploads(scope, { maxFileBytes })   inside the routes' own encapsulated scope, so only those
//                                                routes accept multipart and every other route stays JSON-only;
//   readUpload(req, { field, fields }, onFile)   hands the file part to onFile as a Node Readable while the
//                                                request is still arriving (never buffered whole here).
// The same rules everywhere: the platform text rule on field names, values and file names (400 naming the
// field), only the declared text fields (once each, at most maxFieldBytes), exactly one file part in
// `field`, the file at most maxFileBytes (413 naming the field), a malformed or missing form → 400.
// The file stream ends only once the whole form has been read and found valid, so a service never
// commits a file from a request that is refused afterwards; it fails with the request's problem instead.
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Transform, type Readable } from 'node:stream';
import { shownText, textProblem } from '../text';
import { AppError } from './problem';

export interface UploadLimits {
  /** The largest file accepted (bytes); one more byte is a 413 naming the file field. */
  maxFileBytes: number;
  /** The longest text field (bytes, default 64 KiB). */
  maxFieldBytes?: number;
}

export interface UploadSpec extends Partial<UploadLimits> {
  /** The file part's field name (default "file"). */
  field?: string;
  /** The text fields the form may carry (any order around the file); any other is a 400. */
  fields?: readonly string[];
}

export interface UploadedFile {
  /** The file's bytes as they arrive; fails with the request's problem when the form turns out invalid. */
  stream: Readable;
  /** The file name the client sent (decoded, without any directory), '' when it sent none. */
  fileName: string;
  /** The part's declared type (lower case; busboy reports text/plain when the part declares none). */
  contentType: string;
}

const DEFAULT_FIELD_BYTES = 64 * 1024;
/** What the form may hold besides the file and its fields: boundaries and part headers. */
const FORM_OVERHEAD = 64 * 1024;
const kDefaults = Symbol('uploadDefaults');

const badRequest = (path: string, message: string) => new AppError(400, 'bad-request', 'Bad request', message, [{ path, message }]);
const invalid = (path: string, message: string) => new AppError(400, 'validation', 'Invalid request', `${path}: ${message}`, [{ path, message }]);
const tooLarge = (path: string, message: string) => new AppError(413, 'payload-too-large', 'Payload too large', message, [{ path, message }]);
const pointer = (name: string) => `/body/${shownText(name).replaceAll('~', '~0').replaceAll('/', '~1')}`;

/** Accept multipart/form-data in this (encapsulated) scope: register inside `app.register(async (scope) => …)`. */
export async function registerUploads(scope: FastifyInstance, defaults: UploadLimits): Promise<void> {
  await scope.register(multipart, { limits: { fileSize: defaults.maxFileBytes, fieldSize: defaults.maxFieldBytes ?? DEFAULT_FIELD_BYTES } });
  scope.decorateRequest(kDefaults, { getter: () => defaults });
}

/**
 * A file name as the client meant it. Busboy decodes RFC 5987 `filename*=UTF-8''…` and raw UTF-8; this
 * also undoes names sent percent-encoded (`%E7%BC%B4….pdf`, as some scripts do) and UTF-8 bytes decoded
 * as Latin-1 (`filename*=ISO-8859-1''…` from clients that mislabel them). Anything else is kept as it is.
 */
export function decodeFileName(name: string): string {
  if (/%[89a-f][0-9a-f]/i.test(name) && /^(?:[^%]|%[0-9a-f]{2})*$/i.test(name)) {
    try {
      return decodeURIComponent(name);
    } catch {
      /* not percent-encoded UTF-8: keep the name as sent */
    }
  }
  // eslint-disable-next-line no-control-regex -- Latin-1 range only, to spot UTF-8 bytes decoded one by one
  if (/^[\u0000-\u00ff]*$/.test(name) && /[\u0080-\u00ff]/.test(name)) {
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(name, 'latin1'));
    } catch {
      /* real Latin-1 text */
    }
  }
  return name;
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

/**
 * Read the form of an upload route. `onFile` receives the file part (it must read or drop the stream) and
 * the text fields that came before it; its result is returned with all the text fields (before and after).
 */
export async function readUpload<T>(
  req: FastifyRequest,
  spec: UploadSpec,
  onFile: (file: UploadedFile, fieldsBefore: Record<string, string>) => Promise<T>,
): Promise<{ result: T; fields: Record<string, string> }> {
  const defaults = (req as unknown as Record<symbol, UploadLimits | undefined>)[kDefaults];
  if (!defaults) throw new Error(`readUpload on ${req.url}: call registerUploads in the route's scope`);
  const field = spec.field ?? 'file';
  const allowed = new Set(spec.fields ?? []);
  const maxFileBytes = spec.maxFileBytes ?? defaults.maxFileBytes;
  const maxFieldBytes = spec.maxFieldBytes ?? defaults.maxFieldBytes ?? DEFAULT_FIELD_BYTES;
  const filePath = pointer(field);
  const fileTooLarge = () => tooLarge(filePath, `the file is larger than ${maxFileBytes} bytes`);
  const boundary = boundaryOf(req.headers['content-type']);
  if (!req.isMultipart() || !boundary) {
    throw badRequest(filePath, `expected multipart/form-data (with a boundary) and a file part "${field}"${allowed.size ? `; text fields: ${[...allowed].join(', ')}` : ''}`);
  }
  // The whole body is bounded too: busboy reads but skips parts without a name, preambles and epilogues.
  const maxBodyBytes = maxFileBytes + allowed.size * maxFieldBytes + FORM_OVERHEAD;
  const bodyTooLarge = () => tooLarge('/body', `the form is larger than ${maxBodyBytes} bytes (the file may have at most ${maxFileBytes})`);
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBodyBytes) throw bodyTooLarge();

  // Whatever stops the reading early (the body over its limit, the consumer failing) wins the race with the next part.
  let stop!: (why: { stop: unknown }) => void;
  const stopped = new Promise<{ stop: unknown }>((resolve) => (stop = resolve));
  const fields: Record<string, string> = {};
  let upload: Transform | null = null;
  let consumer: Promise<Settled<T>> | null = null;
  let consumerError: { error: unknown } | null = null;
  /** The problem the file stream was failed with, if any (a consumer may wrap it in an error of its own). */
  let streamProblem: AppError | null = null;
  let formRead!: (err?: unknown) => void;
  const formDone = new Promise<void>((resolve, reject) => (formRead = (err) => (err ? reject(err) : resolve())));
  formDone.catch(() => undefined);

  const parts = req.parts({ limits: { fileSize: maxFileBytes, fieldSize: maxFieldBytes, fields: allowed.size + 1, parts: allowed.size + 2 } });
  let next = parts.next(); // starts the parser: the request is piped into busboy from here on
  // Counted beside busboy (the pipe is in place, so no chunk is missed); also notes the closing delimiter,
  // which busboy does not insist on (a body cut short between parts would otherwise look complete).
  const closing = Buffer.from(`\r\n--${boundary}--`);
  let received = 0;
  let tail = Buffer.alloc(0);
  let closed = false;
  const count = (chunk: Buffer) => {
    received += chunk.length;
    if (received > maxBodyBytes) stop({ stop: bodyTooLarge() });
    if (!closed) {
      const window = Buffer.concat([tail, chunk]);
      closed = window.includes(closing);
      tail = window.subarray(Math.max(0, window.length - closing.length + 1));
    }
  };
  req.raw.on('data', count);
  try {
    for (;; next = parts.next()) {
      next.catch(() => undefined); // abandoned when the race below is lost
      const step = await Promise.race([next, stopped]);
      if ('stop' in step) throw step.stop;
      if (step.done) break;
      const part = step.value;
      const name = part.fieldname;
      const nameProblem = textProblem(name);
      if (nameProblem) throw invalid(pointer(name), `field name ${nameProblem}`);
      if (part.type === 'field') {
        if (!allowed.has(name)) throw invalid(pointer(name), name === field ? 'must be a file part (with a filename)' : 'unknown field');
        if (name in fields) throw invalid(pointer(name), 'is given more than once');
        if (part.valueTruncated) throw invalid(pointer(name), `is longer than ${maxFieldBytes} bytes`);
        if (typeof part.value !== 'string') throw invalid(pointer(name), 'must be a plain text field');
        const p = textProblem(part.value);
        if (p) throw invalid(pointer(name), p);
        fields[name] = part.value;
        continue;
      }
      // A file part: exactly one, under the expected name, with a name that meets the text rule.
      if (name !== field || upload) throw invalid(pointer(name), name === field ? 'only one file may be sent' : 'unexpected file part');
      const fileName = decodeFileName(part.filename ?? '');
      const fp = textProblem(fileName);
      if (fp) throw invalid(`${filePath}/filename`, `the file name ${fp}`);
      const file = part.file;
      // Passes the bytes on; ends only when the rest of the form has been read (or fails with its problem).
      const out = new Transform({
        transform: (chunk: Buffer, _enc, cb) => cb(null, chunk),
        flush: (cb) => {
          if (file.truncated) return cb(fileTooLarge());
          formDone.then(
            () => cb(),
            (err: unknown) => cb(err as Error),
          );
        },
      });
      out.on('error', () => undefined); // the consumer hears it through its own reads
      const fail = (problem: AppError) => {
        streamProblem ??= problem;
        out.destroy(problem);
      };
      file.on('limit', () => fail(fileTooLarge()));
      file.on('error', (err) => fail(badRequest(filePath, `the file part is incomplete: ${err.message}`)));
      file.on('close', () => {
        if (!file.readableEnded) fail(badRequest(filePath, 'the upload was interrupted'));
      });
      file.pipe(out);
      upload = out;
      consumer = Promise.resolve()
        .then(() => onFile({ stream: out, fileName, contentType: part.mimetype }, { ...fields }))
        .then(
          (value): Settled<T> => ({ ok: true, value }),
          (error: unknown): Settled<T> => ({ ok: false, error }),
        );
      void consumer.then((s) => {
        if (!s.ok) {
          consumerError = { error: s.error };
          stop({ stop: s.error });
        } else if (!out.readableEnded) {
          // Done without the whole file: drop the rest so the form can be read on.
          file.unpipe(out);
          file.resume();
        }
      });
    }
    if (!upload) throw badRequest(filePath, `the form has no file part "${field}"`);
    if (!closed) throw badRequest(filePath, 'the multipart body ends without its closing boundary');
  } catch (err) {
    req.raw.unpipe();
    if (consumerError && err === (consumerError as { error: unknown }).error) {
      formRead(err);
      // Its own refusal (a wrong file type, a field it checks) stands; an error it made of a failed stream does not.
      const cause = streamProblem as AppError | null;
      throw cause && !(err instanceof AppError) ? cause : err;
    }
    const problem = asProblem(err, filePath, fileTooLarge);
    formRead(problem);
    if (upload && !(upload as Transform).destroyed) (upload as Transform).destroy(problem);
    // The consumer fails with the problem (or something it made of it): the problem is the answer.
    if (consumer) await consumer;
    throw problem;
  } finally {
    req.raw.off('data', count);
  }
  formRead();
  const settled = await consumer!;
  if (!settled.ok) throw settled.error;
  return { result: settled.value, fields };
}

function boundaryOf(contentType: string | undefined): string | null {
  const m = /^multipart\/form-data\s*;.*\bboundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
  return m ? (m[1] ?? m[2]) : null;
}

/** Errors of @fastify/multipart and busboy as the platform's problems. */
function asProblem(err: unknown, filePath: string, fileTooLarge: () => AppError): AppError {
  if (err instanceof AppError) return err;
  const e = err as { code?: string; message?: string };
  switch (e.code) {
    case 'FST_REQ_FILE_TOO_LARGE':
      return fileTooLarge();
    case 'FST_PARTS_LIMIT':
    case 'FST_FIELDS_LIMIT':
    case 'FST_FILES_LIMIT':
      return badRequest('/body', 'the form has more parts than this upload takes');
    case 'FST_PROTO_VIOLATION':
      return badRequest('/body', 'a field name is not allowed (it names a built-in property)');
    case 'FST_INVALID_JSON_FIELD_ERROR':
      return badRequest('/body', 'a field declared as application/json is not valid JSON');
    default:
      return badRequest(filePath, `malformed multipart body: ${e.message ?? String(err)}`);
  }
}
