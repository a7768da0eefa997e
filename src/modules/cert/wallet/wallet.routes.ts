// HTTP of the wallet (holder self-service, `/api/wallet`) and the verifier (`/api/cert/verifier`).
import type { FastifyInstance } from 'fastify';
import { limitOffsetQuery, uuidParam } from '../../../platform/http/paging';
import { CERT } from '../cert.permissions';
import type { WalletService } from './wallet.service';

const tags = ['certificate wallet'];
const pageQuery = { type: 'object', properties: limitOffsetQuery } as const;

export async function walletRoutes(app: FastifyInstance, wallet: WalletService) {
  app.get('/api/wallet/claimable', { config: { auth: 'authenticated' }, schema: { tags, summary: 'Certificates whose holder code is my verified ID number (or my enterprise credit code), claimed or not' } }, (req) =>
    wallet.claimable(req.actor!),
  );

  app.post<{ Body: { certificateId: string } }>(
    '/api/wallet/claim',
    {
      config: { auth: 'authenticated' },
      schema: { tags, summary: 'Add one of my certificates to my wallet (idempotent)', body: { type: 'object', required: ['certificateId'], additionalProperties: false, properties: { certificateId: { type: 'string', format: 'uuid' } } } },
    },
    async (req, reply) => {
      const r = await wallet.claim(req.actor!, req.body.certificateId);
      return reply.code(r.created ? 201 : 200).send(r);
    },
  );

  app.get<{ Querystring: { limit: number; offset: number } }>('/api/wallet/certificates', { config: { auth: 'authenticated' }, schema: { tags, summary: 'My wallet certificates with their status', querystring: pageQuery } }, (req) =>
    wallet.mine(req.actor!, req.query),
  );

  app.get<{ Params: { id: string } }>('/api/wallet/certificates/:id', { config: { auth: 'authenticated' }, schema: { tags, summary: 'One of my wallet certificates with its disclosable fields', params: uuidParam } }, (req) =>
    wallet.one(req.actor!, req.params.id),
  );

  app.post<{ Params: { id: string }; Body: { holderJwk: JsonWebKey } }>(
    '/api/wallet/certificates/:id/credential',
    {
      config: { auth: 'authenticated' },
      schema: {
        tags,
        summary: "SD-JWT VC of a wallet certificate bound to this browser's public key (issuer-signed, with every disclosure)",
        params: uuidParam,
        body: { type: 'object', required: ['holderJwk'], additionalProperties: false, properties: { holderJwk: { type: 'object' } } },
      },
    },
    (req) => wallet.credential(req.actor!, req.params.id, req.body.holderJwk),
  );

  app.get<{ Params: { code: string } }>(
    '/api/wallet/requests/:code',
    {
      config: { auth: 'authenticated' },
      schema: { tags, summary: 'A verifier request by its code: who asks, why, which fields, the nonce and audience to bind', params: { type: 'object', required: ['code'], properties: { code: { type: 'string', minLength: 4, maxLength: 20 } } } },
    },
    (req) => wallet.requestForHolder(req.actor!, req.params.code),
  );

  app.post<{ Body: { presentation: string } }>(
    '/api/wallet/presentations',
    {
      config: { auth: 'authenticated' },
      schema: {
        tags,
        summary: 'Park a presentation too large for one QR code: a one-time handle (DQVP:…) valid for minutes',
        body: { type: 'object', required: ['presentation'], additionalProperties: false, properties: { presentation: { type: 'string', minLength: 10, maxLength: 65536 } } },
      },
    },
    async (req, reply) => reply.code(201).send(await wallet.uploadPresentation(req.actor!, req.body.presentation)),
  );

  app.get<{ Querystring: { limit: number; offset: number } }>('/api/wallet/verifications', { config: { auth: 'authenticated' }, schema: { tags, summary: 'Who verified my certificates, what they saw and when', querystring: pageQuery } }, (req) =>
    wallet.verificationsOfMine(req.actor!, req.query),
  );

  // ---- verifier ----------------------------------------------------------------------------------
  app.post<{ Body: { fields: string[]; purpose: string; vct?: string } }>(
    '/api/cert/verifier/requests',
    {
      config: { auth: CERT.verify },
      schema: {
        tags,
        summary: 'Ask a holder for fields: a nonce and a short request code (QR DQVR:<code>), valid 10 minutes',
        body: {
          type: 'object',
          required: ['fields', 'purpose'],
          additionalProperties: false,
          properties: {
            fields: { type: 'array', minItems: 1, maxItems: 50, items: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]{0,63}$' } },
            purpose: { type: 'string', minLength: 1, maxLength: 200 },
            vct: { type: 'string', maxLength: 200 },
          },
        },
      },
    },
    async (req, reply) => reply.code(201).send(await wallet.createRequest(req.actor!, req.body)),
  );

  app.post<{ Body: { requestId: string; presentation?: string; handle?: string } }>(
    '/api/cert/verifier/verify',
    {
      config: { auth: CERT.verify },
      schema: {
        tags,
        summary: 'Verify a presentation (or its one-time handle) against a request: trust, signature, disclosures, validity, status, holder binding, nonce',
        body: {
          type: 'object',
          required: ['requestId'],
          additionalProperties: false,
          properties: { requestId: { type: 'string', format: 'uuid' }, presentation: { type: 'string', minLength: 1, maxLength: 65536 }, handle: { type: 'string', minLength: 4, maxLength: 40 } },
        },
      },
    },
    (req) => wallet.verify(req.actor!, req.body),
  );
}
