// Shapes of the credit API as the console and the portal use them, taken from the server's OpenAPI
// document (../api-types.ts).
import type { BodyOf, ItemOf, QueryOf, ResponseOf } from '../api-types';

/** A published licence or penalty (XK_* / CF_* fields under `record`). */
export type CreditRecord = ItemOf<'/api/credit/records'>;
export type CreditKind = CreditRecord['kind'];
/** The record statuses the list filters by (the answers' `status` is a plain string). */
export type RecordStatus = NonNullable<QueryOf<'/api/credit/records'>['status']>;

/** A record as the public lookup shows it: the part every form of a record has. */
export type PublicRecord = PublicSubject['licences'][number];

// UI-side: a record's fields by standard code, as read from an answer or built by the form.
export type CreditFields = Record<string, string | number | null | undefined>;

/** One problem of one row of an uploaded file (row counts data rows from 1, like the report). */
export type RowProblem = ItemOf<'/api/credit/batches/{id}/problems'>;

/** A batch as listed; the upload's answer also carries its first problems. */
export type Batch = ItemOf<'/api/credit/batches'> & Partial<Pick<ResponseOf<'/api/credit/batches', 'post'>, 'problems'>>;

export type MyPenalty = ItemOf<'/api/credit/my/penalties'>;

/** A repair with its penalty, timeline, deadlines, materials and deliveries. */
export type Repair = ResponseOf<'/api/credit/repairs/{id}'>;
/** A repair as listed (no penalty, materials or timeline; subject name and document number instead). */
export type RepairRow = ItemOf<'/api/credit/repairs'>;

export type PublicSubjectHit = ItemOf<'/api/public/credit/search'>;
export type PublicSubject = ResponseOf<'/api/public/credit/subjects/{code}'>;
export type CreditProfile = ResponseOf<'/api/credit/profile/{code}'>;

export type Regime = ItemOf<'/api/credit/regimes'>;
export type CreditLimits = ResponseOf<'/api/credit/regimes'>['limits'];

/** An endpoint as listed (`hasSecret`; the secret itself is never returned). */
export type Endpoint = ItemOf<'/api/credit/endpoints'>;
/** An endpoint as saved: `secret` is write-only, omitted keeps the stored one. */
export type EndpointInput = BodyOf<'/api/credit/endpoints', 'put'>['items'][number];

export type OutboxDelivery = ItemOf<'/api/credit/outbox'>;

export type CreditStats = ResponseOf<'/api/credit/stats'>;
