// Shapes of the certificates API as the console pages use them, taken from the server's OpenAPI
// document (../../shared/api-types.ts).
import type { ItemOf, ResponseOf } from '../../shared/api-types';

export type CertType = ItemOf<'/api/cert/types'>;
export type FieldDef = CertType['fields'][number];

export type CertListItem = ItemOf<'/api/cert/certificates'>;
export type CertStatus = CertListItem['status'];

export type CertDetail = ResponseOf<'/api/cert/certificates/{id}'>;

export type CertImport = ItemOf<'/api/cert/imports'>;
