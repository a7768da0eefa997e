// HTTP of the wallet (holder self-service, `/api/wallet`) and the verifier (`/api/cert/verifier`).
import type { FastifyInstance } from 'fastify';
import { Defaulted, IdParams, Page, PageQuery, Str, Type, typed, Uuid } from '../../../platform/http/schema';
import { CERT } from '../cert.permissions';
import {
  ClaimableList,
  ClaimAnswer,
  CredentialAnswer,
  HolderRequest,
  PresentationHandle,
  VerificationAnswerSchema,
  VerificationRow,
  VerifierRequest,
  WalletCertificate,
  WalletCertificateWithFields,
} from './wallet.schemas';
import type { WalletService } from './wallet.service';

const tags = ['certificate wallet'];
const pageQuery = Defaulted({ ...PageQuery });

export async function walletRoutes(app: FastifyInstance, wallet: WalletService) {
  const api = typed(app);

  api.get(
    '/api/wallet/claimable',
    {
      config: { auth: 'authenticated' },
      schema: { tags, summary: 'Certificates whose holder code is my verified ID number (or my enterprise credit code), claimed or not', response: { 200: ClaimableList } },
    },
    (req) => wallet.claimable(req.actor!),
  );

  api.post(
    '/api/wallet/claim',
    {
      config: { auth: 'authenticated' },
      schema: { tags, summary: 'Add one of my certificates to my wallet (idempotent)', body: Type.Object({ certificateId: Uuid }), response: { 200: ClaimAnswer, 201: ClaimAnswer } },
    },
    async (req, reply) => {
      const r = await wallet.claim(req.actor!, req.body.certificateId);
      return reply.code(r.created ? 201 : 200).send(r);
    },
  );

  api.get(
    '/api/wallet/certificates',
    { config: { auth: 'authenticated' }, schema: { tags, summary: 'My wallet certificates with their status', querystring: pageQuery, response: { 200: Page(WalletCertificate) } } },
    (req) => wallet.mine(req.actor!, req.query),
  );

  api.get(
    '/api/wallet/certificates/:id',
    { config: { auth: 'authenticated' }, schema: { tags, summary: 'One of my wallet certificates with its disclosable fields', params: IdParams, response: { 200: WalletCertificateWithFields } } },
    (req) => wallet.one(req.actor!, req.params.id),
  );

  api.post(
    '/api/wallet/certificates/:id/credential',
    {
      config: { auth: 'authenticated' },
      schema: {
        tags,
        summary: "SD-JWT VC of a wallet certificate bound to this browser's public key (issuer-signed, with every disclosure)",
        params: IdParams,
        // The key is checked by the service (a public EC P-256 JWK), field by field.
        body: Type.Object({ holderJwk: Type.Unsafe<JsonWebKey>({ type: 'object' }) }),
        response: { 200: CredentialAnswer },
      },
    },
    (req) => wallet.credential(req.actor!, req.params.id, req.body.holderJwk),
  );

  api.get(
    '/api/wallet/requests/:code',
    {
      config: { auth: 'authenticated' },
      schema: { tags, summary: 'A verifier request by its code: who asks, why, which fields, the nonce and audience to bind', params: Type.Object({ code: Str(20, 4) }), response: { 200: HolderRequest } },
    },
    (req) => wallet.requestForHolder(req.actor!, req.params.code),
  );

  api.post(
    '/api/wallet/presentations',
    {
      config: { auth: 'authenticated' },
      schema: {
        tags,
        summary: 'Park a presentation too large for one QR code: a one-time handle (DQVP:…) valid for minutes',
        body: Type.Object({ presentation: Str(65536, 10) }),
        response: { 201: PresentationHandle },
      },
    },
    async (req, reply) => reply.code(201).send(await wallet.uploadPresentation(req.actor!, req.body.presentation)),
  );

  api.get(
    '/api/wallet/verifications',
    { config: { auth: 'authenticated' }, schema: { tags, summary: 'Who verified my certificates, what they saw and when', querystring: pageQuery, response: { 200: Page(VerificationRow) } } },
    (req) => wallet.verificationsOfMine(req.actor!, req.query),
  );

  // ---- verifier ----------------------------------------------------------------------------------
  api.post(
    '/api/cert/verifier/requests',
    {
      config: { auth: CERT.verify },
      schema: {
        tags,
        summary: 'Ask a holder for fields: a nonce and a short request code (QR DQVR:<code>), valid 10 minutes',
        body: Type.Object({
          fields: Type.Array(Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]{0,63}$' }), { minItems: 1, maxItems: 50 }),
          purpose: Str(200, 1),
          vct: Type.Optional(Type.String({ maxLength: 200 })),
        }),
        response: { 201: VerifierRequest },
      },
    },
    async (req, reply) => reply.code(201).send(await wallet.createRequest(req.actor!, req.body)),
  );

  api.post(
    '/api/cert/verifier/verify',
    {
      config: { auth: CERT.verify },
      schema: {
        tags,
        summary: 'Verify a presentation (or its one-time handle) against a request: trust, signature, disclosures, validity, status, holder binding, nonce',
        body: Type.Object({ requestId: Uuid, presentation: Type.Optional(Str(65536, 1)), handle: Type.Optional(Str(40, 4)) }),
        response: { 200: VerificationAnswerSchema },
      },
    },
    (req) => wallet.verify(req.actor!, req.body),
  );
}
