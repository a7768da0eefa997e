// Service-hall shapes the portal and the console read alike (the server's public catalogue API),
// taken from the server's OpenAPI document (./api-types.ts).
import type { ItemOf, ResponseOf } from './api-types';

export type ApplicantType = ItemOf<'/api/public/svc/search'>['applicantType'];
export type FieldType = ResponseOf<'/api/public/svc/items/{code}'>['form']['fields'][number]['type'];

export type BundleSummary = ItemOf<'/api/public/svc/bundles'>;
export type Department = ItemOf<'/api/public/svc/departments'>;
export type Hall = ItemOf<'/api/public/svc/halls'>;
/** A zone (the answer's `category` is a plain string: audience | life_event | topic). */
export type Zone = ItemOf<'/api/public/svc/zones'>;
