// The upload helper on the platform's own HTTP server (problem+json, text rule), with no database:
// streaming, size limits, file names, the text rule on fields, and malformed or incomplete forms.
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config';
import type { AuthService } from '../auth/auth.service';
import { testConfigEnv } from '../../test/template';
import { AppError } from './problem';
import { createHttpServer } from './server';
import { decodeFileName, readUpload, registerUploads } from './uploads';

const MiB = 1024 * 1024;
const B = 'dqUploadTestBoundary';
const TYPE = `multipart/form-data; boundary=${B}`;

type Part = { name: string; value: string } | { name: string; disposition?: string; type?: string; content: Buffer | string; fileName?: string };
function form(parts: Part[], { close = true } = {}): Buffer {
  const out: Buffer[] = [];
  for (const p of parts) {
    if ('value' in p) out.push(Buffer.from(`--${B}\r\nContent-Disposition: form-data; name="${p.name}"\r\n\r\n${p.value}\r\n`));
    else {
      const disposition = p.disposition ?? `form-data; name="${p.name}"; filename="${p.fileName ?? 'f.bin'}"`;
      out.push(Buffer.from(`--${B}\r\nContent-Disposition: ${disposition}\r\nContent-Type: ${p.type ?? 'application/octet-stream'}\r\n\r\n`), Buffer.from(p.content), Buffer.from('\r\n'));
    }
  }
  if (close) out.push(Buffer.from(`--${B}--\r\n`));
  return Buffer.concat(out);
}
const file = (content: Buffer | string, fileName = 'f.bin') => ({ name: 'file', fileName, content });

let app: FastifyInstance;
/** What the "service" of the last request saw. */
let seen: { fileName: string; contentType: string; bytes: number; sha256: string; chunks: number; fieldsBefore: Record<string, string>; error?: string } | null;
let firstChunk: () => void = () => undefined;

beforeAll(async () => {
  const config = loadConfig(testConfigEnv());
  const server = await createHttpServer({ config, log: pino({ level: 'silent' }), auth: {} as AuthService });
  app = server.app;
  await app.register(async (scope) => {
    await registerUploads(scope, { maxFileBytes: 8 * MiB });
    scope.post<{ Querystring: { fail?: string } }>('/up', { config: { auth: 'public' }, schema: { querystring: { type: 'object', properties: { fail: { type: 'string' } } } } }, async (req) => {
      seen = null;
      const { result, fields } = await readUpload(req, { field: 'file', fields: ['note', 'after'] }, async (part, fieldsBefore) => {
        if (req.query.fail === 'early') throw new AppError(415, 'unsupported-media-type', 'Unsupported file type', 'no', [{ path: '/body/file', message: 'no' }]);
        const s = { fileName: part.fileName, contentType: part.contentType, bytes: 0, sha256: '', chunks: 0, fieldsBefore } as NonNullable<typeof seen>;
        seen = s;
        const hash = createHash('sha256');
        try {
          for await (const chunk of part.stream) {
            if (s.chunks++ === 0) firstChunk();
            s.bytes += (chunk as Buffer).length;
            hash.update(chunk as Buffer);
          }
        } catch (err) {
          s.error = (err as Error).message;
          throw err;
        }
        s.sha256 = hash.digest('hex');
        return { fileName: s.fileName, bytes: s.bytes, sha256: s.sha256 };
      });
      return { ...result, fields };
    });
    scope.post<{ Querystring: { wrap?: string } }>('/small', { config: { auth: 'public' }, schema: { querystring: { type: 'object', properties: { wrap: { type: 'string' } } } } }, async (req) => {
      const { result } = await readUpload(req, { maxFileBytes: MiB }, async (part) => {
        try {
          for await (const _ of part.stream);
        } catch (err) {
          // A parser that reports stream failures as its own errors.
          if (req.query.wrap) throw new Error(`could not read the file: ${(err as Error).message}`);
          throw err;
        }
        return { fileName: part.fileName };
      });
      return result;
    });
  });
  app.post('/json-only', { config: { auth: 'public' }, schema: { body: { type: 'object', properties: { a: { type: 'string' } } } } }, async () => ({ ok: true }));
  await app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(() => app?.close());

const post = (url: string, payload: Buffer | string, type = TYPE) => app.inject({ method: 'POST', url, payload, headers: { 'content-type': type } });
const firstError = (r: { json(): { errors?: { path: string }[] } }) => r.json().errors?.[0]?.path;

describe('uploads', () => {
  it('streams a 5 MB file to the service while the request is still arriving, with the fields around it', async () => {
    const content = Buffer.alloc(5 * MiB);
    for (let i = 0; i < content.length; i += 4) content.writeUInt32LE(i * 2654435761 >>> 0, i);
    const body = form([{ name: 'note', value: '说明' }, file(content, 'data.bin'), { name: 'after', value: 'yes' }]);
    const gotFirst = new Promise<void>((resolve) => (firstChunk = resolve));
    const { port } = app.server.address() as AddressInfo;
    const res = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request({ port, method: 'POST', path: '/up', headers: { 'content-type': TYPE } }, (r) => {
        let text = '';
        r.setEncoding('utf8').on('data', (c: string) => (text += c)).on('end', () => resolve({ status: r.statusCode!, body: text }));
      });
      req.on('error', reject);
      // The first megabyte, then the rest only once the service has its first chunk: were the body
      // buffered before the handler ran, this would never finish.
      req.write(body.subarray(0, MiB));
      gotFirst.then(() => req.end(body.subarray(MiB)), reject);
    });
    expect(res.status, res.body).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ fileName: 'data.bin', bytes: 5 * MiB, sha256: createHash('sha256').update(content).digest('hex'), fields: { note: '说明', after: 'yes' } });
    expect(seen!.chunks).toBeGreaterThan(1);
    expect(seen!.fieldsBefore).toEqual({ note: '说明' });
  });

  it('a file over the limit is 413 naming the field; one at the limit passes', async () => {
    const over = await post('/small', form([file(Buffer.alloc(MiB + 1))]));
    expect(over.statusCode).toBe(413);
    expect(over.headers['content-type']).toContain('application/problem+json');
    expect(firstError(over)).toBe('/body/file');
    const wrapped = await post('/small?wrap=1', form([file(Buffer.alloc(MiB + 1))]));
    expect(wrapped.statusCode, wrapped.body).toBe(413);
    expect(firstError(wrapped)).toBe('/body/file');
    expect((await post('/small', form([file(Buffer.alloc(MiB), 'exact.bin')]))).json()).toEqual({ fileName: 'exact.bin' });
    // The whole body is bounded as well, by its declared length up front.
    const huge = await app.inject({ method: 'POST', url: '/small', payload: form([file('x')]), headers: { 'content-type': TYPE, 'content-length': String(3 * MiB) } });
    expect(huge.statusCode).toBe(413);
  });

  it('keeps Chinese file names however the client encodes them', async () => {
    const name = '缴款凭证.pdf';
    const variants = [
      `form-data; name="file"; filename="${name}"`,
      `form-data; name="file"; filename*=UTF-8''${encodeURIComponent(name)}`,
      `form-data; name="file"; filename="${encodeURIComponent(name)}"`,
      `form-data; name="file"; filename*=ISO-8859-1''${encodeURIComponent(name)}`,
      `form-data; name="file"; filename="C:\\\\Users\\\\张三\\\\${name}"`,
    ];
    for (const disposition of variants) {
      const r = await post('/up', form([{ name: 'file', disposition, content: '%PDF-1.4' }]));
      expect(r.statusCode, `${disposition}: ${r.body}`).toBe(200);
      expect(r.json().fileName, disposition).toBe(name);
    }
    expect(decodeFileName('100%25 done.csv')).toBe('100%25 done.csv');
    expect(decodeFileName('café.csv')).toBe('café.csv');
  });

  it('applies the text rule to field values, field names and file names, naming them', async () => {
    const nul = await post('/up', form([{ name: 'note', value: 'a\u0000b' }, file('x')]));
    expect(nul.statusCode).toBe(400);
    expect(firstError(nul)).toBe('/body/note');
    const after = await post('/up', form([file('x'), { name: 'after', value: 'bell\u0007' }]));
    expect(after.statusCode).toBe(400);
    expect(firstError(after)).toBe('/body/after');
    expect(seen!.error).toBeTruthy(); // the service's stream failed: it never saw a complete file
    const badName = await post('/up', form([{ name: 'no\u0001te', value: 'x' }, file('x')]));
    expect(badName.statusCode).toBe(400);
    expect(firstError(badName)).toBe('/body/no\uFFFDte');
    const fileName = await post('/up', form([{ name: 'file', disposition: `form-data; name="file"; filename*=UTF-8''a%00.csv`, content: 'x' }]));
    expect(fileName.statusCode).toBe(400);
    expect(firstError(fileName)).toBe('/body/file/filename');
  });

  it('refuses forms without the file, with extra parts or cut short: 400 naming the field', async () => {
    const cases: [string, Buffer | string, string, string?][] = [
      ['no file', form([{ name: 'note', value: 'x' }]), '/body/file'],
      ['empty form', form([]), '/body/file'],
      ['JSON instead', JSON.stringify({ file: 'x' }), '/body/file', 'application/json'],
      ['no boundary', 'x', '/body/file', 'multipart/form-data'],
      ['file as text', form([{ name: 'file', value: 'x' }]), '/body/file'],
      ['unknown field', form([{ name: 'surprise', value: 'x' }, file('x')]), '/body/surprise'],
      ['field twice', form([{ name: 'note', value: 'x' }, { name: 'note', value: 'y' }, file('x')]), '/body/note'],
      ['second file', form([file('x'), file('y')]), '/body/file'],
      ['other file', form([file('x'), { name: 'other', content: 'y' }]), '/body/other'],
      ['long field', form([{ name: 'note', value: 'x'.repeat(64 * 1024 + 1) }, file('x')]), '/body/note'],
      ['no closing boundary', form([file('x'), { name: 'after', value: 'y' }], { close: false }), '/body/file'],
      ['cut inside the file', form([file('x'.repeat(1000))], { close: false }).subarray(0, 400), '/body/file'],
    ];
    for (const [what, payload, path, type] of cases) {
      const r = await post('/up', payload, type);
      expect(r.statusCode, `${what}: ${r.body}`).toBe(400);
      expect(r.headers['content-type']).toContain('application/problem+json');
      expect(firstError(r), what).toBe(path);
    }
  });

  it("answers with the service's own refusal, and leaves routes outside the scope JSON-only", async () => {
    const r = await post('/up?fail=early', form([file(Buffer.alloc(2 * MiB))]));
    expect(r.statusCode).toBe(415);
    expect(firstError(r)).toBe('/body/file');
    expect((await post('/json-only', form([file('x')]))).statusCode).toBe(415);
  });
});
