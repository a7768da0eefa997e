// HTTP for electronic seals: the CA certificate (public), seals (make/renew/revoke), sealing a PDF,
// verifying any PDF (public), and the sealed decision document of an approved application.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { readLimited } from '../../platform/files/blobs';
import { errors } from '../../platform/http/problem';
import { Binary, Defaulted, Enum, IdParams, Page, PageQuery, Str, Type, typed, Uuid } from '../../platform/http/schema';
import { readUpload, registerUploads } from '../../platform/http/uploads';
import { SEAL_POSITIONS, type PlaceOptions, type SealPosition } from './pdf-sign';
import { SEAL } from './seal.permissions';
import { CaInfo, SEAL_STATES, SealViewSchema, SigningSchema, VerifyReportSchema } from './seal.schemas';
import { SEAL_MAX_PDF, type SealService } from './seal.service';

const tags = ['seal'];
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const attachment = (name: string, inline = false) => `${inline ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(name)}`;

/** The fields /api/seal/sign takes beside the PDF. */
const SIGN_FIELDS = ['sealId', 'page', 'position', 'x', 'y', 'size'] as const;

/** The PDF of a multipart upload (field "file") and the text fields around it. */
async function readPdfUpload(req: FastifyRequest, fieldNames: readonly string[] = []): Promise<{ bytes: Buffer; fileName: string; fields: Record<string, string> }> {
  const { fields, result } = await readUpload(req, { field: 'file', fields: fieldNames }, async (part) => ({ bytes: await readLimited(part.stream, SEAL_MAX_PDF), fileName: part.fileName.slice(0, 200) || 'document.pdf' }));
  if (!result.bytes.length) throw errors.field('/body/file', 'the file is empty');
  return { ...result, fields };
}

function numberField(fields: Record<string, string>, name: string, min: number, max: number, integer = false): number | undefined {
  const raw = fields[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || (integer && !Number.isInteger(n)) || n < min || n > max) throw errors.field(`/body/${name}`, `must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}`);
  return n;
}

function placeOf(fields: Record<string, string>): PlaceOptions {
  const position = fields.position?.trim() || undefined;
  if (position && !SEAL_POSITIONS.includes(position as SealPosition)) throw errors.field('/body/position', `must be one of ${SEAL_POSITIONS.join(', ')}`);
  return {
    page: numberField(fields, 'page', 1, 100_000, true),
    position: position as SealPosition | undefined,
    x: numberField(fields, 'x', 0, 14_400),
    y: numberField(fields, 'y', 0, 14_400),
    size: numberField(fields, 'size', 40, 300),
  };
}

export async function sealRoutes(app: FastifyInstance, seals: SealService) {
  const api = typed(app);

  api.get(
    '/api/seal/ca',
    {
      config: { auth: 'public' },
      schema: {
        tags,
        summary: "The platform CA's certificate (PEM): the trust anchor for sealed documents (e.g. for pdfsig/NSS or Acrobat)",
        response: { 200: Binary('application/x-pem-file', "The CA certificate, PEM") },
      },
    },
    async (req, reply) => {
      const pem = await seals.caPem();
      return reply.type('application/x-pem-file').header('content-disposition', attachment('seal-ca.pem', true)).send(pem);
    },
  );
  api.get(
    '/api/seal/ca/info',
    { config: { auth: 'public' }, schema: { tags, summary: "The CA certificate's details (subject, serial, validity, fingerprint) and PEM", response: { 200: CaInfo } } },
    () => seals.caInfo(),
  );

  api.get(
    '/api/seal/seals',
    {
      config: { auth: SEAL.use },
      schema: {
        tags,
        summary: "Seals: every department's for seal managers, one's own organisations' for seal users",
        querystring: Defaulted({ orgId: Type.Optional(Uuid), state: Type.Optional(Enum(SEAL_STATES)), ...PageQuery }),
        response: { 200: Page(SealViewSchema) },
      },
    },
    (req) => seals.list(req.actor!, req.query),
  );
  api.post(
    '/api/seal/seals',
    {
      config: { auth: SEAL.manage },
      schema: {
        tags,
        summary: "Make a department's seal, or renew it (new key and certificate; the old seal is kept, superseded, for verifying)",
        body: Type.Object({ orgId: Uuid }),
        response: { 201: SealViewSchema },
      },
    },
    async (req, reply) => reply.code(201).send(await seals.make(req.actor!, req.body.orgId)),
  );
  api.get('/api/seal/seals/:id', { config: { auth: SEAL.use }, schema: { tags, summary: 'A seal with its certificate', params: IdParams, response: { 200: SealViewSchema } } }, (req) =>
    seals.get(req.actor!, req.params.id),
  );
  api.get(
    '/api/seal/seals/:id/image.svg',
    { config: { auth: SEAL.use }, schema: { tags, summary: "The seal's image (SVG)", params: IdParams, response: { 200: Binary('image/svg+xml', "The seal's image") } } },
    async (req, reply) => {
      const svg = await seals.image(req.actor!, req.params.id);
      return reply.type('image/svg+xml').header('cache-control', 'private, max-age=300').send(svg);
    },
  );
  api.get(
    '/api/seal/seals/:id/certificate.pem',
    { config: { auth: SEAL.use }, schema: { tags, summary: "The seal's certificate (PEM)", params: IdParams, response: { 200: Binary('application/x-pem-file', "The seal's certificate, PEM") } } },
    async (req, reply) => {
      const s = await seals.get(req.actor!, req.params.id);
      return reply.type('application/x-pem-file').header('content-disposition', attachment(`seal-${s.serial}.pem`)).send(s.certificatePem);
    },
  );
  api.post(
    '/api/seal/seals/:id/revoke',
    {
      config: { auth: SEAL.manage },
      schema: { tags, summary: 'Revoke a seal: documents sealed with it no longer verify as trusted', params: IdParams, body: Type.Object({ reason: Str(500, 2) }), response: { 200: SealViewSchema } },
    },
    (req) => seals.revoke(req.actor!, req.params.id, req.body.reason),
  );
  api.get(
    '/api/seal/signings',
    {
      config: { auth: SEAL.use },
      schema: {
        tags,
        summary: 'Sealings (document hashes, seal, who, when) of the organisations the caller may see',
        querystring: Defaulted({ sealId: Type.Optional(Uuid), ...PageQuery }),
        response: { 200: Page(SigningSchema) },
      },
    },
    (req) => seals.signings(req.actor!, req.query),
  );

  api.get(
    '/api/svc/applications/:id/decision.pdf',
    {
      config: { auth: 'authenticated' },
      schema: {
        tags,
        summary: 'The sealed decision document (准予许可决定书) of an approved application; made once, the same bytes afterwards',
        params: IdParams,
        response: { 200: Binary('application/pdf', 'The sealed decision document') },
      },
    },
    async (req, reply) => {
      const doc = await seals.decisionDocument(req.actor!, req.params.id);
      return reply.type('application/pdf').header('content-disposition', attachment(doc.fileName)).header('cache-control', 'private, no-store').send(doc.bytes);
    },
  );

  await app.register(async (scope) => {
    await registerUploads(scope, { maxFileBytes: SEAL_MAX_PDF });
    const upload = typed(scope);
    upload.post(
      '/api/seal/sign',
      {
        config: { auth: SEAL.use },
        schema: {
          tags,
          summary: 'Seal a PDF (multipart: "file", optional sealId, page, position bottom-right|bottom-center|bottom-left|top-right|center, or x/y in points, size): returns the sealed PDF',
          response: { 200: Binary('application/pdf', 'The sealed PDF; x-seal-signing-id names the record of the sealing') },
        },
      },
      async (req, reply) => {
        const { bytes, fileName, fields } = await readPdfUpload(req, SIGN_FIELDS);
        const sealId = fields.sealId?.trim() || undefined;
        if (sealId && !UUID_RE.test(sealId)) throw errors.field('/body/sealId', 'must be a UUID');
        const r = await seals.sign(req.actor!, { bytes, fileName, sealId, place: placeOf(fields) });
        const outName = fileName.replace(/\.pdf$/i, '') + '-sealed.pdf';
        return reply.type('application/pdf').header('content-disposition', attachment(outName)).header('x-seal-signing-id', r.signingId).header('cache-control', 'no-store').send(r.bytes);
      },
    );
    upload.post(
      '/api/seal/verify',
      {
        config: { auth: 'public' },
        schema: { tags, summary: "Verify every signature of a PDF (multipart \"file\"): signer, time, intact, whole document, chain to this platform's CA", response: { 200: VerifyReportSchema } },
      },
      async (req) => {
        const { bytes } = await readPdfUpload(req);
        return seals.verify(bytes);
      },
    );
  });
}
